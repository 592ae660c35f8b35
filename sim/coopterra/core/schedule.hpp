#pragma once
// A declared schedule: a list of named phases run in order over one context, each timed into a
// profile under its name by the schedule itself. The phases are registered in the profile when
// the schedule is built, in the order they run; adding a phase is adding one line to the list.
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "coopterra/core/profile.hpp"

namespace coopterra {

template <class Context>
class Schedule {
 public:
  using Body = std::function<void(Context&)>;
  struct Phase {
    std::string name;
    Body body;
  };

  Schedule(Profile& profile, std::initializer_list<Phase> phases) : profile_(profile) {
    for (const Phase& p : phases) phases_.push_back({p, profile_.phase(p.name)});
  }

  // Runs every phase over the context, in order, each timed into its phase of the profile.
  void run(Context& context) const {
    for (const auto& [phase, id] : phases_) {
      Profile::Scope scope(profile_, id);
      phase.body(context);
    }
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& p : phases_) out.push_back(p.first.name);
    return out;
  }

 private:
  Profile& profile_;
  std::vector<std::pair<Phase, std::size_t>> phases_;  // the phase and its index in the profile
};

}  // namespace coopterra
