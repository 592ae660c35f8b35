// The scenario's parameters: the schema (one describe function per spec struct, binding each key
// to its member; describe.hpp explains the pattern) joined with the data (data/registry.toml,
// embedded at build time: every key's default, range, unit, description and source).
#include <toml++/toml.h>
#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "coopterra/registry_data.hpp"
#include "coopterra/scenario/parameters.hpp"

namespace coopterra {

const char* market_key(std::size_t market) noexcept {
  static const char* keys[kMarkets] = {"food", "delivery", "electronics", "second_hand", "services", "tourism"};
  return market < kMarkets ? keys[market] : "unknown";
}

// ---------------------------------------------------------------------------------------------
// The schema: which key is which member.

void describe(Fields<Spec, RunSpec>& f) {
  f("weeks", &RunSpec::weeks);
  f("seed", &RunSpec::seed);
  f("start_date", &RunSpec::start_date);
}

void describe(Fields<Spec, TerritorySpec>& f) {
  using T = TerritorySpec;
  f("source", &T::source);
  f("communes_file", &T::communes_file);
  f("roads_file", &T::roads_file);
  f("epci_file", &T::epci_file);
  f("flows_file", &T::flows_file);
  f("arrondissements", &T::arrondissements);
  f("select.departements", &T::select_departements);
  f("select.epcis", &T::select_epcis);
  f("select.communes", &T::select_communes);
  f("urban_core_min_population", &T::urban_core_min_population);
  f("urban_core_min_density", &T::urban_core_min_density);
  f("periurban_radius_km", &T::periurban_radius_km);
  f("periurban_min_density", &T::periurban_min_density);
  f("separate_gap_km", &T::separate_gap_km);
  f("zones", &T::zones);
  f("residents", &T::residents);
  f("seed", &T::seed);
  f("radius_km", &T::radius_km);
  f("rank_size_exponent", &T::rank_size_exponent);
  f("periurban_share", &T::periurban_share);
  f("road_neighbours", &T::road_neighbours);
  f("detour_factor", &T::detour_factor);
  f("road_speed_kmh", &T::road_speed_kmh);
}

void describe(Fields<Spec, PopulationSpec>& f) {
  using P = PopulationSpec;
  f("age_shares", &P::age_shares);
  f("relative_employment_by_age", &P::relative_employment_by_age);
  f("car_access_by_kind", &P::car_access_by_kind);
  f("offline_share_by_age", &P::offline_share_by_age);
  f("commuter_share", &P::commuter_share);
  f("drive_if_car_share", &P::drive_if_car_share);
  f("electric_car_share", &P::electric_car_share);
  f("work_in_home_zone_share", &P::work_in_home_zone_share);
  f("ties_per_resident", &P::ties_per_resident);
  f("local_tie_share", &P::local_tie_share);
  f("income_eur_by_decile", &P::income_eur_by_decile);
  f("consumption_units_per_person", &P::consumption_units_per_person);
  f("income_tilt_by_kind", &P::income_tilt_by_kind);
  f("car_access_income_slope", &P::car_access_income_slope);
  f("dense_city_from_density", &P::dense_city_from_density);
  f("dense_city_density", &P::dense_city_density);
  f("dense_city_car_access", &P::dense_city_car_access);
  f("dense_city_drive_if_car_share", &P::dense_city_drive_if_car_share);
  f("offline_income_slope", &P::offline_income_slope);
}

void describe(Fields<Spec, FirmSpec>& f) {
  f("per_1000_residents", &FirmSpec::per_1000_residents);
  f("sector_shares", &FirmSpec::sector_shares);
  f("chain_share_by_sector", &FirmSpec::chain_share_by_sector);
}

// Every platform: carpooling's, the markets', barter's. Each kind of platform exposes the fields
// its data lists (data/registry.toml: the templates carpool_platform and market_platform, and
// barter.cooperative).
void describe(Fields<Spec, MarketPlatformSpec>& f) {
  using P = MarketPlatformSpec;
  f("name", &P::name);
  f("count", &P::count);
  f("commission", &P::commission);
  f("customer_fee", &P::customer_fee);
  f("price_factor", &P::price_factor);
  f("asc", &P::asc);
  f("initial_awareness", &P::initial_awareness);
  f("awareness_potential", &P::awareness_potential);
  f("bass_p", &P::bass_p);
  f("bass_q", &P::bass_q);
  f("kg_per_event", &P::kg_per_event);
  f("customer_trip_km", &P::customer_trip_km);
  f("round_km", &P::round_km);
  f("orders_per_round", &P::orders_per_round);
  f("vehicle_kg_per_km", &P::vehicle_kg_per_km);
  f("fixed_cost_eur_per_week", &P::fixed_cost_eur_per_week);
  f("staff", &P::staff);
  f("order_cost_eur", &P::order_cost_eur);
  f("round_eur_per_km", &P::round_eur_per_km);
  f("round_minutes", &P::round_minutes);
  f("orders_per_staff_week", &P::orders_per_staff_week);
  f("national_users", &P::national_users);
  f("national_investment_eur", &P::national_investment_eur);
  f("investment_share_of_fees", &P::investment_share_of_fees);
  f("fee_response", &P::fee_response);
  f("initial_treasury_eur", &P::initial_treasury_eur);
  f("initial_capital_eur", &P::initial_capital_eur);
  f("serves", &P::serves);
  f("fees_leave_territory", &P::fees_leave_territory);
  f("fee_model", &P::fee_model);
  f("fee_eur_per_km", &P::fee_eur_per_km);
}

void describe(Fields<Spec, CarpoolSpec>& f) {
  using C = CarpoolSpec;
  f("workdays_per_week", &C::workdays_per_week);
  f("car_cost_eur_per_km", &C::car_cost_eur_per_km);
  f("fare_eur_per_km", &C::fare_eur_per_km);
  f("detour_minutes", &C::detour_minutes);
  f("detour_km", &C::detour_km);
  f("asc", &C::asc);
  f("beta_cost_per_eur", &C::beta_cost_per_eur);
  f("value_of_time_eur_per_hour", &C::value_of_time_eur_per_hour);
  f("beta_coop_attitude", &C::beta_coop_attitude);
  f("informal_asc", &C::informal_asc);
  f("weeks_of_leave", &C::weeks_of_leave);
  f("cooperative", &C::cooperative);
  f("incumbent", &C::incumbent);
}

void describe(Fields<Spec, MarketSpec>& f) {
  using M = MarketSpec;
  f("events_per_week", &M::events_per_week);
  f("seasonality", &M::seasonality);
  f("peak_week", &M::peak_week);
  f("basket_eur", &M::basket_eur);
  f("beta_cost_per_eur", &M::beta_cost_per_eur);
  f("local_trip_km", &M::local_trip_km);
  f("offline_kg_per_event", &M::offline_kg_per_event);
  f("production_kg_per_event", &M::production_kg_per_event);
  f("income_elasticity", &M::income_elasticity);
  f("alternative", &M::alternative);
  f("alternative_asc", &M::alternative_asc);
  f("alternative_price_factor", &M::alternative_price_factor);
  f("alternative_kg_per_event", &M::alternative_kg_per_event);
  f("cooperative", &M::cooperative);
  f("incumbent", &M::incumbent);
}

void describe(Fields<Spec, MarketsSpec>& f) {
  f("beta_coop_attitude", &MarketsSpec::beta_coop_attitude);
  f("beta_social", &MarketsSpec::beta_social);
  f("beta_quality", &MarketsSpec::beta_quality);
  f("household_local_spend_share", &MarketsSpec::household_local_spend_share);
  f(&MarketsSpec::market, market_key);
}

void describe(Fields<Spec, EconomySpec>& f) {
  using E = EconomySpec;
  f("base_revenue_eur_per_week", &E::base_revenue_eur_per_week);
  f("margin", &E::margin);
  f("fixed_cost_share", &E::fixed_cost_share);
  f("calibration_weeks", &E::calibration_weeks);
  f("initial_cash_weeks", &E::initial_cash_weeks);
  f("recirculation_independent", &E::recirculation_independent);
  f("recirculation_chain", &E::recirculation_chain);
  f("wage_share_of_local", &E::wage_share_of_local);
  f("wage_eur_per_week", &E::wage_eur_per_week);
  f("credit_limit_weeks", &E::credit_limit_weeks);
  f("interest_rate_per_year", &E::interest_rate_per_year);
  f("failure_weeks", &E::failure_weeks);
  f("failure_rate_per_year", &E::failure_rate_per_year);
  f("stressed_failure_factor", &E::stressed_failure_factor);
  f("cost_adjustment_weeks", &E::cost_adjustment_weeks);
  f("vacancy_weeks", &E::vacancy_weeks);
}

void describe(Fields<Spec, BarterSpec>& f) {
  f("cooperative", &BarterSpec::cooperative);
  f("annual_fee_eur", &BarterSpec::annual_fee_eur);
  f("barter_share", &BarterSpec::barter_share);
  f("stressed_barter_share", &BarterSpec::stressed_barter_share);
  f("unit_credit_weeks", &BarterSpec::unit_credit_weeks);
  f("stress_join_factor", &BarterSpec::stress_join_factor);
  f("potential_share", &BarterSpec::potential_share);
}

void describe(Fields<Spec, CooperativesSpec>& f) {
  using C = CooperativesSpec;
  f("reserve_share", &C::reserve_share);
  f("investment_share", &C::investment_share);
  f("user_member_share", &C::user_member_share);
  f("participation", &C::participation);
  f("vote_weights", &C::vote_weights);
  f("board_seats", &C::board_seats);
  f("supporters", &C::supporters);
  f("staff_wage_eur_per_week", &C::staff_wage_eur_per_week);
  f("exit_weeks", &C::exit_weeks);
  f("courier_eur_per_hour", &C::courier_eur_per_hour);
  f("network_effect", &C::network_effect);
  f("users_reference", &C::users_reference);
  f("investment_effect", &C::investment_effect);
  f("investment_reference_eur", &C::investment_reference_eur);
  f("depreciation_per_year", &C::depreciation_per_year);
}

void describe(Fields<Spec, OutputsSpec>& f) {
  f("snapshot_weeks", &OutputsSpec::snapshot_weeks);
}

void describe(Fields<Spec, UncertaintySpec>& f) {
  f("posterior", &UncertaintySpec::posterior);
}

void describe(Fields<Spec, EmissionSpec>& f) {
  f("thermal_car_kg_per_km", &EmissionSpec::thermal_car_kg_per_km);
  f("electric_car_kg_per_km", &EmissionSpec::electric_car_kg_per_km);
}

void describe(Fields<Spec, AuthoritySpec>& f) {
  f("name", &AuthoritySpec::name);
  f("budget_eur", &AuthoritySpec::budget_eur);
}

// The policies and shocks of the timeline are described by policy_parameters() (parameters.cpp).
void describe(Fields<Spec, Spec>& f) {
  f("schema_version", &Spec::schema_version);
  f("name", &Spec::name);
  f("description", &Spec::description);
  f("run", &Spec::run);
  f("territory", &Spec::territory);
  f("population", &Spec::population);
  f("firms", &Spec::firms);
  f("carpool", &Spec::carpool);
  f("markets", &Spec::markets);
  f("economy", &Spec::economy);
  f("barter", &Spec::barter);
  f("cooperatives", &Spec::cooperatives);
  f("outputs", &Spec::outputs);
  f("uncertainty", &Spec::uncertainty);
  f("emissions", &Spec::emissions);
  f("authority", &Spec::authority);
}

// ---------------------------------------------------------------------------------------------
// The data: data/registry.toml, its tables resolved (templates merged) in the file's order.

namespace {

constexpr const char* kDataFile = "data/registry.toml";

[[noreturn]] void data_error(const toml::node* at, const std::string& what) {
  std::string where = at && at->source().path ? *at->source().path : std::string(kDataFile);
  if (at && at->source().begin.line != 0)
    where += ":" + std::to_string(at->source().begin.line) + ":" + std::to_string(at->source().begin.column);
  throw std::logic_error(where + ": " + what);
}

// An entry of the data once its templates are merged: a value, or a table of entries in order.
struct Entry {
  std::string name;
  const toml::node* node = nullptr;  // where it is written (the value itself for a leaf)
  bool leaf = false;
  std::vector<Entry> children;

