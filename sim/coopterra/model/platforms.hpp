#pragma once
// Every platform in one list: each market's cooperatives, then its incumbents (each kind `count`
// times), then the barter cooperative, then carpooling's platforms in the scenario's order.
#include <cstddef>
#include <string>
#include <vector>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

struct PlatformInfo {
  std::string name;    // unique label in results
  std::string sector;  // market key, "barter" or "carpool"
  std::string key;     // "cooperative" or "incumbent"; a carpool platform's key
  std::size_t market;  // kMarkets for barter and carpooling
  bool cooperative;
  const MarketPlatformSpec* spec;
};

std::vector<PlatformInfo> list_platforms(const Spec& spec);

// Indices in the list of carpooling's platforms, in the scenario's order.
std::vector<std::size_t> carpool_platforms(const std::vector<PlatformInfo>& platforms);
// Index in the list of the carpool platform a policy names: by key, else the first of the kind
// ("cooperative" or "incumbent"), else the first carpool platform.
std::size_t carpool_target(const std::vector<PlatformInfo>& platforms, const std::string& name);

}  // namespace coopterra
