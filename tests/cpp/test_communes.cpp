// Real territories: the public commune tables of ../shared/data, and broken tables that must get
// located errors with nothing silently altered.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "coopterra/core/error.hpp"
#include "coopterra/io/csv.hpp"
#include "coopterra/population/population.hpp"
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
  CHECK(d[0].message == "01340 is a delegated commune (COMD) of commune '01015', not a commune: select its commune");
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
  CHECK_THAT(at(8).message,
             Catch::StartsWith("commune '26001' appears twice with different values in column 9: '428' here"));
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
  try {  // an edge list that is some other file: its lines are located, never read back
    (void)read_roads(parse_csv("from,to,km\nroot:x:0:0:root,26001,not a secret\n", "r.csv"), all, plain, notes);
    FAIL("expected an InputDataError");
  } catch (const InputDataError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].format() ==
          "r.csv:2:1: from: a value of 15 characters is not a commune of the commune table");
    CHECK(e.diagnostics()[1].format() ==
          "r.csv:2:3: km: expected a positive length in km of at most 20000, got a value of 12 characters");
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
  CHECK_THROWS_WITH(parse_csv("a,a\n1,2\n", "q.csv"),
                    Catch::Contains("columns 1 and 2 of the header have the same name"));
  CHECK_THROWS_AS(read_csv("/nonexistent/table.csv"), IOError);
  CHECK_THROWS_WITH(parse_csv("a,b\n\"ab\"c,2\n", "q.csv"), Catch::Contains("q.csv:2: text after the closing quote"));
  // Old Mac line ends: a lone CR ends a record, inside quotes it counts as a line too.
  const CsvTable cr = parse_csv("a,b\r\"x\ry\",2\r3,4\r", "cr.csv");
  REQUIRE(cr.records.size() == 2);
  CHECK(cr.records[1].line == 4);
}

TEST_CASE("Paris, Lyon and Marseille are made of their arrondissements, or keep them as zones", "[communes][arm]") {
  TerritorySpec spec = communes_spec("france_communes.csv");
  struct Case {
    const char* departement;
    const char* city;
    const char* name;
    std::int64_t population;
    std::size_t communes;
    std::size_t arrondissements;
  };
  // The sums of issue 17: the national table has only ARM rows for the three cities.
  const Case cases[] = {{"13", "13055", "Marseille", 2056943, 119, 16},
                        {"69", "69123", "Lyon", 1893692, 266, 9},
                        {"75", "75056", "Paris", 2133111, 1, 20}};
  for (const auto& c : cases) {
    INFO("departement " << c.departement);
    spec.select_departements = {c.departement};
    spec.arrondissements = "merge";
    const Territory merged = load_commune_territory(spec, 2);
    CHECK(merged.population() == c.population);
    CHECK(merged.zones.size() == c.communes);
    const auto it = std::find(merged.zones.code.begin(), merged.zones.code.end(), c.city);
    REQUIRE(it != merged.zones.code.end());
    const auto i = static_cast<std::size_t>(it - merged.zones.code.begin());
    CHECK(merged.zones.name[i] == c.name);
    CHECK(merged.zones.kind[i] == ZoneKind::UrbanCore);
    bool noted = false;
    for (const auto& note : merged.notes)
      noted |= note.find(std::string("commune ") + c.city + " (" + c.name + ") has no row of its own: made of its " +
                         std::to_string(c.arrondissements) + " municipal arrondissements") != std::string::npos;
    CHECK(noted);

    spec.arrondissements = "zones";
    const Territory zones = load_commune_territory(spec, 2);
    CHECK(zones.population() == c.population);
    CHECK(zones.zones.size() == c.communes - 1 + c.arrondissements);
    CHECK(std::find(zones.zones.code.begin(), zones.zones.code.end(), c.city) == zones.zones.code.end());
    // The commune's values are the sums of its arrondissements'; its position their weighted mean.
    std::int64_t population = 0, households = 0;
    double area = 0, lat = 0;
    for (std::size_t z = 0; z < zones.zones.size(); ++z)
      if (zones.zones.name[z].rfind(std::string(c.name) + " ", 0) == 0 &&
          zones.zones.name[z].find("Arrondissement") != std::string::npos) {
        population += zones.zones.population[z];
        households += zones.zones.households[z];
        area += zones.zones.area_km2[z];
        lat += zones.zones.lat[z] * static_cast<double>(zones.zones.population[z]);
      }
    CHECK(population == merged.zones.population[i]);
    CHECK(households == merged.zones.households[i]);
    CHECK(area == Approx(merged.zones.area_km2[i]));
    CHECK(lat / static_cast<double>(population) == Approx(merged.zones.lat[i]));
  }
  // An arrondissement is not a commune unless kept as a zone; its parent selects them all.
  spec.select_departements.clear();
  spec.select_communes = {"13201"};
  spec.arrondissements = "merge";
  CHECK_THROWS_WITH(load_commune_territory(spec, 1),
                    Catch::Contains("13201 is a municipal arrondissement (ARM) of commune 13055: select 13055, or set "
                                    "territory.arrondissements = \"zones\""));
  spec.arrondissements = "zones";
  CHECK(load_commune_territory(spec, 1).zones.size() == 1);
  spec.select_communes = {"69123"};
  CHECK(load_commune_territory(spec, 1).zones.size() == 9);
  spec.arrondissements = "merge";
  CHECK(load_commune_territory(spec, 1).zones.size() == 1);
}

