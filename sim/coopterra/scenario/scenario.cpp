#include "coopterra/scenario/scenario.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "coopterra/core/calendar.hpp"
#include "coopterra/io/files.hpp"
#include "coopterra/policy/kind.hpp"
#include "coopterra/scenario/parameters.hpp"

namespace coopterra {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string last_segment(std::string_view path) {
  const auto dot = path.rfind('.');
  return std::string(dot == std::string_view::npos ? path : path.substr(dot + 1));
}

// What a TOML value is, for "expected ..., got ...".
std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number with a fraction";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return node.as_array()->is_array_of_tables() ? "an array of tables" : "an array";
    default: return "a date or time";
  }
}

// Known keys and tables, for "did you mean".
std::vector<std::string> known_paths() {
  std::vector<std::string> out;
  for (const auto& p : parameters()) {
    out.push_back(p.key);
    for (auto dot = p.key.find('.'); dot != std::string::npos; dot = p.key.find('.', dot + 1))
      out.push_back(p.key.substr(0, dot));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string did_you_mean(const std::string& path) {
  const auto known = known_paths();
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(path, k);
    if (d < best_distance) best_distance = d, best = k;
  }
  if (best_distance <= std::max<std::size_t>(2, path.size() / 4)) return best;
  const std::string leaf = last_segment(path);
  for (const auto& k : known)
    if (last_segment(k) == leaf) return k;
  return {};
}

// Keys that apply to one kind of territory only: setting them for the other is a mistake.
constexpr const char* kSyntheticOnly[] = {"territory.zones",           "territory.residents",
                                          "territory.radius_km",       "territory.rank_size_exponent",
                                          "territory.periurban_share", "territory.seed"};
constexpr const char* kCommunesOnly[] = {
    "territory.communes_file", "territory.roads_file",      "territory.epci_file",
    "territory.flows_file",    "territory.arrondissements", "territory.select.departements",
    "territory.select.epcis",  "territory.select.communes", "territory.separate_gap_km"};

bool applies(const std::string& key, const Spec& spec) {
  auto in = [&](const auto& list) { return std::find(std::begin(list), std::end(list), key) != std::end(list); };
  return spec.territory.source == "synthetic" ? !in(kCommunesOnly) : !in(kSyntheticOnly);
}

class Validator {
 public:
  explicit Validator(std::string source_name) : source_name_(std::move(source_name)) {}

  void error(const toml::node* node, const std::string& key, std::string message) {
    error(node ? &node->source() : nullptr, key, std::move(message));
  }

  void error(const toml::source_region* region, const std::string& key, std::string message) {
    Location where{source_name_, 0, 0, key};
    if (region) {
      const auto& src = *region;
      if (src.path && !src.path->empty()) where.file = *src.path;
      where.line = static_cast<int>(src.begin.line);
      where.column = static_cast<int>(src.begin.column);
    }
    // A value given as an override has no line in a file: its label says where it came from
    // (also for a table the override created: `--set policies[1].rate=...` makes "policies[1]").
    // A node read from a file keeps its file's location.
    const bool from_a_file = region && region->path && !region->path->empty();
    for (const auto& [overridden, origin] : overrides_) {
      const bool creates = overridden.size() > key.size() && overridden.compare(0, key.size(), key) == 0 &&
                           overridden[key.size()] == '.';
      if (overridden == key || (creates && !from_a_file)) where = Location{origin, 0, 0, key};
    }
    diagnostics_.push_back({std::move(where), std::move(message)});
  }

  void walk(const toml::table& table, const std::string& prefix, Spec& spec) {
    for (const auto& [k, node] : table) {
      const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      if (path == "policies" || path == "shocks") {
        timeline(node, spec, path);
        continue;
      }
      if (path == "carpool.platforms") {  // read once the whole tree is: carpool_platforms()
        carpool_platforms_node_ = &node;
        continue;
      }
      if (const Parameter* p = find_parameter(path)) {
        assign(*p, node, path, spec);
      } else if (node.is_table() && is_parameter_table(path)) {
        walk(*node.as_table(), path, spec);
      } else if (is_parameter_table(path)) {  // `run = 3`, `[[run]]`: a known table given as something else
        error(&node, path, "expected a table of parameters (e.g. [" + path + "]), got " + type_name(node));
      } else {
        const std::string what = node.is_table() ? "unknown table" : "unknown key";
        const std::string suggestion = did_you_mean(path);
        error(&k.source(), path,
              what + " '" + path + "'" + (suggestion.empty() ? std::string() : "; did you mean '" + suggestion + "'?"));
      }
    }
  }

  template <class Target>
  void assign(const BasicParameter<Target>& p, const toml::node& node, const std::string& path, Target& spec) {
    const std::string unit = p.unit.empty() ? "" : " " + p.unit;
    switch (p.type) {
      case ParamType::Integer: {
        const auto v = node.value_exact<std::int64_t>();
        if (!v) return expected(p, node, path);
        if (static_cast<double>(*v) < p.min || static_cast<double>(*v) > p.max)
          return out_of_range(p, node, path, std::to_string(*v));
        p.as_integer(spec) = *v;
        return;
      }
      case ParamType::Real: {
        std::optional<double> v;
        if (node.is_floating_point()) v = node.as_floating_point()->get();
        if (node.is_integer()) v = static_cast<double>(node.as_integer()->get());
        if (!v) return expected(p, node, path);
        if (!std::isfinite(*v) || *v < p.min || *v > p.max) {
          std::ostringstream text;
          text << *v;
          return out_of_range(p, node, path, text.str());
        }
        p.as_real(spec) = *v;
        return;
      }
      case ParamType::Boolean: {
        const auto v = node.value_exact<bool>();
        if (!v) return expected(p, node, path);
        p.as_boolean(spec) = *v;
        return;
      }
      case ParamType::String: {
        auto v = node.value_exact<std::string>();
        if (const auto* date = node.as_date()) {  // a TOML date (run.start_date = 2026-01-05), as written
          std::ostringstream text;
          text << date->get();
          v = text.str();
        }
        if (!v) return expected(p, node, path);
        if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), *v) == p.choices.end()) {
          std::string list;
          for (const auto& c : p.choices) list += (list.empty() ? "'" : ", '") + c + "'";
          return error(&node, path, "'" + *v + "' is not one of " + list);
        }
        p.as_string(spec) = p.is_path ? resolve_path(*v, path, node) : *v;
        return;
      }
      case ParamType::StringList: {
        const toml::array* a = node.as_array();
        if (!a) return expected(p, node, path);
        std::vector<std::string> values;
        for (const auto& item : *a) {
          const auto v = item.value_exact<std::string>();
          if (!v) return error(&item, path, "expected a list of strings, found an element that is not a string");
          if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), *v) == p.choices.end()) {
            std::string list;
            for (const auto& c : p.choices) list += (list.empty() ? "'" : ", '") + c + "'";
            return error(&item, path, "'" + *v + "' is not one of " + list);
          }
          values.push_back(*v);
        }
        p.as_strings(spec) = std::move(values);
        return;
      }
      case ParamType::RealList: {
        const toml::array* a = node.as_array();
        if (!a) return expected(p, node, path);
        if (p.length != 0 && a->size() != p.length)
          return error(&node, path,
                       "expected " + std::to_string(p.length) + " numbers, got " + std::to_string(a->size()));
        std::vector<double> values;
        for (const auto& item : *a) {
          std::optional<double> v;
          if (item.is_floating_point()) v = item.as_floating_point()->get();
          if (item.is_integer()) v = static_cast<double>(item.as_integer()->get());
          if (!v) return error(&item, path, "expected a list of numbers, found an element that is not a number");
          if (!std::isfinite(*v) || *v < p.min || *v > p.max) {
            std::ostringstream text;
            text << *v;
            return out_of_range(p, item, path, text.str());
          }
          values.push_back(*v);
        }
        p.as_reals(spec) = std::move(values);
        return;
      }
    }
  }

  // A file named in a scenario is relative to the scenario's folder; one given as an override is
  // relative to the working directory. The file must exist.
  std::string resolve_path(const std::string& value, const std::string& key, const toml::node& node) {
    namespace fs = std::filesystem;
    if (value.empty()) return value;
    fs::path p(value);
    // Relative to the file the value is written in (the scenario, or a scenario it extends).
    const auto& src = node.source();
    const bool from_file = src.path && !src.path->empty() && !is_override(key);
    if (p.is_relative() && from_file) p = fs::path(*src.path).parent_path() / p;
    std::error_code ec;
    p = fs::absolute(p, ec).lexically_normal();
    const auto status = fs::status(p, ec);
    if (fs::is_directory(status))
      error(&node, key, "a folder, not a file: " + p.string());
    else if (fs::exists(status) && !fs::is_regular_file(status))
      error(&node, key, "not a regular file (a FIFO, a device or a socket): " + p.string());
    else if (!fs::is_regular_file(status))
      error(&node, key, "file not found: " + p.string());
    return p.string();
  }

  bool is_override(const std::string& key) const {
    for (const auto& o : overrides_)
      if (o.first == key) return true;
    return false;
  }

  template <class Target>
  void expected(const BasicParameter<Target>& p, const toml::node& node, const std::string& path) {
    const std::string got = type_name(node);
    const char* article = p.type == ParamType::Integer ? "an " : "a ";
    error(&node, path,
          std::string("expected ") + article + to_string(p.type) + (p.unit.empty() ? "" : " (" + p.unit + ")") +
              ", got " + got);
  }

  template <class Target>
  void out_of_range(const BasicParameter<Target>& p, const toml::node& node, const std::string& path,
                    const std::string& value) {
    std::ostringstream msg;
    msg << "must be between " << p.min << " and " << p.max << (p.unit.empty() ? "" : " " + p.unit) << ", got " << value;
    error(&node, path, msg.str());
  }

  // A timeline ([[policies]] or [[shocks]]): an array of tables, each with a kind and the
  // fields of its kind.
  void timeline(const toml::node& node, Spec& spec, const std::string& name) {
    const bool shocks = name == "shocks";
    const std::string what = shocks ? "shock" : "policy";
    const auto& kinds = shocks ? shock_kinds() : policy_kinds();
    auto& events = shocks ? spec.shocks : spec.policies;
    auto& nodes = shocks ? shock_nodes_ : policy_nodes_;
    const toml::array* list = node.as_array();
    if (!list || !list->is_array_of_tables()) {
      error(&node, name, "expected an array of tables: one [[" + name + "]] table per " + what);
      return;
    }
    std::size_t index = 0;
    for (const auto& item : *list) {
      ++index;
      const toml::table& table = *item.as_table();
      const std::string base = name + "[" + std::to_string(index) + "]";
      PolicySpec policy;
      for (const auto& f : policy_parameters()) f.set_default(policy);
      const auto& src = table.source();
      policy.file = src.path ? *src.path : source_name_;
      policy.line = static_cast<int>(src.begin.line);
      policy.column = static_cast<int>(src.begin.column);
      const auto kind = table["kind"].value_exact<std::string>();
      if (!kind) {
        error(&item, base + ".kind",
              table.contains("kind") ? "expected a string"
                                     : "missing: every " + what + " has a kind, one of " + kinds_list(kinds));
        continue;
      }
      if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) {
        std::string best = closest(*kind, kinds);
        error(table.get("kind"), base + ".kind",
              "unknown kind of " + what + " '" + *kind + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?") +
                  " (kinds: " + kinds_list(kinds) + ")");
        continue;
      }
      const auto fields = policy_parameters_of(*kind);
      std::vector<std::string> names;
      for (const auto* f : fields) names.push_back(f->key);
      for (const auto& [k, value] : table) {
        const std::string key(k.str());
        const auto it = std::find_if(fields.begin(), fields.end(), [&](const auto* f) { return f->key == key; });
        if (it == fields.end()) {
          std::string best = closest(key, names);
          error(&k.source(), base + "." + key,
                "a " + *kind + " " + what + " has no field '" + key + "'" +
                    (best.empty() ? "" : "; did you mean '" + best + "'?"));
          continue;
        }
        assign(**it, value, base + "." + key, policy);
      }
      for (const auto* f : fields)
        if (f->required && !table.contains(f->key))
          error(&item, base + "." + f->key,
                "missing: a " + *kind + " " + what + " needs " + f->key + " (" + f->description + ")");
      policy.id = find_kind(*kind)->id;  // parsed once: the engine never compares kind names
      if (policy.label.empty()) policy.label = std::to_string(index) + ":" + policy.kind;
      events.push_back(std::move(policy));
      nodes.push_back(&table);
    }
  }

  // Whether the platform a policy names exists: a kind of the market's platforms, or a carpool
  // platform (listed key, or the first of a kind).
  static bool names_a_platform(const Spec& s, const PolicySpec& p) {
    return p.sector == "carpool" ? carpool_platform_named(s, p.platform).has_value()
                                 : p.platform == "cooperative" || p.platform == "incumbent";
  }

  // The platform each policy names, once carpooling's platforms are known.
  void policy_platforms(const Spec& s) {
    for (std::size_t i = 0; i < s.policies.size() && i < policy_nodes_.size(); ++i) {
      const PolicySpec& p = s.policies[i];
      const toml::node* at = policy_nodes_[i]->get("platform");
      if (!at || names_a_platform(s, p)) continue;
      std::string names = "'cooperative', 'incumbent'";
      if (p.sector == "carpool" && !s.carpool.platforms.empty()) {  // the kinds it has, then the keys
        names.clear();
        for (const char* kind : {"cooperative", "incumbent"})
          if (carpool_platform_named(s, kind)) names += std::string(names.empty() ? "'" : ", '") + kind + "'";
        for (const auto& c : s.carpool.platforms) names += (names.empty() ? "'" : ", '") + c.key + "'";
      }
      error(at, "policies[" + std::to_string(i + 1) + "].platform", "'" + p.platform + "' is not one of " + names);
    }
  }

  // Carpooling's platforms: [[carpool.platforms]], each a table with a key, whether it is a
  // cooperative, and any field of a carpool platform, which starts from carpool.cooperative or
  // carpool.incumbent; without the list, those two tables are the platforms.
  void carpool_platforms(Spec& spec) {
    auto& out = spec.carpool.platforms;
    out.clear();
    if (!carpool_platforms_node_) return;
    const toml::node& node = *carpool_platforms_node_;
    const toml::array* list = node.as_array();
    if (!list || !list->is_array_of_tables() || list->empty()) {
      error(&node, "carpool.platforms",
            "expected an array of tables: one [[carpool.platforms]] table per platform, at least one");
      return;
    }
    if (list->size() > kMaxCarpoolPlatforms) {
      error(&node, "carpool.platforms",
            "at most " + std::to_string(kMaxCarpoolPlatforms) + " carpool platforms, got " +
                std::to_string(list->size()));
      return;
    }
    // The fields a listed platform may set: those of carpooling's platform tables.
    std::vector<std::string> names = {"key", "cooperative"};
    for (const auto& p : parameters())
      if (p.key.rfind("carpool.cooperative.", 0) == 0) names.push_back(p.key.substr(20));
    std::size_t index = 0;
    for (const auto& item : *list) {
      ++index;
      const toml::table& table = *item.as_table();
      const std::string base = "carpool.platforms[" + std::to_string(index) + "]";
      const auto key = table["key"].value_exact<std::string>();
      const auto cooperative = table["cooperative"].value_exact<bool>();
      bool ok = true;
      if (!key || key->empty() || !std::all_of(key->begin(), key->end(), [](char c) {
            return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                   c == '_';
          })) {
        error(table.contains("key") ? table.get("key") : &item, base + ".key",
              table.contains("key") ? "expected a name of lower-case letters, digits and _ (e.g. \"ridygo\")"
                                    : "missing: every carpool platform has a key naming it in results and policies");
        ok = false;
      } else if (std::any_of(out.begin(), out.end(), [&](const CarpoolPlatformSpec& c) { return c.key == *key; })) {
        error(table.get("key"), base + ".key", "platform '" + *key + "' is listed twice");
        ok = false;
      }
      if (!cooperative) {
        error(table.contains("cooperative") ? table.get("cooperative") : &item, base + ".cooperative",
              table.contains("cooperative") ? "expected true (a cooperative) or false (an incumbent)"
                                            : "missing: say whether the platform is a cooperative (true or false)");
        ok = false;
      }
      // Policies name "cooperative" and "incumbent" as the first platform of that kind: a key of
      // the other kind's word would make them pay another platform than the one meant.
      if (ok && ((*key == "cooperative" && !*cooperative) || (*key == "incumbent" && *cooperative))) {
        error(table.get("key"), base + ".key",
              "key '" + *key + "' names the first " + (*key == "cooperative" ? "cooperative" : "incumbent") +
                  " platform in policies, but this platform is " + (*cooperative ? "a cooperative" : "an incumbent") +
                  ": give it another key");
        ok = false;
      }
      if (!ok) continue;
      // Each field is checked as the same field of carpooling's table of its kind, on a copy.
      const std::string kind = *cooperative ? "carpool.cooperative." : "carpool.incumbent.";
      Spec scratch;
      (*cooperative ? scratch.carpool.cooperative : scratch.carpool.incumbent) =
          *cooperative ? spec.carpool.cooperative : spec.carpool.incumbent;
      for (const auto& [k, value] : table) {
        const std::string field(k.str());
        if (field == "key" || field == "cooperative") continue;
        const Parameter* p = find_parameter(kind + field);
        if (!p) {
          const std::string best = closest(field, names);
          error(&k.source(), base + "." + field,
                "a carpool platform has no field '" + field + "'" +
                    (best.empty() ? "" : "; did you mean '" + best + "'?"));
          continue;
        }
        assign(*p, value, base + "." + field, scratch);
      }
      MarketPlatformSpec platform = *cooperative ? scratch.carpool.cooperative : scratch.carpool.incumbent;
      if (!table.contains("name")) platform.name = *key;
      out.push_back({*key, *cooperative, std::move(platform)});
    }
  }

  static std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const auto& c : candidates) {
      const std::size_t d = edit_distance(word, c);
      if (d < best_distance) best_distance = d, best = c;
    }
    if (best_distance <= std::max<std::size_t>(2, word.size() / 3)) return best;
    for (const auto& c : candidates)  // a shortened or lengthened name: amount for amount_eur
      if (c.rfind(word, 0) == 0 || word.rfind(c, 0) == 0) return c;
    return {};
  }

  static std::string kinds_list(const std::vector<std::string>& kinds) {
    std::string out;
    for (const auto& k : kinds) out += (out.empty() ? "" : ", ") + k;
    return out;
  }

  // Whether a key of one kind of territory is written where the territory's source is decided:
  // keys inherited from an extended scenario for the other kind simply do not apply (a scenario
  // may extend the synthetic baseline and switch to a commune table).
  bool written_with_source(const toml::table& root, const char* key) const {
    if (is_override(key)) return true;  // an override is an explicit choice
    // A source chosen by an override drops the keys of the other kind that files wrote.
    if (is_override("territory.source")) return false;
    const toml::node* node = root.at_path(key).node();
    if (!node) return false;
    const toml::node* source = root.at_path("territory.source").node();
    if (!source) return true;
    // An error unless the key comes from further up the lineage than the source's choice.
    const auto depth = [&](const toml::node* n) {
      const auto it = n->source().path ? depths_.find(*n->source().path) : depths_.end();
      return it == depths_.end() ? 0 : it->second;
    };
    return depth(node) <= depth(source);
  }

  void set_depths(std::map<std::string, int> depths) { depths_ = std::move(depths); }

  // Rules that involve several keys.
  void cross_field(const toml::table& root, const Spec& s) {
    auto node_of = [&](const char* key) { return root.at_path(key).node(); };
    if (const auto start = parse_iso_date(s.run.start_date); !start) {
      error(node_of("run.start_date"), "run.start_date",
            "expected a date written YYYY-MM-DD (e.g. \"2026-01-05\"), got '" + s.run.start_date + "'");
    } else {
      // The results' dates are datetime64[ns] in every reader (xarray, pandas): 1677 to 2262.
      using namespace std::chrono;
      const auto end = sys_days{*start} + days{7 * std::clamp<std::int64_t>(s.run.weeks, 0, 1'000'000)};
      if (start->year() < year{1900} || end > sys_days{year{2262} / 4 / 11})
        error(node_of("run.start_date"), "run.start_date",
              "expected a date from 1900-01-01 whose run ends by 2262-04-11 (the results' dates are "
              "nanoseconds since 1970 in every reader), got " +
                  s.run.start_date + " with " + std::to_string(s.run.weeks) + " weeks");
    }
    if (s.name.empty()) error(node_of("name"), "name", "expected a name (it heads the scenario's column), got \"\"");
    const auto& deciles = s.population.income_eur_by_decile;
    if (!std::is_sorted(deciles.begin(), deciles.end()))
      error(node_of("population.income_eur_by_decile"), "population.income_eur_by_decile",
            "expected the ten deciles' incomes from the poorest to the richest (not decreasing)");
    if (s.population.dense_city_density <= s.population.dense_city_from_density) {
      std::ostringstream msg;
      msg << "must be above population.dense_city_from_density (" << s.population.dense_city_from_density
          << " per km2), got " << s.population.dense_city_density;
      error(node_of("population.dense_city_density"), "population.dense_city_density", msg.str());
    }
    const auto& t = s.territory;
    if (t.source == "synthetic") {
      if (t.road_neighbours >= t.zones)
        error(node_of("territory.road_neighbours"), "territory.road_neighbours",
              "must be smaller than territory.zones (" + std::to_string(t.zones) + "), got " +
                  std::to_string(t.road_neighbours));
      if (t.zones > t.residents)
        error(node_of("territory.zones"), "territory.zones",
              "cannot exceed territory.residents (" + std::to_string(t.residents) + ")");
      for (const char* key : kCommunesOnly)
        if (written_with_source(root, key))
          error(node_of(key), key, "applies to a commune table: set territory.source = \"communes\"");
    } else {
      if (t.communes_file.empty())
        error(node_of("territory.source"), "territory.communes_file",
              "a commune territory needs territory.communes_file, the commune table to read");
      for (const char* key : kSyntheticOnly)
        if (written_with_source(root, key))
          error(node_of(key), key,
                "applies to the synthetic territory only: a commune table gives its own communes and "
                "populations");
    }
    auto sum_to_one = [&](const char* key, const std::vector<double>& v) {
      double sum = 0;
      for (double x : v) sum += x;
      if (std::abs(sum - 1.0) > 1e-6) {
        std::ostringstream msg;
        msg << "must sum to 1, got " << sum;
        error(node_of(key), key, msg.str());
      }
    };
    sum_to_one("population.age_shares", s.population.age_shares);
    sum_to_one("firms.sector_shares", s.firms.sector_shares);
    double reachable = 0, highest = 0;
    for (std::size_t g = 0; g < s.population.age_shares.size(); ++g) {
      reachable += s.population.age_shares[g] * s.population.relative_employment_by_age[g];
      highest = std::max(highest, s.population.relative_employment_by_age[g]);
    }
    if (highest > 0) reachable /= highest;
    if (s.population.commuter_share > reachable + 1e-12) {
      std::ostringstream msg;
      msg << "cannot exceed " << reachable
          << ", the share of residents in age groups that work (population.age_shares weighted by "
             "population.relative_employment_by_age), got "
          << s.population.commuter_share;
      error(node_of("population.commuter_share"), "population.commuter_share", msg.str());
    }
    // The policy timeline: weeks within the horizon, fixed commitments within the budget.
    double committed = 0;
    std::map<std::string, double> equity;
    std::map<std::string, const toml::table*> equity_node;
    std::map<std::string, std::string> equity_key;  // the last equity policy of the sector: policies[i].equity_eur
    std::map<std::string, double> members_capital;  // citizens' shares, by sector
    bool pays_per_use = false;
    const toml::table* first_incentive = nullptr;
    const std::size_t events = s.policies.size() + s.shocks.size();
    std::map<std::string, std::string> labelled;  // label (of a policy, of a shock) -> the first to bear it
    for (std::size_t e = 0; e < events; ++e) {
      const bool shock = e >= s.policies.size();
      const std::size_t i = shock ? e - s.policies.size() : e;
      const auto& p = shock ? s.shocks[i] : s.policies[i];
      const toml::table& written = shock ? *shock_nodes_[i] : *policy_nodes_[i];
      const std::string base = (shock ? "shocks[" : "policies[") + std::to_string(i + 1) + "]";
      // The results name each policy (each shock) by its label: two alike could not be told apart.
      if (const auto [first, fresh] = labelled.try_emplace((shock ? "s:" : "p:") + p.label, base); !fresh)
        error(written.get("label") ? written.get("label") : static_cast<const toml::node*>(&written), base + ".label",
              "'" + p.label + "' already labels " + first->second +
                  " (the results name them by label): give each its own label");
      const std::int64_t end = p.end_week == 0 ? s.run.weeks : p.end_week;
      if (p.start_week > s.run.weeks)
        error(written.get("start_week"), base + ".start_week",
              "week " + std::to_string(p.start_week) +
                  " is after the end of the run (run.weeks = " + std::to_string(s.run.weeks) + ")");
      if (end > s.run.weeks)
        error(written.get("end_week"), base + ".end_week",
              "week " + std::to_string(end) +
                  " is after the end of the run (run.weeks = " + std::to_string(s.run.weeks) + ")");
      if (end < p.start_week)
        error(written.get("end_week"), base + ".end_week",
              "ends (week " + std::to_string(end) + ") before it starts (week " + std::to_string(p.start_week) + ")");
      // In cents, rounded as the engine spends them: the kind's commitment rule, as the timeline reads it.
      committed += static_cast<double>(committed_cents(p, s)) / 100.0;
      const KindDef& k = kind(p.id);
      if (k.pays_per_use && !pays_per_use) pays_per_use = true, first_incentive = &written;
      if (k.validate && names_a_platform(s, p)) {
        KindCheck check{p, s, [&](const char* field) { return written.get(field) != nullptr; },
                        [&](const char* field, bool at_table, const std::string& message) {
                          error(at_table ? static_cast<const toml::node*>(&written) : written.get(field),
                                base + "." + field, message);
                        }};
        k.validate(check);
      }
      // Capital of each cooperative of the sector: public bodies' (the cap) and members'.
      if (k.public_capital)
        equity[p.sector] += k.public_capital(p), equity_node[p.sector] = &written,
                                                 equity_key[p.sector] = base + ".equity_eur";
      if (k.private_capital) members_capital[p.sector] += k.private_capital(p);
    }
    // SCIC law: local authorities together hold at most half of a SCIC's capital.
    for (const auto& [sector, total] : equity) {
      const MarketPlatformSpec* coop = market_platform(s, sector, "cooperative");
      const double members = coop ? coop->initial_capital_eur + members_capital[sector] : 0.0;
      if (coop && total > members) {
        std::ostringstream msg;
        msg << "the authority's equity (" << total << " EUR) would exceed the members' capital (" << members << " EUR"
            << (members_capital[sector] > 0 ? ", citizens' shares included" : "")
            << "): local authorities may hold at most 50 % of a SCIC's capital (SCIC law since 2014)";
        error(equity_node[sector]->get("equity_eur"), equity_key[sector], msg.str());
      }
    }
    if (s.cooperatives.reserve_share + s.cooperatives.investment_share > 1.0 + 1e-12)
      error(node_of("cooperatives.investment_share"), "cooperatives.investment_share",
            "reserves and investment cannot exceed the whole surplus: reserve_share + investment_share must be at "
            "most 1");
    if (s.barter.cooperative.count > 0 && s.barter.cooperative.initial_awareness > s.barter.potential_share) {
      std::ostringstream msg;
      msg << "the firms members at start (" << s.barter.cooperative.initial_awareness
          << " of firms) are drawn among the potential members: at most barter.potential_share ("
          << s.barter.potential_share << ")";
      error(node_of("barter.cooperative.initial_awareness"), "barter.cooperative.initial_awareness", msg.str());
    }
    // Snapshots: whole weeks within the horizon, each once.
    std::set<double> seen;
    for (double w : s.outputs.snapshot_weeks) {
      std::ostringstream msg;
      if (w != std::floor(w))
        msg << "a snapshot is taken after a whole week, got " << w;
      else if (w > static_cast<double>(s.run.weeks))
        msg << "week " << w << " is after the end of the run (run.weeks = " << s.run.weeks << ")";
      else if (!seen.insert(w).second)
        msg << "week " << w << " is listed twice";
      if (!msg.str().empty()) error(node_of("outputs.snapshot_weeks"), "outputs.snapshot_weeks", msg.str());
    }
    double weights = 0;
    for (double w : s.cooperatives.vote_weights) weights += w;
    if (std::abs(weights - 1.0) > 1e-9) {
      std::ostringstream msg;
      msg << "the weights of the colleges must sum to 1, got " << std::setprecision(12) << weights;
      error(node_of("cooperatives.vote_weights"), "cooperatives.vote_weights", msg.str());
    }
    if (std::llround(committed * 100.0) > std::llround(s.authority.budget_eur * 100.0)) {
      std::ostringstream msg;
      msg << "the policies commit " << committed
          << " EUR (campaigns, grants, equity, procurement, in-kind support, network) but the budget is "
          << s.authority.budget_eur << " EUR";
      error(node_of("authority.budget_eur") ? node_of("authority.budget_eur") : nullptr, "authority.budget_eur",
            msg.str());
    }
    if (pays_per_use && s.authority.budget_eur <= committed)
      error(node_of("authority.budget_eur") ? node_of("authority.budget_eur") : first_incentive, "authority.budget_eur",
            "a carpool_incentive or barter_support is paid from the budget: authority.budget_eur must leave money "
            "for it");
  }

  void add_override(const Override& o) { overrides_.emplace_back(o.key, o.origin); }
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }
  bool ok() const { return diagnostics_.empty(); }

 private:
  std::string source_name_;
  std::vector<std::pair<std::string, std::string>> overrides_;  // key, origin
  std::vector<const toml::table*> policy_nodes_;                // the [[policies]] tables, in order
  std::vector<const toml::table*> shock_nodes_;                 // the [[shocks]] tables, in order
  const toml::node* carpool_platforms_node_ = nullptr;          // [[carpool.platforms]], if listed
  std::map<std::string, int> depths_;                           // each scenario file's distance from the top one
  std::vector<Diagnostic> diagnostics_;
};

