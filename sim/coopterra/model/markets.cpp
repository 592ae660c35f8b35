#include "coopterra/model/markets.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "coopterra/core/error.hpp"
#include "coopterra/core/huge_pages.hpp"
#include "coopterra/core/parallel.hpp"

namespace coopterra {

std::vector<PlatformInfo> list_platforms(const Spec& spec) {
  std::vector<PlatformInfo> out;
  auto add = [&](const std::string& sector, std::size_t market, bool coop, const MarketPlatformSpec& p) {
    for (std::int64_t k = 0; k < p.count; ++k)
      out.push_back({p.count > 1 ? p.name + " " + std::to_string(k + 1) : p.name, sector,
                     coop ? "cooperative" : "incumbent", market, coop, &p});
  };
  for (std::size_t m = 0; m < kMarkets; ++m) {
    add(market_key(m), m, true, spec.markets.market[m].cooperative);
    add(market_key(m), m, false, spec.markets.market[m].incumbent);
  }
  add("barter", kMarkets, true, spec.barter.cooperative);
  for (const auto& c : carpool_platform_list(spec.carpool))
    out.push_back({c.platform->name, "carpool", c.key, kMarkets, c.cooperative, c.platform});
  return out;
}

std::vector<std::size_t> carpool_platforms(const std::vector<PlatformInfo>& platforms) {
  std::vector<std::size_t> out;
  for (std::size_t q = 0; q < platforms.size(); ++q)
    if (platforms[q].sector == "carpool") out.push_back(q);
  ensure(!out.empty(), "no carpool platform in the list of platforms");
  return out;
}

std::size_t carpool_target(const std::vector<PlatformInfo>& platforms, const std::string& name) {
  const auto carpool = carpool_platforms(platforms);
  for (std::size_t q : carpool)
    if (platforms[q].key == name) return q;
  for (std::size_t q : carpool)
    if (platforms[q].cooperative == (name == "cooperative")) return q;
  return carpool.front();
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
bool is_firm(Seller s) {
  return static_cast<std::uint8_t>(s) < kSectors;
}

// kLastSpread[f] counts the option f - 1 of a last-option field f (0: none) in its byte: summed
// over ties, the ties by last option in one market, one byte per option (at most 64 ties).
constexpr std::array<std::uint64_t, 16> last_spread_table() {
  std::array<std::uint64_t, 16> t{};
  for (std::size_t f = 1; f <= kMaxChannels; ++f) t[f] = std::uint64_t{1} << (8 * (f - 1));
  return t;
}
constexpr auto kLastSpread = last_spread_table();

// A resident's week draws from their Stream at fixed positions: 32-bit draws two per slot (draw d
// is half d % 2 of slot d / 2, as StreamPairs reads them) for awareness and needs, a whole slot
// for each choice. The low 24 bits of the
// awareness draw of platform q at draw q (slots 0-17), its high byte in byte q % 8 of slot
// 18 + q / 8; the need of market m at draw 64 + m (slots 32-34); the exponential of option o of
// market m from slot 64 + 8m + o.
constexpr std::uint32_t kAwareDraw = 0, kAwareLaneSlot = 18, kNeedDraw = 64, kChoiceSlot = 64;
// The slot of Sums::last that takes the change of a first purchase (no last option before): a
// bin, emptied before the sums are used.
constexpr std::size_t kNoSlot = 63;
// Slots of first bytes of the awareness draws: eight platforms each.
constexpr std::size_t kAwareSlots = (MarketModel::kLastShift + 7) / 8;
static_assert(8 * kMarkets <= kNoSlot, "the bin of Sums::last is no market's option");
static_assert(kChoiceSlot + 8 * kMarkets <= 120, "the markets' slots end where carpooling's begin (random.hpp)");
static_assert(kAwareDraw + MarketModel::kLastShift <= 2 * kAwareLaneSlot &&
                  kAwareLaneSlot + kAwareSlots <= kNeedDraw / 2 && kNeedDraw % 2 == 0 && kMarkets % 2 == 0 &&
                  kNeedDraw / 2 + kMarkets / 2 <= kChoiceSlot,
              "awareness and needs: draws and slots apart");
// Largest utility gap turned into a weight by exp() (see prepare()).
constexpr double kWidestUtilities = 600.0;

}  // namespace

MarketModel::MarketModel(const Territory& territory, const Residents& residents, const Spec& spec,
                         const std::vector<PlatformInfo>& platforms, const Random& random, int threads)
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
  // The platforms of a market are consecutive in the platform list: options 1 to count.
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < options(m); ++o) {
      const std::size_t q = platform_of_[m][o];
      if (q == kNoPlatform) continue;
      ensure(q < kLastShift && q == platform_of_[m][1] + o - 1, "markets: platforms out of order");
      if (o == 1) first_platform_[m] = static_cast<std::uint8_t>(q);
      options_mask_[m] = static_cast<std::uint8_t>((options_mask_[m] << 1) | 1u);
      platform_bits_ |= std::uint64_t{1} << q;
      if (platforms_[q].cooperative) {
        coop_bits_ |= std::uint64_t{1} << q;
        coop_options_[m] = static_cast<std::uint8_t>(coop_options_[m] | (1u << o));
      }
    }
  aware_slots_ = platform_bits_ ? static_cast<std::uint32_t>((63 - std::countl_zero(platform_bits_)) / 8 + 1) : 0;
  draw_of_.assign(platforms_.size(), 0);
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < options(m); ++o)
      if (const std::size_t q = platform_of_[m][o]; q != kNoPlatform)
        draw_of_[q] = static_cast<std::uint16_t>(m * 8 + o);
  serves_.assign(platforms_.size(), std::vector<std::uint8_t>(3, 1));
  for (std::size_t q = 0; q < platforms_.size(); ++q) {
    const auto& serves = platforms_[q].spec->serves;
    if (serves.empty()) continue;
    for (std::size_t k = 0; k < 3; ++k)
      serves_[q][k] = std::find(serves.begin(), serves.end(), to_string(static_cast<ZoneKind>(k))) != serves.end();
  }
  // Engel factors: a quintile's chance of each market's need relative to the market's mean, from
  // the national deciles' incomes, (income / mean)^elasticity renormalised over the ten deciles.
  const auto& y = spec_.population.income_eur_by_decile;
  engel_.assign(kMarkets * kIncomeGroups, 1.0);
  if (y.size() == 10) {
    double mean = 0;
    for (double v : y) mean += v / 10.0;
    for (std::size_t m = 0; m < kMarkets && mean > 0; ++m) {
      const double e = spec_.markets.market[m].income_elasticity;
      double norm = 0;
      for (double v : y) norm += std::pow(v / mean, e) / 10.0;
      for (std::size_t g = 0; g < kIncomeGroups; ++g)
        engel_[m * kIncomeGroups + g] = (std::pow(y[2 * g] / mean, e) + std::pow(y[2 * g + 1] / mean, e)) / 2.0 / norm;
    }
  }
  // Awareness at week 0; no purchase yet.
  const std::size_t n = residents_.size();
  reserve_on_huge_pages(state_, n), reserve_on_huge_pages(next_, n);
  state_.assign(n, State{});
  next_.assign(n, State{});
  // Who is within each platform's potential: the same draw, kept as bits (model/awareness.hpp).
  within_.assign(n, 0);
  parallel_chunks(n, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      State s{};
      std::uint64_t within = 0;
      for (std::size_t m = 0; m < kMarkets; ++m)
        for (std::size_t o = 1; o < options(m); ++o) {
          const std::size_t q = platform_of_[m][o];
          if (q == kNoPlatform) continue;
          const double u = awareness_draw(i, q);
          if (u < platforms_[q].spec->initial_awareness) s.bits |= std::uint64_t{1} << q;
          if (u < awareness_potential(*platforms_[q].spec)) within |= std::uint64_t{1} << q;
        }
      state_[i] = s;
      within_[i] = within;
    }
  });
  count_totals();
}