TEST_CASE("a commune with its own row and arrondissements is counted once either way", "[communes][arm]") {
  const std::string csv = kHeader +
                          "99001,Ville,COM,,99000,45.0,5.0,10.0,300,100,200,150\n"
                          "99101,Ville 1er Arrondissement,ARM,99001,99001,45.0,5.0,4.0,100,30,70,50\n"
                          "99102,Ville 2e Arrondissement,ARM,99001,99002,45.1,5.1,6.0,200,70,130,100\n"
                          "99002,Autre,COM,,99000,45.2,5.2,10.0,50,20,30,20\n";
  TerritorySpec spec = default_spec().territory;
  auto merged = read_communes(parse_csv(csv, "t.csv"), spec);
  CHECK(merged.zones.code == std::vector<std::string>{"99001", "99002"});
  CHECK(merged.zones.population == std::vector<std::int64_t>{300, 50});
  spec.arrondissements = "zones";
  auto zones = read_communes(parse_csv(csv, "t.csv"), spec);
  CHECK(zones.zones.code == std::vector<std::string>{"99101", "99102", "99002"});
  CHECK(zones.zones.population == std::vector<std::int64_t>{100, 200, 50});
  // Arrondissements without a parent code are located errors.
  const auto d = problems_of(kHeader + "99101,Ville 1er,ARM,,99001,45.0,5.0,4.0,100,30,70,50\n", spec);
  REQUIRE(d.size() == 1);
  CHECK(d[0].format() == "broken.csv:2:4: insee_parente: an arrondissement (ARM) needs its parent commune's code");
}

TEST_CASE("EPCI anywhere: the national table joined with the commune-to-EPCI table", "[communes][epci]") {
  TerritorySpec spec = communes_spec("france_communes.csv");
  spec.epci_file = kData + "france_epci_communes.csv";
  spec.select_epcis = {"200068781"};  // CA Valence Romans Agglo: the same 54 communes as the Drome table says
  const Territory agglo = load_commune_territory(spec, 1);
  CHECK(agglo.zones.size() == 54);
  CHECK(agglo.population() == 223777);
  for (const auto& e : agglo.zones.epci_code) CHECK(e == "200068781");
  // Across departements and with a city made of arrondissements: the Metropole d'Aix-Marseille-Provence.
  spec.select_epcis = {"200054807"};
  const Territory amp = load_commune_territory(spec, 2);
  CHECK(amp.zones.size() == 92);
  CHECK(std::find(amp.zones.code.begin(), amp.zones.code.end(), "13055") != amp.zones.code.end());
  spec.arrondissements = "zones";
  CHECK(load_commune_territory(spec, 2).zones.size() == 92 - 1 + 16);
  spec.arrondissements = "merge";
  // Codes that match nothing are errors naming the key and the table.
  spec.select_epcis = {"200068781", "123456789"};
  try {
    (void)load_commune_territory(spec, 1);
    FAIL("an unknown EPCI was accepted");
  } catch (const InputDataError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.key == "territory.select.epcis");
    CHECK_THAT(e.diagnostics()[0].message,
               Catch::Contains("EPCI 123456789 is not in") && Catch::Contains("france_epci_communes.csv"));
  }
  // Communes without an EPCI are listed in the notes (the islands: Ile-de-Sein, Ouessant...).
  spec.select_epcis.clear();
  spec.select_departements = {"29"};
  const Territory finistere = load_commune_territory(spec, 1);
  bool listed = false;
  for (const auto& note : finistere.notes) listed |= note.find("selected communes have no EPCI (") != std::string::npos;
  CHECK(listed);
}

