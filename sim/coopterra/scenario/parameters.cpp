#include "coopterra/scenario/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace coopterra {

const char* to_string(ParamType type) noexcept {
  switch (type) {
    case ParamType::Integer: return "integer";
    case ParamType::Real: return "number";
    case ParamType::Boolean: return "boolean";
    case ParamType::String: return "string";
    case ParamType::StringList: return "list of strings";
    case ParamType::RealList: return "list of numbers";
  }
  return "value";
}

namespace {

constexpr double kMaxInt = 9007199254740992.0;  // 2^53: integers exactly representable as doubles

#define COOP_FIELD(member) [](Spec& s) -> void* { return &s.member; }
#define INTEGER(key, member, def, lo, hi, unit, desc, src)                            \
  Parameter {                                                                         \
    key, ParamType::Integer, def, {}, lo, hi, {}, unit, desc, src, COOP_FIELD(member) \
  }
#define REAL(key, member, def, lo, hi, unit, desc, src)                            \
  Parameter {                                                                      \
    key, ParamType::Real, def, {}, lo, hi, {}, unit, desc, src, COOP_FIELD(member) \
  }
#define STRINGS(key, member, desc, src)                                            \
  Parameter {                                                                      \
    key, ParamType::StringList, 0, {}, 0, 0, {}, "", desc, src, COOP_FIELD(member) \
  }
#define REALS(key, member, defaults, lo, hi, unit, desc, src)                                                     \
  Parameter {                                                                                                     \
    key, ParamType::RealList, 0, {}, lo, hi, {}, unit, desc, src, COOP_FIELD(member), defaults, (defaults).size() \
  }
#define PATH(key, member, desc, src)                                                        \
  Parameter {                                                                               \
    key, ParamType::String, 0, "", 0, 0, {}, "", desc, src, COOP_FIELD(member), {}, 0, true \
  }
#define STRING(key, member, def, choices, desc, src)                                 \
  Parameter {                                                                        \
    key, ParamType::String, 0, def, 0, 0, choices, "", desc, src, COOP_FIELD(member) \
  }

const char* kBass =
    "Bass diffusion meta-analysis means p = 0.03, q = 0.38 per year (Sultan, Farley & Lehmann "
    "1990), used as a central value of a range";

// Defaults and sources that differ between the two carpool platforms.
struct PlatformDefaults {
  const char* name;
  double commission;
  const char* commission_source;
  double initial_awareness;
  const char* awareness_source;
  bool fees_leave;
  const char* fees_source;
  const char* costs_source;  // staff, running costs, treasury and capital in the territory
};

template <MarketPlatformSpec CarpoolSpec::*Which>
std::vector<Parameter> platform_parameters(const std::string& table, const PlatformDefaults& d) {
  std::vector<Parameter> out = {
      Parameter{table + ".name",
                ParamType::String,
                0,
                d.name,
                0,
                0,
                {},
                "",
                "label of the platform in results",
                "label only",
                [](Spec& s) -> void* { return &(s.carpool.*Which).name; }},
      Parameter{table + ".commission",
                ParamType::Real,
                d.commission,
                {},
                0.0,
                0.5,
                {},
                "share of fare",
                "commission the platform adds to the passenger's fare",
                d.commission_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).commission; }},
      Parameter{table + ".initial_awareness",
                ParamType::Real,
                d.initial_awareness,
                {},
                0.0,
                1.0,
                {},
                "share of residents",
                "residents aware of the platform at week 0",
                d.awareness_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).initial_awareness; }},
      Parameter{table + ".bass_p",
                ParamType::Real,
                0.03,
                {},
                0.0,
                1.0,
                {},
                "per year",
                "external influence on awareness (media, campaigns)",
                kBass,
                [](Spec& s) -> void* { return &(s.carpool.*Which).bass_p; }},
      Parameter{table + ".bass_q",
                ParamType::Real,
                0.38,
                {},
                0.0,
                2.0,
                {},
                "per year",
                "imitation: awareness from aware social ties",
                kBass,
                [](Spec& s) -> void* { return &(s.carpool.*Which).bass_q; }},
      Parameter{table + ".fees_leave_territory",
                ParamType::Boolean,
                d.fees_leave ? 1.0 : 0.0,
                {},
                0,
                1,
                {},
                "",
                "whether the platform's fees leave the territory",
                d.fees_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).fees_leave_territory; }},
      Parameter{table + ".fixed_cost_eur_per_week",
                ParamType::Real,
                0.0,
                {},
                0.0,
                1e7,
                {},
                "EUR/week",
                "running costs in the territory besides staff (a white-label platform, premises)",
                d.costs_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).fixed_cost_eur_per_week; }},
      Parameter{table + ".staff",
                ParamType::Integer,
                0.0,
                {},
                0,
                10000,
                {},
                "job",
                "staff in the territory, paid cooperatives.staff_wage_eur_per_week",
                d.costs_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).staff; }},
      Parameter{table + ".initial_treasury_eur",
                ParamType::Real,
                0.0,
                {},
                0.0,
                1e9,
                {},
                "EUR",
                "cash of the platform's territorial books at week 0",
                d.costs_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).initial_treasury_eur; }},
      Parameter{table + ".initial_capital_eur",
                ParamType::Real,
                0.0,
                {},
                0.0,
                1e9,
                {},
                "EUR",
                "capital subscribed by members in the territory at week 0 (cooperatives: shares)",
                d.costs_source,
                [](Spec& s) -> void* { return &(s.carpool.*Which).initial_capital_eur; }},
  };
  return out;
}

