// Synthetic population: placement, attribute shares, workplaces (radiation model) and ties.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "coopterra/core/allocate.hpp"
#include "coopterra/population/firms.hpp"
#include "coopterra/population/inputs.hpp"
#include "coopterra/population/population.hpp"
#include "coopterra/scenario/parameters.hpp"
#include "helpers.hpp"

using namespace coopterra;

TEST_CASE("the population follows the territory and the documented shares", "[population]") {
  Spec spec = default_spec();
  spec.territory.residents = 60000;
  const Territory t = make_synthetic_territory(spec.territory, 2);
  const Residents r = make_population(t, spec.population, Random(7), 2);
  REQUIRE(r.size() == 60000);
  for (std::size_t z = 0; z < t.zones.size(); ++z)
    CHECK(r.zone_begin[z + 1] - r.zone_begin[z] == static_cast<std::uint32_t>(t.zones.population[z]));
  std::size_t commuters = 0, with_car = 0, car_commuters = 0, at_home = 0, local_ties = 0;
  std::array<std::size_t, kAgeGroups> by_age{}, offline_by_age{};
  for (std::size_t i = 0; i < r.size(); ++i) {
    by_age[r.age_group[i]] += 1;
    offline_by_age[r.age_group[i]] += !r.has(i, Residents::Online);
    REQUIRE(r.income_decile[i] >= 1);
    REQUIRE(r.income_decile[i] <= 10);
    if (r.has(i, Residents::Commuter)) {
      ++commuters;
      REQUIRE(spec.population.relative_employment_by_age[r.age_group[i]] > 0);
      REQUIRE(r.work[i] < t.zones.size());
      at_home += r.work[i] == r.home[i];
      if (r.has(i, Residents::HasCar)) ++with_car, car_commuters += r.car_commuter(i);
    } else {
      REQUIRE(r.work[i] == kNoZone);
      REQUIRE(!r.car_commuter(i));
    }
    for (std::uint32_t j = 0; j < r.ties_per_resident; ++j) {
      const auto other = r.ties[i * r.ties_per_resident + j];
      REQUIRE(other != i);
      REQUIRE(other < r.size());
      local_ties += r.home[other] == r.home[i];
    }
  }
  const double n = 60000.0;
  CHECK(static_cast<double>(commuters) / n == Approx(spec.population.commuter_share).margin(0.01));
  CHECK(static_cast<double>(car_commuters) / static_cast<double>(with_car) ==
        Approx(spec.population.drive_if_car_share).margin(0.015));
  for (std::size_t g = 0; g < kAgeGroups; ++g) {
    CHECK(static_cast<double>(by_age[g]) / n == Approx(spec.population.age_shares[g]).margin(0.01));
    CHECK(static_cast<double>(offline_by_age[g]) / static_cast<double>(by_age[g]) ==
          Approx(spec.population.offline_share_by_age[g]).margin(0.03));
  }
  CHECK(static_cast<double>(at_home) / static_cast<double>(commuters) ==
        Approx(spec.population.work_in_home_zone_share).margin(0.02));
  // Local ties, plus the long-range ones that land in the home zone by chance.
  CHECK(static_cast<double>(local_ties) / static_cast<double>(r.ties.size()) >= spec.population.local_tie_share - 0.01);
}

TEST_CASE("firms: exact counts by sector, producers on land, chains by sector", "[population]") {
  Spec spec = default_spec();
  spec.territory.residents = 100000;
  const Territory t = make_synthetic_territory(spec.territory, 1);
  const Firms f = make_firms(t, spec.firms, Random(5));
  REQUIRE(f.size() == 3000);  // 30 per 1,000 residents
  std::array<std::size_t, kSectors> by_sector{};
  std::array<std::size_t, kSectors> chains{};
  std::vector<std::size_t> shops_by_zone(t.zones.size());
  for (std::size_t i = 0; i < f.size(); ++i) {
    by_sector[static_cast<std::size_t>(f.sector[i])] += 1;
    chains[static_cast<std::size_t>(f.sector[i])] += f.chain[i];
    if (f.sector[i] == Sector::Shop) shops_by_zone[f.zone[i]] += 1;
  }
  for (std::size_t s = 0; s < kSectors; ++s)
    CHECK(static_cast<double>(by_sector[s]) == Approx(3000 * spec.firms.sector_shares[s]).margin(0.5));
  CHECK(static_cast<double>(chains[1]) / static_cast<double>(by_sector[1]) == Approx(0.30).margin(0.06));
  CHECK(shops_by_zone[0] > shops_by_zone.back());  // shops follow population: the central town has most
  CHECK(allocate_proportionally(10, {1.0, 1.0, 1.0}) == std::vector<std::int64_t>{4, 3, 3});
  CHECK(allocate_proportionally(5, {0.0, 0.0, 10.0}, true) == std::vector<std::int64_t>{1, 1, 3});
}