TEST_CASE("a commune-to-EPCI table is checked", "[communes][epci]") {
  auto problems = [](const std::string& csv) {
    try {
      (void)read_epci_table(parse_csv(csv, "epci.csv"));
    } catch (const InputDataError& e) {
      return e.diagnostics();
    }
    return std::vector<Diagnostic>{};
  };
  CHECK(problems("insee_com,epci_siren\n26001,200068781\n26002,200068781\n").empty());
  const auto d = problems("insee_com,epci_siren\n26001,200068781\n2600X,200068781\n26001,242600252\n26003,\n");
  REQUIRE(d.size() == 3);
  CHECK(d[0].format() ==
        "epci.csv:3:1: insee_com: '2600X' is not an INSEE commune code (five characters: the departement's two, "
        "such as 26 or 2A, or 97x's three, then digits)");
  CHECK(d[1].format() ==
        "epci.csv:4:2: epci_siren: commune 26001 is in EPCI 242600252 here and in EPCI 200068781 on line 2: a "
        "commune belongs to one EPCI");
  CHECK(d[2].format() == "epci.csv:5:2: epci_siren: missing EPCI code");
  CHECK(problems("code,siren\n26001,1\n").at(0).message.find("insee_com and epci_siren") != std::string::npos);
}

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST_CASE("home-work flows replace the radiation model's workplaces where given", "[communes][flows]") {
  TerritorySpec spec = communes_spec("drome26_communes.csv");
  spec.select_epcis = {"200068781"};  // Valence Romans Agglo, 54 communes
  // INSEE's layout (mobilites professionnelles): residence, work, workers (weighted, fractional).
  spec.flows_file = write_temp("flows.csv",
                               "CODGEO,LIBGEO,DCLT,L_DCLT,NBFLUX_C20_ACTOCC15P\n"
                               "26362,Valence,26362,Valence,30000.4\n"
                               "26362,Valence,26281,Romans-sur-Isere,10000\n"
                               "26362,Valence,38185,Grenoble,700\n"
                               "26281,Romans-sur-Isere,26362,Valence,5000\n"
                               "26001,Solaure en Diois,26362,Valence,3\n");  // residents outside the selection
  const Territory t = load_commune_territory(spec, 2);
  REQUIRE(t.has_flows());
  bool read = false, dropped = false, radiation = false;
  for (const auto& note : t.notes) {
    read |= note.find("read 3 home-work flows (45000 workers)") != std::string::npos;
    dropped |= note.find("dropped 1 flows (700 workers) to workplaces outside") != std::string::npos;
    radiation |= note.find("52 inhabited communes have no flow in the table") != std::string::npos;
  }
  CHECK(read);
  CHECK(dropped);
  CHECK(radiation);
  auto index = [&](const std::string& code) {
    return static_cast<std::uint32_t>(std::find(t.zones.code.begin(), t.zones.code.end(), code) - t.zones.code.begin());
  };
  const std::uint32_t valence = index("26362"), romans = index("26281");
  const PopulationSpec pop = default_spec().population;
  const Residents r = make_population(t, pop, Random(11), 2);
  std::size_t at_home = 0, in_romans = 0, elsewhere = 0, romans_in_valence = 0, romans_commuters = 0;
  for (std::size_t i = 0; i < r.home.size(); ++i) {
    if (r.work[i] == kNoZone) continue;
    if (r.home[i] == valence) (r.work[i] == valence ? at_home : r.work[i] == romans ? in_romans : elsewhere) += 1;
    if (r.home[i] == romans) ++romans_commuters, romans_in_valence += r.work[i] == valence;
  }
  CHECK(elsewhere == 0);
  CHECK(static_cast<double>(in_romans) / static_cast<double>(at_home + in_romans) == Approx(0.25).margin(0.01));
  CHECK(romans_in_valence == romans_commuters);  // Romans' only flow
  // The same seed gives the same workplaces whatever the threads; without flows, the radiation model.
  CHECK(make_population(t, pop, Random(11), 1).work == r.work);
  spec.flows_file.clear();
  const Residents radiation_only = make_population(load_commune_territory(spec, 2), pop, Random(11), 2);
  CHECK(radiation_only.work != r.work);
}