double MarketModel::awareness_draw(std::size_t resident, std::size_t platform) const noexcept {
  return random_.uniform(Purpose::InitialMarketAwareness, resident, 0, draw_of_[platform]);
}

void MarketModel::set_state(const std::vector<State>& state) {
  ensure(state.size() == state_.size(), "markets: a state for another population");
  std::copy(state.begin(), state.end(), state_.begin());  // into the buffer on huge pages
  count_totals();
}

void MarketModel::count_totals() {
  aware_total_.fill(0), last_total_.fill(0);
  for (const State& s : state_) {
    for (std::uint64_t b = s.bits & platform_bits_; b; b &= b - 1)
      ++aware_total_[static_cast<std::size_t>(std::countr_zero(b))];
    for (std::size_t m = 0; m < kMarkets; ++m)
      if (const std::uint8_t o = last_option(s, m); o != kNoChannel) ++last_total_[8 * m + o];
  }
}

struct MarketModel::Sums {
  std::vector<std::int64_t> purchases;           // zone x channel x car
  std::vector<std::int64_t> by_income;           // channel x income group
  std::vector<std::int64_t> buyers;              // market x zone kind
  std::array<std::int64_t, 64> aware{}, last{};  // changes in the residents with each state bit

  // The field list of a thread's sums (core/fields.hpp): the per-thread merge. Integers: exact in
  // any order.
  template <class V, class... W>
  static void fields(V&& v, W&... w) {
    v(kept("purchases"), w.purchases...);
    v(kept("by_income"), w.by_income...);
    v(kept("buyers"), w.buyers...);
    v(kept("aware"), w.aware...);
    v(kept("last"), w.last...);
  }
};

