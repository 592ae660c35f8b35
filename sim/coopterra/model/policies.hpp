#pragma once
// The local authority and its policy timeline, resolved on a territory.
//
// Each week the timeline gives the levers in force (model/levers.hpp: one set, by platform of the
// list and home zone): the carpool incentive per passenger trip, the reach of awareness campaigns,
// the tax on a platform's commissions with its pass-through, and the shocks; the money policies
// bring to the economy; the financing of cooperatives (loans, quasi-equity, citizens' shares) and
// its flows in the books. What each kind does is in its own file (policy/<kind>.cpp); the timeline
// calls it, in the timeline's order.
//
// The budget rule: what policies commit (their kind's commitment rule, week by week: campaigns,
// grants, network, procurement, in-kind support, equity, loans) is reserved; per-use payments
// (carpool incentives, barter fee support) are paid from what the authority holds beyond what is
// still reserved (`payable`), incentives scaled down alike in the week it runs out.
#include <array>
#include <cstdint>
#include <vector>

#include "coopterra/model/economy.hpp"
#include "coopterra/model/levers.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/policy/kind.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

class PolicyTimeline {
 public:
  using Resolved = ResolvedPolicy;

  // Throws ConfigurationError, located at the policy, for targets that are not in the territory.
  // `platforms` is the list of every platform (model/platforms.hpp), `channels` the markets'.
  PolicyTimeline(const Spec& spec, const Territory& territory, const std::vector<PlatformInfo>& platforms,
                 const std::vector<Channel>& channels);

  const std::vector<Resolved>& policies() const noexcept { return policies_; }
  bool active(std::size_t i, std::uint32_t week) const noexcept {
    return policies_[i].start <= week && week <= policies_[i].end;
  }
  // What policy i commits in `week`: its kind's commitment rule (policy/kind.hpp), 0 when inactive.
  std::int64_t scheduled_cents(std::size_t i, std::uint32_t week) const noexcept;
  // Spending committed from `week` (included) to the end.
  std::int64_t committed_from(std::uint32_t week) const noexcept;

  // The levers in force in `week`, by platform of the list; incentives only if `incentives_funded`.
  Levers levers(std::uint32_t week, bool incentives_funded) const;
  // The money policies bring to the economy in `week` (only to platforms still open), what each
  // policy spends (by_policy, added to) and of it what is paid outside the territory (`outside`).
  EconomyLevers economy_levers(std::uint32_t week, const std::vector<std::uint8_t>& open, bool support_funded,
                               std::vector<std::int64_t>& by_policy, std::int64_t& outside) const;

  // The policies' own flows in the books (financing), and their amounts in `week`: advances and
  // repayments move through the economy's hooks, before its week (by_policy: net of repayments).
  const std::vector<PolicyFlow>& flows() const noexcept { return flows_; }
  std::vector<std::int64_t> finance(std::uint32_t week, Economy& economy, std::vector<std::int64_t>& by_policy);
  // What each financed cooperative still owes, by policy and target (checkpoints). set_owed keeps
  // `owed` only if it has the timeline's layout (the same financing policies), and says so.
  const std::vector<std::vector<std::int64_t>>& owed() const noexcept { return owed_; }
  bool set_owed(std::vector<std::vector<std::int64_t>> owed);

  // Attribution to policies of what was paid per use: the barter fee support the economy drew,
  // and each carpool platform's incentives (by passengers in each policy's zones times its amount).
  void attribute_barter_support(std::uint32_t week, std::int64_t cents, std::vector<std::int64_t>& by_policy) const;
  void attribute_incentives(const Levers& levers, const CarpoolWeek& carpool,
                            std::vector<std::int64_t>& by_policy) const;

 private:
  PolicyWeek at(const Resolved& r, std::size_t i, std::uint32_t week, std::int64_t scheduled) const {
    return PolicyWeek{r, i, week, zones_, scheduled};
  }
  std::size_t zones_;
  std::size_t platforms_ = 0;
  std::vector<std::size_t> carpool_;  // carpooling's platforms in the list
  std::vector<Resolved> policies_;
  std::vector<Resolved> shocks_;  // events that are not the authority's: no spending, no platform
  std::vector<PolicyFlow> flows_;
  std::vector<std::vector<std::int64_t>> owed_;  // by policy, by target
};

}  // namespace coopterra
