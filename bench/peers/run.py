"""The engine against its peers on carpooling alone: a vectorised NumPy and a Mesa 3 implementation.

    ./dev bench --peers                       # 100k and 1M residents (NumPy), 20k (Mesa), 52 weeks
    .venv/bin/python bench/peers/run.py --residents 100000 --mesa-residents 10000 --weeks 20

Each implementation runs the same rules (common.py) on the engine's territory and population of
carpool_only.toml; times are of the weeks alone (the population's build and the peers' setup
apart), medians of --repeat rounds, each running every implementation in turn in this process.
`per core` divides by the threads used.
Each peer's yearly means are checked against the engine's on the same residents (same seed of the
population, the peers' own random numbers): an indicator agrees within --tolerance (relative) or
within four standard errors (sqrt(mean / weeks) for a weekly count, sqrt(mean) for the aware,
a stock drawn once); the exit status is 1 if one does not.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import carpool_mesa
import carpool_numpy
from common import INDICATORS, agreement, engine_weeks, inputs


def agrees(engine: dict, peer: dict, weeks: int, tolerance: float) -> tuple[bool, str]:  # type: ignore[type-arg]
    """Whether every indicator agrees, and the largest difference or those that do not agree."""
    differ, largest = [], ("", 0.0)
    for name, rel in agreement(engine, peer).items():
        mean = float(engine[name].mean())
        # A stock (the aware) is one draw carried over the weeks; a flow is drawn anew each week.
        draws = 1 if name.startswith("aware") else weeks
        if abs(rel) > tolerance and abs(rel) * mean > 4.0 * math.sqrt(max(mean, 1.0) / draws):
            differ.append(f"{name} {rel * 100:+.2f}%")
        if abs(rel) >= abs(largest[1]):
            largest = (name, rel)
    if differ:
        return False, ", ".join(differ)
    return True, f"{largest[0]} {largest[1] * 100:+.2f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--mesa-residents", type=int, nargs="*", default=[20_000])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--tolerance", type=float, default=0.03, help="relative agreement of yearly means (0.03)"
    )
    args = parser.parse_args(argv)

    print(
        f"# coopterra peers: {platform.machine()}, python {platform.python_version()}, "
        f"{datetime.now():%Y-%m-%d %H:%M}; carpooling alone, {args.weeks} weeks, "
        f"medians of {args.repeat}, interleaved"
    )
    print(
        f"{'implementation':>14} {'residents':>10} {'threads':>7} {'run s':>8} {'res-weeks/s':>12} "
        f"{'per core':>10} {'engine x':>9}  agreement (largest difference)"
    )
    failed = False
    sizes = sorted(
        {(n, "numpy") for n in args.residents} | {(n, "mesa") for n in args.mesa_residents}
    )
    for residents, name in sizes:
        x = inputs(residents)
        peer = carpool_numpy if name == "numpy" else carpool_mesa
        times: dict[str, list[float]] = {"engine 1": [], "engine 2": [], name: []}
        reference: dict[str, np.ndarray] = {}
        result: dict[str, np.ndarray] = {}
        # Every implementation in every round, Mesa too: a single Mesa run against medians of the
        # engine's moved the ratio from 132x to 209x with the machine's load.
        for _ in range(args.repeat):
            for threads in (1, 2):
                reference, seconds = engine_weeks(residents, args.weeks, threads)
                times[f"engine {threads}"].append(seconds)
            result, seconds = peer.run(x, args.weeks)
            times[name].append(seconds)
        rw = residents * args.weeks

        def row(label: str, threads: int, seconds: float, tail: str = "", rw: int = rw) -> None:
            print(
                f"{label:>14} {rw // args.weeks:>10,} {threads:>7} {seconds:>8.3f} "
                f"{rw / seconds:>12.3e} {rw / seconds / threads:>10.3e} {tail}"
            )

        one = statistics.median(times["engine 1"])
        for threads in (1, 2):
            row("engine", threads, statistics.median(times[f"engine {threads}"]))
        ok, worst = agrees(reference, result, args.weeks, args.tolerance)
        failed = failed or not ok
        s = statistics.median(times[name])
        row(name, 1, s, f"{s / one:>8.1f}x  {'agrees' if ok else 'DIFFERS'} ({worst})")
    print(
        "engine x: the peer's time over the engine's on one thread. Indicators: "
        + ", ".join(INDICATORS)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
