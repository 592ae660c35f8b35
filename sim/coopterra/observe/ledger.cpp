#include "coopterra/observe/ledger.hpp"

#include <algorithm>

#include "coopterra/core/error.hpp"

namespace coopterra {

const char* to_string(Account account) noexcept {
  switch (account) {
    case Account::Households: return "households";
    case Account::Authority: return "authority";
    case Account::Outside: return "outside";
    case Account::Firms: return "firms";
  }
  return "unknown";
}

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr auto H = static_cast<std::size_t>(Account::Households);
constexpr auto A = static_cast<std::size_t>(Account::Authority);
constexpr auto O = static_cast<std::size_t>(Account::Outside);
constexpr auto F = static_cast<std::size_t>(Account::Firms);

// The carpool flows, first in the books: for n platforms, the fares of each, then the fees of
// each, the incentives, the taxes; then the campaigns.
enum CarpoolFlow : std::size_t { Fares, Fees, Incentives, Taxes, CarpoolFlowKinds };

// The economy's flows, in this order after the channels'.
enum EconomyFlow : std::size_t {
  OpeningCash,
  BaseSales,
  Wages,
  Owners,
  OutsideCosts,
  Interest,
  WrittenOff,
  Liquidated,
  BarterCommissions,
  BarterFees,
  BarterSupport,
  EconomyFlowCount
};

// The households' budget, last in the books.
enum HouseholdFlow : std::size_t { OutsideIncome, OtherSpending, HouseholdFlows };

// Each platform's flows, in this order.
enum PlatformFlow : std::size_t {
  Grant,
  Equity,
  InKind,
  Staff,
  Running,
  Leaving,
  Refunds,
  Investment,
  OrderCosts,
  Couriers,
  PlatformFlows
};

std::size_t seller_account(Seller s) {
  if (static_cast<std::uint8_t>(s) < kSectors) return F;
  if (s == Seller::Households) return H;
  return O;
}

}  // namespace

Books::Books(const std::vector<PlatformInfo>& platforms, const std::vector<Channel>& channels,
             const std::vector<PolicyFlow>& policy_flows)
    : channels_(channels.size()), platforms_(platforms.size()) {
  for (std::size_t a = 0; a < kFixedAccounts; ++a) accounts_.emplace_back(to_string(static_cast<Account>(a)));
  for (const auto& p : platforms) accounts_.push_back(p.sector + ": " + p.name);
  const auto carpool = carpool_platforms(platforms);
  carpool_ = carpool.size();
  for (std::size_t k = 0; k < CarpoolFlowKinds; ++k)
    for (std::size_t q : carpool) {
      const std::size_t p = kFixedAccounts + q;
      const std::string& key = platforms[q].key;
      switch (k) {
        case Fares: flows_.push_back({"carpool fares, " + key, H, H}); break;
        case Fees: flows_.push_back({"carpool commissions, " + key, H, p}); break;
        case Incentives: flows_.push_back({"carpool incentives, " + key, A, H}); break;
        case Taxes: flows_.push_back({"platform tax, " + key, p, A}); break;
      }
    }
  flows_.push_back({"awareness campaigns and the cooperatives' network", A, O});
  for (const auto& c : channels) {
    std::array<std::size_t, 5> f{kNone, kNone, kNone, kNone, kNone};
    const std::size_t seller = seller_account(c.seller);
    if (c.seller != Seller::None) {
      f[0] = flows_.size(), flows_.push_back({c.name + ": purchases", H, seller});
      f[3] = flows_.size(), flows_.push_back({c.name + ": public procurement", A, seller});
    }
    if (c.platform != kNone) {
      const std::size_t p = kFixedAccounts + c.platform;
      f[1] = flows_.size(), flows_.push_back({c.name + ": fees", H, p});
      f[2] = flows_.size(), flows_.push_back({c.name + ": platform tax", p, A});
      f[4] = flows_.size(), flows_.push_back({c.name + ": procurement fees", A, p});
    }
    channel_flows_.push_back(f);
  }
  std::size_t barter = kFixedAccounts;
  for (std::size_t q = 0; q < platforms.size(); ++q)
    if (platforms[q].sector == "barter") barter = kFixedAccounts + q;
  economy_first_ = flows_.size();
  flows_.insert(flows_.end(), {
                                  {"firms: opening cash (at start and of entrants)", O, F},
                                  {"firms: sales beyond the modelled markets", O, F},
                                  {"firms: wages of residents", F, H},
                                  {"firms: independents' profits", F, H},
                                  {"firms: purchases outside and chains' profits", F, O},
                                  {"firms: overdraft interest", F, O},
                                  {"firms: overdrafts written off by banks", O, F},
                                  {"firms: cash of failed firms to their creditors and owners", F, O},
                                  {"barter: commissions", F, barter},
                                  {"barter: membership fees", F, barter},
                                  {"barter: membership fees paid by the authority", A, barter},
                              });
  platform_first_ = flows_.size();
  for (std::size_t q = 0; q < platforms.size(); ++q) {
    const std::size_t p = kFixedAccounts + q;
    const std::string n = platforms[q].sector + ": " + platforms[q].name;
    flows_.insert(flows_.end(), {
                                    {n + ": grants", A, p},
                                    {n + ": authority's equity", A, p},
                                    {n + ": in-kind support", A, p},
                                    {n + ": staff wages", p, H},
                                    {n + ": running costs", p, O},
                                    {n + ": margin leaving the territory", p, O},
                                    {n + ": refunds to user members", p, H},
                                    // A cooperative's investment pays work in the territory; an
                                    // incumbent's is spent beyond it.
                                    {n + ": investment in quality", p, platforms[q].cooperative ? H : O},
                                    {n + ": order handling and delivery vehicles", p, O},
                                    {n + ": couriers' wages", p, H},
                                });
  }
  policy_first_ = flows_.size();
  for (const PolicyFlow& f : policy_flows) {
    auto account = [&](PolicyAccount a) {
      return a == PolicyAccount::Authority ? A : a == PolicyAccount::Households ? H : kFixedAccounts + f.platform;
    };
    flows_.push_back({f.name, account(f.from), account(f.to)});
  }
  household_first_ = flows_.size();
  flows_.insert(flows_.end(), {
                                  {"households: income from beyond the modelled economy (pensions, other employers, "
                                   "transfers)",
                                   O, H},
                                  {"households: other consumption and saving", H, O},
                              });
}

