#pragma once
// Counter-based randomness: every draw is a pure function of (seed, purpose, entity, step, draw).
//
// Philox4x32-10 (Salmon et al. 2011, Random123) maps a 128-bit counter and a 64-bit key to 128
// random bits. The key is the run's seed; the counter packs the purpose of the decision, the
// entity that decides (a resident, a zone, a pair), the step (week) and a draw index. There is no
// generator state anywhere: the same draw comes out whichever thread computes it and in whatever
// order, so results are bit-identical for any thread count, and a checkpoint needs only the step.
//
// Each kind of decision has its own Purpose, so two scenarios share their random numbers wherever
// a policy does not change behaviour (common random numbers). Never reuse a purpose for a new kind
// of decision, and never renumber them: that would shift every stream and every baseline.
#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace coopterra {

enum class Purpose : std::uint16_t {
  TerritoryLayout = 1,     // positions and sizes of synthetic zones
  ResidentAttributes = 2,  // commuter status, car, attitudes
  Workplace = 3,           // workplace zone of a commuter
  SocialTies = 4,          // who a resident listens to
  InitialAwareness = 5,    // awareness of each platform at week 0
  Awareness = 6,           // weekly awareness diffusion
  ModeChoice = 7,          // weekly commuting mode choice
  CarpoolRoles = 8,        // who drives in a matched carpool
  FirmAttributes = 9,      // chain or independent
  MarketNeed = 10,         // whether a resident has a market's need this week
  MarketAwareness = 11,    // weekly awareness diffusion of the markets' platforms
  MarketChoice = 12,       // the channel chosen for a purchase
  BarterJoin = 13,         // a firm joining the barter network
  InitialMarketAwareness = 14,
};

class Random {
 public:
  explicit Random(std::uint64_t seed) noexcept : seed_(seed) {}
  std::uint64_t seed() const noexcept { return seed_; }

  // 128 random bits for (purpose, entity, step, draw); draw < 65536.
  std::array<std::uint32_t, 4> bits(Purpose purpose, std::uint64_t entity, std::uint32_t step,
                                    std::uint16_t draw = 0) const noexcept {
    const r123::Philox4x32::ctr_type counter = {{(std::uint32_t{static_cast<std::uint16_t>(purpose)} << 16) | draw,
                                                 static_cast<std::uint32_t>(entity),
                                                 static_cast<std::uint32_t>(entity >> 32), step}};
    const r123::Philox4x32::key_type key = {
        {static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32)}};
    const auto out = r123::Philox4x32{}(counter, key);
    return {out[0], out[1], out[2], out[3]};
  }

  // Two independent uniforms in [0, 1), each with 53 random bits.
  std::array<double, 2> uniform2(Purpose purpose, std::uint64_t entity, std::uint32_t step,
                                 std::uint16_t draw = 0) const noexcept {
    const auto b = bits(purpose, entity, step, draw);
    return {to_unit(b[0], b[1]), to_unit(b[2], b[3])};
  }

  // One uniform in [0, 1).
  double uniform(Purpose purpose, std::uint64_t entity, std::uint32_t step, std::uint16_t draw = 0) const noexcept {
    return uniform2(purpose, entity, step, draw)[0];
  }

  // Four independent uniforms in the open interval (0, 1), each with 32 random bits: for
  // transforms such as -log(u) that must never see 0 or 1.
  std::array<double, 4> open_uniform4(Purpose purpose, std::uint64_t entity, std::uint32_t step,
                                      std::uint16_t draw = 0) const noexcept {
    const auto b = bits(purpose, entity, step, draw);
    return {to_open_unit(b[0]), to_open_unit(b[1]), to_open_unit(b[2]), to_open_unit(b[3])};
  }

  static double to_open_unit(std::uint32_t x) noexcept { return (static_cast<double>(x) + 0.5) * 0x1.0p-32; }

  static double to_unit(std::uint32_t hi, std::uint32_t lo) noexcept {
    const std::uint64_t x = (std::uint64_t{hi} << 32) | lo;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t seed_;
};

}  // namespace coopterra
