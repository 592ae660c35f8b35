#pragma once
// The logit choice written as an exponential race, shared by the markets and carpooling.
//
// With Gumbel tastes, choosing the option of highest V + G is choosing the least E x exp(-V),
// E = -ln u exponential, one uniform u per option (docs/model.md). Scores are kept relative to
// the best utility, E x W with W = exp(V_best - V) >= 1, so that none rounds to 0.
//
// -ln u > 1 - u for u in (0, 1): an option whose score would exceed the best so far even with
// 1 - u in place of -ln u loses, and needs no logarithm. The margin covers the roundings of both
// products (a few units in 1e-16), so the choice is the one the full scores give.
#include <cmath>

namespace coopterra {

inline bool loses_race(double u, double weight, double best) {
  constexpr double kMargin = 1.0 + 1e-12;
  return (1.0 - u) * weight > best * kMargin;
}

inline double race_score(double u, double weight) {
  return -std::log(u) * weight;
}

}  // namespace coopterra
