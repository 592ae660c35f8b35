"""Overhead of the ensemble machinery against bare runs, and paired against unpaired intervals.

    .venv/bin/python bench/ensemble.py [--runs 40] [--residents 20000]
    .venv/bin/python bench/ensemble.py --runs 100 --residents 50000 --weeks 260 --parts pool
    .venv/bin/python bench/ensemble.py --parts calibration --territory territories/drome.toml \
        --weeks 260 --runs 8 --seeds 2

Calibration: --runs runs as a calibration makes them, --seeds replicates of --runs / --seeds
parameter points (carpool.asc and the cooperative's Bass q varied), through run_ensemble as it
chooses (runs side by side, territories and populations shared per seed): runs per hour, then the
same runs with a seed of their own each (only the territory shared) for comparison.

Bare: the same runs one after the other in a plain loop (Simulation.run, no file). Thread pool:
run_ensemble with 2 workers of 1 thread (each run writes its HDF5 file). Dask: a LocalCluster of 2
worker processes with 1 thread each, through client.get_executor().
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import coopterra

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=["bare", "pool", "dask", "crn", "calibration"],
        default=["bare", "pool", "dask", "crn"],
    )
    parser.add_argument("--territory", type=Path, help="a territory file (default: synthetic)")
    parser.add_argument("--seeds", type=int, default=2, help="calibration: replicates (2)")
    args = parser.parse_args()
    if args.territory is not None:
        scenario = coopterra.load_scenario(
            SCENARIOS / "baseline.toml",
            territory=args.territory,
            overrides={"run.weeks": args.weeks},
        )
    else:
        scenario = coopterra.load_scenario(
            SCENARIOS / "baseline.toml",
            overrides={"territory.residents": args.residents, "run.weeks": args.weeks},
        )
    work = Path(tempfile.mkdtemp(prefix="coopterra-bench-"))
    where = args.territory or f"{args.residents:,} residents"
    print(f"# {args.runs} runs of {where} x {args.weeks} weeks, 2 cores")
    if "calibration" in args.parts:
        calibration_part(args, scenario, work)

    bare = 0.0
    if "bare" in args.parts:
        start = time.perf_counter()
        for r in range(args.runs):
            coopterra.Simulation(scenario, seed=1 + r, threads=1).run()
        bare = time.perf_counter() - start
        print(
            f"bare loop, 1 thread            {bare:7.2f} s  {bare / args.runs * 1000:7.1f} ms/run"
        )

    def against_bare(elapsed: float) -> str:
        if not bare:
            return ""
        return (
            f"  (x{bare / elapsed:.2f} the bare loop; overhead per run, both cores counted: "
            f"{(2 * elapsed - bare) / args.runs * 1000:+.1f} ms)"
        )

    if "pool" in args.parts:
        pool_part(args, scenario, work, against_bare)
    if "dask" in args.parts:
        dask_part(args, scenario, work, against_bare)
    if "crn" in args.parts:
        crn_part(args, scenario, work)


def pool_part(
    args: argparse.Namespace,
    scenario: coopterra.Scenario,
    work: Path,
    against_bare: Callable[[float], str],
) -> None:

    start = time.perf_counter()
    ens = coopterra.run_ensemble(
        [scenario], replicates=args.runs, out=work / "threads", progress=False
    )
    pool = time.perf_counter() - start
    assert not ens.failures
    print(
        f"thread pool, 2 x 1 thread      {pool:7.2f} s  {pool / args.runs * 1000:7.1f} ms/run"
        + against_bare(pool)
    )


def calibration_part(args: argparse.Namespace, scenario: coopterra.Scenario, work: Path) -> None:
    points = max(1, args.runs // args.seeds)
    samples = [
        {
            "carpool.asc": -5.6 + 0.5 * i / points,
            "carpool.cooperative.bass_q": 0.3 + 0.2 * i / points,
        }
        for i in range(points)
    ]
    for label, replicates, grid in (
        (f"{args.seeds} seeds, shared", args.seeds, samples),
        ("a seed each: territory shared", points * args.seeds, samples[:1]),
    ):
        start = time.perf_counter()
        ens = coopterra.run_ensemble(
            [scenario],
            replicates=replicates,
            samples=grid,
            out=work / f"calibration-{replicates}",
            progress=False,
        )
        elapsed = time.perf_counter() - start
        assert not ens.failures, ens.failures
        runs = len(ens.runs)
        print(
            f"calibration, {label:28s} {runs} runs {elapsed:7.1f} s  {elapsed / runs:6.2f} s/run"
            f"  {3600 * runs / elapsed:7.0f} runs/hour  ({ens.runs[0].threads} thread(s) per run)"
        )


def dask_part(
    args: argparse.Namespace,
    scenario: coopterra.Scenario,
    work: Path,
    against_bare: Callable[[float], str],
) -> None:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.submit(lambda: 0).result()  # workers up
        start = time.perf_counter()
        ens = coopterra.run_ensemble(
            [scenario],
            replicates=args.runs,
            out=work / "dask",
            executor=client.get_executor(),
            progress=False,
        )
        dask = time.perf_counter() - start
        assert not ens.failures
    print(
        f"Dask, 2 processes x 1 thread   {dask:7.2f} s  {dask / args.runs * 1000:7.1f} ms/run"
        + against_bare(dask)
    )


def crn_part(args: argparse.Namespace, scenario: coopterra.Scenario, work: Path) -> None:
    # Common random numbers: paired against unpaired differences of total CO2e.
    support = coopterra.load_scenario(
        SCENARIOS / "carpool_support.toml",
        overrides={"territory.residents": args.residents, "run.weeks": args.weeks},
    )
    n = 20
    comp = coopterra.compare(scenario, [support], replicates=n, out=work / "compare")
    base = np.array([float(ds["co2e"].sum()) / 1000 for ds in comp.runs[scenario.name]])
    pol = np.array([float(ds["co2e"].sum()) / 1000 for ds in comp.runs[support.name]])
    paired = pol - base
    unpaired = pol - np.roll(base, n // 2)  # each policy run against another seed's baseline
    width = lambda d: np.quantile(d, 0.95) - np.quantile(d, 0.05)  # noqa: E731
    print(
        f"CO2e difference over {n} replicates: paired 90 % interval width {width(paired):.2f} t,"
        f" unpaired {width(unpaired):.2f} t (x{width(unpaired) / width(paired):.1f} narrower)"
    )


if __name__ == "__main__":
    main()