// Refuses, before the TOML library sees it, a text whose arrays and inline tables nest deeper than
// kMaxTomlNesting or with a dotted key of more than kMaxTomlKeyParts parts: the library recurses
// on both and would overflow the stack (a crash, not an error) on a small hostile file.
void check_toml_bounds(std::string_view text, const std::string& source_name) {
  enum class In { Value, Comment, Basic, Literal, MultiBasic, MultiLiteral } in = In::Value;
  int line = 1, column = 0, depth = 0, parts = 0;
  bool after_part = false, after_dot = false, in_part = false;
  const auto refuse = [&](const std::string& what) {
    throw ConfigurationError(what, Location{source_name, line, column, {}});
  };
  const auto key_part = [&] {
    parts = after_dot ? parts + 1 : 1;
    after_part = true, after_dot = false;
    if (parts > kMaxTomlKeyParts) refuse("a dotted key of more than " + std::to_string(kMaxTomlKeyParts) + " parts");
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool three = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
    ++column;
    if (c == '\n') ++line, column = 0;
    switch (in) {
      case In::Comment:
        if (c == '\n') in = In::Value;
        continue;
      case In::Basic:
      case In::Literal:
        if (c == '\\' && in == In::Basic) {
          ++i, ++column;
        } else if (c == '\n') {
          in = In::Value, parts = 0, after_part = after_dot = false;  // unterminated: the parser says so
        } else if (c == (in == In::Basic ? '"' : '\'')) {
          in = In::Value;
          key_part();
        }
        continue;
      case In::MultiBasic:
      case In::MultiLiteral:
        if (c == '\\' && in == In::MultiBasic) {
          if (i + 1 < text.size() && text[i + 1] == '\n') ++line, column = -1;
          ++i, ++column;
        } else if (three && c == (in == In::MultiBasic ? '"' : '\'')) {
          in = In::Value, i += 2, column += 2;
          while (i + 1 < text.size() && text[i + 1] == c) ++i, ++column;  // up to two quotes end the content
          parts = 0, after_part = after_dot = false;
        }
        continue;
      case In::Value: break;
    }
    const bool key_char = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    if (key_char) {
      if (!in_part) key_part();
      in_part = true;
      continue;
    }
    in_part = false;
    switch (c) {
      case ' ':
      case '\t': break;
      case '.':
        if (after_part)
          after_dot = true, after_part = false;
        else
          parts = 0, after_dot = false;
        break;
      case '"':
      case '\'':
        if (three) {
          in = c == '"' ? In::MultiBasic : In::MultiLiteral, i += 2, column += 2;
        } else {
          in = c == '"' ? In::Basic : In::Literal;
        }
        break;
      case '#': in = In::Comment, parts = 0, after_part = after_dot = false; break;
      case '[':
      case '{':
        if (++depth > kMaxTomlNesting)
          refuse("arrays and inline tables nested more than " + std::to_string(kMaxTomlNesting) + " levels deep");
        parts = 0, after_part = after_dot = false;
        break;
      case ']':
      case '}':
        depth = std::max(0, depth - 1);
        parts = 0, after_part = after_dot = false;
        break;
      default: parts = 0, after_part = after_dot = false;
    }
  }
}

