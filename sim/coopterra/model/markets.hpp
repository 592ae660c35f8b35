#pragma once
// The six markets of residents beside carpooling: short food circuit, bike delivery, durable
// electronics, second-hand goods, neighbourhood services and territorial tourism (mission.md).
//
// Each week, each resident may have the need of a market (a weekly basket, a meal, a device...);
// with it, they choose one channel by a multinomial logit: buying offline from the local firms
// nearest by road, one of the platforms they are aware of and can reach (online, served commune,
// platform still open), or the alternative (doing without, or going elsewhere). Utilities weigh
// price with fees, travel cost and time, attitudes towards cooperatives, platform quality (network
// effects and investment) and social influence (the share of ties whose last choice was the same
// channel). Awareness of each platform spreads over the social network (Bass), through campaigns
// and through the cooperatives' common banner. Money is counted in cents and emissions in grams,
// per thread, so that totals are exact and the same for any thread count. See docs/model.md.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/core/random.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/population/firms.hpp"
#include "coopterra/population/population.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

inline constexpr std::size_t kMaxChannels = 8;   // per market: offline, up to 6 platforms, the alternative
inline constexpr std::size_t kIncomeGroups = 5;  // income quintiles
inline constexpr std::uint8_t kNoChannel = 0xff;

struct Channel {
  enum Kind : std::uint8_t { Offline, Cooperative, Incumbent, Alternative };
  Kind kind;
  std::size_t market;
  std::size_t option;    // index within the market
  std::size_t platform;  // index in the platform list (platforms only)
  Seller seller;
  std::string name;  // "food/offline", "food/<platform name>", "food/alternative"
};

// The levers of one week on the markets, by platform and home zone (empty: nowhere in force).
struct MarketLevers {
  std::vector<std::vector<double>> campaign_reach;  // by platform, by zone
  std::vector<std::vector<double>> tax_rate;        // by platform, by zone
  std::vector<std::vector<double>> pass_through;    // by platform, by zone
  double cross_reach = 0;                           // common banner of the cooperatives
  double pooled_share = 0;                          // cooperatives' running costs pooled by the network
  // Shocks, by zone (empty: none).
  std::vector<std::uint8_t> restaurants_closed, travel_banned;
  std::vector<double> delivery_factor, offline_penalty;
  std::vector<double> extra_cost_share, credit_share;  // cash crunch, by zone

  double extra_cost(std::uint32_t z) const { return extra_cost_share.empty() ? 0.0 : extra_cost_share[z]; }
  double credit(std::uint32_t z) const { return credit_share.empty() ? 1.0 : credit_share[z]; }

  double reach(std::size_t p, std::uint32_t z) const { return campaign_reach[p].empty() ? 0.0 : campaign_reach[p][z]; }
  double tax(std::size_t p, std::uint32_t z) const { return tax_rate[p].empty() ? 0.0 : tax_rate[p][z]; }
  double commission_factor(std::size_t p, std::uint32_t z) const {
    return tax_rate[p].empty() ? 1.0 : 1.0 + tax_rate[p][z] * pass_through[p][z];
  }
};

// What one week of the markets produced.
struct MarketWeek {
  // By channel (see MarketModel::channels()).
  std::vector<std::int64_t> purchases;
  std::vector<std::int64_t> paid_cents;              // by buyers, fees included
  std::vector<std::int64_t> fee_cents;               // kept by the platform
  std::vector<std::int64_t> tax_cents;               // paid by the platform to the authority
  std::vector<std::int64_t> seller_cents;            // received by sellers
  std::vector<std::int64_t> co2e_grams;              // buyers' trips, goods, delivery rounds
  std::vector<std::int64_t> purchases_by_zone_kind;  // channel x 3
  std::vector<std::int64_t> purchases_by_income;     // channel x 5
  std::vector<std::int64_t> buyers_by_zone_kind;     // residents with a need, x 3 (per market: market x 3)
  // By platform.
  std::vector<std::int64_t> aware;   // residents aware of the platform
  std::vector<std::int64_t> users;   // residents whose last purchase in the market was through it
  std::vector<std::int64_t> rounds;  // delivery rounds
  std::vector<std::int64_t> orders;  // platform x home zone; used within the week, not kept in results
  // Sellers' income by firm sector (5) and zone: the local firms' revenue from residents.
  std::vector<std::int64_t> firm_income_cents;
  std::int64_t households_net_cents = 0;  // sum over residents of what they received minus paid
};

class MarketModel {
 public:
  MarketModel(const Territory& territory, const Residents& residents, const Spec& spec,
              const std::vector<PlatformInfo>& platforms, const Random& random);

  const std::vector<Channel>& channels() const noexcept { return channels_; }
  // Channel index of (market, option).
  std::size_t channel(std::size_t market, std::size_t option) const { return first_channel_[market] + option; }
  std::size_t options(std::size_t market) const { return first_channel_[market + 1] - first_channel_[market]; }

  // One week: awareness, needs, choices, purchases. `open[p]` says whether platform p still
  // operates, `quality[p]` its quality; `provider[s][z]` is the zone whose firms of sector s serve
  // zone z (kNoZone: none left).
  MarketWeek step(std::uint32_t week, const MarketLevers& levers, const std::vector<std::uint8_t>& open,
                  const std::vector<double>& quality, const std::vector<std::vector<std::uint32_t>>& provider,
                  int threads);

  // Per-resident state carried from week to week: awareness bits and last channel, by market.
  using State = std::array<std::uint8_t, 2 * kMarkets>;
  const std::vector<State>& state() const noexcept { return state_; }
  void set_state(std::vector<State> state) { state_ = std::move(state); }
  std::size_t bytes() const noexcept { return (state_.capacity() + next_.capacity()) * sizeof(State); }

 private:
  const Territory& territory_;
  const Residents& residents_;
  const Spec& spec_;
  const std::vector<PlatformInfo>& platforms_;
  Random random_;
  std::vector<Channel> channels_;
  std::array<std::size_t, kMarkets + 1> first_channel_{};
  // Per market and option: the platform index (or npos), bit in the awareness byte.
  std::array<std::array<std::size_t, kMaxChannels>, kMarkets> platform_of_{};
  std::array<std::uint8_t, kMarkets> platform_mask_{}, coop_mask_{};  // awareness bits of platforms, of cooperatives
  std::vector<std::vector<std::uint8_t>> serves_;                     // by platform, by zone kind
  std::vector<State> state_, next_;
};

}  // namespace coopterra
