// awareness_campaign: media and field campaigns making unaware residents aware of a platform,
// paid outside the territory, its cost spread evenly over its weeks.
#include "coopterra/model/economy.hpp"
#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return spread(cents(p.cost_eur), s, week);
}

// Independent campaigns: 1 - (1 - a)(1 - b).
void add_reach(std::vector<double>& reach, const PolicyWeek& w) {
  per_zone(reach, w.zones, 0.0);
  for (std::size_t z = 0; z < w.zones; ++z)
    if (w.r.in_zone[z]) reach[z] = 1.0 - (1.0 - reach[z]) * (1.0 - w.spec().reach);
}

// On a carpool platform (r.platform) or on the market platforms it targets.
void levers(const PolicyWeek& w, Levers& l) {
  if (w.spec().sector == "carpool") return add_reach(l.campaign_reach[w.r.platform], w);
  for (std::size_t q : w.r.targets) add_reach(l.campaign_reach[q], w);
}

// Paid outside (media, printing), not to platforms.
void economy(const PolicyWeek& w, EconomyLevers&, Spending spent) {
  spent.by_policy += w.scheduled;
  spent.outside += w.scheduled;
}

}  // namespace

const KindDef& awareness_campaign() {
  static const KindDef k{
      .id = PolicyKind::AwarenessCampaign,
      .key = "awareness_campaign",
      .shared = {"platform", "sector", "cost_eur"},
      .fields = {required(
          {.key = "reach",
           .type = ParamType::Real,
           .min = 0,
           .max = 1,
           .unit = "share per week",
           .description = "share of the residents unaware of the platform that the campaign makes aware each week",
           .source = "assumption: to be calibrated on campaign evaluations",
           .field = [](PolicySpec& p) -> void* { return &p.reach; }})},
      .targets = Targets::MarketSector,
      .scheduled = scheduled,
      .validate = platform_exists_unless_carpool,
      .levers = levers,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
