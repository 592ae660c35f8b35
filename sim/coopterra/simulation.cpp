#include "coopterra/simulation.hpp"

#include <chrono>
#include <ctime>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/io/results_file.hpp"
#include "coopterra/version.hpp"

namespace coopterra {

namespace {

int checked_threads(int threads) {
  if (threads < 1 || threads > 1024)
    throw ConfigurationError("threads must be between 1 and 1024, got " + std::to_string(threads));
  return threads;
}

template <class F>
auto timed(Profile& profile, const char* phase, F&& f) {
  Profile::Scope scope(profile, profile.phase(phase));
  return f();
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Simulation::Simulation(Scenario scenario, std::uint64_t seed, int threads)
    : scenario_(std::move(scenario)), random_(seed), threads_(checked_threads(threads)) {
  const Spec& spec = scenario_.spec();
  territory_ = timed(profile_, "build territory", [&] { return make_territory(spec.territory, threads_); });
  residents_ = timed(profile_, "build population",
                     [&] { return make_population(territory_, spec.population, random_, threads_); });
  firms_ = timed(profile_, "build firms", [&] { return make_firms(territory_, spec.firms, random_); });
  carpool_ = timed(profile_, "initial state",
                   [&] { return std::make_unique<CarpoolModel>(territory_, residents_, scenario_.spec(), random_); });
  timeline_ = std::make_unique<PolicyTimeline>(spec, territory_);
  balances_[static_cast<std::size_t>(Account::Authority)] = std::llround(spec.authority.budget_eur * 100.0);
  phase_policies_ = profile_.phase("policies");
  phase_awareness_ = profile_.phase("awareness");
  phase_choice_ = profile_.phase("choice");
  phase_matching_ = profile_.phase("matching");
  phase_accounting_ = profile_.phase("accounting");
}

void Simulation::step() {
  const auto week = static_cast<std::uint32_t>(week_ + 1);
  const std::size_t authority = static_cast<std::size_t>(Account::Authority);
  CarpoolLevers levers;
  std::int64_t available = 0;  // what the authority can pay in incentives, campaigns still to come reserved
  {
    Profile::Scope s(profile_, phase_policies_);
    available = balances_[authority] - timeline_->committed_from(week);
    levers = timeline_->levers(week, available > 0);
  }
  {
    Profile::Scope s(profile_, phase_awareness_);
    carpool_->spread_awareness(week, levers, threads_);
  }
  {
    Profile::Scope s(profile_, phase_choice_);
    carpool_->choose_modes(week, levers, threads_);
  }
  std::int64_t due = 0;
  {
    Profile::Scope s(profile_, phase_matching_);
    due = carpool_->match(week, levers);
  }
  {
    Profile::Scope s(profile_, phase_accounting_);
    // In the week the budget runs out, every incentive is scaled down alike.
    const bool enough = due <= available;
    CarpoolWeek carpool =
        carpool_->account(levers, enough ? 1 : std::max<std::int64_t>(available, 0), enough ? 1 : due, threads_);
    std::int64_t campaigns = 0;
    std::vector<std::int64_t> by_policy(timeline_->policies().size(), 0);
    for (std::size_t i = 0; i < by_policy.size(); ++i) campaigns += by_policy[i] = timeline_->campaign_cents(i, week);
    // Each platform's incentives, attributed to the policies that make them up.
    for (std::size_t p = 0; p < kPlatforms; ++p) {
      const auto& ids = levers.incentive_policies[p];
      if (ids.empty()) continue;
      std::vector<double> weights;
      for (std::size_t i : ids) {
        const auto& r = timeline_->policies()[i];
        double w = 0;
        for (std::size_t z = 0; z < r.in_zone.size(); ++z)
          if (r.in_zone[z]) w += static_cast<double>(carpool.passengers_by_zone[p][z]);
        weights.push_back(w * r.spec->amount_eur);
      }
      const auto shares = allocate_proportionally(carpool.incentive_cents[p], weights);
      for (std::size_t k = 0; k < ids.size(); ++k) by_policy[ids[k]] += shares[k];
    }
    LedgerWeek ledger = book_week(carpool, campaigns, balances_);
    balances_ = ledger.balance;
    series_.carpool.push_back(std::move(carpool));
    series_.ledger.push_back(std::move(ledger));
    series_.policy_cents.push_back(std::move(by_policy));
  }
  week_ += 1;
}

int Simulation::run(int weeks, const std::function<bool(int)>& on_week) {
  int done = 0;
  for (; done < weeks; ++done) {
    step();
    if (on_week && !on_week(week_)) return done + 1;
  }
  return done;
}

Dataset Simulation::results() const {
  Dataset d = describe(series_, territory_, scenario_.spec());
  std::string overrides;
  for (const auto& o : scenario_.overrides()) overrides += o.key + " = " + o.value + "\n";
  std::string notes;
  for (const auto& n : territory_.notes) notes += n + "\n";
  d.attributes = {
      {"title", "coopterra results: " + scenario_.spec().name},
      {"schema", std::string(kResultsSchema)},
      {"coopterra_version", std::string(kVersion)},
      {"git_revision", std::string(kGitRevision)},
      {"hdf5_version", hdf5_version()},
      {"seed", static_cast<std::int64_t>(random_.seed())},
      {"threads", static_cast<std::int64_t>(threads_)},
      {"weeks", static_cast<std::int64_t>(week_)},
      {"scenario_name", scenario_.spec().name},
      {"scenario_source", scenario_.source_name()},
      {"scenario_overrides", overrides},
      // The scenario as run: its run.seed is the seed actually used, so the text reproduces the run.
      {"scenario_resolved",
       scenario_.with_overrides({{"run.seed", std::to_string(random_.seed()), "the run's seed"}}).resolved_toml()},
      {"territory_source", territory_.source},
      {"territory_checksum", territory_.checksum()},
      {"territory_notes", notes},
      {"residents", static_cast<std::int64_t>(residents_.size())},
      {"firms", static_cast<std::int64_t>(firms_.size())},
      {"created", utc_now()},
  };
  return d;
}

void Simulation::write_results(const std::string& path) const {
  write_results_file(results(), path);
}

}  // namespace coopterra