void MarketModel::prepare_draws(std::uint32_t week, const Levers& levers) {
  const std::size_t zones = territory_.zones.size(), platforms = platforms_.size();
  const std::uint32_t k = residents_.ties_per_resident;
  const auto& ms = spec_.markets;
  // Awareness: Bass over the ties, campaigns in the zone, the common banner (model/awareness.hpp).
  // Carpooling's campaigns are in the same levers (its platforms are in the list): the carpool model's.
  std::vector<std::uint8_t> own(platforms);
  bool campaigns = false;
  for (std::size_t q = 0; q < platforms; ++q) {
    own[q] = platforms_[q].sector != "carpool";
    campaigns = campaigns || (own[q] && !levers.campaign_reach[q].empty());
  }
  hazards_.build(
      platforms, k, zones, campaigns,
      [&](std::size_t q) {
        return std::pair{platforms_[q].spec->bass_p, platforms_[q].spec->bass_q};
      },
      [&](std::size_t q, std::uint32_t z) { return own[q] ? levers.reach(q, z) : 0.0; },
      [&](std::size_t q) { return platforms_[q].cooperative ? levers.cross_reach : 0.0; });
  social_.resize(k + 1);
  for (std::uint32_t a = 0; a <= k; ++a)
    social_[a] = k ? std::exp(-ms.beta_social * static_cast<double>(a) / static_cast<double>(k)) : 1.0;

  // Needs, by zone (shocks act by zone) and income quintile: the market's chance of a need, the
  // season's, times the quintile's Engel factor and the households' budget of the week.
  const double week_of_year = static_cast<double>((week - 1) % 52 + 1);
  need_.resize(zones * kMarkets * kIncomeGroups);
  for (std::size_t m = 0; m < kMarkets; ++m) {
    const auto& s = ms.market[m];
    const double season = 1.0 + s.seasonality * std::cos(2.0 * std::numbers::pi *
                                                         (week_of_year - static_cast<double>(s.peak_week)) / 52.0);
    const double budget = std::pow(budget_factor_, s.income_elasticity);
    for (std::size_t g = 0; g < kIncomeGroups; ++g) {
      const double chance = std::clamp(s.events_per_week * season * engel_[m * kIncomeGroups + g] * budget, 0.0, 1.0);
      for (std::size_t z = 0; z < zones; ++z) {
        double c = chance;
        if (m == static_cast<std::size_t>(MarketId::Delivery) && !levers.delivery_factor.empty())
          c = std::min(1.0, c * levers.delivery_factor[z]);
        if (m == static_cast<std::size_t>(MarketId::Tourism) && !levers.travel_banned.empty() &&
            levers.travel_banned[z])
          c = 0.0;
        need_[(z * kMarkets + m) * kIncomeGroups + g] = StreamPairs::threshold32(c);
      }
    }
  }
}

