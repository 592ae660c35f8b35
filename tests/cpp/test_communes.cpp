// Real territories: the public commune tables of ../shared/data, and broken tables that must get
// located errors with nothing silently altered.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "coopterra/core/error.hpp"
#include "coopterra/io/csv.hpp"
#include "coopterra/scenario/parameters.hpp"
#include "coopterra/territory/communes.hpp"

using namespace coopterra;

namespace {
const std::string kData = COOPTERRA_SOURCE_DIR "/../shared/data/";

TerritorySpec communes_spec(const std::string& file) {
  TerritorySpec spec = default_spec().territory;
  spec.source = "communes";
  spec.communes_file = kData + file;
  return spec;
}

std::vector<Diagnostic> problems_of(const std::string& csv, const TerritorySpec& spec) {
  try {
    (void)read_communes(parse_csv(csv, "broken.csv"), spec);
  } catch (const InputDataError& e) {
    return e.diagnostics();
  }
  return {};
}

const std::string kHeader =
    "insee_com,commune,commune_type,insee_parente,code_postal,lat,lng,superficie_km2,population_2021,menages_2021,"
    "pop_15_64_totale_2021,pop_15_64_active_2021\n";
}  // namespace

TEST_CASE("the Drome loads with exactly 363 communes and 519,458 inhabitants", "[communes]") {
  const Territory t = load_commune_territory(communes_spec("drome26_communes.csv"), 2);
  REQUIRE(t.zones.size() == 363);
  CHECK(t.population() == 519458);
  // Valence is an urban core; the kinds follow the documented rule.
  const auto valence = std::find(t.zones.code.begin(), t.zones.code.end(), "26362") - t.zones.code.begin();
  CHECK(t.zones.name[static_cast<std::size_t>(valence)] == "Valence");
  CHECK(t.zones.kind[static_cast<std::size_t>(valence)] == ZoneKind::UrbanCore);
  CHECK(t.zones.epci_name[static_cast<std::size_t>(valence)] == "CA Valence Romans Agglo");
  std::array<int, 3> kinds{};
  for (auto k : t.zones.kind) kinds[static_cast<std::size_t>(k)] += 1;
  CHECK(kinds[0] > 0);
  CHECK(kinds[1] > 0);
  CHECK(kinds[2] > kinds[0]);
  const auto n = static_cast<Eigen::Index>(t.zones.size());
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) REQUIRE(t.road_km(i, j) == t.road_km(j, i));
}

TEST_CASE("the national table selects the same Drome, by departement", "[communes]") {
  TerritorySpec spec = communes_spec("france_communes.csv");
  spec.select_departements = {"26"};
  const Territory t = load_commune_territory(spec, 2);
  CHECK(t.zones.size() == 363);
  CHECK(t.population() == 519458);
  // The national table repeats communes under each postal code and lists delegated communes:
  // the loader says what it skipped and merged.
  bool said_skipped = false, said_merged = false;
  for (const auto& note : t.notes) {
    said_skipped |= note.find("delegated communes (COMD)") != std::string::npos;
    said_merged |= note.find("postal code") != std::string::npos;
  }
  CHECK(said_skipped);
  CHECK_FALSE(said_merged);  // no Drome commune has two postal codes in this table
  spec.select_departements = {"01"};
  const Territory ain = load_commune_territory(spec, 2);
  for (const auto& note : ain.notes) said_merged |= note.find("under another postal code") != std::string::npos;
  CHECK(said_merged);
}

TEST_CASE("selection by EPCI and by INSEE codes", "[communes]") {
  TerritorySpec spec = communes_spec("drome26_communes.csv");
  spec.select_epcis = {"200068781"};  // CA Valence Romans Agglo
  const Territory agglo = load_commune_territory(spec, 1);
  CHECK(agglo.zones.size() == 54);
  CHECK(agglo.population() == 223777);
  spec.select_epcis.clear();
  spec.select_communes = {"26362", "26281", "26058"};  // Valence, Romans-sur-Isere, Bourg-de-Peage
  const Territory three = load_commune_territory(spec, 1);
  CHECK(three.zones.size() == 3);
  spec.select_communes = {"26362", "99999"};
  CHECK_THROWS_WITH(load_commune_territory(spec, 1), Catch::Contains("commune 99999 is not in the table"));
  TerritorySpec national = communes_spec("france_communes.csv");
  national.select_communes = {"01015"};
  CHECK(load_commune_territory(national, 1).zones.size() == 1);
}