toml::table parse_or_throw(std::string_view text, const std::string& source_name) {
  if (text.size() > kMaxScenarioBytes)
    throw ConfigurationError("scenario is larger than " + std::to_string(kMaxScenarioBytes) + " bytes",
                             in_file(source_name));
  check_toml_bounds(text, source_name);
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ConfigurationError(
        std::string("invalid TOML: ") + std::string(e.description()),
        Location{source_name, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column), {}});
  }
}

Location location_of(const toml::node& node, const std::string& fallback, const std::string& key) {
  const auto& src = node.source();
  return Location{src.path ? *src.path : fallback, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column),
                  key};
}

// Deep merge: tables merge key by key, the policy timelines are concatenated, any other value of
// `from` replaces the one in `into`. Nodes keep their source, so errors point into their own file.
// (Nodes are moved, never copied: a copy would lose its source region.)
void merge_into(toml::table& into, toml::table&& from) {
  for (auto&& [k, v] : from) {
    toml::node* existing = into.get(k);
    if (existing && existing->is_table() && v.is_table()) {
      merge_into(*existing->as_table(), std::move(*v.as_table()));
    } else if (existing && (k.str() == "policies" || k.str() == "shocks") && existing->is_array() && v.is_array()) {
      for (auto&& item : *v.as_array()) existing->as_array()->push_back(std::move(item));
    } else {
      into.insert_or_assign(k, std::move(v));
    }
  }
}

