#pragma once
// Firms and platforms as economic agents, and the money they move.
//
// Firms earn from residents (the markets), from public procurement and from sales beyond the
// modelled markets; they pay costs that are partly fixed, spend a share locally (wages of
// residents, supplies from local firms) that depends on whether they are independents or chains,
// hold cash, draw on bank overdrafts (the incumbent option, paid to banks outside), may join the
// cooperative barter network to pay part of their local supplies in barter units. A supply bought
// from a local firm is that firm's revenue the next week, with its costs. Firms fail at their
// sector's yearly rate (higher under cash stress) or after weeks beyond their credit limit; an
// entrant takes a failed firm's place after a vacancy.
//
// Platforms (of the markets, barter and carpooling) earn fees (and grants, equity, in-kind
// support, barter memberships), pay staff and
// running costs, pay taxes; an incumbent's margin leaves the territory, a cooperative's stays:
// its yearly surplus goes to reserves (at least 57.5 %), investment in quality and refunds to user
// members. A cooperative has members in five colleges and a board; a platform closes after weeks
// with a negative treasury. Every amount is in cents; see docs/model.md.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/core/fields.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/model/carpool.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/population/firms.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

// What the authority's policies bring to the economy in one week.
struct EconomyLevers {
  // Procurement: cents bought this week through channel c (index of MarketModel::channels()).
  std::vector<std::pair<std::size_t, std::int64_t>> procurement;
  std::vector<std::int64_t> grant_cents, equity_cents, in_kind_cents;  // by platform
  double barter_fee_share = 0;  // share of barter membership fees paid by the authority
  double barter_join_multiplier = 1;
  std::int64_t support_budget_cents = 0;  // what the authority can still pay in barter fee support
};

// Money of one week between the economy's agents, by kind, in cents.
struct EconomyFlows {
  std::int64_t opening_cash = 0;   // outside -> firms: the cash firms start with (week 1, entrants)
  std::int64_t base_sales = 0;     // outside -> firms
  std::int64_t wages = 0;          // firms -> households
  std::int64_t owners = 0;         // independents' profits -> households
  std::int64_t outside_costs = 0;  // firms -> outside (supplies from outside, chains' profits)
  std::int64_t interest = 0;       // firms -> outside (overdrafts)
  std::int64_t written_off = 0;    // outside -> firms: debts of failed firms cancelled by banks
  std::int64_t liquidated = 0;     // firms -> outside: cash left in failed firms
  std::int64_t barter_commissions = 0, barter_fees = 0;  // firms -> barter cooperative
  std::int64_t barter_fee_support = 0;                   // authority -> barter cooperative
  std::vector<std::int64_t> procurement_seller;          // by channel: authority -> seller
  std::vector<std::int64_t> procurement_fees;            // by channel: authority -> platform
  // By platform.
  std::vector<std::int64_t> grants, equity, in_kind;  // authority -> platform
  std::vector<std::int64_t> staff, running, leaving, refunds, investment;
  std::vector<std::int64_t> order_costs;  // platform -> outside: handling of orders, delivery vehicles
  std::vector<std::int64_t> couriers;     // platform -> households: couriers' time on delivery rounds
};

struct EconomyWeek {
  EconomyFlows flows;
  // Firms, by firm sector.
  std::array<std::int64_t, kSectors> alive{}, revenue_cents{}, cash_cents{}, failed{}, entered{};
  std::array<double, kSectors> jobs{};                        // full-time equivalents
  std::array<std::int64_t, kSectors> market_revenue_cents{};  // from residents and procurement
  std::int64_t barter_members = 0;
  std::int64_t barter_volume_cents = 0;   // invoices paid in barter units
  std::int64_t overdraft_cents = 0;       // firms' negative cash
  std::int64_t local_spending_cents = 0;  // firms' spending in the territory (for LM3)
  // Platforms.
  std::vector<std::int64_t> treasury_cents, open, members, participants, seats;  // members: platform x college
  std::vector<std::int64_t> authority_equity_cents, capital_cents;
  std::vector<double> quality, staff;

