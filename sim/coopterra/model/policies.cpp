#include "coopterra/model/policies.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "coopterra/core/error.hpp"

namespace coopterra {

PolicyTimeline::PolicyTimeline(const Spec& spec, const Territory& t) : zones_(t.zones.size()) {
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
               0};
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
    if (p.kind == "awareness_campaign") {
      const auto total = static_cast<std::int64_t>(std::llround(p.cost_eur * 100.0));
      const std::int64_t weeks = std::max<std::int64_t>(1, r.end - r.start + 1);
      r.weekly_cost_cents = total / weeks;
      r.extra_cents_weeks = total % weeks;  // the first weeks pay one cent more
    }
    (shock ? shocks_ : policies_).push_back(std::move(r));
  }
  if (!problems.empty()) throw ConfigurationError(std::move(problems));
}

std::int64_t PolicyTimeline::campaign_cents(std::size_t i, std::uint32_t week) const noexcept {
  const Resolved& r = policies_[i];
  if (r.spec->kind != "awareness_campaign" || !active(i, week)) return 0;
  return r.weekly_cost_cents + (week - r.start < r.extra_cents_weeks ? 1 : 0);
}

std::int64_t PolicyTimeline::committed_from(std::uint32_t week) const noexcept {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < policies_.size(); ++i)
    for (std::int64_t w = std::max<std::int64_t>(week, policies_[i].start); w <= policies_[i].end; ++w)
      total += campaign_cents(i, static_cast<std::uint32_t>(w));
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
    } else if (s.kind == "awareness_campaign") {
      if (l.campaign_reach[p].empty()) l.campaign_reach[p].assign(zones_, 0.0);
      for (std::size_t z = 0; z < zones_; ++z)  // independent campaigns: 1 - (1 - a)(1 - b)
        if (r.in_zone[z]) l.campaign_reach[p][z] = 1.0 - (1.0 - l.campaign_reach[p][z]) * (1.0 - s.reach);
    } else if (s.kind == "platform_tax") {
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

}  // namespace coopterra
