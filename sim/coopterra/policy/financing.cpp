#include "coopterra/policy/financing.hpp"

#include <algorithm>
#include <cmath>

#include "coopterra/model/economy.hpp"

namespace coopterra::policy {

Instalment instalment(const PolicySpec& p, const Debt& d, std::int64_t start, std::int64_t week, std::int64_t owed) {
  Instalment out;
  const std::int64_t per_year = p.instalments_per_year, since = week - start;
  if (since <= 0 || owed <= 0) return out;
  const std::int64_t k = (since * per_year + 51) / 52;  // the instalment that could fall this week
  if (k * 52 / per_year != since || k > d.grace + d.repayments) return out;
  const double rate = p.annual_rate / static_cast<double>(per_year);
  out.due = true;
  out.interest = std::llround(static_cast<double>(owed) * rate);
  if (k <= d.grace) return out;
  const std::int64_t j = k - d.grace;  // 1 .. repayments
  if (j == d.repayments) {
    out.principal = owed;
  } else if (d.annuity) {
    const auto n = static_cast<double>(d.repayments), principal = static_cast<double>(d.principal);
    const double payment = rate == 0.0 ? principal / n : principal * rate / (1.0 - std::pow(1.0 + rate, -n));
    out.principal = std::clamp<std::int64_t>(std::llround(payment) - out.interest, 0, owed);
  } else {
    out.principal = std::min(owed, d.principal / d.repayments + (j <= d.principal % d.repayments ? 1 : 0));
  }
  return out;
}

void settle(const PolicyWeek& w, const Debt& d, Economy& economy, std::vector<std::int64_t>& owed, std::int64_t* cents,
            std::int64_t& by_policy) {
  const auto& targets = w.r.targets;
  const std::int64_t week = w.week;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const std::size_t q = targets[t];
    std::int64_t* flows = cents + t * 4;
    if (week == w.r.start) {
      if (!(*w.open)[q]) continue;  // nothing is advanced to a closed cooperative
      owed[t] = d.principal;
      flows[Advanced] += d.principal, by_policy += d.principal;
      economy.fund(q, d.principal, 0, 0);  // cash, neither income nor members' capital
      continue;
    }
    const Instalment due = instalment(w.spec(), d, w.r.start, week, owed[t]);
    if (!due.due) continue;
    const std::int64_t total = due.principal + due.interest;
    if (!(*w.open)[q] || economy.treasuries()[q] < total) {  // default: the rest is written off
      flows[WrittenOff] += owed[t];
      owed[t] = 0;
      continue;
    }
    flows[Repaid] += due.principal, flows[Interest] += due.interest;
    by_policy -= total;
    economy.fund(q, -total, -due.interest, 0);  // the interest is a cost of the year
    owed[t] -= due.principal;
  }
}

}  // namespace coopterra::policy