  Entry* child(std::string_view n) {
    for (auto& c : children)
      if (c.name == n) return &c;
    return nullptr;
  }
  const Entry* child(std::string_view n) const { return const_cast<Entry*>(this)->child(n); }
  // A parameter's table holds values (default, unit...); a group holds only tables.
  bool is_parameter() const {
    return std::any_of(children.begin(), children.end(), [](const Entry& c) { return c.leaf; });
  }
};

// Where a node is first written: for a table, its earliest entry (toml++ keeps tables sorted
// by key, the data's order is the file's).
std::pair<std::uint32_t, std::uint32_t> first_written(const toml::node& node) {
  const auto& b = node.source().begin;
  std::pair<std::uint32_t, std::uint32_t> first{b.line ? b.line : UINT32_MAX, b.column};
  if (const toml::table* t = node.as_table())
    for (const auto& [name, child] : *t) first = std::min(first, first_written(child));
  return first;
}

void merge(Entry& base, Entry over) {
  Entry* same = base.child(over.name);
  if (!same) {
    base.children.push_back(std::move(over));
  } else if (!same->leaf && !over.leaf) {
    for (auto& c : over.children) merge(*same, std::move(c));
  } else {
    *same = std::move(over);
  }
}

// A table of the data: its template's entries first (`like = "name"`: [templates.name]), in
// the template's order, overridden by the table's own; then the table's other entries in order.
Entry resolve(const toml::table& table, const toml::table* templates, int depth) {
  Entry out;
  if (const toml::node* like = table.get("like")) {
    const auto name = like->value<std::string>();
    if (!name) data_error(like, "`like` must name a template of [templates]");
    const toml::table* base = templates ? templates->get_as<toml::table>(*name) : nullptr;
    if (!base) data_error(like, "no template [templates." + *name + "]");
    if (depth > 16) data_error(like, "templates nested too deep (a template that is like itself?)");
    out = resolve(*base, templates, depth + 1);
  }
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [name, node] : table)
    if (name.str() != "like") entries.emplace_back(std::string(name.str()), &node);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return first_written(*a.second) < first_written(*b.second); });
  for (const auto& [name, node] : entries) {
    Entry e = node->is_table() ? resolve(*node->as_table(), templates, depth) : Entry{};
    e.name = name;
    e.node = node;
    e.leaf = !node->is_table();
    merge(out, std::move(e));
  }
  return out;
}

