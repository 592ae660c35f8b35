#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer, ASan, UBSan) and runs each for a bounded time
# (half of SECONDS each): the scenario parser and validator on tests/fuzz/corpus, the commune-table
# reader on tests/fuzz/corpus_communes. New inputs found go to build/fuzz/found*, not to the
# repository: add the interesting ones to the corpus by hand (or `run.sh SECONDS merge`).
set -euo pipefail
seconds="${1:-60}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/build/fuzz"
mkdir -p "$OUT/found" "$OUT/found_communes"
CXX="${FUZZ_CXX:-clang++-14}"
launcher=""; command -v ccache >/dev/null && launcher="ccache"
# The registry's data is embedded in a header CMake generates when it configures (sim/CMakeLists.txt).
GENERATED="$ROOT/build/asan/sim/generated"
[ -f "$GENERATED/coopterra/registry_data.hpp" ] && [ "$GENERATED/coopterra/registry_data.hpp" -nt "$ROOT/data/registry.toml" ] ||
  cmake --preset asan >/dev/null
flags=(-std=c++20 -O1 -g -fopenmp -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -I"$ROOT/sim" -I"$GENERATED" -I"$OUT" $(pkg-config --cflags eigen3) -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1)
# What the parser, the validator and the commune reader need: the scenario and its registry, the
# policy kinds (their fields and validation), the territory.
sources=(scenario/scenario.cpp scenario/parameters.cpp scenario/registry.cpp core/error.cpp io/files.cpp
         io/csv.cpp territory/communes.cpp territory/territory.cpp core/allocate.cpp model/economy.cpp model/markets.cpp)
for f in "$ROOT"/sim/coopterra/policy/*.cpp; do sources+=("policy/$(basename "$f")"); done
objects=()
for s in "${sources[@]}"; do
  o="$OUT/$(basename "${s%.cpp}").o"
  if [ ! -f "$o" ] || [ "$ROOT/sim/coopterra/$s" -nt "$o" ] || [ "$ROOT/sim/coopterra/scenario/spec.hpp" -nt "$o" ] \
     || [ "$ROOT/sim/coopterra/scenario/parameters.hpp" -nt "$o" ] || [ "$ROOT/data/registry.toml" -nt "$o" ]; then
    $launcher "$CXX" "${flags[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" -c "$ROOT/sim/coopterra/$s" -o "$o"
  fi
  objects+=("$o")
done
for target in scenario communes; do
  $launcher "$CXX" "${flags[@]}" "$ROOT/tests/fuzz/fuzz_$target.cpp" "${objects[@]}" -ltomlplusplus \
    -o "$OUT/fuzz_$target"
done
if [ "${2:-}" = "merge" ]; then
  "$OUT/fuzz_scenario" -merge=1 "$ROOT/tests/fuzz/corpus" "$OUT/found"
  "$OUT/fuzz_communes" -merge=1 "$ROOT/tests/fuzz/corpus_communes" "$OUT/found_communes"
  exit 0
fi
# Bounded: total time, per-input time, and input length: 16 KiB reaches every structural limit
# the parser checks (nesting and dotted keys refused beyond 64, i.e. from ~130 bytes); the engine
# refuses scenarios over 1 MiB anyway.
half=$(( (seconds + 1) / 2 ))
"$OUT/fuzz_scenario" -max_total_time="$half" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$OUT/found" "$ROOT/tests/fuzz/corpus" 2>&1 | tail -n 25
"$OUT/fuzz_communes" -max_total_time="$half" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$OUT/found_communes" "$ROOT/tests/fuzz/corpus_communes" 2>&1 | tail -n 25
