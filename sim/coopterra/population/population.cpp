#include "coopterra/population/population.hpp"

#include <cstdio>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "coopterra/core/error.hpp"
#include "coopterra/core/parallel.hpp"

namespace coopterra {

const char* age_group_label(std::size_t group) noexcept {
  static const char* labels[kAgeGroups] = {"0-14", "15-29", "30-44", "45-59", "60-74", "75+"};
  return group < kAgeGroups ? labels[group] : "unknown";
}

std::size_t Residents::bytes() const noexcept {
  return home.capacity() * sizeof(std::uint32_t) + work.capacity() * sizeof(std::uint32_t) + flags.capacity() +
         age_group.capacity() + income_decile.capacity() + coop_attitude.capacity() * sizeof(float) +
         env_attitude.capacity() * sizeof(float) + zone_begin.capacity() * sizeof(std::uint32_t) +
         ties.capacity() * sizeof(std::uint32_t) + stream_key.capacity() * sizeof(std::uint64_t);
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
    if (m == 0) {  // nobody commutes from an empty commune: any valid row will do
      for (std::size_t j = 0; j < n; ++j) cdf[i * n + j] = j == i ? 1.0 : (j < i ? 0.0 : 1.0);
      continue;
    }
    double s = 0.0;  // population strictly closer than the candidate, origin excluded
    double total = 0.0;
    std::fill(p.begin(), p.end(), 0.0);
    for (std::size_t j : order) {
      if (j == i || (!t.place.empty() && t.place[j] != t.place[i])) continue;  // within its own place
      const double nj = static_cast<double>(t.zones.population[j]);
      p[j] = m * nj / ((m + s) * (m + nj + s));
      total += p[j];
      s += nj;
    }
    if (total == 0) {  // no other commune has anyone: everybody works at home
      for (std::size_t j = 0; j < n; ++j) cdf[i * n + j] = j < i ? 0.0 : 1.0;
      continue;
    }
    double running = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      running += j == i ? stay_share : (1.0 - stay_share) * p[j] / total;
      cdf[i * n + j] = running;
    }
    ensure(std::abs(running - 1.0) < 1e-9, "radiation model: workplace probabilities do not sum to 1");
    cdf[i * n + n - 1] = 1.0;  // exactly 1, whatever the rounding
  }
  return cdf;
}

void check_population(std::int64_t total, const std::string& territory) {
  if (total <= 0)
    throw ConfigurationError("the territory has no inhabitant (every commune's population is 0): nothing to simulate",
                             Location{territory, 0, 0, "territory"});
  if (total > kMaxResidents) {
    const double gigabytes = static_cast<double>(total) * static_cast<double>(kBytesPerResident) / 1e9;
    char need[32];
    std::snprintf(need, sizeof need, "%.1f", gigabytes);
    throw ConfigurationError("the territory has " + std::to_string(total) + " inhabitants: at most " +
                                 std::to_string(kMaxResidents) + " are supported (a run would need about " + need +
                                 " GB of memory); select fewer communes (territory.select)",
                             Location{territory, 0, 0, "territory"});
  }
}

