// Territory: the synthetic generator and road shortest paths, against hand-computed cases.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/scenario/parameters.hpp"
#include "coopterra/territory/territory.hpp"

using namespace coopterra;

namespace {
// Zones on a line at x = 0, 10, 20, 30 km, 100 people each.
Territory line_territory() {
  Territory t;
  for (int i = 0; i < 4; ++i) {
    t.zones.code.push_back("L" + std::to_string(i));
    t.zones.name.push_back("line " + std::to_string(i));
    t.zones.x_km.push_back(10.0 * i);
    t.zones.y_km.push_back(0.0);
    t.zones.lat.push_back(0.0);
    t.zones.lon.push_back(0.0);
    t.zones.area_km2.push_back(3.14159265358979);
    t.zones.population.push_back(100);
    t.zones.kind.push_back(ZoneKind::Rural);
  }
  return t;
}
}  // namespace

TEST_CASE("shortest paths on a hand-computed line", "[territory]") {
  Territory t = line_territory();
  t.roads = {{0, 1, 10.0, 10.0}, {1, 2, 12.0, 12.0}, {2, 3, 10.0, 10.0}, {0, 3, 40.0, 40.0}};
  compute_shortest_paths(t, 1.0, 60.0, 2);
  CHECK(t.road_km(0, 3) == Approx(32.0));  // 10 + 12 + 10 beats the direct 40
  CHECK(t.road_km(3, 0) == Approx(32.0));
  CHECK(t.road_km(0, 2) == Approx(22.0));
  CHECK(t.road_minutes(0, 2) == Approx(22.0));  // 60 km/h: one minute per km
  // Within a zone of area pi km^2 (radius 1): mean distance 128 / (45 pi) km.
  CHECK(t.road_km(1, 1) == Approx(128.0 / (45.0 * 3.14159265358979)));
}

TEST_CASE("travel time adds the minutes of the links along the shortest road", "[territory]") {
  Territory t = line_territory();
  // 0-1-2 is shorter (22 km) than 0-2 (25 km) but slow; time follows the shortest distance.
  t.roads = {{0, 1, 10.0, 30.0}, {1, 2, 12.0, 5.0}, {0, 2, 25.0, 15.0}, {2, 3, 10.0, 7.0}};
  compute_shortest_paths(t, 1.0, 60.0, 2);
  CHECK(t.road_km(0, 2) == Approx(22.0));
  CHECK(t.road_minutes(0, 2) == Approx(35.0));
  CHECK(t.road_minutes(3, 0) == Approx(42.0));
  CHECK(t.road_minutes(2, 0) == t.road_minutes(0, 2));
}

TEST_CASE("a disconnected road network is an input data error", "[territory]") {
  Territory t = line_territory();
  t.roads = {{0, 1, 10.0, 10.0}, {2, 3, 10.0, 10.0}};
  CHECK_THROWS_AS(compute_shortest_paths(t, 1.0, 60.0, 1), InputDataError);
  t.roads = {{0, 1, -1.0, 10.0}, {1, 2, 1.0, 1.0}, {2, 3, 1.0, 1.0}};
  CHECK_THROWS_AS(compute_shortest_paths(t, 1.0, 60.0, 1), InputDataError);
}

TEST_CASE("nearest-neighbour roads are made connected", "[territory]") {
  Territory t = line_territory();
  t.zones.x_km = {0.0, 1.0, 100.0, 101.0};  // two far-apart clusters
  t.roads = nearest_neighbour_roads(t.zones, 1, 1.3, 60.0);
  REQUIRE(t.roads.size() == 3);  // one link per cluster, plus the one joining them
  compute_shortest_paths(t, 1.3, 60.0, 1);
  CHECK(t.road_km(0, 3) == Approx(101.0 * 1.3));
}

TEST_CASE("the synthetic territory is deterministic, exact and metric", "[territory]") {
  TerritorySpec spec = default_spec().territory;
  spec.zones = 40;
  spec.residents = 54321;
  const Territory a = make_synthetic_territory(spec, 1);
  const Territory b = make_synthetic_territory(spec, 2);
  CHECK(a.checksum() == b.checksum());
  CHECK((a.road_km.array() == b.road_km.array()).all());
  CHECK(a.population() == 54321);
  CHECK(a.zones.kind[0] == ZoneKind::UrbanCore);
  for (std::size_t z = 1; z < a.zones.size(); ++z) CHECK(a.zones.population[z] <= a.zones.population[z - 1]);
  const auto n = static_cast<Eigen::Index>(a.zones.size());
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      REQUIRE(a.road_km(i, j) == a.road_km(j, i));
      REQUIRE(a.road_km(i, j) > 0.0f);
      if (i == j) continue;
      for (Eigen::Index k = 0; k < n; ++k)
        if (k != i && k != j) REQUIRE(a.road_km(i, j) <= a.road_km(i, k) + a.road_km(k, j) + 1e-3f);
    }
  spec.seed = 2;
  CHECK(make_synthetic_territory(spec, 1).checksum() != a.checksum());
}
