#pragma once
// The context of one simulated week: what its phases (simulation.cpp's schedule) read and write,
// handed from phase to phase: the levers in force, the authority's budget for the week, and the
// weekly records the phases fill, kept in the series at the end of the week.
#include <cstdint>
#include <vector>

#include "coopterra/model/carpool.hpp"
#include "coopterra/model/economy.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/observe/ledger.hpp"

namespace coopterra {

// What the authority can pay this week (cents), set by the policy phases (policy_payments.hpp).
struct WeekBudget {
  std::int64_t available = 0;       // the authority's balance beyond what is committed still reserved
  std::int64_t incentives_due = 0;  // carpool incentives due for the week, before any budget limit
  // Incentives due are paid times paid_num / paid_den: the budget's limit, the same for every trip.
  std::int64_t paid_num = 1, paid_den = 1;
  std::int64_t payable() const noexcept { return available > 0 ? available : 0; }
};

struct WeekContext {
  std::uint32_t week = 0;  // the week being simulated, 1 being the first
  // Levers in force.
  Levers levers;  // by platform of the list (model/levers.hpp)
  EconomyLevers economy_levers;
  WeekBudget budget;
  // Records of the week.
  CarpoolWeek carpool;
  MarketWeek market;
  EconomyWeek economy;
  LedgerWeek ledger;
  std::vector<std::int64_t> by_policy;    // what each policy spent (cents; loans: net of repayments)
  std::vector<std::int64_t> financing;    // the policies' own flows (PolicyTimeline::flows())
  std::int64_t outside_policy_cents = 0;  // what the authority paid outside the territory
};

}  // namespace coopterra
