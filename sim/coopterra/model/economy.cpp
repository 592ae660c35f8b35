#include "coopterra/model/economy.hpp"

#include <algorithm>
#include <cmath>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/bytes.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/core/parallel.hpp"
#include "coopterra/model/quality.hpp"

namespace coopterra {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::int64_t cents(double eur) {
  return std::llround(eur * 100.0);
}

std::int64_t share(std::int64_t amount, double rate) {
  return std::llround(static_cast<double>(amount) * rate);
}

}  // namespace

Economy::Economy(const Territory& territory, const Firms& firms, const Spec& spec,
                 const std::vector<PlatformInfo>& platforms, const std::vector<Channel>& channels, const Random& random)
    : territory_(territory), firms_(firms), spec_(spec), platforms_(platforms), channels_(channels), random_(random) {
  const std::size_t zones = territory_.zones.size(), n = firms_.size();
  firms_in_.assign(kSectors * zones, {});
  for (std::size_t f = 0; f < n; ++f)
    firms_in_[static_cast<std::size_t>(firms_.sector[f]) * zones + firms_.zone[f]].push_back(
        static_cast<std::uint32_t>(f));
  cash_.assign(n, 0), reference_.assign(n, 0), units_.assign(n, 0), supply_in_.assign(n, 0), potential_.assign(n, 0);
  weeks_over_.assign(n, 0), member_since_.assign(n, -1), alive_.assign(n, 1), activity_.assign(n, 0.0);
  const std::size_t p = platforms_.size();
  barter_ = kNone;
  for (std::size_t q = 0; q < p; ++q)
    if (platforms_[q].sector == "barter") barter_ = q;
  carpool_ = carpool_platforms(platforms_);
  // Barter: the firms that would ever join (Bass's market potential), the members at start among
  // them (initial_awareness is a share of all firms, at most potential_share: scenario.cpp).
  const double potential = spec_.barter.potential_share;
  for (std::size_t f = 0; f < n; ++f) potential_[f] = random_.uniform(Purpose::BarterPotential, f, 0) < potential;
  if (barter_ != kNone && potential > 0)
    for (std::size_t f = 0; f < n; ++f)
      if (potential_[f] &&
          random_.uniform(Purpose::BarterJoin, f, 0) < platforms_[barter_].spec->initial_awareness / potential)
        member_since_[f] = 0;
  treasury_.resize(p), year_start_.resize(p), authority_equity_.assign(p, 0), capital_.resize(p);
  weeks_negative_.assign(p, 0), open_.assign(p, 1), users_ema_.assign(p, 0.0), invested_.assign(p, 0.0);
  quality_.assign(p, 0.0), joined_.assign(p * kColleges, 0), orders_ema_.assign(p, 0.0), staff_.assign(p, 0.0);
  reference_share_.assign(p, 0.0), fee_factor_.assign(p, 1.0);
  for (std::size_t q = 0; q < p; ++q) {
    const auto& ps = *platforms_[q].spec;
    // Week 1's choices see what the platform brings from beyond the territory.
    quality_[q] = platform_quality(spec_.cooperatives, ps.national_users, ps.national_investment_eur);
    staff_[q] = static_cast<double>(ps.staff);
    treasury_[q] = year_start_[q] = cents(platforms_[q].spec->initial_treasury_eur);
    capital_[q] = cents(platforms_[q].spec->initial_capital_eur);
  }
  update_providers();
}

// The zone that serves each zone in each sector: its own when it has an open firm of the sector,
// otherwise the nearest by road time among those that have (the lowest zone index among equals).
std::vector<std::vector<std::uint32_t>> Economy::providers_from_scratch() const {
  const std::size_t zones = territory_.zones.size();
  std::vector<std::vector<std::uint32_t>> provider(kSectors, std::vector<std::uint32_t>(zones, kNoZone));
  for (std::size_t s = 0; s < kSectors; ++s) {
    std::vector<std::uint32_t> with;
    for (std::size_t z = 0; z < zones; ++z)
      if (open_in(s, z)) with.push_back(static_cast<std::uint32_t>(z));
    if (with.empty()) continue;
    for (std::size_t z = 0; z < zones; ++z) {
      std::uint32_t best = with.front();
      for (std::uint32_t w : with)  // the home zone first, then the nearest by road time
        if (w == z || (best != z && territory_.road_minutes(static_cast<Eigen::Index>(z), w) <
                                        territory_.road_minutes(static_cast<Eigen::Index>(z), best)))
          best = w;
      provider[s][z] = best;
    }
  }
  return provider;
}

