#pragma once
// Scenarios: TOML text parsed and validated into an immutable Spec.
//
// Every problem is reported at once, each with file:line:column, the key path and what was
// expected: unknown keys (with "did you mean"), wrong types, values out of range, cross-field
// rules. Overrides given by dotted key (`--set territory.residents=200000` or Python keywords) go
// through the same validation as the file.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coopterra/core/error.hpp"
#include "coopterra/scenario/spec.hpp"

namespace coopterra {

// One override: a dotted key, its value as TOML text (`200000`, `0.3`, `"name"`, `true`; a bare
// word that is not valid TOML is taken as a string), and a label saying where it came from.
struct Override {
  std::string key;
  std::string value;
  std::string origin;  // e.g. "--set territory.residents=200000"
};

inline constexpr std::size_t kMaxScenarioBytes = 1 << 20;
// Arrays and inline tables nested in one another, and parts of one dotted key, at most: checked on
// the text before the TOML library parses it (it recurses on both).
inline constexpr int kMaxTomlNesting = 64;
inline constexpr int kMaxTomlKeyParts = 64;

class Scenario {
 public:
  // Throws ConfigurationError (all problems at once) or IOError.
  static Scenario from_file(const std::string& path);
  static Scenario from_string(std::string_view text, const std::string& source_name);
  // Only the default values, as if from an empty file with schema_version = 1.
  static Scenario defaults();

  // A new scenario with the overrides applied and the whole validated again.
  Scenario with_overrides(const std::vector<Override>& overrides) const;

  const Spec& spec() const noexcept { return spec_; }
  const std::string& source_name() const noexcept { return source_name_; }
  const std::string& text() const noexcept { return text_; }
  const std::vector<Override>& overrides() const noexcept { return overrides_; }
  // The full scenario, every parameter with its value (defaults filled), as TOML text.
  std::string resolved_toml() const;
  // The same, with run.seed set to the seed a run actually used (no file is read again).
  std::string resolved_toml(std::uint64_t seed) const;

 private:
  Scenario() = default;
  std::string source_name_;
  std::string text_;                 // the TOML text as written
  std::vector<Override> overrides_;  // applied on top of the text, in order
  Spec spec_;
};

// Problems in a scenario file, without throwing: empty when the file is valid.
std::vector<Diagnostic> validate_file(const std::string& path);

// The parameters of the platforms a policy names in a market (sector "barter": the barter
// cooperative), or nullptr for carpool and unknown names.
const MarketPlatformSpec* market_platform(const Spec& spec, const std::string& sector, const std::string& platform);
// Carpooling's platform of that key, or for "cooperative" and "incumbent" the first of that kind
// (nullptr: none).
std::optional<CarpoolPlatformView> carpool_platform_named(const Spec& spec, const std::string& name);
// The market index of a sector key, or kMarkets when it is not a market of residents.
std::size_t market_index(const std::string& sector) noexcept;
// What a policy commits from the budget: committed_cents in policy/kind.hpp.

}  // namespace coopterra