TEST_CASE("largest-remainder allocation: exact sums, ties to the lower index, as a full sort gives", "[population]") {
  // The reference: sort every remainder, then one more to each in that order, cycling.
  auto reference = [](std::int64_t total, const std::vector<double>& w) {
    const std::size_t n = w.size();
    double sum = 0;
    for (double x : w) sum += x;
    std::vector<std::int64_t> out(n, 0);
    std::vector<std::pair<double, std::size_t>> rem(n);
    std::int64_t given = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double share = sum > 0 ? static_cast<double>(total) * w[i] / sum : 0.0;
      out[i] = static_cast<std::int64_t>(std::floor(share)), given += out[i];
      rem[i] = {share - static_cast<double>(out[i]), i};
    }
    std::sort(rem.begin(), rem.end(),
              [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (std::size_t i = 0; given < total; ++i, ++given) out[rem[i % n].second] += 1;
    return out;
  };
  const Random r(5);
  for (std::uint32_t trial = 0; trial < 200; ++trial) {
    const auto u = r.uniform2(Purpose::TerritoryLayout, trial, 0);
    const std::size_t n = 1 + static_cast<std::size_t>(u[0] * 300);
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = r.uniform(Purpose::TerritoryLayout, trial, 1, static_cast<std::uint16_t>(i));
      w[i] = trial % 5 == 0 ? 0.0 : (x < 0.2 ? 1.0 : std::floor(x * 10));  // zeros and many ties
    }
    const auto total = static_cast<std::int64_t>(u[1] * 100000) - (trial % 7 == 0 ? 0 : 5);
    const auto got = allocate_proportionally(std::max<std::int64_t>(0, total), w);
    CHECK(got == reference(std::max<std::int64_t>(0, total), w));
  }
}

TEST_CASE("the population is the same for any thread count", "[population]") {
  Spec spec = default_spec();
  const Territory t = make_synthetic_territory(spec.territory, 1);
  const Residents a = make_population(t, spec.population, Random(3), 1);
  const Residents b = make_population(t, spec.population, Random(3), 4);
  CHECK(a.work == b.work);
  CHECK(a.flags == b.flags);
  CHECK(a.ties == b.ties);
  CHECK(a.coop_attitude == b.coop_attitude);
  const Residents c = make_population(t, spec.population, Random(4), 1);
  CHECK(a.ties != c.ties);
}

TEST_CASE("radiation model: rows are distributions and nearer opportunities win", "[population]") {
  Territory t;
  // Origin 0 at x=0; zones 1 and 2 equally populated at 10 and 30 km; zone 3 large but 30 km away.
  const double xs[] = {0, 10, 30, 30.5};
  const std::int64_t pops[] = {1000, 500, 500, 5000};
  for (int i = 0; i < 4; ++i) {
    t.zones.code.push_back(std::to_string(i));
    t.zones.x_km.push_back(xs[i]);
    t.zones.population.push_back(pops[i]);
  }
  t.road_km.resize(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) t.road_km(i, j) = static_cast<float>(i == j ? 1.0 : std::abs(xs[i] - xs[j]));
  const auto cdf = workplace_cdf(t, 0.25);
  for (int i = 0; i < 4; ++i) {
    CHECK(cdf[i * 4 + 3] == 1.0);
    for (int j = 1; j < 4; ++j) CHECK(cdf[i * 4 + j] >= cdf[i * 4 + j - 1]);
  }
  const double p_stay = cdf[0], p1 = cdf[1] - cdf[0], p2 = cdf[2] - cdf[1];
  CHECK(p_stay == Approx(0.25));
  CHECK(p1 > p2);  // same size, nearer
  // Hand-computed: m=1000; zone 1: s=0 -> 1000*500/(1000*1500); zone 2: s=500 -> 1000*500/(1500*2000);
  // zone 3: s=1000 -> 1000*5000/(2000*7000).
  const double t1 = 1000.0 * 500 / (1000.0 * 1500), t2 = 1000.0 * 500 / (1500.0 * 2000),
               t3 = 1000.0 * 5000 / (2000.0 * 7000);
  CHECK(p1 == Approx(0.75 * t1 / (t1 + t2 + t3)));
  // Nobody anywhere else: every commuter of zone 0 works at home, none in an empty commune.
  t.zones.population = {1000, 0, 0, 0};
  const auto alone = workplace_cdf(t, 0.25);
  CHECK(alone[0] == 1.0);
  CHECK(alone[1] == 1.0);
}

