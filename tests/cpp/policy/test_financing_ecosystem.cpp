// scenarios/financing_ecosystem.toml: the three financing kinds together run to the horizon, every
// advance, repayment, write-off and subscription in the books, which balance every week.
#include "financed.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("the financing ecosystem runs, and every cent of its financing is accounted for", "[policies][financing]") {
  const Scenario shipped = Scenario::from_file(COOPTERRA_SOURCE_DIR "/scenarios/financing_ecosystem.toml");
  Simulation sim(shipped.with_overrides({{"territory.residents", "4000", "test"}, {"territory.zones", "12", "test"}}),
                 1, 2);
  run_balanced(sim);
  CHECK(sum(weekly(sim, "loan advanced")) == 3000000);
  CHECK(sum(weekly(sim, "titres participatifs subscribed")) == 2000000);
  CHECK(sum(weekly(sim, "residents' shares in the food SCIC: citizens' shares subscribed")) == 2000000);
  CHECK(sum(weekly(sim, "users' shares in the delivery SCIC: citizens' shares subscribed")) == 400000);
  // What was advanced is repaid, written off, or still owed.
  const std::int64_t loan = sum(weekly(sim, "loan principal repaid")) + sum(weekly(sim, "loan written off"));
  CHECK(loan + sim.timeline().owed()[0][0] == 3000000);
  const std::int64_t titres =
      sum(weekly(sim, "titres participatifs redeemed")) + sum(weekly(sim, "titres participatifs written off"));
  CHECK(titres + sim.timeline().owed()[1][0] == 2000000);
  // The authority's money: the budget less what was advanced and equity, plus what came back.
  const std::int64_t back = sum(weekly(sim, "loan principal repaid")) + sum(weekly(sim, "loan interest")) +
                            sum(weekly(sim, "titres participatifs redeemed")) +
                            sum(weekly(sim, "titres participatifs remuneration"));
  CHECK(balance(sim, Account::Authority) == 6000000 - 3000000 - 2000000 - 500000 + back);
  std::int64_t spent = 0;
  for (const auto& w : sim.series().policy_cents)
    for (auto c : w) spent += c;
  CHECK(spent == 6000000 - balance(sim, Account::Authority));
  // The subscribers joined their colleges (members at week 10, both cooperatives still open).
  const auto& w = sim.series().economy[9];
  std::size_t delivery = 0;
  for (std::size_t q = 0; q < sim.platforms().size(); ++q)
    if (sim.platforms()[q].sector == "delivery" && sim.platforms()[q].cooperative) delivery = q;
  REQUIRE(w.open[food_cooperative(sim)] == 1);
  REQUIRE(w.open[delivery] == 1);
  CHECK(w.members[food_cooperative(sim) * kColleges + 4] == sim.scenario().spec().cooperatives.supporters + 200);
  CHECK(w.members[delivery * kColleges + 1] >= 80);
}

TEST_CASE("a run resumed from a checkpoint keeps what financed cooperatives owe", "[policies][financing]") {
  const Scenario shipped = Scenario::from_file(COOPTERRA_SOURCE_DIR "/scenarios/financing_ecosystem.toml")
                               .with_overrides({{"territory.residents", "4000", "test"},
                                                {"territory.zones", "12", "test"},
                                                {"run.weeks", "80", "test"}});
  Simulation straight(shipped, 3, 2);
  straight.run(80);
  Simulation first(shipped, 3, 2);
  first.run(30);
  REQUIRE(first.timeline().owed()[0][0] > 0);  // the loan is being repaid
  auto resumed = Simulation::restore(first.checkpoint(), nullptr, 1);
  resumed->run(50);
  CHECK(resumed->timeline().owed() == straight.timeline().owed());
  for (std::size_t w = 0; w < 80; ++w) REQUIRE(resumed->series().ledger[w].cents == straight.series().ledger[w].cents);
}