// A territory file (territories/drome.toml): a [territory] table and nothing else, so that any
// scenario's policies run on any territory. `name` is relative to `folder`; `at` locates the
// reference to it for a file that cannot be read.
toml::table read_territory_file(const std::string& name, const std::filesystem::path& folder, const Location& at) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path = fs::path(name).is_relative() ? folder / name : fs::path(name);
  path = fs::weakly_canonical(path, ec);
  std::string text;
  try {  // a regular file only, and a bounded one: a FIFO or a device would hang or never end
    text = read_regular_file(path.string(), kMaxScenarioBytes, "the territory file");
  } catch (const IOError& e) {  // "the territory file: file not found", "...: not a regular file (a FIFO...)"
    const std::string& reason = e.diagnostics().front().message;
    throw ConfigurationError("cannot read the territory file " + path.string() + ": " +
                                 reason.substr(std::min(reason.size(), std::string("the territory file: ").size())),
                             at);
  }
  toml::table file = parse_or_throw(text, path.string());
  for (const auto& [k, node] : file)
    if (k.str() != "territory")
      throw ConfigurationError("a territory file holds a [territory] table only, found '" + std::string(k.str()) + "'",
                               location_of(node, path.string(), std::string(k.str())));
  toml::node* table = file.get("territory");
  if (!table || !table->is_table())
    throw ConfigurationError("a territory file holds a [territory] table (docs/territories.md)",
                             table ? location_of(*table, path.string(), "territory") : in_file(path.string()));
  return std::move(*table->as_table());
}