TEST_CASE("runs with a cache share one territory and population per seed, and results do not change",
          "[population][cache]") {
  InputsCache cache;
  const Scenario base = test::small({{"territory.residents", "12000", "test"}});
  Simulation a(base, 3, 2, &cache), b(base, 3, 1, &cache);
  CHECK(&a.territory() == &b.territory());  // the same objects, read-only
  CHECK(&a.residents() == &b.residents());
  CHECK(&a.firms() == &b.firms());
  CHECK(cache.builds() == 2);  // a territory and a population
  CHECK(cache.hits() == 2);
  // Another seed: the same territory, another population.
  Simulation c(base, 4, 2, &cache);
  CHECK(&c.territory() == &a.territory());
  CHECK(&c.residents() != &a.residents());
  // Another population parameter: another population on the same territory.
  Simulation d(base.with_overrides({{"population.commuter_share", "0.4", "test"}}), 3, 2, &cache);
  CHECK(&d.territory() == &a.territory());
  CHECK(&d.residents() != &a.residents());
  // Another territory parameter: another territory.
  Simulation e(base.with_overrides({{"territory.zones", "20", "test"}}), 3, 2, &cache);
  CHECK(&e.territory() != &a.territory());
  // The runs with the cache give what a run without it gives, bit for bit.
  Simulation alone(base, 3, 2);
  a.run(6), b.run(6), alone.run(6);
  test::require_identical(a.series(), alone.series());
  test::require_identical(b.series(), alone.series());
  // Held by the runs, the inputs outlive the cache's entries.
  cache.clear();
  a.run(1);
  CHECK(a.week() == 7);
}

TEST_CASE("a cache forgets the least recently used inputs beyond its budget", "[population][cache]") {
  const Scenario base = test::small({{"territory.residents", "8000", "test"}});
  InputsCache tight(1);  // one byte: nothing is kept
  Simulation a(base, 3, 1, &tight), b(base, 3, 1, &tight);
  CHECK(tight.builds() == 4);
  CHECK(tight.hits() == 0);
  CHECK(tight.entries() == 0);
  CHECK(&a.residents() != &b.residents());
  a.run(3), b.run(3);
  test::require_identical(a.series(), b.series());
  // Room for the territory and one population: the older seed's population goes first.
  const std::size_t budget = [&] {
    InputsCache probe;
    Simulation p(base, 3, 1, &probe);
    return probe.bytes() + probe.bytes() / 4;  // a territory and a population, with room to spare
  }();
  InputsCache one(budget);
  Simulation c(base, 3, 1, &one), d(base, 4, 1, &one);
  CHECK(one.entries() == 2);  // the territory and seed 4's population
  Simulation e(base, 4, 1, &one);
  CHECK(&e.residents() == &d.residents());
  Simulation f(base, 3, 1, &one);
  CHECK(&f.residents() != &c.residents());  // forgotten, built again
}

TEST_CASE("a cached build that fails leaves no entry and fails again", "[population][cache]") {
  InputsCache cache;
  const auto path = std::filesystem::temp_directory_path() / "coopterra-cache-test-communes.csv";
  std::ofstream(path) << "not,a,commune,table\n1,2,3,4\n";
  const Scenario broken = Scenario::from_string(
      "schema_version = 1\n[territory]\nsource = \"communes\"\ncommunes_file = \"" + path.string() + "\"\n",
      "broken.toml");
  CHECK_THROWS_AS(Simulation(broken, 1, 1, &cache), InputDataError);
  CHECK_THROWS_AS(Simulation(broken, 1, 1, &cache), InputDataError);
  std::filesystem::remove(path);
  CHECK(cache.builds() == 2);
  CHECK(cache.hits() == 0);
}
