// The simulation (simulation.hpp): the week's phases in the profile, checkpoints that resume and
// fork a run bit for bit, and corrupt or underfunded checkpoints refused.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("the profile names every phase of the week", "[simulation]") {
  Simulation sim(small(), 1, 1);
  sim.run(3);
  std::vector<std::string> names;
  for (const auto& p : sim.profile().phases()) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"build territory",
                                          "build population",
                                          "build firms",
                                          "initial state",
                                          "policies",
                                          "financing",
                                          "awareness",
                                          "choice",
                                          "matching",
                                          "markets",
                                          "budget: incentives",
                                          "carpool accounts",
                                          "budget: economy",
                                          "procurement",
                                          "firms",
                                          "barter",
                                          "treasuries",
                                          "governance",
                                          "policies pay",
                                          "accounting"});
  CHECK(sim.profile().phases()[6].calls == 3);
  CHECK_THROWS_AS(Simulation(small(), 1, 0), ConfigurationError);
}

TEST_CASE("a run resumed from a checkpoint is the uninterrupted run, bit for bit", "[simulation][checkpoint]") {
  Simulation whole(small(), 21, 2), half(small(), 21, 1);
  whole.run(16);
  half.run(8);
  const std::string bytes = half.checkpoint();
  auto resumed = Simulation::restore(bytes, nullptr, 2);
  REQUIRE(resumed->week() == 8);
  resumed->run(8);
  require_identical(whole.series(), resumed->series());
  CHECK(whole.balances() == resumed->balances());
  CHECK_THROWS_AS(Simulation::restore(bytes.substr(0, bytes.size() / 2), nullptr, 1), InputDataError);
  CHECK_THROWS_AS(Simulation::restore("not a checkpoint", nullptr, 1), InputDataError);
}

TEST_CASE("a corrupt checkpoint or an underfunded fork is refused, never a crash", "[simulation][checkpoint]") {
  Simulation sim(small(), 2, 1);
  sim.run(3);
  std::string bytes = sim.checkpoint();
  // Flip bytes in the body: either refused as corrupt, or (if the flip lands in a value) restored;
  // never a crash or a wild allocation.
  for (std::size_t at = 40; at < bytes.size(); at += bytes.size() / 50) {
    std::string broken = bytes;
    broken[at] = static_cast<char>(broken[at] ^ 0x5a);
    try {
      auto restored = Simulation::restore(broken, nullptr, 1);
      (void)restored->results();
    } catch (const Error&) {
    }
  }
  const std::string campaign =
      "[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\nreach = 0.1\ncost_eur = 100\n";
  const auto funded_scenario = Scenario::from_string(
      "schema_version = 1\n[territory]\nresidents = 30000\nzones = 25\n[authority]\nbudget_eur = 100\n" + campaign,
      "funded.toml");
  Simulation funded(funded_scenario, 2, 1);
  funded.run(10);  // the campaign spends its 100 EUR evenly over 52 weeks
  // A fork whose budget cannot pay the campaign's remaining weeks is refused.
  const auto poorer = Scenario::from_string(
      "schema_version = 1\n[territory]\nresidents = 30000\nzones = 25\n[authority]\nbudget_eur = 60\n"
      "[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\nreach = 0.1\ncost_eur = 60\n",
      "poorer.toml");
  CHECK_THROWS_WITH(Simulation::restore(funded.checkpoint(), &poorer, 1),
                    Catch::Contains("does not cover what was spent before the checkpoint"));
  CHECK_NOTHROW(Simulation::restore(funded.checkpoint(), &funded_scenario, 1));
}
