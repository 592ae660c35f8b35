#include "coopterra/population/inputs.hpp"

#include <chrono>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "coopterra/scenario/parameters.hpp"

namespace coopterra {

namespace {

// Every parameter under the tables `prefixes`, as resolved: `key = value` lines.
std::string parameters_text(const Spec& spec, std::initializer_list<std::string_view> prefixes) {
  std::string out;
  for (const auto& p : parameters())
    for (const std::string_view prefix : prefixes)
      if (p.key.rfind(prefix, 0) == 0) {
        out += p.key + " = " + p.value_text(spec) + "\n";
        break;
      }
  return out;
}

// A file's size and modification time, or that it cannot be read (the build will say why).
std::string file_stamp(const std::string& path) {
  if (path.empty()) return "";
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return path + ": unreadable\n";
  const auto time = std::filesystem::last_write_time(path, ec);
  if (ec) return path + ": unreadable\n";
  return path + ": " + std::to_string(size) + " bytes, " + std::to_string(time.time_since_epoch().count()) + "\n";
}

std::string territory_key(const Spec& spec) {
  const TerritorySpec& t = spec.territory;
  return parameters_text(spec, {"territory."}) + file_stamp(t.communes_file) + file_stamp(t.roads_file) +
         file_stamp(t.epci_file) + file_stamp(t.flows_file);
}

std::string population_key(const Spec& spec, const Territory& territory, const Random& random) {
  return territory.checksum() + "\n" + parameters_text(spec, {"population.", "firms."}) +
         "seed = " + std::to_string(random.seed()) + "\n";
}

std::shared_ptr<const Territory> build_territory(const Spec& spec, int threads, Profile& profile) {
  return timed(profile, "build territory",
               [&] { return std::make_shared<const Territory>(make_territory(spec.territory, threads)); });
}

void build_population(const Spec& spec, const Territory& territory, const Random& random, int threads, Profile& profile,
                      RunInputs& out) {
  out.residents = timed(profile, "build population", [&] {
    return std::make_shared<const Residents>(make_population(territory, spec.population, random, threads));
  });
  out.firms = timed(profile, "build firms",
                    [&] { return std::make_shared<const Firms>(make_firms(territory, spec.firms, random)); });
}

// The entry of `key` in `map`: found (a hit), or made by `build` outside the lock, others asking
// meanwhile waiting for it. A build that throws leaves no entry.
template <class Value, class Build>
Value shared(std::mutex& mutex, std::map<std::string, std::shared_future<Value>>& map, const std::string& key,
             std::int64_t& builds, std::int64_t& hits, Build&& build) {
  std::promise<Value> promise;
  std::shared_future<Value> future;
  {
    const std::lock_guard lock(mutex);
    if (const auto it = map.find(key); it != map.end()) {
      ++hits;
      future = it->second;
    } else {
      ++builds;
      map.emplace(key, promise.get_future().share());
      future = {};
    }
  }
  if (future.valid()) return future.get();
  try {
    Value value = build();
    promise.set_value(value);
    return value;
  } catch (...) {
    promise.set_exception(std::current_exception());
    const std::lock_guard lock(mutex);
    map.erase(key);
    throw;
  }
}

}  // namespace

RunInputs build_inputs(const Spec& spec, const Random& random, int threads, Profile& profile) {
  RunInputs out;
  out.territory = build_territory(spec, threads, profile);
  build_population(spec, *out.territory, random, threads, profile, out);
  return out;
}

RunInputs InputsCache::get(const Spec& spec, const Random& random, int threads, Profile& profile) {
  RunInputs out;
  out.territory = shared(mutex_, territories_, territory_key(spec), builds_, hits_,
                         [&] { return build_territory(spec, threads, profile); });
  const Population population =
      shared(mutex_, populations_, population_key(spec, *out.territory, random), builds_, hits_, [&] {
        RunInputs built;
        build_population(spec, *out.territory, random, threads, profile, built);
        return Population{built.residents, built.firms};
      });
  out.residents = population.residents;
  out.firms = population.firms;
  return out;
}

std::int64_t InputsCache::builds() const {
  const std::lock_guard lock(mutex_);
  return builds_;
}

std::int64_t InputsCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

void InputsCache::clear() {
  const std::lock_guard lock(mutex_);
  territories_.clear();
  populations_.clear();
}

}  // namespace coopterra
