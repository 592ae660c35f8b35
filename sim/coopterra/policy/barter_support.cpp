// barter_support: the authority pays a share of firms' membership fees of the barter cooperative,
// which makes joining likelier, while the budget leaves money for it.
#include <algorithm>

#include "coopterra/model/economy.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

void economy(const PolicyWeek& w, EconomyLevers& l, Spending) {
  if (!w.support_funded) return;
  l.barter_fee_share = std::min(1.0, l.barter_fee_share + w.spec().fee_share);
  l.barter_join_multiplier = std::max(l.barter_join_multiplier, w.spec().join_multiplier);
}

}  // namespace

const KindDef& barter_support() {
  static const KindDef k{
      .id = PolicyKind::BarterSupport,
      .key = "barter_support",
      .fields = {required({.key = "fee_share",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1,
                           .unit = "share of the fee",
                           .description = "share of a firm's barter membership fee the authority pays",
                           .source = "choice of the authority",
                           .field = [](PolicySpec& p) -> void* { return &p.fee_share; }}),
                 optional({.key = "join_multiplier",
                           .type = ParamType::Real,
                           .default_number = 1.0,
                           .min = 1,
                           .max = 100,
                           .unit = "times",
                           .description = "joining the barter network is this many times likelier with the support",
                           .source = "assumption: to be calibrated on uptake of supported memberships (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.join_multiplier; }})},
      .pays_per_use = true,
      .economy = economy,
      .barter_support_weight = [](const PolicySpec& p) { return p.fee_share; },
  };
  return k;
}

}  // namespace coopterra::policy
