#!/usr/bin/env bash
# Builds the scenario fuzz target with clang (libFuzzer, ASan, UBSan) and runs it for a bounded
# time on the corpus kept in tests/fuzz/corpus. New inputs found go to build/fuzz/found, not to
# the repository: add the interesting ones to the corpus by hand (or `run.sh SECONDS merge`).
set -euo pipefail
seconds="${1:-60}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/build/fuzz"
mkdir -p "$OUT/found"
CXX="${FUZZ_CXX:-clang++-14}"
launcher=""; command -v ccache >/dev/null && launcher="ccache"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -I"$ROOT/sim" -I"$OUT" -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1)
sources=(scenario/scenario.cpp scenario/parameters.cpp scenario/market_parameters.cpp core/error.cpp io/files.cpp)
objects=()
for s in "${sources[@]}"; do
  o="$OUT/$(basename "${s%.cpp}").o"
  if [ ! -f "$o" ] || [ "$ROOT/sim/coopterra/$s" -nt "$o" ] || [ "$ROOT/sim/coopterra/scenario/spec.hpp" -nt "$o" ] \
     || [ "$ROOT/sim/coopterra/scenario/parameters.hpp" -nt "$o" ]; then
    $launcher "$CXX" "${flags[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" -c "$ROOT/sim/coopterra/$s" -o "$o"
  fi
  objects+=("$o")
done
$launcher "$CXX" "${flags[@]}" "$ROOT/tests/fuzz/fuzz_scenario.cpp" "${objects[@]}" -ltomlplusplus -o "$OUT/fuzz_scenario"
corpus=("$OUT/found" "$ROOT/tests/fuzz/corpus")
if [ "${2:-}" = "merge" ]; then
  "$OUT/fuzz_scenario" -merge=1 "$ROOT/tests/fuzz/corpus" "$OUT/found"
  exit 0
fi
# Bounded: total time, input length (the engine refuses scenarios over 1 MiB anyway), per-input time.
"$OUT/fuzz_scenario" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "${corpus[@]}" 2>&1 | tail -n 25
