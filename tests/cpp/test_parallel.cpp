// Determinism of the parallel loops (core/parallel.hpp): the same seed gives bit-identical
// results whatever the thread count.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("results are bit-identical for 1, 2 and 4 threads", "[simulation][determinism]") {
  Simulation one(small(), 11, 1), two(small(), 11, 2), four(small(), 11, 4);
  one.run(12);
  two.run(12);
  four.run(12);
  require_identical(one.series(), two.series());
  require_identical(one.series(), four.series());
  CHECK(one.carpool().roles() == four.carpool().roles());
  Simulation other(small(), 12, 2);
  other.run(12);
  CHECK(other.series().carpool.back().co2e_kg != one.series().carpool.back().co2e_kg);
}

TEST_CASE("markets, firms and platforms are bit-identical for 1, 2 and 4 threads", "[markets]") {
  const Scenario s = Scenario::from_file(COOPTERRA_SOURCE_DIR "/scenarios/lockdown.toml");
  std::vector<std::unique_ptr<Simulation>> sims;
  for (int threads : {1, 2, 4}) {
    sims.push_back(std::make_unique<Simulation>(s, 11, threads));
    sims.back()->run(30);
  }
  for (std::size_t k = 1; k < sims.size(); ++k) {
    for (std::size_t w = 0; w < 30; ++w) {
      const auto& a = sims[0]->series().markets[w];
      const auto& b = sims[k]->series().markets[w];
      REQUIRE(a.purchases == b.purchases);
      REQUIRE(a.co2e_grams == b.co2e_grams);
      REQUIRE(a.users == b.users);
      REQUIRE(sims[0]->series().ledger[w].cents == sims[k]->series().ledger[w].cents);
      REQUIRE(sims[0]->series().economy[w].quality == sims[k]->series().economy[w].quality);
    }
    CHECK(sims[0]->markets().state() == sims[k]->markets().state());
  }
}
