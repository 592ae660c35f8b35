#pragma once
// Stock-flow consistent money: every euro moves from one account to another through a named
// flow, in integer cents, or in or out of the territory through the outside account. Each week the
// books record the flows, update every account's balance, and check the balances against what the
// agents hold on their own: the firms' cash, each platform's treasury, the residents' net.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/core/fields.hpp"
#include "coopterra/model/carpool.hpp"
#include "coopterra/model/economy.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra {

// The first accounts; one account per platform of the markets follows (Books::platform_account).
// The accounts before the platforms' (one per platform of model/platforms.hpp, carpooling's included).
enum class Account : std::uint8_t { Households, Authority, Outside, Firms };
inline constexpr std::size_t kFixedAccounts = 4;
const char* to_string(Account account) noexcept;

struct FlowDef {
  std::string name;
  std::size_t from, to;  // account indices
};

// What households receive from beyond the modelled economy in a week (docs/model.md, "Households").
struct HouseholdBudget {
  std::int64_t outside_income_cents = 0;  // pensions, other employers, transfers: fixed after calibration
  // During calibration: the residents' disposable income to reach, the outside income being what the
  // modelled economy does not pay of it; -1 afterwards.
  std::int64_t target_cents = -1;
};

struct LedgerWeek {
  std::vector<std::int64_t> cents;          // one amount per flow of Books::flows()
  std::vector<std::int64_t> balance;        // closing balances, one per account
  std::int64_t household_income_cents = 0;  // residents' disposable income: outside income plus what they earn
  std::int64_t household_market_cents = 0;  // what they spent in the modelled markets and carpooling

  // The field list (core/fields.hpp): checkpoints and the results.
  template <class V, class... W>
  static void fields(V&& v, W&... w) {
    v(result("cents", Dim::Flow, "money_flow", "EUR", "money moved by each named flow", 100), w.cents...);
    v(result("balance", Dim::Account, "account_balance", "EUR",
             "balance of each account at the end of the week (the authority starts with its budget)", 100),
      w.balance...);
    v(result("household_income_cents", Dim::Scalar, "household_income", "EUR",
             "disposable income of the residents: from beyond the modelled economy (fixed after calibration) plus "
             "wages, profits, refunds and sales the model pays them",
             100),
      w.household_income_cents...);
    v(result("household_market_cents", Dim::Scalar, "household_market_spending", "EUR",
             "what the residents paid within the model: purchases, fees, carpool commissions, shares subscribed (the "
             "rest of their income is other consumption and saving)",
             100),
      w.household_market_cents...);
  }
};

class Books {
 public:
  // `policy_flows`: the policies' own flows (financing: PolicyTimeline::flows()), last in the books.
  Books(const std::vector<PlatformInfo>& platforms, const std::vector<Channel>& channels,
        const std::vector<PolicyFlow>& policy_flows = {});

  const std::vector<std::string>& accounts() const noexcept { return accounts_; }
  const std::vector<FlowDef>& flows() const noexcept { return flows_; }
  std::size_t platform_account(std::size_t platform) const noexcept { return kFixedAccounts + platform; }
  // A forked run keeps the flows of the weeks before the fork: those of the checkpoint's books
  // that these books lack (another scenario's policies) are appended; they move nothing after it.
  // Returns, for each of `past`, its index in flows().
  std::vector<std::size_t> keep_past_flows(const std::vector<FlowDef>& past);
  // The flow of the households' income from beyond the modelled economy.
  std::size_t outside_income_flow() const noexcept { return household_first_; }

  // Books a week. `opening` are the balances before it; `outside_policy_cents` what the authority
  // paid outside the territory (campaigns, the network's shared services). Throws InvariantError
  // when the firms' cash, a platform's treasury or the residents' net differ from the books, or
  // when the authority spent beyond its budget. `policy_cents`: the week's amounts of the policies'
  // own flows (empty: none). `households`: their income from beyond the modelled economy; what
  // they do not spend in the model goes to other consumption and saving, so their budget closes.
  LedgerWeek book(const CarpoolWeek& carpool, const MarketWeek& market, const EconomyWeek& economy,
                  std::int64_t outside_policy_cents, const std::vector<std::int64_t>& opening, std::int64_t firms_cash,
                  const std::vector<std::int64_t>& treasuries, const std::vector<std::int64_t>& policy_cents = {},
                  const HouseholdBudget& households = {}) const;

 private:
  std::vector<std::string> accounts_;
  std::vector<FlowDef> flows_;
  std::size_t channels_ = 0, platforms_ = 0, carpool_ = 0;  // carpool_: carpool platforms
  // Flow indices: per channel (purchases, fees, tax, procurement, procurement fees; npos: none),
  // then the economy's and each platform's.
  std::vector<std::array<std::size_t, 5>> channel_flows_;
  std::size_t economy_first_ = 0, platform_first_ = 0, policy_first_ = 0, household_first_ = 0;
};

}  // namespace coopterra
