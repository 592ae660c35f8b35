#pragma once
// The validated, immutable description of a run: every model parameter as a typed field.
// Defaults, units, ranges and sources live in one place, the registry in parameters.cpp;
// a Spec is only ever produced from it (default_spec(), or a validated scenario).
#include <cstdint>
#include <string>
#include <vector>

namespace coopterra {

struct RunSpec {
  std::int64_t weeks = 0;  // horizon
  std::int64_t seed = 0;   // default seed of the behaviour streams
};

struct TerritorySpec {
  std::string source;  // "synthetic" or "communes"
  // A commune table (source = "communes"): file, selection, optional road edge list.
  std::string communes_file;
  std::string roads_file;
  std::vector<std::string> select_departements;
  std::vector<std::string> select_epcis;
  std::vector<std::string> select_communes;
  // The rule classing real communes as urban core, periurban or rural.
  std::int64_t urban_core_min_population = 0;
  double urban_core_min_density = 0;  // inhabitants per km2
  double periurban_radius_km = 0;
  double periurban_min_density = 0;
  // The synthetic territory.
  std::int64_t zones = 0;         // number of communes
  std::int64_t residents = 0;     // total population
  std::int64_t seed = 0;          // seed of the territory's layout
  double radius_km = 0;           // radius of the territory
  double rank_size_exponent = 0;  // Zipf exponent of zone populations
  double periurban_share = 0;     // share of zones in the periurban ring
  std::int64_t road_neighbours = 0;
  double detour_factor = 0;  // road km per crow-fly km
  double road_speed_kmh = 0;
};

struct PopulationSpec {
  std::vector<double> age_shares;                  // 0-14, 15-29, 30-44, 45-59, 60-74, 75+
  std::vector<double> relative_employment_by_age;  // same groups, relative to the highest
  std::vector<double> car_access_by_kind;          // urban core, periurban, rural
  std::vector<double> offline_share_by_age;        // no internet use, by age group
  double commuter_share = 0;                       // residents with a fixed workplace
  double drive_if_car_share = 0;                   // commuters with a car who drive to work
  double electric_car_share = 0;                   // cars that are electric
  double work_in_home_zone_share = 0;              // commuters working in their home commune
  std::int64_t ties_per_resident = 0;
  double local_tie_share = 0;  // ties within the home zone
};

struct FirmSpec {
  double per_1000_residents = 0;
  std::vector<double> sector_shares;          // producer, shop, restaurant, services, tourism
  std::vector<double> chain_share_by_sector;  // same sectors
};

struct PlatformSpec {
  std::string name;
  double commission = 0;         // share of the fare kept by the platform
  double initial_awareness = 0;  // share of residents aware at week 0
  double bass_p = 0;             // external (innovation) coefficient, per year
  double bass_q = 0;             // imitation coefficient, per year
  bool fees_leave_territory = false;
};

struct CarpoolSpec {
  std::int64_t workdays_per_week = 0;
  double car_cost_eur_per_km = 0;
  double fare_eur_per_km = 0;
  double detour_minutes = 0;
  double detour_km = 0;
  double asc = 0;
  double beta_cost_per_eur = 0;
  double value_of_time_eur_per_hour = 0;
  double beta_coop_attitude = 0;
  PlatformSpec cooperative;
  PlatformSpec incumbent;
};

struct EmissionSpec {
  double thermal_car_kg_per_km = 0;
  double electric_car_kg_per_km = 0;
};

// The local authority running the policies.
struct AuthoritySpec {
  std::string name;
  double budget_eur = 0;  // envelope for the whole horizon
};

// One event of the timeline: a policy of the authority ([[policies]]) or a shock ([[shocks]]).
// Fields unused by its kind keep their defaults.
struct PolicySpec {
  std::string kind;   // carpool_incentive, awareness_campaign, platform_tax
  std::string label;  // shown in results; defaults to the kind
  std::int64_t start_week = 1;
  std::int64_t end_week = 0;       // inclusive; 0: until the horizon
  std::string platform;            // cooperative or incumbent
  double amount_eur = 0;           // carpool_incentive: per passenger trip, paid to the driver
  double reach = 0;                // awareness_campaign: weekly share of unaware residents reached
  double cost_eur = 0;             // awareness_campaign: total cost
  double rate = 0;                 // platform_tax: share of the platform's commissions
  double pass_through = 0;         // platform_tax: share passed on to users through the commission
  double commuting_share = 1;      // lockdown: share of commuting trips still made
  bool carpooling_allowed = true;  // lockdown: whether health rules let people share a car
  std::vector<std::string> zones;  // targets by home commune code (with epcis: union; none: all)
  std::vector<std::string> epcis;
  int line = 0, column = 0;  // where the policy is written, for errors found later
  std::string file;
};

struct Spec {
  std::int64_t schema_version = 0;
  std::string name;
  std::string description;
  RunSpec run;
  TerritorySpec territory;
  PopulationSpec population;
  FirmSpec firms;
  CarpoolSpec carpool;
  EmissionSpec emissions;
  AuthoritySpec authority;
  std::vector<PolicySpec> policies;
  std::vector<PolicySpec> shocks;
};

}  // namespace coopterra
