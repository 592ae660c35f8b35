#pragma once
// Awareness of platforms, shared by carpooling and the markets: the weekly chance that a resident
// hears of a platform they do not know, as thresholds for 32-bit draws (StreamPairs::threshold32).
//
// Word of mouth and media follow Bass in continuous time: with yearly coefficients p (external)
// and q (imitation), the yearly hazard of a resident whose ties are aware in share F is p + q F.
// Over one week the aware share of the ties keeps growing: the weekly chance is the exact
// transition of the mean-field Bass equation dF/dt = (p + q F)(1 - F) over 1/52 year from the
// share f aware last week (to first order, 1 - exp(-(p + q f) / 52)). On a dense network the
// aware share then follows the Bass curve (tests/cpp/test_awareness.cpp). A campaign in the
// resident's commune adds an independent chance
// (reach), and the cooperatives' common banner another for residents who know a cooperative.
//
// Bass's market potential: word of mouth and media reach only the residents within a platform's
// potential (`awareness_potential`, a share of residents; those aware at week 0 are within it
// whatever its value). A mature national brand is at its potential, so its awareness stays where
// it is without a campaign; a young cooperative's grows towards its own. Campaigns and the banner
// reach everyone, within the potential or not. Whether a resident is within is the same draw
// that decided their awareness at week 0 (below initial_awareness: aware; below the potential:
// within), so it needs no state and the aware at start are within by construction.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "coopterra/core/random.hpp"
#include "coopterra/scenario/spec.hpp"