// `territory = "FILE"` in a scenario: the territory file's table replaces the [territory] of the
// scenarios it extends. Returns whether the scenario names one.
bool resolve_territory_file(toml::table& root, const std::string& source_name) {
  const toml::node* node = root.get("territory");
  if (!node || node->is_table()) return false;
  const auto name = node->value_exact<std::string>();
  if (!name)
    throw ConfigurationError(
        "expected a territory file name (territory = \"territories/drome.toml\") or a "
        "[territory] table",
        location_of(*node, source_name, "territory"));
  toml::table table = read_territory_file(*name, std::filesystem::path(source_name).parent_path(),
                                          location_of(*node, source_name, "territory"));
  root.insert_or_assign("territory", std::move(table));
  return true;
}

constexpr std::size_t kMaxExtendsDepth = 16;

// Parses a scenario and the scenarios it extends (`extends = "baseline.toml"` or a list, relative
// to its folder), merged parents first. `chain` holds the files being read, to refuse cycles.
// What loading a scenario with its ancestors records: the files being read (to refuse cycles),
// the files already merged (a shared ancestor is merged once: "diamonds" keep the values of the
// files that extend it), and each file's distance from the top scenario.
struct Lineage {
  std::vector<std::string> chain;
  std::set<std::string> merged;
  std::map<std::string, int> depth;
};

