#include "coopterra/territory/territory.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numbers>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/core/hash.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/territory/communes.hpp"

namespace coopterra {

const char* to_string(ZoneKind kind) noexcept {
  switch (kind) {
    case ZoneKind::UrbanCore: return "urban core";
    case ZoneKind::Periurban: return "periurban";
    case ZoneKind::Rural: return "rural";
  }
  return "unknown";
}

std::int64_t Territory::population() const {
  std::int64_t total = 0;
  for (auto p : zones.population) total += p;
  return total;
}

namespace {

double crowfly_km(const Zones& z, std::size_t a, std::size_t b) {
  return std::hypot(z.x_km[a] - z.x_km[b], z.y_km[a] - z.y_km[b]);
}

}  // namespace

std::string Territory::checksum() const {
  Fnv1a f;
  for (std::size_t i = 0; i < zones.size(); ++i) {
    f.bytes(zones.code[i].data(), zones.code[i].size());
    f.value(zones.population[i]);
    f.value(zones.x_km[i]);
    f.value(zones.y_km[i]);
  }
  for (const auto& r : roads) {
    f.value(r.a);
    f.value(r.b);
    f.value(r.km);
  }
  for (std::size_t k = 0; k < flow_work.size(); ++k) {  // none for the synthetic territory
    f.value(flow_work[k]);
    f.value(flow_workers[k]);
  }
  for (auto b : flow_begin) f.value(b);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(f.h));
  return buf;
}

Territory make_synthetic_territory(const TerritorySpec& spec, int threads) {
  const auto n = static_cast<std::size_t>(spec.zones);
  const Random random(static_cast<std::uint64_t>(spec.seed));
  Territory t;
  char label[96];
  std::snprintf(label, sizeof label, "synthetic(zones=%lld, residents=%lld, seed=%lld)",
                static_cast<long long>(spec.zones), static_cast<long long>(spec.residents),
                static_cast<long long>(spec.seed));
  t.source = label;

  Zones& z = t.zones;
  const auto periurban = static_cast<std::size_t>(std::llround(spec.periurban_share * static_cast<double>(n - 1)));
  const double radius = spec.radius_km;
  const double area = std::numbers::pi * radius * radius / static_cast<double>(n);
  // Reference point for latitude/longitude: the Rhône valley near Valence (a neutral anchor).
  constexpr double lat0 = 44.93, lon0 = 4.89, km_per_degree = 111.32;
  std::vector<double> weights(n);
  for (std::size_t r = 0; r < n; ++r) {
    const ZoneKind kind = r == 0 ? ZoneKind::UrbanCore : (r <= periurban ? ZoneKind::Periurban : ZoneKind::Rural);
    // Area-uniform position in the zone kind's annulus.
    const auto [u_radius, u_angle] = random.uniform2(Purpose::TerritoryLayout, r, 0);
    const double r_in = kind == ZoneKind::UrbanCore ? 0.0 : (kind == ZoneKind::Periurban ? 0.12 : 0.45) * radius;
    const double r_out = kind == ZoneKind::UrbanCore ? 0.0 : (kind == ZoneKind::Periurban ? 0.45 : 1.0) * radius;
    const double rho = std::sqrt(u_radius * (r_out * r_out - r_in * r_in) + r_in * r_in);
    const double angle = 2.0 * std::numbers::pi * u_angle;
    const double x = rho * std::cos(angle), y = rho * std::sin(angle);
    std::string code = std::to_string(r + 1);
    z.code.push_back("Z" + std::string(code.size() < 4 ? 4 - code.size() : 0, '0') + code);
    z.name.push_back(std::string(r == 0 ? "Central town" : to_string(kind)) + " " + std::to_string(r + 1));
    z.name.back()[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(z.name.back()[0])));
    z.x_km.push_back(x);
    z.y_km.push_back(y);
    z.lat.push_back(lat0 + y / km_per_degree);
    z.lon.push_back(lon0 + x / (km_per_degree * std::cos(lat0 * std::numbers::pi / 180.0)));
    z.area_km2.push_back(area);
    z.kind.push_back(kind);
    z.departement.emplace_back("synthetic");
    z.epci_code.emplace_back("synthetic");
    z.epci_name.emplace_back("Synthetic intercommunality");
    weights[r] = std::pow(static_cast<double>(r + 1), -spec.rank_size_exponent);
  }
  z.population = allocate_proportionally(spec.residents, weights, /*at_least_one=*/true);
  // Structure of the population, from national averages (docs/territories.md): 2.2 persons per
  // household, 62 % aged 15-64 and 74 % of those active (INSEE 2021, est.).
  for (auto p : z.population) {
    const double pop = static_cast<double>(p);
    z.households.push_back(std::llround(pop / 2.2));
    z.working_age.push_back(std::llround(pop * 0.62));
    z.active.push_back(std::llround(pop * 0.62 * 0.74));
  }
  t.roads = nearest_neighbour_roads(z, static_cast<int>(spec.road_neighbours), spec.detour_factor, spec.road_speed_kmh);
  compute_shortest_paths(t, spec.detour_factor, spec.road_speed_kmh, threads);
  return t;
}

Territory make_territory(const TerritorySpec& spec, int threads) {
  if (spec.source == "communes") return load_commune_territory(spec, threads);
  return make_synthetic_territory(spec, threads);
}