void MarketModel::prepare_choices(const Levers& levers, const std::vector<std::uint8_t>& open,
                                  const std::vector<double>& quality,
                                  const std::vector<std::vector<std::uint32_t>>& provider) {
  const std::size_t zones = territory_.zones.size(), channels = channels_.size();
  const auto& ms = spec_.markets;
  // Utilities without the resident's own terms (social influence, attitude), by zone and car.
  const double vot = spec_.carpool.value_of_time_eur_per_hour / 60.0;  // EUR per minute
  const double car_cost = spec_.carpool.car_cost_eur_per_km;
  const double speed = spec_.territory.road_speed_kmh;
  weight_.assign(zones * kMarkets * kMaxChannels * 2, 0.0);
  utility_.assign(zones * kMarkets * kMaxChannels * 2, 0.0);
  wide_.assign(zones * kMarkets * 2, 0);
  avail_.assign(zones * kMarkets, 0);
  from_.assign(zones * channels, kNoZone);
  km_.assign(zones * channels, 0.0);
  for (std::size_t z = 0; z < zones; ++z) {
    const auto home = static_cast<std::uint32_t>(z);
    const auto kind = static_cast<std::size_t>(territory_.zones.kind[z]);
    for (std::size_t m = 0; m < kMarkets; ++m) {
      const auto& s = ms.market[m];
      std::array<std::array<double, 2>, kMaxChannels> utility{};
      std::array<double, 2> best{-1e300, -1e300};
      std::uint8_t mask = 0;
      for (std::size_t o = 0; o < options(m); ++o) {
        const std::size_t ch = first_channel_[m] + o;
        const Channel& c = channels_[ch];
        std::uint32_t from = kNoZone;
        if (is_firm(c.seller)) {
          from = provider[static_cast<std::size_t>(c.seller)][z];
          if (from == kNoZone) continue;  // no firm left to sell
        }
        double base = 0, km = 0, minutes = 0, per_km = car_cost;
        if (c.kind == Channel::Offline) {
          if (m == static_cast<std::size_t>(MarketId::Delivery) && !levers.restaurants_closed.empty() &&
              levers.restaurants_closed[z])
            continue;
          if (from == home) {
            km = s.local_trip_km, minutes = s.local_trip_km / speed * 60.0;
          } else {
            km = 2.0 * static_cast<double>(territory_.road_km(home, from));
            minutes = 2.0 * static_cast<double>(territory_.road_minutes(home, from));
          }
          base = -s.beta_cost_per_eur * (s.basket_eur + minutes * vot);
          if (!levers.offline_penalty.empty()) base -= levers.offline_penalty[z];
        } else if (c.kind == Channel::Alternative) {
          base = s.alternative_asc - s.beta_cost_per_eur * s.basket_eur * s.alternative_price_factor;
          per_km = 0;
        } else {
          const std::size_t q = c.platform;
          if (!open[q] || !serves_[q][kind]) continue;
          const auto& ps = *platforms_[q].spec;
          km = ps.customer_trip_km, minutes = km / speed * 60.0;
          const double price =
              s.basket_eur * ps.price_factor * (1.0 + ps.customer_fee * levers.commission_factor(q, home));
          base = ps.asc - s.beta_cost_per_eur * (price + minutes * vot) + ms.beta_quality * quality[q];
        }
        mask = static_cast<std::uint8_t>(mask | (1u << o));
        from_[z * channels + ch] = from;
        km_[z * channels + ch] = km;
        utility[o] = {base, base - s.beta_cost_per_eur * km * per_km};
        for (std::size_t car = 0; car < 2; ++car) best[car] = std::max(best[car], utility[o][car]);
      }
      avail_[z * kMarkets + m] = mask;
      double* w = &weight_[(z * kMarkets + m) * kMaxChannels * 2];
      double* v = &utility_[(z * kMarkets + m) * kMaxChannels * 2];
      for (std::size_t o = 0; o < options(m); ++o)
        if ((mask >> o) & 1u)
          for (std::size_t car = 0; car < 2; ++car) {
            // Weights up to e^600 keep every score finite and positive (E below 46, the ziggurat's
            // tail at most; social and attitude factors within e^10 and e^5, the betas being
            // within [0, 10]): the choice compares scores as their bits. Beyond, the residents of
            // the zone compare in logarithms.
            if (best[car] - utility[o][car] > kWidestUtilities) wide_[(z * kMarkets + m) * 2 + car] = 1;
            w[o * 2 + car] = std::exp(std::min(kWidestUtilities, best[car] - utility[o][car]));
            v[o * 2 + car] = utility[o][car];
          }
    }
  }
}

