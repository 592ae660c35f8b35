// The weekly model end to end: determinism across thread counts, conservation of money and trips,
// common random numbers, and behaviour that responds to its parameters in the documented way.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"

using namespace coopterra;

namespace {
Scenario small(std::vector<Override> extra = {}) {
  std::vector<Override> o = {{"territory.residents", "30000", "test"}, {"territory.zones", "25", "test"}};
  o.insert(o.end(), extra.begin(), extra.end());
  return Scenario::defaults().with_overrides(o);
}

void require_identical(const Series& a, const Series& b) {
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
}  // namespace

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

TEST_CASE("money and trips add up, resident by resident", "[simulation][accounting]") {
  Simulation sim(small({{"carpool.cooperative.initial_awareness", "0.6", "test"}}), 5, 2);
  sim.run(6);
  const auto& week = sim.series().carpool.back();
  const auto& roles = sim.carpool().roles();
  const auto& choices = sim.carpool().choices();
  const auto& r = sim.residents();
  const std::int64_t trips = 2 * sim.scenario().spec().carpool.workdays_per_week;
  std::array<std::int64_t, 2> paid{}, received{}, fees{};
  std::int64_t car_commuters = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!r.car_commuter(i)) {
      REQUIRE(roles[i] == Role::None);
      continue;
    }
    ++car_commuters;
    const std::size_t p = choices[i] > 0 ? choices[i] - 1u : 0u;
    const auto fare = sim.carpool().fare_cents(r.home[i], r.work[i]);
    if (roles[i] == Role::Passenger) {
      paid[p] += (fare + sim.carpool().fee_cents(p, fare)) * trips;
      fees[p] += sim.carpool().fee_cents(p, fare) * trips;
    }
    if (roles[i] == Role::Driver) received[p] += fare * trips;
  }
  CHECK(car_commuters == week.choosing[0] + week.choosing[1] + week.choosing[2]);
  for (std::size_t p = 0; p < 2; ++p) {
    CHECK(paid[p] == week.fares_paid_cents[p]);
    CHECK(received[p] == week.driver_income_cents[p]);
    CHECK(paid[p] == received[p] + fees[p]);  // what passengers pay, drivers and platforms receive
    CHECK(week.drivers[p] == week.passengers[p]);
  }
  CHECK(week.fees_cents[0] == 0);  // the cooperative takes no commission by default
  CHECK(week.fees_cents[1] > 0);
  CHECK(week.drivers[0] > 0);
  double by_zone = 0;
  for (double v : week.vehicle_km_by_zone) by_zone += v;
  CHECK(by_zone == Approx(week.vehicle_km_alone + week.vehicle_km_carpool).epsilon(1e-12));
}

TEST_CASE("a platform nobody knows is never chosen", "[simulation]") {
  Simulation sim(small({{"carpool.cooperative.initial_awareness", "0", "t"},
                        {"carpool.cooperative.bass_p", "0", "t"},
                        {"carpool.cooperative.bass_q", "0", "t"}}),
                 3, 2);
  sim.run(8);
  for (const auto& w : sim.series().carpool) {
    CHECK(w.aware[0] == 0);
    CHECK(w.choosing[1] == 0);
  }
  CHECK(sim.series().carpool.back().choosing[2] > 0);
}

TEST_CASE("common random numbers: a commission change leaves unrelated draws alone", "[simulation]") {
  Simulation base(small(), 9, 2), policy(small({{"carpool.incumbent.commission", "0.3", "t"}}), 9, 2);
  base.run(10);
  policy.run(10);
  // Awareness does not depend on commissions: the same residents become aware in both runs.
  CHECK(base.carpool().awareness() == policy.carpool().awareness());
  // A dearer incumbent loses users; driving alone and the cooperative gain. Pathwise: only
  // residents who chose the incumbent in the baseline choose differently under the policy.
  const auto& b = base.series().carpool.back();
  const auto& p = policy.series().carpool.back();
  CHECK(p.choosing[2] < b.choosing[2]);
  CHECK(p.choosing[1] >= b.choosing[1]);
  std::size_t moved = 0;
  for (std::size_t i = 0; i < base.residents().size(); ++i) {
    if (base.carpool().choices()[i] == policy.carpool().choices()[i]) continue;
    REQUIRE(base.carpool().choices()[i] == 2);
    ++moved;
  }
  CHECK(moved == static_cast<std::size_t>(b.choosing[2] - p.choosing[2]));
}