bool Economy::open_in(std::size_t sector, std::size_t zone) const {
  for (std::uint32_t f : firms_in_[sector * territory_.zones.size() + zone])
    if (alive_[f]) return true;
  return false;
}

void Economy::update_providers() {
  provider_ = providers_from_scratch();
  const std::size_t zones = territory_.zones.size();
  served_.assign(kSectors * zones, 0);
  for (std::size_t s = 0; s < kSectors; ++s)
    for (std::size_t z = 0; z < zones; ++z) served_[s * zones + z] = open_in(s, z);
}

// After firms opened or closed in `cells` (sector x zone), the same providers as
// providers_from_scratch(), found by updating only what a change of cell can change: a zone
// gaining its first open firm serves itself and the zones now nearer to it than to their
// provider; a zone losing its last, the zones it served find the nearest among the others.
void Economy::update_providers(const std::vector<std::size_t>& cells) {
  const std::size_t zones = territory_.zones.size();
  const auto minutes = [&](std::size_t from, std::size_t to) {
    return territory_.road_minutes(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to));
  };
  for (const std::size_t cell : cells) {
    const std::size_t s = cell / zones, changed = cell % zones;
    const std::uint8_t now = open_in(s, changed);
    if (now == served_[cell]) continue;  // firms changed, but the zone still has (or lacks) one
    served_[cell] = now;
    auto& provider = provider_[s];
    const auto c = static_cast<std::uint32_t>(changed);
    for (std::size_t z = 0; z < zones; ++z) {
      if (now) {  // c joins: the zones with none of their own served by c when it is nearer
        const std::uint32_t p = provider[z];
        if (z == changed || p == kNoZone ||
            (p != z && (minutes(z, c) < minutes(z, p) || (minutes(z, c) == minutes(z, p) && c < p))))
          provider[z] = c;
      } else if (provider[z] == c) {  // c leaves: the zones it served find the nearest other
        std::uint32_t best = kNoZone;
        for (std::size_t w = 0; w < zones; ++w) {
          if (!served_[s * zones + w]) continue;
          if (w == z) {
            best = static_cast<std::uint32_t>(w);
            break;
          }
          if (best == kNoZone || minutes(z, w) < minutes(z, best)) best = static_cast<std::uint32_t>(w);
        }
        provider[z] = best;
      }
    }
  }
}

std::int64_t Economy::firms_cash() const noexcept {
  std::int64_t total = 0;
  for (auto c : cash_) total += c;
  for (auto c : supply_in_) total += c;  // owed by other firms of the territory, paid next week
  return total;
}

EconomyWeek Economy::new_week() const {
  const std::size_t p = platforms_.size();
  EconomyWeek out;
  EconomyFlows& fl = out.flows;
  fl.procurement_seller.assign(channels_.size(), 0), fl.procurement_fees.assign(channels_.size(), 0);
  fl.grants.assign(p, 0), fl.equity.assign(p, 0), fl.in_kind.assign(p, 0);
  fl.staff.assign(p, 0), fl.running.assign(p, 0), fl.leaving.assign(p, 0), fl.refunds.assign(p, 0);
  fl.investment.assign(p, 0), fl.order_costs.assign(p, 0), fl.couriers.assign(p, 0);
  out.staff.assign(p, 0.0);
  out.treasury_cents.assign(p, 0), out.open.assign(p, 0), out.members.assign(p * kColleges, 0);
  out.participants.assign(p * kColleges, 0), out.seats.assign(p * kColleges, 0);
  out.authority_equity_cents.assign(p, 0), out.capital_cents.assign(p, 0), out.quality.assign(p, 0.0);
  return out;
}

void Economy::give(std::size_t sector, std::size_t zone, std::int64_t amount) {
  if (amount == 0) return;
  const std::size_t zones = territory_.zones.size();
  std::vector<std::uint32_t> open_firms;
  for (std::uint32_t f : firms_in_[sector * zones + zone])
    if (alive_[f]) open_firms.push_back(f);
  ensure(!open_firms.empty(), "economy: income for a zone with no open firm of the sector");
  const auto count = static_cast<std::int64_t>(open_firms.size());
  for (std::int64_t k = 0; k < count; ++k)
    income_[open_firms[static_cast<std::size_t>(k)]] += amount / count + (k < amount % count ? 1 : 0);
}

