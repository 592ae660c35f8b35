#include "coopterra/observe/ledger.hpp"

#include "coopterra/core/error.hpp"

namespace coopterra {

const char* to_string(Account account) noexcept {
  switch (account) {
    case Account::Households: return "households";
    case Account::CooperativePlatform: return "cooperative_platform";
    case Account::IncumbentPlatform: return "incumbent_platform";
    case Account::Authority: return "authority";
    case Account::Outside: return "outside";
  }
  return "unknown";
}

namespace {
enum Flow : std::size_t {
  FaresCooperative,
  FaresIncumbent,
  CommissionsCooperative,
  CommissionsIncumbent,
  IncentivesCooperative,
  IncentivesIncumbent,
  TaxCooperative,
  TaxIncumbent,
  Campaigns,
  FlowCount
};
}  // namespace

const std::vector<FlowDef>& money_flows() {
  using A = Account;
  static const std::vector<FlowDef> flows = {
      {"carpool fares, cooperative", A::Households, A::Households},
      {"carpool fares, incumbent", A::Households, A::Households},
      {"carpool commissions, cooperative", A::Households, A::CooperativePlatform},
      {"carpool commissions, incumbent", A::Households, A::IncumbentPlatform},
      {"carpool incentives, cooperative", A::Authority, A::Households},
      {"carpool incentives, incumbent", A::Authority, A::Households},
      {"platform tax, cooperative", A::CooperativePlatform, A::Authority},
      {"platform tax, incumbent", A::IncumbentPlatform, A::Authority},
      {"awareness campaigns", A::Authority, A::Outside},
  };
  return flows;
}

LedgerWeek book_week(const CarpoolWeek& c, std::int64_t campaign_cents,
                     const std::array<std::int64_t, kAccounts>& opening) {
  LedgerWeek w;
  w.cents.assign(FlowCount, 0);
  w.cents[FaresCooperative] = c.driver_income_cents[0];
  w.cents[FaresIncumbent] = c.driver_income_cents[1];
  w.cents[CommissionsCooperative] = c.fees_cents[0];
  w.cents[CommissionsIncumbent] = c.fees_cents[1];
  w.cents[IncentivesCooperative] = c.incentive_cents[0];
  w.cents[IncentivesIncumbent] = c.incentive_cents[1];
  w.cents[TaxCooperative] = c.tax_cents[0];
  w.cents[TaxIncumbent] = c.tax_cents[1];
  w.cents[Campaigns] = campaign_cents;
  w.balance = opening;
  std::int64_t net = 0;
  const auto& flows = money_flows();
  for (std::size_t f = 0; f < flows.size(); ++f) {
    w.balance[static_cast<std::size_t>(flows[f].from)] -= w.cents[f];
    w.balance[static_cast<std::size_t>(flows[f].to)] += w.cents[f];
  }
  for (std::size_t a = 0; a < kAccounts; ++a) net += w.balance[a] - opening[a];
  ensure(net == 0, "ledger: the week's flows do not net to zero");
  const std::size_t households = static_cast<std::size_t>(Account::Households);
  ensure(w.balance[households] - opening[households] == c.households_net_cents,
         "ledger: households' net from the flows differs from the sum over residents");
  ensure(w.balance[static_cast<std::size_t>(Account::Authority)] >= 0, "ledger: the authority spent beyond its budget");
  return w;
}

}  // namespace coopterra
