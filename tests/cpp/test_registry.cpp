// The parameter registry: describe functions (the schema) joined with data/registry.toml (the
// data); the file's order, its templates, and a located error for every mistake in the data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "coopterra/scenario/parameters.hpp"

using namespace coopterra;

namespace {

std::string error_of(const std::string& data) {
  try {
    (void)build_registry(data, "test.toml");
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> keys_of(const std::vector<Parameter>& registry) {
  std::vector<std::string> out;
  for (const auto& p : registry) out.push_back(p.key);
  return out;
}

// Suffixes of the described keys under a table, e.g. "carpool.cooperative".
std::set<std::string> described_under(const std::string& table) {
  std::set<std::string> out;
  for (const auto& b : spec_bindings())
    if (b.key.rfind(table + ".", 0) == 0) out.insert(b.key.substr(table.size() + 1));
  return out;
}

const char* kWeeks = R"(
[run.weeks]
default = 52
min = 1
max = 5200
unit = "week"
description = "simulated horizon"
source = "choice of the user"
)";

}  // namespace

TEST_CASE("the embedded data is data/registry.toml as shipped", "[registry]") {
  std::ifstream in(std::string(COOPTERRA_SOURCE_DIR) + "/data/registry.toml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  CHECK(registry_data() == text.str());
  CHECK(keys_of(build_registry(text.str(), "data/registry.toml")) == keys_of(parameters()));
}

TEST_CASE("a platform is described once: carpool, market and barter platforms bind the same fields", "[registry]") {
  const auto market = described_under("markets.food.cooperative");
  CHECK(market.size() == 31);
  for (const char* t : {"carpool.cooperative", "carpool.incumbent", "barter.cooperative", "markets.tourism.incumbent"})
    CHECK(described_under(t) == market);
  // Each kind of platform exposes the fields its data lists; the markets' use them all.
  const auto unlisted = unlisted_keys();
  for (const auto& key : unlisted) {
    INFO(key);
    const bool carpool_only = key.size() > 10 && (key.ends_with(".fee_model") || key.ends_with(".fee_eur_per_km"));
    CHECK((key.rfind("carpool.cooperative.", 0) == 0 || key.rfind("carpool.incumbent.", 0) == 0 ||
           key.rfind("barter.cooperative.", 0) == 0 || carpool_only));
  }
  CHECK(std::count(unlisted.begin(), unlisted.end(), "carpool.cooperative.customer_fee") == 1);
  CHECK(find_parameter("markets.food.cooperative.customer_fee") != nullptr);
  CHECK(find_parameter("carpool.incumbent.fees_leave_territory") != nullptr);
}

TEST_CASE("the registry keeps the file's order; a template's entries come in its order, overridden", "[registry]") {
  const std::string data = std::string(R"(
[templates.platform.name]
default = "a platform"
description = "label"
source = "label only"

[templates.platform.commission]
default = 0.1
min = 0.0
max = 0.5
unit = "share"
description = "commission"
source = "template"

[templates.van]
default = 0.27
source = "a van"

[templates.platform.vehicle_kg_per_km]
default = 0.0
min = 0.0
max = 2.0
description = "vehicle"
source = "none"

[carpool.incumbent]
like = "platform"
commission.default = 0.12
commission.source = "its own"
vehicle_kg_per_km.like = "van"
)") + kWeeks;
  const auto registry = build_registry(data, "test.toml");
  CHECK(keys_of(registry) == std::vector<std::string>{"carpool.incumbent.name", "carpool.incumbent.commission",
                                                      "carpool.incumbent.vehicle_kg_per_km", "run.weeks"});
  Spec s;
  for (const auto& p : registry) p.set_default(s);
  CHECK(s.carpool.incumbent.name == "a platform");
  CHECK(s.carpool.incumbent.commission == 0.12);
  CHECK(s.carpool.incumbent.vehicle_kg_per_km == 0.27);
  CHECK(s.run.weeks == 52);
  CHECK(registry[1].source == "its own");
  CHECK(registry[1].max == 0.5);
  CHECK(registry[1].unit == "share");
  CHECK(registry[2].source == "a van");
  CHECK(registry[2].type == ParamType::Real);
  CHECK(registry[3].type == ParamType::Integer);
}

TEST_CASE("a mistake in the registry's data names the file, line and key", "[registry]") {
  // A key no describe binds.
  auto e = error_of(std::string(kWeeks) +
                    "\n[run.wekes]\ndefault = 1\nmin = 1\nmax = 2\ndescription = \"d\"\n"
                    "source = \"s\"\n");
  CHECK_THAT(e, Catch::StartsWith("test.toml:10:"));
  CHECK_THAT(e, Catch::Contains("'run.wekes' is bound to no member"));
  // A default of the wrong type.
  e = error_of("[run.weeks]\ndefault = 1.5\nmin = 1\nmax = 9\ndescription = \"d\"\nsource = \"s\"\n");
  CHECK_THAT(e, Catch::StartsWith("test.toml:2:"));
  CHECK_THAT(e, Catch::Contains("'run.weeks': default must be an integer"));
  // A default outside its range.
  e = error_of("[run.weeks]\ndefault = 10\nmin = 1\nmax = 9\ndescription = \"d\"\nsource = \"s\"\n");
  CHECK_THAT(e, Catch::Contains("'run.weeks': the default is outside [min, max]"));
  // No source.
  e = error_of("[run.weeks]\ndefault = 1\nmin = 1\nmax = 9\ndescription = \"d\"\n");
  CHECK_THAT(e, Catch::Contains("'run.weeks' needs a description and a source"));
  // No range for a number.
  e = error_of("[run.weeks]\ndefault = 1\ndescription = \"d\"\nsource = \"s\"\n");
  CHECK_THAT(e, Catch::Contains("'run.weeks' needs min and max"));
  // A field the format does not have.
  e = error_of("[run.weeks]\ndefault = 1\nmin = 1\nmax = 9\ndescription = \"d\"\nsource = \"s\"\nunits = \"w\"\n");
  CHECK_THAT(e, Catch::StartsWith("test.toml:7:"));
  CHECK_THAT(e, Catch::Contains("unknown field units"));
  // A template that does not exist.
  e = error_of("[carpool.incumbent]\nlike = \"nothing\"\n");
  CHECK_THAT(e, Catch::StartsWith("test.toml:2:"));
  CHECK_THAT(e, Catch::Contains("no template [templates.nothing]"));
  // A range on a string.
  e = error_of("[name]\ndefault = \"x\"\nmin = 0\ndescription = \"d\"\nsource = \"s\"\n");
  CHECK_THAT(e, Catch::Contains("'name': min: a string has no range"));
  // Not TOML.
  e = error_of("[run.weeks\n");
  CHECK_THAT(e, Catch::StartsWith("test.toml:1:"));
}

TEST_CASE("the same data format describes another target, e.g. a policy of the timeline", "[registry]") {
  std::vector<Binding<PolicySpec>> bindings = {
      {"reach", ParamType::Real, [](PolicySpec& p) -> void* { return &p.reach; }}};
  const auto fields = parameters_from_data<PolicySpec>(
      "[reach]\ndefault = 0.25\nmin = 0\nmax = 1\nunit = \"share per week\"\ndescription = \"d\"\nsource = \"s\"\n",
      "policy.toml", bindings);
  REQUIRE(fields.size() == 1);
  PolicySpec policy;
  fields[0].set_default(policy);
  CHECK(policy.reach == 0.25);
  CHECK(fields[0].value_text(policy) == "0.25");
  CHECK_THROWS_WITH(parameters_from_data<PolicySpec>("[rate]\ndefault = 0.1\n", "policy.toml", bindings),
                    Catch::Contains("policy.toml:1:1: 'rate' is bound to no member"));
}
