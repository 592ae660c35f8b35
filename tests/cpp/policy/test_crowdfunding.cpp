// crowdfunding (sim/coopterra/policy/crowdfunding.cpp): residents subscribe shares of a SCIC at
// start_week: households' money into the cooperative's capital and treasury, new members in the
// college they join, nothing from the authority, more room under the SCIC cap; books balanced.
#include "financed.hpp"

using namespace coopterra;
using namespace coopterra::test;

namespace {
const std::string kBudget = "[authority]\nbudget_eur = 40000\n";
const std::string kCampaign =
    "[[policies]]\nkind = \"crowdfunding\"\nlabel = \"citizens\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
    "start_week = 2\nsubscribers = 150\nshare_eur = 100\n";
}  // namespace

TEST_CASE("crowdfunding: the households' money goes to the SCIC's capital, its subscribers join a college",
          "[policies][crowdfunding]") {
  for (const std::string college : {"supporters", "users"}) {
    INFO(college);
    Simulation base(financed(kBudget, 10), 9, 2),
        sim(financed(kBudget + kCampaign + "college = \"" + college + "\"\n", 10), 9, 2);
    run_balanced(base);
    run_balanced(sim);
    const auto shares = weekly(sim, "citizens: citizens' shares subscribed");
    CHECK(shares[1] == 1500000);
    CHECK(sum(shares) == 1500000);
    const std::size_t q = food_cooperative(sim), c = college == "users" ? 1 : 4;
    const auto& before = base.series().economy.back();
    const auto& after = sim.series().economy.back();
    CHECK(after.capital_cents[q] == before.capital_cents[q] + 1500000);
    CHECK(after.treasury_cents[q] == before.treasury_cents[q] + 1500000);
    for (std::size_t k = 0; k < kColleges; ++k)
      CHECK(after.members[q * kColleges + k] == before.members[q * kColleges + k] + (k == c ? 150 : 0));
    // From the households (out of their other consumption and saving: their budget closes each
    // week), nothing from the authority.
    CHECK(balance(sim, Account::Households) == balance(base, Account::Households));
    const auto other = weekly(sim, "households: other consumption and saving");
    const auto other_base = weekly(base, "households: other consumption and saving");
    CHECK(other[1] < other_base[1] - 1400000);
    CHECK(balance(sim, Account::Authority) == balance(base, Account::Authority));
  }
}

TEST_CASE("crowdfunding: citizens' shares do not count toward the SCIC cap, they raise it",
          "[policies][crowdfunding]") {
  auto equity = [](const std::string& eur) {
    return "[[policies]]\nkind = \"scic_equity\"\nsector = \"food\"\nplatform = \"cooperative\"\nequity_eur = " + eur +
           "\n";
  };
  auto refused = [](const std::string& text) {
    try {
      (void)financed(text);
    } catch (const ConfigurationError& e) {
      for (const auto& d : e.diagnostics()) UNSCOPED_INFO(d.format());
      REQUIRE(e.diagnostics().size() == 1);
      CHECK_THAT(e.diagnostics()[0].where.key, Catch::Matches(R"(policies\[[0-9]+\]\.equity_eur)"));
      return e.diagnostics()[0].message;
    }
    FAIL("equity beyond the members' capital was accepted");
    return std::string();
  };
  CHECK_THAT(refused(kBudget + equity("12000")), Catch::Contains("members' capital (10000 EUR)"));
  CHECK_NOTHROW(financed(kBudget + equity("12000") + kCampaign));  // 10,000 + 15,000 EUR of members' capital
  CHECK_THAT(refused(kBudget + equity("26000") + kCampaign),
             Catch::Contains("members' capital (25000 EUR, citizens' shares included)"));
}
