// lockdown (a shock): commuting cut, car sharing possibly forbidden, restaurants closed, delivery
// demand up, shopping in person penalised, leisure travel possibly banned, where and while it acts.
#include <algorithm>

#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

void levers(const PolicyWeek& w, Levers& l) {
  const PolicySpec& s = w.spec();
  if (l.commuting_share.empty()) l.commuting_share.assign(w.zones, 1.0), l.carpool_banned.assign(w.zones, 0);
  for (std::size_t z = 0; z < w.zones; ++z)
    if (w.r.in_zone[z]) {
      l.commuting_share[z] = std::min(l.commuting_share[z], s.commuting_share);
      if (!s.carpooling_allowed) l.carpool_banned[z] = 1;
    }
  for (std::size_t z = 0; z < w.zones; ++z) {
    if (!w.r.in_zone[z]) continue;
    per_zone(l.restaurants_closed, w.zones, std::uint8_t{0}), per_zone(l.travel_banned, w.zones, std::uint8_t{0});
    per_zone(l.delivery_factor, w.zones, 1.0), per_zone(l.offline_penalty, w.zones, 0.0);
    if (s.restaurants_closed) l.restaurants_closed[z] = 1;
    if (!s.travel_allowed) l.travel_banned[z] = 1;
    l.delivery_factor[z] = std::max(l.delivery_factor[z], s.delivery_demand_factor);
    l.offline_penalty[z] = std::max(l.offline_penalty[z], s.offline_penalty);
  }
}

}  // namespace

const KindDef& lockdown() {
  static const KindDef k{
      .id = PolicyKind::Lockdown,
      .key = "lockdown",
      .shock = true,
      .fields =
          {required({.key = "commuting_share",
                     .type = ParamType::Real,
                     .default_number = 1.0,
                     .min = 0,
                     .max = 1,
                     .unit = "share of trips",
                     .description = "share of commuting trips still made (telework, closures)",
                     .source = "choice of the scenario; the spring 2020 lockdown roughly halved commuting in France "
                               "(est.)",
                     .field = [](PolicySpec& p) -> void* { return &p.commuting_share; }}),
           optional({.key = "carpooling_allowed",
                     .type = ParamType::Boolean,
                     .default_number = 1.0,
                     .min = 0,
                     .max = 1,
                     .description = "whether health rules let people share a car",
                     .source = "choice of the scenario",
                     .field = [](PolicySpec& p) -> void* { return &p.carpooling_allowed; }}),
           optional({.key = "restaurants_closed",
                     .type = ParamType::Boolean,
                     .default_number = 1.0,
                     .min = 0,
                     .max = 1,
                     .description = "whether restaurants are closed to customers (delivery stays possible)",
                     .source = "French lockdowns of 2020 (choice of the scenario)",
                     .field = [](PolicySpec& p) -> void* { return &p.restaurants_closed; }}),
           optional({.key = "delivery_demand_factor",
                     .type = ParamType::Real,
                     .default_number = 1.5,
                     .min = 0,
                     .max = 10,
                     .unit = "times",
                     .description = "meal delivery needs multiplied",
                     .source = "assumption: delivery demand surged in lockdowns (mission.md, est.)",
                     .field = [](PolicySpec& p) -> void* { return &p.delivery_demand_factor; }}),
           optional({.key = "offline_penalty",
                     .type = ParamType::Real,
                     .default_number = 0.5,
                     .min = 0,
                     .max = 20,
                     .unit = "utility",
                     .description = "utility lost by shopping in person, so that short circuits and delivery gain",
                     .source = "assumption: short-circuit demand rose in lockdowns (mission.md, est.)",
                     .field = [](PolicySpec& p) -> void* { return &p.offline_penalty; }}),
           optional({.key = "travel_allowed",
                     .type = ParamType::Boolean,
                     .default_number = 0.0,
                     .min = 0,
                     .max = 1,
                     .description = "whether residents may travel for leisure",
                     .source = "French lockdowns of 2020 (choice of the scenario)",
                     .field = [](PolicySpec& p) -> void* { return &p.travel_allowed; }})},
      .levers = levers,
  };
  return k;
}

}  // namespace coopterra::policy
