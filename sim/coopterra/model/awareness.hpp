#pragma once
// Awareness of platforms, shared by carpooling and the markets: the weekly chance that a resident
// hears of a platform they do not know, as thresholds for StreamPairs::below.
//
// Word of mouth and media follow Bass: with yearly coefficients p (external) and q (imitation) and
// a share f of the resident's ties aware of the platform last week, the weekly chance is
// 1 - (1 - p - q f)^(1/52). A campaign in the resident's commune adds an independent chance
// (reach), and the cooperatives' common banner another for residents who know a cooperative.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "coopterra/core/random.hpp"

namespace coopterra {

inline double weekly_bass_hazard(double p, double q, double aware_share) {
  return 1.0 - std::pow(1.0 - std::min(1.0, p + q * aware_share), 1.0 / 52.0);
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
        for (std::size_t b = 0; b < 2; ++b) max_[index(z, b, q)] = at_[index(z, b, q) * (ties + 1) + ties];
      }
  }
  // The largest threshold of platform q for a resident of `zone` (banner: 0 or 1).
  std::uint64_t max(std::uint32_t zone, std::size_t banner, std::size_t q) const {
    return max_[index(rows_ > 1 ? zone : 0, banner, q)];
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
  std::vector<std::uint64_t> at_, max_;
};

}  // namespace coopterra
