#pragma once
// A run's inputs: its territory, population and firms, which no week changes. Built once per
// (territory, seed) and shared read-only by the runs of an ensemble or a calibration through an
// InputsCache: the runs of one territory and seed differ by their behavioural parameters and
// policies, not by who lives where. A run without a cache builds its own.
//
// Keys: the territory's, every territory.* parameter as resolved, with the size and modification
// time of each file it reads (a file changed on disk is read again); the population's, the
// territory's key and the built territory's checksum, every population.* and firms.* parameter
// and the seed. What the cache returns is the same, value for value, as what the run would build
// (the builders are pure functions of these keys), so results do not depend on whether a cache
// was used.
//
// Memory: entries beyond `budget_bytes` (the populations' and firms' bytes, the territories'
// matrices) are forgotten, least recently used first; a run holding inputs keeps them alive.
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

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
  static constexpr std::size_t kDefaultBudget = std::size_t{1} << 30;  // 1 GiB
  explicit InputsCache(std::size_t budget_bytes = kDefaultBudget) : budget_(budget_bytes) {}

  // The inputs of a run of `spec` with the seed of `random`, built on `threads` threads when not
  // cached yet (a run asking for inputs being built waits for them); the builds are timed into
  // `profile` as "build territory", "build population" and "build firms".
  RunInputs get(const Spec& spec, const Random& random, int threads, Profile& profile);
  // Territories and populations built, and asked for again (since the cache was made).
  std::int64_t builds() const;
  std::int64_t hits() const;
  // Entries held, and their bytes.
  std::size_t entries() const;
  std::size_t bytes() const;
  // Forgets every entry (runs holding inputs keep them).
  void clear();

 private:
  struct Population {
    std::shared_ptr<const Residents> residents;
    std::shared_ptr<const Firms> firms;
  };
  using Value = std::variant<std::shared_ptr<const Territory>, Population>;
  struct Entry {
    std::shared_future<Value> value;
    std::uint64_t id = 0;         // which build made it (a failed build erases only its own)
    std::uint64_t last_used = 0;  // for forgetting the least recently used
    std::size_t bytes = 0;        // once built
  };
  template <class Build>
  Value shared(const std::string& key, Build&& build);
  void evict();  // under the lock

  std::size_t budget_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::uint64_t clock_ = 0;
  std::int64_t builds_ = 0, hits_ = 0;
};

// The inputs built for one run alone, without a cache.
RunInputs build_inputs(const Spec& spec, const Random& random, int threads, Profile& profile);

}  // namespace coopterra