std::vector<Parameter> build_registry() {
  using V = std::vector<std::string>;
  using V2 = std::vector<double>;
  std::vector<Parameter> r = {
      INTEGER("schema_version", schema_version, 1, 1, 1, "", "version of the scenario language this file is written in",
              "coopterra"),
      STRING("name", name, "unnamed scenario", V{}, "short name of the scenario", "label only"),
      STRING("description", description, "", V{}, "what the scenario represents and for whom", "label only"),

      INTEGER("run.weeks", run.weeks, 52, 1, 5200, "week", "simulated horizon", "choice of the user"),
      INTEGER("run.seed", run.seed, 1, 0, kMaxInt, "",
              "seed of the behaviour streams when none is given on the command line", "choice of the user"),

      STRING("territory.source", territory.source, "synthetic", (V{"synthetic", "communes"}),
             "where the territory comes from: the synthetic generator or a commune table", "docs/territories.md"),
      PATH("territory.communes_file", territory.communes_file,
           "commune table (CSV with INSEE's columns), relative to the scenario's folder",
           "INSEE official geographic code and territorial statistics (docs/territories.md)"),
      PATH("territory.roads_file", territory.roads_file,
           "optional road edge list (CSV: from, to, km[, minutes]); without it, roads link nearest neighbours",
           "the user's road data (docs/territories.md)"),
      STRINGS("territory.select.departements", territory.select_departements,
              "departement codes whose communes are selected (union with the other selections)", "choice of the user"),
      STRINGS("territory.select.epcis", territory.select_epcis,
              "intercommunality (EPCI SIREN) codes whose communes are selected", "choice of the user"),
      STRINGS("territory.select.communes", territory.select_communes, "INSEE codes of communes selected one by one",
              "choice of the user"),
      INTEGER("territory.urban_core_min_population", territory.urban_core_min_population, 10000, 0, 10000000, "person",
              "a commune this populous is an urban core",
              "assumption: communes of 10,000 inhabitants or more are centres of their area (est.)"),
      REAL("territory.urban_core_min_density", territory.urban_core_min_density, 1500.0, 0.0, 100000.0, "person/km2",
           "a commune this dense is an urban core",
           "INSEE's communal density grid counts 1,500 inhabitants per km2 as dense"),
      REAL("territory.periurban_radius_km", territory.periurban_radius_km, 20.0, 0.0, 200.0, "km",
           "a commune within this straight-line distance of an urban core may be periurban",
           "assumption: commuting reach of a centre, as INSEE's functional urban areas roughly (est.)"),
      REAL("territory.periurban_min_density", territory.periurban_min_density, 25.0, 0.0, 100000.0, "person/km2",
           "a commune near an urban core is periurban from this density, rural below it",
           "assumption: INSEE's density grid treats under ~25 inhabitants per km2 as very sparse (est.)"),
      INTEGER("territory.zones", territory.zones, 30, 3, 5000, "commune", "number of communes",
              "assumption: an intercommunality of a few tens of communes"),
      INTEGER("territory.residents", territory.residents, 20000, 100, 20000000, "person",
              "total population of the territory", "assumption: a small intercommunality"),
      INTEGER("territory.seed", territory.seed, 1, 0, kMaxInt, "",
              "seed of the synthetic layout (independent of the behaviour seed)", "choice of the user"),
      REAL("territory.radius_km", territory.radius_km, 25.0, 2.0, 300.0, "km",
           "radius of the synthetic territory around its central town",
           "assumption: a rural French intercommunality spans 20-60 km"),
      REAL("territory.rank_size_exponent", territory.rank_size_exponent, 1.0, 0.3, 2.5, "",
           "exponent a of the rank-size rule: population of rank r proportional to r^-a",
           "Zipf's law for cities, a close to 1 (Gabaix 1999, QJE 114(3))"),
      REAL("territory.periurban_share", territory.periurban_share, 0.3, 0.0, 0.9, "share of zones",
           "share of the communes placed in the periurban ring around the central town",
           "assumption; INSEE's urban area zoning classes about a third of communes as under a "
           "centre's influence (est.)"),
      INTEGER("territory.road_neighbours", territory.road_neighbours, 4, 1, 20, "link",
              "each commune is linked by road to this many nearest communes",
              "assumption: a sparse, planar-like road network"),
      REAL("territory.detour_factor", territory.detour_factor, 1.3, 1.0, 2.5, "km per km",
           "road kilometres per straight-line kilometre on a link",
           "circuity factors of about 1.2-1.4 reported for road networks (Ballou, Rahardja & "
           "Sakai 2002, Transp. Res. A 36(9))"),
      REAL("territory.road_speed_kmh", territory.road_speed_kmh, 60.0, 10.0, 130.0, "km/h",
           "mean door-to-door car speed on the road network",
           "assumption: mixed departmental roads and town crossings"),

      REALS("population.age_shares", population.age_shares, (V2{0.175, 0.172, 0.184, 0.197, 0.174, 0.098}), 0.0, 1.0,
            "share of residents", "residents aged 0-14, 15-29, 30-44, 45-59, 60-74 and 75 or more (sum 1)",
            "INSEE, population by age, France 2021 (rounded, est.)"),
      REALS("population.relative_employment_by_age", population.relative_employment_by_age,
            (V2{0.0, 0.55, 1.0, 0.95, 0.12, 0.0}), 0.0, 1.0, "relative rate",
            "employment rate of each age group relative to the highest",
            "INSEE employment rates 2021: ~35 % at 15-24, ~82 % at 25-49, ~66 % at 50-64, ~3 % at 65+ (est.)"),
      REAL("population.commuter_share", population.commuter_share, 0.36, 0.0, 1.0, "share of residents",
           "residents in employment with a fixed place of work",
           "assumption from INSEE: ~40 % of the population is in employment (2021), not all with "
           "a fixed workplace"),
      REALS("population.car_access_by_kind", population.car_access_by_kind, (V2{0.75, 0.93, 0.94}), 0.0, 1.0,
            "share of residents", "residents whose household has a car, in urban core, periurban and rural communes",
            "INSEE: ~86 % of households have a car, fewer in dense centres, over 90 % elsewhere (est.)"),
      REAL("population.drive_if_car_share", population.drive_if_car_share, 0.83, 0.0, 1.0, "share of commuters",
           "commuters with a car who commute by car",
           "derived: 72 % of workers with a fixed workplace drive (national travel survey 2008; facts.md) "
           "with ~87 % car access"),
      REALS("population.offline_share_by_age", population.offline_share_by_age, (V2{0.0, 0.03, 0.04, 0.09, 0.26, 0.62}),
            0.0, 1.0, "share of residents",
            "residents without internet use, by age group (0-14 counted with their household)",
            "INSEE 2019: 15 % of people aged 15+ did not use the internet in the year, about two thirds of "
            "those aged 75+ (est.)"),
      REAL("population.electric_car_share", population.electric_car_share, 0.03, 0.0, 1.0, "share of cars",
           "commuters' cars that are electric", "assumption: a few percent of the French car fleet in 2023-24 (est.)"),
      REAL("population.work_in_home_zone_share", population.work_in_home_zone_share, 0.33, 0.0, 1.0,
           "share of commuters", "commuters who work in their home commune",
           "INSEE: about two thirds of people in employment work outside their commune of "
           "residence (est.)"),
      INTEGER("population.ties_per_resident", population.ties_per_resident, 8, 1, 64, "tie",
              "social ties each resident listens to",
              "assumption: the size of a close network of family, friends and colleagues"),
      REAL("population.local_tie_share", population.local_tie_share, 0.8, 0.0, 1.0, "share of ties",
           "ties to residents of the same commune; the rest are anywhere in the territory",
           "assumption: mostly local ties, a few long-range ones (small-world network)"),

      REAL("firms.per_1000_residents", firms.per_1000_residents, 30.0, 0.0, 500.0, "firm per 1000 residents",
           "firms of the modelled sectors per thousand residents",
           "assumption: INSEE counts ~70 market establishments per 1,000 inhabitants; the five sectors "
           "modelled are under half of them (est.)"),
      REALS("firms.sector_shares", firms.sector_shares, (V2{0.12, 0.25, 0.13, 0.42, 0.08}), 0.0, 1.0, "share of firms",
            "producers and farms, shops, restaurants, service firms, tourism hosts (sum 1)", "assumption (est.)"),
      REALS("firms.chain_share_by_sector", firms.chain_share_by_sector, (V2{0.02, 0.30, 0.20, 0.10, 0.10}), 0.0, 1.0,
            "share of firms", "firms of each sector that belong to a chain rather than a local independent",
            "assumption (est.)"),

      INTEGER("carpool.workdays_per_week", carpool.workdays_per_week, 5, 1, 7, "day/week",
              "commuting days per week, each with a return trip", "assumption: full-time, no telework"),
      REAL("carpool.car_cost_eur_per_km", carpool.car_cost_eur_per_km, 0.12, 0.0, 1.0, "EUR/km",
           "cost of driving a car as perceived by its driver (fuel and wear)",
           "assumption: fuel ~0.08-0.10 EUR/km plus wear; the full cost of ownership is higher"),
      REAL("carpool.fare_eur_per_km", carpool.fare_eur_per_km, 0.10, 0.0, 1.0, "EUR/km",
           "fare a passenger pays the driver, before the platform's commission", "Ridygo 0.10 EUR/km (2016; facts.md)"),
      REAL("carpool.detour_minutes", carpool.detour_minutes, 5.0, 0.0, 120.0, "min per trip",
           "extra time of a carpool trip (pick-up, waiting)", "assumption"),
      REAL("carpool.detour_km", carpool.detour_km, 2.0, 0.0, 50.0, "km per trip",
           "extra distance the driver makes to pick up the passenger", "assumption"),
      REAL("carpool.asc", carpool.asc, -2.0, -20.0, 20.0, "utility",
           "alternative-specific constant of carpooling against driving alone (flexibility lost)",
           "assumption calibrated so that a few percent of car commuters carpool; ~10 % of workers "
           "carpooled daily in 2008 (facts.md)"),
      REAL("carpool.beta_cost_per_eur", carpool.beta_cost_per_eur, 0.15, 0.0, 10.0, "utility/EUR",
           "sensitivity of the weekly choice to its weekly cost", "assumption"),
      REAL("carpool.value_of_time_eur_per_hour", carpool.value_of_time_eur_per_hour, 10.0, 0.0, 200.0, "EUR/h",
           "value of commuting time",
           "French public appraisal values of about 10 EUR/h for local trips (Quinet 2013, est.)"),
      REAL("carpool.beta_coop_attitude", carpool.beta_coop_attitude, 1.0, 0.0, 10.0, "utility",
           "utility of the cooperative per unit of attitude towards cooperatives above 0.5", "assumption"),
  };
  const PlatformDefaults cooperative{"cooperative carpool (Mobicoop-like)",
                                     0.0,
                                     "Mobicoop (SCIC, 2018) charges 0 % commission (facts.md)",
                                     0.05,
                                     "assumption: a young cooperative known to few residents; range 0-0.3",
                                     false,
                                     "a territorial SCIC keeps its margin in the territory (mission.md)",
                                     "assumption: none by default, the cooperative's national structure carries "
                                     "them (0 % commission: local authorities pay white-label platforms, facts.md); "
                                     "a scenario sets a territorial team and its funding"};
  const PlatformDefaults incumbent{
      "incumbent carpool (BlaBlaCar-like)",
      0.12,
      "BlaBlaCar ~12 % (2.40 EUR on a 20 EUR trip, 2016; facts.md)",
      0.5,
      "assumption: a national brand most adults have heard of; range 0.3-0.9",
      true,
      "incumbent fees are treated as leaving the territory almost entirely (facts.md, est.)",
      "an incumbent's staff and costs are outside the territory"};
  for (auto& p : platform_parameters<&CarpoolSpec::cooperative>("carpool.cooperative", cooperative))
    r.push_back(std::move(p));
  for (auto& p : platform_parameters<&CarpoolSpec::incumbent>("carpool.incumbent", incumbent))
    r.push_back(std::move(p));
  r.push_back(STRING("authority.name", authority.name, "the local authority", V{},
                     "name of the local authority running the policies", "label only"));
  r.push_back(REAL("authority.budget_eur", authority.budget_eur, 0.0, 0.0, 1e11, "EUR",
                   "envelope of the authority for the policies of the scenario, over the whole run",
                   "choice of the authority"));
  r.push_back(REAL("emissions.thermal_car_kg_per_km", emissions.thermal_car_kg_per_km, 0.218, 0.0, 2.0,
                   "kgCO2e/vehicle-km", "thermal car, construction included",
                   "ADEME Base Carbone via Impact CO2 (facts.md)"));
  r.push_back(REAL("emissions.electric_car_kg_per_km", emissions.electric_car_kg_per_km, 0.103, 0.0, 2.0,
                   "kgCO2e/vehicle-km", "electric car, construction included",
                   "ADEME Base Carbone via Impact CO2 (facts.md)"));
  add_market_parameters(r);
  return r;
}

