#pragma once
// Helpers shared by the C++ tests: small scenarios, lookups of channels and platforms, comparisons.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "coopterra/simulation.hpp"

namespace coopterra::test {

// A small run of the built-in defaults (30,000 residents, 25 zones) with overrides.
inline Scenario small(std::vector<Override> extra = {}) {
  std::vector<Override> o = {{"territory.residents", "30000", "test"}, {"territory.zones", "25", "test"}};
  o.insert(o.end(), extra.begin(), extra.end());
  return Scenario::defaults().with_overrides(o);
}

inline void require_identical(const Series& a, const Series& b) {
  REQUIRE(a.weeks() == b.weeks());
  for (std::size_t w = 0; w < a.weeks(); ++w) {
    const auto &x = a.carpool[w], &y = b.carpool[w];
    REQUIRE(x.vehicle_km_alone == y.vehicle_km_alone);  // exact, not approximate
    REQUIRE(x.vehicle_km_carpool == y.vehicle_km_carpool);
    REQUIRE(x.co2e_kg == y.co2e_kg);
    REQUIRE(x.choosing == y.choosing);
    REQUIRE(x.aware == y.aware);
    REQUIRE(x.fares_paid_cents == y.fares_paid_cents);
    REQUIRE(x.vehicle_km_by_zone == y.vehicle_km_by_zone);
  }
}

// A scenario of the markets: 12,000 residents, 20 zones, 40 weeks, plus a TOML fragment.
inline const std::string kBase = "schema_version = 1\n[run]\nweeks = 40\n[territory]\nresidents = 12000\nzones = 20\n";

inline Scenario scenario(const std::string& extra) {
  return Scenario::from_string(kBase + extra, "markets.toml");
}

inline std::size_t channel(const Simulation& s, const std::string& name) {
  const auto& c = s.markets().channels();
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i].name.rfind(name, 0) == 0) return i;
  FAIL("no channel " << name);
  return 0;
}

inline std::size_t platform(const Simulation& s, const std::string& sector, bool cooperative) {
  const auto& p = s.platforms();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i].sector == sector && p[i].cooperative == cooperative) return i;
  FAIL("no platform in " << sector);
  return 0;
}

inline std::int64_t failures(const Simulation& s) {
  std::int64_t n = 0;
  for (const auto& w : s.series().economy)
    for (auto f : w.failed) n += f;
  return n;
}

}  // namespace coopterra::test
