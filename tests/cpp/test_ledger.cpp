// The books (observe/ledger.hpp): every flow between two accounts, balances checked every week
// against what the agents hold.
#include <catch2/catch.hpp>
#include <filesystem>

#include "coopterra/core/error.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

TEST_CASE("every shipped scenario keeps its books: firms' cash and treasuries match the accounts", "[markets]") {
  for (const auto& entry : std::filesystem::directory_iterator(COOPTERRA_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().filename().string());
    // Every scenario to its horizon, on a smaller territory: the books, not the sizes, are tested.
    const Scenario shipped = Scenario::from_file(entry.path().string());
    std::vector<Override> smaller;
    if (shipped.spec().territory.source == "synthetic")
      smaller = {{"territory.residents", "4000", "test"}, {"territory.zones", "12", "test"}};
    Simulation sim(shipped.with_overrides(smaller), 7, 2);
    std::int64_t opening = 0;
    for (auto b : sim.balances()) opening += b;
    REQUIRE_NOTHROW(sim.run(static_cast<int>(sim.scenario().spec().run.weeks)));  // book() checks every week
    std::int64_t closing = 0;
    for (auto b : sim.balances()) closing += b;
    CHECK(closing == opening);  // money moves between accounts (the outside world's included)
    CHECK(sim.balances()[static_cast<std::size_t>(Account::Firms)] == sim.economy().firms_cash());
    for (std::size_t q = 0; q < sim.platforms().size(); ++q)
      CHECK(sim.balances()[sim.books().platform_account(q)] == sim.economy().treasuries()[q]);
    CHECK(sim.balances()[static_cast<std::size_t>(Account::Authority)] >= 0);
  }
}