void classify_zones(Zones& z, const TerritorySpec& spec) {
  const std::size_t n = z.size();
  auto density = [&](std::size_t i) { return static_cast<double>(z.population[i]) / z.area_km2[i]; };
  std::vector<std::size_t> cores;
  for (std::size_t i = 0; i < n; ++i) {
    const bool core = z.population[i] >= spec.urban_core_min_population || density(i) >= spec.urban_core_min_density;
    z.kind[i] = core ? ZoneKind::UrbanCore : ZoneKind::Rural;
    if (core) cores.push_back(i);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (z.kind[i] == ZoneKind::UrbanCore || density(i) < spec.periurban_min_density) continue;
    for (std::size_t c : cores)
      if (crowfly_km(z, i, c) <= spec.periurban_radius_km) {
        z.kind[i] = ZoneKind::Periurban;
        break;
      }
  }
}

std::vector<RoadLink> nearest_neighbour_roads(const Zones& zones, int k, double detour_factor, double speed_kmh) {
  const std::size_t n = zones.size();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::vector<std::pair<double, std::uint32_t>> by_distance;
  for (std::size_t a = 0; a < n; ++a) {
    by_distance.clear();
    for (std::size_t b = 0; b < n; ++b)
      if (b != a) by_distance.push_back({crowfly_km(zones, a, b), static_cast<std::uint32_t>(b)});
    const auto kk = std::min<std::size_t>(static_cast<std::size_t>(k), by_distance.size());
    std::partial_sort(by_distance.begin(), by_distance.begin() + static_cast<std::ptrdiff_t>(kk), by_distance.end());
    for (std::size_t i = 0; i < kk; ++i) {
      const auto b = by_distance[i].second;
      pairs.push_back({std::min<std::uint32_t>(static_cast<std::uint32_t>(a), b),
                       std::max<std::uint32_t>(static_cast<std::uint32_t>(a), b)});
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  // Join components: link the component of zone 0 to the nearest zone outside it, until one.
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  for (;;) {
    Graph g(n);
    for (const auto& [a, b] : pairs) boost::add_edge(a, b, g);
    std::vector<int> component(n);
    if (boost::connected_components(g, component.data()) <= 1) break;
    double best = std::numeric_limits<double>::infinity();
    std::pair<std::uint32_t, std::uint32_t> link{};
    for (std::size_t a = 0; a < n; ++a) {
      if (component[a] != component[0]) continue;
      for (std::size_t b = 0; b < n; ++b) {
        if (component[b] == component[0]) continue;
        const double d = crowfly_km(zones, a, b);
        if (d < best)
          best = d, link = {static_cast<std::uint32_t>(std::min(a, b)), static_cast<std::uint32_t>(std::max(a, b))};
      }
    }
    pairs.push_back(link);
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<RoadLink> roads;
  for (const auto& [a, b] : pairs) {
    const double km = crowfly_km(zones, a, b) * detour_factor;
    roads.push_back({a, b, km, km / speed_kmh * 60.0});
  }
  return roads;
}

void compute_shortest_paths(Territory& t, double detour_factor, double speed_kmh, int threads) {
  struct Link {
    double km, minutes;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, Link>;
  const std::size_t n = t.zones.size();
  Graph g(n);
  for (const auto& r : t.roads) {
    if (r.a >= n || r.b >= n)
      throw InputDataError("road link " + std::to_string(r.a) + "-" + std::to_string(r.b) +
                           " names a zone that does not exist");
    if (!(r.km > 0) || !(r.minutes > 0))
      throw InputDataError("road link " + t.zones.code[r.a] + "-" + t.zones.code[r.b] +
                           " has a non-positive length or time");
    boost::add_edge(r.a, r.b, Link{r.km, r.minutes}, g);
  }
  t.road_km.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  t.road_minutes.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  // Travel time: the minutes of the links along the shortest-distance path.
  const long long count = static_cast<long long>(n);
  bool disconnected = false;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 4) reduction(|| : disconnected)
  for (long long s = 0; s < count; ++s) {
    const auto source = static_cast<std::size_t>(s);
    std::vector<double> dist(n), minutes(n, 0.0);
    std::vector<std::size_t> pred(n);
    const auto index = boost::get(boost::vertex_index, g);
    boost::dijkstra_shortest_paths(g, source,
                                   boost::weight_map(boost::get(&Link::km, g))
                                       .distance_map(boost::make_iterator_property_map(dist.begin(), index))
                                       .predecessor_map(boost::make_iterator_property_map(pred.begin(), index)));
    std::vector<std::size_t> order(n);
    for (std::size_t d = 0; d < n; ++d) order[d] = d;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return dist[a] < dist[b]; });
    for (std::size_t d : order) {
      if (d == source) continue;
      if (!std::isfinite(dist[d]) || dist[d] == std::numeric_limits<double>::max()) {
        disconnected = true;
        continue;
      }
      minutes[d] = minutes[pred[d]] + g[boost::edge(pred[d], d, g).first].minutes;
    }
    for (std::size_t d = 0; d < n; ++d) {
      t.road_km(s, static_cast<Eigen::Index>(d)) = static_cast<float>(dist[d]);
      t.road_minutes(s, static_cast<Eigen::Index>(d)) = static_cast<float>(minutes[d]);
    }
  }
  if (disconnected) throw InputDataError("the road network does not connect every zone to every other");
  // Trips within a zone: mean distance between two uniform points of a disc of the zone's area,
  // 128 r / (45 pi) for radius r, times the detour factor.
  for (std::size_t i = 0; i < n; ++i) {
    const double r = std::sqrt(t.zones.area_km2[i] / std::numbers::pi);
    const double km = 128.0 * r / (45.0 * std::numbers::pi) * detour_factor;
    const auto ii = static_cast<Eigen::Index>(i);
    t.road_km(ii, ii) = static_cast<float>(km);
    t.road_minutes(ii, ii) = static_cast<float>(km / speed_kmh * 60.0);
  }
}

}  // namespace coopterra
