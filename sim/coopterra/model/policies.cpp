#include "coopterra/model/policies.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/error.hpp"

namespace coopterra {

namespace {

// The three communes INSEE divides into municipal arrondissements, and their codes' ranges.
struct ArrondissementCity {
  const char* code;
  const char* name;
  const char* first;
  const char* last;
};
constexpr ArrondissementCity kArrondissementCities[] = {{"75056", "Paris", "75101", "75120"},
                                                        {"69123", "Lyon", "69381", "69389"},
                                                        {"13055", "Marseille", "13201", "13216"}};

// The city a code is (its own code) or an arrondissement of; nullptr for any other code.
const ArrondissementCity* arrondissement_city(const std::string& code) {
  for (const auto& c : kArrondissementCities)
    if (code == c.code || (code.size() == 5 && code >= c.first && code <= c.last)) return &c;
  return nullptr;
}

}  // namespace

PolicyTimeline::PolicyTimeline(const Spec& spec, const Territory& t, const std::vector<PlatformInfo>& platforms,
                               const std::vector<Channel>& channels)
    : zones_(t.zones.size()), platforms_(platforms.size()), carpool_(carpool_platforms(platforms)) {
  std::vector<Diagnostic> problems;
  std::int64_t residents = 0;
  for (const std::int64_t people : t.zones.population) residents += people;
  const std::size_t events = spec.policies.size() + spec.shocks.size();
  for (std::size_t e = 0; e < events; ++e) {
    const bool shock = e >= spec.policies.size();
    const std::size_t i = shock ? e - spec.policies.size() : e;
    const PolicySpec& p = shock ? spec.shocks[i] : spec.policies[i];
    Resolved r{.spec = &p,
               .platform = carpool_target(platforms, p.platform),
               .start = p.start_week,
               .end = p.end_week == 0 ? spec.run.weeks : p.end_week};
    const std::string base = (shock ? "shocks[" : "policies[") + std::to_string(i + 1) + "]";
    const Location where{p.file, p.line, p.column, {}};
    r.in_zone.assign(zones_, p.zones.empty() && p.epcis.empty() ? 1 : 0);
    for (const auto& code : p.zones) {
      const auto it = std::find(t.zones.code.begin(), t.zones.code.end(), code);
      if (it != t.zones.code.end()) {
        r.in_zone[static_cast<std::size_t>(it - t.zones.code.begin())] = 1;
        continue;
      }
      // Paris, Lyon and Marseille as the selection reads them: a city kept as its arrondissements
      // is all of them; an arrondissement of a city kept whole is named by the city.
      const ArrondissementCity* city = arrondissement_city(code);
      bool found = false;
      if (city && code == city->code)
        for (std::size_t z = 0; z < zones_; ++z)
          if (arrondissement_city(t.zones.code[z]) == city && t.zones.code[z] != city->code)
            r.in_zone[z] = 1, found = true;
      if (found) continue;
      Location w = where;
      w.key = base + ".zones";
      const bool whole = city && std::find(t.zones.code.begin(), t.zones.code.end(), city->code) != t.zones.code.end();
      problems.push_back({w, whole ? "'" + code + "' is a municipal arrondissement of " + city->name + " (" +
                                         city->code + "), which this territory keeps whole: name " + city->code +
                                         ", or set territory.arrondissements = \"zones\""
                                   : "commune '" + code + "' is not in the territory (" + t.source + ")"});
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
    const KindDef& k = kind(p.id);
    if (p.id == PolicyKind::Crowdfunding && p.subscribers > residents) {
      Location w = where;
      w.key = base + ".subscribers";
      problems.push_back({w, std::to_string(p.subscribers) + " subscribers, more than the territory's " +
                                 std::to_string(residents) + " residents (" + t.source + ")"});
    }
    r.targets = targets_of(p, platforms);
    if (k.through_channel)
      for (std::size_t c = 0; c < channels.size(); ++c)
        if (!r.targets.empty() && channels[c].platform == r.targets.front()) r.channel = c;
    if (!shock) {
      r.first_flow = flows_.size();
      for (std::size_t q : r.targets)
        for (const FlowTemplate& f : k.flows)
          flows_.push_back(
              {p.label + ": " + f.name + ", " + platforms[q].sector + ": " + platforms[q].name, f.from, f.to, q});
      owed_.emplace_back(k.flows.empty() ? 0 : r.targets.size(), 0);
    }
    (shock ? shocks_ : policies_).push_back(std::move(r));
  }
  if (!problems.empty()) throw ConfigurationError(std::move(problems));
}

std::int64_t PolicyTimeline::scheduled_cents(std::size_t i, std::uint32_t week) const noexcept {
  const Resolved& r = policies_[i];
  const KindDef& k = kind(r.spec->id);
  if (!active(i, week) || !k.scheduled) return 0;
  return k.scheduled(*r.spec, Span{r.start, r.end, static_cast<std::int64_t>(r.targets.size())}, week);
}

std::int64_t PolicyTimeline::committed_from(std::uint32_t week) const noexcept {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < policies_.size(); ++i)
    for (std::int64_t w = std::max<std::int64_t>(week, policies_[i].start); w <= policies_[i].end; ++w)
      total += scheduled_cents(i, static_cast<std::uint32_t>(w));
  return total;
}

Levers PolicyTimeline::levers(std::uint32_t week, bool incentives_funded) const {
  Levers l(platforms_);
  for (std::size_t i = 0; i < shocks_.size(); ++i) {
    const Resolved& r = shocks_[i];
    const KindDef& k = kind(r.spec->id);
    if (week < r.start || week > r.end || !k.levers) continue;
    k.levers(at(r, i, week, 0), l);
  }
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const KindDef& k = kind(policies_[i].spec->id);
    if (!active(i, week) || !k.levers) continue;
    PolicyWeek w = at(policies_[i], i, week, 0);
    w.incentives_funded = incentives_funded;
    k.levers(w, l);
  }
  return l;
}

