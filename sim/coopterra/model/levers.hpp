#pragma once
// The levers in force in one week: what the policies and shocks of the timeline set, each kind
// through its one hook (policy/<kind>.cpp), read by the carpool model, the markets and the
// economy. One set, indexed by the global list of platforms (model/platforms.hpp: the markets',
// barter's and carpooling's), by home zone; the shocks by zone. An empty vector: the lever is
// nowhere in force.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coopterra {

struct Levers {
  // Per platform, per zone.
  std::vector<std::vector<std::int64_t>> incentive_cents;  // per passenger trip (carpooling)
  std::vector<std::vector<double>> campaign_reach;         // weekly awareness hazard added
  std::vector<std::vector<double>> tax_rate;               // on the platform's commissions
  std::vector<std::vector<double>> pass_through;           // share of the tax in the commission
  // For accounting by policy: which policies make up the incentive of each platform.
  std::vector<std::vector<std::size_t>> incentive_policies;
  // Platforms still open at the start of the week, by platform (empty: all): the economy's list
  // (model/economy.hpp: a platform closes after weeks with a negative treasury).
  std::vector<std::uint8_t> open;
  // Each platform's fees relative to its own, by platform (empty: 1): its response to competition
  // (MarketPlatformSpec::fee_response), the economy's list.
  std::vector<double> fee_factor;
  // The cooperatives' network: common banner, running costs pooled.
  double cross_reach = 0, pooled_share = 0;
  // Shocks, per zone.
  std::vector<double> commuting_share;       // share of commuting trips still made
  std::vector<std::uint8_t> carpool_banned;  // 1 where sharing a car is forbidden
  std::vector<std::uint8_t> restaurants_closed, travel_banned;
  std::vector<double> delivery_factor, offline_penalty;
  std::vector<double> extra_cost_share, credit_share;  // cash crunch

  Levers() = default;
  explicit Levers(std::size_t platforms)
      : incentive_cents(platforms),
        campaign_reach(platforms),
        tax_rate(platforms),
        pass_through(platforms),
        incentive_policies(platforms) {}

  // Platform p's zone vector of a lever, or nullptr where it is nowhere in force: the hot loops
  // resolve it once a week.
  template <class T>
  static const T* of(const std::vector<std::vector<T>>& lever, std::size_t p) {
    return p < lever.size() && !lever[p].empty() ? lever[p].data() : nullptr;
  }

  std::int64_t incentive(std::size_t p, std::uint32_t z) const {
    const auto* v = of(incentive_cents, p);
    return v ? v[z] : 0;
  }
  double reach(std::size_t p, std::uint32_t z) const {
    const auto* v = of(campaign_reach, p);
    return v ? v[z] : 0.0;
  }
  double tax(std::size_t p, std::uint32_t z) const {
    const auto* v = of(tax_rate, p);
    return v ? v[z] : 0.0;
  }
  // Multiplier of the platform's fees: 1 + tax x pass-through, times its response to competition.
  double commission_factor(std::size_t p, std::uint32_t z) const {
    const auto* v = of(tax_rate, p);
    const double response = p < fee_factor.size() ? fee_factor[p] : 1.0;
    return v ? (1.0 + v[z] * pass_through[p][z]) * response : response;
  }
  std::uint8_t is_open(std::size_t p) const { return p < open.size() ? open[p] : std::uint8_t{1}; }

  // Commuting trips a week from a zone: the usual trips times the share still made, rounded.
  std::int64_t trips(std::uint32_t zone, std::int64_t usual) const {
    return commuting_share.empty()
               ? usual
               : static_cast<std::int64_t>(static_cast<double>(usual) * commuting_share[zone] + 0.5);
  }
  bool carpool_allowed(std::uint32_t zone) const { return carpool_banned.empty() || !carpool_banned[zone]; }
  double extra_cost(std::uint32_t z) const { return extra_cost_share.empty() ? 0.0 : extra_cost_share[z]; }
  double credit(std::uint32_t z) const { return credit_share.empty() ? 1.0 : credit_share[z]; }
};

}  // namespace coopterra
