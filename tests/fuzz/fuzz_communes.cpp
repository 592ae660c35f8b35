// libFuzzer target: the commune-table reader (the CSV reader with its encoding and separator
// detection, then the commune table's checks) must never crash, whatever the bytes. Every input
// either gives a selection of communes whose text is valid UTF-8, or raises coopterra::Error.
// Run with `./dev fuzz SECONDS` (tests/fuzz/run.sh fuzzes both targets).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coopterra/core/error.hpp"
#include "coopterra/io/csv.hpp"
#include "coopterra/io/files.hpp"
#include "coopterra/scenario/parameters.hpp"
#include "coopterra/territory/communes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const coopterra::TerritorySpec spec = [] {
    coopterra::TerritorySpec s = coopterra::default_spec().territory;
    s.source = "communes";
    return s;
  }();
  try {
    const coopterra::CsvTable table = coopterra::parse_csv(text, "fuzz.csv");
    for (const auto& h : table.header)
      if (!coopterra::is_valid_utf8(h)) __builtin_trap();
    for (const auto& r : table.records)
      for (const auto& f : r.fields)
        if (!coopterra::is_valid_utf8(f)) __builtin_trap();
    (void)coopterra::read_communes(table, spec);
  } catch (const coopterra::Error&) {
  }
  return 0;
}