void Economy::procurement(const EconomyLevers& policy, EconomyWeek& out) {
  const std::size_t zones = territory_.zones.size();
  EconomyFlows& fl = out.flows;
  // The firms' income of the week starts here (integer cents: the order of the parts is exact).
  income_.assign(firms_.size(), 0);
  procurement_fees_.assign(platforms_.size(), 0);
  for (const auto& [c, amount] : policy.procurement) {
    const Channel& ch = channels_[c];
    if (ch.platform != kNone && !open_[ch.platform]) continue;  // nothing bought through a closed platform
    if (ch.seller == Seller::None) continue;
    const std::int64_t fee = ch.platform == kNone ? 0 : share(amount, platforms_[ch.platform].spec->commission);
    const std::int64_t to_seller = amount - fee;
    if (static_cast<std::uint8_t>(ch.seller) < kSectors) {
      const auto s = static_cast<std::size_t>(ch.seller);
      std::vector<double> weights(zones, 0.0);
      bool any = false;
      for (std::size_t z = 0; z < zones; ++z) {
        for (std::uint32_t f : firms_in_[s * zones + z]) weights[z] += alive_[f];
        any = any || weights[z] > 0;
      }
      if (!any) continue;  // no firm left to sell to the canteens
      const auto parts = allocate_proportionally(to_seller, weights);
      for (std::size_t z = 0; z < zones; ++z) give(s, z, parts[z]);
    }
    fl.procurement_seller[c] += to_seller;
    fl.procurement_fees[c] += fee;
    if (ch.platform != kNone) procurement_fees_[ch.platform] += fee;
  }
}