EconomyLevers PolicyTimeline::economy_levers(std::uint32_t week, const std::vector<std::uint8_t>& open,
                                             bool support_funded, std::vector<std::int64_t>& by_policy,
                                             std::int64_t& outside) const {
  EconomyLevers l;
  l.grant_cents.assign(platforms_, 0), l.equity_cents.assign(platforms_, 0), l.in_kind_cents.assign(platforms_, 0);
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const KindDef& k = kind(policies_[i].spec->id);
    if (!active(i, week) || !k.economy) continue;
    PolicyWeek w = at(policies_[i], i, week, scheduled_cents(i, week));
    w.support_funded = support_funded;
    w.open = &open;
    k.economy(w, l, Spending{by_policy[i], outside});
  }
  return l;
}

std::vector<std::int64_t> PolicyTimeline::finance(std::uint32_t week, Economy& economy,
                                                  std::vector<std::int64_t>& by_policy) {
  std::vector<std::int64_t> cents(flows_.size(), 0);
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const Resolved& r = policies_[i];
    const KindDef& k = kind(r.spec->id);
    if (!k.finance || week < r.start) continue;  // repayments outlive end_week
    PolicyWeek w = at(r, i, week, scheduled_cents(i, week));
    w.open = &economy.open();
    k.finance(w, economy, owed_[i], cents.data() + r.first_flow, by_policy[i]);
  }
  return cents;
}

bool PolicyTimeline::set_owed(std::vector<std::vector<std::int64_t>> owed) {
  bool same = owed.size() == owed_.size();
  for (std::size_t i = 0; same && i < owed.size(); ++i) same = owed[i].size() == owed_[i].size();
  if (same) owed_ = std::move(owed);
  return same;
}

void PolicyTimeline::attribute_barter_support(std::uint32_t week, std::int64_t cents,
                                              std::vector<std::int64_t>& by_policy) const {
  std::vector<std::size_t> ids;
  std::vector<double> weights;
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const KindDef& k = kind(policies_[i].spec->id);
    if (k.barter_support_weight && active(i, week))
      ids.push_back(i), weights.push_back(k.barter_support_weight(*policies_[i].spec));
  }
  const auto shares = allocate_proportionally(cents, weights);
  for (std::size_t k = 0; k < ids.size(); ++k) by_policy[ids[k]] += shares[k];
}

void PolicyTimeline::attribute_incentives(const Levers& levers, const CarpoolWeek& carpool,
                                          std::vector<std::int64_t>& by_policy) const {
  const std::size_t zones = zones_;
  for (std::size_t p = 0; p < carpool_.size(); ++p) {
    const auto& ids = levers.incentive_policies[carpool_[p]];
    if (ids.empty()) continue;
    std::vector<double> weights;
    for (std::size_t i : ids) {
      const auto& r = policies_[i];
      double w = 0;
      for (std::size_t z = 0; z < r.in_zone.size(); ++z)
        if (r.in_zone[z]) w += static_cast<double>(carpool.passengers_by_zone[p * zones + z]);
      weights.push_back(w * r.spec->amount_eur);
    }
    const auto shares = allocate_proportionally(carpool.incentive_cents[p], weights);
    for (std::size_t k = 0; k < ids.size(); ++k) by_policy[ids[k]] += shares[k];
  }
}

}  // namespace coopterra
