#pragma once
// What the financing kinds' tests share: a small territory whose food cooperative is financed,
// and the week-by-week amounts of a flow of the books.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "coopterra/simulation.hpp"

namespace coopterra::test {

inline Scenario financed(const std::string& extra, std::int64_t weeks = 60) {
  return Scenario::from_string("schema_version = 1\n[run]\nweeks = " + std::to_string(weeks) +
                                   "\n[territory]\nresidents = 4000\nzones = 12\n" + extra,
                               "financing.toml");
}

inline std::size_t flow(const Simulation& s, const std::string& name) {
  const auto& f = s.books().flows();
  for (std::size_t i = 0; i < f.size(); ++i)
    if (f[i].name.find(name) != std::string::npos) return i;
  FAIL("no flow " << name);
  return 0;
}

// The flow's amount each week (index 0: week 1).
inline std::vector<std::int64_t> weekly(const Simulation& s, const std::string& name) {
  const std::size_t f = flow(s, name);
  std::vector<std::int64_t> out;
  for (const auto& w : s.series().ledger) out.push_back(w.cents[f]);
  return out;
}

inline std::int64_t sum(const std::vector<std::int64_t>& v) {
  std::int64_t t = 0;
  for (auto x : v) t += x;
  return t;
}

inline std::size_t food_cooperative(const Simulation& s) {
  for (std::size_t q = 0; q < s.platforms().size(); ++q)
    if (s.platforms()[q].sector == "food" && s.platforms()[q].cooperative) return q;
  FAIL("no food cooperative");
  return 0;
}

inline std::int64_t balance(const Simulation& s, Account a) {
  return s.balances()[static_cast<std::size_t>(a)];
}

// Runs to the horizon (the books check every account each week, else throw) and checks that money
// only moved between accounts.
inline void run_balanced(Simulation& sim) {
  std::int64_t opening = 0, closing = 0;
  for (auto b : sim.balances()) opening += b;
  REQUIRE_NOTHROW(sim.run(static_cast<int>(sim.scenario().spec().run.weeks)));
  for (auto b : sim.balances()) closing += b;
  CHECK(closing == opening);
  for (std::size_t q = 0; q < sim.platforms().size(); ++q)
    CHECK(sim.balances()[sim.books().platform_account(q)] == sim.economy().treasuries()[q]);
}

}  // namespace coopterra::test
