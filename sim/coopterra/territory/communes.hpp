#pragma once
// Real territories from the public commune tables (INSEE's official geographic code and territorial
// statistics; docs/territories.md says where to download them) and an optional road edge list.
//
// Real data is messy. Every malformed, missing, duplicated or inconsistent value is reported with
// the file, line and column (all problems at once), and no population is ever changed: rows that
// are not communes (delegated communes, municipal arrondissements) are skipped and counted, rows
// repeating a commune under another postal code are merged only when every other value agrees.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coopterra/io/csv.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

struct CommuneSelection {
  Zones zones;
  std::set<std::string> all_codes;  // every commune code of the table, selected or not
  // Codes that are not zones but name one: arrondissements merged into their commune.
  std::map<std::string, std::string> zone_code_of;
  std::vector<std::string> notes;
};

// A commune's intercommunality, from a commune-to-EPCI table.
struct EpciOf {
  std::string siren, name, type;
};

// A commune-to-EPCI table (insee_com, epci_siren[, epci_nom, epci_type]; INSEE's CODGEO, EPCI,
// LIBEPCI are accepted): INSEE code -> EPCI. A commune in two EPCI is a located error.
std::map<std::string, EpciOf> read_epci_table(const CsvTable& table);

// The selected communes of a table (spec.select_*; everything when no selection is given). A
// commune with no row of its own but municipal arrondissements (ARM: Paris, Lyon, Marseille in
// INSEE's tables) is made of them, or, with spec.arrondissements == "zones", each arrondissement
// is a zone; either way noted. With spec.epci_file, each commune's EPCI comes from that table.
CommuneSelection read_communes(const CsvTable& table, const TerritorySpec& spec);

// Road links between selected communes from an edge list; links leaving the selection are dropped
// and counted in `notes`.
std::vector<RoadLink> read_roads(const CsvTable& table, const CommuneSelection& communes, const TerritorySpec& spec,
                                 std::vector<std::string>& notes);

// Home-work flows between selected communes (INSEE's "mobilites professionnelles" layout: commune
// of residence CODGEO, commune of work DCLT, workers NBFLUX_*; or home, work, workers) into
// `territory`'s flow arrays. Flows to or from communes outside the selection are dropped and
// counted in `notes`; unknown codes, bad counts and repeated pairs are located errors.
void read_flows(const CsvTable& table, const CommuneSelection& communes, Territory& territory,
                std::vector<std::string>& notes);

// Memory a territory of `zones` zones and `residents` residents needs to build: the zone-to-zone
// road distance and time matrices (float), the radiation model's workplace probabilities (double,
// when `radiation`), and kBytesPerResident per resident (territory/territory.hpp).
std::uint64_t build_bytes(std::size_t zones, std::int64_t residents, bool radiation);
// MemAvailable of /proc/meminfo, in bytes; 0 when unknown.
std::uint64_t available_memory_bytes();

// The whole territory: communes, roads (the edge list, or nearest neighbours), shortest paths,
// zone kinds. Throws InputDataError for broken tables or a road network that leaves zones apart.
Territory load_commune_territory(const TerritorySpec& spec, int threads);

}  // namespace coopterra