namespace coopterra {

// The share of residents within a platform's potential (see above).
inline double awareness_potential(const MarketPlatformSpec& platform) noexcept {
  return std::max(platform.initial_awareness, platform.awareness_potential);
}

// (p + qF)/(1 - F) grows as e^((p + q) t) along the Bass equation, so a resident unaware at the
// start of the week stays so with chance (p + q) / ((p + q f) e^((p + q)/52) + q (1 - f)).
inline double weekly_bass_hazard(double p, double q, double aware_share) {
  const double rate = p + q * aware_share;  // per year, at the start of the week
  if (rate <= 0.0) return 0.0;
  const double growth = std::expm1((p + q) / 52.0);
  return rate * growth / (rate * (1.0 + growth) + q * (1.0 - aware_share));
}

// Bit b set where byte b of x is at most byte b of y (unsigned), for the eight bytes at once.
constexpr unsigned bytes_at_most(std::uint64_t x, std::uint64_t y) {
  constexpr std::uint64_t high = 0x8080808080808080ull;
  const std::uint64_t low_ge = (y | high) - (x & ~high);                    // high bit: low 7 bits of y >= of x
  const std::uint64_t ge = ((low_ge & ~(x ^ y)) | (y & ~x)) & high;         // the same high bit decides, or y's
  return static_cast<unsigned>(((ge >> 7) * 0x0102040810204080ull) >> 56);  // byte b's bit to bit b
}

// Thresholds by (zone, when a campaign runs) x banner (0 or 1) x platform x aware ties, and the
// largest of each platform (every tie aware): a draw at or above it is decided without counting
// the ties.
class AwarenessHazards {
 public:
  // bass(q) gives {p, q} of platform q; reach(q, zone) a campaign's reach (campaigns: whether any
  // runs this week); banner(q) the extra reach for residents who know a cooperative.
  template <class Bass, class Reach, class Banner>
  void build(std::size_t platforms, std::uint32_t ties, std::size_t zones, bool campaigns, Bass&& bass, Reach&& reach,
             Banner&& banner) {
    platforms_ = platforms, ties_ = ties, rows_ = campaigns ? zones : 1;
    at_.resize(rows_ * 2 * platforms * (ties + 1));
    max_.resize(rows_ * 2 * platforms);
    outside_.resize(rows_ * 2 * platforms);
    slots_ = (platforms + 7) / 8;
    possible_.assign(rows_ * 2, 0);
    reach_outside_.assign(rows_ * 2, 0);
    lane_max_.assign(rows_ * 2 * slots_, 0);
    for (std::size_t z = 0; z < rows_; ++z)
      for (std::size_t q = 0; q < platforms; ++q) {
        const auto [p, imitation] = bass(q);
        const double campaign = campaigns ? 1.0 - reach(q, static_cast<std::uint32_t>(z)) : 1.0;
        for (std::size_t b = 0; b < 2; ++b)
          for (std::uint32_t a = 0; a <= ties; ++a) {
            const double share = ties ? static_cast<double>(a) / static_cast<double>(ties) : 0.0;
            double stay = (1.0 - weekly_bass_hazard(p, imitation, share)) * campaign;
            if (b) stay *= 1.0 - banner(q);
            at_[index(z, b, q) * (ties + 1) + a] = StreamPairs::threshold32(1.0 - stay);
          }
        for (std::size_t b = 0; b < 2; ++b) {
          outside_[index(z, b, q)] = StreamPairs::threshold32(1.0 - campaign * (b ? 1.0 - banner(q) : 1.0));
          if (outside_[index(z, b, q)]) reach_outside_[z * 2 + b] |= std::uint64_t{1} << q;
        }
        for (std::size_t b = 0; b < 2; ++b) {
          const std::uint64_t top = at_[index(z, b, q) * (ties + 1) + ties];
          max_[index(z, b, q)] = top;
          if (!top) continue;  // no chance at all
          possible_[z * 2 + b] |= std::uint64_t{1} << q;
          lane_max_[(z * 2 + b) * slots_ + q / 8] |= ((top - 1) >> 24) << (8 * (q % 8));
        }
      }
  }
  // The threshold of a resident outside platform q's potential: campaigns and the banner only (at
  // most the threshold within it, so the first-byte tests below hold for both).
  std::uint64_t outside(std::uint32_t zone, std::size_t banner, std::size_t q) const {
    return outside_[index(rows_ > 1 ? zone : 0, banner, q)];
  }
  // The largest thresholds of the platforms (indexed by platform) for a resident of `zone`.
  const std::uint64_t* max_row(std::uint32_t zone, std::size_t banner) const {
    return &max_[index(rows_ > 1 ? zone : 0, banner, 0)];
  }
  // A draw can be made in two parts: its high byte first, then its 24 low bits. For a resident
  // of `zone`, first() gives the platforms with a chance above 0 (`possible`; `outside`: those
  // with a chance above 0 for a resident outside their potential) and, with the high bytes of
  // platforms 8j to 8j + 7 in the bytes of `high`, may_pass(j, high) sets bit q % 8 where the draw
  // of platform q may fall below its largest threshold: elsewhere it is above every threshold of
  // q, whatever its low bits.
  struct FirstBytes {
    std::uint64_t possible, outside;
    const std::uint64_t* lane_max;
    // The platforms a resident within the potentials of `within` (bit q: platform q) may hear of.
    std::uint64_t reachable(std::uint64_t within) const { return (within & possible) | (~within & outside); }
    unsigned may_pass(std::size_t j, std::uint64_t high) const { return bytes_at_most(high, lane_max[j]); }
  };
  FirstBytes first(std::uint32_t zone, std::size_t banner) const {
    const std::size_t row = (rows_ > 1 ? zone : 0) * 2 + banner;
    return {possible_[row], reach_outside_[row], &lane_max_[row * slots_]};
  }
  // Whether any resident, of any zone, with or without the banner, may hear of a platform of
  // `platforms` (bit q: platform q) this week.
  bool any_possible(std::uint64_t platforms) const {
    return std::any_of(possible_.begin(), possible_.end(), [&](std::uint64_t b) { return (b & platforms) != 0; });
  }
  // The threshold with `aware` ties aware of platform q.
  std::uint64_t at(std::uint32_t zone, std::size_t banner, std::size_t q, std::uint32_t aware) const {
    return at_[index(rows_ > 1 ? zone : 0, banner, q) * (ties_ + 1) + aware];
  }

 private:
  std::size_t index(std::size_t row, std::size_t banner, std::size_t q) const {
    return (row * 2 + banner) * platforms_ + q;
  }
  std::size_t platforms_ = 0, rows_ = 1;
  std::uint32_t ties_ = 0;
  std::size_t slots_ = 0;
  std::vector<std::uint64_t> at_, max_, outside_, possible_, reach_outside_, lane_max_;
};

}  // namespace coopterra
