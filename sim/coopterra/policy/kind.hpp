#pragma once
// A kind of policy or shock of the timeline, as one unit: its fields (units, ranges, sources), its
// validation, its commitment rule (what it commits of the authority's budget, week by week: one
// rule, read by the scenario's validator and by the timeline), its weekly effect on the levers,
// and the ledger flows it pays into. Each kind is defined in its own file, policy/<kind>.cpp, and
// listed once in policy/kinds.cpp; docs/architecture.md shows how to add one.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coopterra/scenario/parameters.hpp"
#include "coopterra/scenario/spec.hpp"

namespace coopterra {

struct Levers;
struct EconomyLevers;
struct PlatformInfo;
class Economy;

inline constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

// A policy (or shock) of the timeline resolved on a territory and its platforms.
struct ResolvedPolicy {
  const PolicySpec* spec;
  std::size_t platform = 0;                // carpool: its platform (index of the platform list)
  std::vector<std::uint8_t> in_zone = {};  // 1 where the policy acts
  std::int64_t start = 0, end = 0;         // inclusive weeks
  std::vector<std::size_t> targets = {};   // the platforms acted on (indices of the platform list)
  std::size_t channel = kNoIndex;          // procurement: the channel bought through
  std::size_t first_flow = 0;              // its ledger flows (KindDef::flows, per target) in the timeline's
};

// The weeks of a policy and how many platforms it acts on: what its commitment rule reads.
struct Span {
  std::int64_t start, end, targets;
};

// What a kind's weekly hooks see.
struct PolicyWeek {
  const ResolvedPolicy& r;
  std::size_t index;  // in the timeline's policies (or shocks)
  std::uint32_t week;
  std::size_t zones;
  std::int64_t scheduled;                           // cents the commitment rule gives this week
  bool incentives_funded = true;                    // the budget can pay per use (carpool incentives)
  bool support_funded = true;                       // the same, for the economy's per-use support
  const std::vector<std::uint8_t>* open = nullptr;  // platforms still open (economy, financing)
  const PolicySpec& spec() const { return *r.spec; }
};

// What the authority spends on a policy in a week, and of it what leaves the territory (media,
// the network's shared services).
struct Spending {
  std::int64_t& by_policy;
  std::int64_t& outside;
};

// Validation of one written policy: `error(field, at_table, message)` locates the message at the
// field's value (or at the policy's table when the field is missing).
struct KindCheck {
  const PolicySpec& policy;
  const Spec& spec;
  std::function<bool(const char* field)> written;
  std::function<void(const char* field, bool at_table, const std::string& message)> error;
};

// An account a policy's own flow moves money from or to.
enum class PolicyAccount : std::uint8_t { Authority, Households, Platform };
struct FlowTemplate {
  const char* name;
  PolicyAccount from, to;  // from == to: a record, no money moves (a debt written off)
};
// One flow of one policy towards one platform, in the books after the economy's flows.
struct PolicyFlow {
  std::string name;
  PolicyAccount from, to;
  std::size_t platform;
};

// Which platforms a policy acts on.
enum class Targets : std::uint8_t {
  None,          // none (carpool policies act on r.platform; shocks act on zones)
  MarketSector,  // the platforms named by sector and platform, when the sector is not carpool
  Sector,        // the platforms named by sector and platform, carpool included
  Cooperatives,  // every cooperative of every market
};

struct KindDef {
  PolicyKind id;
  const char* key;     // as written in scenarios
  bool shock = false;  // [[shocks]] rather than [[policies]]
  // The fields shared with other kinds that it takes (policy/kinds.cpp), and its own.
  std::vector<std::string> shared = {};
  std::vector<PolicyParameter> fields = {};
  Targets targets = Targets::None;
  bool through_channel = false;  // buys through the channel of its target (procurement)
  bool pays_per_use = false;     // paid from what the budget leaves (incentives, barter support)
  // Commitment rule: cents committed in `week` (within the span, active weeks only).
  std::int64_t (*scheduled)(const PolicySpec&, const Span&, std::int64_t week) = nullptr;
  // Capital it adds to each cooperative it targets, public (the authority's: the SCIC 50 % cap)
  // or private (members': raises the cap), in EUR.
  double (*public_capital)(const PolicySpec&) = nullptr;
  double (*private_capital)(const PolicySpec&) = nullptr;
  void (*validate)(KindCheck&) = nullptr;
  // Weekly effects, while active: on the levers (one set, by platform of the list: model/levers.hpp)
  // and on the money brought to the economy.
  void (*levers)(const PolicyWeek&, Levers&) = nullptr;
  void (*economy)(const PolicyWeek&, EconomyLevers&, Spending) = nullptr;
  // Its weight in the barter fee support the economy drew this week, attributed among policies.
  double (*barter_support_weight)(const PolicySpec&) = nullptr;
  // Financing, every week from its start (repayments outlive end_week): moves money through the
  // economy's hooks, writes its flows (`flows.size()` per target, from `cents`) and keeps what each
  // target still owes in `owed` (one per target).
  std::vector<FlowTemplate> flows = {};
  void (*finance)(const PolicyWeek&, Economy&, std::vector<std::int64_t>& owed, std::int64_t* cents,
                  std::int64_t& by_policy) = nullptr;
};

// Every kind, policies then shocks.
const std::vector<const KindDef*>& kinds();
const KindDef& kind(PolicyKind id);
const KindDef* find_kind(const std::string& key);

// The platforms a policy acts on (indices of `platforms`).
std::vector<std::size_t> targets_of(const PolicySpec& p, const std::vector<PlatformInfo>& platforms);
// What a policy commits of the budget over its weeks, in cents: its kind's rule summed over its
// span (the timeline reads the same rule week by week).
std::int64_t committed_cents(const PolicySpec& p, const Spec& spec);

// Shared by the kinds' definitions.
namespace policy {
std::int64_t cents(double eur);
// `total` spread evenly over the span's weeks, exactly: the first weeks pay one cent more.
std::int64_t spread(std::int64_t total, const Span& s, std::int64_t week);
// A policy of a market: sector must be written; then its platform must exist.
bool sector_written(KindCheck& c);
void platform_exists(KindCheck& c);
void supports_cooperative(KindCheck& c);
// The validation of a kind that acts on carpooling by default, or on a market's platform.
void platform_exists_unless_carpool(KindCheck& c);
// The validation of a kind that supports the cooperatives of a market: all three above.
void cooperative_of_market(KindCheck& c);
// Its targets still open.
std::vector<std::size_t> open_targets(const PolicyWeek& w);
// This week's amount shared among its open targets (the first ones take the odd cents), into
// `to` (by platform), spent by the policy.
void share_among_open(const PolicyWeek& w, std::vector<std::int64_t>& to, Spending spent);
// Per zone, set to `init` when the lever is first in force.
template <class V, class T>
void per_zone(V& v, std::size_t zones, T init) {
  if (v.empty()) v.assign(zones, init);
}
// A field of a policy, with C++20 designated initialisers for the rest.
PolicyParameter required(BasicParameter<PolicySpec> p);
PolicyParameter optional(BasicParameter<PolicySpec> p);
}  // namespace policy

}  // namespace coopterra