void Economy::firms(std::uint32_t week, const MarketWeek& market, const Levers& levers, int threads, EconomyWeek& out) {
  const auto& e = spec_.economy;
  const std::size_t zones = territory_.zones.size(), n = firms_.size();
  EconomyFlows& fl = out.flows;
  // Income of each firm from residents: split evenly among the open firms of a sector in the zone
  // that serves the buyers.
  for (std::size_t s = 0; s < kSectors; ++s)
    for (std::size_t z = 0; z < zones; ++z) give(s, z, market.firm_income_cents[s * zones + z]);
  const std::vector<std::int64_t>& income = income_;

  const bool barter_open = barter_ != kNone && open_[barter_];
  const BarterSpec& b = spec_.barter;
  std::vector<double> cash_weights(n, 0.0), unit_weights(n, 0.0);
  const auto calibration = static_cast<std::uint32_t>(e.calibration_weeks);
  // Each firm's week is its own; the sums are of integers (cents), exact in any order.
  struct FirmSums {
    std::int64_t opening_cash = 0, base_sales = 0, wages = 0, outside_costs = 0, owners = 0, interest = 0;
    std::int64_t barter_commissions = 0, barter_volume = 0, local_spending = 0, cash_pool = 0, unit_pool = 0;
    std::array<std::int64_t, kSectors> revenue{}, market_revenue{};
  };
  const auto firm_sums =
      parallel_accumulate(n, threads, FirmSums{}, [&](std::size_t begin, std::size_t end, FirmSums& acc) {
        for (std::size_t f = begin; f < end; ++f) {
          if (!alive_[f]) continue;
          const auto s = static_cast<std::size_t>(firms_.sector[f]);
          const std::uint32_t z = firms_.zone[f];
          std::int64_t base = cents(e.base_revenue_eur_per_week[s]);
          if (s == static_cast<std::size_t>(Sector::Restaurant) && !levers.restaurants_closed.empty() &&
              levers.restaurants_closed[z])
            base = 0;
          if (s == static_cast<std::size_t>(Sector::Tourism) && !levers.travel_banned.empty() &&
              levers.travel_banned[z])
            base = 0;
          // Last week's supplies to the territory's firms are this week's revenue, with its costs.
          const std::int64_t revenue = base + income[f] + supply_in_[f];
          supply_in_[f] = 0;  // paid: now in the revenue's cash
          // Activity: revenue smoothed over about a quarter, which sets the firm's jobs.
          activity_[f] = week == 1 ? static_cast<double>(revenue)
                                   : activity_[f] + (static_cast<double>(revenue) - activity_[f]) / 13.0;
          // Reference revenue, which sets the fixed costs: the mean of the calibration weeks, then
          // following lasting changes of revenue (leases, staff and loans adjust).
          if (week <= calibration) {
            reference_[f] = (reference_[f] * (week - 1) + revenue) / week;
            if (week == 1) {
              cash_[f] = std::llround(e.initial_cash_weeks * static_cast<double>(revenue));
              acc.opening_cash += cash_[f];
            }
          } else {
            reference_[f] += std::llround(static_cast<double>(revenue - reference_[f]) / e.cost_adjustment_weeks);
          }
          const double ref = static_cast<double>(reference_[f]);
          const std::int64_t costs = std::llround(
              (e.fixed_cost_share * ref + (1.0 - e.margin - e.fixed_cost_share) * static_cast<double>(revenue)) *
              (1.0 + levers.extra_cost(z)));
          const std::int64_t owner = share(revenue, e.margin);
          const double recirc = firms_.chain[f] ? e.recirculation_chain : e.recirculation_independent;
          const std::int64_t local = share(costs, recirc);
          const std::int64_t wages = share(local, e.wage_share_of_local);
          const std::int64_t supplies = local - wages;
          cash_[f] += revenue - costs - owner;
          acc.base_sales += base;
          acc.wages += wages;
          acc.outside_costs += costs - local;
          (firms_.chain[f] ? acc.outside_costs : acc.owners) += owner;
          acc.revenue[s] += revenue;
          acc.market_revenue[s] += income[f];
          if (revenue > 0)
            acc.local_spending += std::llround(static_cast<double>(local + (firms_.chain[f] ? 0 : owner)) *
                                               static_cast<double>(income[f]) / static_cast<double>(revenue));
          std::int64_t bartered = 0;
          if (barter_open && member_since_[f] >= 0) {
            bartered = share(supplies, cash_[f] < 0 ? b.stressed_barter_share : b.barter_share);
            const std::int64_t floor = -std::llround(b.unit_credit_weeks * ref);
            bartered = std::clamp<std::int64_t>(bartered, 0, std::max<std::int64_t>(0, units_[f] - floor));
            units_[f] -= bartered;
            const std::int64_t commission = share(bartered, platforms_[barter_].spec->commission);
            cash_[f] -= commission;
            acc.barter_commissions += commission;
            acc.unit_pool += bartered;
            unit_weights[f] = ref;
          }
          acc.cash_pool += supplies - bartered;  // the sellers' revenue next week: supplies were counted in costs
          cash_[f] += bartered;                  // ...except what the firm paid in units
          cash_weights[f] = std::max(ref, 1.0);
          acc.barter_volume += bartered;
          if (cash_[f] < 0) {
            const std::int64_t interest =
                std::llround(static_cast<double>(-cash_[f]) * e.interest_rate_per_year / 52.0);
            cash_[f] -= interest;
            acc.interest += interest;
          }
        }
      });
  std::int64_t cash_pool = 0, unit_pool = 0;
  for (const FirmSums& a : firm_sums) {
    fl.opening_cash += a.opening_cash, fl.base_sales += a.base_sales, fl.wages += a.wages;
    fl.outside_costs += a.outside_costs, fl.owners += a.owners, fl.interest += a.interest;
    fl.barter_commissions += a.barter_commissions, out.barter_volume_cents += a.barter_volume;
    out.local_spending_cents += a.local_spending, cash_pool += a.cash_pool, unit_pool += a.unit_pool;
    for (std::size_t k = 0; k < kSectors; ++k)
      out.revenue_cents[k] += a.revenue[k], out.market_revenue_cents[k] += a.market_revenue[k];
  }
  // Local supplies: bought from the territory's open firms, in proportion to their size, and
  // their revenue next week (invoices paid at a week's term); in units among barter members.
  {
    const auto parts = allocate_proportionally(cash_pool, cash_weights);
    for (std::size_t f = 0; f < n; ++f) supply_in_[f] += parts[f];
    if (unit_pool > 0) {
      const auto units = allocate_proportionally(unit_pool, unit_weights);
      for (std::size_t f = 0; f < n; ++f) units_[f] += units[f];
    }
  }
  // Turnover, after the calibration weeks. Entrants first, into places vacant since an earlier
  // week: a new firm of the same sector, commune and kind, with the opening cash of its reference
  // revenue. Then failures: at the sector's yearly rate (times stressed_failure_factor for a firm
  // on its overdraft), or after failure_weeks beyond the credit line. Banks write off a failed
  // firm's overdraft; cash it still holds goes to its creditors and owners, beyond the model; the
  // barter network writes off its units.
  std::vector<std::size_t> changed;  // sector x zone of the firms that opened or closed
  const auto cell = [&](std::size_t f) { return static_cast<std::size_t>(firms_.sector[f]) * zones + firms_.zone[f]; };
  if (week > calibration) {
    const double entry = -std::expm1(-1.0 / e.vacancy_weeks);
    for (std::size_t f = 0; f < n; ++f) {
      if (alive_[f] || random_.uniform(Purpose::FirmEntry, f, week) >= entry) continue;
      alive_[f] = 1, changed.push_back(cell(f));
      ++out.entered[static_cast<std::size_t>(firms_.sector[f])];
      cash_[f] = std::llround(e.initial_cash_weeks * static_cast<double>(reference_[f]));
      fl.opening_cash += cash_[f];
      activity_[f] = static_cast<double>(reference_[f]);
      weeks_over_[f] = 0, units_[f] = 0, member_since_[f] = -1;
    }
  }
  std::array<double, kSectors> hazard{}, stressed{};
  for (std::size_t s = 0; s < kSectors; ++s) {
    hazard[s] = -std::expm1(-e.failure_rate_per_year[s] / 52.0);
    stressed[s] = -std::expm1(-e.failure_rate_per_year[s] * e.stressed_failure_factor / 52.0);
  }
  for (std::size_t f = 0; f < n; ++f) {
    if (!alive_[f]) continue;
    const auto s = static_cast<std::size_t>(firms_.sector[f]);
    const auto limit =
        std::llround(e.credit_limit_weeks * static_cast<double>(reference_[f]) * levers.credit(firms_.zone[f]));
    weeks_over_[f] = cash_[f] < -limit ? weeks_over_[f] + 1 : 0;
    if (week <= calibration) continue;
    const bool fails = weeks_over_[f] >= e.failure_weeks ||
                       random_.uniform(Purpose::FirmFailure, f, week) < (cash_[f] < 0 ? stressed[s] : hazard[s]);
    if (!fails) continue;
    alive_[f] = 0, changed.push_back(cell(f));
    ++out.failed[s];
    cash_[f] += supply_in_[f], supply_in_[f] = 0;  // what other firms owe it, collected
    if (cash_[f] < 0) fl.written_off += -cash_[f];
    if (cash_[f] > 0) fl.liquidated += cash_[f];
    cash_[f] = 0, units_[f] = 0, member_since_[f] = -1;
  }
  if (!changed.empty()) update_providers(changed);
}