TEST_CASE("awareness spreads and carpooling cuts vehicle-km", "[simulation]") {
  Simulation sim(small(), 4, 2);
  sim.run(52);
  const auto& first = sim.series().carpool.front();
  const auto& last = sim.series().carpool.back();
  CHECK(last.aware[0] > first.aware[0]);
  CHECK(last.choosing[1] > first.choosing[1]);
  // No carpooling at all: every car commuter drives alone, more vehicle-km.
  Simulation none(small({{"carpool.asc", "-20", "t"}}), 4, 2);
  none.run(52);
  const auto& n = none.series().carpool.back();
  CHECK(n.choosing[1] + n.choosing[2] == 0);
  CHECK(n.vehicle_km_alone + n.vehicle_km_carpool > last.vehicle_km_alone + last.vehicle_km_carpool);
}

TEST_CASE("the profile names every phase of the week", "[simulation]") {
  Simulation sim(small(), 1, 1);
  sim.run(3);
  std::vector<std::string> names;
  for (const auto& p : sim.profile().phases()) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"build territory", "build population", "build firms", "initial state",
                                          "policies", "awareness", "choice", "matching", "markets", "incentives budget",
                                          "carpool accounts", "economy budget", "procurement", "firms", "barter",
                                          "treasuries", "governance", "policies pay", "accounting"});
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

TEST_CASE(
    "the carpool platforms keep books: the incumbent's margin leaves, a grant reaches the cooperative, a "
    "cooperative without funding closes and is no longer chosen",
    "[simulation][carpool][economy]") {
  const auto index = [](const Simulation& s, bool coop) {
    for (std::size_t q = 0; q < s.platforms().size(); ++q)
      if (s.platforms()[q].sector == "carpool" && s.platforms()[q].cooperative == coop) return q;
    FAIL("no carpool platform");
    return std::size_t{0};
  };
  Simulation base(small(), 5, 2);
  base.run(30);
  const std::size_t coop = index(base, true), incumbent = index(base, false);
  std::int64_t fees = 0, leaving = 0;
  for (std::size_t w = 0; w < 30; ++w) {
    const auto& e = base.series().economy[w];
    fees += base.series().carpool[w].fees_cents[1] - base.series().carpool[w].tax_cents[1];
    leaving += e.flows.leaving[incumbent];
    CHECK(e.treasury_cents[incumbent] == 0);  // what it keeps leaves the territory each week
    CHECK(e.open[coop] == 1);                 // no costs in the territory by default: it stays
  }
  CHECK(fees > 0);
  CHECK(leaving == fees);
  CHECK(base.series().carpool.back().choosing[1] > 0);

  SECTION("a grant to the carpool cooperative reaches its treasury") {
    Simulation sim(
        small(
            {{"authority.budget_eur", "100000", "test"},
             {"policies",
              "[{kind = \"grant\", sector = \"carpool\", platform = \"cooperative\", cost_eur = 30000, end_week = 30}]",
              "test"}}),
        5, 2);
    sim.run(30);
    std::int64_t grants = 0;
    for (const auto& e : sim.series().economy) grants += e.flows.grants[coop];
    CHECK(grants == 3000000);
    CHECK(sim.series().economy.back().treasury_cents[coop] ==
          base.series().economy.back().treasury_cents[coop] + grants);
  }
  SECTION("a territorial team without funding: the cooperative closes, then nobody carpools through it") {
    Simulation sim(small({{"carpool.cooperative.staff", "2", "test"}}), 5, 2);
    sim.run(30);
    const auto& eco = sim.series().economy;
    std::size_t closed = 0;
    while (closed < eco.size() && eco[closed].open[coop]) ++closed;
    REQUIRE(closed < eco.size());
    CHECK(closed + 1 >= 13);  // cooperatives.exit_weeks of negative treasury
    for (std::size_t w = closed + 1; w < eco.size(); ++w) {
      CHECK(sim.series().carpool[w].choosing[1] == 0);
      CHECK(sim.series().carpool[w].passengers[0] == 0);
    }
    CHECK(sim.series().carpool.back().choosing[2] >= base.series().carpool.back().choosing[2]);
  }
  SECTION("the authority's equity in the carpool SCIC is capped at half its capital") {
    CHECK_THROWS_AS(
        small({{"carpool.cooperative.initial_capital_eur", "10000", "test"},
               {"authority.budget_eur", "100000", "test"},
               {"policies",
                "[{kind = \"scic_equity\", sector = \"carpool\", platform = \"cooperative\", equity_eur = 20000}]",
                "test"}}),
        ConfigurationError);
    Simulation sim(
        small({{"carpool.cooperative.initial_capital_eur", "10000", "test"},
               {"authority.budget_eur", "100000", "test"},
               {"policies",
                "[{kind = \"scic_equity\", sector = \"carpool\", platform = \"cooperative\", equity_eur = 5000}]",
                "test"}}),
        5, 1);
    sim.run(3);
    CHECK(sim.series().economy.back().authority_equity_cents[coop] == 500000);
  }
}