toml::table load_tree(std::string_view text, const std::string& source_name, Lineage& lineage) {
  namespace fs = std::filesystem;
  toml::table root = parse_or_throw(text, source_name);
  const bool own_territory = resolve_territory_file(root, source_name);
  const toml::node* extends = root.get("extends");
  if (!extends) return root;
  std::vector<std::string> parents;
  if (const auto one = extends->value_exact<std::string>())
    parents.push_back(*one);
  else if (const toml::array* many = extends->as_array()) {
    for (const auto& item : *many) {
      const auto name = item.value_exact<std::string>();
      if (!name) throw ConfigurationError("expected a scenario file name", location_of(item, source_name, "extends"));
      parents.push_back(*name);
    }
  } else {
    throw ConfigurationError("expected a scenario file name, or a list of them",
                             location_of(*extends, source_name, "extends"));
  }
  if (lineage.chain.size() >= kMaxExtendsDepth)
    throw ConfigurationError("scenarios extend one another more than " + std::to_string(kMaxExtendsDepth) + " deep",
                             location_of(*extends, source_name, "extends"));
  toml::table merged;
  for (const auto& name : parents) {
    std::error_code ec;
    fs::path path = fs::path(name).is_relative() ? fs::path(source_name).parent_path() / name : fs::path(name);
    path = fs::weakly_canonical(path, ec);
    const std::string key = path.string();
    auto& chain = lineage.chain;
    if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
      std::string cycle;
      for (const auto& c : chain) cycle += c + " -> ";
      throw ConfigurationError("a cycle of extends: " + cycle + key, location_of(*extends, source_name, "extends"));
    }
    if (!lineage.merged.insert(key).second) continue;  // a shared ancestor, already merged
    std::string parent_text;
    try {
      if (name.empty()) throw IOError("the extended scenario: the file name is empty");
      parent_text = read_regular_file(key, kMaxScenarioBytes, "the extended scenario");
    } catch (const IOError& e) {
      throw ConfigurationError(e.diagnostics().front().message + (name.empty() ? "" : ": " + key),
                               location_of(*extends, source_name, "extends"));
    }
    chain.push_back(key);
    const int level = static_cast<int>(chain.size()) - 1;
    auto& recorded = lineage.depth[key];
    recorded = std::max(recorded, level);
    merge_into(merged, load_tree(parent_text, key, lineage));
    chain.pop_back();
  }
  root.erase("extends");
  if (own_territory) merged.erase("territory");
  merge_into(merged, std::move(root));
  return merged;
}

