// libFuzzer target: the scenario parser and validator must never crash, whatever the input.
// Every input either validates or raises coopterra::Error; anything else (a crash, a sanitizer
// report, another exception) is a bug. Run with `./dev fuzz SECONDS`.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coopterra/core/error.hpp"
#include "coopterra/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scenario = coopterra::Scenario::from_string(text, "fuzz.toml");
    // A valid scenario must resolve to a valid scenario with the same text.
    const std::string resolved = scenario.resolved_toml();
    const auto again = coopterra::Scenario::from_string(resolved, "resolved.toml");
    if (again.resolved_toml() != resolved) __builtin_trap();
    (void)scenario.with_overrides({{"territory.residents", "5000", "fuzz"}});
  } catch (const coopterra::Error&) {
  }
  return 0;
}