TEST_CASE("a delegated commune cannot be selected as a commune", "[communes]") {
  const std::string csv = kHeader +
                          "01015,Arboys en Bugey,COM,,01300,45.72,5.65,20.0,667,300,400,300\n"
                          "01340,Arbignieu,COMD,01015,01300,45.73,5.65,10.0,667,300,400,300\n";
  TerritorySpec spec = default_spec().territory;
  spec.select_communes = {"01340"};
  const auto d = problems_of(csv, spec);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "01340 is a delegated commune (COMD) of commune 01015, not a commune: select its commune");
}

TEST_CASE("a broken table gets every problem located, nothing altered", "[communes]") {
  const std::string csv = kHeader +
                          "26001,Alpha,COM,,26150,44.7,5.3,19.36,427,208,256,208\n"   // line 2: fine
                          "26002,Beta,COM,,26140,45.2,4.8,25.62,,807,1185,913\n"      // 3: population missing
                          "26003,Gamma,COM,,26770,north,4.9,6.65,52,22,29,20\n"       // 4: lat not a number
                          "26004,Delta,COM,,26300,44.9,5.0,-2,2645,1061,1685,1376\n"  // 5: negative area
                          "26005,Epsilon,COM,,26110,44.3,5.1,10.0,100,150,60,50\n"    // 6: households > population
                          "26006,Zeta,COM,,26120,44.3,5.1,10.0,100,40,60,70\n"        // 7: active > working age
                          "26001,Alpha,COM,,26151,44.7,5.3,19.36,428,208,256,208\n"   // 8: duplicate, differs
                          "2600X,Eta,COM,,26120,44.3,5.1,10.0,100,40,60,50\n"         // 9: bad code
                          "26008,Theta,XYZ,,26120,44.3,5.1,10.0,100,40,60,50\n"       // 10: unknown type
                          "26009,Iota,COM,,26120,44.3,5.1,10.0,12.5,4,6,5\n";         // 11: fractional people
  const auto d = problems_of(csv, default_spec().territory);
  REQUIRE(d.size() == 9);
  auto at = [&](int line) -> const Diagnostic& {
    for (const auto& x : d)
      if (x.where.line == line) return x;
    FAIL("no problem reported on line " << line);
    return d[0];
  };
  CHECK(at(3).format() == "broken.csv:3:9: population_2021: missing value");
  CHECK(at(4).format() == "broken.csv:4:6: lat: expected a number, got 'north'");
  CHECK(at(5).where.key == "superficie_km2");
  CHECK(at(6).message == "more households (150) than inhabitants (100)");
  CHECK(at(7).where.key == "pop_15_64_active_2021");
  CHECK_THAT(at(8).message, Catch::StartsWith("commune 26001 appears twice with different values: population_2021"));
  CHECK(at(9).where.key == "insee_com");
  CHECK_THAT(at(10).message, Catch::Contains("unknown commune type 'XYZ'"));
  CHECK(at(11).message == "expected a whole number of people, got '12.5'");
}

TEST_CASE("a repeated commune that differs is an error even when one row is selected", "[communes]") {
  const std::string csv = kHeader.substr(0, kHeader.size() - 1) + ",insee_dep\n" +
                          "26001,Alpha,COM,,26150,44.7,5.3,19.36,427,208,256,208,26\n"
                          "26001,Alpha,COM,,26151,44.7,5.3,19.36,427,208,256,208,07\n";
  TerritorySpec spec = default_spec().territory;
  spec.select_departements = {"07"};
  const auto d = problems_of(csv, spec);
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.line == 3);
  CHECK(d[0].where.key == "insee_dep");
}

TEST_CASE("a table without the expected columns says which", "[communes]") {
  const auto d = problems_of("code,name\n26001,Alpha\n", default_spec().territory);
  REQUIRE(d.size() == 6);
  CHECK(d[0].where.line == 1);
  CHECK_THAT(d[0].message, Catch::StartsWith("missing column 'insee_com'"));
}

