#pragma once
// The territory: communes (zones) and the road network linking them, with zone-to-zone road
// distances and travel times from shortest paths.
#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

// Memory a run holds per resident: attributes, workplace, 8 social ties, model state and firms
// (80 B measured by bench/territory.py on the Drome, rounded up with the week's buffers). Used to
// refuse up front a territory too large for the machine, naming what it would need.
inline constexpr std::uint64_t kBytesPerResident = 96;

enum class ZoneKind : std::uint8_t { UrbanCore = 0, Periurban = 1, Rural = 2 };
const char* to_string(ZoneKind kind) noexcept;

// Zones as structure of arrays; index = ZoneId.
struct Zones {
  std::vector<std::string> code;
  std::vector<std::string> name;
  std::vector<double> x_km, y_km;  // planar coordinates around the territory's centre
  std::vector<double> lat, lon;    // degrees (WGS84)
  std::vector<double> area_km2;
  std::vector<std::int64_t> population;
  std::vector<std::int64_t> households;   // -1 when the table does not give it
  std::vector<std::int64_t> working_age;  // residents aged 15-64; -1 when unknown
  std::vector<std::int64_t> active;       // active residents aged 15-64; -1 when unknown
  std::vector<std::string> departement;
  std::vector<std::string> epci_code;  // intercommunality (SIREN); empty when unknown
  std::vector<std::string> epci_name;
  std::vector<ZoneKind> kind;
  std::size_t size() const noexcept { return code.size(); }
};

struct RoadLink {
  std::uint32_t a = 0, b = 0;
  double km = 0, minutes = 0;
};

struct Territory {
  std::string source;              // e.g. "synthetic(zones=30, residents=20000, seed=1)"
  std::vector<std::string> notes;  // what loading did that a user should know (rows skipped...)
  Zones zones;
  std::vector<RoadLink> roads;
  // Home-work flows from a table (territory.flows_file), by commune of residence, compressed:
  // the flows of zone i are flow_work[flow_begin[i] .. flow_begin[i+1]), with their workers.
  // Empty when the territory has none (workplaces then follow the radiation model).
  std::vector<std::uint32_t> flow_begin, flow_work;
  std::vector<double> flow_workers;
  bool has_flows() const noexcept { return !flow_begin.empty(); }
  // The separate place of each zone (territory.separate_gap_km: islands, far selections), whose
  // residents the radiation model sends to work within it; empty when the territory is one place.
  std::vector<std::uint32_t> place;
  // Shortest-path road distance (km) and car travel time (min) between zones; the diagonal holds
  // the mean trip within a zone.
  Eigen::MatrixXf road_km;
  Eigen::MatrixXf road_minutes;

  std::int64_t population() const;
  // FNV-1a 64-bit checksum of zones, populations, coordinates and roads, as 16 hex digits.
  std::string checksum() const;
};

// The territory a scenario names: synthetic, or read from a commune table (territory/communes.hpp).
Territory make_territory(const TerritorySpec& spec, int threads);

// Classes zones as urban core (population or density threshold), periurban (near an urban core
// and dense enough) or rural; the rule and its thresholds are in docs/territories.md.
void classify_zones(Zones& zones, const TerritorySpec& spec);

// The built-in territory: a central town, a periurban ring and rural communes with rank-size
// populations, linked by a k-nearest-neighbour road network made connected. Deterministic from
// the spec (including its seed).
Territory make_synthetic_territory(const TerritorySpec& spec, int threads);

// Links each zone to its k nearest (straight-line km x detour factor), then joins components
// until the network is connected.
std::vector<RoadLink> nearest_neighbour_roads(const Zones& zones, int k, double detour_factor, double speed_kmh);

// Fills road_km and road_minutes by Dijkstra from every zone (Boost.Graph, in parallel).
// Throws InputDataError when the network leaves some zone unreachable.
void compute_shortest_paths(Territory& territory, double detour_factor, double speed_kmh, int threads);

}  // namespace coopterra
