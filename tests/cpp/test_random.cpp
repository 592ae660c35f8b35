// Known-answer tests of Philox4x32-10 (Random123's published vectors) and of the way coopterra
// packs (seed, purpose, entity, step, draw) into its key and counter.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "coopterra/core/random.hpp"

using coopterra::Purpose;
using coopterra::Random;

TEST_CASE("Philox4x32-10 matches Random123's known-answer vectors", "[random]") {
  using Bits = std::array<std::uint32_t, 4>;
  // counter (0,0,0,0), key (0,0)
  CHECK(Random(0).bits(static_cast<Purpose>(0), 0, 0, 0) == Bits{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  // every bit of counter and key set
  CHECK(Random(~0ull).bits(static_cast<Purpose>(0xffff), ~0ull, 0xffffffffu, 0xffff) ==
        Bits{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  // counter (243f6a88 85a308d3 13198a2e 03707344), key (a4093822 299f31d0): digits of pi
  CHECK(Random(0x299f31d0a4093822ull).bits(static_cast<Purpose>(0x243f), 0x13198a2e85a308d3ull, 0x03707344u, 0x6a88) ==
        Bits{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("a draw is a pure function of seed, purpose, entity, step and draw", "[random]") {
  const Random r(42);
  CHECK(r.uniform(Purpose::ModeChoice, 7, 3) == r.uniform(Purpose::ModeChoice, 7, 3));
  std::set<double> distinct{r.uniform(Purpose::ModeChoice, 7, 3),    r.uniform(Purpose::Awareness, 7, 3),
                            r.uniform(Purpose::ModeChoice, 8, 3),    r.uniform(Purpose::ModeChoice, 7, 4),
                            r.uniform(Purpose::ModeChoice, 7, 3, 1), Random(43).uniform(Purpose::ModeChoice, 7, 3)};
  CHECK(distinct.size() == 6);
}

TEST_CASE("uniforms lie between 0 included and 1 excluded with the moments of the uniform law", "[random]") {
  const Random r(1);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    for (double u : r.uniform2(Purpose::Awareness, static_cast<std::uint64_t>(i), 1)) {
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      sum += u;
      sum2 += u * u;
    }
  }
  const double mean = sum / (2 * n), var = sum2 / (2 * n) - mean * mean;
  CHECK(mean == Approx(0.5).margin(0.003));
  CHECK(var == Approx(1.0 / 12).margin(0.002));
  CHECK(Random::to_unit(0xffffffffu, 0xffffffffu) < 1.0);
  CHECK(Random::to_unit(0, 0) == 0.0);
  CHECK(Random::to_open_unit(0) > 0.0);
  CHECK(Random::to_open_unit(0xffffffffu) < 1.0);
}

TEST_CASE("a Stream is SplitMix64 at fixed positions from its key", "[random]") {
  using coopterra::Stream;
  // SplitMix64's published first outputs from state 0 (Steele, Lea and Flood 2014; Vigna's splitmix64.c).
  const Stream zero(0, 0);
  CHECK(zero.bits(0) == 0xe220a8397b1dcdafull);
  CHECK(zero.bits(1) == 0x6e789e6aa1b965f4ull);
  CHECK(zero.bits(2) == 0x06c45d188009454full);
  // Slot s of step t is position t x 256 + s + 1 of the sequence started at the key.
  CHECK(Stream(1234567, 5).bits(7) == 0xdb7ed86c04618edeull);
  CHECK(Stream(0, 1).bits(0) == Stream(0, 0).bits(256));
  // Keys come from Philox: different for each purpose and entity, the same for the same seed.
  const Random r(42);
  CHECK(Stream::key(r, Purpose::ResidentStream, 7) == Stream::key(Random(42), Purpose::ResidentStream, 7));
  CHECK(Stream::key(r, Purpose::ResidentStream, 7) != Stream::key(r, Purpose::ResidentStream, 8));
}

TEST_CASE("32-bit draws two per slot: uniform, and thresholds with the probability they stand for", "[random]") {
  using coopterra::Stream;
  using coopterra::StreamPairs;
  const Random r(3);
  const int n = 100000;
  const std::uint64_t t = StreamPairs::threshold32(0.01);
  double sum = 0, sum2 = 0, lag = 0;
  int below = 0;
  for (int i = 0; i < n; ++i) {
    const Stream s(Stream::key(r, Purpose::ResidentStream, static_cast<std::uint64_t>(i)), 1);
    StreamPairs draws(s);
    const double u0 = draws.open_uniform(10), u1 = draws.open_uniform(11);  // the two halves of slot 5
    REQUIRE(u0 > 0.0);
    REQUIRE(u1 < 1.0);
    CHECK(draws.bits(10) == static_cast<std::uint32_t>(s.bits(5)));
    CHECK(draws.bits(11) == static_cast<std::uint32_t>(s.bits(5) >> 32));
    sum += u0 + u1, sum2 += u0 * u0 + u1 * u1, lag += (u0 - 0.5) * (u1 - 0.5);
    below += draws.below(12, t);
  }
  const double mean = sum / (2 * n), var = sum2 / (2 * n) - mean * mean;
  CHECK(mean == Approx(0.5).margin(0.003));
  CHECK(var == Approx(1.0 / 12).margin(0.002));
  CHECK(lag / n == Approx(0.0).margin(0.002));  // the halves are uncorrelated
  CHECK(below == Approx(0.01 * n).margin(4 * std::sqrt(0.01 * 0.99 * n)));
  CHECK(StreamPairs::threshold32(0.0) == 0);
  CHECK(StreamPairs::threshold32(1.0) == (std::uint64_t{1} << 32));  // always below
}

TEST_CASE("the ziggurat's exponentials follow the exponential law, tail included", "[random]") {
  using coopterra::Exponential;
  using coopterra::Stream;
  const Random r(5);
  const std::size_t n = 1000000;
  std::vector<double> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Stream s(Stream::key(r, Purpose::ResidentStream, i / 64), static_cast<std::uint32_t>(i % 64));
    e[i] = s.exponential(static_cast<std::uint32_t>(i % 7));
    REQUIRE(e[i] > 0.0);
    REQUIRE(e[i] == Exponential::from_bits(s.bits(static_cast<std::uint32_t>(i % 7))));  // a pure function
  }
  double sum = 0, sum2 = 0;
  std::size_t beyond_r = 0, beyond_10 = 0;
  for (const double x : e) sum += x, sum2 += x * x, beyond_r += x > 7.69711747013104972, beyond_10 += x > 10.0;
  const double mean = sum / static_cast<double>(n), var = sum2 / static_cast<double>(n) - mean * mean;
  CHECK(mean == Approx(1.0).margin(0.004));  // 4 standard errors
  CHECK(var == Approx(1.0).margin(0.012));
  // The tail beyond the base layer, drawn by a logarithm: P(E > 7.697) = 4.54e-4, P(E > 10) = 4.54e-5.
  CHECK(static_cast<double>(beyond_r) == Approx(4.54e-4 * n).margin(4 * std::sqrt(4.54e-4 * n)));
  CHECK(static_cast<double>(beyond_10) == Approx(4.54e-5 * n).margin(4 * std::sqrt(4.54e-5 * n)));
  // Kolmogorov-Smirnov distance to 1 - exp(-x), under its 0.1 % critical value 1.95 / sqrt(n).
  std::sort(e.begin(), e.end());
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double cdf = 1.0 - std::exp(-e[i]);
    d = std::max({d, cdf - static_cast<double>(i) / static_cast<double>(n),
                  static_cast<double>(i + 1) / static_cast<double>(n) - cdf});
  }
  CHECK(d < 1.95 / std::sqrt(static_cast<double>(n)));
  // The words that miss every rectangle (a wedge or the tail) read further words: all of them give
  // values within their layer's law. Word 0 lies in the base rectangle: half its first abscissa step.
  CHECK(Exponential::from_bits(0) > 0.0);
  CHECK(Exponential::from_bits(0) < 1e-15);
}
