#include "coopterra/policy_payments.hpp"

#include <algorithm>

namespace coopterra {

void PolicyPayments::levers(WeekContext& w, std::int64_t authority_balance) const {
  w.budget.available = authority_balance - timeline_.committed_from(w.week);
  w.levers = timeline_.levers(w.week, w.budget.available > 0);
}

void PolicyPayments::incentives(WeekContext& w) const {
  const std::int64_t payable = w.budget.payable(), due = w.budget.incentives_due;
  const bool enough = due <= payable;  // true when nothing is due: never a zero denominator
  w.budget.paid_num = enough ? 1 : payable;
  w.budget.paid_den = enough ? 1 : due;
}

void PolicyPayments::economy(WeekContext& w, const std::vector<std::uint8_t>& open) const {
  const std::int64_t payable = w.budget.payable();
  std::int64_t incentives = 0;
  for (auto c : w.carpool.incentive_cents) incentives += c;
  w.economy_levers =
      timeline_.economy_levers(w.week, open, payable - incentives > 0, w.by_policy, w.outside_policy_cents);
  w.economy_levers.support_budget_cents = std::max<std::int64_t>(0, payable - incentives);
}

void PolicyPayments::attribute(WeekContext& w) const {
  timeline_.attribute_barter_support(w.week, w.economy.flows.barter_fee_support, w.by_policy);
  timeline_.attribute_incentives(w.levers, w.carpool, w.by_policy);
}

}  // namespace coopterra
