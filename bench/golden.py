"""Results kept as a reference, to show that a refactoring changes no result.

    .venv/bin/python bench/golden.py save DIR     # run every shipped scenario, keep its results
    .venv/bin/python bench/golden.py check DIR    # run them again, compare every variable
    .venv/bin/python bench/golden.py save DIR --residents 30000   # several chunks of residents

Each shipped scenario runs on 4,000 synthetic residents (or --residents: above 4,096 residents the
loops run in several chunks, whose partial sums are combined in order) for its own horizon capped
at 60 weeks (seed 1, 2 threads) and, in a second run, on 1 thread: the results must be
bit-identical to the saved ones whatever the thread count. Attributes that name the build or the
time (git revision, creation time, history) are not compared; every data variable and
coordinate is, value for value.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import xarray as xr

import coopterra

ROOT = Path(__file__).resolve().parents[1]
IGNORED_ATTRIBUTES = {
    "created",
    "history",
    "git_revision",
    "coopterra_version",
    "threads",
    "hdf5_version",
}


def run(path: Path, threads: int, residents: int = 4000) -> xr.Dataset:
    scenario = coopterra.load_scenario(path, overrides={"territory.residents": residents})
    weeks = min(int(scenario.get("run.weeks")), 60)
    sim = coopterra.Simulation(scenario, seed=1, threads=threads)
    sim.run(weeks=weeks)
    return sim.results()


def differences(old: xr.Dataset, new: xr.Dataset) -> list[str]:
    out = []
    for name in sorted(set(old.variables) | set(new.variables)):
        if name not in old.variables or name not in new.variables:
            where = "the reference" if name in old.variables else "the new run"
            out.append(f"{name}: only in {where}")
            continue
        a, b = old[name].values, new[name].values
        if a.dtype.kind in "UOS" and b.dtype.kind in "UOS":  # text, however it was stored
            a, b = a.astype(str), b.astype(str)
        if a.size == 0 and b.size == 0 and a.shape == b.shape:
            continue  # an empty dimension has no type worth comparing
        if a.shape != b.shape:
            out.append(f"{name}: shape {a.shape} -> {b.shape}")
        elif a.dtype.kind != b.dtype.kind:
            out.append(f"{name}: type {a.dtype} -> {b.dtype}")
        elif a.dtype.kind in "fc":
            if not np.array_equal(a, b, equal_nan=True):
                out.append(f"{name}: largest difference {np.nanmax(np.abs(a - b))}")
        elif not np.array_equal(a, b):
            out.append(f"{name}: values differ")
    for key in sorted(set(old.attrs) | set(new.attrs)):
        if key not in IGNORED_ATTRIBUTES and str(old.attrs.get(key)) != str(new.attrs.get(key)):
            out.append(f"attribute {key} differs")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--residents", type=int, default=4000, help="synthetic residents of each run (4000)"
    )
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        reference = args.folder / f"{path.stem}.nc"
        ds = run(path, threads=2, residents=args.residents)
        if args.action == "save":
            ds.to_netcdf(reference, engine="h5netcdf")
            print(f"saved {path.stem}: {len(ds.data_vars)} variables")
            continue
        if not reference.exists():
            print(f"{path.stem}: no reference in {args.folder} (a new scenario?)")
            continue
        with xr.open_dataset(reference, engine="h5netcdf") as old:
            problems = differences(old.load(), ds) + [
                f"1 thread: {p}"
                for p in differences(ds, run(path, threads=1, residents=args.residents))
            ]
        failed += bool(problems)
        print(f"{path.stem}: {'identical' if not problems else 'DIFFERENT'}")
        for p in problems[:20]:
            print(f"  {p}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
