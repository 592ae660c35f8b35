// loan: the authority lends each cooperative of a market a principal at start_week, repaid from
// the cooperative's treasury in instalments (after interest-only grace instalments), as constant
// annuities or linearly; a cooperative whose treasury cannot pay an instalment defaults and the
// rest of the principal is written off in the books.
#include "coopterra/policy/financing.hpp"

namespace coopterra::policy {

namespace {

Debt debt(const PolicySpec& p) {
  return {cents(p.principal_eur), p.grace_instalments, p.instalments, p.repayment == "annuity"};
}

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return week == s.start ? cents(p.principal_eur) * s.targets : 0;
}

void finance(const PolicyWeek& w, Economy& economy, std::vector<std::int64_t>& owed, std::int64_t* cents,
             std::int64_t& by_policy) {
  settle(w, debt(w.spec()), economy, owed, cents, by_policy);
}

}  // namespace

const KindDef& loan() {
  static const KindDef k{
      .id = PolicyKind::Loan,
      .key = "loan",
      .shared = {"platform", "sector", "annual_rate", "instalments_per_year", "instalments"},
      .fields = {required({.key = "principal_eur",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1e9,
                           .unit = "EUR",
                           .description = "lent to each cooperative of the sector at start_week",
                           .source = "choice of the authority; assumption: solidarity and development loans to social "
                                     "economy enterprises run from a few thousand to a few hundred thousand EUR "
                                     "(France Active, Bpifrance; facts.md gives no amount, est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.principal_eur; }}),
                 optional({.key = "grace_instalments",
                           .type = ParamType::Integer,
                           .min = 0,
                           .max = 240,
                           .unit = "instalment",
                           .description = "first instalments paying interest only, before the principal is repaid",
                           .source = "assumption: a deferral of 6 to 24 months is common for start-up loans (est.)",
                           .field = [](PolicySpec& p) -> void* { return &p.grace_instalments; }}),
                 optional({.key = "repayment",
                           .type = ParamType::String,
                           .default_text = "annuity",
                           .choices = {"annuity", "linear"},
                           .description = "annuity: constant instalments; linear: the same share of the principal each "
                                          "time, interest on what is owed",
                           .source = "the two usual amortisation schedules of French loans",
                           .field = [](PolicySpec& p) -> void* { return &p.repayment; }})},
      .targets = Targets::Sector,
      .scheduled = scheduled,
      .validate = cooperative_of_market,
      .flows = {{"loan advanced", PolicyAccount::Authority, PolicyAccount::Platform},
                {"loan principal repaid", PolicyAccount::Platform, PolicyAccount::Authority},
                {"loan interest", PolicyAccount::Platform, PolicyAccount::Authority},
                {"loan written off on default (no money moves)", PolicyAccount::Authority, PolicyAccount::Authority}},
      .finance = finance,
  };
  return k;
}

}  // namespace coopterra::policy
