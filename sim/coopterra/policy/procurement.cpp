// procurement: the authority buys each week through a platform of a market (canteens, services),
// paying its sellers and its fees.
#include "coopterra/model/economy.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span&, std::int64_t) {
  return cents(p.weekly_eur);
}

void economy(const PolicyWeek& w, EconomyLevers& l, Spending spent) {
  if (w.scheduled == 0 || open_targets(w).empty() || w.r.channel == kNoIndex) return;
  l.procurement.emplace_back(w.r.channel, w.scheduled);
  spent.by_policy += w.scheduled;
}

void validate(KindCheck& c) {
  if (!sector_written(c)) return;
  if (c.policy.sector == "carpool" || c.policy.sector == "barter")
    c.error("sector", false,
            "procurement buys through the platforms of a market: set sector to one of food, delivery, "
            "electronics, second_hand, services or tourism");
  else
    platform_exists(c);
}

}  // namespace

const KindDef& procurement() {
  static const KindDef k{
      .id = PolicyKind::Procurement,
      .key = "procurement",
      .shared = {"platform", "sector", "weekly_eur"},
      .targets = Targets::MarketSector,
      .through_channel = true,
      .scheduled = scheduled,
      .validate = validate,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
