// in_kind: premises and staff the authority lends the cooperatives of a market, valued each week
// and shared among the cooperatives still open.
#include "coopterra/model/economy.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span&, std::int64_t) {
  return cents(p.weekly_eur);
}

void economy(const PolicyWeek& w, EconomyLevers& l, Spending spent) {
  share_among_open(w, l.in_kind_cents, spent);
}

}  // namespace

const KindDef& in_kind() {
  static const KindDef k{
      .id = PolicyKind::InKind,
      .key = "in_kind",
      .shared = {"platform", "sector", "weekly_eur"},
      .targets = Targets::Sector,
      .scheduled = scheduled,
      .validate = cooperative_of_market,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
