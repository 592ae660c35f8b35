#pragma once
// The synthetic population: residents placed in zones, their attributes, workplaces and social
// ties. Structure of arrays, residents ordered by home zone; every attribute is drawn from the
// counter-based generator, so the population is the same whatever the thread count.
#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/core/random.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

inline constexpr std::uint32_t kNoZone = 0xffffffffu;
inline constexpr std::size_t kAgeGroups = 6;  // 0-14, 15-29, 30-44, 45-59, 60-74, 75+
const char* age_group_label(std::size_t group) noexcept;

struct Residents {
  enum Flag : std::uint8_t {
    CarCommuter = 1,  // commutes by car (the carpool market)
    ElectricCar = 2,  // their car is electric
    Commuter = 4,     // in employment with a fixed workplace
    HasCar = 8,       // their household has a car
    Online = 16,      // uses the internet (can reach a platform online)
  };

  std::vector<std::uint32_t> home;          // home zone
  std::vector<std::uint32_t> work;          // workplace zone of commuters, kNoZone otherwise
  std::vector<std::uint8_t> flags;          // Flag bits
  std::vector<std::uint8_t> age_group;      // 0..5, see kAgeGroups
  std::vector<std::uint8_t> income_decile;  // 1..10, national deciles
  std::vector<float> coop_attitude;         // attitude towards cooperatives, in [0, 1]
  std::vector<float> env_attitude;          // concern for the environment, in [0, 1]
  std::vector<std::uint32_t> zone_begin;    // residents of zone z are [zone_begin[z], zone_begin[z+1])
  std::uint32_t ties_per_resident = 0;
  std::vector<std::uint32_t> ties;        // ties of resident i: ties[i*k, (i+1)*k)
  std::vector<std::uint64_t> stream_key;  // key of the resident's Stream: their weekly draws

  std::size_t size() const noexcept { return home.size(); }
  bool has(std::size_t i, Flag f) const noexcept { return flags[i] & f; }
  bool car_commuter(std::size_t i) const noexcept { return flags[i] & CarCommuter; }
  std::size_t bytes() const noexcept;
};

// Cumulative workplace probabilities from each zone, by the radiation model (Simini et al. 2012)
// for commutes leaving the home zone, plus a share of commuters working in their home zone.
// Row i, column j: probability that a commuter of zone i works in a zone <= j.
std::vector<double> workplace_cdf(const Territory& territory, double stay_share);

// Residents of one run at most (as territory.residents for synthetic territories); the memory a
// run holds per resident is kBytesPerResident (territory/territory.hpp).
inline constexpr std::int64_t kMaxResidents = 20'000'000;
// Refuses a territory with no inhabitant or more than kMaxResidents, naming the memory a run
// would need; `territory` (its source) locates the error.
void check_population(std::int64_t total, const std::string& territory);
Residents make_population(const Territory& territory, const PopulationSpec& spec, const Random& random, int threads);

}  // namespace coopterra
