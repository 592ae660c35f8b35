#include "coopterra/simulation.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <regex>
#include <string_view>
#include <type_traits>

#include "coopterra/core/allocate.hpp"
#include "coopterra/core/bytes.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/core/hash.hpp"
#include "coopterra/core/schedule.hpp"
#include "coopterra/io/results_file.hpp"
#include "coopterra/observe/cf.hpp"
#include "coopterra/version.hpp"

namespace coopterra {

namespace {

int checked_threads(int threads) {
  if (threads < 1 || threads > 1024)
    throw ConfigurationError("threads must be between 1 and 1024, got " + std::to_string(threads));
  return threads;
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

Simulation::Simulation(Scenario scenario, std::uint64_t seed, int threads, InputsCache* cache)
    : scenario_(std::move(scenario)),
      random_(seed),
      threads_(checked_threads(threads)),
      inputs_(cache ? cache->get(scenario_.spec(), random_, threads_, profile_)
                    : build_inputs(scenario_.spec(), random_, threads_, profile_)),
      territory_(*inputs_.territory),
      residents_(*inputs_.residents),
      firms_(*inputs_.firms) {
  const Spec& spec = scenario_.spec();
  provenance_source_ = scenario_.source_name();
  for (const auto& o : scenario_.overrides()) provenance_overrides_ += o.key + " = " + o.value + "\n";
  carpool_ = timed(profile_, "initial state", [&] {
    return std::make_unique<CarpoolModel>(territory_, residents_, scenario_.spec(), random_, threads_);
  });
  platforms_ = list_platforms(spec);
  carpool_platforms_ = carpool_platforms(platforms_);
  markets_ = timed(profile_, "initial state", [&] {
    return std::make_unique<MarketModel>(territory_, residents_, scenario_.spec(), platforms_, random_, threads_);
  });
  economy_ = std::make_unique<Economy>(territory_, firms_, scenario_.spec(), platforms_, markets_->channels(), random_);
  timeline_ = std::make_unique<PolicyTimeline>(spec, territory_, platforms_, markets_->channels());
  books_ = std::make_unique<Books>(platforms_, markets_->channels(), timeline_->flows());
  balances_.assign(books_->accounts().size(), 0);
  balances_[static_cast<std::size_t>(Account::Authority)] = std::llround(spec.authority.budget_eur * 100.0);
  for (std::size_t q = 0; q < platforms_.size(); ++q)
    balances_[books_->platform_account(q)] = economy_->treasuries()[q];
  pay_ = std::make_unique<PolicyPayments>(*timeline_);
  // The residents' disposable income a week: their decile's income per consumption unit.
  {
    const auto& y = spec.population.income_eur_by_decile;
    double eur = 0;
    for (std::size_t i = 0; i < residents_.size(); ++i)
      eur += y.size() == 10 ? y[residents_.income_decile[i] - 1u] : 0.0;
    household_income_cents_ = std::llround(eur * spec.population.consumption_units_per_person / 52.0 * 100.0);
  }
  // The week, as a declared schedule: named phases, each one call over the week's context, each
  // timed into the profile under its name (core/schedule.hpp). The phases "policies", "budget: ..."
  // and "policies pay" are the authority's budget and what its policies pay (policy_payments.hpp).
  using Phase = Schedule<WeekContext>::Phase;
  week_schedule_.emplace(
      profile_,
      std::initializer_list<Phase>{
          {"policies", [this](WeekContext& w) { policies(w); }},
          {"financing", [this](WeekContext& w) { w.financing = timeline_->finance(w.week, *economy_, w.by_policy); }},
          {"awareness", [this](WeekContext& w) { carpool_->spread_awareness(w.week, w.levers, threads_); }},
          {"choice", [this](WeekContext& w) { carpool_->choose_modes(w.week, w.levers, threads_); }},
          {"matching", [this](WeekContext& w) { w.budget.incentives_due = carpool_->match(w.week, w.levers); }},
          {"markets",
           [this](WeekContext& w) {
             w.market = markets_->step(w.week, w.levers, economy_->open(), economy_->quality(), economy_->providers(),
                                       threads_);
           }},
          {"budget: incentives", [this](WeekContext& w) { pay_->incentives(w); }},
          {"carpool accounts", [this](WeekContext& w) { carpool_accounts(w); }},
          {"budget: economy", [this](WeekContext& w) { pay_->economy(w, economy_->open()); }},
          {"procurement", [this](WeekContext& w) { economy_->procurement(w.economy_levers, w.economy); }},
          {"firms", [this](WeekContext& w) { economy_->firms(w.week, w.market, w.levers, threads_, w.economy); }},
          {"barter", [this](WeekContext& w) { economy_->barter(w.week, w.economy_levers, threads_, w.economy); }},
          {"treasuries",
           [this](WeekContext& w) {
             economy_->treasuries(w.week, w.market, w.carpool, w.levers, w.economy_levers, w.economy);
           }},
          {"governance", [this](WeekContext& w) { economy_->governance(w.market, w.carpool, w.economy); }},
          {"policies pay", [this](WeekContext& w) { pay_->attribute(w); }},
          {"accounting", [this](WeekContext& w) { accounting(w); }},
      });
}

void Simulation::step() {
  WeekContext w;
  w.week = static_cast<std::uint32_t>(week_ + 1);
  w.economy = economy_->new_week();
  w.by_policy.assign(timeline_->policies().size(), 0);
  week_schedule_->run(w);
  week_ += 1;
  for (double s : scenario_.spec().outputs.snapshot_weeks)
    if (static_cast<int>(s) == week_) take_snapshot();
}

void Simulation::policies(WeekContext& w) {
  pay_->levers(w, balances_[static_cast<std::size_t>(Account::Authority)]);
  w.levers.open = economy_->open();
  w.levers.fee_factor = economy_->fee_factors();
}

void Simulation::carpool_accounts(WeekContext& w) {
  w.carpool = carpool_->account(w.levers, w.budget.paid_num, w.budget.paid_den, threads_);
  // The carpool platforms in the list of all platforms: their aware residents and users.
  for (std::size_t p = 0; p < carpool_platforms_.size(); ++p) {
    const std::size_t q = carpool_platforms_[p];
    w.market.aware[q] = w.carpool.aware[p], w.market.users[q] = w.carpool.drivers[p] + w.carpool.passengers[p];
  }
}

void Simulation::accounting(WeekContext& w) {
  // Households: over the calibration weeks their income from beyond the modelled economy is what it
  // does not pay them of their disposable income; then it is fixed at its mean, and their budget
  // moves with what the model pays them.
  const auto calibration = static_cast<std::uint32_t>(scenario_.spec().economy.calibration_weeks);
  HouseholdBudget households;
  if (w.week <= calibration)
    households.target_cents = household_income_cents_;
  else
    households.outside_income_cents = outside_income_cents_;
  w.ledger = books_->book(w.carpool, w.market, w.economy, w.outside_policy_cents, balances_, economy_->firms_cash(),
                          economy_->treasuries(), w.financing, households);
  if (w.week <= calibration) {
    outside_sum_cents_ += w.ledger.cents[books_->outside_income_flow()];
    if (w.week == calibration) outside_income_cents_ = outside_sum_cents_ / static_cast<std::int64_t>(calibration);
  } else if (household_income_cents_ > 0) {
    markets_->set_budget(static_cast<double>(w.ledger.household_income_cents) /
                         static_cast<double>(household_income_cents_));
  }
  balances_ = w.ledger.balance;
  w.market.orders.clear();
  w.market.orders.shrink_to_fit();
  series_.carpool.push_back(std::move(w.carpool));
  series_.markets.push_back(std::move(w.market));
  series_.economy.push_back(std::move(w.economy));
  series_.ledger.push_back(std::move(w.ledger));
  series_.policy_cents.push_back(std::move(w.by_policy));
}

void Simulation::take_snapshot() {
  Snapshot s{week_, {}, markets_->state()};
  s.mode.assign(residents_.size(), 255);
  for (std::size_t i = 0; i < residents_.size(); ++i)
    if (residents_.car_commuter(i)) s.mode[i] = carpool_->choices()[i];
  snapshots_.push_back(std::move(s));
}

void Simulation::describe_snapshots(Dataset& d) const {
  if (snapshots_.empty()) return;
  const std::size_t n = residents_.size();
  std::vector<std::int64_t> weeks, ids(n), zone(n);
  for (const auto& s : snapshots_) weeks.push_back(s.week);
  for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::int64_t>(i), zone[i] = residents_.home[i];
  d.coords.push_back({"snapshot", {"snapshot"}, weeks, "week", "week after which the residents' state was kept"});
  d.coords.push_back({"resident", {"resident"}, ids, "", "resident index (residents ordered by home zone)"});
  auto& v = d.variables;
  v.push_back({"resident_zone", {"resident"}, zone, "", "home zone of the resident (index along zone)"});
  v.push_back({"resident_income_decile", {"resident"}, residents_.income_decile, "", "income decile, 1 to 10"});
  v.push_back({"resident_age_group", {"resident"}, residents_.age_group, "", "age group, 0 to 5 (0-14 ... 75+)"});
  v.push_back({"resident_flags",
               {"resident"},
               residents_.flags,
               "",
               "bits: 1 car commuter, 2 electric car, 4 commuter, 8 household car, 16 online"});
  std::vector<std::uint8_t> mode, channel, aware;
  for (const auto& s : snapshots_) {
    mode.insert(mode.end(), s.mode.begin(), s.mode.end());
    for (const auto& st : s.markets)
      for (std::size_t m = 0; m < kMarkets; ++m)
        channel.push_back(MarketModel::last_option(st, m)), aware.push_back(markets_->aware_options(st, m));
  }
  v.push_back({"snapshot_commute_mode",
               {"snapshot", "resident"},
               mode,
               "",
               "mode of car commuters (index along mode); 255 for residents who do not commute by car"});
  v.push_back({"snapshot_channel",
               {"snapshot", "resident", "market"},
               channel,
               "",
               "option of the resident's last purchase in each market (0 offline, then the platforms, then the "
               "alternative; see channel); 255 before any purchase"});
  v.push_back({"snapshot_aware",
               {"snapshot", "resident", "market"},
               aware,
               "",
               "bits of the market's options the resident is aware of (bit o for option o)"});
}

int Simulation::run(int weeks, const std::function<bool(int)>& on_week) {
  int done = 0;
  for (; done < weeks; ++done) {
    step();
    if (on_week && !on_week(week_)) return done + 1;
  }
  return done;
}

namespace {

// Provenance as shared (results files, reports): paths relative to the scenario's folder, and
// any other absolute path reduced to its file name (the territory checksum identifies the data),
// so no home folder or machine layout leaves the machine.
std::string shareable(const std::string& text, const std::string& scenario_source) {
  namespace fs = std::filesystem;
  std::string out = text;
  std::error_code ec;
  const fs::path source(scenario_source);
  if (source.has_parent_path() && fs::is_regular_file(source, ec)) {
    const std::string folder = fs::weakly_canonical(fs::absolute(source, ec), ec).parent_path().string() + "/";
    for (std::size_t at; folder.size() > 1 && (at = out.find(folder)) != std::string::npos;)
      out.erase(at, folder.size());
  }
  static const std::regex absolute_folders(R"((^|[\s"'(=;,])/(?:[^\s"'();,/]+/)+)");
  return std::regex_replace(out, absolute_folders, "$1");
}

}  // namespace

Dataset Simulation::results() const {
  Dataset d = describe(series_, territory_, scenario_.spec(), platforms_, markets_->channels(), *books_);
  describe_snapshots(d);
  const std::string& overrides = provenance_overrides_;
  std::string notes;
  for (const auto& n : territory_.notes) notes += n + "\n";
  const std::string created = utc_now();
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
      {"scenario_source", shareable(provenance_source_, provenance_source_)},
      {"scenario_overrides", shareable(overrides, provenance_source_)},
      // The scenario as run: its run.seed is the seed actually used, so the text reproduces the run
      // (data files named relative to the scenario's folder, or by file name and checksum).
      {"scenario_resolved", shareable(scenario_.resolved_toml(random_.seed()), scenario_.source_name())},
      {"territory_source", shareable(territory_.source, scenario_.source_name())},
      {"territory_checksum", territory_.checksum()},
      {"territory_notes", shareable(notes, scenario_.source_name())},
      {"residents", static_cast<std::int64_t>(residents_.size())},
      {"forked_at_week", static_cast<std::int64_t>(forked_at_)},
      {"firms", static_cast<std::int64_t>(firms_.size())},
      {"created", created},
  };
  conform_to_cf(d, scenario_.spec().run.start_date,
                created + " coopterra " + kVersion + ": scenario " + scenario_.spec().name + ", seed " +
                    std::to_string(random_.seed()) + ", " + std::to_string(week_) + " weeks on " +
                    std::to_string(threads_) + " threads");
  return d;
}

