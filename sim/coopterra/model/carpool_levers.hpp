#pragma once
// The policy levers acting on carpooling in one week, by platform and home zone.
#include <array>
#include <cstdint>
#include <vector>

namespace coopterra {

inline constexpr std::size_t kPlatforms = 2;  // 0: cooperative, 1: incumbent

struct CarpoolLevers {
  // Per platform, per zone (empty vectors: the lever is nowhere in force).
  std::array<std::vector<std::int64_t>, kPlatforms> incentive_cents;  // per passenger trip
  std::array<std::vector<double>, kPlatforms> campaign_reach;         // weekly awareness hazard added
  std::array<std::vector<double>, kPlatforms> tax_rate;               // on the platform's commissions
  std::array<std::vector<double>, kPlatforms> pass_through;           // share of the tax in the commission
  // Shocks, per zone (empty: none in force).
  std::vector<double> commuting_share;       // share of commuting trips still made
  std::vector<std::uint8_t> carpool_banned;  // 1 where sharing a car is forbidden
  // Platforms still open (a platform closes after weeks with a negative treasury: model/economy.hpp).
  std::array<std::uint8_t, kPlatforms> open{1, 1};

  // Commuting trips a week from a zone: the usual trips times the share still made, rounded.
  std::int64_t trips(std::uint32_t zone, std::int64_t usual) const {
    return commuting_share.empty()
               ? usual
               : static_cast<std::int64_t>(static_cast<double>(usual) * commuting_share[zone] + 0.5);
  }
  bool carpool_allowed(std::uint32_t zone) const { return carpool_banned.empty() || !carpool_banned[zone]; }

  // For accounting by policy: which policies make up the incentive of each platform.
  std::array<std::vector<std::size_t>, kPlatforms> incentive_policies;

  std::int64_t incentive(std::size_t p, std::uint32_t zone) const {
    return incentive_cents[p].empty() ? 0 : incentive_cents[p][zone];
  }
  double reach(std::size_t p, std::uint32_t zone) const {
    return campaign_reach[p].empty() ? 0.0 : campaign_reach[p][zone];
  }
  double tax(std::size_t p, std::uint32_t zone) const { return tax_rate[p].empty() ? 0.0 : tax_rate[p][zone]; }
  // Multiplier of the commission rate: 1 + tax x pass-through.
  double commission_factor(std::size_t p, std::uint32_t zone) const {
    return tax_rate[p].empty() ? 1.0 : 1.0 + tax_rate[p][zone] * pass_through[p][zone];
  }
};

}  // namespace coopterra
