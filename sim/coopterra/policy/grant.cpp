// grant: money the authority gives the cooperatives of a market, its total spread evenly over its
// weeks and shared among the cooperatives still open.
#include "coopterra/model/economy.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return spread(cents(p.cost_eur), s, week);
}

void economy(const PolicyWeek& w, EconomyLevers& l, Spending spent) {
  share_among_open(w, l.grant_cents, spent);
}

}  // namespace

const KindDef& grant() {
  static const KindDef k{
      .id = PolicyKind::Grant,
      .key = "grant",
      .shared = {"platform", "sector", "cost_eur"},
      .targets = Targets::Sector,
      .scheduled = scheduled,
      .validate = cooperative_of_market,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
