#pragma once
// Wall-clock time per named phase, accumulated over a run and readable from Python.
#include <chrono>
#include <string>
#include <vector>

namespace coopterra {

struct PhaseTiming {
  std::string name;
  double seconds = 0.0;
  long long calls = 0;
};

class Profile {
 public:
  // Index of a phase, registering it on first use; phases keep their registration order.
  std::size_t phase(const std::string& name);
  void add(std::size_t phase, double seconds);
  const std::vector<PhaseTiming>& phases() const noexcept { return phases_; }
  double total_seconds() const noexcept;

  // Times a scope into one phase.
  class Scope {
   public:
    Scope(Profile& profile, std::size_t phase)
        : profile_(profile), phase_(phase), start_(std::chrono::steady_clock::now()) {}
    ~Scope() {
      const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - start_;
      profile_.add(phase_, dt.count());
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Profile& profile_;
    std::size_t phase_;
    std::chrono::steady_clock::time_point start_;
  };

 private:
  std::vector<PhaseTiming> phases_;
};

// Calls f() timed into `phase` of `profile`, and returns what it returns.
template <class F>
auto timed(Profile& profile, const char* phase, F&& f) {
  Profile::Scope scope(profile, profile.phase(phase));
  return f();
}

}  // namespace coopterra