void MarketModel::residents(std::size_t begin, std::size_t end, std::uint32_t week, Sums& acc) {
  const std::uint32_t k = residents_.ties_per_resident;
  const std::size_t channels = channels_.size();
  const double beta_attitude = spec_.markets.beta_coop_attitude;
  // By block of residents, two passes: awareness and needs, resident by resident, which list the
  // needs; then the choices, need by need. A need is a resident's draw, so which residents and
  // markets have one is random; looping over the list of needs rather than testing each resident
  // and market keeps these draws out of the branches.
  constexpr std::size_t kBlock = 256;
  std::array<std::uint32_t, kBlock * kMarkets> listed;  // (resident - block start) x 8 + market
  for (std::size_t block = begin; block < end; block += kBlock) {
    const std::size_t block_end = std::min(end, block + kBlock);
    std::size_t needs_listed = 0;
    for (std::size_t i = block; i < block_end; ++i) {
      const State old = state_[i];
      const std::uint32_t home = residents_.home[i];
      const Stream stream(residents_.stream_key[i], week);
      State next = old;
      // Awareness of the platforms not known yet. The chance grows with the aware ties, and it is
      // small: a first byte per platform (eight a slot) rejects most draws, being above the chance
      // with every tie aware; the others take 24 more bits, look whether the resident is within the
      // platform's potential and count the aware ties.
      const std::size_t banner = (old.bits & coop_bits_) != 0;  // knows a cooperative
      const auto first = hazards_.first(home, banner);
      const std::uint64_t unaware = platform_bits_ & ~old.bits & first.reachable(within_[i]);
      // The first bytes of every slot up to the last platform's, whether or not the slot has one
      // to hear of: a fixed count of draws keeps them out of the branches.
      std::array<std::uint64_t, kAwareSlots> high{};
      std::uint64_t pass = 0;
      for (std::uint32_t j = 0; j < aware_slots_; ++j) {
        high[j] = stream.bits(kAwareLaneSlot + j);
        const auto some = static_cast<unsigned>((unaware >> (8 * j)) & 0xffu);
        pass |= std::uint64_t{some & first.may_pass(j, high[j])} << (8 * j);
      }
      for (; pass; pass &= pass - 1) {
        const auto q = static_cast<unsigned>(std::countr_zero(pass));
        const std::uint64_t low = stream.bits((kAwareDraw + q) / 2) >> (32 * ((kAwareDraw + q) % 2));
        const auto u = static_cast<std::uint32_t>((((high[q / 8] >> (8 * (q % 8))) & 0xffu) << 24) | (low & 0xffffffu));
        // Within the platform's potential, word of mouth over the aware ties; outside it, only
        // campaigns and the banner (model/awareness.hpp).
        std::uint64_t chance = 0;
        if ((within_[i] >> q) & 1u) {
          const std::uint32_t* tie = &residents_.ties[i * k];
          std::uint32_t aware_ties = 0;
          for (std::uint32_t t = 0; t < k; ++t)
            aware_ties += static_cast<std::uint32_t>((state_[tie[t]].bits >> q) & 1u);
          chance = hazards_.at(home, banner, q, aware_ties);
        } else {
          chance = hazards_.outside(home, banner, q);
        }
        if (u < chance) {
          next.bits |= std::uint64_t{1} << q;
          ++acc.aware[q];
        }
      }
      next_[i] = next;
      // The needs of the week, by market (two markets a slot), listed.
      const std::size_t income = income_group(i);
      const std::uint64_t* need = &need_[std::size_t{home} * kMarkets * kIncomeGroups + income];
      const auto at = static_cast<std::uint32_t>((i - block) << 3);
      for (std::uint32_t m = 0; m < kMarkets; m += 2) {
        const std::uint64_t word = stream.bits((kNeedDraw + m) / 2);
        listed[needs_listed] = at | m;
        needs_listed += static_cast<std::uint32_t>(word) < need[m * kIncomeGroups];
        listed[needs_listed] = at | (m + 1);
        needs_listed += (word >> 32) < need[(m + 1) * kIncomeGroups];
      }
    }
    // The choices: the option of least E x exp(-utility), E exponential (see docs/model.md). What
    // the ties did last week is read for the needs a few places on meanwhile.
    for (std::size_t x = 0; x < needs_listed; ++x) {
      if (x + kPrefetchAhead < needs_listed) {
        const std::uint32_t* ahead = &residents_.ties[(block + (listed[x + kPrefetchAhead] >> 3)) * k];
        for (std::uint32_t t = 0; t < k; ++t) __builtin_prefetch(&state_[ahead[t]]);
      }
      const std::size_t i = block + (listed[x] >> 3);
      const unsigned m = listed[x] & 7u;
      const std::uint32_t home = residents_.home[i];
      const auto kind = static_cast<std::size_t>(territory_.zones.kind[home]);
      ++acc.buyers[m * 3 + kind];
      State next = next_[i];
      const bool online = residents_.has(i, Residents::Online);
      const std::size_t car = residents_.has(i, Residents::HasCar) ? 1 : 0;
      const auto platforms = static_cast<unsigned>(options_mask_[m]) << 1;
      const unsigned known = aware_options(next, m) & (0u - static_cast<unsigned>(online));
      const unsigned mask = avail_[std::size_t{home} * kMarkets + m] & (~platforms | known) & 0xffu;
      const std::size_t row = std::size_t{home} * kMarkets + m;
      const double* w = &weight_[row * kMaxChannels * 2 + car];
      const bool wide = wide_[row * 2 + car];
      const unsigned shift = kLastShift + 4 * m;  // the market's last-option field
      int chosen = -1;
      if (mask && !(mask & (mask - 1))) {
        chosen = std::countr_zero(mask);  // one option only: nothing to draw
      } else {
        const Stream stream(residents_.stream_key[i], week);
        // Ties by last option in this market, one byte per option.
        const std::uint32_t* tie = &residents_.ties[i * k];
        std::uint64_t last_ties = 0;
        for (std::uint32_t t = 0; t < k; ++t) last_ties += kLastSpread[(state_[tie[t]].bits >> shift) & 0xfu];
        // The cooperatives' factor exp(-beta x (attitude - 0.5)), when one is an option.
        const double attitude =
            (coop_options_[m] & mask) && !wide
                ? std::exp(-beta_attitude * (static_cast<double>(residents_.coop_attitude[i]) - 0.5))
                : 1.0;
        if (!wide) {
          // Scores are positive (E > 0, weights >= 1, social and attitude factors > 0), never NaN:
          // they compare as their bits do, which keeps the comparison out of the branches.
          std::uint64_t best = 0;
          for (unsigned os = mask; os; os &= os - 1) {
            const auto o = static_cast<unsigned>(std::countr_zero(os));
            const double e = stream.exponential(kChoiceSlot + 8 * m + o);
            const auto same = static_cast<unsigned>((last_ties >> (8 * o)) & 0xffu);
            const bool coop = (coop_options_[m] >> o) & 1u;
            const auto score = std::bit_cast<std::uint64_t>(e * w[o * 2] * social_[same] * (coop ? attitude : 1.0));
            const bool better = (chosen < 0) | (score < best);
            best = better ? score : best;
            chosen = better ? static_cast<int>(o) : chosen;
          }
        } else {  // ln E - V: the same rule in logarithms, when exp() would overflow (a loop of its
                  // own: one test of `wide` a choice; one loop testing it for each option was 5 % slower)
          double best = 0;
          for (unsigned os = mask; os; os &= os - 1) {
            const auto o = static_cast<unsigned>(std::countr_zero(os));
            const double e = stream.exponential(kChoiceSlot + 8 * m + o);
            const auto same = static_cast<unsigned>((last_ties >> (8 * o)) & 0xffu);
            const bool coop = (coop_options_[m] >> o) & 1u;
            const double score =
                std::log(e) - utility_[row * kMaxChannels * 2 + o * 2 + car] -
                spec_.markets.beta_social * static_cast<double>(same) / static_cast<double>(k) -
                (coop ? beta_attitude * (static_cast<double>(residents_.coop_attitude[i]) - 0.5) : 0.0);
            if (chosen < 0 || score < best) best = score, chosen = static_cast<int>(o);
          }
        }
      }
      if (chosen < 0) continue;  // nothing available: the need goes unmet
      // Without branches from here: the choice ends a long chain of dependent reads.
      const unsigned before = last_option(next, m);
      const auto now = static_cast<unsigned>(chosen);
      const unsigned moved = before != now;
      acc.last[before == kNoChannel ? kNoSlot : 8 * m + before] -= moved;
      acc.last[8 * m + now] += moved;
      next.bits = (next.bits & ~(std::uint64_t{0xf} << shift)) | (static_cast<std::uint64_t>(now + 1) << shift);
      next_[i] = next;
      const std::size_t ch = first_channel_[m] + now;
      ++acc.purchases[(std::size_t{home} * channels + ch) * 2 + car];
      ++acc.by_income[ch * kIncomeGroups + static_cast<std::size_t>(income_group(i))];
    }
  }
}

