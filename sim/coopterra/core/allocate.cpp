#include "coopterra/core/allocate.hpp"

#include <algorithm>
#include <cmath>

namespace coopterra {

std::vector<std::int64_t> allocate_proportionally(std::int64_t total, const std::vector<double>& weights,
                                                  bool at_least_one) {
  const std::size_t n = weights.size();
  std::vector<std::int64_t> out(n, at_least_one ? 1 : 0);
  if (n == 0) return out;
  std::int64_t given = at_least_one ? static_cast<std::int64_t>(n) : 0;
  double sum = 0;
  for (double w : weights) sum += w;
  const auto rest = static_cast<double>(total - given);
  std::vector<std::pair<double, std::size_t>> remainders(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double share = sum > 0 ? rest * weights[i] / sum : 0.0;
    const auto whole = static_cast<std::int64_t>(std::floor(share));
    out[i] += whole;
    given += whole;
    remainders[i] = {share - static_cast<double>(whole), i};
  }
  // The parts with the largest remainders get one more each (all parts in turn when more are
  // left than parts, as with zero weights). Selecting them is linear: no full sort.
  const auto extra = static_cast<std::size_t>(std::max<std::int64_t>(0, total - given));
  const std::size_t rounds = extra / n, more = extra % n;
  if (rounds > 0)
    for (auto& part : out) part += static_cast<std::int64_t>(rounds);
  if (more > 0) {
    const auto larger = [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::nth_element(remainders.begin(), remainders.begin() + static_cast<std::ptrdiff_t>(more) - 1, remainders.end(),
                     larger);
    for (std::size_t i = 0; i < more; ++i) out[remainders[i].second] += 1;
  }
  return out;
}

}  // namespace coopterra