void Simulation::write_results(const std::string& path) const {
  write_results_file(results(), path);
}

}  // namespace coopterra

namespace coopterra {

namespace {

constexpr const char* kCheckpointMagic = "coopterra-checkpoint/11";

// A checkpoint ends with a trailer: a tag and the FNV-1a checksum of every byte before it. Any
// changed byte (a flipped bit) changes the checksum, and bytes after the trailer (trailing
// garbage) leave no trailer at the end: both are refused before a byte of the state is used.
constexpr std::string_view kTrailerTag = "coopterra-sum/1:";

std::string sealed(std::string payload) {
  Fnv1a f;
  f.bytes(payload.data(), payload.size());
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(f.h));
  payload.append(kTrailerTag).append(digits, 16);
  return payload;
}

// The checkpoint without its trailer, once its checksum is verified.
std::string unsealed(const std::string& checkpoint) {
  const std::size_t trailer = kTrailerTag.size() + 16;
  if (checkpoint.size() < trailer ||
      std::string_view(checkpoint).substr(checkpoint.size() - trailer, kTrailerTag.size()) != kTrailerTag)
    throw InputDataError(
        "not a coopterra checkpoint, or truncated: no checksum at its end (cut short, followed by other "
        "bytes, or written by another version)");
  Fnv1a f;
  f.bytes(checkpoint.data(), checkpoint.size() - trailer);
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(f.h));
  if (checkpoint.compare(checkpoint.size() - 16, 16, digits) != 0)
    throw InputDataError("the checkpoint is damaged: its checksum does not match its content");
  return checkpoint.substr(0, checkpoint.size() - trailer);
}

}  // namespace

