#include "coopterra/population/population.hpp"

#include <algorithm>
#include <numeric>

#include "coopterra/core/error.hpp"
#include "coopterra/core/parallel.hpp"

namespace coopterra {

std::size_t Residents::bytes() const noexcept {
  return home.capacity() * sizeof(std::uint32_t) + work.capacity() * sizeof(std::uint32_t) + flags.capacity() +
         coop_attitude.capacity() * sizeof(float) + zone_begin.capacity() * sizeof(std::uint32_t) +
         ties.capacity() * sizeof(std::uint32_t);
}

std::vector<double> workplace_cdf(const Territory& t, double stay_share) {
  const std::size_t n = t.zones.size();
  std::vector<double> cdf(n * n, 0.0);
  std::vector<std::size_t> order(n);
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return t.road_km(ii, static_cast<Eigen::Index>(a)) < t.road_km(ii, static_cast<Eigen::Index>(b));
    });
    const double m = static_cast<double>(t.zones.population[i]);
    double s = 0.0;  // population strictly closer than the candidate, origin excluded
    double total = 0.0;
    std::fill(p.begin(), p.end(), 0.0);
    for (std::size_t j : order) {
      if (j == i) continue;
      const double nj = static_cast<double>(t.zones.population[j]);
      p[j] = m * nj / ((m + s) * (m + nj + s));
      total += p[j];
      s += nj;
    }
    double running = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double pj = j == i ? (n == 1 ? 1.0 : stay_share) : (total > 0 ? (1.0 - stay_share) * p[j] / total : 0.0);
      running += pj;
      cdf[i * n + j] = running;
    }
    cdf[i * n + n - 1] = 1.0;  // guard against rounding
  }
  return cdf;
}

Residents make_population(const Territory& t, const PopulationSpec& spec, const Random& random, int threads) {
  const std::size_t zones = t.zones.size();
  const auto total = t.population();
  if (total > std::int64_t{0xfffffff0}) throw ConfigurationError("more than 4 billion residents are not supported");
  const auto n = static_cast<std::size_t>(total);
  Residents r;
  r.home.resize(n);
  r.work.resize(n);
  r.flags.resize(n);
  r.coop_attitude.resize(n);
  r.zone_begin.resize(zones + 1);
  r.zone_begin[0] = 0;
  for (std::size_t z = 0; z < zones; ++z)
    r.zone_begin[z + 1] = r.zone_begin[z] + static_cast<std::uint32_t>(t.zones.population[z]);
  for (std::size_t z = 0; z < zones; ++z)
    std::fill(r.home.begin() + r.zone_begin[z], r.home.begin() + r.zone_begin[z + 1], static_cast<std::uint32_t>(z));

  const std::vector<double> cdf = workplace_cdf(t, spec.work_in_home_zone_share);
  const auto k = static_cast<std::uint32_t>(spec.ties_per_resident);
  r.ties_per_resident = k;
  r.ties.resize(n * k);

  parallel_chunks(n, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto [u_commuter, u_car] = random.uniform2(Purpose::ResidentAttributes, i, 0, 0);
      const auto [u_electric, u_attitude] = random.uniform2(Purpose::ResidentAttributes, i, 0, 1);
      const bool car_commuter = u_commuter < spec.commuter_share && u_car < spec.car_commute_share;
      std::uint8_t flags = car_commuter ? Residents::CarCommuter : 0;
      if (u_electric < spec.electric_car_share) flags |= Residents::ElectricCar;
      r.flags[i] = flags;
      r.coop_attitude[i] = static_cast<float>(u_attitude);
      r.work[i] = kNoZone;
      const std::uint32_t home = r.home[i];
      if (car_commuter) {
        const double u = random.uniform(Purpose::Workplace, i, 0);
        const double* row = cdf.data() + std::size_t{home} * zones;
        const auto j = static_cast<std::size_t>(std::upper_bound(row, row + zones, u) - row);
        r.work[i] = static_cast<std::uint32_t>(std::min(j, zones - 1));
      }
      // Ties: mostly within the home zone, the rest anywhere; never oneself.
      const std::uint32_t zb = r.zone_begin[home], zn = r.zone_begin[home + 1] - zb;
      for (std::uint32_t j = 0; j < k; ++j) {
        const auto [u_local, u_pick] = random.uniform2(Purpose::SocialTies, i, 0, static_cast<std::uint16_t>(j));
        const bool local = u_local < spec.local_tie_share && zn > 1;
        const std::uint32_t base = local ? zb : 0;
        const std::uint32_t span = local ? zn : static_cast<std::uint32_t>(n);
        auto other = base + static_cast<std::uint32_t>(u_pick * span);
        if (other == i) other = base + (other - base + 1) % span;
        r.ties[i * k + j] = other;
      }
    }
  });
  return r;
}

}  // namespace coopterra
