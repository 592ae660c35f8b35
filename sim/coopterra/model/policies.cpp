#include "coopterra/model/policies.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "coopterra/core/error.hpp"

namespace coopterra {

PolicyTimeline::PolicyTimeline(const Spec& spec, const Territory& t, const std::vector<PlatformInfo>& platforms,
                               const std::vector<Channel>& channels)
    : zones_(t.zones.size()), platforms_(platforms.size()) {
  std::vector<Diagnostic> problems;
  const std::size_t events = spec.policies.size() + spec.shocks.size();
  for (std::size_t e = 0; e < events; ++e) {
    const bool shock = e >= spec.policies.size();
    const std::size_t i = shock ? e - spec.policies.size() : e;
    const PolicySpec& p = shock ? spec.shocks[i] : spec.policies[i];
    Resolved r{&p,
               p.platform == "incumbent" ? std::size_t{1} : std::size_t{0},
               {},
               p.start_week,
               p.end_week == 0 ? spec.run.weeks : p.end_week,
               0,
               0,
               {},
               static_cast<std::size_t>(-1)};
    const std::string base = (shock ? "shocks[" : "policies[") + std::to_string(i + 1) + "]";
    const Location where{p.file, p.line, p.column, {}};
    r.in_zone.assign(zones_, p.zones.empty() && p.epcis.empty() ? 1 : 0);
    for (const auto& code : p.zones) {
      const auto it = std::find(t.zones.code.begin(), t.zones.code.end(), code);
      if (it == t.zones.code.end()) {
        Location w = where;
        w.key = base + ".zones";
        problems.push_back({w, "commune '" + code + "' is not in the territory (" + t.source + ")"});
        continue;
      }
      r.in_zone[static_cast<std::size_t>(it - t.zones.code.begin())] = 1;
    }
    for (const auto& epci : p.epcis) {
      bool found = false;
      for (std::size_t z = 0; z < zones_; ++z)
        if (t.zones.epci_code[z] == epci) r.in_zone[z] = 1, found = true;
      if (!found) {
        Location w = where;
        w.key = base + ".epcis";
        problems.push_back({w, "no commune of EPCI '" + epci + "' in the territory (" + t.source + ")"});
      }
    }
    const bool supports_platform = p.kind == "grant" || p.kind == "scic_equity" || p.kind == "in_kind";
    if (p.sector != "carpool" || p.kind == "cooperative_network" || supports_platform) {
      const bool coop = p.platform == "cooperative";
      for (std::size_t q = 0; q < platforms.size(); ++q)
        if (p.kind == "cooperative_network" ? platforms[q].cooperative
                                            : platforms[q].sector == p.sector && platforms[q].cooperative == coop)
          r.targets.push_back(q);
      if (p.kind == "procurement")
        for (std::size_t c = 0; c < channels.size(); ++c)
          if (!r.targets.empty() && channels[c].platform == r.targets.front()) r.channel = c;
    }
    if (p.kind == "awareness_campaign" || p.kind == "grant" || p.kind == "cooperative_network") {
      const auto total = static_cast<std::int64_t>(std::llround(p.cost_eur * 100.0));
      const std::int64_t weeks = std::max<std::int64_t>(1, r.end - r.start + 1);
      r.weekly_cost_cents = total / weeks;
      r.extra_cents_weeks = total % weeks;  // the first weeks pay one cent more
    }
    (shock ? shocks_ : policies_).push_back(std::move(r));
  }
  if (!problems.empty()) throw ConfigurationError(std::move(problems));
}

std::int64_t PolicyTimeline::scheduled_cents(std::size_t i, std::uint32_t week) const noexcept {
  const Resolved& r = policies_[i];
  if (!active(i, week)) return 0;
  const std::string& kind = r.spec->kind;
  if (kind == "awareness_campaign" || kind == "grant" || kind == "cooperative_network")
    return r.weekly_cost_cents + (week - r.start < r.extra_cents_weeks ? 1 : 0);
  if (kind == "procurement" || kind == "in_kind") return std::llround(r.spec->weekly_eur * 100.0);
  if (kind == "scic_equity" && week == r.start)
    return std::llround(r.spec->equity_eur * 100.0) * static_cast<std::int64_t>(r.targets.size());
  return 0;
}

std::int64_t PolicyTimeline::committed_from(std::uint32_t week) const noexcept {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < policies_.size(); ++i)
    for (std::int64_t w = std::max<std::int64_t>(week, policies_[i].start); w <= policies_[i].end; ++w)
      total += scheduled_cents(i, static_cast<std::uint32_t>(w));
  return total;
}

