// crowdfunding: residents of the territory subscribe shares of each cooperative of a market at
// start_week, campaigned for by the authority: their money goes from the households to the
// cooperative's capital and treasury, and they join the supporters' or the users' college. It costs
// the authority nothing and, being private capital, raises what public bodies may hold under the
// SCIC law's 50 % cap instead of counting toward it.
#include "coopterra/model/economy.hpp"
#include "coopterra/policy/financing.hpp"

namespace coopterra::policy {

namespace {

// College index in CooperativesSpec: workers, users, producers, local authorities, supporters.
std::size_t college(const PolicySpec& p) {
  return p.college == "users" ? 1 : 4;
}

void finance(const PolicyWeek& w, Economy& economy, std::vector<std::int64_t>&, std::int64_t* cents, std::int64_t&) {
  if (w.week != w.r.start) return;
  const PolicySpec& p = w.spec();
  const std::int64_t amount = p.subscribers * policy::cents(p.share_eur);
  for (std::size_t t = 0; t < w.r.targets.size(); ++t) {
    const std::size_t q = w.r.targets[t];
    if (!(*w.open)[q]) continue;
    cents[t] += amount;
    economy.fund(q, amount, 0, amount);
    economy.add_members(q, college(p), p.subscribers);
  }
}

}  // namespace

const KindDef& crowdfunding() {
  static const KindDef k{
      .id = PolicyKind::Crowdfunding,
      .key = "crowdfunding",
      .shared = {"platform", "sector"},
      .fields = {required({.key = "subscribers",
                           .type = ParamType::Integer,
                           .min = 1,
                           .max = 10000000,
                           .unit = "person",
                           .description = "residents who subscribe shares of each cooperative of the sector at "
                                          "start_week",
                           .source = "choice of the scenario; e.g. Mobicoop had ~1,170 members (~2022, facts.md)",
                           .field = [](PolicySpec& p) -> void* { return &p.subscribers; }}),
                 optional({.key = "share_eur",
                           .type = ParamType::Real,
                           .default_number = 100.0,
                           .min = 1,
                           .max = 1e6,
                           .unit = "EUR per subscriber",
                           .description = "capital each subscriber brings",
                           .source = "a share of Mobicoop or France Barter is 100 EUR (facts.md)",
                           .field = [](PolicySpec& p) -> void* { return &p.share_eur; }}),
                 optional({.key = "college",
                           .type = ParamType::String,
                           .default_text = "supporters",
                           .choices = {"supporters", "users"},
                           .description = "the college of the SCIC the subscribers join",
                           .source = "SCIC law: members in colleges, at least three categories (facts.md)",
                           .field = [](PolicySpec& p) -> void* { return &p.college; }})},
      .targets = Targets::Sector,
      .private_capital = [](const PolicySpec& p) { return static_cast<double>(p.subscribers) * p.share_eur; },
      .validate = cooperative_of_market,
      .flows = {{"citizens' shares subscribed", PolicyAccount::Households, PolicyAccount::Platform}},
      .finance = finance,
  };
  return k;
}

}  // namespace coopterra::policy
