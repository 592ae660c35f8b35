#pragma once
// Exact integer allocation in proportion to weights.
#include <cstdint>
#include <vector>

namespace coopterra {

// Largest-remainder allocation of `total` into integer parts proportional to `weights` (ties to
// the lower index); parts sum exactly to `total`. With `at_least_one`, every part gets one first
// (requires total >= weights.size()).
std::vector<std::int64_t> allocate_proportionally(std::int64_t total, const std::vector<double>& weights,
                                                  bool at_least_one = false);

}  // namespace coopterra
