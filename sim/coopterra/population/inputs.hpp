#pragma once
// A run's inputs: its territory, population and firms, which no week changes. Built once per
// (territory, seed) and shared read-only by the runs of an ensemble or a calibration through an
// InputsCache: the runs of one territory and seed differ by their behavioural parameters and
// policies, not by who lives where. A run without a cache builds its own.
//
// Keys: the territory's, every territory.* parameter as resolved, with the size and modification
// time of each file it reads (a file changed on disk is read again); the population's, the built
// territory's checksum, every population.* and firms.* parameter and the seed. What the cache
// returns is the same, value for value, as what the run would build (the builders are pure
// functions of these keys), so results do not depend on whether a cache was used.
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "coopterra/core/profile.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/population/firms.hpp"
#include "coopterra/population/population.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

struct RunInputs {
  std::shared_ptr<const Territory> territory;
  std::shared_ptr<const Residents> residents;
  std::shared_ptr<const Firms> firms;
};

class InputsCache {
 public:
  // The inputs of a run of `spec` with the seed of `random`, built on `threads` threads when not
  // cached yet (a run asking for inputs being built waits for them); the builds are timed into
  // `profile` as "build territory", "build population" and "build firms".
  RunInputs get(const Spec& spec, const Random& random, int threads, Profile& profile);
  // Territories and populations built, and asked for again (since the cache was made).
  std::int64_t builds() const;
  std::int64_t hits() const;
  // Forgets every entry (runs holding inputs keep them).
  void clear();

 private:
  struct Population {
    std::shared_ptr<const Residents> residents;
    std::shared_ptr<const Firms> firms;
  };
  template <class T>
  using Entry = std::shared_future<std::shared_ptr<const T>>;
  mutable std::mutex mutex_;
  std::map<std::string, Entry<Territory>> territories_;
  std::map<std::string, std::shared_future<Population>> populations_;
  std::int64_t builds_ = 0, hits_ = 0;
};

// The inputs built for one run alone, without a cache.
RunInputs build_inputs(const Spec& spec, const Random& random, int threads, Profile& profile);

}  // namespace coopterra
