// The six markets of residents (model/markets.hpp): choices, delivery rounds, the widest markets,
// snapshots, and the shocks and policies that act on them where and as they should.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("a lockdown closes restaurants, raises delivery, stops travel, and firms short of cash fail",
          "[markets][shocks]") {
  const std::string fragile = "[economy]\ninitial_cash_weeks = 1.0\n";
  const std::string shocks =
      "[[shocks]]\nkind = \"lockdown\"\nstart_week = 5\nend_week = 12\ncommuting_share = 0.5\n"
      "[[shocks]]\nkind = \"cash_crunch\"\nstart_week = 5\nend_week = 20\nextra_cost_share = 0.3\n";
  Simulation base(scenario(fragile), 3, 2), crisis(scenario(fragile + shocks), 3, 2);
  base.run(40), crisis.run(40);
  const std::size_t eat_out = channel(crisis, "delivery/offline");
  const std::size_t stays = channel(crisis, "tourism/offline");
  std::int64_t delivered_base = 0, delivered_crisis = 0;
  for (std::size_t w = 4; w < 12; ++w) {
    CHECK(crisis.series().markets[w].purchases[eat_out] == 0);
    CHECK(crisis.series().markets[w].purchases[stays] == 0);
    for (std::size_t c = 0; c < crisis.markets().channels().size(); ++c) {
      const auto& ch = crisis.markets().channels()[c];
      if (ch.market != static_cast<std::size_t>(MarketId::Delivery) || ch.platform > 100) continue;
      delivered_base += base.series().markets[w].purchases[c];
      delivered_crisis += crisis.series().markets[w].purchases[c];
    }
  }
  CHECK(delivered_crisis > delivered_base);
  CHECK(base.series().markets[3].purchases[eat_out] > 0);
  CHECK(crisis.series().markets[3].purchases == base.series().markets[3].purchases);  // same draws before
  // Firms fail in the baseline too (the sectors' yearly rates), more under the shocks; the same
  // draws decide the baseline's failures in both runs.
  CHECK(failures(crisis) > failures(base));
  // Barter preserves the cash of its stressed members: with every firm a member, fewer fail.
  Simulation bartering(scenario(fragile +
                                "[barter]\nstressed_barter_share = 0.8\nunit_credit_weeks = 8\npotential_share = 1.0\n"
                                "[barter.cooperative]\ninitial_awareness = 1.0\n" +
                                shocks),
                       3, 2);
  bartering.run(40);
  CHECK(failures(bartering) < failures(crisis));
  std::int64_t volume = 0;
  for (const auto& w : bartering.series().economy) volume += w.barter_volume_cents;
  CHECK(volume > 0);
}

TEST_CASE("the authority's equity is capped at half a SCIC's capital, and gives it seats", "[markets][policies]") {
  const std::string equity = "[[policies]]\nkind = \"scic_equity\"\nsector = \"food\"\nplatform = \"cooperative\"\n";
  try {
    (void)scenario("[authority]\nbudget_eur = 100000\n" + equity + "equity_eur = 12000\n");
    FAIL("equity beyond the members' capital was accepted");
  } catch (const ConfigurationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.key == "policies[1].equity_eur");
    CHECK(e.diagnostics()[0].where.line == 13);
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("at most 50 % of a SCIC's capital"));
  }
  Simulation sim(scenario("[authority]\nbudget_eur = 100000\n" + equity + "equity_eur = 10000\n"), 3, 2);
  sim.run(3);
  const std::size_t q = platform(sim, "food", true);
  const auto& w = sim.series().economy.back();
  CHECK(w.authority_equity_cents[q] == 1000000);
  CHECK(w.members[q * kColleges + 3] == 1);
  CHECK(w.seats[q * kColleges + 3] > 0);
  CHECK(sim.balances()[static_cast<std::size_t>(Account::Authority)] == 9000000);
}