void Economy::barter(std::uint32_t week, const EconomyLevers& policy, int threads, EconomyWeek& out) {
  const auto& e = spec_.economy;
  const std::size_t n = firms_.size();
  EconomyFlows& fl = out.flows;
  const bool barter_open = barter_ != kNone && open_[barter_];
  const BarterSpec& b = spec_.barter;
  // Barter memberships: joining (Bass), and the yearly fee, partly paid by the authority.
  std::int64_t members = 0, potential = 0;
  for (std::size_t f = 0; f < n; ++f)
    if (alive_[f] && potential_[f]) ++potential, members += member_since_[f] >= 0;
  std::int64_t support_left = policy.support_budget_cents;
  if (barter_open) {
    const auto& ps = *platforms_[barter_].spec;
    const double base = (ps.bass_p + ps.bass_q * static_cast<double>(members) /
                                         static_cast<double>(std::max<std::int64_t>(1, potential))) /
                        52.0 * policy.barter_join_multiplier;
    const std::int64_t fee = cents(b.annual_fee_eur);
    // Joining: each firm's own draw, in parallel; then the fees, in firm order (the authority's
    // support runs out in that order).
    parallel_chunks(n, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t f = begin; f < end; ++f) {
        if (!alive_[f] || !potential_[f] || member_since_[f] >= 0) continue;
        const double rate = base * (cash_[f] < 0 ? b.stress_join_factor : 1.0);
        if (random_.uniform(Purpose::BarterJoin, f, week) < 1.0 - std::exp(-rate))
          member_since_[f] = static_cast<std::int32_t>(week);
      }
    });
    for (std::size_t f = 0; f < n; ++f) {
      if (!alive_[f] || member_since_[f] < 0) continue;
      if ((static_cast<std::int64_t>(week) - member_since_[f]) % 52 != 0) continue;
      const std::int64_t support = std::min(share(fee, policy.barter_fee_share), support_left);
      support_left -= support;
      cash_[f] -= fee - support;
      fl.barter_fees += fee - support;
      fl.barter_fee_support += support;
    }
  }
  for (std::size_t f = 0; f < n; ++f) {
    const auto s = static_cast<std::size_t>(firms_.sector[f]);
    out.cash_cents[s] += cash_[f];
    if (!alive_[f]) continue;
    ++out.alive[s];
    // Jobs: the local wage bill at the firm's smoothed activity, in full-time equivalents.
    const double recirc = firms_.chain[f] ? e.recirculation_chain : e.recirculation_independent;
    const double costs =
        e.fixed_cost_share * static_cast<double>(reference_[f]) + (1.0 - e.margin - e.fixed_cost_share) * activity_[f];
    out.jobs[s] += e.wage_share_of_local * recirc * costs / 100.0 / e.wage_eur_per_week;
    out.barter_members += member_since_[f] >= 0;
    if (cash_[f] < 0) out.overdraft_cents -= cash_[f];
  }
}

