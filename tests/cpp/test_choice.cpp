// The shortcuts of the residents' weekly decisions give the decisions of the full computation:
// awareness draws rejected on their first byte.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>

#include "coopterra/model/awareness.hpp"

using namespace coopterra;

TEST_CASE("bytes_at_most compares the eight bytes of two words as unsigned bytes", "[choice]") {
  std::mt19937_64 gen(7);
  for (unsigned a = 0; a < 256; ++a)
    for (unsigned b = 0; b < 256; ++b) {
      const unsigned lane = (a * 256 + b) % 8;
      const std::uint64_t clear = ~(std::uint64_t{0xff} << (8 * lane));
      const std::uint64_t x = (gen() & clear) | (std::uint64_t{a} << (8 * lane));
      const std::uint64_t y = (gen() & clear) | (std::uint64_t{b} << (8 * lane));
      unsigned expected = 0;
      for (unsigned k = 0; k < 8; ++k)
        if (((x >> (8 * k)) & 0xffu) <= ((y >> (8 * k)) & 0xffu)) expected |= 1u << k;
      REQUIRE(bytes_at_most(x, y) == expected);
    }
}

TEST_CASE("a first byte rejects an awareness draw only when every draw it starts is above the chance", "[choice]") {
  // Eleven platforms over two slots, chances from 0 to 1 (a campaign reaching everyone), 8 ties.
  constexpr std::size_t kPlatforms = 11;
  const std::array<double, kPlatforms> p{0.0, 0.0001, 0.003, 0.01, 0.03, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0};
  AwarenessHazards hazards;
  hazards.build(
      kPlatforms, 8, 3, true,
      [&](std::size_t q) {
        return std::pair{p[q], 0.4};
      },
      [](std::size_t q, std::uint32_t zone) { return q == 4 && zone == 1 ? 1.0 : 0.0; },
      [](std::size_t q) { return q % 2 ? 0.02 : 0.0; });
  for (std::uint32_t zone = 0; zone < 3; ++zone)
    for (std::size_t banner = 0; banner < 2; ++banner) {
      const auto first = hazards.first(zone, banner);
      for (std::size_t q = 0; q < kPlatforms; ++q) {
        const std::uint64_t max = hazards.max_row(zone, banner)[q];
        CHECK(((first.possible >> q) & 1u) == (max > 0 ? 1u : 0u));
        // A resident outside the platform's potential (campaigns and the banner only) never has
        // a larger chance than one within it: the same first byte rejects both.
        CHECK(hazards.outside(zone, banner, q) <= hazards.at(zone, banner, q, 0));
        CHECK(hazards.outside(zone, banner, q) <= max);
        for (std::uint64_t high = 0; high < 256; ++high) {
          // The byte of platform q in its slot, the other bytes at their extremes.
          const unsigned lane = q % 8;
          for (const std::uint64_t others : {std::uint64_t{0}, ~std::uint64_t{0}}) {
            const std::uint64_t word = (others & ~(std::uint64_t{0xff} << (8 * lane))) | (high << (8 * lane));
            const bool pass = (first.may_pass(q / 8, word) >> lane) & 1u;
            // The least draw with this high byte is below the largest threshold exactly when it passes.
            if (max > 0) CHECK(pass == ((high << 24) < max));
          }
        }
      }
    }
}
