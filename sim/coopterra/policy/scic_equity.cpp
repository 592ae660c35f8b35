// scic_equity: capital the authority subscribes in each cooperative of a market at start_week; it
// gives the authority a member in the local authorities' college, and counts toward the SCIC law's
// cap (local authorities together hold at most 50 % of a SCIC's capital).
#include "coopterra/model/economy.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return week == s.start ? cents(p.equity_eur) * s.targets : 0;
}

void economy(const PolicyWeek& w, EconomyLevers& l, Spending spent) {
  if (w.scheduled == 0) return;
  const std::int64_t each = cents(w.spec().equity_eur);
  for (std::size_t q : open_targets(w)) l.equity_cents[q] += each, spent.by_policy += each;
}

}  // namespace

const KindDef& scic_equity() {
  static const KindDef k{
      .id = PolicyKind::ScicEquity,
      .key = "scic_equity",
      .shared = {"platform", "sector"},
      .fields = {required({.key = "equity_eur",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1e9,
                           .unit = "EUR",
                           .description = "capital the authority subscribes in each cooperative of the sector, at "
                                          "start_week",
                           .source = "SCIC law: local authorities together hold at most 50 % of the capital (facts.md)",
                           .field = [](PolicySpec& p) -> void* { return &p.equity_eur; }})},
      .targets = Targets::Sector,
      .scheduled = scheduled,
      .public_capital = [](const PolicySpec& p) { return p.equity_eur; },
      .validate = cooperative_of_market,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
