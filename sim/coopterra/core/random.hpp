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

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace coopterra {

enum class Purpose : std::uint16_t {
  TerritoryLayout = 1,     // positions and sizes of synthetic zones
  ResidentAttributes = 2,  // commuter status, car, attitudes
  Workplace = 3,           // workplace zone of a commuter
  SocialTies = 4,          // who a resident listens to
  InitialAwareness = 5,    // awareness of each platform at week 0
  Awareness = 6,           // weekly awareness diffusion (retired: now a Stream slot; never reuse)
  ModeChoice = 7,          // weekly commuting mode choice (retired: now a Stream slot)
  CarpoolRoles = 8,        // who drives in a matched carpool (retired: now a Stream slot)
  FirmAttributes = 9,      // chain or independent
  MarketNeed = 10,         // a market need (retired: now a Stream slot)
  MarketAwareness = 11,    // awareness of market platforms (retired: now a Stream slot)
  MarketChoice = 12,       // a market choice (retired: now a Stream slot)
  BarterJoin = 13,         // a firm joining the barter network
  InitialMarketAwareness = 14,
  ResidentStream = 15,   // key of a resident's Stream: their weekly draws in every model (slots below)
  FirmFailure = 16,      // a firm failing in a week (the sector's hazard)
  FirmEntry = 17,        // an entrant taking a failed firm's place in a week
  BarterPotential = 18,  // whether a firm is among those that would ever join the barter network
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
  // 53 random bits of x as a double in the open interval (0, 1).
  static double to_open_unit53(std::uint64_t x) noexcept { return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53; }

  static double to_unit(std::uint32_t hi, std::uint32_t lo) noexcept {
    const std::uint64_t x = (std::uint64_t{hi} << 32) | lo;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t seed_;
};

// SplitMix64's output function (Steele, Lea and Flood 2014): 64 well-mixed bits from a state.
inline std::uint64_t splitmix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Many cheap draws for one entity at one step, each at a fixed slot. The entity's key (64 bits,
// drawn once with Philox) starts a SplitMix64 sequence (Steele, Lea and Flood 2014); slot s of
// step t is that sequence's output at position t x 256 + s + 1. A draw costs two multiplications
// instead of a Philox call (ten rounds), and, being a fixed position rather than the next draw of
// a sequence, it keeps common random numbers: a decision reads the same slot whether or not other
// decisions drew before it. Slots run from 0 to 255; a resident's Stream is shared by the models:
//   slots 0-111   the markets (awareness, needs, choices: model/markets.cpp)
//   slots 120-124 carpooling (awareness, mode choice, roles in a pair: model/carpool.cpp)
class Stream {
 public:
  static std::uint64_t key(const Random& random, Purpose purpose, std::uint64_t entity) noexcept {
    const auto b = random.bits(purpose, entity, 0);
    return (std::uint64_t{b[0]} << 32) | b[1];
  }
  Stream(std::uint64_t key, std::uint32_t step) noexcept : base_(key + std::uint64_t{step} * 256 * kGamma) {}
  std::uint64_t bits(std::uint32_t slot) const noexcept {
    return splitmix64(base_ + (std::uint64_t{slot} + 1) * kGamma);
  }
  // A uniform in (0, 1) with 53 random bits.
  double open_uniform(std::uint32_t slot) const noexcept { return Random::to_open_unit53(bits(slot)); }
  // An exponential variate of mean 1 (see Exponential).
  double exponential(std::uint32_t slot) const noexcept;

 private:
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ull;
  std::uint64_t base_;
};

// Exponential variates of mean 1 from 64 random bits, by the ziggurat method (Marsaglia and Tsang
// 2000, "The ziggurat method for generating random variables", J. Stat. Softw. 5(8)) with 256
// layers: the layer from the word's low 8 bits, the abscissa from its high 53 (disjoint bits, where
// the original shares them). 98.9 % of words are decided by one comparison, without a logarithm;
// the others read more words, made from the first by SplitMix64's mixer, so that the variate stays
// a pure function of the word (and of its slot in a Stream).
class Exponential {
 public:
  static double from_bits(std::uint64_t word) noexcept {
    const Tables& t = tables();
    std::uint64_t w = word, extra = 0;
    for (;;) {
      const auto layer = static_cast<unsigned>(w & 0xffu);
      const std::uint64_t a = w >> 11;
      const double x = (static_cast<double>(a) + 0.5) * t.w[layer];
      if (a < t.k[layer]) return x;                                                      // inside the layer's rectangle
      if (layer == 0) return kR - std::log(Random::to_open_unit53(mix(word, ++extra)));  // the tail beyond R
      // Between the rectangle and the curve: accept under exp(-x).
      const double u = Random::to_open_unit53(mix(word, ++extra));
      if (t.f[layer] + u * (t.f[layer - 1] - t.f[layer]) < std::exp(-x)) return x;
      w = mix(word, ++extra);
    }
  }

 private:
  static constexpr double kR = 7.69711747013104972;   // start of the tail
  static constexpr double kV = 3.949659822581572e-3;  // area of each layer
  static constexpr double kScale = 0x1.0p53;          // abscissae have 53 bits
  struct Tables {
    std::array<std::uint64_t, 256> k{};
    std::array<double, 256> w{}, f{};
  };
  static Tables make() noexcept {
    Tables t;
    double de = kR, te = kR;
    const double q = kV / std::exp(-de);
    t.k[0] = static_cast<std::uint64_t>(de / q * kScale), t.k[1] = 0;
    t.w[0] = q / kScale, t.w[255] = de / kScale;
    t.f[0] = 1.0, t.f[255] = std::exp(-de);
    for (int i = 254; i >= 1; --i) {
      de = -std::log(kV / de + std::exp(-de));
      t.k[static_cast<std::size_t>(i + 1)] = static_cast<std::uint64_t>(de / te * kScale);
      te = de;
      t.f[static_cast<std::size_t>(i)] = std::exp(-de);
      t.w[static_cast<std::size_t>(i)] = de / kScale;
    }
    return t;
  }
  // Built when the program (or the Python module) loads: a function-local static would cost a
  // guard test on every draw.
  static inline const Tables kTables = make();
  static const Tables& tables() noexcept { return kTables; }
  static std::uint64_t mix(std::uint64_t word, std::uint64_t n) noexcept {
    return splitmix64(word + n * 0x9e3779b97f4a7c15ull);
  }
};

inline double Stream::exponential(std::uint32_t slot) const noexcept {
  return Exponential::from_bits(bits(slot));
}

// Uniforms of 32 random bits from a Stream, two per slot: draw d is half d % 2 of slot d / 2.
// Reading draws in increasing order computes each slot once.
class StreamPairs {
 public:
  explicit StreamPairs(const Stream& stream) noexcept : stream_(stream) {}
  std::uint32_t bits(std::uint32_t draw) noexcept {
    const std::uint32_t slot = draw >> 1;
    if (slot != slot_) slot_ = slot, word_ = stream_.bits(slot);
    return static_cast<std::uint32_t>(word_ >> (32 * (draw & 1u)));
  }
  // A uniform in (0, 1).
  double open_uniform(std::uint32_t draw) noexcept { return Random::to_open_unit(bits(draw)); }
  // True with probability threshold / 2^32 (see threshold32): an event decided without floating point.
  bool below(std::uint32_t draw, std::uint64_t threshold) noexcept { return bits(draw) < threshold; }

  // The threshold of an event of probability p in [0, 1] for below(): within 2^-33 of p.
  static std::uint64_t threshold32(double p) noexcept {
    return static_cast<std::uint64_t>(std::llround(std::clamp(p, 0.0, 1.0) * 0x1.0p32));
  }

 private:
  const Stream& stream_;
  std::uint32_t slot_ = ~0u;
  std::uint64_t word_ = 0;
};

}  // namespace coopterra