void Economy::treasuries(std::uint32_t week, const MarketWeek& market, const CarpoolWeek& carpool, const Levers& levers,
                         const EconomyLevers& policy, EconomyWeek& out) {
  const std::size_t p = platforms_.size();
  EconomyFlows& fl = out.flows;
  const auto& co = spec_.cooperatives;
  std::vector<std::int64_t> fees(p, 0), taxes(p, 0), users(p, 0), orders(p, 0);
  for (std::size_t c = 0; c < channels_.size(); ++c)
    if (channels_[c].platform != kNone) {
      fees[channels_[c].platform] += market.fee_cents[c];
      taxes[channels_[c].platform] += market.tax_cents[c];
      orders[channels_[c].platform] += market.purchases[c];
    }
  for (std::size_t q = 0; q < p && q < market.users.size(); ++q) users[q] = market.users[q];
  if (barter_ != kNone) {
    fees[barter_] += fl.barter_commissions + fl.barter_fees + fl.barter_fee_support;
    users[barter_] = out.barter_members;
  }
  for (std::size_t k = 0; k < carpool_.size(); ++k)  // their users are in market.users (the simulation's step)
    fees[carpool_[k]] += carpool.fees_cents[k], taxes[carpool_[k]] += carpool.tax_cents[k];
  const double retention = weekly_retention(co.depreciation_per_year);
  for (std::size_t q = 0; q < p; ++q) {
    const auto& ps = *platforms_[q].spec;
    const bool coop = platforms_[q].cooperative;
    users_ema_[q] = 0.8 * users_ema_[q] + 0.2 * static_cast<double>(users[q]);
    orders_ema_[q] = 0.8 * orders_ema_[q] + 0.2 * static_cast<double>(orders[q]);
    if (open_[q]) {
      fl.grants[q] = q < policy.grant_cents.size() ? policy.grant_cents[q] : 0;
      fl.equity[q] = q < policy.equity_cents.size() ? policy.equity_cents[q] : 0;
      fl.in_kind[q] = q < policy.in_kind_cents.size() ? policy.in_kind_cents[q] : 0;
      // Staff: the fixed team, more as the (smoothed) orders need it.
      staff_[q] = static_cast<double>(ps.staff);
      if (ps.orders_per_staff_week > 0) staff_[q] = std::max(staff_[q], orders_ema_[q] / ps.orders_per_staff_week);
      fl.staff[q] = std::llround(staff_[q] * static_cast<double>(cents(co.staff_wage_eur_per_week)));
      fl.running[q] = std::llround(static_cast<double>(cents(ps.fixed_cost_eur_per_week)) *
                                   (coop ? 1.0 - levers.pooled_share : 1.0));
      // What the volume costs: handling each order, the vehicles and couriers of the rounds.
      const auto rounds = q < market.rounds.size() ? market.rounds[q] : 0;
      fl.order_costs[q] = orders[q] * cents(ps.order_cost_eur) +
                          std::llround(static_cast<double>(rounds) * ps.round_km * ps.round_eur_per_km * 100.0);
      fl.couriers[q] =
          std::llround(static_cast<double>(rounds) * ps.round_minutes / 60.0 * co.courier_eur_per_hour * 100.0);
      // Investment out of the fees (an incumbent's, spent beyond the territory).
      fl.investment[q] = share(fees[q], ps.investment_share_of_fees);
    } else {
      staff_[q] = 0;
    }
    treasury_[q] += fees[q] + procurement_fees_[q] + fl.grants[q] + fl.equity[q] + fl.in_kind[q] - taxes[q] -
                    fl.staff[q] - fl.running[q] - fl.order_costs[q] - fl.couriers[q] - fl.investment[q];
    invested_[q] = invested_[q] * retention + static_cast<double>(fl.investment[q]) / 100.0;
    authority_equity_[q] += fl.equity[q];
    // An incumbent sends its margin out of the territory each week, keeping the cash it opened
    // with as a working balance (that cash was never a fee earned here).
    if (const std::int64_t kept = std::max<std::int64_t>(0, cents(ps.initial_treasury_eur));
        ps.fees_leave_territory && treasury_[q] > kept)
      fl.leaving[q] = treasury_[q] - kept, treasury_[q] = kept;
    if (coop && !ps.fees_leave_territory && week % 52 == 0) {
      // The SCIC's allocation of the year's surplus: reserves (at least 57.5 %), investment, refunds.
      const std::int64_t surplus = treasury_[q] - year_start_[q];
      if (surplus > 0 && open_[q]) {
        const std::int64_t invest = share(surplus, co.investment_share);
        fl.refunds[q] = share(surplus, 1.0 - co.reserve_share - co.investment_share);
        fl.investment[q] += invest;
        treasury_[q] -= invest + fl.refunds[q];
        invested_[q] += static_cast<double>(invest) / 100.0;
      }
      year_start_[q] = treasury_[q];
    }
    quality_[q] = platform_quality(co, users_ema_[q] + ps.national_users, invested_[q] + ps.national_investment_eur);
    if (open_[q]) {
      weeks_negative_[q] = treasury_[q] < 0 ? weeks_negative_[q] + 1 : 0;
      if (weeks_negative_[q] >= co.exit_weeks) open_[q] = 0;
    }
    out.treasury_cents[q] = treasury_[q];
    out.open[q] = open_[q];
    out.quality[q] = quality_[q];
    out.authority_equity_cents[q] = authority_equity_[q];
    out.capital_cents[q] = capital_[q];
    out.staff[q] = staff_[q];
  }
  // Responses to competition: each market platform's share of its market's platform customers
  // (smoothed), against the share at the end of the calibration weeks.
  std::array<double, kMarkets> market_users{};
  for (std::size_t q = 0; q < p; ++q)
    if (platforms_[q].market < kMarkets) market_users[platforms_[q].market] += users_ema_[q];
  const auto calibration = static_cast<std::uint32_t>(spec_.economy.calibration_weeks);
  for (std::size_t q = 0; q < p; ++q) {
    const std::size_t m = platforms_[q].market;
    if (m >= kMarkets) continue;
    const double share = market_users[m] > 0 ? users_ema_[q] / market_users[m] : 0.0;
    if (week <= calibration) reference_share_[q] = share;
    const double loss = reference_share_[q] > 0 ? std::max(0.0, 1.0 - share / reference_share_[q]) : 0.0;
    fee_factor_[q] = std::max(0.0, 1.0 - platforms_[q].spec->fee_response * loss);
  }
}