TEST_CASE("road edge lists: real, checked, and disconnected ones refused with the groups named", "[communes]") {
  TerritorySpec spec = communes_spec("drome26_communes.csv");
  spec.roads_file = kData + "drome26_knn5_edges.csv";
  const Territory t = load_commune_territory(spec, 2);
  CHECK(t.roads.size() == 1057);
  bool crowfly_note = false;
  for (const auto& note : t.notes)
    crowfly_note |= note.find("crow-fly km x territory.detour_factor") != std::string::npos;
  CHECK(crowfly_note);

  const CsvTable communes = parse_csv(kHeader +
                                          "26001,A,COM,,1,44.0,5.0,1,10,1,5,4\n"
                                          "26002,B,COM,,1,44.1,5.0,1,10,1,5,4\n"
                                          "26003,C,COM,,1,44.2,5.0,1,10,1,5,4\n"
                                          "26004,D,COM,,1,44.3,5.0,1,10,1,5,4\n",
                                      "c.csv");
  TerritorySpec plain = default_spec().territory;
  const CommuneSelection all = read_communes(communes, plain);
  std::vector<std::string> notes;
  const auto roads =
      read_roads(parse_csv("from,to,km,minutes\n26001,26002,10,12\n26002,26001,8,9\n26002,26003,5,5\n", "r.csv"), all,
                 plain, notes);
  REQUIRE(roads.size() == 2);
  CHECK(roads[0].km == 8.0);  // the shorter of the two links given between 26001 and 26002
  CHECK(roads[0].minutes == 9.0);
  try {
    (void)read_roads(parse_csv("from,to,km\n26001,26009,10\n26002,26002,3\n26003,26004,-1\n", "r.csv"), all, plain,
                     notes);
    FAIL("expected an InputDataError");
  } catch (const InputDataError& e) {
    REQUIRE(e.diagnostics().size() == 3);
    CHECK(e.diagnostics()[0].format() == "r.csv:2:2: to: '26009' is not a commune of the commune table");
    CHECK(e.diagnostics()[1].format() == "r.csv:3:2: to: a road from a commune to itself");
    CHECK(e.diagnostics()[2].format() == "r.csv:4:3: km: expected a positive length in km of at most 20000, got '-1'");
  }
}

TEST_CASE("a disconnected edge list names the communes left apart", "[communes]") {
  const auto dir = std::filesystem::temp_directory_path() / ("coopterra-roads-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "c.csv") << kHeader
                                 << "26001,A,COM,,1,44.0,5.0,1,10,1,5,4\n26002,B,COM,,1,44.1,5.0,1,10,1,5,4\n"
                                 << "26003,C,COM,,1,44.2,5.0,1,10,1,5,4\n";
    std::ofstream(dir / "r.csv") << "from,to,km\n26001,26002,10\n";
  }
  TerritorySpec spec = default_spec().territory;
  spec.source = "communes";
  spec.communes_file = (dir / "c.csv").string();
  spec.roads_file = (dir / "r.csv").string();
  CHECK_THROWS_WITH(load_commune_territory(spec, 1),
                    Catch::Contains("2 unconnected groups") && Catch::Contains("apart: 26003"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the CSV reader handles quotes, CRLF and a byte-order mark, and locates its errors", "[communes][csv]") {
  const CsvTable t = parse_csv(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, \"\"quoted\"\"\",\"two\nlines\"\r\n3,4\r\n",
      "q.csv");
  REQUIRE(t.header == std::vector<std::string>{"a", "b"});
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[0].fields[0] == "x, \"quoted\"");
  CHECK(t.records[0].fields[1] == "two\nlines");
  CHECK(t.records[1].line == 4);
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\"open\n", "q.csv"), Catch::Contains("q.csv:2: unterminated quoted field"));
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\n1,2,3\n", "q.csv"), Catch::Contains("q.csv:3: expected 2 fields"));
  CHECK_THROWS_WITH(parse_csv("a,a\n1,2\n", "q.csv"), Catch::Contains("columns 1 and 2 of the header have the same name"));
  CHECK_THROWS_AS(read_csv("/nonexistent/table.csv"), IOError);
  CHECK_THROWS_WITH(parse_csv("a,b\n\"ab\"c,2\n", "q.csv"), Catch::Contains("q.csv:2: text after the closing quote"));
  // Old Mac line ends: a lone CR ends a record, inside quotes it counts as a line too.
  const CsvTable cr = parse_csv("a,b\r\"x\ry\",2\r3,4\r", "cr.csv");
  REQUIRE(cr.records.size() == 2);
  CHECK(cr.records[1].line == 4);
}
