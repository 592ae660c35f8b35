#include "coopterra/population/inputs.hpp"

#include <chrono>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <type_traits>

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
  // The territory's key too: its checksum leaves out what the population reads beyond zones and
  // roads (the kinds of commune, their areas).
  return territory_key(spec) + territory.checksum() + "\n" + parameters_text(spec, {"population.", "firms."}) +
         "seed = " + std::to_string(random.seed()) + "\n";
}

std::size_t bytes_of(const Territory& t) {
  return (static_cast<std::size_t>(t.road_km.size()) + static_cast<std::size_t>(t.road_minutes.size())) * sizeof(float);
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

}  // namespace

RunInputs build_inputs(const Spec& spec, const Random& random, int threads, Profile& profile) {
  RunInputs out;
  out.territory = build_territory(spec, threads, profile);
  build_population(spec, *out.territory, random, threads, profile, out);
  return out;
}

RunInputs InputsCache::get(const Spec& spec, const Random& random, int threads, Profile& profile) {
  RunInputs out;
  out.territory =
      std::get<0>(shared(territory_key(spec), [&] { return Value(build_territory(spec, threads, profile)); }));
  const auto population = std::get<1>(shared(population_key(spec, *out.territory, random), [&] {
    RunInputs built;
    build_population(spec, *out.territory, random, threads, profile, built);
    return Value(Population{built.residents, built.firms});
  }));
  out.residents = population.residents;
  out.firms = population.firms;
  return out;
}

// The entry of `key`: found (a hit), or made by `build` outside the lock, others asking meanwhile
// waiting for it. A build that throws leaves no entry, and every run waiting for it gets its error.
template <class Build>
InputsCache::Value InputsCache::shared(const std::string& key, Build&& build) {
  std::promise<Value> promise;
  std::unique_lock lock(mutex_);
  if (const auto it = entries_.find(key); it != entries_.end()) {
    ++hits_;
    it->second.last_used = ++clock_;
    const std::shared_future<Value> found = it->second.value;
    lock.unlock();  // wait for a build in progress outside the lock
    return found.get();
  }
  ++builds_;
  const std::uint64_t id = ++clock_;
  entries_.emplace(key, Entry{promise.get_future().share(), id, id, 0});
  lock.unlock();
  Value value;
  try {
    value = build();
  } catch (...) {
    promise.set_exception(std::current_exception());
    lock.lock();
    if (const auto it = entries_.find(key); it != entries_.end() && it->second.id == id) entries_.erase(it);
    throw;
  }
  promise.set_value(value);
  lock.lock();
  if (const auto it = entries_.find(key); it != entries_.end() && it->second.id == id) {
    it->second.bytes = std::visit(
        [](const auto& v) -> std::size_t {
          if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Population>)
            return v.residents->bytes() + v.firms->bytes();
          else
            return bytes_of(*v);
        },
        value);
    evict();
  }
  return value;
}

void InputsCache::evict() {
  for (;;) {
    std::size_t total = 0;
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      total += it->second.bytes;
      if (it->second.bytes > 0 && (oldest == entries_.end() || it->second.last_used < oldest->second.last_used))
        oldest = it;
    }
    if (total <= budget_ || oldest == entries_.end()) return;
    entries_.erase(oldest);  // a run holding its inputs keeps them
  }
}

std::int64_t InputsCache::builds() const {
  const std::lock_guard lock(mutex_);
  return builds_;
}

std::int64_t InputsCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

std::size_t InputsCache::entries() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t InputsCache::bytes() const {
  const std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [key, entry] : entries_) total += entry.bytes;
  return total;
}

void InputsCache::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
}

}  // namespace coopterra
