// Carpooling (model/carpool.hpp): conservation of money and trips, awareness, choices and
// common random numbers.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("money and trips add up, resident by resident", "[simulation][accounting]") {
  // Platforms with enough users to count their money on a small territory (carpool.asc's
  // calibrated default leaves them a handful).
  Simulation sim(small({{"carpool.cooperative.initial_awareness", "0.6", "test"}, {"carpool.asc", "-3", "test"}}), 5,
                 2);
  sim.run(6);
  const auto& week = sim.series().carpool.back();
  const auto& roles = sim.carpool().roles();
  const auto& choices = sim.carpool().choices();
  const auto& r = sim.residents();
  const std::int64_t trips = 2 * sim.scenario().spec().carpool.workdays_per_week;
  std::array<std::int64_t, 2> paid{}, received{}, fees{};
  std::int64_t car_commuters = 0, on_leave = 0, informal = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!r.car_commuter(i)) {
      REQUIRE(roles[i] == Role::None);
      continue;
    }
    ++car_commuters;
    if (choices[i] == kOnLeave) {  // no trip this week
      REQUIRE(roles[i] == Role::None);
      ++on_leave;
      continue;
    }
    if (choices[i] == sim.carpool().informal()) {  // no platform, nothing booked
      REQUIRE(roles[i] != Role::None);
      informal += roles[i] == Role::Driver || roles[i] == Role::Passenger;
      continue;
    }
    const std::size_t p = choices[i] > 0 ? choices[i] - 1u : 0u;
    const auto fare = sim.carpool().fare_cents(r.home[i], r.work[i]);
    if (roles[i] == Role::Passenger) {
      const auto fee = sim.carpool().fee_cents(p, r.home[i], r.work[i]);
      paid[p] += (fare + fee) * trips;
      fees[p] += fee * trips;
    }
    if (roles[i] == Role::Driver) received[p] += fare * trips;
  }
  CHECK(car_commuters == week.choosing[0] + week.choosing[1] + week.choosing[2] + week.choosing[3] + week.on_leave);
  CHECK(on_leave == week.on_leave);
  // About 5 weeks of leave in 52.
  CHECK(static_cast<double>(on_leave) / static_cast<double>(car_commuters) == Approx(5.0 / 52.0).margin(0.02));
  CHECK(informal == week.informal_drivers + week.informal_passengers);
  CHECK(week.informal_drivers == week.informal_passengers);
  CHECK(informal > 0);
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
  const Override users{"carpool.asc", "-3", "t"};  // an incumbent with users to lose
  Simulation base(small({users}), 9, 2), policy(small({users, {"carpool.incumbent.commission", "0.3", "t"}}), 9, 2);
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
  // Word of mouth may reach every resident (potential 1, not the default fifth): a year on 30,000
  // residents is then enough for the cooperative's awareness to bring it carpoolers.
  Simulation sim(small({{"carpool.cooperative.awareness_potential", "1", "test"}}), 4, 2);
  sim.run(52);
  const auto& first = sim.series().carpool.front();
  const auto& last = sim.series().carpool.back();
  CHECK(last.aware[0] > first.aware[0]);
  CHECK(last.choosing[1] > first.choosing[1]);
  // No carpooling at all: every car commuter drives alone, more vehicle-km.
  Simulation none(small({{"carpool.asc", "-20", "t"}, {"carpool.informal_asc", "-20", "t"}}), 4, 2);
  none.run(52);
  const auto& n = none.series().carpool.back();
  CHECK(n.choosing[1] + n.choosing[2] + n.choosing[3] == 0);
  CHECK(n.vehicle_km_alone + n.vehicle_km_carpool > last.vehicle_km_alone + last.vehicle_km_carpool);
}

