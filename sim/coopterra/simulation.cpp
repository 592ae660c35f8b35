#include "coopterra/simulation.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <type_traits>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/core/hash.hpp"
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
    due = carpool_->match(week, levers, threads_);
  }
  {
    Profile::Scope s(profile_, phase_accounting_);
    // In the week the budget runs out, every incentive is scaled down alike.
    const std::int64_t payable = std::max<std::int64_t>(available, 0);
    const bool enough = due <= payable;  // true when nothing is due: never a zero denominator
    CarpoolWeek carpool = carpool_->account(levers, enough ? 1 : payable, enough ? 1 : due, threads_);
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
      {"scenario_resolved", scenario_.resolved_toml(random_.seed())},
      {"territory_source", territory_.source},
      {"territory_checksum", territory_.checksum()},
      {"territory_notes", notes},
      {"residents", static_cast<std::int64_t>(residents_.size())},
      {"forked_at_week", static_cast<std::int64_t>(forked_at_)},
      {"firms", static_cast<std::int64_t>(firms_.size())},
      {"created", utc_now()},
  };
  return d;
}

void Simulation::write_results(const std::string& path) const {
  write_results_file(results(), path);
}

}  // namespace coopterra

namespace coopterra {

namespace {

constexpr const char* kCheckpointMagic = "coopterra-checkpoint/1";

// Little binary writer and reader for checkpoints (native byte order: a checkpoint is for the
// machines that run coopterra, not an archive format; results files are the archive).
class Writer {
 public:
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    out_ += s;
  }
  template <class T>
  void vector(const std::vector<T>& v) {
    value<std::uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <class T>
  T value() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string text() {
    const auto n = value<std::uint64_t>();
    need(n);
    std::string s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vector() {
    const auto n = value<std::uint64_t>();
    if (n > (in_.size() - at_) / sizeof(T)) throw InputDataError("checkpoint is truncated or corrupt");
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return v;
  }

 private:
  void need(std::size_t n) const {
    if (n > in_.size() - at_) throw InputDataError("checkpoint is truncated or corrupt");
  }
  const std::string& in_;
  std::size_t at_ = 0;
};

void write_week(Writer& w, const CarpoolWeek& c) {
  w.value(c.vehicle_km_alone), w.value(c.vehicle_km_carpool), w.value(c.passenger_km_carpool), w.value(c.co2e_kg);
  w.value(c.choosing), w.value(c.aware), w.value(c.drivers), w.value(c.passengers), w.value(c.unmatched);
  w.value(c.fares_paid_cents), w.value(c.driver_income_cents), w.value(c.fees_cents), w.value(c.tax_cents);
  w.value(c.incentive_cents), w.value(c.households_net_cents);
  w.vector(c.vehicle_km_by_zone), w.vector(c.carpoolers_by_zone);
  for (const auto& v : c.passengers_by_zone) w.vector(v);
}

CarpoolWeek read_week(Reader& r) {
  CarpoolWeek c;
  c.vehicle_km_alone = r.value<double>(), c.vehicle_km_carpool = r.value<double>();
  c.passenger_km_carpool = r.value<double>(), c.co2e_kg = r.value<double>();
  c.choosing = r.value<decltype(c.choosing)>(), c.aware = r.value<decltype(c.aware)>();
  c.drivers = r.value<decltype(c.drivers)>(), c.passengers = r.value<decltype(c.passengers)>();
  c.unmatched = r.value<decltype(c.unmatched)>(), c.fares_paid_cents = r.value<decltype(c.fares_paid_cents)>();
  c.driver_income_cents = r.value<decltype(c.driver_income_cents)>();
  c.fees_cents = r.value<decltype(c.fees_cents)>(), c.tax_cents = r.value<decltype(c.tax_cents)>();
  c.incentive_cents = r.value<decltype(c.incentive_cents)>(), c.households_net_cents = r.value<std::int64_t>();
  c.vehicle_km_by_zone = r.vector<double>(), c.carpoolers_by_zone = r.vector<std::int64_t>();
  for (auto& v : c.passengers_by_zone) v = r.vector<std::int64_t>();
  return c;
}

}  // namespace

std::string Simulation::population_checksum() const {
  Fnv1a f;
  f.values(residents_.home);
  f.values(residents_.work);
  f.values(residents_.flags);
  f.values(residents_.ties);
  f.values(residents_.coop_attitude);
  return std::to_string(f.h);
}

std::string Simulation::checkpoint() const {
  Writer w;
  w.text(kCheckpointMagic);
  w.text(scenario_.resolved_toml());
  w.value<std::uint64_t>(random_.seed());
  w.value<std::int64_t>(week_);
  w.value<std::int64_t>(forked_at_);
  w.value<std::int64_t>(std::llround(scenario_.spec().authority.budget_eur * 100.0));
  w.text(territory_.checksum());
  w.text(population_checksum());
  w.vector(carpool_->awareness());
  w.value(balances_);
  w.value<std::uint64_t>(series_.weeks());
  for (std::size_t i = 0; i < series_.weeks(); ++i) {
    write_week(w, series_.carpool[i]);
    w.vector(series_.ledger[i].cents);
    w.value(series_.ledger[i].balance);
    w.vector(series_.policy_cents[i]);
  }
  return w.take();
}

std::string Simulation::checkpoint_scenario(const std::string& checkpoint) {
  Reader r(checkpoint);
  if (r.text() != kCheckpointMagic) throw InputDataError("not a coopterra checkpoint");
  return r.text();
}

std::unique_ptr<Simulation> Simulation::restore(const std::string& checkpoint, const Scenario* scenario, int threads) {
  Reader r(checkpoint);
  if (r.text() != kCheckpointMagic) throw InputDataError("not a coopterra checkpoint");
  const std::string scenario_text = r.text();
  const auto seed = r.value<std::uint64_t>();
  const auto week = r.value<std::int64_t>();
  const auto forked_at = r.value<std::int64_t>();
  const auto budget_cents = r.value<std::int64_t>();
  if (week < 0 || week > 5200 || forked_at < 0 || forked_at > week)
    throw InputDataError("checkpoint is truncated or corrupt");
  const std::string territory = r.text(), population = r.text();
  auto sim = std::make_unique<Simulation>(scenario ? *scenario : Scenario::from_string(scenario_text, "checkpoint"),
                                          seed, threads);
  if (sim->territory_.checksum() != territory || sim->population_checksum() != population)
    throw ConfigurationError(
        "the scenario builds another territory or population than the checkpoint's: a run can only be resumed or "
        "forked on the same territory, population and seed");
  auto aware = r.vector<std::uint8_t>();
  if (aware.size() != sim->residents_.size()) throw InputDataError("checkpoint is truncated or corrupt");
  sim->carpool_->set_awareness(std::move(aware));
  sim->balances_ = r.value<std::array<std::int64_t, kAccounts>>();
  // A fork with another budget: the authority's balance moves by the difference.
  const std::size_t authority = static_cast<std::size_t>(Account::Authority);
  sim->balances_[authority] += std::llround(sim->scenario_.spec().authority.budget_eur * 100.0) - budget_cents;
  if (sim->balances_[authority] < sim->timeline_->committed_from(static_cast<std::uint32_t>(week + 1)))
    throw ConfigurationError(
        "the scenario's budget does not cover what was spent before the checkpoint plus the campaigns still to come",
        Location{sim->scenario_.source_name(), 0, 0, "authority.budget_eur"});
  const auto weeks = r.value<std::uint64_t>();
  if (static_cast<std::int64_t>(weeks) != week) throw InputDataError("checkpoint is truncated or corrupt");
  const std::size_t policies = sim->scenario_.spec().policies.size();
  const bool resumed = sim->scenario_.resolved_toml() == scenario_text;
  sim->forked_at_ = resumed ? static_cast<int>(forked_at) : static_cast<int>(week);
  const std::size_t zones = sim->territory_.zones.size();
  for (std::uint64_t i = 0; i < weeks; ++i) {
    CarpoolWeek c = read_week(r);
    bool sizes_ok = c.vehicle_km_by_zone.size() == zones && c.carpoolers_by_zone.size() == zones;
    for (const auto& v : c.passengers_by_zone) sizes_ok = sizes_ok && v.size() == zones;
    if (!sizes_ok) throw InputDataError("checkpoint is truncated or corrupt");
    sim->series_.carpool.push_back(std::move(c));
    LedgerWeek ledger;
    ledger.cents = r.vector<std::int64_t>();
    if (ledger.cents.size() != money_flows().size()) throw InputDataError("checkpoint is truncated or corrupt");
    ledger.balance = r.value<std::array<std::int64_t, kAccounts>>();
    sim->series_.ledger.push_back(std::move(ledger));
    auto by_policy = r.vector<std::int64_t>();
    // A fork's own policies spent nothing before it.
    if (!resumed || by_policy.size() != policies) by_policy.assign(policies, 0);
    sim->series_.policy_cents.push_back(std::move(by_policy));
  }
  sim->week_ = static_cast<int>(week);
  return sim;
}

}  // namespace coopterra