  // The field list (core/fields.hpp): checkpoints and the results.
  template <class V, class... W>
  static void fields(V&& v, W&... w) {
    using D = Dim;
    v(kept("opening_cash"), w.flows.opening_cash...);
    v(kept("base_sales"), w.flows.base_sales...);
    v(kept("wages"), w.flows.wages...);
    v(kept("owners"), w.flows.owners...);
    v(kept("outside_costs"), w.flows.outside_costs...);
    v(kept("interest"), w.flows.interest...);
    v(kept("written_off"), w.flows.written_off...);
    v(kept("liquidated"), w.flows.liquidated...);
    v(kept("barter_commissions"), w.flows.barter_commissions...);
    v(kept("barter_fees"), w.flows.barter_fees...);
    v(kept("barter_fee_support"), w.flows.barter_fee_support...);
    v(kept("procurement_seller", D::Channel), w.flows.procurement_seller...);
    v(kept("procurement_fees", D::Channel), w.flows.procurement_fees...);
    v(kept("grants", D::Platform), w.flows.grants...);
    v(kept("equity", D::Platform), w.flows.equity...);
    v(kept("in_kind", D::Platform), w.flows.in_kind...);
    v(kept("staff", D::Platform), w.flows.staff...);
    v(kept("running", D::Platform), w.flows.running...);
    v(kept("leaving", D::Platform), w.flows.leaving...);
    v(kept("refunds", D::Platform), w.flows.refunds...);
    v(kept("investment", D::Platform), w.flows.investment...);
    v(kept("order_costs", D::Platform), w.flows.order_costs...);
    v(kept("couriers", D::Platform), w.flows.couriers...);
    v(result("alive", D::Sector, "firms_open", "firm", "firms still operating"), w.alive...);
    v(result("revenue_cents", D::Sector, "firm_revenue", "EUR", "revenue of the firms", 100), w.revenue_cents...);
    v(result("cash_cents", D::Sector, "firm_cash", "EUR", "cash of the firms (negative: overdrafts)", 100),
      w.cash_cents...);
    v(result("failed", D::Sector, "firm_failures", "firm", "firms failing this week"), w.failed...);
    v(result("entered", D::Sector, "firm_entries", "firm", "entrants taking the place of failed firms this week"),
      w.entered...);
    v(result("jobs", D::Sector, "jobs", "job",
             "jobs in the firms still operating, full-time equivalents of their local wage bill"),
      w.jobs...);
    v(result("market_revenue_cents", D::Sector, "firm_market_revenue", "EUR",
             "revenue of the firms from residents and public procurement", 100),
      w.market_revenue_cents...);
    v(result("barter_members", D::Scalar, "barter_members", "firm", "firms members of the barter network"),
      w.barter_members...);
    v(result("barter_volume_cents", D::Scalar, "barter_volume", "EUR",
             "invoices between firms paid in barter units (1 unit = 1 EUR)", 100),
      w.barter_volume_cents...);
    v(result("overdraft_cents", D::Scalar, "firm_overdrafts", "EUR",
             "overdrafts of open firms (bank credit, the incumbent option to barter)", 100),
      w.overdraft_cents...);
    v(kept("local_spending_cents"), w.local_spending_cents...);
    v(result("treasury_cents", D::Platform, "platform_treasury", "EUR",
             "cash of the platform in the territory at the end of the week", 100),
      w.treasury_cents...);
    v(result("open", D::Platform, "platform_open", "1",
             "1 while the platform operates; a platform closes after weeks with a negative treasury"),
      w.open...);
    v(result("members", D::PlatformCollege, "cooperative_members", "person",
             "members of each cooperative by college (incumbents: 0)"),
      w.members...);
    v(result("participants", D::PlatformCollege, "assembly_participants", "person",
             "members expected at the general assembly, by college"),
      w.participants...);
    v(result("seats", D::PlatformCollege, "board_seats", "seat",
             "seats on the cooperative's board by college (the authority's: local_authorities)"),
      w.seats...);
    v(result("authority_equity_cents", D::Platform, "authority_equity", "EUR",
             "capital the authority holds in the platform", 100),
      w.authority_equity_cents...);
    v(kept("capital_cents", D::Platform), w.capital_cents...);
    v(result("quality", D::Platform, "platform_quality", "utility",
             "quality of the platform: network effects of its users plus its investment, each saturating "
             "(model/quality.hpp)"),
      w.quality...);
    v(result("staff", D::Platform, "platform_staff", "job",
             "staff of the platform in the territory, full-time equivalents: at least its fixed staff, more as its "
             "orders grow"),
      w.staff...);
  }
};

class Economy {
 public:
  Economy(const Territory& territory, const Firms& firms, const Spec& spec, const std::vector<PlatformInfo>& platforms,
          const std::vector<Channel>& channels, const Random& random);

  // Which zone's firms of each sector serve each zone: the nearest by road with firms still open.
  const std::vector<std::vector<std::uint32_t>>& providers() const noexcept { return provider_; }
  // The providers recomputed from the open firms alone (what providers() keeps up to date).
  std::vector<std::vector<std::uint32_t>> providers_from_scratch() const;
  const std::vector<std::uint8_t>& open() const noexcept { return open_; }
  const std::vector<double>& quality() const noexcept { return quality_; }
  // Each platform's fees relative to its own this week: its response to competition.
  const std::vector<double>& fee_factors() const noexcept { return fee_factor_; }