MarketWeek MarketModel::step(std::uint32_t week, const Levers& levers, const std::vector<std::uint8_t>& open,
                             const std::vector<double>& quality,
                             const std::vector<std::vector<std::uint32_t>>& provider, int threads) {
  prepare_draws(week, levers);
  const std::size_t n = residents_.size(), zones = territory_.zones.size(), channels = channels_.size();
  Sums zero;
  zero.purchases.assign(zones * channels * 2, 0);
  zero.by_income.assign(channels * kIncomeGroups, 0);
  zero.buyers.assign(kMarkets * 3, 0);
  // A week in which no resident can have a need nor hear of a platform changes no state: no pass
  // over the residents, and no table of utilities (a territory studied for its carpooling alone,
  // with every market's needs and awareness at zero).
  const bool idle = std::all_of(need_.begin(), need_.end(), [](std::uint64_t t) { return t == 0; }) &&
                    !hazards_.any_possible(platform_bits_);
  Sums total = zero;
  if (idle) return account(total, levers);
  prepare_choices(levers, open, quality, provider);
  const auto sums = parallel_accumulate(
      n, threads, zero, [&](std::size_t begin, std::size_t end, Sums& acc) { residents(begin, end, week, acc); });
  state_.swap(next_);
  for (const Sums& s : sums) add_fields(total, s);
  total.last[kNoSlot] = 0;
  for (std::size_t b = 0; b < 64; ++b) aware_total_[b] += total.aware[b], last_total_[b] += total.last[b];
  return account(total, levers);
}

