#pragma once
// What the authority's policies pay in a week, within its budget, and to which policy each cent
// goes: the budget steps of the week, each a call into the policy timeline (model/policies.hpp),
// which asks each kind's definition (policy/<kind>.cpp). The week's schedule (simulation.cpp)
// calls them at the points where the week needs them; see week.hpp.
#include <cstdint>
#include <vector>

#include "coopterra/model/policies.hpp"
#include "coopterra/week.hpp"

namespace coopterra {

class PolicyPayments {
 public:
  explicit PolicyPayments(const PolicyTimeline& timeline) : timeline_(timeline) {}

  // Start of the week: the levers in force and what the authority can pay per use beyond what is
  // committed still reserved; incentives act only while that is positive.
  void levers(WeekContext& w, std::int64_t authority_balance) const;
  // After matching: in the week the budget runs out, every incentive is scaled down alike.
  void incentives(WeekContext& w) const;
  // After carpooling's accounts: the money policies bring to the economy (procurement, grants,
  // equity, in-kind and barter fee support), the support within what the incentives left.
  void economy(WeekContext& w, const std::vector<std::uint8_t>& open) const;
  // After the economy: barter fee support and each platform's incentives attributed to the
  // policies that pay them, and the authority's spending outside the territory (campaigns, the
  // cooperatives' network).
  void attribute(WeekContext& w) const;

 private:
  const PolicyTimeline& timeline_;
};

}  // namespace coopterra
