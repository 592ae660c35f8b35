#pragma once
// The natural logarithm for the draws of the choices (exponential and Gumbel variates), inline
// and without a call into libm: a tenth of the run time went to std::log (perf, 1 M residents).
#include <bit>
#include <cstdint>

namespace coopterra {

// log(x) for a positive, normal, finite x. x = m 2^e with m in [sqrt(1/2), sqrt(2)); log(m) =
// 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, by its series to s^13: the next term is below
// 5e-13, so the result is within 1e-12 of std::log (checked in tests/cpp/test_random.cpp).
// Pure arithmetic: the same bits on every thread and every run of the same build.
inline double fast_log(double x) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  int e = static_cast<int>(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
  const bool high = m > 1.4142135623730951;
  m = high ? m * 0.5 : m;
  e += high ? 1 : 0;
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  const double series =
      1.0 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11 + s2 * (1.0 / 13))))));
  return static_cast<double>(e) * 0.6931471805599453 + 2.0 * s * series;
}

}  // namespace coopterra