TEST_CASE("delivery rounds leave even half empty: a sparse short circuit can emit more per basket", "[markets]") {
  // Every resident aware, few buying: each commune's orders fill a fraction of a van.
  Simulation sim(scenario("[markets.food.cooperative]\ninitial_awareness = 1.0\nasc = -4.0\n"
                          "orders_per_round = 1000\n"),
                 3, 2);
  sim.run(2);
  const auto& w = sim.series().markets[1];
  const std::size_t q = platform(sim, "food", true);
  const std::size_t coop = channel(sim, "food/cooperative"), offline = channel(sim, "food/offline");
  REQUIRE(w.purchases[coop] > 0);
  CHECK(w.rounds[q] > 0);
  CHECK(w.rounds[q] <= 20);  // at most one round per commune
  const double coop_kg = static_cast<double>(w.co2e_grams[coop]) / static_cast<double>(w.purchases[coop]);
  const double offline_kg = static_cast<double>(w.co2e_grams[offline]) / static_cast<double>(w.purchases[offline]);
  CHECK(coop_kg > offline_kg);
}

TEST_CASE("each lever on the markets moves what it should, and only that", "[markets][policies]") {
  const std::string budget = "[authority]\nbudget_eur = 200000\n";
  Simulation base(scenario(""), 3, 2);
  base.run(40);
  const std::size_t food = platform(base, "food", true);
  const auto& bw = base.series().economy;

  SECTION("in-kind support adds its value to the cooperative's treasury, week by week") {
    Simulation sim(scenario(budget + "[[policies]]\nkind = \"in_kind\"\nsector = \"food\"\n"
                                     "platform = \"cooperative\"\nweekly_eur = 150\n"),
                   3, 2);
    sim.run(10);
    for (std::size_t w = 0; w < 10; ++w)
      CHECK(sim.series().economy[w].treasury_cents[food] - bw[w].treasury_cents[food] ==
            static_cast<std::int64_t>(w + 1) * 15000);
  }
  SECTION("a grant keeps the cooperative open where it would close") {
    Simulation sim(scenario(budget + "[[policies]]\nkind = \"grant\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
                                     "cost_eur = 60000\n"),
                   3, 2);
    sim.run(40);
    CHECK(!bw.back().open[food]);
    CHECK(sim.series().economy.back().open[food]);
  }
  SECTION("the network pools running costs and spreads awareness of every cooperative") {
    Simulation sim(scenario(budget + "[[policies]]\nkind = \"cooperative_network\"\ncost_eur = 20000\n"
                                     "pooled_share = 0.5\ncross_reach = 0.05\n"),
                   3, 2);
    sim.run(10);
    // Half of the food cooperative's 300 EUR running costs, every week (staff is not pooled).
    for (std::size_t w = 0; w < 10; ++w)
      CHECK(bw[w].flows.running[food] - sim.series().economy[w].flows.running[food] == 15000);
    for (std::size_t q = 0; q < sim.platforms().size(); ++q) {
      // Barter members are firms; carpooling's awareness does not hear the cooperatives' banner.
      if (sim.platforms()[q].sector == "barter" || sim.platforms()[q].sector == "carpool") continue;
      if (sim.platforms()[q].cooperative)
        CHECK(sim.series().markets[9].aware[q] > base.series().markets[9].aware[q]);
      else
        CHECK(sim.series().markets[9].aware[q] == base.series().markets[9].aware[q]);
    }
  }
  SECTION("a campaign in one market makes its cooperative known, and no other") {
    Simulation sim(scenario(budget + "[[policies]]\nkind = \"awareness_campaign\"\nsector = \"second_hand\"\n"
                                     "platform = \"cooperative\"\nreach = 0.05\ncost_eur = 5000\nend_week = 10\n"),
                   3, 2);
    sim.run(10);
    const std::size_t target = platform(sim, "second_hand", true);
    for (std::size_t q = 0; q < sim.platforms().size(); ++q)
      if (q == target)
        CHECK(sim.series().markets[9].aware[q] > 2 * base.series().markets[9].aware[q]);
      else
        CHECK(sim.series().markets[9].aware[q] == base.series().markets[9].aware[q]);
    // The campaign's money is spent outside (media, printing), not put into the cooperative.
    for (const auto& w : sim.series().economy) CHECK(w.authority_equity_cents[target] == 0);
    CHECK(sim.series().economy[0].flows.equity[target] == 0);
  }
  SECTION("a tax on the meal-delivery incumbent returns money to the authority and raises its price") {
    Simulation sim(scenario("[[policies]]\nkind = \"platform_tax\"\nsector = \"delivery\"\nplatform = \"incumbent\"\n"
                            "rate = 0.5\n"),
                   3, 2);
    sim.run(20);
    const std::size_t c = channel(sim, "delivery/global");
    std::int64_t tax = 0, taxed = 0, untaxed = 0;
    for (std::size_t w = 0; w < 20; ++w) {
      tax += sim.series().markets[w].tax_cents[c];
      taxed += sim.series().markets[w].purchases[c];
      untaxed += base.series().markets[w].purchases[c];
    }
    CHECK(tax > 0);
    CHECK(taxed < untaxed);
    CHECK(sim.balances()[static_cast<std::size_t>(Account::Authority)] == tax);
  }
  SECTION("barter support brings firms into the network and pays part of their fees") {
    // Among a network's potential members (half the firms here): the default share of a small
    // territory's firms is a handful.
    const std::string potential = "[barter]\npotential_share = 0.5\n";
    Simulation alone(scenario(potential), 3, 2);
    alone.run(40);
    Simulation sim(scenario(potential + budget +
                            "[[policies]]\nkind = \"barter_support\"\nfee_share = 0.5\n"
                            "join_multiplier = 4.0\n"),
                   3, 2);
    sim.run(40);
    std::int64_t support = 0;
    for (const auto& w : sim.series().economy) support += w.flows.barter_fee_support;
    CHECK(sim.series().economy.back().barter_members > alone.series().economy.back().barter_members);
    CHECK(support > 0);
    CHECK(sim.balances()[static_cast<std::size_t>(Account::Authority)] == 20000000 - support);
  }
}

