"""coopterra benchmarks: time per phase, resident-weeks per second, memory, thread scaling.

    ./dev bench                          # default sizes
    ./dev bench --residents 1000000 --weeks 520 --threads 1 2

Each configuration runs in a fresh process (so peak memory is its own), `--repeat` times; the
table gives medians. Figures depend on the machine: quote them with the command that made them.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time

ONE_RUN = """
import json, resource, sys, time
import coopterra
residents, weeks, threads, seed = map(int, sys.argv[1:5])
scenario = coopterra.load_scenario(overrides={"territory.residents": residents,
                                              "territory.zones": max(30, residents // 2000)})
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


def measure(residents: int, weeks: int, threads: int, seed: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(residents), str(weeks), str(threads), str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
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
    for n in args.residents:
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


if __name__ == "__main__":
    main()
