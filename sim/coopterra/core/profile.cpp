#include "coopterra/core/profile.hpp"

namespace coopterra {

std::size_t Profile::phase(const std::string& name) {
  for (std::size_t i = 0; i < phases_.size(); ++i)
    if (phases_[i].name == name) return i;
  phases_.push_back({name, 0.0, 0});
  return phases_.size() - 1;
}

void Profile::add(std::size_t phase, double seconds) {
  phases_[phase].seconds += seconds;
  phases_[phase].calls += 1;
}

double Profile::total_seconds() const noexcept {
  double total = 0.0;
  for (const auto& p : phases_) total += p.seconds;
  return total;
}

}  // namespace coopterra