MarketWeek MarketModel::account(const Sums& sums, const Levers& levers) const {
  const std::size_t zones = territory_.zones.size(), channels = channels_.size(), platforms = platforms_.size();
  const auto& ms = spec_.markets;
  const double car_kg = spec_.emissions.thermal_car_kg_per_km * (1.0 - spec_.population.electric_car_share) +
                        spec_.emissions.electric_car_kg_per_km * spec_.population.electric_car_share;
  MarketWeek w;
  w.purchases.assign(channels, 0), w.paid_cents = w.fee_cents = w.tax_cents = w.purchases;
  w.seller_cents = w.co2e_grams = w.purchases;
  w.purchases_by_zone_kind.assign(channels * 3, 0);
  w.aware.assign(platforms, 0), w.users.assign(platforms, 0), w.orders.assign(platforms * zones, 0);
  w.firm_income_cents.assign(kSectors * zones, 0);
  w.purchases_by_income = sums.by_income;
  w.buyers_by_zone_kind = sums.buyers;
  for (std::size_t m = 0; m < kMarkets; ++m)
    for (std::size_t o = 1; o < options(m); ++o)
      if (const std::size_t q = platform_of_[m][o]; q != kNoPlatform)
        w.aware[q] = aware_total_[q], w.users[q] = last_total_[8 * m + o];
  // Each purchase of a channel in a zone pays the same: count them, then price them.
  for (std::size_t z = 0; z < zones; ++z) {
    const auto home = static_cast<std::uint32_t>(z);
    const auto kind = static_cast<std::size_t>(territory_.zones.kind[z]);
    for (std::size_t ch = 0; ch < channels; ++ch) {
      const std::array<std::int64_t, 2> count{sums.purchases[(z * channels + ch) * 2],
                                              sums.purchases[(z * channels + ch) * 2 + 1]};
      const std::int64_t bought = count[0] + count[1];
      if (bought == 0) continue;
      const Channel& c = channels_[ch];
      const auto& s = ms.market[c.market];
      const double basket_cents = s.basket_eur * 100.0;
      std::int64_t paid = 0, fee = 0, tax = 0, seller = 0;
      double kg = 0;
      if (c.kind == Channel::Offline) {
        paid = seller = std::llround(basket_cents);
        kg = s.production_kg_per_event + s.offline_kg_per_event;
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
        kg = s.production_kg_per_event + ps.kg_per_event;
        w.orders[q * zones + z] += bought;
      }
      const double km = c.kind == Channel::Alternative ? 0.0 : km_[z * channels + ch];
      w.purchases[ch] += bought;
      w.paid_cents[ch] += bought * paid, w.fee_cents[ch] += bought * fee, w.tax_cents[ch] += bought * tax;
      w.seller_cents[ch] += bought * seller;
      w.co2e_grams[ch] += count[0] * std::llround(kg * 1000.0) + count[1] * std::llround((kg + km * car_kg) * 1000.0);
      w.purchases_by_zone_kind[ch * 3 + kind] += bought;
      w.households_net_cents -= bought * paid;
      if (c.seller == Seller::Households) w.households_net_cents += bought * seller;
      if (is_firm(c.seller))
        w.firm_income_cents[static_cast<std::size_t>(c.seller) * zones + from_[z * channels + ch]] += bought * seller;
    }
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
      const std::int64_t o = w.orders[ch.platform * zones + z];
      const std::int64_t rounds = (o + per_round - 1) / per_round;
      w.rounds[ch.platform] += rounds;
      w.co2e_grams[c] += rounds * grams;
    }
  }
  return w;
}

}  // namespace coopterra
