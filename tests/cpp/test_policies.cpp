// The authority's policy timeline: validation with located errors, and effects on behaviour and
// money that pair with the baseline draw for draw (common random numbers).
#include <catch2/catch.hpp>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"

using namespace coopterra;

namespace {
const std::string kBase =
    "schema_version = 1\n[run]\nweeks = 20\n[territory]\nresidents = 30000\nzones = 25\n"
    "[carpool.cooperative]\ninitial_awareness = 0.3\n";

Scenario scenario(const std::string& extra) {
  return Scenario::from_string(kBase + extra, "policy.toml");
}

std::vector<Diagnostic> problems(const std::string& extra) {
  try {
    (void)scenario(extra);
  } catch (const ConfigurationError& e) {
    return e.diagnostics();
  }
  return {};
}

std::int64_t balance(const Simulation& s, Account a) {
  return s.balances()[static_cast<std::size_t>(a)];
}
}  // namespace

TEST_CASE("policies: kinds, fields, weeks and budget are validated with locations", "[policies]") {
  auto d = problems("[[policies]]\nkind = \"carpool_incentiv\"\nplatform = \"cooperative\"\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].format() ==
        "policy.toml:10:8: policies[1].kind: unknown kind of policy 'carpool_incentiv'; did you mean "
        "'carpool_incentive'? (kinds: carpool_incentive, awareness_campaign, platform_tax, grant, scic_equity, "
        "procurement, cooperative_network, in_kind, barter_support, loan, quasi_equity, crowdfunding)");
  d = problems(
      "[authority]\nbudget_eur = 1000\n[[policies]]\nkind = \"carpool_incentive\"\nplatform = \"cooperative\"\n"
      "amount = 2.0\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].where.key == "policies[1].amount");
  CHECK_THAT(d[0].message, Catch::Contains("did you mean 'amount_eur'"));
  CHECK(d[1].where.key == "policies[1].amount_eur");
  CHECK_THAT(d[1].message, Catch::StartsWith("missing: a carpool_incentive policy needs amount_eur"));
  d = problems(
      "[authority]\nbudget_eur = 1000\n[[policies]]\nkind = \"awareness_campaign\"\nplatform = \"cooperative\"\n"
      "reach = 0.01\ncost_eur = 5000\nstart_week = 15\nend_week = 30\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].where.key == "policies[1].end_week");
  CHECK(d[0].where.line == 17);  // the end_week line
  CHECK_THAT(d[0].message, Catch::Contains("after the end of the run (run.weeks = 20)"));
  CHECK(d[1].where.key == "authority.budget_eur");
  CHECK_THAT(d[1].message, Catch::Contains("commit 5000 EUR (campaigns, grants, equity, procurement, in-kind support, "
                                           "network) but the budget is 1000 EUR"));
  d = problems("[[policies]]\nkind = \"platform_tax\"\nplatform = \"uber\"\nrate = 2\n");
  REQUIRE(d.size() == 2);  // the values first, then the platform (known once carpooling's are)
  CHECK_THAT(d[0].message, Catch::Contains("must be between 0 and 1"));
  CHECK(d[1].where.key == "policies[1].platform");
  CHECK(d[1].where.line == d[0].where.line - 1);  // the platform line, just before the rate
  CHECK_THAT(d[1].message, Catch::Contains("'uber' is not one of 'cooperative', 'incumbent'"));
}

TEST_CASE("policies: targets that are not in the territory are located errors", "[policies]") {
  const auto s = scenario(
      "[[policies]]\nkind = \"platform_tax\"\nplatform = \"incumbent\"\nrate = 0.1\n"
      "zones = [\"Z0001\", \"26362\"]\n");
  try {
    Simulation sim(s, 1, 1);
    FAIL("expected a ConfigurationError");
  } catch (const ConfigurationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.file == "policy.toml");
    CHECK(e.diagnostics()[0].where.line == 9);  // the [[policies]] table
    CHECK(e.diagnostics()[0].where.key == "policies[1].zones");
    CHECK_THAT(e.diagnostics()[0].message, Catch::StartsWith("commune '26362' is not in the territory"));
  }
}

TEST_CASE("a carpool incentive moves only cooperative choosers, and is paid to the cent", "[policies]") {
  Simulation base(scenario(""), 3, 2);
  Simulation policy(scenario("[authority]\nbudget_eur = 1000000\n[[policies]]\nkind = \"carpool_incentive\"\n"
                             "platform = \"cooperative\"\namount_eur = 2.0\n"),
                    3, 2);
  base.run(20);
  policy.run(20);
  // Pathwise: the residents who choose differently all choose the cooperative under the policy.
  std::size_t moved = 0;
  for (std::size_t i = 0; i < base.residents().size(); ++i) {
    if (base.carpool().choices()[i] == policy.carpool().choices()[i]) continue;
    REQUIRE(policy.carpool().choices()[i] == 1);
    ++moved;
  }
  CHECK(moved > 0);
  std::int64_t paid = 0, trips = 0;
  for (const auto& w : policy.series().carpool) paid += w.incentive_cents[0], trips += w.passengers[0] * 10;
  CHECK(paid == trips * 200);  // 2 EUR per passenger trip, 10 trips a week
  CHECK(balance(policy, Account::Authority) == 100000000 - paid);
  // Money is only moved between accounts (the outside world's included), never created.
  std::int64_t total = 0, opening = 0;
  for (auto b : policy.balances()) total += b;
  Simulation start(scenario("[authority]\nbudget_eur = 1000000\n"), 3, 1);
  for (auto b : start.balances()) opening += b;
  CHECK(opening > 100000000);  // the budget and the platforms' opening treasuries
  CHECK(total == opening);
}

TEST_CASE("incentives stop when the budget runs out, scaled down in the last week", "[policies]") {
  // carpool.asc -3: enough platform carpoolers to spend the budget within the 20 weeks.
  Simulation sim(scenario("[authority]\nbudget_eur = 3000\n[carpool]\nasc = -3.0\n[[policies]]\n"
                          "kind = \"carpool_incentive\"\nplatform = \"cooperative\"\namount_eur = 3.0\n"),
                 3, 2);
  sim.run(20);
  CHECK(balance(sim, Account::Authority) >= 0);
  // Spent down to a few euros: in the last week each trip's incentive is scaled and rounded down.
  CHECK(balance(sim, Account::Authority) < 1000);
  CHECK(sim.series().carpool.back().incentive_cents[0] == 0);
  std::int64_t paid = 0;
  for (const auto& w : sim.series().carpool) paid += w.incentive_cents[0];
  CHECK(paid == 300000 - balance(sim, Account::Authority));
}

TEST_CASE("a campaign in some communes makes only their residents aware sooner", "[policies]") {
  Simulation base(scenario(""), 5, 2);
  Simulation policy(scenario("[authority]\nbudget_eur = 20000\n[[policies]]\nkind = \"awareness_campaign\"\n"
                             "platform = \"cooperative\"\nreach = 0.05\ncost_eur = 20000\nzones = [\"Z0001\"]\n"),
                    5, 2);
  base.run(20);
  policy.run(20);
  const auto& r = base.residents();
  std::size_t gained_inside = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const bool was = base.carpool().awareness()[i] & 1u, is = policy.carpool().awareness()[i] & 1u;
    if (r.home[i] == 0) gained_inside += is && !was;
    REQUIRE((is || !was));  // nobody aware in the baseline is unaware under the campaign
  }
  CHECK(gained_inside > 100);
  CHECK(balance(policy, Account::Authority) == 0);
  std::int64_t campaigns = 0;  // paid outside the territory
  for (const auto& w : policy.series().ledger) campaigns += w.cents[8];
  CHECK(policy.books().flows()[8].name == "awareness campaigns and the cooperatives' network");
  CHECK(campaigns == 2000000);
}

