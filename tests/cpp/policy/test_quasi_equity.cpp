// quasi_equity (sim/coopterra/policy/quasi_equity.cpp): titres participatifs subscribed at
// start_week, remunerated at each date, redeemed at the last after at least seven years; no vote,
// no seat, not toward the SCIC cap; the books balance every week.
#include "financed.hpp"

using namespace coopterra;
using namespace coopterra::test;

namespace {
const std::string kTitres =
    "[authority]\nbudget_eur = 20000\n[markets.food.cooperative]\ninitial_treasury_eur = 1000000\n"
    "[[policies]]\nkind = \"quasi_equity\"\nlabel = \"titres\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
    "subscribed_eur = 10000\nannual_rate = 0.04\ninstalments_per_year = 1\ninstalments = 7\n";
}  // namespace

TEST_CASE("quasi_equity: remunerated every year on its nominal, redeemed after seven years, to the cent",
          "[policies][quasi_equity]") {
  Simulation sim(financed(kTitres, 7 * 52 + 2), 5, 2);
  run_balanced(sim);
  const auto subscribed = weekly(sim, "titres: titres participatifs subscribed");
  const auto coupons = weekly(sim, "titres: titres participatifs remuneration");
  const auto redeemed = weekly(sim, "titres: titres participatifs redeemed");
  CHECK(subscribed[0] == 1000000);
  CHECK(sum(subscribed) == 1000000);
  for (std::size_t k = 1; k <= 7; ++k) {
    INFO("year " << k);
    CHECK(coupons[52 * k] == 40000);  // week 1 + 52 k: 4 % of 10,000 EUR
  }
  CHECK(sum(coupons) == 7 * 40000);
  CHECK(redeemed[52 * 7] == 1000000);
  CHECK(sum(redeemed) == 1000000);
  CHECK(sum(weekly(sim, "titres: titres participatifs written off")) == 0);
  CHECK(balance(sim, Account::Authority) == 2000000 + 7 * 40000);
  // Non-voting and not share capital: no member, no seat, no public equity, capital unchanged.
  const std::size_t q = food_cooperative(sim);
  const auto& w = sim.series().economy[10];
  CHECK(w.members[q * kColleges + 3] == 0);
  CHECK(w.seats[q * kColleges + 3] == 0);
  CHECK(w.authority_equity_cents[q] == 0);
  CHECK(w.capital_cents[q] == sim.series().economy[0].capital_cents[q]);
}

TEST_CASE("quasi_equity: titres participatifs run at least seven years, and stay out of the SCIC cap",
          "[policies][quasi_equity]") {
  try {
    (void)financed(kTitres.substr(0, kTitres.find("instalments_per_year")) +
                   "instalments_per_year = 12\ninstalments = 7\n");
    FAIL("titres participatifs of 7 months were accepted");
  } catch (const ConfigurationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.key == "policies[1].instalments");
    CHECK(e.diagnostics()[0].where.line == 19);
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("at least 7 years (law of 3 January 1983)"));
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("at least 7 x instalments_per_year = 84, got 7"));
  }
  // Equity at the cap (the members' 10,000 EUR) plus titres of 10,000 EUR: accepted.
  CHECK_NOTHROW(financed(kTitres +
                         "[[policies]]\nkind = \"scic_equity\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
                         "equity_eur = 10000\n"));
}
