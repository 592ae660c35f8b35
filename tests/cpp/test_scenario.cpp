// Scenario parsing and validation: located errors, all at once, overrides through the same rules.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "coopterra/scenario/parameters.hpp"
#include "coopterra/scenario/scenario.hpp"

using namespace coopterra;

namespace {
std::vector<Diagnostic> problems(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    (void)Scenario::from_string(text, "test.toml").with_overrides(overrides);
  } catch (const ConfigurationError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("the shipped baseline scenario is valid", "[scenario]") {
  const auto s = Scenario::from_file(COOPTERRA_SOURCE_DIR "/scenarios/baseline.toml");
  CHECK(s.spec().schema_version == 1);
  CHECK(s.spec().territory.source == "synthetic");
  CHECK(validate_file(COOPTERRA_SOURCE_DIR "/scenarios/baseline.toml").empty());
}

TEST_CASE("an unknown key is located and gets a suggestion", "[scenario]") {
  const auto d = problems("schema_version = 1\n[territory]\nresident = 5000\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "test.toml");
  CHECK(d[0].where.line == 3);
  CHECK(d[0].where.column == 1);
  CHECK(d[0].where.key == "territory.resident");
  CHECK_THAT(d[0].message, Catch::Contains("did you mean 'territory.residents'"));
  CHECK(d[0].format().rfind("test.toml:3:1: territory.resident: unknown key", 0) == 0);
}

TEST_CASE("a key in the wrong table is pointed to its table", "[scenario]") {
  const auto d = problems("schema_version = 1\nresidents = 5000\n");
  REQUIRE(d.size() == 1);
  CHECK_THAT(d[0].message, Catch::Contains("did you mean 'territory.residents'"));
}

TEST_CASE("a wrong type is located and says what was expected", "[scenario]") {
  const auto d = problems("schema_version = 1\n[territory]\nresidents = \"many\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.line == 3);
  CHECK(d[0].where.column == 13);
  CHECK(d[0].message == "expected an integer (person), got a string");
}

TEST_CASE("an out-of-range value is located and gives the range", "[scenario]") {
  const auto d = problems("schema_version = 1\n[carpool.incumbent]\ncommission = 1.5\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "carpool.incumbent.commission");
  CHECK(d[0].where.line == 3);
  CHECK(d[0].message == "must be between 0 and 0.5 share of fare, got 1.5");
}

TEST_CASE("every problem is reported at once", "[scenario]") {
  const auto d =
      problems("schema_version = 1\nrun.weeks = 0\n[territory]\nzones = 2.5\nsource = \"mars\"\n[bogus]\nx = 1\n");
  REQUIRE(d.size() == 4);
}

TEST_CASE("invalid TOML is located", "[scenario]") {
  const auto d = problems("schema_version = 1\n[territory\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.line == 2);
  CHECK_THAT(d[0].message, Catch::StartsWith("invalid TOML"));
}

TEST_CASE("schema_version is required", "[scenario]") {
  const auto d = problems("[run]\nweeks = 3\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "schema_version");
}

TEST_CASE("cross-field rules are checked", "[scenario]") {
  const auto d = problems("schema_version = 1\n[territory]\nzones = 5\nroad_neighbours = 5\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "territory.road_neighbours");
  CHECK(d[0].where.line == 4);
}

TEST_CASE("overrides use the same validation and say where they came from", "[scenario]") {
  const auto base = Scenario::from_string("schema_version = 1\n", "test.toml");
  const auto s = base.with_overrides({{"territory.residents", "200000", "--set territory.residents=200000"},
                                      {"territory.source", "synthetic", "--set territory.source=synthetic"}});
  CHECK(s.spec().territory.residents == 200000);
  CHECK(base.spec().territory.residents == 20000);  // the original is unchanged
  const auto d = problems("schema_version = 1\n", {{"territory.residents", "-5", "--set territory.residents=-5"}});
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.file == "--set territory.residents=-5");
  CHECK(d[0].where.line == 0);
  CHECK_THAT(d[0].message, Catch::Contains("must be between 100 and"));
  const auto t = problems("schema_version = 1\n", {{"territory.residnts", "5000", "--set territory.residnts=5000"}});
  REQUIRE(t.size() == 1);
  CHECK_THAT(t[0].message, Catch::Contains("did you mean 'territory.residents'"));
}

TEST_CASE("the resolved scenario lists every parameter and reads back to the same spec", "[scenario]") {
  const auto s = Scenario::from_string("schema_version = 1\nname = \"x\"\n[carpool]\nasc = -1.25\n", "t.toml");
  const std::string resolved = s.resolved_toml();
  for (const auto& p : parameters()) {
    // A synthetic territory's resolved scenario leaves out the keys of commune tables.
    const bool commune_only = p.key.find("file") != std::string::npos || p.key.find("select") != std::string::npos ||
                              p.key == "territory.arrondissements" || p.key == "territory.separate_gap_km";
    CHECK((resolved.find(p.key.substr(p.key.rfind('.') + 1) + " = ") != std::string::npos || commune_only));
  }
  const auto again = Scenario::from_string(resolved, "resolved.toml");
  CHECK(again.resolved_toml() == resolved);
  CHECK(again.spec().carpool.asc == -1.25);
}

TEST_CASE("every parameter has a unit or a label, a description, a source and a sane default", "[scenario]") {
  const Spec defaults = default_spec();
  for (const auto& p : parameters()) {
    INFO(p.key);
    CHECK(!p.description.empty());
    CHECK(!p.source.empty());
    if (p.type == ParamType::Integer || p.type == ParamType::Real) {
      CHECK(p.min <= p.default_number);
      CHECK(p.default_number <= p.max);
    }
  }
  CHECK(defaults.carpool.incumbent.commission == 0.12);
  CHECK(defaults.emissions.thermal_car_kg_per_km == 0.218);
}

namespace {
std::filesystem::path scenario_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("coopterra-extends-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "sub");
  return dir;
}
void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}
}  // namespace

TEST_CASE("extends: parents first, tables merged, policies concatenated, errors in their own file", "[scenario]") {
  const auto dir = scenario_dir();
  write(
      dir / "base.toml",
      "schema_version = 1\nname = \"base\"\n[territory]\nresidents = 5000\nzones = 10\n[authority]\nbudget_eur = 9000\n"
      "[[policies]]\nkind = \"platform_tax\"\nplatform = \"incumbent\"\nrate = 0.1\n");
  write(dir / "sub" / "child.toml",
        "schema_version = 1\nextends = \"../base.toml\"\nname = \"child\"\n[territory]\nzones = 12\n"
        "[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\nreach = 0.01\ncost_eur = 5000\n");
  const auto s = Scenario::from_file((dir / "sub" / "child.toml").string());
  CHECK(s.spec().name == "child");
  CHECK(s.spec().territory.residents == 5000);  // from the parent
  CHECK(s.spec().territory.zones == 12);        // the child wins
  REQUIRE(s.spec().policies.size() == 2);
  CHECK(s.spec().policies[0].kind == "platform_tax");
  CHECK(s.spec().policies[1].kind == "awareness_campaign");
  CHECK(s.spec().policies[0].file == std::filesystem::weakly_canonical(dir / "base.toml").string());
  // A mistake in the parent is located in the parent.
  write(dir / "base.toml", "schema_version = 1\n[territory]\nresidents = \"many\"\n");
  try {
    (void)Scenario::from_file((dir / "sub" / "child.toml").string());
    FAIL("expected a ConfigurationError");
  } catch (const ConfigurationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.file == std::filesystem::weakly_canonical(dir / "base.toml").string());
    CHECK(e.diagnostics()[0].where.line == 3);
  }
  // Cycles and missing parents are refused where the extends is written.
  write(dir / "a.toml", "schema_version = 1\nextends = \"b.toml\"\n");
  write(dir / "b.toml", "schema_version = 1\nextends = [\"a.toml\"]\n");
  CHECK_THROWS_WITH(Scenario::from_file((dir / "a.toml").string()), Catch::Contains("a cycle of extends"));
  write(dir / "c.toml", "schema_version = 1\nextends = \"nowhere.toml\"\n");
  CHECK_THROWS_WITH(Scenario::from_file((dir / "c.toml").string()),
                    Catch::Contains("c.toml:2:11: extends: the extended scenario: file not found"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("extending the synthetic baseline with a commune table drops the synthetic keys", "[scenario]") {
  const auto dir = scenario_dir();
  write(dir / "base.toml", "schema_version = 1\n[territory]\nresidents = 5000\nzones = 10\n");
  write(dir / "real.toml",
        "schema_version = 1\nextends = \"base.toml\"\n[territory]\nsource = \"communes\"\n"
        "communes_file = \"" COOPTERRA_SOURCE_DIR "/../shared/data/drome26_communes.csv\"\n");
  const auto s = Scenario::from_file((dir / "real.toml").string());
  CHECK(s.spec().territory.source == "communes");
  CHECK(s.resolved_toml().find("\nresidents = ") == std::string::npos);
  // Written in the same file as the source, it is still a mistake.
  write(dir / "mixed.toml",
        "schema_version = 1\n[territory]\nsource = \"communes\"\nresidents = 5000\n"
        "communes_file = \"" COOPTERRA_SOURCE_DIR "/../shared/data/drome26_communes.csv\"\n");
  CHECK_THROWS_WITH(Scenario::from_file((dir / "mixed.toml").string()),
                    Catch::Contains("mixed.toml:4:13: territory.residents: applies to the synthetic territory only"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("extends: a shared ancestor is merged once, and a commune key below a synthetic source is an error",
          "[scenario]") {
  const auto dir = scenario_dir();
  write(dir / "base.toml", "schema_version = 1\n[run]\nweeks = 52\n[territory]\nsource = \"synthetic\"\n");
  write(dir / "long.toml", "schema_version = 1\nextends = \"base.toml\"\n[run]\nweeks = 104\n");
  write(dir / "taxed.toml",
        "schema_version = 1\nextends = \"base.toml\"\n[[policies]]\nkind = \"platform_tax\"\n"
        "platform = \"incumbent\"\nrate = 0.1\n");
  write(dir / "both.toml", "schema_version = 1\nextends = [\"long.toml\", \"taxed.toml\"]\n");
  const auto both = Scenario::from_file((dir / "both.toml").string());
  CHECK(both.spec().run.weeks == 104);  // not put back to 52 by the second copy of base.toml
  CHECK(both.spec().policies.size() == 1);
  write(dir / "forgot.toml",
        "schema_version = 1\nextends = \"base.toml\"\n[territory]\ncommunes_file = \"" COOPTERRA_SOURCE_DIR
        "/../shared/data/drome26_communes.csv\"\n");
  CHECK_THROWS_WITH(Scenario::from_file((dir / "forgot.toml").string()),
                    Catch::Contains("territory.communes_file: applies to a commune table"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("campaign costs are checked in cents, as they are spent", "[scenario]") {
  CHECK_THROWS_WITH(Scenario::from_string(
                        "schema_version = 1\n[authority]\nbudget_eur = 0.25\n"
                        "[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\nreach = 0.1\n"
                        "cost_eur = 0.125\n[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\n"
                        "reach = 0.1\ncost_eur = 0.125\n",
                        "c.toml"),
                    Catch::Contains("the policies commit 0.26 EUR"));
}
