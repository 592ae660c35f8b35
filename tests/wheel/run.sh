#!/usr/bin/env bash
# The package as a user installs it: builds an sdist and a wheel, installs the wheel with every
# extra into a fresh virtual environment (not the editable install of .venv), and runs
# `coopterra run` and `coopterra compare --report` from it, outside the source tree.
#
#   tests/wheel/run.sh [PYTHON]      PYTHON: the interpreter that builds (default .venv/bin/python)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${1:-$ROOT/.venv/bin/python}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
# The wheel reuses the package's build folder (pyproject: build-dir), so it costs no new compile.
"$PY" -m build --no-isolation --sdist --wheel --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log"; exit 1; }
sdist=("$WORK"/dist/coopterra-*.tar.gz) wheel=("$WORK"/dist/coopterra-*.whl)
# The sdist must hold what a build from it needs.
tar -tzf "${sdist[0]}" >"$WORK/sdist.txt"
for f in CMakeLists.txt sim/CMakeLists.txt sim/coopterra/simulation.cpp python/bindings/module.cpp \
  python/coopterra/__init__.py scenarios/baseline.toml; do
  grep -q "^coopterra-[^/]*/$f\$" "$WORK/sdist.txt" || { echo "sdist lacks $f"; exit 1; }
done
python3 -m venv "$WORK/venv"
V="$WORK/venv/bin"
# h5py against the system libhdf5 the engine links (docs/results.md: one libhdf5 per process);
# pip reuses the wheel it built for .venv.
{ "$V/python" -m pip install -q --upgrade pip &&
  "$V/python" -m pip install -q --no-binary h5py "h5py>=3.8" "${wheel[0]}[all]"; } >"$WORK/pip.log" 2>&1 ||
  { grep -v "^WARNING: Location" "$WORK/pip.log"; exit 1; }
cd "$WORK"
"$V/coopterra" --help >/dev/null
"$V/coopterra" run --set territory.residents=3000 --set territory.zones=10 --weeks 4 --threads 2 \
  --out "$WORK/run.h5" | tail -3
"$V/coopterra" compare "$("$V/python" -c 'import coopterra; print(coopterra.shipped_scenarios()["baseline"])')" \
  "$("$V/python" -c 'import coopterra; print(coopterra.shipped_scenarios()["carpool_support"])')" \
  --set territory.residents=3000 --set territory.zones=10 --weeks 6 --replicates 2 \
  --report "$WORK/report.html" >/dev/null
test -s "$WORK/report.html" && test -s "$WORK/run.h5"
"$V/python" -c "import coopterra, sys; ds = coopterra.open_results(sys.argv[1]); assert ds.sizes['week'] == 4" "$WORK/run.h5"
echo "wheel: $(basename "${wheel[0]}") installed with [all] in a fresh environment; run, compare --report: passed"