void Economy::governance(const MarketWeek& market, const CarpoolWeek& carpool, EconomyWeek& out) const {
  const auto& co = spec_.cooperatives;
  const std::size_t zones = territory_.zones.size(), p = platforms_.size();
  for (std::size_t q = 0; q < p; ++q) {
    const bool coop = platforms_[q].cooperative;
    if (!coop || !open_[q]) continue;
    // Members by college: workers, users, producers (sellers through it), local authorities, supporters.
    std::int64_t producers = 0;
    if (q == barter_) {
      producers = out.barter_members;
    } else if (platforms_[q].sector == "carpool") {
      const auto k = std::find(carpool_.begin(), carpool_.end(), q) - carpool_.begin();
      producers = carpool.drivers[static_cast<std::size_t>(k)];  // drivers sell the seats
    } else {
      Seller seller = Seller::None;
      for (const auto& ch : channels_)
        if (ch.platform == q) seller = ch.seller;
      if (seller == Seller::Households) {
        for (std::size_t c = 0; c < channels_.size(); ++c)
          if (channels_[c].platform == q) producers += market.purchases[c];
      } else if (static_cast<std::uint8_t>(seller) < kSectors && !market.orders.empty()) {
        const auto s = static_cast<std::size_t>(seller);
        std::vector<std::uint8_t> counted(zones, 0);
        for (std::size_t z = 0; z < zones; ++z) {
          if (market.orders[q * zones + z] == 0 || provider_[s][z] == kNoZone || counted[provider_[s][z]]) continue;
          counted[provider_[s][z]] = 1;
          for (std::uint32_t f : firms_in_[s * zones + provider_[s][z]]) producers += alive_[f];
        }
      }
    }
    std::array<std::int64_t, kColleges> m{std::llround(staff_[q]), std::llround(co.user_member_share * users_ema_[q]),
                                          producers, authority_equity_[q] > 0 ? 1 : 0, co.supporters};
    for (std::size_t c = 0; c < kColleges; ++c) m[c] += joined_[q * kColleges + c];
    double weights = 0;
    for (std::size_t c = 0; c < kColleges; ++c)
      if (m[c] > 0) weights += co.vote_weights[c];
    for (std::size_t c = 0; c < kColleges; ++c) {
      out.members[q * kColleges + c] = m[c];
      out.participants[q * kColleges + c] = std::llround(static_cast<double>(m[c]) * co.participation[c]);
      if (m[c] > 0 && weights > 0)
        out.seats[q * kColleges + c] = std::llround(static_cast<double>(co.board_seats) * co.vote_weights[c] / weights);
    }
  }
}