  // One week, after carpooling and the markets, in five parts that run in this order (each a phase
  // of the simulation's week): they update firms and platforms and fill the week's record `out`,
  // which starts as new_week().
  EconomyWeek new_week() const;
  // Public procurement: what the authority buys through each channel, paid to the sellers (the
  // firms' income of the week) and to the platforms.
  void procurement(const EconomyLevers& policy, EconomyWeek& out);
  // Firms: their income from residents, revenue, costs, local spending, barter payments, interest;
  // local supplies among the territory's firms; failures beyond the credit line.
  void firms(std::uint32_t week, const MarketWeek& market, const Levers& levers, int threads, EconomyWeek& out);
  // Barter: firms joining the network and their yearly fees (partly paid by the authority, within
  // its support budget); then the firms' totals of the week.
  void barter(std::uint32_t week, const EconomyLevers& policy, int threads, EconomyWeek& out);
  // Platforms: fees, taxes, policy money into the treasuries; staff (growing with orders), running
  // costs, order handling and delivery rounds (vehicles, couriers) out of them; margins leaving,
  // investment, yearly surplus, quality (model/quality.hpp), closure after weeks in deficit.
  void treasuries(std::uint32_t week, const MarketWeek& market, const CarpoolWeek& carpool, const Levers& levers,
                  const EconomyLevers& policy, EconomyWeek& out);
  // Cooperatives' members by college, participants in the assembly, board seats.
  void governance(const MarketWeek& market, const CarpoolWeek& carpool, EconomyWeek& out) const;

  // Balances the ledger checks against: firms' cash (with the supplies they are owed) and
  // platforms' treasuries, in cents.
  std::int64_t firms_cash() const noexcept;
  const std::vector<std::int64_t>& treasuries() const noexcept { return treasury_; }

  // Hooks of the financing policies (policy/financing.hpp, crowdfunding.cpp), between weeks: moves
  // `cash_cents` into platform q's treasury (negative: out of it), of which `income_cents` counts in
  // the year's surplus (interest paid: negative) and `capital_cents` is members' capital.
  void fund(std::size_t q, std::int64_t cash_cents, std::int64_t income_cents, std::int64_t capital_cents);
  // Members who joined platform q's college (CooperativesSpec: 0 workers ... 4 supporters).
  void add_members(std::size_t q, std::size_t college, std::int64_t members);

  // The state carried from week to week, as bytes and back (checkpoints).
  std::string save() const;
  void load(const std::string& bytes);
  std::size_t bytes() const noexcept;

 private:
  void update_providers();                                       // from scratch
  void update_providers(const std::vector<std::size_t>& cells);  // after changes in these sector x zone cells
  bool open_in(std::size_t sector, std::size_t zone) const;      // whether the zone has an open firm of the sector
  // Adds `amount` to the income of the open firms of `sector` in `zone`, split evenly (the first
  // firms get the remaining cents).
  void give(std::size_t sector, std::size_t zone, std::int64_t amount);
  const Territory& territory_;
  const Firms& firms_;
  const Spec& spec_;
  const std::vector<PlatformInfo>& platforms_;
  const std::vector<Channel>& channels_;
  Random random_;
  std::vector<std::vector<std::uint32_t>> firms_in_;  // by sector x zone: firm indices
  std::vector<std::vector<std::uint32_t>> provider_;  // by sector: zone -> serving zone
  std::vector<std::uint8_t> served_;                  // by sector x zone: 1 if the zone has an open firm
  std::size_t barter_ = 0;                            // index of the barter cooperative, or npos
  std::vector<std::size_t> carpool_;                  // index of each carpool platform
  // Firms. supply_in_: what local firms bought from each firm this week, its revenue next week.
  std::vector<std::int64_t> cash_, reference_, units_, supply_in_;
  std::vector<std::uint8_t> potential_;                  // 1: would ever join the barter network
  std::vector<std::int32_t> weeks_over_, member_since_;  // member_since_: -1 not a member
  std::vector<std::uint8_t> alive_;
  std::vector<double> activity_;  // revenue smoothed over about 13 weeks
  // Platforms.
  std::vector<std::int64_t> treasury_, year_start_, authority_equity_, capital_;
  std::vector<std::int64_t> joined_;  // platform x college: members who joined through policies
  std::vector<std::int32_t> weeks_negative_;
  std::vector<std::uint8_t> open_;
  std::vector<double> users_ema_, invested_, quality_;
  std::vector<double> orders_ema_;                    // orders a week, smoothed as users_ema_: sets the staff
  std::vector<double> staff_;                         // staff of each platform this week, full-time equivalents
  std::vector<double> reference_share_, fee_factor_;  // share of its market's customers at calibration; fees
  // Within a week, between its parts: each firm's income, each platform's procurement fees.
  std::vector<std::int64_t> income_, procurement_fees_;
};

}  // namespace coopterra