TEST_CASE("per-resident snapshots are written only at the weeks asked, and survive a checkpoint",
          "[markets][outputs]") {
  const Scenario s = scenario("[outputs]\nsnapshot_weeks = [2, 5]\n");
  Simulation whole(s, 3, 2);
  whole.run(6);
  const Dataset d = whole.results();
  REQUIRE(d.dim_size("snapshot") == 2);
  const auto snapshot =
      std::find_if(d.coords.begin(), d.coords.end(), [](const auto& c) { return c.name == "snapshot"; });
  CHECK(std::get<std::vector<std::int64_t>>(snapshot->data) == std::vector<std::int64_t>{2, 5});
  const auto n = whole.residents().size();
  for (const auto& v : d.variables)
    if (v.name == "snapshot_channel") REQUIRE(column_size(v.data) == 2 * n * kMarkets);
  // Resumed from week 3, the second snapshot and every variable come out the same.
  Simulation first(s, 3, 2);
  first.run(3);
  auto later = Simulation::restore(first.checkpoint(), nullptr, 2);
  later->run(3);
  const Dataset e = later->results();
  REQUIRE(e.variables.size() == d.variables.size());
  for (std::size_t k = 0; k < d.variables.size(); ++k) {
    INFO(d.variables[k].name);
    CHECK(d.variables[k].data == e.variables[k].data);
  }
  // Without the key, no per-resident variable at all: aggregates only.
  Simulation plain(scenario(""), 3, 1);
  plain.run(1);
  for (const auto& c : plain.results().coords) CHECK(c.name != "resident");
  // A week beyond the horizon is refused where it is written.
  try {
    (void)scenario("[outputs]\nsnapshot_weeks = [2, 60]\n");
    FAIL("a snapshot after the end of the run was accepted");
  } catch (const ConfigurationError& err) {
    CHECK(err.diagnostics()[0].where.key == "outputs.snapshot_weeks");
    CHECK_THAT(err.diagnostics()[0].message, Catch::Contains("after the end of the run"));
  }
}

