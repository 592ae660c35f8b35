"""Benchmark of territories: building real and synthetic territories with their road networks,
distance matrices and full synthetic populations (residents, ties, firms).

    .venv/bin/python bench/territory.py            # needs ../shared/data for the real territories

Each case runs in a fresh process (its own peak memory), --repeat times; medians are printed.
"boundaries s" is the time to load the territory again with its commune polygons
(load_territory(..., boundaries=)); a case the machine cannot hold is refused up front, and the
table prints the time to refuse and the memory it would need.
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
case = json.loads(sys.argv[1])
overrides = {k: v for k, v in case.items() if k != "boundaries"}
t0 = time.perf_counter()
try:
    sim = coopterra.Simulation(coopterra.load_scenario(overrides=overrides), seed=1, threads=2)
except coopterra.ConfigurationError as e:
    print(json.dumps({"refused": str(e.diagnostics[0].message), "total_s": time.perf_counter() - t0,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
    sys.exit(0)
t1 = time.perf_counter()
boundaries_s = float("nan")
if "boundaries" in case:
    t2 = time.perf_counter()
    deps = case.get("territory.select.departements")
    t = coopterra.load_territory(
        case["territory.communes_file"], select={"departements": deps} if deps else None,
        roads=case.get("territory.roads_file"), boundaries=case["boundaries"], threads=2)
    assert t.boundaries is not None
    boundaries_s = time.perf_counter() - t2
profile = dict(zip(sim.profile()["phase"], sim.profile()["seconds"]))
print(json.dumps({
    "total_s": t1 - t0, "territory_s": profile["build territory"],
    "population_s": profile["build population"], "firms_s": profile["build firms"],
    "zones": int(sim.results().sizes["zone"]), "residents": sim.residents, "firms": sim.firms,
    "state_bytes": sim.state_bytes, "boundaries_s": boundaries_s,
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
            "boundaries": str(DATA / "drome26_communes_2018.geojson"),
        },
        "Nord (59), most populous departement": {
            **communes,
            "territory.communes_file": str(DATA / "france_communes.csv"),
            "territory.select.departements": ["59"],
        },
        "Pas-de-Calais (62), most communes": {
            **communes,
            "territory.communes_file": str(DATA / "france_communes.csv"),
            "territory.select.departements": ["62"],
        },
        "France (national table, every commune)": {
            **communes,
            "territory.communes_file": str(DATA / "france_communes.csv"),
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
    parser.add_argument("--only", help="run the cases whose name contains this text")
    args = parser.parse_args()
    print(f"# coopterra territory bench, 2 threads, {args.repeat} runs each (medians)")
    head = (
        f"{'case':<42} {'zones':>6} {'residents':>10} {'firms':>7} {'territory s':>11} "
        f"{'population s':>12} {'total s':>8} {'peak MB':>8} {'B/resident':>10} "
        f"{'boundaries s':>12}"
    )
    print(head)
    print("-" * len(head))
    for name, overrides in cases().items():
        if args.only and args.only not in name:
            continue
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
        if "refused" in r0:
            print(
                f"{name:<42} refused in {med('total_s'):.2f} s, peak "
                f"{max(r['peak_rss_bytes'] for r in runs) / 2**20:.0f} MB: {r0['refused']}"
            )
            continue
        print(
            f"{name:<42} {r0['zones']:>6,} {r0['residents']:>10,} {r0['firms']:>7,} "
            f"{med('territory_s'):>11.3f} {med('population_s'):>12.3f} {med('total_s'):>8.3f} "
            f"{max(r['peak_rss_bytes'] for r in runs) / 2**20:>8.0f} "
            f"{r0['state_bytes'] / r0['residents']:>10.1f} {med('boundaries_s'):>12.3f}"
        )


if __name__ == "__main__":
    main()
