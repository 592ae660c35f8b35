// loan (sim/coopterra/policy/loan.cpp): advanced at start_week, interest only during the grace
// instalments, then annuities or linear repayments on the instalment dates, to the cent; a
// cooperative that cannot pay defaults and the rest is written off; the books balance every week.
#include <cmath>
#include <variant>

#include "financed.hpp"

using namespace coopterra;
using namespace coopterra::test;

namespace {

const std::string kLoan =
    "[authority]\nbudget_eur = 20000\n[markets.food.cooperative]\ninitial_treasury_eur = 200000\n"
    "[[policies]]\nkind = \"loan\"\nlabel = \"loan\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
    "start_week = 3\nprincipal_eur = 12000\nannual_rate = 0.03\ninstalments = 10\ngrace_instalments = 2\n";

// Weeks of the 12 monthly instalments after week 3: floor(52 k / 12) weeks after it.
std::vector<std::size_t> due_weeks() {
  std::vector<std::size_t> out;
  for (std::size_t k = 1; k <= 12; ++k) out.push_back(3 + 52 * k / 12);
  return out;
}

}  // namespace

TEST_CASE("loan: advanced at its start, interest only in the grace period, then constant annuities to the cent",
          "[policies][loan]") {
  Simulation sim(financed(kLoan), 5, 2);
  run_balanced(sim);
  const auto advanced = weekly(sim, "loan: loan advanced"), repaid = weekly(sim, "loan: loan principal repaid");
  const auto interest = weekly(sim, "loan: loan interest"), written = weekly(sim, "loan: loan written off");
  CHECK(advanced[2] == 1200000);
  CHECK(sum(advanced) == 1200000);
  CHECK(sum(written) == 0);
  const auto due = due_weeks();
  CHECK(due.front() == 7);
  CHECK(due.back() == 55);
  for (std::size_t w = 1; w <= advanced.size(); ++w) {
    const bool is_due = std::find(due.begin(), due.end(), w) != due.end();
    INFO("week " << w);
    CHECK((interest[w - 1] > 0) == is_due);
  }
  // Grace: 0.25 % a month on the whole principal, nothing repaid.
  CHECK(interest[due[0] - 1] == 3000);
  CHECK(interest[due[1] - 1] == 3000);
  CHECK(repaid[due[0] - 1] == 0);
  CHECK(repaid[due[1] - 1] == 0);
  // Annuities: P r / (1 - (1 + r)^-n), the same every month; the last repays what is left.
  const double r = 0.03 / 12;
  const auto annuity = std::llround(1200000.0 * r / (1.0 - std::pow(1.0 + r, -10.0)));
  for (std::size_t k = 2; k < 11; ++k) CHECK(repaid[due[k] - 1] + interest[due[k] - 1] == annuity);
  CHECK(std::abs(repaid[due[11] - 1] + interest[due[11] - 1] - annuity) <= 10);
  CHECK(sum(repaid) == 1200000);
  // The authority gets its principal back, and the interest.
  CHECK(balance(sim, Account::Authority) == 2000000 + sum(interest));
  std::int64_t spent = 0;
  for (const auto& w : sim.series().policy_cents) spent += w[0];
  CHECK(spent == -sum(interest));
  CHECK(sim.timeline().owed()[0][0] == 0);
}

TEST_CASE("loan: linear repayment repays the same principal every instalment, interest on what is owed",
          "[policies][loan]") {
  Simulation sim(financed(kLoan + "repayment = \"linear\"\n"), 5, 2);
  run_balanced(sim);
  const auto repaid = weekly(sim, "loan: loan principal repaid"), interest = weekly(sim, "loan: loan interest");
  const auto due = due_weeks();
  std::int64_t owed = 1200000;
  for (std::size_t k = 2; k < 12; ++k) {
    CHECK(interest[due[k] - 1] == std::llround(static_cast<double>(owed) * 0.0025));
    CHECK(repaid[due[k] - 1] == 120000);
    owed -= repaid[due[k] - 1];
  }
  CHECK(owed == 0);
}

TEST_CASE("loan: a cooperative whose treasury cannot pay defaults, the rest written off in the books",
          "[policies][loan]") {
  const std::string broke =
      "[authority]\nbudget_eur = 20000\n[markets.food.cooperative]\ninitial_treasury_eur = 0\n"
      "fixed_cost_eur_per_week = 5000\n"
      "[[policies]]\nkind = \"loan\"\nlabel = \"loan\"\nsector = \"food\"\nplatform = \"cooperative\"\n"
      "start_week = 1\nprincipal_eur = 12000\nannual_rate = 0.03\ninstalments = 10\n";
  Simulation sim(financed(broke, 20), 5, 2);
  run_balanced(sim);
  const auto written = weekly(sim, "loan: loan written off");
  CHECK(sum(weekly(sim, "loan: loan advanced")) == 1200000);
  CHECK(written[4] == 1200000);  // the first instalment, week 5: the treasury is short
  CHECK(sum(written) == 1200000);
  CHECK(sum(weekly(sim, "loan: loan principal repaid")) == 0);
  CHECK(sum(weekly(sim, "loan: loan interest")) == 0);
  CHECK(balance(sim, Account::Authority) == 2000000 - 1200000);  // a write-off moves no money
  // The results' public spending is the advance only, not the write-off.
  const Dataset d = sim.results();
  double spending = 0;
  for (const auto& v : d.variables)
    if (v.name == "public_spending")
      for (double x : std::get<std::vector<double>>(v.data)) spending += x;
  CHECK(spending == 12000.0);
  CHECK(sim.timeline().owed()[0][0] == 0);
}

TEST_CASE("loan: its principal is committed from the budget, checked by the validator", "[policies][loan]") {
  try {
    (void)financed("[authority]\nbudget_eur = 10000\n" + kLoan.substr(kLoan.find("[[policies]]")));
    FAIL("a loan beyond the budget was accepted");
  } catch (const ConfigurationError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where.key == "authority.budget_eur");
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("commit 12000 EUR"));
  }
}