#undef COOP_FIELD
#undef INTEGER
#undef REAL
#undef STRING
#undef STRINGS
#undef REALS
#undef PATH

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Shortest text that reads back to the same double, always with a fraction or exponent.
std::string real_text(double v) {
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string t = buf;
  if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
  return t;
}

}  // namespace

template <class Target>
std::string BasicParameter<Target>::value_text(const Target& s) const {
  Target& m = const_cast<Target&>(s);
  switch (type) {
    case ParamType::Integer: return std::to_string(as_integer(m));
    case ParamType::Boolean: return as_boolean(m) ? "true" : "false";
    case ParamType::String: return quote(as_string(m));
    case ParamType::Real: return real_text(as_real(m));
    case ParamType::StringList: {
      std::string t = "[";
      for (const auto& v : as_strings(m)) t += (t.size() > 1 ? ", " : "") + quote(v);
      return t + "]";
    }
    case ParamType::RealList: {
      std::string t = "[";
      for (double v : as_reals(m)) t += (t.size() > 1 ? ", " : "") + real_text(v);
      return t + "]";
    }
  }
  return {};
}

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> registry = build_registry();
  return registry;
}

const Parameter* find_parameter(std::string_view key) {
  for (const auto& p : parameters())
    if (p.key == key) return &p;
  return nullptr;
}

bool is_parameter_table(std::string_view path) {
  for (const auto& p : parameters())
    if (p.key.size() > path.size() && p.key.compare(0, path.size(), path) == 0 && p.key[path.size()] == '.')
      return true;
  return false;
}

template <class Target>
void BasicParameter<Target>::set_default(Target& s) const {
  switch (type) {
    case ParamType::Integer: as_integer(s) = static_cast<std::int64_t>(default_number); break;
    case ParamType::Real: as_real(s) = default_number; break;
    case ParamType::Boolean: as_boolean(s) = default_number != 0.0; break;
    case ParamType::String: as_string(s) = default_text; break;
    case ParamType::StringList: as_strings(s) = default_strings; break;
    case ParamType::RealList: as_reals(s) = default_reals; break;
  }
}

template struct BasicParameter<Spec>;
template struct BasicParameter<PolicySpec>;

Spec default_spec() {
  Spec s;
  for (const auto& p : parameters()) p.set_default(s);
  return s;
}

// policy_kinds(), shock_kinds() and the policies' fields: policy/kinds.cpp, from each kind's definition.

}  // namespace coopterra
