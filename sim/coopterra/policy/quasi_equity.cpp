// quasi_equity: titres participatifs (law of 3 January 1983) the authority subscribes in each
// cooperative of a market at start_week: remunerated at a fixed rate at each date, the nominal
// redeemed at the last; they carry no vote and no seat and are not share capital, so they do not
// count toward the SCIC law's 50 % cap on public bodies' capital. A cooperative whose treasury
// cannot pay defaults and the rest is written off in the books.
#include "coopterra/policy/financing.hpp"

namespace coopterra::policy {

namespace {

// Remuneration only until the last date, which redeems the nominal.
Debt debt(const PolicySpec& p) {
  return {cents(p.subscribed_eur), p.instalments - 1, 1, false};
}

std::int64_t scheduled(const PolicySpec& p, const Span& s, std::int64_t week) {
  return week == s.start ? cents(p.subscribed_eur) * s.targets : 0;
}

void finance(const PolicyWeek& w, Economy& economy, std::vector<std::int64_t>& owed, std::int64_t* cents,
             std::int64_t& by_policy) {
  settle(w, debt(w.spec()), economy, owed, cents, by_policy);
}

// Titres participatifs are redeemable only after at least seven years (or at liquidation).
void validate(KindCheck& c) {
  cooperative_of_market(c);
  if (c.policy.instalments < 7 * c.policy.instalments_per_year)
    c.error("instalments", false,
            "titres participatifs are redeemed after at least 7 years (law of 3 January 1983): instalments must be at "
            "least 7 x instalments_per_year = " +
                std::to_string(7 * c.policy.instalments_per_year) + ", got " + std::to_string(c.policy.instalments));
}

}  // namespace

const KindDef& quasi_equity() {
  static const KindDef k{
      .id = PolicyKind::QuasiEquity,
      .key = "quasi_equity",
      .shared = {"platform", "sector", "annual_rate", "instalments_per_year", "instalments"},
      .fields = {required({.key = "subscribed_eur",
                           .type = ParamType::Real,
                           .min = 0,
                           .max = 1e9,
                           .unit = "EUR",
                           .description = "titres participatifs subscribed in each cooperative of the sector at "
                                          "start_week (non-voting, no seat, not share capital)",
                           .source = "titres participatifs, law no. 83-1 of 3 January 1983, open to cooperatives; "
                                     "amount: choice of the authority",
                           .field = [](PolicySpec& p) -> void* { return &p.subscribed_eur; }})},
      .targets = Targets::Sector,
      .scheduled = scheduled,
      .validate = validate,
      .flows = {{"titres participatifs subscribed", PolicyAccount::Authority, PolicyAccount::Platform},
                {"titres participatifs redeemed", PolicyAccount::Platform, PolicyAccount::Authority},
                {"titres participatifs remuneration", PolicyAccount::Platform, PolicyAccount::Authority},
                {"titres participatifs written off on default (no money moves)", PolicyAccount::Authority,
                 PolicyAccount::Authority}},
      .finance = finance,
  };
  return k;
}

}  // namespace coopterra::policy
