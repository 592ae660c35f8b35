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
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/core/fields.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/model/awareness.hpp"
#include "coopterra/model/levers.hpp"
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

  // The field list (core/fields.hpp): checkpoints and the results. `orders` is the week's only
  // and is not kept.
  template <class V, class... W>
  static void fields(V&& v, W&... w) {
    using D = Dim;
    v(result("purchases", D::Channel, "purchases", "purchase", "purchases through each channel"), w.purchases...);
    v(result("paid_cents", D::Channel, "purchase_spending", "EUR",
             "paid by residents through each channel, fees included", 100),
      w.paid_cents...);
    v(result("fee_cents", D::Channel, "channel_fees", "EUR", "fees kept by the platform of each channel", 100),
      w.fee_cents...);
    v(kept("tax_cents", D::Channel), w.tax_cents...);
    v(kept("seller_cents", D::Channel), w.seller_cents...);
    v(result("co2e_grams", D::Channel, "channel_co2e", "kg",
             "CO2e of each channel: buyers' car trips, goods (manufacturing, upstream transport), delivery rounds",
             1000),
      w.co2e_grams...);
    v(result("purchases_by_zone_kind", D::ChannelZoneKind, "purchases_by_zone_kind", "purchase",
             "purchases by the kind of the buyer's commune"),
      w.purchases_by_zone_kind...);
    v(result("purchases_by_income", D::ChannelIncome, "purchases_by_income", "purchase",
             "purchases by the buyer's income quintile"),
      w.purchases_by_income...);
    v(result("buyers_by_zone_kind", D::MarketZoneKind, "needs_by_zone_kind", "person",
             "residents with the market's need this week, by kind of commune"),
      w.buyers_by_zone_kind...);
    v(result("aware", D::Platform, "platform_aware", "person",
             "residents aware of each platform (barter: 0, see barter_members)"),
      w.aware...);
    v(result("users", D::Platform, "platform_users", "person",
             "residents whose last purchase in the market was through the platform (carpooling: drivers and "
             "passengers of the week)"),
      w.users...);
    v(result("rounds", D::Platform, "platform_rounds", "round",
             "delivery rounds of the platform (each leaves even half empty)"),
      w.rounds...);
    v(kept("firm_income_cents", D::SectorZone), w.firm_income_cents...);
    v(kept("households_net_cents"), w.households_net_cents...);
  }
};

class MarketModel {
 public:
  // The residents' awareness at week 0 is drawn on `threads` threads (the same whatever their count).
  MarketModel(const Territory& territory, const Residents& residents, const Spec& spec,
              const std::vector<PlatformInfo>& platforms, const Random& random, int threads);

  const std::vector<Channel>& channels() const noexcept { return channels_; }
  // Channel index of (market, option).
  std::size_t channel(std::size_t market, std::size_t option) const { return first_channel_[market] + option; }
  std::size_t options(std::size_t market) const { return first_channel_[market + 1] - first_channel_[market]; }

  // One week: awareness, needs, choices, purchases. `open[p]` says whether platform p still
  // operates, `quality[p]` its quality; `provider[s][z]` is the zone whose firms of sector s serve
  // zone z (kNoZone: none left).
  MarketWeek step(std::uint32_t week, const Levers& levers, const std::vector<std::uint8_t>& open,
                  const std::vector<double>& quality, const std::vector<std::vector<std::uint32_t>>& provider,
                  int threads);

  // Per-resident state carried from week to week, in one 64-bit word: bit q says whether the
  // resident knows market platform q (at most 36), and 4 bits per market from bit 36 hold the
  // option of the last purchase plus one (0: none yet). Eight bytes: the state of a million
  // residents, twice (this week's and the next), stays within a 32 MiB last-level cache.
  struct State {
    std::uint64_t bits = 0;
    bool operator==(const State&) const = default;
  };
  // The options of a market the resident knows (bit o for option o).
  std::uint8_t aware_options(const State& s, std::size_t market) const {
    return static_cast<std::uint8_t>(((s.bits >> first_platform_[market]) & options_mask_[market]) << 1);
  }
  // Option of the last purchase in the market, or kNoChannel.
  static std::uint8_t last_option(const State& s, std::size_t market) {
    const auto field = static_cast<std::uint8_t>((s.bits >> (kLastShift + 4 * market)) & 0xfu);
    return field ? static_cast<std::uint8_t>(field - 1) : kNoChannel;
  }
  static constexpr unsigned kLastShift = 36;

