// The list of kinds of the timeline, the fields they share, and what the kinds' definitions use.
#include <algorithm>
#include <cmath>

#include "coopterra/core/error.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/policy/kind.hpp"
#include "coopterra/scenario/scenario.hpp"

namespace coopterra {

namespace policy {
// One function per kind, each in its own file.
const KindDef& carpool_incentive();
const KindDef& awareness_campaign();
const KindDef& platform_tax();
const KindDef& grant();
const KindDef& scic_equity();
const KindDef& procurement();
const KindDef& cooperative_network();
const KindDef& in_kind();
const KindDef& barter_support();
const KindDef& loan();
const KindDef& quasi_equity();
const KindDef& crowdfunding();
const KindDef& lockdown();
const KindDef& cash_crunch();
}  // namespace policy

const std::vector<const KindDef*>& kinds() {
  using namespace policy;
  static const std::vector<const KindDef*> all = [] {
    std::vector<const KindDef*> k = {
        &carpool_incentive(), &awareness_campaign(),  &platform_tax(), &grant(),          &scic_equity(),
        &procurement(),       &cooperative_network(), &in_kind(),      &barter_support(), &loan(),
        &quasi_equity(),      &crowdfunding(),        &lockdown(),     &cash_crunch()};
    for (std::size_t i = 0; i < k.size(); ++i)
      ensure(static_cast<std::size_t>(k[i]->id) == i, "policy kinds: listed out of the order of PolicyKind");
    return k;
  }();
  return all;
}

const KindDef& kind(PolicyKind id) {
  return *kinds()[static_cast<std::size_t>(id)];
}

const KindDef* find_kind(const std::string& key) {
  for (const KindDef* k : kinds())
    if (key == k->key) return k;
  return nullptr;
}

const std::vector<std::string>& policy_kinds() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> k;
    for (const KindDef* d : kinds())
      if (!d->shock) k.emplace_back(d->key);
    return k;
  }();
  return out;
}

const std::vector<std::string>& shock_kinds() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> k;
    for (const KindDef* d : kinds())
      if (d->shock) k.emplace_back(d->key);
    return k;
  }();
  return out;
}

namespace {

using policy::optional;
using policy::required;
#define COOP_POLICY_FIELD(member) [](PolicySpec& p) -> void* { return &p.member; }

// Fields every kind takes.
std::vector<PolicyParameter> common_fields() {
  return {
      required({.key = "kind",
                .type = ParamType::String,
                .description = "the kind of policy",
                .source = "coopterra",
                .field = COOP_POLICY_FIELD(kind)}),
      optional({.key = "label",
                .type = ParamType::String,
                .description = "name shown in results (default: the kind and its rank)",
                .source = "label only",
                .field = COOP_POLICY_FIELD(label)}),
      optional({.key = "start_week",
                .type = ParamType::Integer,
                .default_number = 1,
                .min = 1,
                .max = 5200,
                .unit = "week",
                .description = "first week the policy acts",
                .source = "choice of the authority",
                .field = COOP_POLICY_FIELD(start_week)}),
      optional({.key = "end_week",
                .type = ParamType::Integer,
                .min = 0,
                .max = 5200,
                .unit = "week",
                .description = "last week the policy acts (0: until the end of the run)",
                .source = "choice of the authority",
                .field = COOP_POLICY_FIELD(end_week)}),
      optional({.key = "zones",
                .type = ParamType::StringList,
                .description = "communes (INSEE or zone codes) where it acts",
                .source = "choice of the authority; none and no epcis: everywhere",
                .field = COOP_POLICY_FIELD(zones)}),
      optional({.key = "epcis",
                .type = ParamType::StringList,
                .description = "intercommunalities (EPCI codes) where it acts",
                .source = "choice of the authority",
                .field = COOP_POLICY_FIELD(epcis)}),
  };
}

// Fields some kinds share (each kind lists those it takes in KindDef::shared).
std::vector<PolicyParameter> shared_fields() {
  std::vector<std::string> sectors = {"carpool"};
  for (std::size_t m = 0; m < kMarkets; ++m) sectors.emplace_back(market_key(m));
  sectors.emplace_back("barter");
  return {
      required({.key = "platform",
                .type = ParamType::String,
                .description = "the platform concerned: cooperative or incumbent (carpooling: also the key of a "
                               "platform of [[carpool.platforms]], or its first of that kind)",
                .source = "choice of the authority",
                .field = COOP_POLICY_FIELD(platform)}),
      optional({.key = "sector",
                .type = ParamType::String,
                .default_text = "carpool",
                .choices = sectors,
                .description = "the market the policy acts on",
                .source = "choice of the authority",
                .field = COOP_POLICY_FIELD(sector)}),
      required({.key = "cost_eur",
                .type = ParamType::Real,
                .min = 0,
                .max = 1e9,
                .unit = "EUR",
                .description = "total cost, spread evenly over its weeks",
                .source = "the authority's budget line",
                .field = COOP_POLICY_FIELD(cost_eur)}),
      required({.key = "weekly_eur",
                .type = ParamType::Real,
                .min = 0,
                .max = 1e8,
                .unit = "EUR/week",
                .description = "spent each week the policy acts (procurement: purchases through the channel; in_kind: "
                               "value of premises and staff lent)",
                .source = "choice of the authority; e.g. 50 MEUR of France Relance for small communes' canteens "
                          "(facts.md)",
                .field = COOP_POLICY_FIELD(weekly_eur)}),
      required({.key = "annual_rate",
                .type = ParamType::Real,
                .min = 0,
                .max = 0.25,
                .unit = "share per year",
                .description = "interest (loan) or fixed remuneration (quasi_equity) per year on what is owed",
                .source = "assumption: 1-4 % a year, the range of solidarity and public development loans to social "
                          "economy enterprises (France Active, Bpifrance prets d'honneur and participatifs; facts.md "
                          "gives no rate, est.)",
                .field = COOP_POLICY_FIELD(annual_rate)}),
      optional({.key = "instalments_per_year",
                .type = ParamType::Integer,
                .default_number = 12,
                .min = 1,
                .max = 52,
                .unit = "per year",
                .description = "instalments a year: 12 monthly, 4 quarterly, 52 weekly; instalment k falls "
                               "floor(52 k / instalments_per_year) weeks after the start",
                .source = "assumption: monthly instalments, the usual schedule of bank and solidarity loans (est.)",
                .field = COOP_POLICY_FIELD(instalments_per_year)}),
      required({.key = "instalments",
                .type = ParamType::Integer,
                .min = 1,
                .max = 1200,
                .unit = "instalment",
                .description = "loan: repayment instalments after the grace period; quasi_equity: remuneration dates, "
                               "the nominal redeemed at the last",
                .source = "choice of the authority; e.g. 60 monthly instalments for a 5-year loan",
                .field = COOP_POLICY_FIELD(instalments)}),
  };
}

#undef COOP_POLICY_FIELD

}  // namespace

