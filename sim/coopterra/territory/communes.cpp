#include "coopterra/territory/communes.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "coopterra/core/error.hpp"

namespace coopterra {

namespace {

constexpr std::size_t kMaxReported = 200;

// Collects located problems in one table; throws them all at once.
class Problems {
 public:
  explicit Problems(std::string path) : path_(std::move(path)) {}
  void add(int line, int column, const std::string& key, std::string message) {
    ++count_;
    if (list_.size() < kMaxReported) list_.push_back({Location{path_, line, column, key}, std::move(message)});
  }
  bool empty() const { return count_ == 0; }
  std::size_t count() const { return count_; }
  void throw_if_any() {
    if (list_.empty()) return;
    if (count_ > list_.size())
      list_.push_back({in_file(path_), "and " + std::to_string(count_ - list_.size()) + " more problems"});
    throw InputDataError(std::move(list_));
  }

 private:
  std::string path_;
  std::vector<Diagnostic> list_;
  std::size_t count_ = 0;
};

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

std::optional<double> parse_real(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string departement_of(const std::string& code) {
  return code.rfind("97", 0) == 0 ? code.substr(0, 3) : code.substr(0, 2);
}

// What an INSEE commune code is, for the messages of codes that are not.
const std::string kInseeCode =
    " is not an INSEE commune code (five characters: the departement's two, such as 26 or 2A, or "
    "97x's three, then digits)";

bool valid_insee_code(const std::string& c) {
  if (c.size() != 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    const bool digit = c[i] >= '0' && c[i] <= '9';
    if (!digit && !(i == 1 && (c[i] == 'A' || c[i] == 'B'))) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

struct Columns {
  int code, name, lat, lon, area, population, households, working_age, active, departement, epci, epci_name, type,
      postal, parent;
};

}  // namespace

std::uint64_t build_bytes(std::size_t zones, std::int64_t residents, bool radiation) {
  const auto z2 = static_cast<std::uint64_t>(zones) * zones;
  return z2 * 2 * sizeof(float) + (radiation ? z2 * sizeof(double) : 0) +
         static_cast<std::uint64_t>(std::max<std::int64_t>(residents, 0)) * kBytesPerResident;
}

std::uint64_t available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  std::uint64_t kb = 0;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return 0;
}

namespace {
std::string gigabytes(std::uint64_t bytes) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(bytes) / 1e9 << " GB";
  return out.str();
}
}  // namespace

namespace {
// Refused up front, before the matrices and the population are built, if it cannot fit: the
// memory error comes before the table's own problems (which would be reported once it fits).
void refuse_if_too_large(const Zones& zones, const TerritorySpec& spec, std::size_t problems) {
  std::int64_t residents = 0;
  for (auto p : zones.population) residents += p;
  const std::size_t n = zones.size();
  const std::uint64_t need = build_bytes(n, residents, spec.flows_file.empty());
  const std::uint64_t have = available_memory_bytes();
  if (have == 0 || need <= have) return;
  throw ConfigurationError(
      "the selection has " + std::to_string(n) + " communes and " + std::to_string(residents) +
          " inhabitants: building it needs about " + gigabytes(need) + " (road distance and time matrices " +
          gigabytes(build_bytes(n, 0, false)) + ", the radiation model's workplace probabilities " +
          gigabytes(build_bytes(n, 0, true) - build_bytes(n, 0, false)) +
          " unless territory.flows_file gives workplaces, residents " + gigabytes(build_bytes(0, residents, false)) +
          ") but this machine has " + gigabytes(have) + " available: select fewer communes (territory.select)" +
          (problems > 0 ? "; the selected rows also have " + std::to_string(problems) + " problems" : ""),
      Location{spec.communes_file, 0, 0, "territory.select"});
}
}  // namespace

std::map<std::string, EpciOf> read_epci_table(const CsvTable& table) {
  Problems problems(table.path);
  const int code = table.column_any({"insee_com", "codgeo", "CODGEO"});
  const int siren = table.column_any({"epci_siren", "epci", "EPCI"});
  const int name = table.column_any({"epci_nom", "libepci", "LIBEPCI"});
  const int type = table.column_any({"epci_type", "nature_epci", "NATURE_EPCI"});
  if (code < 0 || siren < 0)
    problems.add(1, 0, code < 0 ? "insee_com" : "epci_siren",
                 "a commune-to-EPCI table has columns insee_com and epci_siren (and optionally epci_nom, "
                 "epci_type): docs/territories.md");
  problems.throw_if_any();
  std::map<std::string, EpciOf> out;
  std::map<std::string, int> line_of;
  auto field = [](const CsvRecord& r, int c) -> std::string {
    return c >= 0 ? r.fields[static_cast<std::size_t>(c)] : std::string();
  };
  for (const CsvRecord& r : table.records) {
    const std::string c = field(r, code), e = field(r, siren);
    if (!valid_insee_code(c)) {
      problems.add(r.line, code + 1, table.header[static_cast<std::size_t>(code)], token_text(c) + kInseeCode);
      continue;
    }
    if (e.empty()) {
      problems.add(r.line, siren + 1, table.header[static_cast<std::size_t>(siren)], "missing EPCI code");
      continue;
    }
    EpciOf value{e, field(r, name), field(r, type)};
    const auto [it, inserted] = out.emplace(c, value);
    if (!inserted && it->second.siren != e)
      problems.add(r.line, siren + 1, table.header[static_cast<std::size_t>(siren)],
                   "commune " + c + " is in EPCI " + e + " here and in EPCI " + it->second.siren + " on line " +
                       std::to_string(line_of[c]) + ": a commune belongs to one EPCI");
    if (inserted) line_of[c] = r.line;
  }
  problems.throw_if_any();
  return out;
}

namespace {

// One commune's values, from its rows (one per postal code, identical apart from it).
struct CommuneValues {
  std::string code, name, departement, epci, epci_name;
  double lat = 0, lon = 0, area = 0;
  std::int64_t population = 0, households = -1, working_age = -1, active = -1;
};

// A zone to be: a commune (type COM, or a parent commune made of its arrondissements), or an
// arrondissement kept as a zone. `groups` holds the rows of each INSEE code it is made of.
struct Unit {
  std::string code;
  std::vector<std::vector<const CsvRecord*>> groups;
  bool from_arrondissements = false;
};

// The common leading words of names ("Marseille 1er Arrondissement", "Marseille 2e ..." ->
// "Marseille"); the fallback when they share none.
std::string common_name(const std::vector<std::string>& names, const std::string& fallback) {
  if (names.empty()) return fallback;
  std::string prefix = names.front();
  for (const auto& n : names) {
    std::size_t k = 0;
    while (k < prefix.size() && k < n.size() && prefix[k] == n[k]) ++k;
    prefix.resize(k);
  }
  if (names.size() > 1) {
    const auto space = prefix.find_last_of(' ');
    prefix = space == std::string::npos ? std::string() : prefix.substr(0, space);
  }
  while (!prefix.empty() && (prefix.back() == ' ' || prefix.back() == '-')) prefix.pop_back();
  return prefix.empty() ? fallback : prefix;
}

}  // namespace

CommuneSelection read_communes(const CsvTable& table, const TerritorySpec& spec) {
  Problems problems(table.path);
  const Columns col{table.column("insee_com"),
                    table.column("commune"),
                    table.column("lat"),
                    table.column("lng"),
                    table.column("superficie_km2"),
                    table.column("population_2021"),
                    table.column("menages_2021"),
                    table.column("pop_15_64_totale_2021"),
                    table.column("pop_15_64_active_2021"),
                    table.column("insee_dep"),
                    table.column("epci_siren"),
                    table.column("epci_nom"),
                    table.column("commune_type"),
                    table.column("code_postal"),
                    table.column("insee_parente")};
  const std::pair<int, const char*> required[] = {
      {col.code, "insee_com"}, {col.name, "commune"},        {col.lat, "lat"},
      {col.lon, "lng"},        {col.area, "superficie_km2"}, {col.population, "population_2021"}};
  for (const auto& [index, name] : required)
    if (index < 0)
      problems.add(1, 0, name,
                   std::string("missing column '") + name +
                       "': a commune table has INSEE's columns insee_com, commune, lat, lng, superficie_km2, "
                       "population_2021 (docs/territories.md)");
  const bool epci_from_file = !spec.epci_file.empty();
  if (!spec.select_epcis.empty() && col.epci < 0 && !epci_from_file)
    problems.add(1, 0, "epci_siren",
                 "territory.select.epcis needs an 'epci_siren' column, which this table lacks: give "
                 "territory.epci_file, a commune-to-EPCI table (docs/territories.md)");
  problems.throw_if_any();
  const std::map<std::string, EpciOf> epci_table =
      epci_from_file ? read_epci_table(read_csv(spec.epci_file)) : std::map<std::string, EpciOf>{};
  const bool arrondissements_as_zones = spec.arrondissements == "zones";

  const std::set<std::string> want_communes(spec.select_communes.begin(), spec.select_communes.end());
  const std::set<std::string> want_deps(spec.select_departements.begin(), spec.select_departements.end());
  const std::set<std::string> want_epcis(spec.select_epcis.begin(), spec.select_epcis.end());
  const bool select_all = want_communes.empty() && want_deps.empty() && want_epcis.empty();
  std::set<std::string> deps_seen, epcis_seen;
  std::map<std::string, std::string> not_communes;  // code -> "delegated commune of X" etc.
  std::size_t delegated = 0, merged = 0;

  CommuneSelection out;
  Zones& z = out.zones;
  std::unordered_map<std::string, std::size_t> index_of;  // selected code -> zone
  auto field = [](const CsvRecord& r, int c) -> const std::string& {
    static const std::string empty;
    return c >= 0 ? r.fields[static_cast<std::size_t>(c)] : empty;
  };

  // First pass: the rows of each code (a commune may repeat under other postal codes), and the
  // arrondissements of each parent commune.
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<const CsvRecord*>> rows_of;
  std::unordered_map<std::string, std::string> type_of;
  std::map<std::string, std::vector<std::string>> arrondissements_of;  // parent -> ARM codes, in order
  for (const CsvRecord& r : table.records) {
    const std::string& code = field(r, col.code);
    const std::string type = col.type >= 0 ? field(r, col.type) : std::string("COM");
    if (type == "COMD") {
      ++delegated;
      not_communes.emplace(
          code, "a delegated commune (COMD)" + std::string(col.parent >= 0 && !field(r, col.parent).empty()
                                                               ? " of commune " + token_text(field(r, col.parent))
                                                               : ""));
      continue;
    }
    if (type != "COM" && type != "ARM") {
      problems.add(r.line, col.type + 1, "commune_type",
                   "unknown commune type '" + type + "' (expected COM, COMD or ARM)");
      continue;
    }
    if (!valid_insee_code(code)) {
      problems.add(r.line, col.code + 1, "insee_com", token_text(code) + kInseeCode);
      continue;
    }
    if (type == "ARM") {
      const std::string& parent = field(r, col.parent);
      if (!valid_insee_code(parent)) {
        problems.add(r.line, col.parent + 1, "insee_parente",
                     parent.empty() ? "an arrondissement (ARM) needs its parent commune's code"
                                    : token_text(parent) + kInseeCode);
        continue;
      }
      if (!rows_of.count(code)) arrondissements_of[parent].push_back(code);
    }
    auto& rows = rows_of[code];
    if (rows.empty()) {
      type_of[code] = type;
      if (type == "COM") order.push_back(code);
    } else if (type_of[code] != type) {
      problems.add(r.line, col.type + 1, "commune_type",
                   "code " + code + " is " + type_of[code] + " on line " + std::to_string(rows.front()->line) +
                       " and " + type + " here");
      continue;
    }
    rows.push_back(&r);
  }

  // The zones to be: communes in table order, with each parent's arrondissements either merged
  // into it (when it has no row of its own) or kept as zones in its place.
  std::vector<Unit> units;
  std::size_t arm_skipped = 0, arm_zones = 0, com_replaced = 0;
  std::set<std::string> parents_done;
  std::map<std::string, std::string> parent_of_arm;
  for (const auto& [parent, arms] : arrondissements_of)
    for (const auto& a : arms) parent_of_arm[a] = parent;
  auto add_arrondissements = [&](const std::string& parent) {
    const auto& arms = arrondissements_of[parent];
    if (arrondissements_as_zones) {
      for (const auto& a : arms) units.push_back(Unit{a, {rows_of[a]}, false});
      arm_zones += arms.size();
    } else {
      Unit u{parent, {}, true};
      for (const auto& a : arms) u.groups.push_back(rows_of[a]);
      units.push_back(std::move(u));
    }
  };
  for (const std::string& code : order) {
    const bool has_arrondissements = arrondissements_of.count(code) > 0;
    if (has_arrondissements && arrondissements_as_zones) {
      add_arrondissements(code);  // the commune's own row would count its inhabitants twice
      ++com_replaced;
    } else {
      units.push_back(Unit{code, {rows_of[code]}, false});
      if (has_arrondissements) arm_skipped += arrondissements_of[code].size();
    }
    parents_done.insert(code);
  }
  for (const auto& [parent, arms] : arrondissements_of)
    if (!parents_done.count(parent)) add_arrondissements(parent);  // Paris, Lyon, Marseille here

  const auto epci_of = [&](const std::string& code, const CsvRecord& row) -> std::pair<std::string, std::string> {
    if (!epci_from_file) return {field(row, col.epci), field(row, col.epci_name)};
    auto it = epci_table.find(code);
    if (it == epci_table.end()) {
      const auto p = parent_of_arm.find(code);
      if (p != parent_of_arm.end()) it = epci_table.find(p->second);
    }
    if (it == epci_table.end()) return {};
    return {it->second.siren, it->second.name};
  };
  std::set<std::string> table_codes;  // commune codes of the table, for the EPCI table's note
  std::vector<std::string> without_epci, unpopulated, unpopulated_with_births;
  const int births_column = table.column("naissances_2022");  // optional: tells a missing population
  for (const Unit& unit : units) {
    out.all_codes.insert(unit.code);
    if (unit.from_arrondissements)
      for (const auto& group : unit.groups) {
        out.all_codes.insert(field(*group.front(), col.code));
        out.zone_code_of[field(*group.front(), col.code)] = unit.code;
      }
    table_codes.insert(unit.code);
    const CsvRecord& first = *unit.groups.front().front();
    auto dep_of = [&](const CsvRecord& row) {
      return col.departement >= 0 && !field(row, col.departement).empty() ? field(row, col.departement)
                                                                          : departement_of(unit.code);
    };
    // Selected if any of its rows matches the selection (an arrondissement also by its parent).
    const auto parent = parent_of_arm.find(unit.code);
    bool selected = select_all || want_communes.count(unit.code) > 0 ||
                    (parent != parent_of_arm.end() && want_communes.count(parent->second) > 0);
    const std::string epci = epci_of(unit.code, first).first;
    if (!epci.empty()) epcis_seen.insert(epci);
    selected = selected || want_epcis.count(epci) > 0;
    for (const auto& group : unit.groups)
      for (const CsvRecord* row : group) {
        deps_seen.insert(dep_of(*row));
        if (!epci_from_file && !field(*row, col.epci).empty()) {
          epcis_seen.insert(field(*row, col.epci));
          selected = selected || want_epcis.count(field(*row, col.epci)) > 0;
        }
        selected = selected || want_deps.count(dep_of(*row)) > 0;
      }
    if (!selected) continue;

    std::vector<CommuneValues> parts;
    bool consistent = true;
    for (const auto& rows : unit.groups) {
      const CsvRecord& r = *rows.front();
      const std::string& code = field(r, col.code);
      // A repeated commune is merged only if every value but the postal code agrees.
      for (std::size_t k = 1; k < rows.size(); ++k)
        for (std::size_t c = 0; c < table.header.size(); ++c)
          if (static_cast<int>(c) != col.postal && r.fields[c] != rows[k]->fields[c]) {
            problems.add(rows[k]->line, static_cast<int>(c) + 1, table.header[c],
                         "commune " + token_text(code) + " appears twice with different values in column " +
                             std::to_string(c + 1) + ": " + token_text(rows[k]->fields[c]) + " here, " +
                             token_text(r.fields[c]) + " on line " + std::to_string(r.line));
            consistent = false;
            break;
          }
      merged += rows.size() - 1;
      CommuneValues v;
      v.code = code;
      v.name = field(r, col.name);
      v.departement = dep_of(r);
      std::tie(v.epci, v.epci_name) = epci_of(code, r);
      auto real = [&](int c, const char* name, double lo, double hi, bool strict_low) -> double {
        const std::string& text = field(r, c);
        const auto x = parse_real(text);
        if (!x) {
          problems.add(r.line, c + 1, name,
                       text.empty() ? "missing value" : "expected a number, got " + token_text(text));
          return 0;
        }
        if (*x > hi || *x < lo || (strict_low && *x == lo)) {
          std::ostringstream msg;
          msg << "must be " << (strict_low ? "above " : "at least ") << lo << " and at most " << hi << ", got " << text;
          problems.add(r.line, c + 1, name, msg.str());
        }
        return *x;
      };
      auto count = [&](int c, const char* name, bool required_value) -> std::int64_t {
        if (c < 0) return -1;
        const std::string& text = field(r, c);
        if (text.empty() && !required_value) return -1;
        const auto x = parse_integer(text);
        if (!x || *x < 0) {
          problems.add(r.line, c + 1, name,
                       text.empty() ? "missing value" : "expected a whole number of people, got " + token_text(text));
          return -1;
        }
        return *x;
      };
      v.lat = real(col.lat, "lat", -90, 90, false);
      v.lon = real(col.lon, "lng", -180, 180, false);
      v.area = real(col.area, "superficie_km2", 0, 1e6, true);
      const std::int64_t population = count(col.population, "population_2021", true);
      v.households = count(col.households, "menages_2021", false);
      v.working_age = count(col.working_age, "pop_15_64_totale_2021", false);
      v.active = count(col.active, "pop_15_64_active_2021", false);
      if (v.name.empty()) problems.add(r.line, col.name + 1, "commune", "missing name");
      if (population >= 0 && v.households > population)
        problems.add(r.line, col.households + 1, "menages_2021",
                     "more households (" + std::to_string(v.households) + ") than inhabitants (" +
                         std::to_string(population) + ")");
      if (population >= 0 && v.working_age > population)
        problems.add(r.line, col.working_age + 1, "pop_15_64_totale_2021",
                     "more residents aged 15-64 (" + std::to_string(v.working_age) + ") than inhabitants (" +
                         std::to_string(population) + ")");
      if (v.working_age >= 0 && v.active > v.working_age)
        problems.add(r.line, col.active + 1, "pop_15_64_active_2021",
                     "more active residents (" + std::to_string(v.active) + ") than residents aged 15-64 (" +
                         std::to_string(v.working_age) + ")");
      v.population = std::max<std::int64_t>(population, 0);
      parts.push_back(std::move(v));
    }
    if (!consistent) continue;

    // A parent commune made of its arrondissements: counts and areas summed (a count unknown for
    // one arrondissement is unknown for the commune), position weighted by population.
    CommuneValues c = parts.front();
    if (unit.from_arrondissements) {
      std::vector<std::string> names;
      std::int64_t pop = 0;
      double lat = 0, lon = 0, area = 0;
      auto sum = [](std::int64_t a, std::int64_t b) { return a < 0 || b < 0 ? std::int64_t{-1} : a + b; };
      std::int64_t hh = 0, wa = 0, act = 0;
      for (const auto& p : parts) {
        names.push_back(p.name);
        pop += p.population;
        lat += p.lat * static_cast<double>(p.population);
        lon += p.lon * static_cast<double>(p.population);
        area += p.area;
        hh = sum(hh, p.households), wa = sum(wa, p.working_age), act = sum(act, p.active);
      }
      if (pop > 0) {
        lat /= static_cast<double>(pop), lon /= static_cast<double>(pop);
      } else {
        lat = lon = 0;
        for (const auto& p : parts)
          lat += p.lat / static_cast<double>(parts.size()), lon += p.lon / static_cast<double>(parts.size());
      }
      c.code = unit.code;
      c.name = common_name(names, unit.code);
      c.lat = lat, c.lon = lon, c.area = area, c.population = pop, c.households = hh, c.working_age = wa,
      c.active = act;
      std::tie(c.epci, c.epci_name) = epci_of(unit.code, first);
      out.notes.push_back("commune " + c.code + " (" + c.name + ") has no row of its own: made of its " +
                          std::to_string(parts.size()) + " municipal arrondissements (ARM), " + std::to_string(pop) +
                          " inhabitants (populations, households and areas summed, position weighted by "
                          "population); territory.arrondissements = \"zones\" keeps them as zones");
    }
    if (c.epci.empty()) without_epci.push_back(c.code);
    if (c.population == 0) {  // a place of work and roads only; births say whether it should be
      std::int64_t births = 0;
      if (const std::string text = births_column >= 0 ? field(first, births_column) : std::string(); !text.empty())
        std::from_chars(text.data(), text.data() + text.size(), births);
      (births > 0 ? unpopulated_with_births : unpopulated).push_back(c.name + " (" + c.code + ")");
    }
    index_of.emplace(c.code, z.size());
    z.code.push_back(c.code);
    z.name.push_back(c.name);
    z.lat.push_back(c.lat);
    z.lon.push_back(c.lon);
    z.area_km2.push_back(c.area);
    z.population.push_back(c.population);
    z.households.push_back(c.households);
    z.working_age.push_back(c.working_age);
    z.active.push_back(c.active);
    z.departement.push_back(c.departement);
    z.epci_code.push_back(c.epci);
    z.epci_name.push_back(c.epci_name);
    z.kind.push_back(ZoneKind::Rural);
  }
  auto listed = [](std::vector<std::string> names) {
    const std::size_t all = names.size();
    names.resize(std::min<std::size_t>(all, 5));
    return join(names) + (all > 5 ? " and " + std::to_string(all - 5) + " more" : "");
  };
  if (!unpopulated.empty())
    out.notes.push_back(std::to_string(unpopulated.size()) +
                        " selected communes have no inhabitant (population_2021 = 0): " + listed(unpopulated) +
                        "; they count as places of work and roads only");
  if (!unpopulated_with_births.empty()) {
    const std::string which = std::to_string(unpopulated_with_births.size()) +
                              " communes without inhabitant recorded births in naissances_2022 (" +
                              listed(unpopulated_with_births) +
                              "): the table lacks their population (Mayotte's rows have no 2021 census figure, "
                              "SOURCES.md)";
    if (std::all_of(z.population.begin(), z.population.end(), [](std::int64_t p) { return p == 0; }))
      problems.add(
          0, 0, "population_2021",
          "every selected commune has no inhabitant, yet " + which + "; fill population_2021 to simulate them");
    else
      out.notes.push_back(which + "; they are simulated empty until population_2021 is filled");
  }
  // Every explicit selection must match something.
  for (const auto& c : want_communes)
    if (!index_of.count(c) && !(arrondissements_as_zones && arrondissements_of.count(c))) {
      const auto it = not_communes.find(c);
      const auto arm = parent_of_arm.find(c);
      problems.add(0, 0, "territory.select.communes",
                   it != not_communes.end() ? c + " is " + it->second + ", not a commune: select its commune"
                   : arm != parent_of_arm.end()
                       ? c + " is a municipal arrondissement (ARM) of commune " + arm->second + ": select " +
                             arm->second +
                             ", or set territory.arrondissements = \"zones\" to keep arrondissements "
                             "as zones"
                       : "commune " + c + " is not in the table");
    }
  for (const auto& d : want_deps)
    if (!deps_seen.count(d)) {
      // A code the table writes otherwise: trimmed, in capitals (2A), on two characters (02).
      std::string near;
      for (char ch : d)
        if (ch != ' ' && ch != '\t') near += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (near.size() == 1) near = "0" + near;
      problems.add(0, 0, "territory.select.departements",
                   "no commune of departement '" + d + "' in the table" +
                       (near != d && deps_seen.count(near) ? "; did you mean '" + near + "'?" : ""));
    }
  for (const auto& e : want_epcis)
    if (!epcis_seen.count(e)) {
      bool in_file = false;
      for (const auto& [code, of] : epci_table) in_file = in_file || of.siren == e;
      problems.add(0, 0, "territory.select.epcis",
                   !epci_from_file ? "no commune of EPCI " + e + " in the table (column epci_siren)"
                   : in_file       ? "EPCI " + e + " of " + spec.epci_file + " has no commune in the table"
                                   : "EPCI " + e + " is not in " + spec.epci_file + " (column epci_siren)");
    }
  if (z.size() == 0 && select_all && problems.empty()) problems.add(0, 0, "", "the table has no commune");
  refuse_if_too_large(z, spec, problems.count());
  problems.throw_if_any();

  // Planar coordinates: equirectangular projection around the selection's mean position.
  double lat0 = 0, lon0 = 0;
  for (std::size_t i = 0; i < z.size(); ++i) lat0 += z.lat[i], lon0 += z.lon[i];
  lat0 /= static_cast<double>(z.size());
  lon0 /= static_cast<double>(z.size());
  constexpr double km_per_degree = 111.32;
  for (std::size_t i = 0; i < z.size(); ++i) {
    z.x_km.push_back((z.lon[i] - lon0) * km_per_degree * std::cos(lat0 * std::numbers::pi / 180.0));
    z.y_km.push_back((z.lat[i] - lat0) * km_per_degree);
  }

  std::int64_t total = 0;
  for (auto p : z.population) total += p;
  out.notes.insert(out.notes.begin(), "read " + std::to_string(z.size()) + " communes, " + std::to_string(total) +
                                          " inhabitants, from " + table.path);
  if (delegated > 0)
    out.notes.push_back("skipped " + std::to_string(delegated) +
                        " delegated communes (COMD) of the table: not communes; their inhabitants are counted in "
                        "their commune's row");
  if (arm_skipped > 0)
    out.notes.push_back("skipped " + std::to_string(arm_skipped) +
                        " municipal arrondissements (ARM) whose commune has a row of its own, which counts them");
  if (arm_zones > 0)
    out.notes.push_back("kept " + std::to_string(arm_zones) +
                        " municipal arrondissements (ARM) of the table as zones (territory.arrondissements = "
                        "\"zones\")" +
                        (com_replaced > 0 ? "; the row of their commune, which counts them too, is not a zone" : ""));
  if (merged > 0)
    out.notes.push_back("merged " + std::to_string(merged) +
                        " rows that repeat a selected commune under another postal code, with identical values");
  if (epci_from_file) {
    std::size_t absent = 0;
    for (const auto& [code, of] : epci_table) absent += table_codes.count(code) ? 0 : 1;
    out.notes.push_back("joined the EPCI of each commune from " + spec.epci_file + " (" +
                        std::to_string(epci_table.size()) + " communes)" +
                        (absent > 0 ? "; " + std::to_string(absent) +
                                          " of its communes are not in the commune table (another year of the "
                                          "official geographic code)"
                                    : ""));
  }
  if (!without_epci.empty() && (epci_from_file || col.epci >= 0)) {
    std::vector<std::string> first(
        without_epci.begin(),
        without_epci.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(without_epci.size(), 10)));
    out.notes.push_back(std::to_string(without_epci.size()) + " selected communes have no EPCI (" + join(first) +
                        (without_epci.size() > first.size() ? ", ..." : "") + ")");
  }
  return out;
}

namespace {
// Zone of each code naming one: the zones' own, and arrondissements merged into their commune.
std::unordered_map<std::string, std::uint32_t> zone_index(const CommuneSelection& communes) {
  std::unordered_map<std::string, std::uint32_t> zone_of;
  for (std::size_t i = 0; i < communes.zones.size(); ++i)
    zone_of.emplace(communes.zones.code[i], static_cast<std::uint32_t>(i));
  for (const auto& [code, parent] : communes.zone_code_of)
    if (const auto it = zone_of.find(parent); it != zone_of.end()) zone_of.emplace(code, it->second);
  return zone_of;
}
}  // namespace

std::vector<RoadLink> read_roads(const CsvTable& table, const CommuneSelection& communes, const TerritorySpec& spec,
                                 std::vector<std::string>& notes) {
  Problems problems(table.path);
  const int from = table.column_any({"from", "insee_a", "source"});
  const int to = table.column_any({"to", "insee_b", "target"});
  int km = table.column_any({"km", "road_km"});
  const int crowfly = table.column("crowfly_km");
  const int minutes = table.column_any({"minutes", "road_minutes"});
  if (from < 0 || to < 0)
    problems.add(1, 0, "", "missing columns: a road edge list has columns from, to, km and optionally minutes");
  const bool from_crowfly = km < 0 && crowfly >= 0;
  if (km < 0 && crowfly < 0) problems.add(1, 0, "km", "missing column 'km' (road length of each link)");
  problems.throw_if_any();
  if (from_crowfly) km = crowfly;

  auto zone_of = zone_index(communes);
  std::map<std::pair<std::uint32_t, std::uint32_t>, RoadLink> links;
  std::size_t outside = 0, duplicates = 0;
  for (const CsvRecord& r : table.records) {
    const std::string& a = r.fields[static_cast<std::size_t>(from)];
    const std::string& b = r.fields[static_cast<std::size_t>(to)];
    bool ok = true;
    for (const auto& [code, c] : {std::pair{a, from}, std::pair{b, to}})
      if (!communes.all_codes.count(code)) {
        problems.add(r.line, c + 1, table.header[static_cast<std::size_t>(c)],
                     token_text(code) + " is not a commune of the commune table");
        ok = false;
      }
    if (ok && (a == b || (zone_of.count(a) && zone_of.count(b) && zone_of[a] == zone_of[b]))) {
      problems.add(r.line, to + 1, table.header[static_cast<std::size_t>(to)], "a road from a commune to itself");
      ok = false;
    }
    const std::string& km_text = r.fields[static_cast<std::size_t>(km)];
    const auto length = parse_real(km_text);
    // No road is longer than half the Earth's circumference: a larger value is a unit or typing error
    // (and 1e308 km would overflow the shortest paths into "not connected").
    if (!length || *length <= 0 || *length > 20000) {
      problems.add(r.line, km + 1, table.header[static_cast<std::size_t>(km)],
                   km_text.empty() ? "missing value"
                                   : "expected a positive length in km of at most 20000, got " + token_text(km_text));
      ok = false;
    }
    std::optional<double> time;
    if (minutes >= 0) {
      const std::string& text = r.fields[static_cast<std::size_t>(minutes)];
      time = parse_real(text);
      if (!time || *time <= 0) {
        problems.add(r.line, minutes + 1, table.header[static_cast<std::size_t>(minutes)],
                     text.empty() ? "missing value" : "expected a positive time in minutes, got " + token_text(text));
        ok = false;
      }
    }
    if (!ok) continue;
    const auto ia = zone_of.find(a), ib = zone_of.find(b);
    if (ia == zone_of.end() || ib == zone_of.end()) {
      ++outside;
      continue;
    }
    const double road_km = from_crowfly ? *length * spec.detour_factor : *length;
    const double road_minutes = time ? *time : road_km / spec.road_speed_kmh * 60.0;
    const auto key = std::minmax(ia->second, ib->second);
    RoadLink link{key.first, key.second, road_km, road_minutes};
    auto [it, inserted] = links.emplace(key, link);
    if (!inserted) {
      ++duplicates;
      if (link.km < it->second.km) it->second = link;
    }
  }
  problems.throw_if_any();
  std::vector<RoadLink> roads;
  for (const auto& [key, link] : links) roads.push_back(link);
  notes.push_back("read " + std::to_string(roads.size()) + " road links from " + table.path);
  if (from_crowfly)
    notes.push_back(
        "the edge list gives straight-line km (crowfly_km): road km = crow-fly km x territory.detour_factor");
  if (minutes < 0) notes.push_back("the edge list gives no minutes: time = km / territory.road_speed_kmh");
  if (outside > 0) notes.push_back("dropped " + std::to_string(outside) + " road links leaving the selected communes");
  if (duplicates > 0)
    notes.push_back("kept the shortest of " + std::to_string(duplicates) + " repeated links between the same communes");
  return roads;
}

void read_flows(const CsvTable& table, const CommuneSelection& communes, Territory& territory,
                std::vector<std::string>& notes) {
  Problems problems(table.path);
  const int home = table.column_any({"CODGEO", "codgeo", "home", "residence", "from"});
  const int work = table.column_any({"DCLT", "dclt", "work", "workplace", "to"});
  int workers = table.column_any({"workers", "flux", "NBFLUX"});
  for (std::size_t c = 0; c < table.header.size() && workers < 0; ++c)
    if (table.header[c].rfind("NBFLUX", 0) == 0) workers = static_cast<int>(c);  // NBFLUX_C20_ACTOCC15P...
  if (home < 0 || work < 0 || workers < 0)
    problems.add(1, 0, "",
                 "a home-work flow table has columns CODGEO (commune of residence), DCLT (commune of work) and "
                 "NBFLUX_... (workers), or home, work, workers (docs/territories.md)");
  problems.throw_if_any();
  const auto zone_of = zone_index(communes);
  auto zone = [&](const std::string& code) -> std::optional<std::uint32_t> {
    const auto it = zone_of.find(code);
    if (it == zone_of.end()) return std::nullopt;
    return it->second;
  };
  const std::size_t n = communes.zones.size();
  std::vector<std::map<std::uint32_t, double>> rows(n);
  std::map<std::pair<std::string, std::string>, int> line_of;
  std::size_t outside = 0, merged_rows = 0;
  double outside_workers = 0;
  for (const CsvRecord& r : table.records) {
    const std::string& a = r.fields[static_cast<std::size_t>(home)];
    const std::string& b = r.fields[static_cast<std::size_t>(work)];
    const std::string& w = r.fields[static_cast<std::size_t>(workers)];
    bool ok = true;
    if (!communes.all_codes.count(a)) {
      problems.add(r.line, home + 1, table.header[static_cast<std::size_t>(home)],
                   token_text(a) + " is not a commune of the commune table");
      ok = false;
    }
    const auto count = parse_real(w);
    if (!count || *count < 0) {
      problems.add(r.line, workers + 1, table.header[static_cast<std::size_t>(workers)],
                   w.empty() ? "missing value" : "expected a number of workers >= 0, got " + token_text(w));
      ok = false;
    }
    const auto [seen, inserted] = line_of.emplace(std::pair{a, b}, r.line);
    if (!inserted) {
      problems.add(
          r.line, work + 1, table.header[static_cast<std::size_t>(work)],
          "the flow from " + a + " to " + b + " is given twice (also on line " + std::to_string(seen->second) + ")");
      ok = false;
    }
    if (!ok) continue;
    const auto from = zone(a);
    if (!from) continue;  // residents outside the selection
    const auto to = zone(b);
    if (!to) {  // work outside the selection (or abroad): commuters of the territory, not placed
      ++outside;
      outside_workers += *count;
      continue;
    }
    auto [cell, fresh] = rows[*from].emplace(*to, 0.0);
    if (!fresh) ++merged_rows;  // two arrondissements of one merged commune
    cell->second += *count;
  }
  problems.throw_if_any();
  if (std::none_of(rows.begin(), rows.end(), [](const auto& row) {
        return std::any_of(row.begin(), row.end(), [](const auto& cell) { return cell.second > 0; });
      }))  // given, but of no use: the radiation model would decide every workplace, unsaid
    throw InputDataError("no home-work flow between two communes of the territory (" +
                             std::to_string(table.records.size()) + " rows, " + std::to_string(outside) +
                             " of them to workplaces outside it): expected flows whose home and work communes "
                             "are both selected, with workers > 0",
                         in_file(table.path));
  territory.flow_begin.assign(1, 0);
  std::size_t without = 0;
  double placed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double total = 0;
    for (const auto& [to, w] : rows[i])
      if (w > 0) {
        territory.flow_work.push_back(to);
        territory.flow_workers.push_back(w);
        total += w;
      }
    placed += total;
    if (total == 0 && communes.zones.population[i] > 0) ++without;
    territory.flow_begin.push_back(static_cast<std::uint32_t>(territory.flow_work.size()));
  }
  std::ostringstream msg;
  msg << "read " << territory.flow_work.size() << " home-work flows (" << std::llround(placed) << " workers) from "
      << table.path << ": commuters' workplaces follow them";
  notes.push_back(msg.str());
  if (outside > 0) {
    std::ostringstream o;
    o << "dropped " << outside << " flows (" << std::llround(outside_workers)
      << " workers) to workplaces outside the selected communes";
    notes.push_back(o.str());
  }
  if (merged_rows > 0)
    notes.push_back("summed " + std::to_string(merged_rows) + " flows of arrondissements merged into their commune");
  if (without > 0)
    notes.push_back(std::to_string(without) +
                    " inhabited communes have no flow in the table: their commuters' workplaces follow the radiation "
                    "model");
}

