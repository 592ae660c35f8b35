// carpool_incentive: the authority pays the driver a fixed amount per passenger trip, on a
// carpool platform, in the zones where it acts, while the budget leaves money for it.
#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

void levers(const PolicyWeek& w, Levers& l) {
  if (!w.incentives_funded) return;
  const std::size_t p = w.r.platform;
  if (l.incentive_cents[p].empty()) l.incentive_cents[p].assign(w.zones, 0);
  const std::int64_t amount = cents(w.spec().amount_eur);
  for (std::size_t z = 0; z < w.zones; ++z)
    if (w.r.in_zone[z]) l.incentive_cents[p][z] += amount;
  l.incentive_policies[p].push_back(w.index);
}

}  // namespace

const KindDef& carpool_incentive() {
  static const KindDef k{
      .id = PolicyKind::CarpoolIncentive,
      .key = "carpool_incentive",
      .shared = {"platform"},
      .fields = {required({.key = "amount_eur",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 100,
                           .unit = "EUR per passenger trip",
                           .description = "paid by the authority to the driver for each passenger trip",
                           .source = "local carpool subsidies, e.g. 2 EUR per passenger paid to the driver (facts.md)",
                           .field = [](PolicySpec& p) -> void* { return &p.amount_eur; }})},
      .pays_per_use = true,
      .levers = levers,
  };
  return k;
}

}  // namespace coopterra::policy