namespace {
// Three platforms, as scenarios/ridygo.toml lists them, on the small territory of the markets
// (helpers.hpp), platforms' constant raised so that 12 weeks have users on each.
const std::string kThree =
    "[carpool]\nasc = -1.0\n"
    "[[carpool.platforms]]\nkey = \"mobicoop\"\ncooperative = true\ninitial_awareness = 0.4\n"
    "[[carpool.platforms]]\nkey = \"ridygo\"\ncooperative = true\nfee_model = \"per_km\"\nfee_eur_per_km = 0.03\n"
    "initial_awareness = 0.4\n"
    "[[carpool.platforms]]\nkey = \"incumbent\"\ncooperative = false\ninitial_awareness = 0.4\n";

std::vector<Diagnostic> carpool_problems(const std::string& extra) {
  try {
    (void)scenario(extra);
  } catch (const ConfigurationError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("a scenario lists its carpool platforms, each with its fee model; money adds up for each",
          "[simulation][accounting]") {
  Simulation sim(scenario(kThree + "[authority]\nbudget_eur = 100000\n[[policies]]\nkind = \"carpool_incentive\"\n"
                                   "platform = \"ridygo\"\namount_eur = 1.0\n"),
                 5, 2);
  REQUIRE(sim.carpool().platforms() == 3);
  sim.run(12);
  const auto& week = sim.series().carpool.back();
  REQUIRE(week.choosing.size() == 5);  // alone, three platforms, without a platform
  const auto& r = sim.residents();
  const auto& roles = sim.carpool().roles();
  const auto& choices = sim.carpool().choices();
  const std::int64_t trips = 2 * sim.scenario().spec().carpool.workdays_per_week;
  std::array<std::int64_t, 3> fees{}, per_km_fees{};
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!r.car_commuter(i) || roles[i] != Role::Passenger || choices[i] == 0 || choices[i] > 3) continue;
    const std::size_t p = choices[i] - 1u;
    fees[p] += sim.carpool().fee_cents(p, r.home[i], r.work[i]) * trips;
    const double km = sim.territory().road_km(r.home[i], r.work[i]);
    if (p == 1) per_km_fees[p] += std::llround(0.03 * km * 100.0) * trips;  // 3 cents a km
  }
  for (std::size_t p = 0; p < 3; ++p) {
    INFO(p);
    CHECK(week.passengers[p] > 0);
    CHECK(week.drivers[p] == week.passengers[p]);
    CHECK(week.fees_cents[p] == fees[p]);
    CHECK(week.fares_paid_cents[p] == week.driver_income_cents[p] + week.fees_cents[p]);
  }
  CHECK(week.fees_cents[0] == 0);                                 // Mobicoop: no commission
  CHECK(week.fees_cents[1] == per_km_fees[1]);                    // Ridygo: by the km
  CHECK(week.fees_cents[2] > 0);                                  // the incumbent: its commission on the fare
  CHECK(week.incentive_cents[1] > 0);                             // the authority pays Ridygo's passenger trips...
  CHECK(week.incentive_cents[0] + week.incentive_cents[2] == 0);  // ...and no other platform's
  // The results name the platforms by key, and the modes after them.
  const Dataset d = sim.results();
  REQUIRE(d.coords[1].name == "mode");
  const auto& modes = std::get<std::vector<std::string>>(d.coords[1].data);
  CHECK(modes == std::vector<std::string>{"drive_alone", "carpool_mobicoop", "carpool_ridygo", "carpool_incumbent",
                                          "carpool_informal"});
}

TEST_CASE("listed carpool platforms: the same on any thread count, and through the resolved scenario",
          "[simulation][scenario]") {
  Simulation one(scenario(kThree), 7, 1), two(scenario(kThree), 7, 2);
  one.run(8), two.run(8);
  require_identical(one.series(), two.series());
  // The resolved scenario lists them again: read back, it runs the same.
  Simulation again(Scenario::from_string(one.scenario().resolved_toml(), "resolved.toml"), 7, 2);
  again.run(8);
  require_identical(one.series(), again.series());
}

TEST_CASE("a listed carpool platform's errors are located", "[scenario]") {
  auto d = carpool_problems("[[carpool.platforms]]\ncooperative = true\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "carpool.platforms[1].key");
  CHECK_THAT(d[0].message, Catch::Contains("missing"));
  d = carpool_problems(
      "[[carpool.platforms]]\nkey = \"a\"\ncooperative = true\ncomission = 0.1\n"
      "[[carpool.platforms]]\nkey = \"a\"\ncooperative = false\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].where.key == "carpool.platforms[1].comission");
  CHECK(d[0].where.line == 10);  // after the 6 lines of the base scenario
  CHECK_THAT(d[0].message, Catch::Contains("did you mean 'commission'"));
  CHECK(d[1].where.key == "carpool.platforms[2].key");
  CHECK_THAT(d[1].message, Catch::Contains("listed twice"));
  d = carpool_problems("[[carpool.platforms]]\nkey = \"b\"\ncooperative = true\nfee_model = \"per_trip\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "carpool.platforms[1].fee_model");
  CHECK_THAT(d[0].message, Catch::Contains("'per_trip' is not one of 'commission', 'per_km'"));
  std::string nine;
  for (int k = 0; k < 9; ++k)
    nine += "[[carpool.platforms]]\nkey = \"p" + std::to_string(k) + "\"\ncooperative = true\n";
  d = carpool_problems(nine);
  REQUIRE(d.size() == 1);
  CHECK_THAT(d[0].message, Catch::Contains("at most 8 carpool platforms, got 9"));
  // A policy names a listed platform by its key; an unknown one gets the list.
  d = carpool_problems(kThree + "[[policies]]\nkind = \"platform_tax\"\nplatform = \"blablacar\"\nrate = 0.1\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].where.key == "policies[1].platform");
  CHECK_THAT(
      d[0].message,
      Catch::Contains("'blablacar' is not one of 'cooperative', 'incumbent', 'mobicoop', 'ridygo', 'incumbent'"));
}