// Inserts `value` at the dotted `key` of `root`, creating tables on the way.
void insert_at(toml::table& root, const Override& o, toml::node&& value, Validator& v) {
  toml::table* table = &root;
  std::size_t start = 0;
  for (;;) {
    const auto dot = o.key.find('.', start);
    const std::string part = o.key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) {
      v.error(static_cast<const toml::node*>(nullptr), o.key, "'" + o.key + "' is not a dotted key path");
      return;
    }
    if (dot == std::string::npos) {
      table->insert_or_assign(part, std::move(value));
      return;
    }
    auto* child = table->get(part);
    if (!child) child = &table->insert(part, toml::table{}).first->second;
    if (!child->is_table()) {
      v.error(static_cast<const toml::node*>(nullptr), o.key, "'" + o.key.substr(0, dot) + "' is a value, not a table");
      return;
    }
    table = child->as_table();
    start = dot + 1;
  }
}

Spec validate_table(const toml::table& root, Validator& v) {
  Spec spec = default_spec();
  if (!root.contains("schema_version"))
    v.error(static_cast<const toml::node*>(nullptr), "schema_version",
            "missing: every scenario starts with 'schema_version = 1'");
  v.walk(root, "", spec);
  v.carpool_platforms(spec);
  v.policy_platforms(spec);
  if (v.ok()) v.cross_field(root, spec);
  return spec;
}

}  // namespace

Scenario Scenario::from_file(const std::string& path) {
  return from_string(read_regular_file(path, kMaxScenarioBytes, "scenario"), path);
}