TEST_CASE("choices stay logit when utilities are too far apart for exp(); awareness and users match a recount",
          "[markets]") {
  // A 50,000 EUR purchase with a cost sensitivity of 10 per EUR: the incumbent at half price is
  // 250,000 utility units above the rest. Residents who cannot use it (offline, or unaware)
  // choose between buying offline and the alternative at a slightly lower price: the alternative
  // must win almost always (it did not when the weights exp(best - V) overflowed to infinity).
  Simulation sim(scenario("[markets.electronics]\nbasket_eur = 50000\nbeta_cost_per_eur = 10\n"
                          "events_per_week = 0.5\nalternative = true\nalternative_asc = 0\n"
                          "alternative_price_factor = 0.99999\n"
                          "[markets.electronics.incumbent]\nprice_factor = 0.5\n"),
                 5, 2);
  sim.run(10);
  std::int64_t offline = 0, alternative = 0, incumbent = 0;
  for (const auto& w : sim.series().markets) {
    offline += w.purchases[channel(sim, "electronics/offline")];
    alternative += w.purchases[channel(sim, "electronics/alternative")];
    incumbent += w.purchases[channel(sim, "electronics/" + sim.platforms()[platform(sim, "electronics", false)].name)];
  }
  CHECK(incumbent > 0);
  CHECK(alternative > 1000);
  CHECK(offline * 100 < alternative);
  // The platforms' aware and users counts, kept by differences each week, equal a recount.
  const auto& markets = sim.markets();
  const auto& last = sim.series().markets.back();
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < markets.options(m); ++o) {
      const Channel& c = markets.channels()[markets.channel(m, o)];
      if (c.platform == static_cast<std::size_t>(-1)) continue;
      std::int64_t aware = 0, users = 0;
      for (const auto& s : markets.state()) {
        aware += (markets.aware_options(s, m) >> o) & 1u;
        users += MarketModel::last_option(s, m) == o;
      }
      CHECK(last.aware[c.platform] == aware);
      CHECK(last.users[c.platform] == users);
    }
}

TEST_CASE("the widest markets (3 cooperatives, 3 incumbents and the alternative in each) keep state, books and resumes",
          "[markets]") {
  // 36 market platforms and 8 options per market: every bit of the state word is in use.
  std::string extra = "[outputs]\nsnapshot_weeks = [5]\n";
  for (const char* m : {"food", "delivery", "electronics", "second_hand", "services", "tourism"})
    extra += std::string("[markets.") + m + "]\nalternative = true\n[markets." + m + ".cooperative]\ncount = 3\n" +
             "initial_awareness = 0.3\n[markets." + m + ".incumbent]\ncount = 3\n";
  const Scenario s = scenario(extra);
  Simulation two(s, 4, 2), one(s, 4, 1);
  REQUIRE(two.markets().channels().size() == kMarkets * 8);
  REQUIRE_NOTHROW(two.run(6));  // the books are checked every week
  one.run(6);
  CHECK(one.markets().state() == two.markets().state());
  const auto& markets = two.markets();
  const auto& last = two.series().markets.back();
  std::int64_t chosen_last_options = 0;
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < markets.options(m); ++o) {
      const Channel& c = markets.channels()[markets.channel(m, o)];
      std::int64_t aware = 0, users = 0;
      for (const auto& st : markets.state()) {
        aware += (markets.aware_options(st, m) >> o) & 1u;
        users += MarketModel::last_option(st, m) == o;
      }
      chosen_last_options += users;
      if (c.platform == static_cast<std::size_t>(-1)) continue;  // the alternative
      CHECK(last.aware[c.platform] == aware);
      CHECK(last.users[c.platform] == users);
    }
  CHECK(chosen_last_options > 0);
  // Resumed from week 3, the same results to the bit.
  Simulation first(s, 4, 2);
  first.run(3);
  auto later = Simulation::restore(first.checkpoint(), nullptr, 2);
  later->run(3);
  CHECK(later->markets().state() == two.markets().state());
  const Dataset d = two.results(), e = later->results();
  REQUIRE(e.variables.size() == d.variables.size());
  for (std::size_t k = 0; k < d.variables.size(); ++k) {
    INFO(d.variables[k].name);
    CHECK(d.variables[k].data == e.variables[k].data);
  }
}