CarpoolLevers PolicyTimeline::levers(std::uint32_t week, bool incentives_funded) const {
  CarpoolLevers l;
  // Shocks: a lockdown cuts commuting and may forbid sharing a car, where and while it acts.
  for (const Resolved& r : shocks_) {
    if (week < r.start || week > r.end || r.spec->kind != "lockdown") continue;
    if (l.commuting_share.empty()) l.commuting_share.assign(zones_, 1.0), l.carpool_banned.assign(zones_, 0);
    for (std::size_t z = 0; z < zones_; ++z)
      if (r.in_zone[z]) {
        l.commuting_share[z] = std::min(l.commuting_share[z], r.spec->commuting_share);
        if (!r.spec->carpooling_allowed) l.carpool_banned[z] = 1;
      }
  }
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (!active(i, week)) continue;
    const Resolved& r = policies_[i];
    const std::size_t p = r.platform;
    const PolicySpec& s = *r.spec;
    if (s.kind == "carpool_incentive" && incentives_funded) {
      if (l.incentive_cents[p].empty()) l.incentive_cents[p].assign(zones_, 0);
      const auto cents = static_cast<std::int64_t>(std::llround(s.amount_eur * 100.0));
      for (std::size_t z = 0; z < zones_; ++z)
        if (r.in_zone[z]) l.incentive_cents[p][z] += cents;
      l.incentive_policies[p].push_back(i);
    } else if (s.kind == "awareness_campaign" && s.sector == "carpool") {
      if (l.campaign_reach[p].empty()) l.campaign_reach[p].assign(zones_, 0.0);
      for (std::size_t z = 0; z < zones_; ++z)  // independent campaigns: 1 - (1 - a)(1 - b)
        if (r.in_zone[z]) l.campaign_reach[p][z] = 1.0 - (1.0 - l.campaign_reach[p][z]) * (1.0 - s.reach);
    } else if (s.kind == "platform_tax" && s.sector == "carpool") {
      if (l.tax_rate[p].empty()) l.tax_rate[p].assign(zones_, 0.0), l.pass_through[p].assign(zones_, 0.0);
      for (std::size_t z = 0; z < zones_; ++z)
        if (r.in_zone[z]) {
          l.tax_rate[p][z] = std::min(1.0, l.tax_rate[p][z] + s.rate);
          l.pass_through[p][z] = std::max(l.pass_through[p][z], s.pass_through);
        }
    }
  }
  return l;
}

