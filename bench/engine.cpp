// coopterra_bench: the engine alone, without Python, for profilers (perf, callgrind).
//
//   build/release/bench/coopterra_bench RESIDENTS WEEKS THREADS [SCENARIO.toml]
//
// Runs the scenario (default: the built-in defaults) on a synthetic territory of RESIDENTS
// residents (zones = residents / 2000, at least 30) and prints one JSON line: build and run
// seconds, time per phase, bytes of per-resident state, and a digest of the results (purchases by
// channel, grams of CO2e, cents paid by households) that changes whenever results change.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "coopterra/core/hash.hpp"
#include "coopterra/simulation.hpp"

using namespace coopterra;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s RESIDENTS WEEKS THREADS [SCENARIO.toml]\n", argv[0]);
    return 2;
  }
  try {
    const long long residents = std::stoll(argv[1]);
    const int weeks = std::stoi(argv[2]), threads = std::stoi(argv[3]);
    const Scenario base = argc > 4 ? Scenario::from_file(argv[4]) : Scenario::defaults();
    const Scenario scenario =
        base.with_overrides({{"territory.residents", std::to_string(residents), "bench"},
                             {"territory.zones", std::to_string(std::max(30LL, residents / 2000)), "bench"}});
    const auto t0 = std::chrono::steady_clock::now();
    Simulation sim(scenario, 1, threads);
    const auto t1 = std::chrono::steady_clock::now();
    sim.run(weeks);
    const auto t2 = std::chrono::steady_clock::now();
    Fnv1a digest;
    auto mix = [&](std::int64_t v) { digest.value(v); };
    for (const MarketWeek& w : sim.series().markets) {
      for (auto v : w.purchases) mix(v);
      for (auto v : w.co2e_grams) mix(v);
      mix(w.households_net_cents);
    }
    for (const CarpoolWeek& w : sim.series().carpool) {
      for (auto v : w.choosing) mix(v);
      mix(w.households_net_cents);
    }
    for (const EconomyWeek& w : sim.series().economy)
      for (auto v : w.failed) mix(v);
    std::printf("{\"build_s\": %.4f, \"run_s\": %.4f, \"state_bytes\": %zu, \"digest\": \"%016llx\", \"phases\": {",
                std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count(),
                sim.state_bytes(), static_cast<unsigned long long>(digest.h));
    const auto& phases = sim.profile().phases();
    for (std::size_t p = 0; p < phases.size(); ++p)
      std::printf("%s\"%s\": %.4f", p ? ", " : "", phases[p].name.c_str(), phases[p].seconds);
    std::printf("}}\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coopterra_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