  // The households' budget relative to its calibration (Households, model/households.hpp): the
  // needs of the next weeks scale by budget^income_elasticity.
  void set_budget(double factor) noexcept { budget_factor_ = factor; }
  double budget() const noexcept { return budget_factor_; }

  const std::vector<State>& state() const noexcept { return state_; }
  void set_state(const std::vector<State>& state);
  std::size_t bytes() const noexcept {
    return (state_.capacity() + next_.capacity()) * sizeof(State) + within_.capacity() * sizeof(std::uint64_t);
  }

 private:
  struct Sums;
  // The week's tables by zone: the draws' (needs, awareness hazards, social influence), then the
  // choices' (prices, travel, availability), which an idle week does without.
  void prepare_draws(std::uint32_t week, const Levers& levers);
  void prepare_choices(const Levers& levers, const std::vector<std::uint8_t>& open, const std::vector<double>& quality,
                       const std::vector<std::vector<std::uint32_t>>& provider);
  // The residents of [begin, end): awareness, needs, choices.
  void residents(std::size_t begin, std::size_t end, std::uint32_t week, Sums& acc);
  // The threads' sums, merged: purchases by zone, channel and car into the week's money, emissions and rounds.
  MarketWeek account(const Sums& sums, const Levers& levers) const;
  void count_totals();
  // A resident's income quintile.
  std::size_t income_group(std::size_t resident) const noexcept {
    return std::min<std::size_t>(kIncomeGroups - 1, (residents_.income_decile[resident] - 1u) / 2u);
  }
  // A resident's uniform for a platform: aware at week 0 below its initial awareness, within its
  // potential below awareness_potential (model/awareness.hpp).
  double awareness_draw(std::size_t resident, std::size_t platform) const noexcept;

  const Territory& territory_;
  const Residents& residents_;
  const Spec& spec_;
  const std::vector<PlatformInfo>& platforms_;
  Random random_;
  std::vector<Channel> channels_;
  std::array<std::size_t, kMarkets + 1> first_channel_{};
  // Per market and option: the platform index (or npos).
  std::array<std::array<std::size_t, kMaxChannels>, kMarkets> platform_of_{};
  std::array<std::uint8_t, kMarkets> first_platform_{};  // index of the market's first platform
  std::array<std::uint8_t, kMarkets> options_mask_{};    // (1 << platforms of the market) - 1
  std::array<std::uint8_t, kMarkets> coop_options_{};    // options that are cooperatives (bit o)
  std::uint64_t platform_bits_ = 0, coop_bits_ = 0;      // state bits of the platforms, of the cooperatives
  std::uint32_t aware_slots_ = 0;                        // slots of eight platforms, up to the last platform's
  std::vector<std::vector<std::uint8_t>> serves_;        // by platform, by zone kind
  std::vector<std::uint16_t> draw_of_;                   // by platform: its awareness draw (market x 8 + option)
  std::vector<std::uint64_t> within_;  // by resident, bit q: within platform q's potential (a week-0 draw)
  std::vector<State> state_, next_;
  // Residents aware of each platform; residents whose last purchase in market m was option o (8m + o).
  std::array<std::int64_t, 64> aware_total_{}, last_total_{};

  // Tables of the week, by zone (residents are ordered by zone: each chunk reads a few rows).
  std::vector<double> weight_;       // zone x market x option x car: exp(best utility - utility)
  std::vector<double> utility_;      // the same utilities, for zones where exp() would overflow
  std::vector<std::uint8_t> wide_;   // zone x market x car: utilities too far apart for exp()
  std::vector<std::uint32_t> from_;  // zone x channel: the zone whose firms sell (kNoZone: none)
  std::vector<double> km_;           // zone x channel: car kilometres of a purchase
  std::vector<std::uint8_t> avail_;  // zone x market: options available to residents of the zone
  std::vector<std::uint64_t> need_;  // zone x market x income quintile: chance of a need this week (a threshold)
  std::vector<double> engel_;        // market x income quintile: need relative to the market's mean
  double budget_factor_ = 1.0;
  AwarenessHazards hazards_;    // chance of hearing of each platform this week
  std::vector<double> social_;  // ties with the same last option: exp(-beta_social x share)
};

}  // namespace coopterra
