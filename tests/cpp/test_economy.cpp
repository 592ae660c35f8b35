// The economy (model/economy.hpp): firms, procurement, barter, platforms' treasuries and
// cooperatives' governance.
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("a cooperative without revenue closes after its weeks in deficit, and is no longer chosen", "[markets]") {
  Simulation sim(scenario("[markets.food.cooperative]\ncommission = 0.0\ninitial_treasury_eur = 1000\n"
                          "initial_awareness = 0.5\nstaff = 1\norders_per_staff_week = 0\norder_cost_eur = 0\n"
                          "[cooperatives]\nexit_weeks = 4\n"),
                 5, 2);
  sim.run(20);
  const std::size_t q = platform(sim, "food", true);
  const std::size_t c = channel(sim, "food/cooperative");
  CHECK(sim.series().markets[0].purchases[c] > 0);
  std::size_t closed_at = 0;
  for (std::size_t w = 0; w < 20 && !closed_at; ++w)
    if (!sim.series().economy[w].open[q]) closed_at = w;
  REQUIRE(closed_at > 0);
  // 1,000 EUR against 1,000 EUR of costs a week: negative from week 2, closed after 4 such weeks.
  CHECK(closed_at == 4);
  for (std::size_t w = closed_at + 1; w < 20; ++w) CHECK(sim.series().markets[w].purchases[c] == 0);
  CHECK(sim.series().economy.back().treasury_cents[q] < 0);  // its debts stay on its books
}

TEST_CASE("procurement through the food cooperative pays producers and keeps the cooperative open",
          "[markets][policies]") {
  Simulation base(scenario(""), 3, 2);
  Simulation canteens(scenario("[authority]\nbudget_eur = 500000\n[[policies]]\nkind = \"procurement\"\n"
                               "sector = \"food\"\nplatform = \"cooperative\"\nweekly_eur = 10000\n"),
                      3, 2);
  base.run(40), canteens.run(40);
  const std::size_t q = platform(base, "food", true);
  const std::size_t c = channel(base, "food/cooperative");
  CHECK(!base.series().economy.back().open[q]);
  CHECK(canteens.series().economy.back().open[q]);
  std::int64_t to_producers = 0, fees = 0;
  for (const auto& w : canteens.series().economy)
    to_producers += w.flows.procurement_seller[c], fees += w.flows.procurement_fees[c];
  CHECK(to_producers + fees == 40 * 1000000);
  CHECK(fees == 40 * 110000);  // the cooperative's 11 % commission
  const auto producers = static_cast<std::size_t>(Sector::Producer);
  CHECK(canteens.series().economy.back().market_revenue_cents[producers] >
        base.series().economy.back().market_revenue_cents[producers] + 150000);
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
  // Word of mouth may reach every resident (potential 1, not the default fifth), so that the
  // cooperative has carpoolers on 30,000 residents within 30 weeks; every run below alike.
  const Override everyone{"carpool.cooperative.awareness_potential", "1", "test"};
  Simulation base(small({everyone}), 5, 2);
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
            {everyone,
             {"authority.budget_eur", "100000", "test"},
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
    Simulation sim(small({everyone, {"carpool.cooperative.staff", "2", "test"}}), 5, 2);
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

TEST_CASE("platform quality is bounded and households' budgets close every week", "[economy][households]") {
  Simulation sim(scenario(""), 4, 2);
  sim.run(60);
  const auto& co = sim.scenario().spec().cooperatives;
  for (const auto& w : sim.series().economy)
    for (double q : w.quality) {
      CHECK(q >= 0.0);
      CHECK(q <= co.network_effect + co.investment_effect);
    }
  const auto households = static_cast<std::size_t>(Account::Households);
  for (const auto& l : sim.series().ledger) {
    CHECK(l.balance[households] == 0);  // what the model does not take is other consumption and saving
    CHECK(l.household_income_cents > l.household_market_cents);
  }
  // While open, the food cooperative has at least its fixed staff member.
  const std::size_t food = platform(sim, "food", true);
  for (const auto& w : sim.series().economy)
    if (w.open[food]) CHECK(w.staff[food] >= 1.0);
}

TEST_CASE("the zones serving each zone, kept up to date as firms close and open, are those recomputed", "[economy]") {
  // Few firms and a high turnover: zones lose their last firm of a sector and gain a first one
  // most weeks, and the nearest provider changes.
  Simulation sim(test::small({{"territory.residents", "12000", "test"},
                              {"firms.per_1000_residents", "3", "test"},
                              {"economy.failure_rate_per_year", "[0.5, 0.5, 0.5, 0.5, 0.5]", "test"},
                              {"economy.vacancy_weeks", "2", "test"}}),
                 5, 2);
  std::size_t changes = 0;
  auto before = sim.economy().providers();
  for (int week = 0; week < 40; ++week) {
    sim.step();
    const auto& now = sim.economy().providers();
    REQUIRE(now == sim.economy().providers_from_scratch());
    changes += now != before;
    before = now;
  }
  CHECK(changes >= 5);  // the test saw providers change (7 weeks of 40 with seed 5)
}
