#pragma once
// Every platform in one list: each market's cooperatives, then its incumbents (each kind `count`
// times), then the barter cooperative, then carpooling's cooperative and incumbent.
#include <cstddef>
#include <string>
#include <vector>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

inline constexpr std::size_t kPlatforms = 2;  // carpooling's platforms: 0 cooperative, 1 incumbent

struct PlatformInfo {
  std::string name;    // unique label in results
  std::string sector;  // market key, "barter" or "carpool"
  std::size_t market;  // kMarkets for barter and carpooling
  bool cooperative;
  const MarketPlatformSpec* spec;
};

std::vector<PlatformInfo> list_platforms(const Spec& spec);

// Index in the list of carpooling's platform p (0: cooperative, 1: incumbent).
std::size_t carpool_platform(const std::vector<PlatformInfo>& platforms, std::size_t p);

}  // namespace coopterra
