#pragma once
// Stock-flow consistent money: every euro moves from one account to another through a named
// flow, in integer cents. Each week the ledger books the flows, updates every account's balance,
// and checks the books against what the model counted resident by resident.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/model/carpool.hpp"

namespace coopterra {

enum class Account : std::uint8_t { Households, CooperativePlatform, IncumbentPlatform, Authority, Outside };
inline constexpr std::size_t kAccounts = 5;
const char* to_string(Account account) noexcept;

struct FlowDef {
  const char* name;
  Account from, to;
};
// The named flows, in the order of LedgerWeek::cents.
const std::vector<FlowDef>& money_flows();

struct LedgerWeek {
  std::vector<std::int64_t> cents;                // one amount per flow of money_flows()
  std::array<std::int64_t, kAccounts> balance{};  // closing balances
};

// Books a week. `opening` are the balances before it; `campaign_cents` the authority's campaign
// spending. Throws InvariantError when the households' net from the flows differs from the sum,
// resident by resident, that the model counted, or when the flows do not net to zero.
LedgerWeek book_week(const CarpoolWeek& carpool, std::int64_t campaign_cents,
                     const std::array<std::int64_t, kAccounts>& opening);

}  // namespace coopterra