TEST_CASE("a broken flow table gets located errors", "[communes][flows]") {
  TerritorySpec spec = communes_spec("drome26_communes.csv");
  spec.select_epcis = {"200068781"};
  spec.flows_file = write_temp("broken_flows.csv",
                               "home,work,workers\n"
                               "26362,26281,10\n"
                               "26362,26281,12\n"  // 3: repeated
                               "2636X,26281,1\n"   // 4: unknown code
                               "26281,26362,-4\n"  // 5: negative
                               "26281,26058,many\n");
  try {
    (void)load_commune_territory(spec, 1);
    FAIL("a broken flow table was accepted");
  } catch (const InputDataError& e) {
    const auto& d = e.diagnostics();
    REQUIRE(d.size() == 4);
    CHECK_THAT(d[0].format(), Catch::EndsWith("broken_flows.csv:3:2: work: the flow from 26362 to 26281 is given "
                                              "twice (also on line 2)"));
    CHECK_THAT(d[1].format(), Catch::EndsWith(":4:1: home: '2636X' is not a commune of the commune table"));
    CHECK_THAT(d[2].format(), Catch::EndsWith(":5:3: workers: expected a number of workers >= 0, got '-4'"));
    CHECK_THAT(d[3].format(), Catch::EndsWith(":6:3: workers: expected a number of workers >= 0, got 'many'"));
  }
  spec.flows_file = write_temp("no_columns.csv", "a,b\n1,2\n");
  CHECK_THROWS_WITH(load_commune_territory(spec, 1), Catch::Contains("a home-work flow table has columns CODGEO"));
  // Given but of no use: the radiation model would place every commuter, and nothing would say so.
  spec.flows_file = write_temp("header_only.csv", "home,work,workers\n");
  CHECK_THROWS_AS(load_commune_territory(spec, 1), InputDataError);
  spec.flows_file = write_temp("all_outside.csv", "home,work,workers\n26362,38185,700\n26362,26281,0\n");
  CHECK_THROWS_WITH(load_commune_territory(spec, 1),
                    Catch::Contains("no home-work flow between two communes of the territory (2 rows, 1 of them"));
}

TEST_CASE("a territory too large for the machine is refused up front with the memory it needs", "[communes][memory]") {
  // 2 float matrices and a double matrix of zones x zones, and 96 B a resident.
  CHECK(build_bytes(1000, 1000000, true) == 1000ull * 1000 * 16 + 96000000ull);
  CHECK(build_bytes(1000, 1000000, false) == 1000ull * 1000 * 8 + 96000000ull);
  // France: 34,934 communes and 67,406,310 inhabitants (2021) once Paris, Lyon and Marseille are made of
  // their arrondissements; ~26 GB to build.
  TerritorySpec spec = communes_spec("france_communes.csv");
  const std::uint64_t need = build_bytes(34934, 67406310, true);
  CHECK(need > 20'000'000'000ull);
  if (need > available_memory_bytes()) {
    try {
      (void)load_commune_territory(spec, 1);
      FAIL("France was built although it does not fit");
    } catch (const ConfigurationError& e) {
      CHECK(e.diagnostics()[0].where.key == "territory.select");
      CHECK_THAT(e.diagnostics()[0].message,
                 Catch::StartsWith("the selection has 34934 communes and 67406310 inhabitants: building it needs "
                                   "about 26.0 GB") &&
                     Catch::Contains("available: select fewer communes") &&
                     Catch::EndsWith("the selected rows also have 25 problems"));
    }
  } else {  // a larger machine reaches the table's own problems (Oise, Vendee, Mayotte rows)
    CHECK_THROWS_AS(load_commune_territory(spec, 1), InputDataError);
  }
}

TEST_CASE("messages about a data file echo no more of it than a short token", "[communes]") {
  CHECK(token_text("26362") == "'26362'");
  CHECK(token_text("12.5") == "'12.5'");
  CHECK(token_text("root:x:0:0:root:/root:/bin/bash") == "a value of 31 characters");
  CHECK(token_text("a secret phrase") == "a value of 15 characters");  // spaces: not a token
  CHECK(token_text("") == "''");
  // Characters, not bytes; the shape of a number written with digit groups, not its digits.
  CHECK(token_text("\u00e9t\u00e9") == "a value of 3 characters");
  const std::string grouped =
      ", digits with separators between them (write a number without separators, with a decimal point: 1234.5)";
  CHECK(token_text("1,234") == "a value of 5 characters" + grouped);
  CHECK(token_text("2\u202f345") == "a value of 5 characters" + grouped);
  CHECK(token_text("2 345") == "a value of 5 characters" + grouped);
  CHECK(token_text("2 345 abc") == "a value of 9 characters");
}