FieldSizes Simulation::field_sizes() const {
  const std::size_t zones = territory_.zones.size(), channels = markets_->channels().size(), p = platforms_.size();
  FieldSizes s;
  const std::size_t carpool = carpool_platforms_.size();
  s[Dim::Mode] = carpool + 2, s[Dim::CarpoolPlatform] = carpool, s[Dim::CarpoolPlatformZone] = carpool * zones;
  s[Dim::Zone] = zones, s[Dim::Channel] = channels, s[Dim::ChannelZoneKind] = channels * 3;
  s[Dim::ChannelIncome] = channels * kIncomeGroups, s[Dim::MarketZoneKind] = kMarkets * 3;
  s[Dim::Platform] = p, s[Dim::PlatformCollege] = p * kColleges, s[Dim::SectorZone] = kSectors * zones;
  s[Dim::Flow] = books_->flows().size(), s[Dim::Account] = balances_.size();
  return s;
}

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
  w.text(provenance_source_), w.text(provenance_overrides_);
  w.value<std::uint64_t>(random_.seed());
  w.value<std::int64_t>(week_);
  w.value<std::int64_t>(forked_at_);
  w.value<std::int64_t>(std::llround(scenario_.spec().authority.budget_eur * 100.0));
  w.text(territory_.checksum());
  w.text(population_checksum());
  w.vector(carpool_->awareness());
  w.vector(markets_->state());
  w.text(economy_->save());
  w.vector(balances_);
  w.value<std::int64_t>(outside_income_cents_), w.value<std::int64_t>(outside_sum_cents_);
  w.value<double>(markets_->budget());
  w.value<std::uint64_t>(timeline_->owed().size());
  for (const auto& owed : timeline_->owed()) w.vector(owed);
  // The books' flows, by which a fork with other policies finds the weeks before it.
  w.value<std::uint64_t>(books_->flows().size());
  for (const FlowDef& f : books_->flows()) w.text(f.name), w.value<std::uint64_t>(f.from), w.value<std::uint64_t>(f.to);
  w.value<std::uint64_t>(series_.weeks());
  for (std::size_t i = 0; i < series_.weeks(); ++i) {
    write_fields(w, series_.carpool[i]);
    write_fields(w, series_.markets[i]);
    write_fields(w, series_.economy[i]);
    write_fields(w, series_.ledger[i]);
    w.vector(series_.policy_cents[i]);
  }
  w.value<std::uint64_t>(snapshots_.size());
  for (const auto& s : snapshots_) w.value(s.week), w.vector(s.mode), w.vector(s.markets);
  return sealed(w.take());
}

