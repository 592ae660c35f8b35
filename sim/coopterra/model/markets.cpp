#include "coopterra/model/markets.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "coopterra/core/error.hpp"
#include "coopterra/core/parallel.hpp"

namespace coopterra {

std::vector<PlatformInfo> list_platforms(const Spec& spec) {
  std::vector<PlatformInfo> out;
  auto add = [&](const std::string& sector, std::size_t market, bool coop, const MarketPlatformSpec& p) {
    for (std::int64_t k = 0; k < p.count; ++k)
      out.push_back({p.count > 1 ? p.name + " " + std::to_string(k + 1) : p.name, sector, market, coop, &p});
  };
  for (std::size_t m = 0; m < kMarkets; ++m) {
    add(market_key(m), m, true, spec.markets.market[m].cooperative);
    add(market_key(m), m, false, spec.markets.market[m].incumbent);
  }
  add("barter", kMarkets, true, spec.barter.cooperative);
  return out;
}

namespace {

constexpr std::size_t kNoPlatform = static_cast<std::size_t>(-1);

// Who sells through each channel of each market (see docs/model.md).
Seller offline_seller(std::size_t m) {
  constexpr Seller s[kMarkets] = {Seller::Shops, Seller::Restaurants,  Seller::Shops,
                                  Seller::Shops, Seller::ServiceFirms, Seller::TourismHosts};
  return s[m];
}
Seller platform_seller(std::size_t m, bool cooperative) {
  constexpr Seller coop[kMarkets] = {Seller::Producers,  Seller::Restaurants, Seller::Outside,
                                     Seller::Households, Seller::Households,  Seller::TourismHosts};
  constexpr Seller incumbent[kMarkets] = {Seller::Outside, Seller::Restaurants, Seller::Outside,
                                          Seller::Outside, Seller::Households,  Seller::Households};
  return cooperative ? coop[m] : incumbent[m];
}
Seller alternative_seller(std::size_t m) {
  constexpr Seller s[kMarkets] = {Seller::None, Seller::None, Seller::Shops,
                                  Seller::None, Seller::None, Seller::Outside};
  return s[m];
}
// kSpread[b] has byte o set to bit o of b: counts per bit add up byte by byte.
constexpr std::array<std::uint64_t, 256> spread_table() {
  std::array<std::uint64_t, 256> t{};
  for (std::size_t b = 0; b < 256; ++b)
    for (std::size_t o = 0; o < 8; ++o)
      if ((b >> o) & 1u) t[b] |= std::uint64_t{1} << (8 * o);
  return t;
}
constexpr auto kSpread = spread_table();

bool is_firm(Seller s) {
  return static_cast<std::uint8_t>(s) < kSectors;
}

// Per-thread sums of one week (integers only: see parallel_accumulate).
struct Sums {
  std::vector<std::int64_t> purchases, paid, fee, tax, seller, grams, by_kind, by_income, buyers_by_kind;
  std::vector<std::int64_t> aware, users, orders, firm_income;
  std::int64_t households = 0;
};

}  // namespace

MarketModel::MarketModel(const Territory& territory, const Residents& residents, const Spec& spec,
                         const std::vector<PlatformInfo>& platforms, const Random& random)
    : territory_(territory), residents_(residents), spec_(spec), platforms_(platforms), random_(random) {
  std::size_t p = 0;
  for (std::size_t m = 0; m < kMarkets; ++m) {
    first_channel_[m] = channels_.size();
    platform_of_[m].fill(kNoPlatform);
    const std::string key = market_key(m);
    channels_.push_back({Channel::Offline, m, 0, kNoPlatform, offline_seller(m), key + "/offline"});
    for (; p < platforms_.size() && platforms_[p].market == m; ++p) {
      const std::size_t option = channels_.size() - first_channel_[m];
      platform_of_[m][option] = p;
      channels_.push_back({platforms_[p].cooperative ? Channel::Cooperative : Channel::Incumbent, m, option, p,
                           platform_seller(m, platforms_[p].cooperative), key + "/" + platforms_[p].name});
    }
    if (spec.markets.market[m].alternative)
      channels_.push_back({Channel::Alternative, m, channels_.size() - first_channel_[m], kNoPlatform,
                           alternative_seller(m), key + "/alternative"});
    ensure(channels_.size() - first_channel_[m] <= kMaxChannels, "markets: too many channels in a market");
  }
  first_channel_[kMarkets] = channels_.size();
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < options(m); ++o) {
      const std::size_t q = platform_of_[m][o];
      if (q == kNoPlatform) continue;
      platform_mask_[m] = static_cast<std::uint8_t>(platform_mask_[m] | (1u << o));
      if (platforms_[q].cooperative) coop_mask_[m] = static_cast<std::uint8_t>(coop_mask_[m] | (1u << o));
    }
  serves_.assign(platforms_.size(), std::vector<std::uint8_t>(3, 1));
  for (std::size_t q = 0; q < platforms_.size(); ++q) {
    const auto& serves = platforms_[q].spec->serves;
    if (serves.empty()) continue;
    for (std::size_t k = 0; k < 3; ++k)
      serves_[q][k] = std::find(serves.begin(), serves.end(), to_string(static_cast<ZoneKind>(k))) != serves.end();
  }
  // Awareness at week 0; no purchase yet.
  const std::size_t n = residents_.size();
  state_.assign(n, State{});
  next_.assign(n, State{});
  parallel_chunks(n, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      State s{};
      for (std::size_t m = 0; m < kMarkets; ++m) {
        s[kMarkets + m] = kNoChannel;
        for (std::size_t o = 1; o < options(m); ++o) {
          const std::size_t q = platform_of_[m][o];
          if (q == kNoPlatform) continue;
          const double u =
              random_.uniform(Purpose::InitialMarketAwareness, i, 0, static_cast<std::uint16_t>(m * 8 + o));
          if (u < platforms_[q].spec->initial_awareness) s[m] |= static_cast<std::uint8_t>(1u << o);
        }
      }
      state_[i] = s;
    }
  });
}

