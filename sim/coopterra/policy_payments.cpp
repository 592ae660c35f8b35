#include "coopterra/policy_payments.hpp"

#include <algorithm>

#include "coopterra/core/allocate.hpp"

namespace coopterra {

void PolicyPayments::levers(WeekContext& w, std::int64_t authority_balance) const {
  w.budget.available = authority_balance - timeline_.committed_from(w.week);
  w.carpool_levers = timeline_.levers(w.week, w.budget.available > 0);
  w.market_levers = timeline_.market_levers(w.week);
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
  w.by_policy.assign(timeline_.policies().size(), 0);
  w.economy_levers = timeline_.economy_levers(w.week, open, payable - incentives > 0, w.by_policy);
  w.economy_levers.support_budget_cents = std::max<std::int64_t>(0, payable - incentives);
}

void PolicyPayments::attribute(WeekContext& w) const {
  const auto& policies = timeline_.policies();
  auto& by_policy = w.by_policy;
  // Barter fee support, attributed to the policies that pay it.
  {
    std::vector<std::size_t> ids;
    std::vector<double> weights;
    for (std::size_t i = 0; i < by_policy.size(); ++i)
      if (policies[i].spec->kind == "barter_support" && timeline_.active(i, w.week))
        ids.push_back(i), weights.push_back(policies[i].spec->fee_share);
    const auto shares = allocate_proportionally(w.economy.flows.barter_fee_support, weights);
    for (std::size_t k = 0; k < ids.size(); ++k) by_policy[ids[k]] += shares[k];
  }
  // Spending outside the territory: awareness campaigns (every market) and the network.
  w.outside_policy_cents = 0;
  for (std::size_t i = 0; i < by_policy.size(); ++i) {
    const std::string& kind = policies[i].spec->kind;
    if (kind == "awareness_campaign") by_policy[i] += timeline_.scheduled_cents(i, w.week);
    if (kind == "awareness_campaign" || kind == "cooperative_network")
      w.outside_policy_cents += timeline_.scheduled_cents(i, w.week);
  }
  // Each platform's incentives, attributed to the policies that make them up.
  for (std::size_t p = 0; p < kPlatforms; ++p) {
    const auto& ids = w.carpool_levers.incentive_policies[p];
    if (ids.empty()) continue;
    std::vector<double> weights;
    for (std::size_t i : ids) {
      const auto& r = policies[i];
      double weight = 0;
      for (std::size_t z = 0; z < r.in_zone.size(); ++z)
        if (r.in_zone[z]) weight += static_cast<double>(w.carpool.passengers_by_zone[p][z]);
      weights.push_back(weight * r.spec->amount_eur);
    }
    const auto shares = allocate_proportionally(w.carpool.incentive_cents[p], weights);
    for (std::size_t k = 0; k < ids.size(); ++k) by_policy[ids[k]] += shares[k];
  }
}

}  // namespace coopterra