std::optional<double> number(const toml::node& node) {
  if (node.is_floating_point()) return node.as_floating_point()->get();
  if (node.is_integer()) return static_cast<double>(node.as_integer()->get());
  return std::nullopt;
}

template <class T>
std::vector<T> list(const toml::node& node, const std::string& what) {
  std::vector<T> out;
  const toml::array* a = node.as_array();
  if (!a) data_error(&node, what);
  for (const auto& item : *a) {
    if constexpr (std::is_same_v<T, double>) {
      const auto v = number(item);
      if (!v) data_error(&item, what);
      out.push_back(*v);
    } else {
      const auto v = item.value_exact<std::string>();
      if (!v) data_error(&item, what);
      out.push_back(*v);
    }
  }
  return out;
}

// One parameter: the binding of its key and its data.
template <class Target>
BasicParameter<Target> make_parameter(const Binding<Target>& b, const Entry& e) {
  BasicParameter<Target> p{};
  p.key = b.key;
  p.type = b.type;
  p.field = b.field;
  const bool ranged = p.type == ParamType::Integer || p.type == ParamType::Real || p.type == ParamType::RealList;
  const std::string type = to_string(p.type);
  bool has_default = false, has_min = false, has_max = false, has_description = false, has_source = false;
  for (const Entry& c : e.children) {
    const toml::node& v = *c.node;
    const std::string what = "'" + p.key + "': " + c.name;
    if (!c.leaf) data_error(c.node, what + " is a table, not a value");
    if (c.name == "default") {
      has_default = true;
      switch (p.type) {
        case ParamType::Integer: {
          const auto i = v.value_exact<std::int64_t>();
          if (!i) data_error(&v, what + " must be an integer");
          p.default_number = static_cast<double>(*i);
          break;
        }
        case ParamType::Real: {
          const auto x = number(v);
          if (!x) data_error(&v, what + " must be a number");
          p.default_number = *x;
          break;
        }
        case ParamType::Boolean: {
          const auto x = v.value_exact<bool>();
          if (!x) data_error(&v, what + " must be a boolean");
          p.default_number = *x ? 1.0 : 0.0;
          break;
        }
        case ParamType::String: {
          const auto x = v.value_exact<std::string>();
          if (!x) data_error(&v, what + " must be a string");
          p.default_text = *x;
          break;
        }
        case ParamType::StringList:
          p.default_strings = list<std::string>(v, what + " must be a list of strings");
          break;
        case ParamType::RealList: p.default_reals = list<double>(v, what + " must be a list of numbers"); break;
      }
    } else if (c.name == "min" || c.name == "max") {
      if (!ranged) data_error(&v, what + ": a " + type + " has no range");
      const auto x = number(v);
      if (!x) data_error(&v, what + " must be a number");
      (c.name == "min" ? p.min : p.max) = *x;
      (c.name == "min" ? has_min : has_max) = true;
    } else if (c.name == "choices") {
      if (p.type != ParamType::String && p.type != ParamType::StringList)
        data_error(&v, what + ": only strings have choices");
      p.choices = list<std::string>(v, what + " must be a list of strings");
    } else if (c.name == "length") {
      const auto n = v.value_exact<std::int64_t>();
      if (p.type != ParamType::RealList || !n || *n < 0) data_error(&v, what + ": the length of a list of numbers");
      p.length = static_cast<std::size_t>(*n);
    } else if (c.name == "path") {
      const auto x = v.value_exact<bool>();
      if (p.type != ParamType::String || !x) data_error(&v, what + ": true or false, for a string");
      p.is_path = *x;
    } else if (c.name == "unit" || c.name == "description" || c.name == "source") {
      const auto x = v.value_exact<std::string>();
      if (!x) data_error(&v, what + " must be a string");
      if (c.name == "unit") p.unit = *x;
      if (c.name == "description") p.description = *x, has_description = true;
      if (c.name == "source") p.source = *x, has_source = true;
    } else {
      data_error(&v, "'" + p.key + "': unknown field " + c.name +
                         " (default, min, max, choices, length, path, unit, description, source)");
    }
  }
  if (!has_default) data_error(e.node, "'" + p.key + "' has no default");
  if (ranged && !(has_min && has_max)) data_error(e.node, "'" + p.key + "' needs min and max");
  if (!has_description || !has_source) data_error(e.node, "'" + p.key + "' needs a description and a source");
  if (p.type == ParamType::Boolean) p.max = 1;
  const auto outside = [&p](double x) { return !(x >= p.min && x <= p.max); };
  if ((p.type == ParamType::Integer || p.type == ParamType::Real) && outside(p.default_number))
    data_error(e.node, "'" + p.key + "': the default is outside [min, max]");
  if (std::any_of(p.default_reals.begin(), p.default_reals.end(), outside) ||
      (p.length != 0 && p.default_reals.size() != p.length))
    data_error(e.node, "'" + p.key + "': the default is outside [min, max] or not of its length");
  return p;
}

