#pragma once
// Firms placed by zone and sector: producers and farms by area (land), the other sectors by
// population. Structure of arrays; deterministic from the territory, the spec and the seed.
#include <cstdint>
#include <vector>

#include "coopterra/core/random.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

enum class Sector : std::uint8_t { Producer = 0, Shop = 1, Restaurant = 2, Services = 3, Tourism = 4 };
inline constexpr std::size_t kSectors = 5;
const char* to_string(Sector sector) noexcept;

struct Firms {
  std::vector<std::uint32_t> zone;
  std::vector<Sector> sector;
  std::vector<std::uint8_t> chain;  // 1: part of a chain; 0: a local independent

  std::size_t size() const noexcept { return zone.size(); }
  std::size_t bytes() const noexcept {
    return zone.capacity() * sizeof(std::uint32_t) + sector.capacity() + chain.capacity();
  }
};

// Counts are exact (largest remainder): sector totals from firms.per_1000_residents and
// firms.sector_shares, then each sector's firms spread over zones by population (by area for
// producers). Whether a firm is a chain is drawn with its sector's chain share.
Firms make_firms(const Territory& territory, const FirmSpec& spec, const Random& random);

}  // namespace coopterra
