"""Benchmark of territories: building real and synthetic territories with their road networks,
distance matrices and full synthetic populations (residents, ties, firms).

    .venv/bin/python bench/territory.py            # needs ../shared/data for the real territories

Each case runs in a fresh process (its own peak memory), --repeat times; medians are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

ONE_CASE = """
import json, resource, sys, time
import coopterra
overrides = json.loads(sys.argv[1])
t0 = time.perf_counter()
sim = coopterra.Simulation(coopterra.load_scenario(overrides=overrides), seed=1, threads=2)
t1 = time.perf_counter()
profile = dict(zip(sim.profile()["phase"], sim.profile()["seconds"]))
print(json.dumps({
    "total_s": t1 - t0, "territory_s": profile["build territory"],
    "population_s": profile["build population"], "firms_s": profile["build firms"],
    "zones": int(sim.results().sizes["zone"]), "residents": sim.residents, "firms": sim.firms,
    "state_bytes": sim.state_bytes,
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""


def cases() -> dict[str, dict[str, object]]:
    communes = {"territory.source": "communes"}
    return {
        "Drome (drome26_communes.csv + knn5 edges)": {
            **communes,
            "territory.communes_file": str(DATA / "drome26_communes.csv"),
            "territory.roads_file": str(DATA / "drome26_knn5_edges.csv"),
        },
        "7 departements (national table)": {
            **communes,
            "territory.communes_file": str(DATA / "france_communes.csv"),
            "territory.select.departements": ["38", "26", "07", "05", "43", "48", "04"],
        },
        "synthetic 100 zones, 1 M residents": {
            "territory.zones": 100,
            "territory.residents": 1_000_000,
        },
        "synthetic 2,000 zones, 2.5 M residents": {
            "territory.zones": 2000,
            "territory.residents": 2_500_000,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# coopterra territory bench, 2 threads, {args.repeat} runs each (medians)")
    head = (
        f"{'case':<42} {'zones':>6} {'residents':>10} {'firms':>7} {'territory s':>11} "
        f"{'population s':>12} {'total s':>8} {'peak MB':>8} {'B/resident':>10}"
    )
    print(head)
    print("-" * len(head))
    for name, overrides in cases().items():
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, "-c", ONE_CASE, json.dumps(overrides)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout))

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(float(r[key]) for r in runs)

        r0 = runs[0]
        print(
            f"{name:<42} {r0['zones']:>6,} {r0['residents']:>10,} {r0['firms']:>7,} "
            f"{med('territory_s'):>11.3f} {med('population_s'):>12.3f} {med('total_s'):>8.3f} "
            f"{max(r['peak_rss_bytes'] for r in runs) / 2**20:>8.0f} "
            f"{r0['state_bytes'] / r0['residents']:>10.1f}"
        )


if __name__ == "__main__":
    main()