TEST_CASE("a tax on the incumbent's commissions returns money to the authority", "[policies]") {
  Simulation base(scenario(""), 8, 2);
  Simulation taxed(scenario("[[policies]]\nkind = \"platform_tax\"\nplatform = \"incumbent\"\nrate = 0.5\n"), 8, 2);
  base.run(20);
  taxed.run(20);
  std::int64_t tax = 0, users_base = 0, users_taxed = 0;
  for (std::size_t w = 0; w < 20; ++w) {
    tax += taxed.series().carpool[w].tax_cents[1];
    users_base += base.series().carpool[w].choosing[2];
    users_taxed += taxed.series().carpool[w].choosing[2];
  }
  CHECK(tax > 0);
  CHECK(balance(taxed, Account::Authority) == tax);
  CHECK(users_taxed < users_base);  // the tax is passed on: the incumbent is dearer
}

TEST_CASE("a lockdown cuts commuting and can forbid carpooling, only while it lasts", "[policies][shocks]") {
  Simulation base(scenario(""), 4, 2);
  Simulation locked(scenario("[[shocks]]\nkind = \"lockdown\"\nstart_week = 6\nend_week = 10\ncommuting_share = 0.4\n"
                             "carpooling_allowed = false\n"),
                    4, 2);
  base.run(20);
  locked.run(20);
  const auto& b = base.series().carpool;
  const auto& l = locked.series().carpool;
  for (std::size_t w = 0; w < 5; ++w) REQUIRE(l[w].vehicle_km_alone == b[w].vehicle_km_alone);  // before: identical
  for (std::size_t w = 5; w < 10; ++w) {
    CHECK(l[w].choosing[1] + l[w].choosing[2] + l[w].choosing[3] == 0);  // nobody shares a car
    // 4 of 10 trips a week (0.4, rounded), everybody driving alone.
    const double everyone_alone = b[w].vehicle_km_alone + b[w].vehicle_km_carpool + b[w].passenger_km_carpool;
    CHECK(l[w].vehicle_km_alone < 0.45 * everyone_alone);
    CHECK(l[w].vehicle_km_alone > 0.35 * everyone_alone);
  }
  CHECK(l[12].choosing[1] + l[12].choosing[2] > 0);  // carpooling is back afterwards
  auto d = [](const std::string& extra) {
    try {
      (void)scenario(extra);
    } catch (const ConfigurationError& e) {
      return e.diagnostics();
    }
    return std::vector<Diagnostic>{};
  };
  const auto wrong = d("[[shocks]]\nkind = \"lockdwn\"\n");
  REQUIRE(wrong.size() == 1);
  CHECK_THAT(wrong[0].message, Catch::Contains("unknown kind of shock 'lockdwn'; did you mean 'lockdown'?"));
  const auto missing = d("[[shocks]]\nkind = \"lockdown\"\n");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].where.key == "shocks[1].commuting_share");
}
