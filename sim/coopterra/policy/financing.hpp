#pragma once
// What the financing kinds share (loan, quasi_equity): money the authority advances to each
// cooperative it targets at start_week, paid back on a schedule of instalments from the
// cooperative's treasury; when the treasury cannot pay an instalment (or the cooperative has
// closed), the cooperative defaults and what it still owes is written off.
#include <cstdint>
#include <vector>

#include "coopterra/policy/kind.hpp"

namespace coopterra::policy {

// The flows of a debt, per target, in this order (KindDef::flows).
enum DebtFlow : std::size_t { Advanced, Repaid, Interest, WrittenOff };

struct Debt {
  std::int64_t principal;   // cents advanced to each target
  std::int64_t grace;       // first instalments paying interest only
  std::int64_t repayments;  // instalments repaying the principal after them
  bool annuity;             // constant instalments (else linear repayment of the principal)
};

// The share of a principal repaid and the interest due in `week` on `owed` (both 0 when no
// instalment falls that week). Instalment k (1, 2, ...) falls floor(52 k / instalments_per_year)
// weeks after the start; the last one repays what is still owed, to the cent.
struct Instalment {
  std::int64_t principal = 0, interest = 0;
  bool due = false;
};
Instalment instalment(const PolicySpec& p, const Debt& d, std::int64_t start, std::int64_t week, std::int64_t owed);

// The week's money of a debt: the advance at start_week (to open targets), then instalments or
// defaults. `owed` keeps what each target still owes.
void settle(const PolicyWeek& w, const Debt& d, Economy& economy, std::vector<std::int64_t>& owed, std::int64_t* cents,
            std::int64_t& by_policy);

}  // namespace coopterra::policy