Residents make_population(const Territory& t, const PopulationSpec& spec, const Random& random, int threads) {
  const std::size_t zones = t.zones.size();
  const auto total = t.population();
  check_population(total, t.source);
  const auto n = static_cast<std::size_t>(total);
  Residents r;
  r.home.resize(n);
  r.work.resize(n);
  r.flags.resize(n);
  r.coop_attitude.resize(n);
  r.stream_key.resize(n);
  r.zone_begin.resize(zones + 1);
  r.zone_begin[0] = 0;
  for (std::size_t z = 0; z < zones; ++z)
    r.zone_begin[z + 1] = r.zone_begin[z] + static_cast<std::uint32_t>(t.zones.population[z]);
  for (std::size_t z = 0; z < zones; ++z)
    std::fill(r.home.begin() + r.zone_begin[z], r.home.begin() + r.zone_begin[z + 1], static_cast<std::uint32_t>(z));

  // Workplaces: the radiation model, or the territory's home-work flows where it has them (the
  // radiation rows are then computed only if some inhabited zone has no flow).
  std::vector<std::uint32_t> flow_begin(zones + 1, 0);
  std::vector<double> flow_cdf;
  bool radiation_needed = !t.has_flows();
  if (t.has_flows()) {
    flow_begin = t.flow_begin;
    flow_cdf.resize(t.flow_workers.size());
    for (std::size_t z = 0; z < zones; ++z) {
      double workers = 0;
      for (auto k = flow_begin[z]; k < flow_begin[z + 1]; ++k) workers += t.flow_workers[k];
      double cumulated = 0;
      for (auto k = flow_begin[z]; k < flow_begin[z + 1]; ++k) flow_cdf[k] = (cumulated += t.flow_workers[k]) / workers;
      if (flow_begin[z + 1] > flow_begin[z]) flow_cdf[flow_begin[z + 1] - 1] = 1.0;
      radiation_needed |= flow_begin[z + 1] == flow_begin[z] && t.zones.population[z] > 0;
    }
  }
  const std::vector<double> cdf =
      radiation_needed ? workplace_cdf(t, spec.work_in_home_zone_share) : std::vector<double>{};
  const auto k = static_cast<std::uint32_t>(spec.ties_per_resident);
  r.ties_per_resident = k;
  r.ties.resize(n * k);

  // P(commuter | age group) = commuter_share x relative rate / sum over groups (share x relative rate).
  const auto& ages = spec.age_shares;
  std::array<double, kAgeGroups> age_cdf{}, commuter_given_age{}, offline_given_age{};
  double running = 0, weighted = 0;
  for (std::size_t g = 0; g < kAgeGroups; ++g) weighted += ages[g] * spec.relative_employment_by_age[g];
  for (std::size_t g = 0; g < kAgeGroups; ++g) {
    running += ages[g];
    age_cdf[g] = running;
    commuter_given_age[g] = weighted > 0 ? spec.commuter_share * spec.relative_employment_by_age[g] / weighted : 0.0;
    offline_given_age[g] = spec.offline_share_by_age[g];
  }
  age_cdf[kAgeGroups - 1] = 1.0;
  // Income deciles by kind of commune: P(d) proportional to exp(tilt x (d - 5.5)), d = 1..10.
  std::array<std::array<double, 10>, 3> decile_cdf{};
  for (std::size_t kind = 0; kind < 3; ++kind) {
    const double tilt = spec.income_tilt_by_kind.size() == 3 ? spec.income_tilt_by_kind[kind] : 0.0;
    double weights = 0;
    for (std::size_t d = 0; d < 10; ++d) weights += std::exp(tilt * (static_cast<double>(d) - 4.5));
    double cumulated = 0;
    for (std::size_t d = 0; d < 10; ++d)
      decile_cdf[kind][d] = (cumulated += std::exp(tilt * (static_cast<double>(d) - 4.5)) / weights);
    decile_cdf[kind][9] = 1.0;
  }
  r.age_group.resize(n);
  r.income_decile.resize(n);
  r.env_attitude.resize(n);

  // Car access and driving to work by zone: the kind's values, falling in dense cities (public
  // transport) log-linearly in density to the dense city's (docs/model.md, "Residents").
  std::vector<double> zone_car_access(t.zones.size()), zone_drive(t.zones.size());
  for (std::size_t z = 0; z < t.zones.size(); ++z) {
    zone_car_access[z] = spec.car_access_by_kind[static_cast<std::size_t>(t.zones.kind[z])];
    zone_drive[z] = spec.drive_if_car_share;
    const double density =
        t.zones.area_km2[z] > 0 ? static_cast<double>(t.zones.population[z]) / t.zones.area_km2[z] : 0;
    if (density > spec.dense_city_from_density && spec.dense_city_from_density > 0 &&
        spec.dense_city_density > spec.dense_city_from_density) {
      const double f = std::min(1.0, std::log(density / spec.dense_city_from_density) /
                                         std::log(spec.dense_city_density / spec.dense_city_from_density));
      zone_car_access[z] += f * (spec.dense_city_car_access - zone_car_access[z]);
      zone_drive[z] += f * (spec.dense_city_drive_if_car_share - zone_drive[z]);
    }
  }
  parallel_chunks(n, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t home = r.home[i];
      const auto a = random.open_uniform4(Purpose::ResidentAttributes, i, 0, 0);
      const auto b = random.open_uniform4(Purpose::ResidentAttributes, i, 0, 1);
      const auto age =
          static_cast<std::uint8_t>(std::upper_bound(age_cdf.begin(), age_cdf.end(), a[0]) - age_cdf.begin());
      const std::size_t g = std::min<std::size_t>(age, kAgeGroups - 1);
      const auto& deciles = decile_cdf[static_cast<std::size_t>(t.zones.kind[home])];
      const auto decile = static_cast<std::uint8_t>(
          1 + std::min<std::ptrdiff_t>(9, std::upper_bound(deciles.begin(), deciles.end(), b[2]) - deciles.begin()));
      const double above_middle = (static_cast<double>(decile) - 5.5) / 4.5;  // -1 .. 1
      const double car_access =
          std::clamp(zone_car_access[home] * (1.0 + spec.car_access_income_slope * above_middle), 0.0, 1.0);
      const double offline =
          std::clamp(offline_given_age[g] * (1.0 - spec.offline_income_slope * above_middle), 0.0, 1.0);
      std::uint8_t flags = 0;
      if (a[1] < commuter_given_age[g]) flags |= Residents::Commuter;
      if (a[2] < car_access) flags |= Residents::HasCar;
      if ((flags & Residents::Commuter) && (flags & Residents::HasCar) && a[3] < zone_drive[home])
        flags |= Residents::CarCommuter;
      if (b[0] < spec.electric_car_share) flags |= Residents::ElectricCar;
      if (b[1] >= offline) flags |= Residents::Online;
      r.flags[i] = flags;
      r.age_group[i] = static_cast<std::uint8_t>(g);
      r.income_decile[i] = decile;
      r.coop_attitude[i] = static_cast<float>(b[3]);
      r.env_attitude[i] = static_cast<float>(random.uniform(Purpose::ResidentAttributes, i, 0, 2));
      r.stream_key[i] = Stream::key(random, Purpose::ResidentStream, i);
      r.work[i] = kNoZone;
      if (flags & Residents::Commuter) {
        const double u = random.uniform(Purpose::Workplace, i, 0);
        const std::uint32_t fb = flow_begin[home], fe = flow_begin[home + 1];
        if (fe > fb) {
          const double* row = flow_cdf.data() + fb;
          const auto j = static_cast<std::size_t>(std::upper_bound(row, row + (fe - fb), u) - row);
          r.work[i] = t.flow_work[fb + std::min<std::size_t>(j, fe - fb - 1)];
        } else {
          const double* row = cdf.data() + std::size_t{home} * zones;
          const auto j = static_cast<std::size_t>(std::upper_bound(row, row + zones, u) - row);
          r.work[i] = static_cast<std::uint32_t>(std::min(j, zones - 1));
        }
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
