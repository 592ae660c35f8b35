#pragma once
// The local authority and its policy timeline, resolved on a territory.
//
// Each week the timeline gives the levers in force, by platform and home zone: the carpool
// incentive per passenger trip, the reach of awareness campaigns, and the tax on a platform's
// commissions with its pass-through. The authority pays from its budget: campaigns are committed
// (validated against the budget), incentives are paid while money remains beyond what campaigns
// still need, and scaled down in the week the budget runs out.
#include <array>
#include <cstdint>
#include <vector>

#include "coopterra/model/carpool_levers.hpp"
#include "coopterra/model/economy.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

class PolicyTimeline {
 public:
  struct Resolved {
    const PolicySpec* spec;
    std::size_t platform;               // index: 0 cooperative, 1 incumbent
    std::vector<std::uint8_t> in_zone;  // 1 where the policy acts
    std::int64_t start, end;            // inclusive weeks
    std::int64_t weekly_cost_cents;     // spread costs (campaigns, grants, network): cost per active week...
    std::int64_t extra_cents_weeks;     // ...plus one cent in this many first weeks (exact total)
    std::vector<std::size_t> targets;   // market policies: the platforms acted on (indices of the list)
    std::size_t channel = static_cast<std::size_t>(-1);  // procurement: the channel bought through
  };

  // Throws ConfigurationError, located at the policy, for targets that are not in the territory.
  // `platforms` and `channels` are the markets' (model/markets.hpp), for the market policies.
  PolicyTimeline(const Spec& spec, const Territory& territory, const std::vector<PlatformInfo>& platforms = {},
                 const std::vector<Channel>& channels = {});

  const std::vector<Resolved>& policies() const noexcept { return policies_; }
  bool active(std::size_t i, std::uint32_t week) const noexcept {
    return policies_[i].start <= week && week <= policies_[i].end;
  }
  // What policy i commits in `week`: campaigns, grants and network costs spread evenly over their
  // weeks (exactly: the total in cents), procurement and in-kind support each week, equity in its
  // first week. Pay-per-use policies (incentives, barter support) commit nothing.
  std::int64_t scheduled_cents(std::size_t i, std::uint32_t week) const noexcept;
  // Spending committed from `week` (included) to the end.
  std::int64_t committed_from(std::uint32_t week) const noexcept;

  // The levers in force in `week`; incentives only if `incentives_funded`.
  CarpoolLevers levers(std::uint32_t week, bool incentives_funded) const;
  MarketLevers market_levers(std::uint32_t week) const;
  // The money policies bring to the economy in `week` (only to platforms still open), and what
  // each policy spends (by_policy, added to).
  EconomyLevers economy_levers(std::uint32_t week, const std::vector<std::uint8_t>& open, bool support_funded,
                               std::vector<std::int64_t>& by_policy) const;

 private:
  std::size_t zones_;
  std::size_t platforms_ = 0;
  std::vector<Resolved> policies_;
  std::vector<Resolved> shocks_;  // events that are not the authority's: no spending, no platform
};

}  // namespace coopterra