std::vector<std::size_t> Books::keep_past_flows(const std::vector<FlowDef>& past) {
  std::vector<std::size_t> index;
  for (const FlowDef& f : past) {
    ensure(f.from < accounts_.size() && f.to < accounts_.size(), "ledger: a past flow between unknown accounts");
    const auto same = std::find_if(flows_.begin(), flows_.end(), [&](const FlowDef& g) {
      return g.name == f.name && g.from == f.from && g.to == f.to;
    });
    index.push_back(static_cast<std::size_t>(same - flows_.begin()));
    if (same == flows_.end()) flows_.push_back(f);
  }
  return index;
}

LedgerWeek Books::book(const CarpoolWeek& c, const MarketWeek& m, const EconomyWeek& e,
                       std::int64_t outside_policy_cents, const std::vector<std::int64_t>& opening,
                       std::int64_t firms_cash, const std::vector<std::int64_t>& treasuries,
                       const std::vector<std::int64_t>& policy_cents, const HouseholdBudget& households) const {
  ensure(opening.size() == accounts_.size(), "ledger: opening balances of another set of accounts");
  LedgerWeek w;
  w.cents.assign(flows_.size(), 0);
  ensure(c.fees_cents.size() == carpool_, "ledger: a week of another set of carpool platforms");
  for (std::size_t p = 0; p < carpool_; ++p) {
    w.cents[Fares * carpool_ + p] = c.driver_income_cents[p];
    w.cents[Fees * carpool_ + p] = c.fees_cents[p];
    w.cents[Incentives * carpool_ + p] = c.incentive_cents[p];
    w.cents[Taxes * carpool_ + p] = c.tax_cents[p];
  }
  w.cents[CarpoolFlowKinds * carpool_] = outside_policy_cents;
  for (std::size_t ch = 0; ch < channels_ && ch < m.purchases.size(); ++ch) {
    const auto& f = channel_flows_[ch];
    if (f[0] != kNone) w.cents[f[0]] = m.seller_cents[ch];
    if (f[1] != kNone) w.cents[f[1]] = m.fee_cents[ch], w.cents[f[2]] = m.tax_cents[ch];
    if (f[3] != kNone && ch < e.flows.procurement_seller.size()) w.cents[f[3]] = e.flows.procurement_seller[ch];
    if (f[4] != kNone && ch < e.flows.procurement_fees.size()) w.cents[f[4]] = e.flows.procurement_fees[ch];
    ensure((f[0] != kNone || m.seller_cents[ch] == 0) && (f[1] != kNone || m.fee_cents[ch] == 0),
           "ledger: money through a channel that has no flow for it");
  }
  const auto& x = e.flows;
  const std::int64_t economy[EconomyFlowCount] = {x.opening_cash, x.base_sales,        x.wages,
                                                  x.owners,       x.outside_costs,     x.interest,
                                                  x.written_off,  x.liquidated,        x.barter_commissions,
                                                  x.barter_fees,  x.barter_fee_support};
  for (std::size_t k = 0; k < EconomyFlowCount; ++k) w.cents[economy_first_ + k] = economy[k];
  for (std::size_t q = 0; q < platforms_ && q < x.grants.size(); ++q) {
    const std::int64_t amounts[PlatformFlows] = {x.grants[q],      x.equity[q],  x.in_kind[q], x.staff[q],
                                                 x.running[q],     x.leaving[q], x.refunds[q], x.investment[q],
                                                 x.order_costs[q], x.couriers[q]};
    for (std::size_t k = 0; k < PlatformFlows; ++k) w.cents[platform_first_ + q * PlatformFlows + k] = amounts[k];
  }
  ensure(policy_cents.empty() || policy_cents.size() == household_first_ - policy_first_,
         "ledger: amounts of another set of policy flows");
  for (std::size_t k = 0; k < policy_cents.size(); ++k) w.cents[policy_first_ + k] = policy_cents[k];
  // The households' budget: what they earn in the model, what they spend in it, and around them
  // their income from beyond it and the rest of their spending.
  std::int64_t earned = 0, spent = 0;
  for (std::size_t f = 0; f < household_first_; ++f) {
    if (flows_[f].from == flows_[f].to) continue;
    if (flows_[f].to == H) earned += w.cents[f];
    if (flows_[f].from == H) spent += w.cents[f];
  }
  const std::int64_t outside = households.target_cents >= 0
                                   ? std::max<std::int64_t>(0, households.target_cents - earned)
                                   : households.outside_income_cents;
  w.cents[household_first_ + OutsideIncome] = outside;
  w.cents[household_first_ + OtherSpending] = std::max<std::int64_t>(0, outside + earned - spent);
  w.household_income_cents = outside + earned;
  w.household_market_cents = spent;
  w.balance = opening;
  for (std::size_t f = 0; f < flows_.size(); ++f) {
    w.balance[flows_[f].from] -= w.cents[f];
    w.balance[flows_[f].to] += w.cents[f];
  }
  // Checks against what the agents hold on their own.
  std::int64_t household_income = x.wages + x.owners;  // received by households as a whole, not resident by resident
  for (std::size_t q = 0; q < platforms_ && q < x.staff.size(); ++q) {
    household_income += x.staff[q] + x.refunds[q] + x.couriers[q];
    if (flows_[platform_first_ + q * PlatformFlows + Investment].to == H) household_income += x.investment[q];
  }
  for (std::size_t ch = 0; ch < channels_ && ch < x.procurement_seller.size(); ++ch)
    if (channel_flows_[ch][3] != kNone && flows_[channel_flows_[ch][3]].to == H)
      household_income += x.procurement_seller[ch];
  for (std::size_t k = 0; k < policy_cents.size(); ++k) {  // citizens' shares: households as a whole
    const FlowDef& f = flows_[policy_first_ + k];
    household_income += (f.to == H ? policy_cents[k] : 0) - (f.from == H ? policy_cents[k] : 0);
  }
  household_income += w.cents[household_first_ + OutsideIncome] - w.cents[household_first_ + OtherSpending];
  ensure(w.balance[H] - opening[H] == c.households_net_cents + m.households_net_cents + household_income,
         "ledger: households' net from the flows differs from the sum over residents");
  ensure(w.balance[F] == firms_cash, "ledger: the firms' account differs from the sum of the firms' cash");
  for (std::size_t q = 0; q < platforms_ && q < treasuries.size(); ++q)
    ensure(w.balance[kFixedAccounts + q] == treasuries[q],
           "ledger: a platform's account differs from its treasury: " + accounts_[kFixedAccounts + q]);
  ensure(w.balance[A] >= 0, "ledger: the authority spent beyond its budget");
  return w;
}

}  // namespace coopterra