const std::vector<PolicyParameter>& policy_parameters() {
  static const std::vector<PolicyParameter> fields = [] {
    std::vector<PolicyParameter> out = common_fields();
    for (auto& f : shared_fields()) {
      for (const KindDef* k : kinds())
        if (std::find(k->shared.begin(), k->shared.end(), f.key) != k->shared.end()) f.kinds.emplace_back(k->key);
      ensure(!f.kinds.empty(), "policy field '" + f.key + "' is shared by no kind");
      out.push_back(std::move(f));
    }
    for (const KindDef* k : kinds())
      for (const auto& s : k->shared)
        ensure(std::any_of(out.begin(), out.end(), [&](const PolicyParameter& f) { return f.key == s; }),
               std::string("policy kind ") + k->key + " takes an unknown shared field " + s);
    for (const KindDef* k : kinds())
      for (PolicyParameter f : k->fields) {
        ensure(std::none_of(out.begin(), out.end(), [&](const PolicyParameter& g) { return g.key == f.key; }),
               "policy field '" + f.key + "' defined twice: share it (policy/kinds.cpp)");
        f.kinds = {k->key};
        out.push_back(std::move(f));
      }
    // The order fields are listed in (resolved scenarios kept in results, docs/parameters.md): the
    // fields of the first kinds as they always were, so that results do not change; later fields
    // follow in the order of the kinds.
    static const char* const kFirst[] = {"kind",
                                         "label",
                                         "start_week",
                                         "end_week",
                                         "zones",
                                         "epcis",
                                         "platform",
                                         "amount_eur",
                                         "reach",
                                         "cost_eur",
                                         "rate",
                                         "commuting_share",
                                         "carpooling_allowed",
                                         "sector",
                                         "equity_eur",
                                         "weekly_eur",
                                         "pooled_share",
                                         "cross_reach",
                                         "fee_share",
                                         "join_multiplier",
                                         "restaurants_closed",
                                         "delivery_demand_factor",
                                         "offline_penalty",
                                         "travel_allowed",
                                         "extra_cost_share",
                                         "credit_share",
                                         "pass_through"};
    auto rank = [](const PolicyParameter& f) {
      const auto it = std::find_if(std::begin(kFirst), std::end(kFirst), [&](const char* k) { return f.key == k; });
      return static_cast<std::size_t>(it - std::begin(kFirst));
    };
    std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    return out;
  }();
  return fields;
}

