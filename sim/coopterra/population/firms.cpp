#include "coopterra/population/firms.hpp"

#include <cmath>

#include "coopterra/core/allocate.hpp"

namespace coopterra {

const char* to_string(Sector sector) noexcept {
  switch (sector) {
    case Sector::Producer: return "producer";
    case Sector::Shop: return "shop";
    case Sector::Restaurant: return "restaurant";
    case Sector::Services: return "services";
    case Sector::Tourism: return "tourism";
  }
  return "unknown";
}

Firms make_firms(const Territory& t, const FirmSpec& spec, const Random& random) {
  const auto total =
      static_cast<std::int64_t>(std::llround(static_cast<double>(t.population()) * spec.per_1000_residents / 1000.0));
  const auto by_sector = allocate_proportionally(total, spec.sector_shares);
  std::vector<double> population(t.zones.population.begin(), t.zones.population.end());
  Firms f;
  f.zone.reserve(static_cast<std::size_t>(total));
  for (std::size_t s = 0; s < kSectors; ++s) {
    const auto sector = static_cast<Sector>(s);
    const auto by_zone =
        allocate_proportionally(by_sector[s], sector == Sector::Producer ? t.zones.area_km2 : population);
    for (std::size_t z = 0; z < by_zone.size(); ++z)
      for (std::int64_t k = 0; k < by_zone[z]; ++k) {
        const std::size_t id = f.zone.size();
        f.zone.push_back(static_cast<std::uint32_t>(z));
        f.sector.push_back(sector);
        f.chain.push_back(random.uniform(Purpose::FirmAttributes, id, 0) < spec.chain_share_by_sector[s] ? 1 : 0);
      }
  }
  return f;
}

}  // namespace coopterra