namespace {

// Without a road edge list, the nearest-neighbour links that cross a straight-line gap of more
// than territory.separate_gap_km (the sea, a roadless forest, the distance between two places a
// selection names) carry distances, not commuters: the communes they alone join are separate
// places, whose residents the radiation model sends to work within them.
void separate_places(Territory& t, const Zones& zones, const TerritorySpec& spec) {
  const std::size_t n = zones.size();
  if (spec.separate_gap_km <= 0 || n < 2) return;
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Graph g(n);
  for (const auto& r : t.roads)
    if (r.km / spec.detour_factor <= spec.separate_gap_km) boost::add_edge(r.a, r.b, g);
  std::vector<int> component(n);
  const auto places = static_cast<std::size_t>(boost::connected_components(g, component.data()));
  if (places <= 1) return;
  t.place.assign(component.begin(), component.end());
  std::vector<std::vector<std::string>> members(places);
  std::vector<std::int64_t> people(places, 0);
  for (std::size_t i = 0; i < n; ++i) {
    members[t.place[i]].push_back(zones.name[i] + " (" + zones.code[i] + ")");
    people[t.place[i]] += zones.population[i];
  }
  std::vector<std::size_t> order(places);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return people[a] > people[b]; });
  std::string detail;
  for (std::size_t k = 0; k < order.size() && k < 6; ++k) {
    auto& m = members[order[k]];
    const std::size_t communes = m.size();
    m.resize(std::min<std::size_t>(communes, 3));
    detail += "; " + std::to_string(communes) + (communes > 1 ? " communes, " : " commune, ") +
              std::to_string(people[order[k]]) + " inhabitants: " + join(m) + (communes > 3 ? "..." : "");
  }
  if (order.size() > 6) detail += "; ...";
  std::ostringstream gap;
  gap << spec.separate_gap_km;
  t.notes.push_back("the communes form " + std::to_string(places) + " separate places, more than " + gap.str() +
                    " km apart (territory.separate_gap_km): residents work within their own place, the roads "
                    "between places give distances only" +
                    detail + ". Give home-work flows (territory.flows_file) or a road edge list to decide otherwise");
}

}  // namespace

