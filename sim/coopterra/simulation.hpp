#pragma once
// A simulation: a validated scenario, a seed and a thread count, turned into a territory, a
// population and a model that steps week by week. The scenario is copied in: changing a scenario
// never changes a running simulation.
//
// A week is a declared schedule (the constructor, simulation.cpp): named phases run in order over
// one week context (week.hpp: the levers, the budget, the week's records), each timed into the
// profile under its name by the schedule (core/schedule.hpp):
//   policies -> awareness -> choice -> matching -> markets -> budget: incentives -> carpool accounts
//   -> budget: economy -> procurement -> firms -> barter -> treasuries -> governance -> policies pay
//   -> accounting
// (awareness, choice, matching and carpool accounts are carpooling's; markets, the six other
// markets of residents; procurement to governance, the economy's parts; "policies", the two
// "budget: ..." phases and "policies pay" are the authority's budget and what its policies pay, kept
// together in policy_payments.hpp; accounting books the week and keeps its records).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "coopterra/core/profile.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/core/schedule.hpp"
#include "coopterra/model/carpool.hpp"
#include "coopterra/model/economy.hpp"
#include "coopterra/model/markets.hpp"
#include "coopterra/model/policies.hpp"
#include "coopterra/observe/dataset.hpp"
#include "coopterra/observe/indicators.hpp"
#include "coopterra/policy_payments.hpp"
#include "coopterra/population/firms.hpp"
#include "coopterra/population/inputs.hpp"
#include "coopterra/population/population.hpp"
#include "coopterra/scenario/scenario.hpp"
#include "coopterra/territory/territory.hpp"
#include "coopterra/week.hpp"

namespace coopterra {

class Simulation {
 public:
  // threads >= 1; the seed drives every behavioural draw (the territory has its own seed). With a
  // cache, the territory, population and firms come from it (built there once per territory and
  // seed, population/inputs.hpp); the results are the same.
  Simulation(Scenario scenario, std::uint64_t seed, int threads, InputsCache* cache = nullptr);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Advances one week.
  void step();
  // Advances up to `weeks` weeks, calling on_week(week) after each; stops early when it returns
  // false. Returns the number of weeks done.
  int run(int weeks, const std::function<bool(int)>& on_week = {});

  int week() const noexcept { return week_; }
  std::uint64_t seed() const noexcept { return random_.seed(); }
  int threads() const noexcept { return threads_; }
  const Scenario& scenario() const noexcept { return scenario_; }
  const Territory& territory() const noexcept { return territory_; }
  const Residents& residents() const noexcept { return residents_; }
  const Firms& firms() const noexcept { return firms_; }
  const CarpoolModel& carpool() const noexcept { return *carpool_; }
  const MarketModel& markets() const noexcept { return *markets_; }
  const Economy& economy() const noexcept { return *economy_; }
  const std::vector<PlatformInfo>& platforms() const noexcept { return platforms_; }
  const Books& books() const noexcept { return *books_; }
  const PolicyTimeline& timeline() const noexcept { return *timeline_; }
  const Series& series() const noexcept { return series_; }
  const std::vector<std::int64_t>& balances() const noexcept { return balances_; }
  const Profile& profile() const noexcept { return profile_; }
  // Memory held by all per-resident state: population, ties and model state.
  std::size_t state_bytes() const noexcept {
    return residents_.bytes() + firms_.bytes() + carpool_->bytes() + markets_->bytes() + economy_->bytes();
  }

  // The state after the current week, as bytes: enough to resume the run bit for bit, or to fork
  // it into another scenario on the same territory and population (checkpoint and fork).
  std::string checkpoint() const;
  // Rebuilds a simulation from a checkpoint. With the checkpoint's own scenario, the run resumes
  // exactly; with another (a policy scenario), it forks: the weeks so far are kept, and the
  // scenario's levers act from the next week. Throws ConfigurationError when the scenario changes
  // the territory or the population, InputDataError for bytes that are not a checkpoint.
  static std::unique_ptr<Simulation> restore(const std::string& checkpoint, const Scenario* scenario, int threads);
  // The scenario text a checkpoint was taken under.
  static std::string checkpoint_scenario(const std::string& checkpoint);

  // The indicators so far, with provenance attributes.
  Dataset results() const;
  // Writes results() to an HDF5 file (see io/results_file.hpp).
  void write_results(const std::string& path) const;

 private:
  Scenario scenario_;
  Random random_;
  int threads_;
  Profile profile_;
  RunInputs inputs_;  // shared read-only with the other runs of a cache
  const Territory& territory_;
  const Residents& residents_;
  const Firms& firms_;
  std::unique_ptr<CarpoolModel> carpool_;
  std::vector<PlatformInfo> platforms_;
  std::vector<std::size_t> carpool_platforms_;  // carpooling's platforms in platforms_
  std::unique_ptr<MarketModel> markets_;
  std::unique_ptr<Economy> economy_;
  std::unique_ptr<Books> books_;
  std::unique_ptr<PolicyTimeline> timeline_;
  std::vector<std::int64_t> balances_;
  // Per-resident state after the weeks of outputs.snapshot_weeks (on request only).
  struct Snapshot {
    std::int64_t week;
    std::vector<std::uint8_t> mode;  // commuting mode of car commuters (255: not a car commuter)
    std::vector<MarketModel::State> markets;
  };
  std::vector<Snapshot> snapshots_;
  void take_snapshot();
  void describe_snapshots(Dataset& d) const;
  Series series_;
  int week_ = 0;
  // Households' budget (docs/model.md, "Households"): their disposable income from the deciles,
  // their income from beyond the modelled economy (set over the calibration weeks) and the
  // budget factor the markets' needs follow.
  std::int64_t household_income_cents_ = 0, outside_income_cents_ = 0, outside_sum_cents_ = 0;
  int forked_at_ = 0;  // the week a forked run left its parent scenario; 0 otherwise
  // Where the scenario came from (its file, the overrides on it), for the results' provenance: a
  // run resumed from a checkpoint keeps its original's.
  std::string provenance_source_, provenance_overrides_;
  std::unique_ptr<PolicyPayments> pay_;
  std::optional<Schedule<WeekContext>> week_schedule_;
  // Phases of the week beyond one call to a model (the schedule is in the constructor).
  void policies(WeekContext& w);
  void carpool_accounts(WeekContext& w);
  void accounting(WeekContext& w);
  std::string population_checksum() const;
  FieldSizes field_sizes() const;  // the sizes of the weekly records' vectors in this run
};

}  // namespace coopterra