std::string Economy::save() const {
  Writer w;
  w.vector(cash_), w.vector(reference_), w.vector(units_), w.vector(supply_in_), w.vector(weeks_over_);
  w.vector(member_since_);
  w.vector(alive_), w.vector(activity_), w.vector(treasury_), w.vector(year_start_), w.vector(authority_equity_);
  w.vector(capital_), w.vector(weeks_negative_), w.vector(open_), w.vector(users_ema_), w.vector(invested_);
  w.vector(quality_), w.vector(joined_), w.vector(orders_ema_), w.vector(staff_), w.vector(reference_share_);
  w.vector(fee_factor_);
  return w.take();
}

void Economy::load(const std::string& bytes) {
  Reader r(bytes);
  auto firms = [&](auto& v) {
    using T = typename std::remove_reference_t<decltype(v)>::value_type;
    auto x = r.vector<T>();
    if (x.size() != v.size()) throw InputDataError("checkpoint is truncated or corrupt");
    v = std::move(x);
  };
  firms(cash_), firms(reference_), firms(units_), firms(supply_in_), firms(weeks_over_), firms(member_since_);
  firms(alive_);  // potential_ is drawn from the seed when the economy is built
  firms(activity_), firms(treasury_), firms(year_start_), firms(authority_equity_), firms(capital_);
  firms(weeks_negative_), firms(open_), firms(users_ema_), firms(invested_), firms(quality_), firms(joined_);
  firms(orders_ema_), firms(staff_), firms(reference_share_), firms(fee_factor_);
  update_providers();
}

void Economy::fund(std::size_t q, std::int64_t cash_cents, std::int64_t income_cents, std::int64_t capital_cents) {
  treasury_[q] += cash_cents;
  year_start_[q] += cash_cents - income_cents;  // not the year's surplus, but for its income
  capital_[q] += capital_cents;
}

void Economy::add_members(std::size_t q, std::size_t college, std::int64_t members) {
  joined_[q * kColleges + college] += members;
}

std::size_t Economy::bytes() const noexcept {
  return (cash_.capacity() + reference_.capacity() + units_.capacity() + supply_in_.capacity()) * sizeof(std::int64_t) +
         activity_.capacity() * sizeof(double) + potential_.capacity() +
         (weeks_over_.capacity() + member_since_.capacity()) * sizeof(std::int32_t) + alive_.capacity();
}

}  // namespace coopterra
