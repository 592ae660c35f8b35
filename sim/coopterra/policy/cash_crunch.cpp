// cash_crunch (a shock): firms' costs up and their banks' credit lines cut, where and while it acts.
#include <algorithm>

#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

void levers(const PolicyWeek& w, Levers& l) {
  for (std::size_t z = 0; z < w.zones; ++z) {
    if (!w.r.in_zone[z]) continue;
    per_zone(l.extra_cost_share, w.zones, 0.0), per_zone(l.credit_share, w.zones, 1.0);
    l.extra_cost_share[z] = std::max(l.extra_cost_share[z], w.spec().extra_cost_share);
    l.credit_share[z] = std::min(l.credit_share[z], w.spec().credit_share);
  }
}

}  // namespace

const KindDef& cash_crunch() {
  static const KindDef k{
      .id = PolicyKind::CashCrunch,
      .key = "cash_crunch",
      .shock = true,
      .fields = {required({.key = "extra_cost_share",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 2,
                           .unit = "share of costs",
                           .description = "firms' costs up by this share (suppliers asking cash up front, prices)",
                           .source = "choice of the scenario (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.extra_cost_share; }}),
                 optional({.key = "credit_share",
                           .type = ParamType::Real,
                           .default_number = 0.0,
                           .min = 0,
                           .max = 1,
                           .unit = "share of the credit line",
                           .description = "share of the usual overdraft banks still grant",
                           .source = "choice of the scenario (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.credit_share; }})},
      .levers = levers,
  };
  return k;
}

}  // namespace coopterra::policy