Territory load_commune_territory(const TerritorySpec& spec, int threads) {
  const CsvTable communes_table = read_csv(spec.communes_file);
  CommuneSelection selection = read_communes(communes_table, spec);
  Territory t;
  std::string select;
  if (!spec.select_departements.empty()) select += " departements=" + join(spec.select_departements);
  if (!spec.select_epcis.empty()) select += " epcis=" + join(spec.select_epcis);
  if (!spec.select_communes.empty()) select += " communes=" + join(spec.select_communes);
  t.source = "communes(" + spec.communes_file + (select.empty() ? "" : ";" + select) +
             (spec.roads_file.empty() ? "" : "; roads=" + spec.roads_file) + ")";
  t.notes = std::move(selection.notes);
  if (spec.roads_file.empty()) {
    t.roads = nearest_neighbour_roads(selection.zones, static_cast<int>(spec.road_neighbours), spec.detour_factor,
                                      spec.road_speed_kmh);
    t.notes.push_back("no road edge list: linked each commune to its " + std::to_string(spec.road_neighbours) +
                      " nearest, crow-fly km x " + std::to_string(spec.detour_factor) + ", joined until connected");
    separate_places(t, selection.zones, spec);
  } else {
    t.roads = read_roads(read_csv(spec.roads_file), selection, spec, t.notes);
    // Say which communes the edge list leaves apart, rather than only that it does.
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    const std::size_t n = selection.zones.size();
    Graph g(n);
    for (const auto& r : t.roads) boost::add_edge(r.a, r.b, g);
    std::vector<int> component(n);
    const int components = n == 0 ? 0 : boost::connected_components(g, component.data());
    if (components > 1) {
      std::vector<std::vector<std::string>> members(static_cast<std::size_t>(components));
      for (std::size_t i = 0; i < n; ++i)
        members[static_cast<std::size_t>(component[i])].push_back(selection.zones.code[i]);
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
      std::string detail;
      for (std::size_t c = 1; c < members.size() && c <= 5; ++c) {
        members[c].resize(std::min<std::size_t>(members[c].size(), 5));
        detail += "; apart: " + join(members[c]);
      }
      throw InputDataError("the road edge list leaves the selected communes in " + std::to_string(components) +
                               " unconnected groups (the largest has " + std::to_string(members[0].size()) +
                               " communes" + detail + "); add the missing links or omit territory.roads_file",
                           in_file(spec.roads_file));
    }
  }
  if (!spec.flows_file.empty()) read_flows(read_csv(spec.flows_file), selection, t, t.notes);
  t.zones = std::move(selection.zones);
  classify_zones(t.zones, spec);
  compute_shortest_paths(t, spec.detour_factor, spec.road_speed_kmh, threads);
  return t;
}

}  // namespace coopterra