Scenario Scenario::from_string(std::string_view text, const std::string& source_name) {
  Scenario s;
  s.source_name_ = source_name;
  s.text_ = std::string(text);
  return s.with_overrides({});
}

Scenario Scenario::defaults() {
  return from_string("schema_version = 1\n", "<defaults>");
}

Scenario Scenario::with_overrides(const std::vector<Override>& overrides) const {
  Scenario out = *this;
  out.overrides_.insert(out.overrides_.end(), overrides.begin(), overrides.end());
  Lineage lineage;
  {
    std::error_code ec;
    const auto self = std::filesystem::weakly_canonical(out.source_name_, ec);
    if (!ec && std::filesystem::is_regular_file(self)) lineage.chain.push_back(self.string());
  }
  lineage.depth[out.source_name_] = 0;
  toml::table root = load_tree(out.text_, out.source_name_, lineage);
  Validator v(out.source_name_);
  v.set_depths(lineage.depth);
  for (const auto& o : out.overrides_) {
    toml::table holder;
    try {
      check_toml_bounds(o.value, o.origin);
      holder = toml::parse("value = " + o.value, o.origin);
    } catch (const toml::parse_error&) {
      holder = toml::table{};  // not a TOML value: take the text as a string
      holder.insert("value", o.value);
    }
    if (!holder.contains("value") || holder.size() != 1) {
      v.error(static_cast<const toml::node*>(nullptr), o.key, "value '" + o.value + "' is not a single TOML value");
      continue;
    }
    v.add_override(o);
    if (o.key == "territory") {  // --territory FILE: relative to the working directory
      const auto name = holder.get("value")->value_exact<std::string>();
      if (!name) {
        v.error(static_cast<const toml::node*>(nullptr), o.key, "expected the name of a territory file");
        continue;
      }
      root.insert_or_assign("territory", read_territory_file(*name, {}, Location{o.origin, 0, 0, o.key}));
      continue;
    }
    insert_at(root, o, std::move(*holder.get("value")), v);
  }
  out.spec_ = validate_table(root, v);
  if (!v.ok()) throw ConfigurationError(v.take());
  return out;
}

std::string Scenario::resolved_toml(std::uint64_t seed) const {
  Scenario copy = *this;
  copy.spec_.run.seed = static_cast<std::int64_t>(seed);
  return copy.resolved_toml();
}

std::string Scenario::resolved_toml() const {
  // Written by hand rather than by toml++'s printer, for readable numbers (0.3, not
  // 0.29999999999999999) and the registry's order: top-level keys, then each table.
  std::vector<std::string> tables;
  std::vector<std::vector<const Parameter*>> members;
  for (const auto& p : parameters()) {
    if (!applies(p.key, spec_)) continue;
    const auto dot = p.key.rfind('.');
    const std::string table = dot == std::string::npos ? "" : p.key.substr(0, dot);
    auto it = std::find(tables.begin(), tables.end(), table);
    if (it == tables.end()) {
      tables.push_back(table);
      members.emplace_back();
      it = tables.end() - 1;
    }
    members[static_cast<std::size_t>(it - tables.begin())].push_back(&p);
  }
  std::ostringstream out;
  out << "# The scenario as resolved by coopterra: every parameter with its value.\n";
  for (std::size_t t = 0; t < tables.size(); ++t) {
    if (!tables[t].empty()) out << "\n[" << tables[t] << "]\n";
    for (const Parameter* p : members[t])
      out << p->key.substr(tables[t].empty() ? 0 : tables[t].size() + 1) << " = " << p->value_text(spec_) << "\n";
  }
  if (!spec_.carpool.platforms.empty()) {
    std::vector<const Parameter*> fields;
    for (const auto& p : parameters())
      if (p.key.rfind("carpool.cooperative.", 0) == 0) fields.push_back(&p);
    for (const auto& c : spec_.carpool.platforms) {
      out << "\n[[carpool.platforms]]\nkey = \"" << c.key << "\"\ncooperative = " << (c.cooperative ? "true" : "false")
          << "\n";
      Spec one;
      one.carpool.cooperative = c.platform;
      for (const Parameter* p : fields) out << p->key.substr(20) << " = " << p->value_text(one) << "\n";
    }
  }
  for (const auto& policy : spec_.policies) {
    out << "\n[[policies]]\n";
    for (const auto* f : policy_parameters_of(policy.kind)) out << f->key << " = " << f->value_text(policy) << "\n";
  }
  for (const auto& shock : spec_.shocks) {
    out << "\n[[shocks]]\n";
    for (const auto* f : policy_parameters_of(shock.kind)) out << f->key << " = " << f->value_text(shock) << "\n";
  }
  return out.str();
}

std::vector<Diagnostic> validate_file(const std::string& path) {
  try {
    (void)Scenario::from_file(path);
    return {};
  } catch (const Error& e) {
    return e.diagnostics();
  }
}

std::optional<CarpoolPlatformView> carpool_platform_named(const Spec& spec, const std::string& name) {
  const auto list = carpool_platform_list(spec.carpool);
  for (const auto& c : list)
    if (c.key == name) return c;
  for (const auto& c : list)  // a kind: the first platform of that kind
    if ((name == "cooperative" && c.cooperative) || (name == "incumbent" && !c.cooperative)) return c;
  return std::nullopt;
}

std::size_t market_index(const std::string& sector) noexcept {
  for (std::size_t m = 0; m < kMarkets; ++m)
    if (sector == market_key(m)) return m;
  return kMarkets;
}

const MarketPlatformSpec* market_platform(const Spec& spec, const std::string& sector, const std::string& platform) {
  if (sector == "barter") return platform == "cooperative" ? &spec.barter.cooperative : nullptr;
  if (sector == "carpool") {
    const auto c = carpool_platform_named(spec, platform);
    return c ? c->platform : nullptr;
  }
  const std::size_t m = market_index(sector);
  if (m == kMarkets) return nullptr;
  if (platform == "cooperative") return &spec.markets.market[m].cooperative;
  if (platform == "incumbent") return &spec.markets.market[m].incumbent;
  return nullptr;
}

}  // namespace coopterra
