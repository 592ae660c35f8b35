#include "coopterra/territory/communes.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numbers>
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
  if (!spec.select_epcis.empty() && col.epci < 0)
    problems.add(1, 0, "epci_siren", "territory.select.epcis needs an 'epci_siren' column, which this table lacks");
  problems.throw_if_any();

  const std::set<std::string> want_communes(spec.select_communes.begin(), spec.select_communes.end());
  const std::set<std::string> want_deps(spec.select_departements.begin(), spec.select_departements.end());
  const std::set<std::string> want_epcis(spec.select_epcis.begin(), spec.select_epcis.end());
  const bool select_all = want_communes.empty() && want_deps.empty() && want_epcis.empty();
  std::set<std::string> deps_seen, epcis_seen;
  std::map<std::string, std::string> not_communes;  // code -> "delegated commune of X" etc.
  std::size_t delegated = 0, arrondissements = 0, merged = 0;

  CommuneSelection out;
  Zones& z = out.zones;
  std::unordered_map<std::string, std::size_t> index_of;  // selected code -> zone
  auto field = [](const CsvRecord& r, int c) -> const std::string& {
    static const std::string empty;
    return c >= 0 ? r.fields[static_cast<std::size_t>(c)] : empty;
  };

  // First pass: the rows of each commune (a commune may repeat under other postal codes).
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<const CsvRecord*>> rows_of;
  for (const CsvRecord& r : table.records) {
    const std::string& code = field(r, col.code);
    const std::string type = col.type >= 0 ? field(r, col.type) : std::string("COM");
    if (type == "COMD" || type == "ARM") {
      (type == "COMD" ? delegated : arrondissements) += 1;
      not_communes.emplace(
          code, (type == "COMD" ? "a delegated commune (COMD)" : "a municipal arrondissement (ARM)") +
                    std::string(col.parent >= 0 && !field(r, col.parent).empty() ? " of commune " + field(r, col.parent)
                                                                                 : ""));
      continue;
    }
    if (type != "COM") {
      problems.add(r.line, col.type + 1, "commune_type",
                   "unknown commune type '" + type + "' (expected COM, COMD or ARM)");
      continue;
    }
    if (!valid_insee_code(code)) {
      problems.add(r.line, col.code + 1, "insee_com", "'" + code + "' is not an INSEE commune code (5 characters)");
      continue;
    }
    auto& rows = rows_of[code];
    if (rows.empty()) order.push_back(code);
    rows.push_back(&r);
  }

  for (const std::string& code : order) {
    const auto& rows = rows_of[code];
    const CsvRecord& r = *rows.front();
    out.all_codes.insert(code);
    auto dep_of = [&](const CsvRecord& row) {
      return col.departement >= 0 && !field(row, col.departement).empty() ? field(row, col.departement)
                                                                          : departement_of(code);
    };
    // Selected if any of its rows matches the selection.
    bool selected = select_all || want_communes.count(code) > 0;
    for (const CsvRecord* row : rows) {
      deps_seen.insert(dep_of(*row));
      if (!field(*row, col.epci).empty()) epcis_seen.insert(field(*row, col.epci));
      selected = selected || want_deps.count(dep_of(*row)) > 0 || want_epcis.count(field(*row, col.epci)) > 0;
    }
    if (!selected) continue;
    const std::string dep = dep_of(r);
    const std::string& epci = field(r, col.epci);
    // A repeated commune is merged only if every value but the postal code agrees.
    bool consistent = true;
    for (std::size_t k = 1; k < rows.size(); ++k)
      for (std::size_t c = 0; c < table.header.size(); ++c)
        if (static_cast<int>(c) != col.postal && r.fields[c] != rows[k]->fields[c]) {
          problems.add(rows[k]->line, static_cast<int>(c) + 1, table.header[c],
                       "commune " + code + " appears twice with different values: " + table.header[c] + " is '" +
                           rows[k]->fields[c] + "' here, '" + r.fields[c] + "' on line " + std::to_string(r.line));
          consistent = false;
          break;
        }
    if (!consistent) continue;
    merged += rows.size() - 1;

    const std::size_t before = z.size();
    auto real = [&](int c, const char* name, double lo, double hi, bool strict_low) -> double {
      const std::string& text = field(r, c);
      const auto v = parse_real(text);
      if (!v) {
        problems.add(r.line, c + 1, name, text.empty() ? "missing value" : "expected a number, got '" + text + "'");
        return 0;
      }
      if (*v > hi || *v < lo || (strict_low && *v == lo)) {
        std::ostringstream msg;
        msg << "must be " << (strict_low ? "above " : "at least ") << lo << " and at most " << hi << ", got " << text;
        problems.add(r.line, c + 1, name, msg.str());
      }
      return *v;
    };
    auto count = [&](int c, const char* name, bool required_value) -> std::int64_t {
      if (c < 0) return -1;
      const std::string& text = field(r, c);
      if (text.empty() && !required_value) return -1;
      const auto v = parse_integer(text);
      if (!v || *v < 0) {
        problems.add(r.line, c + 1, name,
                     text.empty() ? "missing value" : "expected a whole number of people, got '" + text + "'");
        return -1;
      }
      return *v;
    };
    const double lat = real(col.lat, "lat", -90, 90, false);
    const double lon = real(col.lon, "lng", -180, 180, false);
    const double area = real(col.area, "superficie_km2", 0, 1e6, true);
    const std::int64_t population = count(col.population, "population_2021", true);
    const std::int64_t households = count(col.households, "menages_2021", false);
    const std::int64_t working_age = count(col.working_age, "pop_15_64_totale_2021", false);
    const std::int64_t active = count(col.active, "pop_15_64_active_2021", false);
    if (field(r, col.name).empty()) problems.add(r.line, col.name + 1, "commune", "missing name");
    if (population >= 0 && households > population)
      problems.add(
          r.line, col.households + 1, "menages_2021",
          "more households (" + std::to_string(households) + ") than inhabitants (" + std::to_string(population) + ")");
    if (population >= 0 && working_age > population)
      problems.add(r.line, col.working_age + 1, "pop_15_64_totale_2021",
                   "more residents aged 15-64 (" + std::to_string(working_age) + ") than inhabitants (" +
                       std::to_string(population) + ")");
    if (working_age >= 0 && active > working_age)
      problems.add(r.line, col.active + 1, "pop_15_64_active_2021",
                   "more active residents (" + std::to_string(active) + ") than residents aged 15-64 (" +
                       std::to_string(working_age) + ")");
    index_of.emplace(code, before);
    z.code.push_back(code);
    z.name.push_back(field(r, col.name));
    z.lat.push_back(lat);
    z.lon.push_back(lon);
    z.area_km2.push_back(area);
    z.population.push_back(std::max<std::int64_t>(population, 0));
    z.households.push_back(households);
    z.working_age.push_back(working_age);
    z.active.push_back(active);
    z.departement.push_back(dep);
    z.epci_code.push_back(epci);
    z.epci_name.push_back(field(r, col.epci_name));
    z.kind.push_back(ZoneKind::Rural);
  }
  // Every explicit selection must match something.
  for (const auto& c : want_communes)
    if (!index_of.count(c)) {
      const auto it = not_communes.find(c);
      problems.add(0, 0, "territory.select.communes",
                   it != not_communes.end() ? c + " is " + it->second + ", not a commune: select its commune"
                                            : "commune " + c + " is not in the table");
    }
  for (const auto& d : want_deps)
    if (!deps_seen.count(d))
      problems.add(0, 0, "territory.select.departements", "no commune of departement " + d + " in the table");
  for (const auto& e : want_epcis)
    if (!epcis_seen.count(e)) problems.add(0, 0, "territory.select.epcis", "no commune of EPCI " + e + " in the table");
  if (z.size() == 0 && select_all) problems.add(0, 0, "", "the table has no commune");
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
  out.notes.push_back("read " + std::to_string(z.size()) + " communes, " + std::to_string(total) +
                      " inhabitants, from " + table.path);
  if (delegated + arrondissements > 0)
    out.notes.push_back("skipped " + std::to_string(delegated) + " delegated communes (COMD) and " +
                        std::to_string(arrondissements) +
                        " municipal arrondissements (ARM) of the table: not communes; their inhabitants are counted "
                        "in their commune");
  if (merged > 0)
    out.notes.push_back("merged " + std::to_string(merged) +
                        " rows that repeat a selected commune under another postal code, with identical values");
  return out;
}

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

  std::unordered_map<std::string, std::uint32_t> zone_of;
  for (std::size_t i = 0; i < communes.zones.size(); ++i)
    zone_of.emplace(communes.zones.code[i], static_cast<std::uint32_t>(i));
  std::map<std::pair<std::uint32_t, std::uint32_t>, RoadLink> links;
  std::size_t outside = 0, duplicates = 0;
  for (const CsvRecord& r : table.records) {
    const std::string& a = r.fields[static_cast<std::size_t>(from)];
    const std::string& b = r.fields[static_cast<std::size_t>(to)];
    bool ok = true;
    for (const auto& [code, c] : {std::pair{a, from}, std::pair{b, to}})
      if (!communes.all_codes.count(code)) {
        problems.add(r.line, c + 1, table.header[static_cast<std::size_t>(c)],
                     "'" + code + "' is not a commune of the commune table");
        ok = false;
      }
    if (ok && a == b) {
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
                                   : "expected a positive length in km of at most 20000, got '" + km_text + "'");
      ok = false;
    }
    std::optional<double> time;
    if (minutes >= 0) {
      const std::string& text = r.fields[static_cast<std::size_t>(minutes)];
      time = parse_real(text);
      if (!time || *time <= 0) {
        problems.add(r.line, minutes + 1, table.header[static_cast<std::size_t>(minutes)],
                     text.empty() ? "missing value" : "expected a positive time in minutes, got '" + text + "'");
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
  t.zones = std::move(selection.zones);
  classify_zones(t.zones, spec);
  compute_shortest_paths(t, spec.detour_factor, spec.road_speed_kmh, threads);
  return t;
}

}  // namespace coopterra
