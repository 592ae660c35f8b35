// Known-answer tests of Philox4x32-10 (Random123's published vectors) and of the way coopterra
// packs (seed, purpose, entity, step, draw) into its key and counter.
#include <catch2/catch.hpp>

#include <set>

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
