#pragma once
// The platforms of the markets and of barter, in one list: each market's cooperatives, then its
// incumbents (each kind `count` times), then the barter cooperative.
#include <cstddef>
#include <string>
#include <vector>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

struct PlatformInfo {
  std::string name;    // unique label in results
  std::string sector;  // market key, or "barter"
  std::size_t market;  // kMarkets for barter
  bool cooperative;
  const MarketPlatformSpec* spec;
};

std::vector<PlatformInfo> list_platforms(const Spec& spec);

}  // namespace coopterra