MarketLevers PolicyTimeline::market_levers(std::uint32_t week) const {
  MarketLevers l;
  l.campaign_reach.assign(platforms_, {}), l.tax_rate.assign(platforms_, {}), l.pass_through.assign(platforms_, {});
  auto per_zone = [&](auto& v, auto init) {
    if (v.empty()) v.assign(zones_, init);
  };
  for (const Resolved& r : shocks_) {
    if (week < r.start || week > r.end) continue;
    const PolicySpec& s = *r.spec;
    for (std::size_t z = 0; z < zones_; ++z) {
      if (!r.in_zone[z]) continue;
      if (s.kind == "lockdown") {
        per_zone(l.restaurants_closed, std::uint8_t{0}), per_zone(l.travel_banned, std::uint8_t{0});
        per_zone(l.delivery_factor, 1.0), per_zone(l.offline_penalty, 0.0);
        if (s.restaurants_closed) l.restaurants_closed[z] = 1;
        if (!s.travel_allowed) l.travel_banned[z] = 1;
        l.delivery_factor[z] = std::max(l.delivery_factor[z], s.delivery_demand_factor);
        l.offline_penalty[z] = std::max(l.offline_penalty[z], s.offline_penalty);
      } else if (s.kind == "cash_crunch") {
        per_zone(l.extra_cost_share, 0.0), per_zone(l.credit_share, 1.0);
        l.extra_cost_share[z] = std::max(l.extra_cost_share[z], s.extra_cost_share);
        l.credit_share[z] = std::min(l.credit_share[z], s.credit_share);
      }
    }
  }
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (!active(i, week)) continue;
    const Resolved& r = policies_[i];
    const PolicySpec& s = *r.spec;
    if (s.kind == "cooperative_network") {
      l.cross_reach = 1.0 - (1.0 - l.cross_reach) * (1.0 - s.cross_reach);
      l.pooled_share = std::max(l.pooled_share, s.pooled_share);
      continue;
    }
    if (s.sector == "carpool") continue;
    for (std::size_t q : r.targets) {
      if (s.kind == "awareness_campaign") {
        per_zone(l.campaign_reach[q], 0.0);
        for (std::size_t z = 0; z < zones_; ++z)
          if (r.in_zone[z]) l.campaign_reach[q][z] = 1.0 - (1.0 - l.campaign_reach[q][z]) * (1.0 - s.reach);
      } else if (s.kind == "platform_tax") {
        per_zone(l.tax_rate[q], 0.0), per_zone(l.pass_through[q], 0.0);
        for (std::size_t z = 0; z < zones_; ++z)
          if (r.in_zone[z]) {
            l.tax_rate[q][z] = std::min(1.0, l.tax_rate[q][z] + s.rate);
            l.pass_through[q][z] = std::max(l.pass_through[q][z], s.pass_through);
          }
      }
    }
  }
  return l;
}

EconomyLevers PolicyTimeline::economy_levers(std::uint32_t week, const std::vector<std::uint8_t>& open,
                                             bool support_funded, std::vector<std::int64_t>& by_policy) const {
  EconomyLevers l;
  l.grant_cents.assign(platforms_, 0), l.equity_cents.assign(platforms_, 0), l.in_kind_cents.assign(platforms_, 0);
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (!active(i, week)) continue;
    const Resolved& r = policies_[i];
    const PolicySpec& s = *r.spec;
    if (s.kind == "barter_support") {
      if (!support_funded) continue;
      l.barter_fee_share = std::min(1.0, l.barter_fee_share + s.fee_share);
      l.barter_join_multiplier = std::max(l.barter_join_multiplier, s.join_multiplier);
      continue;
    }
    const std::int64_t amount = scheduled_cents(i, week);
    if (amount == 0) continue;
    if (s.kind == "cooperative_network") {
      by_policy[i] += amount;  // paid to the network's shared services, outside the platforms' books
      continue;
    }
    // Campaigns are paid outside (media, printing: accounted by the simulation), not to platforms.
    if (s.kind != "procurement" && s.kind != "grant" && s.kind != "in_kind" && s.kind != "scic_equity") continue;
    std::vector<std::size_t> open_targets;
    for (std::size_t q : r.targets)
      if (open[q]) open_targets.push_back(q);
    if (open_targets.empty()) continue;  // nothing is paid to a closed platform
    if (s.kind == "procurement") {
      if (r.channel == static_cast<std::size_t>(-1)) continue;
      l.procurement.emplace_back(r.channel, amount);
      by_policy[i] += amount;
      continue;
    }
    // Grants and in-kind support are shared among the open cooperatives; equity goes to each.
    auto& to = s.kind == "grant" ? l.grant_cents : s.kind == "in_kind" ? l.in_kind_cents : l.equity_cents;
    if (s.kind == "scic_equity") {
      const std::int64_t each = std::llround(s.equity_eur * 100.0);
      for (std::size_t q : open_targets) to[q] += each, by_policy[i] += each;
    } else {
      const auto count = static_cast<std::int64_t>(open_targets.size());
      for (std::size_t k = 0; k < open_targets.size(); ++k)
        to[open_targets[k]] += amount / count + (static_cast<std::int64_t>(k) < amount % count ? 1 : 0);
      by_policy[i] += amount;
    }
  }
  return l;
}

}  // namespace coopterra