template <class Target>
void collect(const Entry& group, const std::string& prefix, const std::map<std::string, Binding<Target>>& bindings,
             std::vector<BasicParameter<Target>>& out) {
  for (const Entry& e : group.children) {
    if (prefix.empty() && e.name == "templates") continue;
    const std::string key = prefix + e.name;
    if (e.leaf) data_error(e.node, "'" + key + "': a value outside a parameter's table");
    if (!e.is_parameter()) {
      collect(e, key + ".", bindings, out);
      continue;
    }
    const auto b = bindings.find(key);
    if (b == bindings.end())
      data_error(e.node, "'" + key + "' is bound to no member: add it to its struct's describe function");
    out.push_back(make_parameter(b->second, e));
  }
}

}  // namespace

std::vector<Binding<Spec>> spec_bindings() {
  return describe_all<Spec>();
}

std::string_view registry_data() {
  return {reinterpret_cast<const char*>(generated::registry_toml), sizeof generated::registry_toml};
}

template <class Target>
std::vector<BasicParameter<Target>> parameters_from_data(std::string_view data, std::string_view source_name,
                                                         std::vector<Binding<Target>> described) {
  toml::table doc;
  try {
    doc = toml::parse(data, source_name);
  } catch (const toml::parse_error& e) {
    throw std::logic_error(std::string(source_name) + ":" + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
  std::map<std::string, Binding<Target>> bindings;
  for (auto& b : described) bindings.emplace(b.key, std::move(b));
  std::vector<BasicParameter<Target>> out;
  collect(resolve(doc, doc.get_as<toml::table>("templates"), 0), "", bindings, out);
  return out;
}

template std::vector<BasicParameter<Spec>> parameters_from_data(std::string_view, std::string_view,
                                                                std::vector<Binding<Spec>>);
template std::vector<BasicParameter<PolicySpec>> parameters_from_data(std::string_view, std::string_view,
                                                                      std::vector<Binding<PolicySpec>>);

std::vector<Parameter> build_registry(std::string_view data, std::string_view source_name) {
  return parameters_from_data(data, source_name, spec_bindings());
}

std::vector<std::string> unlisted_keys() {
  std::vector<std::string> out;
  for (const auto& b : spec_bindings())
    if (!find_parameter(b.key)) out.push_back(b.key);
  return out;
}

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> registry = build_registry(registry_data(), kDataFile);
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

Spec default_spec() {
  Spec s;
  for (const auto& p : parameters()) p.set_default(s);
  return s;
}

}  // namespace coopterra