std::vector<const PolicyParameter*> policy_parameters_of(const std::string& kind) {
  std::vector<const PolicyParameter*> out;
  for (const auto& p : policy_parameters())
    if (p.kinds.empty() || std::find(p.kinds.begin(), p.kinds.end(), kind) != p.kinds.end()) out.push_back(&p);
  return out;
}

std::vector<std::size_t> targets_of(const PolicySpec& p, const std::vector<PlatformInfo>& platforms) {
  std::vector<std::size_t> out;
  const Targets t = kind(p.id).targets;
  if (t == Targets::None || (t == Targets::MarketSector && p.sector == "carpool")) return out;
  if (t != Targets::Cooperatives && p.sector == "carpool") {  // one carpool platform: by key or kind
    for (std::size_t q = 0; q < platforms.size(); ++q)
      if (platforms[q].sector == "carpool" && platforms[q].key == p.platform) return {q};
    for (std::size_t q = 0; q < platforms.size(); ++q)
      if (platforms[q].sector == "carpool" && platforms[q].cooperative == (p.platform == "cooperative")) return {q};
    return out;
  }
  const bool coop = p.platform == "cooperative";
  for (std::size_t q = 0; q < platforms.size(); ++q)
    if (t == Targets::Cooperatives ? platforms[q].cooperative
                                   : platforms[q].sector == p.sector && platforms[q].cooperative == coop)
      out.push_back(q);
  return out;
}

std::int64_t committed_cents(const PolicySpec& p, const Spec& spec) {
  const KindDef& k = kind(p.id);
  if (!k.scheduled) return 0;
  const Span s{p.start_week, p.end_week == 0 ? spec.run.weeks : p.end_week,
               static_cast<std::int64_t>(targets_of(p, list_platforms(spec)).size())};
  std::int64_t total = 0;
  for (std::int64_t w = s.start; w <= s.end; ++w) total += k.scheduled(p, s, w);
  return total;
}

namespace policy {

std::int64_t cents(double eur) {
  return std::llround(eur * 100.0);
}

std::int64_t spread(std::int64_t total, const Span& s, std::int64_t week) {
  const std::int64_t weeks = std::max<std::int64_t>(1, s.end - s.start + 1);
  return total / weeks + (week - s.start < total % weeks ? 1 : 0);
}

bool sector_written(KindCheck& c) {
  if (c.written("sector")) return true;
  c.error("sector", true,
          std::string("a ") + c.policy.kind +
              " needs sector (the market of the platform: carpool, food, delivery, electronics, second_hand, "
              "services, tourism or barter)");
  return false;
}

void platform_exists(KindCheck& c) {
  const MarketPlatformSpec* platform = market_platform(c.spec, c.policy.sector, c.policy.platform);
  if (!platform || platform->count == 0)
    c.error("platform", false,
            "the " + c.policy.sector + " market has no " + c.policy.platform + " platform (its count is 0)");
}

void supports_cooperative(KindCheck& c) {
  const auto carpool = c.policy.sector == "carpool" ? carpool_platform_named(c.spec, c.policy.platform) : std::nullopt;
  if (c.policy.platform != "cooperative" && !(carpool && carpool->cooperative))
    c.error("platform", false, "a " + c.policy.kind + " supports a cooperative: set platform = \"cooperative\"");
}

void platform_exists_unless_carpool(KindCheck& c) {
  if (c.policy.sector != "carpool") platform_exists(c);
}

void cooperative_of_market(KindCheck& c) {
  if (sector_written(c)) platform_exists(c);
  supports_cooperative(c);
}

std::vector<std::size_t> open_targets(const PolicyWeek& w) {
  std::vector<std::size_t> out;
  for (std::size_t q : w.r.targets)
    if ((*w.open)[q]) out.push_back(q);
  return out;
}

void share_among_open(const PolicyWeek& w, std::vector<std::int64_t>& to, Spending spent) {
  if (w.scheduled == 0) return;
  const auto open = open_targets(w);
  if (open.empty()) return;  // nothing is paid to a closed platform
  const auto count = static_cast<std::int64_t>(open.size());
  for (std::size_t k = 0; k < open.size(); ++k)
    to[open[k]] += w.scheduled / count + (static_cast<std::int64_t>(k) < w.scheduled % count ? 1 : 0);
  spent.by_policy += w.scheduled;
}

PolicyParameter required(BasicParameter<PolicySpec> p) {
  PolicyParameter out{std::move(p)};
  out.required = true;
  return out;
}

PolicyParameter optional(BasicParameter<PolicySpec> p) {
  return PolicyParameter{std::move(p)};
}

}  // namespace policy

}  // namespace coopterra
