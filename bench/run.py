"""coopterra benchmarks: time per phase, resident-weeks per second, memory, thread scaling.

    ./dev bench                          # default sizes
    ./dev bench --residents 1000000 --weeks 520 --threads 2 --repeat 1
    ./dev bench --no-table --scaling --callgrind   # cost fit 10k..2.5M residents; instructions
    ./dev bench --no-table --contention            # 1 vs 2 threads beside a process holding a core

Each configuration runs in a fresh process (so peak memory is its own), `--repeat` times; the
table gives medians. Figures depend on the machine: quote them with the command that made them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ONE_RUN = """
import json, resource, sys, time
import coopterra
residents, weeks, threads, seed, ties = map(int, sys.argv[1:6])
overrides = {"territory.residents": residents, "territory.zones": max(30, residents // 2000)}
if ties:
    overrides["population.ties_per_resident"] = ties
scenario = coopterra.load_scenario(overrides=overrides)
t0 = time.perf_counter()
sim = coopterra.Simulation(scenario, seed=seed, threads=threads)
t1 = time.perf_counter()
sim.run(weeks=weeks)
t2 = time.perf_counter()
profile = sim.profile()
print(json.dumps({
    "build_s": t1 - t0, "run_s": t2 - t1,
    "phases": dict(zip(profile["phase"], profile["seconds"])),
    "state_bytes": sim.state_bytes,
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""

# The engine's functions that make a week, as callgrind names them (bench/engine.cpp).
CALLGRIND_PARTS = {
    "build (territory, population, state)": "coopterra::Simulation::Simulation(",
    "markets: residents' week": "coopterra::MarketModel::residents(",
    "carpool: awareness": "coopterra::CarpoolModel::spread_awareness(",
    "carpool: mode choice": "coopterra::CarpoolModel::choose_modes(",
    "carpool: matching": "coopterra::CarpoolModel::match(",
    "economy: firms": "coopterra::Economy::firms(",
    "economy: barter": "coopterra::Economy::barter(",
}


def measure(
    residents: int,
    weeks: int,
    threads: int,
    seed: int,
    ties: int = 0,
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            ONE_RUN,
            str(residents),
            str(weeks),
            str(threads),
            str(seed),
            str(ties),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def scaling(sizes: list[int], ties: list[int], weeks: int, threads: int, seed: int) -> None:
    """Fits run time = c0 + c1 x resident-weeks + c2 x tie-weeks over sizes and tie counts,
    minimising relative residuals."""
    import numpy as np

    configs = [(n, 8) for n in sizes] + [(n, k) for n in sizes[1:3] for k in ties if k != 8]
    rows = []
    print(f"\n# scaling: {threads} threads, {weeks} weeks, one run each")
    print(f"{'residents':>10} {'ties':>5} {'run s':>8} {'ns/res-week':>12} {'fit s':>8}")
    for n, k in configs:
        r = measure(n, weeks, threads, seed, k)
        rows.append((n, k, float(r["run_s"])))  # type: ignore[arg-type]
    a = np.array([[1.0, n * weeks, n * k * weeks] for n, k, _ in rows])
    t = np.array([run for _, _, run in rows])
    # Least squares on relative residuals: the small runs count as much as the large ones.
    coef, *_ = np.linalg.lstsq(a / t[:, None], np.ones_like(t), rcond=None)
    fit = a @ coef
    r2 = 1.0 - float(((t - fit) ** 2).sum() / ((t - t.mean()) ** 2).sum())
    for (n, k, run), f in zip(rows, fit, strict=True):
        print(f"{n:>10,} {k:>5} {run:>8.3f} {run / (n * weeks) * 1e9:>12.1f} {f:>8.3f}")
    print(
        f"fit: run s = {coef[0]:.3f} + {coef[1] * 1e9:.1f} ns x resident-weeks "
        f"+ {coef[2] * 1e9:.2f} ns x tie-weeks; R^2 = {r2:.4f}; "
        f"largest relative residual {float(np.max(np.abs(t - fit) / t)):.1%}"
    )


HOG = "while True: pass"


def wait_policy_environment(policy: str) -> dict[str, str]:
    """The environment a run gets for a --wait-policy value."""
    if policy == "default":
        return {}
    if policy.startswith("spincount="):
        return {"GOMP_SPINCOUNT": policy.removeprefix("spincount=")}
    return {"OMP_WAIT_POLICY": policy}


def contention(sizes: list[int], weeks: int, repeat: int, seed: int, policies: list[str]) -> None:
    """Run time on 1 and 2 threads, alone and beside a process that holds one core (a busy
    loop), interleaved, medians of `repeat`; for each OpenMP wait policy asked for (OMP_WAIT_POLICY
    in the run's environment, or GOMP_SPINCOUNT for spincount=N; "default" leaves coopterra's
    own choice)."""
    print(f"# contention: {weeks} weeks, medians of {repeat}, interleaved")
    print(
        f"{'residents':>10} {'policy':>16} {'1t alone':>9} {'2t alone':>9} "
        f"{'1t busy':>9} {'2t busy':>9} {'2t/1t busy':>11}"
    )
    for n in sizes:
        for policy in policies:
            env = wait_policy_environment(policy)
            times: dict[tuple[int, bool], list[float]] = {}
            for _ in range(repeat):
                for busy in (False, True):
                    hog = subprocess.Popen([sys.executable, "-c", HOG]) if busy else None
                    try:
                        for threads in (1, 2):
                            r = measure(n, weeks, threads, seed, env=env)
                            times.setdefault((threads, busy), []).append(float(r["run_s"]))  # type: ignore[arg-type]
                    finally:
                        if hog is not None:
                            hog.kill()
                            hog.wait()
            med = {k: statistics.median(v) for k, v in times.items()}
            print(
                f"{n:>10,} {policy:>16} {med[1, False]:>9.3f} {med[2, False]:>9.3f} "
                f"{med[1, True]:>9.3f} {med[2, True]:>9.3f} {med[2, True] / med[1, True]:>11.2f}"
            )


def callgrind(engine: str, residents: int, weeks: int) -> None:
    """Instruction counts (stable on a noisy machine) of a small run, by part of the week."""
    import os
    import re
    import shutil
    import tempfile

    if not shutil.which("valgrind") or not os.path.exists(engine):
        print(f"\n# callgrind: needs valgrind and {engine} (./dev bench builds it)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                engine,
                str(residents),
                str(weeks),
                "1",
            ],
            capture_output=True,
            check=True,
        )
        text = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    counts: dict[str, int] = {}
    total = 0
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) .*?\s(\S.*)$", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = value
        for part, symbol in CALLGRIND_PARTS.items():
            if symbol in line:  # the largest count of the function is its inclusive cost
                counts[part] = max(counts.get(part, 0), value)
    resident_weeks = residents * weeks
    print(f"\n# callgrind: coopterra_bench {residents} {weeks} 1 (instructions, inclusive)")
    print(f"{'total':<38} {total:>14,}")
    for part, value in counts.items():
        per = (
            "" if part.startswith("build") else f"  {value / resident_weeks:8.1f} per resident-week"
        )
        print(f"{part:<38} {value:>14,}{per}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scaling",
        type=int,
        nargs="*",
        metavar="RESIDENTS",
        help="fit the cost over these sizes (default 10k 100k 1M 2.5M)",
    )
    parser.add_argument(
        "--ties",
        type=int,
        nargs="+",
        default=[4, 8, 16],
        help="ties per resident tried in the scaling fit",
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="instruction counts of a 20,000-resident, 10-week run",
    )
    parser.add_argument(
        "--engine",
        default="build/release/bench/coopterra_bench",
        help="the engine-only driver (bench/engine.cpp)",
    )
    parser.add_argument(
        "--contention",
        action="store_true",
        help="1 vs 2 threads alone and beside a process holding a core (--residents, --weeks)",
    )
    parser.add_argument(
        "--wait-policy",
        nargs="+",
        default=["default"],
        help="OpenMP wait policies the contention table tries: default (coopterra's), active, "
        "passive, or spincount=N (libgomp's GOMP_SPINCOUNT)",
    )
    parser.add_argument("--no-table", action="store_true", help="skip the main table")
    args = parser.parse_args()

    print(
        f"# coopterra bench: {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(f"# weeks={args.weeks} repeat={args.repeat} (medians)")
    header = (
        f"{'residents':>10} {'threads':>7} {'build s':>8} {'run s':>8} "
        f"{'res-weeks/s':>12} {'B/resident':>10} {'peak MB':>8}  phases (s)"
    )
    print(header)
    print("-" * len(header))
    for n in [] if args.no_table else args.residents:
        base_run = None
        for threads in args.threads:
            runs = [measure(n, args.weeks, threads, args.seed) for _ in range(args.repeat)]
            build = statistics.median(float(r["build_s"]) for r in runs)  # type: ignore[arg-type]
            run = statistics.median(float(r["run_s"]) for r in runs)  # type: ignore[arg-type]
            phases = runs[0]["phases"]
            assert isinstance(phases, dict)
            names = list(phases)
            med = {p: statistics.median(float(r["phases"][p]) for r in runs) for p in names}  # type: ignore[index]
            rate = n * args.weeks / run
            state = int(runs[0]["state_bytes"]) / n  # type: ignore[call-overload]
            peak = max(int(r["peak_rss_bytes"]) for r in runs) / 2**20  # type: ignore[call-overload]
            if base_run is None:
                base_run = run
            speedup = base_run / run
            phase_text = " ".join(f"{p.split()[-1]}={s:.3f}" for p, s in med.items())
            print(
                f"{n:>10,} {threads:>7} {build:>8.3f} {run:>8.3f} {rate:>12.3g} "
                f"{state:>10.1f} {peak:>8.0f}  {phase_text}"
                + (f"  speed-up x{speedup:.2f}" if threads != args.threads[0] else "")
            )
    if args.scaling is not None:
        sizes = args.scaling or [10_000, 100_000, 1_000_000, 2_500_000]
        scaling(sizes, args.ties, args.weeks, args.threads[-1], args.seed)
    if args.contention:
        contention(args.residents, args.weeks, args.repeat, args.seed, args.wait_policy)
    if args.callgrind:
        callgrind(args.engine, 20_000, 10)


if __name__ == "__main__":
    main()