MarketWeek MarketModel::step(std::uint32_t week, const MarketLevers& levers, const std::vector<std::uint8_t>& open,
                             const std::vector<double>& quality,
                             const std::vector<std::vector<std::uint32_t>>& provider, int threads) {
  const std::size_t n = residents_.size(), zones = territory_.zones.size(), channels = channels_.size();
  const std::size_t platforms = platforms_.size();
  const std::uint32_t k = residents_.ties_per_resident;
  const auto& ms = spec_.markets;
  // Weekly awareness hazard by number of aware ties, per platform.
  std::vector<std::vector<double>> hazard(platforms, std::vector<double>(k + 1, 0.0));
  for (std::size_t q = 0; q < platforms; ++q)
    for (std::uint32_t a = 0; a <= k; ++a)
      hazard[q][a] = 1.0 - std::exp(-(platforms_[q].spec->bass_p +
                                      platforms_[q].spec->bass_q * static_cast<double>(a) / std::max(1u, k)) /
                                    52.0);
  // Chance of a need this week, by market.
  std::array<double, kMarkets> need{};
  const double week_of_year = static_cast<double>((week - 1) % 52 + 1);
  for (std::size_t m = 0; m < kMarkets; ++m) {
    const auto& s = ms.market[m];
    const double season = 1.0 + s.seasonality * std::cos(2.0 * std::numbers::pi *
                                                         (week_of_year - static_cast<double>(s.peak_week)) / 52.0);
    need[m] = std::clamp(s.events_per_week * season, 0.0, 1.0);
  }
  const double vot = spec_.carpool.value_of_time_eur_per_hour / 60.0;  // EUR per minute
  const double car_cost = spec_.carpool.car_cost_eur_per_km;
  const double car_kg = spec_.emissions.thermal_car_kg_per_km * (1.0 - spec_.population.electric_car_share) +
                        spec_.emissions.electric_car_kg_per_km * spec_.population.electric_car_share;
  const double speed = spec_.territory.road_speed_kmh;

  Sums zero;
  zero.purchases.assign(channels, 0), zero.paid = zero.fee = zero.tax = zero.seller = zero.grams = zero.purchases;
  zero.by_kind.assign(channels * 3, 0), zero.by_income.assign(channels * kIncomeGroups, 0);
  zero.buyers_by_kind.assign(kMarkets * 3, 0);
  zero.aware.assign(platforms, 0), zero.users.assign(platforms, 0), zero.orders.assign(platforms * zones, 0);
  zero.firm_income.assign(kSectors * zones, 0);

  const auto sums = parallel_accumulate(n, threads, zero, [&](std::size_t begin, std::size_t end, Sums& acc) {
    for (std::size_t i = begin; i < end; ++i) {
      const State& old = state_[i];
      const std::uint32_t home = residents_.home[i];
      const auto kind = static_cast<std::size_t>(territory_.zones.kind[home]);
      // What the ties know and did, per market: counts per option packed one byte each in a
      // 64-bit word (at most 64 ties), so that each tie costs one addition per market.
      std::array<std::uint64_t, kMarkets> aware_ties{}, last_ties{};
      for (std::uint32_t t = 0; t < k; ++t) {
        const State& tie = state_[residents_.ties[i * k + t]];
        for (std::size_t m = 0; m < kMarkets; ++m) {
          aware_ties[m] += kSpread[tie[m]];
          const std::uint8_t last = tie[kMarkets + m];
          last_ties[m] += last == kNoChannel ? 0u : std::uint64_t{1} << (8u * last);
        }
      }
      auto count_of = [](std::uint64_t packed, std::size_t o) { return (packed >> (8u * o)) & 0xffu; };
      bool aware_of_coop = false;
      for (std::size_t m = 0; m < kMarkets; ++m) aware_of_coop = aware_of_coop || (old[m] & coop_mask_[m]);
      // Whether each market's need arises this week: four uniforms per draw.
      const auto need_a = random_.bits(Purpose::MarketNeed, i, week, 0);
      const auto need_b = random_.bits(Purpose::MarketNeed, i, week, 1);
      State next = old;
      const bool online = residents_.has(i, Residents::Online), car = residents_.has(i, Residents::HasCar);
      const double attitude = static_cast<double>(residents_.coop_attitude[i]) - 0.5;
      const std::size_t income = std::min<std::size_t>(kIncomeGroups - 1, (residents_.income_decile[i] - 1u) / 2u);
      for (std::size_t m = 0; m < kMarkets; ++m) {
        const auto& s = ms.market[m];
        const std::size_t first = first_channel_[m], count = options(m);
        // Awareness of the platforms not known yet (no draw when all are known).
        if ((next[m] & platform_mask_[m]) != platform_mask_[m]) {
          const auto a = random_.open_uniform4(Purpose::MarketAwareness, i, week, static_cast<std::uint16_t>(2 * m));
          std::array<double, 4> b{};
          if (count > 5)
            b = random_.open_uniform4(Purpose::MarketAwareness, i, week, static_cast<std::uint16_t>(2 * m + 1));
          for (std::size_t o = 1; o < count; ++o) {
            const std::size_t q = platform_of_[m][o];
            if (q == kNoPlatform || ((next[m] >> o) & 1u)) continue;
            double stay = (1.0 - hazard[q][count_of(aware_ties[m], o)]) * (1.0 - levers.reach(q, home));
            if (platforms_[q].cooperative && aware_of_coop) stay *= 1.0 - levers.cross_reach;
            const double u = o <= 4 ? a[o - 1] : b[o - 5];
            if (u < 1.0 - stay) next[m] |= static_cast<std::uint8_t>(1u << o);
          }
        }
        // The need.
        double chance = need[m];
        if (m == static_cast<std::size_t>(MarketId::Delivery) && !levers.delivery_factor.empty())
          chance = std::min(1.0, chance * levers.delivery_factor[home]);
        if (m == static_cast<std::size_t>(MarketId::Tourism) && !levers.travel_banned.empty() &&
            levers.travel_banned[home])
          chance = 0.0;
        if (Random::to_open_unit(m < 4 ? need_a[m] : need_b[m - 4]) >= chance) continue;
        ++acc.buyers_by_kind[m * 3 + kind];
        // The choice.
        const auto g1 = random_.open_uniform4(Purpose::MarketChoice, i, week, static_cast<std::uint16_t>(2 * m));
        std::array<double, 4> g2{};
        if (count > 4)
          g2 = random_.open_uniform4(Purpose::MarketChoice, i, week, static_cast<std::uint16_t>(2 * m + 1));
        const double basket_cents = s.basket_eur * 100.0;
        double best = -1e300;
        std::size_t chosen = kMaxChannels;
        std::uint32_t chosen_provider = kNoZone;
        double chosen_km = 0;
        for (std::size_t o = 0; o < count; ++o) {
          const Channel& c = channels_[first + o];
          std::uint32_t from = kNoZone;
          if (is_firm(c.seller)) {
            from = provider[static_cast<std::size_t>(c.seller)][home];
            if (from == kNoZone) continue;  // no firm left to sell
          }
          double utility = 0, km = 0, minutes = 0;
          const double social =
              k ? ms.beta_social * static_cast<double>(count_of(last_ties[m], o)) / static_cast<double>(k) : 0.0;
          if (c.kind == Channel::Offline) {
            if (m == static_cast<std::size_t>(MarketId::Delivery) && !levers.restaurants_closed.empty() &&
                levers.restaurants_closed[home])
              continue;
            if (from == home) {
              km = s.local_trip_km, minutes = s.local_trip_km / speed * 60.0;
            } else {
              km = 2.0 * static_cast<double>(territory_.road_km(home, from));
              minutes = 2.0 * static_cast<double>(territory_.road_minutes(home, from));
            }
            utility = -s.beta_cost_per_eur * (s.basket_eur + (car ? km * car_cost : 0.0) + minutes * vot) + social;
            if (!levers.offline_penalty.empty()) utility -= levers.offline_penalty[home];
          } else if (c.kind == Channel::Alternative) {
            utility = s.alternative_asc - s.beta_cost_per_eur * s.basket_eur * s.alternative_price_factor + social;
          } else {
            const std::size_t q = c.platform;
            if (!online || !((next[m] >> o) & 1u) || !open[q] || !serves_[q][kind]) continue;
            const auto& ps = *platforms_[q].spec;
            km = ps.customer_trip_km, minutes = km / speed * 60.0;
            const double price =
                s.basket_eur * ps.price_factor * (1.0 + ps.customer_fee * levers.commission_factor(q, home));
            utility = ps.asc - s.beta_cost_per_eur * (price + (car ? km * car_cost : 0.0) + minutes * vot) +
                      ms.beta_quality * quality[q] + social;
            if (c.kind == Channel::Cooperative) utility += ms.beta_coop_attitude * attitude;
          }
          const double u = o < 4 ? g1[o] : g2[o - 4];
          utility -= std::log(-std::log(u));
          if (utility > best) best = utility, chosen = o, chosen_provider = from, chosen_km = km;
        }
        if (chosen == kMaxChannels) continue;  // nothing available: the need goes unmet
        next[kMarkets + m] = static_cast<std::uint8_t>(chosen);
        const std::size_t ch = first + chosen;
        const Channel& c = channels_[ch];
        std::int64_t paid = 0, fee = 0, tax = 0, seller = 0;
        double kg = 0;
        if (c.kind == Channel::Offline) {
          paid = seller = std::llround(basket_cents);
          kg = s.offline_kg_per_event;
        } else if (c.kind == Channel::Alternative) {
          paid = seller = c.seller == Seller::None ? 0 : std::llround(basket_cents * s.alternative_price_factor);
          kg = s.alternative_kg_per_event;
        } else {
          const std::size_t q = c.platform;
          const auto& ps = *platforms_[q].spec;
          const double factor = levers.commission_factor(q, home);
          const std::int64_t base = std::llround(basket_cents * ps.price_factor);
          const std::int64_t buyer_fee = std::llround(static_cast<double>(base) * ps.customer_fee * factor);
          const std::int64_t seller_fee = std::llround(static_cast<double>(base) * ps.commission * factor);
          paid = base + buyer_fee;
          fee = buyer_fee + seller_fee;
          seller = base - seller_fee;
          tax = std::llround(static_cast<double>(fee) * levers.tax(q, home));
          kg = ps.kg_per_event;
          ++acc.orders[q * zones + home];
        }
        if (car) kg += chosen_km * car_kg;
        ++acc.purchases[ch];
        acc.paid[ch] += paid, acc.fee[ch] += fee, acc.tax[ch] += tax, acc.seller[ch] += seller;
        acc.grams[ch] += std::llround(kg * 1000.0);
        ++acc.by_kind[ch * 3 + kind];
        ++acc.by_income[ch * kIncomeGroups + income];
        acc.households -= paid;
        if (c.seller == Seller::Households) acc.households += seller;
        if (is_firm(c.seller)) acc.firm_income[static_cast<std::size_t>(c.seller) * zones + chosen_provider] += seller;
      }
      for (std::size_t m = 0; m < kMarkets; ++m)
        for (std::size_t o = 1; o < options(m); ++o) {
          const std::size_t q = platform_of_[m][o];
          if (q == kNoPlatform) continue;
          acc.aware[q] += (next[m] >> o) & 1u;
          acc.users[q] += next[kMarkets + m] == o;
        }
      next_[i] = next;
    }
  });
  state_.swap(next_);

  MarketWeek w;
  w.purchases = zero.purchases, w.paid_cents = zero.paid, w.fee_cents = zero.fee, w.tax_cents = zero.tax;
  w.seller_cents = zero.seller, w.co2e_grams = zero.grams, w.purchases_by_zone_kind = zero.by_kind;
  w.purchases_by_income = zero.by_income, w.buyers_by_zone_kind = zero.buyers_by_kind, w.aware = zero.aware;
  w.users = zero.users, w.firm_income_cents = zero.firm_income;
  std::vector<std::int64_t> orders = zero.orders;
  auto add = [](std::vector<std::int64_t>& to, const std::vector<std::int64_t>& from) {
    for (std::size_t j = 0; j < to.size(); ++j) to[j] += from[j];
  };
  for (const Sums& s : sums) {
    add(w.purchases, s.purchases), add(w.paid_cents, s.paid), add(w.fee_cents, s.fee), add(w.tax_cents, s.tax);
    add(w.seller_cents, s.seller), add(w.co2e_grams, s.grams), add(w.purchases_by_zone_kind, s.by_kind);
    add(w.purchases_by_income, s.by_income), add(w.buyers_by_zone_kind, s.buyers_by_kind), add(w.aware, s.aware);
    add(w.users, s.users), add(w.firm_income_cents, s.firm_income), add(orders, s.orders);
    w.households_net_cents += s.households;
  }
  // Delivery rounds: a round leaves for the orders of a commune, even half empty.
  w.rounds.assign(platforms, 0);
  for (std::size_t c = 0; c < channels; ++c) {
    const Channel& ch = channels_[c];
    if (ch.platform == kNoPlatform) continue;
    const auto& ps = *platforms_[ch.platform].spec;
    if (ps.round_km <= 0) continue;
    const auto per_round = static_cast<std::int64_t>(std::max(1.0, std::floor(ps.orders_per_round)));
    const std::int64_t grams = std::llround(ps.round_km * ps.vehicle_kg_per_km * 1000.0);
    for (std::size_t z = 0; z < zones; ++z) {
      const std::int64_t o = orders[ch.platform * zones + z];
      const std::int64_t rounds = (o + per_round - 1) / per_round;
      w.rounds[ch.platform] += rounds;
      w.co2e_grams[c] += rounds * grams;
    }
  }
  w.orders = std::move(orders);
  return w;
}

}  // namespace coopterra