std::string Simulation::checkpoint_scenario(const std::string& sealed_checkpoint) {
  const std::string checkpoint = unsealed(sealed_checkpoint);
  Reader r(checkpoint);
  if (r.text() != kCheckpointMagic) throw InputDataError("not a coopterra checkpoint");
  return r.text();
}

std::unique_ptr<Simulation> Simulation::restore(const std::string& sealed_checkpoint, const Scenario* scenario,
                                                int threads) {
  const std::string checkpoint = unsealed(sealed_checkpoint);
  Reader r(checkpoint);
  if (r.text() != kCheckpointMagic) throw InputDataError("not a coopterra checkpoint");
  const std::string scenario_text = r.text();
  std::string source = r.text(), overrides = r.text();
  const auto seed = r.value<std::uint64_t>();
  const auto week = r.value<std::int64_t>();
  const auto forked_at = r.value<std::int64_t>();
  const auto budget_cents = r.value<std::int64_t>();
  if (week < 0 || week > 5200 || forked_at < 0 || forked_at > week)
    throw InputDataError("checkpoint is truncated or corrupt");
  const std::string territory = r.text(), population = r.text();
  auto sim = std::make_unique<Simulation>(scenario ? *scenario : Scenario::from_string(scenario_text, "checkpoint"),
                                          seed, threads);
  if (sim->scenario_.resolved_toml() == scenario_text)  // resumed: the original's file and overrides
    sim->provenance_source_ = std::move(source), sim->provenance_overrides_ = std::move(overrides);
  if (sim->territory_.checksum() != territory || sim->population_checksum() != population)
    throw ConfigurationError(
        "the scenario builds another territory or population than the checkpoint's: a run can only be resumed or "
        "forked on the same territory, population and seed");
  auto aware = r.vector<std::uint8_t>();
  if (aware.size() != sim->residents_.size()) throw InputDataError("checkpoint is truncated or corrupt");
  sim->carpool_->set_awareness(std::move(aware));
  auto state = r.vector<MarketModel::State>();
  if (state.size() != sim->residents_.size()) throw InputDataError("checkpoint is truncated or corrupt");
  sim->markets_->set_state(state);
  const std::string economy = r.text();
  auto balances = r.vector<std::int64_t>();
  if (balances.size() != sim->balances_.size())
    throw ConfigurationError(
        "the scenario has other platforms than the checkpoint's (a platform count differs): a run can only be "
        "resumed or forked with the same platforms");
  sim->economy_->load(economy);
  sim->balances_ = std::move(balances);
  sim->outside_income_cents_ = r.value<std::int64_t>();
  sim->outside_sum_cents_ = r.value<std::int64_t>();
  sim->markets_->set_budget(r.value<double>());
  // A fork with another budget: the authority had it from the start (its past balances move by the
  // difference, below), so that the sum of all balances stays what it was at week 0.
  const std::size_t authority = static_cast<std::size_t>(Account::Authority);
  const std::int64_t budget_change = std::llround(sim->scenario_.spec().authority.budget_eur * 100.0) - budget_cents;
  sim->balances_[authority] += budget_change;
  if (sim->balances_[authority] < sim->timeline_->committed_from(static_cast<std::uint32_t>(week + 1)))
    throw ConfigurationError(
        "the scenario's budget does not cover what was spent before the checkpoint plus the campaigns still to come",
        Location{sim->scenario_.source_name(), 0, 0, "authority.budget_eur"});
  // What financed cooperatives still owe: kept when the financing policies are the same (a fork
  // with other financing policies starts their debts afresh: its own policies act from the fork).
  const auto financed = r.value<std::uint64_t>();
  if (financed > 100000) throw InputDataError("checkpoint is truncated or corrupt");
  std::vector<std::vector<std::int64_t>> owed;
  for (std::uint64_t i = 0; i < financed; ++i) owed.push_back(r.vector<std::int64_t>());
  (void)sim->timeline_->set_owed(std::move(owed));
  // The checkpoint's flows: a fork with other policies keeps those its books lack for the weeks
  // before the fork, and finds the others by name.
  const auto past_flows = r.value<std::uint64_t>();
  if (past_flows > 1000000) throw InputDataError("checkpoint is truncated or corrupt");
  std::vector<FlowDef> past;
  for (std::uint64_t f = 0; f < past_flows; ++f) {
    FlowDef flow{r.text(), 0, 0};
    flow.from = r.value<std::uint64_t>(), flow.to = r.value<std::uint64_t>();
    if (flow.from >= sim->balances_.size() || flow.to >= sim->balances_.size())
      throw InputDataError("checkpoint is truncated or corrupt");
    past.push_back(std::move(flow));
  }
  const std::vector<std::size_t> flow_index = sim->books_->keep_past_flows(past);
  const auto weeks = r.value<std::uint64_t>();
  if (static_cast<std::int64_t>(weeks) != week) throw InputDataError("checkpoint is truncated or corrupt");
  const std::size_t policies = sim->scenario_.spec().policies.size();
  const bool resumed = sim->scenario_.resolved_toml() == scenario_text;
  sim->forked_at_ = resumed ? static_cast<int>(forked_at) : static_cast<int>(week);
  const FieldSizes sizes = sim->field_sizes();
  FieldSizes past_sizes = sizes;
  past_sizes[Dim::Flow] = past.size();
  for (std::uint64_t i = 0; i < weeks; ++i) {
    sim->series_.carpool.push_back(read_fields<CarpoolWeek>(r, sizes));
    sim->series_.markets.push_back(read_fields<MarketWeek>(r, sizes));
    sim->series_.economy.push_back(read_fields<EconomyWeek>(r, sizes));
    LedgerWeek ledger = read_fields<LedgerWeek>(r, past_sizes);
    std::vector<std::int64_t> cents(sizes[Dim::Flow], 0);
    for (std::size_t f = 0; f < past.size(); ++f) cents[flow_index[f]] += ledger.cents[f];
    ledger.cents = std::move(cents);
    ledger.balance[authority] += budget_change;
    sim->series_.ledger.push_back(std::move(ledger));
    auto by_policy = r.vector<std::int64_t>();
    // A fork's own policies spent nothing before it.
    if (!resumed || by_policy.size() != policies) by_policy.assign(policies, 0);
    sim->series_.policy_cents.push_back(std::move(by_policy));
  }
  const auto snapshots = r.value<std::uint64_t>();
  if (snapshots > static_cast<std::uint64_t>(week)) throw InputDataError("checkpoint is truncated or corrupt");
  for (std::uint64_t k = 0; k < snapshots; ++k) {
    Snapshot s{r.value<std::int64_t>(), r.vector<std::uint8_t>(), r.vector<MarketModel::State>()};
    if (s.mode.size() != sim->residents_.size() || s.markets.size() != sim->residents_.size())
      throw InputDataError("checkpoint is truncated or corrupt");
    sim->snapshots_.push_back(std::move(s));
  }
  sim->week_ = static_cast<int>(week);
  return sim;
}

}  // namespace coopterra
