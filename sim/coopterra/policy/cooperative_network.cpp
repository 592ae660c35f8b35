// cooperative_network: the authority funds a network of the territory's cooperatives: shared
// services pool part of their running costs, a common banner makes each known to the others'
// users. Its cost is paid to the network's services, outside the platforms' books.
#include <algorithm>

#include "coopterra/model/levers.hpp"
#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

namespace {

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return spread(cents(p.cost_eur), s, week);
}

void levers(const PolicyWeek& w, Levers& l) {
  l.cross_reach = 1.0 - (1.0 - l.cross_reach) * (1.0 - w.spec().cross_reach);
  l.pooled_share = std::max(l.pooled_share, w.spec().pooled_share);
}

void economy(const PolicyWeek& w, EconomyLevers&, Spending spent) {
  spent.by_policy += w.scheduled;
  spent.outside += w.scheduled;
}

}  // namespace

const KindDef& cooperative_network() {
  static const KindDef k{
      .id = PolicyKind::CooperativeNetwork,
      .key = "cooperative_network",
      .shared = {"cost_eur"},
      .fields = {required({.key = "pooled_share",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 0.9,
                           .unit = "share of fixed costs",
                           .description = "share of every cooperative's running costs the network pools away "
                                          "(shared services)",
                           .source = "assumption: pooled accounting, software and communication (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.pooled_share; }}),
                 optional({.key = "cross_reach",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1,
                           .unit = "share per week",
                           .description = "weekly share of the residents aware of one cooperative who learn of the "
                                          "others (common banner)",
                           .source = "assumption: cross-promotion under a common banner (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.cross_reach; }})},
      .targets = Targets::Cooperatives,
      .scheduled = scheduled,
      .levers = levers,
      .economy = economy,
  };
  return k;
}

}  // namespace coopterra::policy
