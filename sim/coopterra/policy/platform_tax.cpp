// platform_tax: a tax on a platform's commission revenue earned in the territory, partly passed
// on to users through its commission.
#include <algorithm>

#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

void add_tax(std::vector<double>& rate, std::vector<double>& pass_through, const PolicyWeek& w) {
  if (rate.empty()) rate.assign(w.zones, 0.0), pass_through.assign(w.zones, 0.0);
  for (std::size_t z = 0; z < w.zones; ++z)
    if (w.r.in_zone[z]) {
      rate[z] = std::min(1.0, rate[z] + w.spec().rate);
      pass_through[z] = std::max(pass_through[z], w.spec().pass_through);
    }
}

// On a carpool platform (r.platform) or on the market platforms it targets.
void levers(const PolicyWeek& w, Levers& l) {
  if (w.spec().sector == "carpool") return add_tax(l.tax_rate[w.r.platform], l.pass_through[w.r.platform], w);
  for (std::size_t q : w.r.targets) add_tax(l.tax_rate[q], l.pass_through[q], w);
}

}  // namespace

const KindDef& platform_tax() {
  static const KindDef k{
      .id = PolicyKind::PlatformTax,
      .key = "platform_tax",
      .shared = {"platform", "sector"},
      .fields = {required({.key = "rate",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1,
                           .unit = "share of commissions",
                           .description = "tax on the platform's commission revenue earned in the territory",
                           .source = "choice of the authority",
                           .field = [](PolicySpec& p) -> void* { return &p.rate; }}),
                 optional({.key = "pass_through",
                           .type = ParamType::Real,
                           .default_number = 1.0,
                           .min = 0,
                           .max = 1,
                           .unit = "share",
                           .description = "share of the tax the platform passes on to users by raising its commission",
                           .source = "assumption: full pass-through (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.pass_through; }})},
      .targets = Targets::MarketSector,
      .validate = platform_exists_unless_carpool,
      .levers = levers,
  };
  return k;
}

}  // namespace coopterra::policy
