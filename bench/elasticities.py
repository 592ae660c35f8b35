"""Own- and cross-price elasticities of the markets' channels that the defaults imply.

    .venv/bin/python bench/elasticities.py                     # synthetic 30 k residents, a year
    .venv/bin/python bench/elasticities.py --territory territories/drome.toml --weeks 52

For each market and each platform kind (cooperative, incumbent), the run is repeated with that
platform's price raised by 10 % (its `price_factor`), with the same seed: common random numbers,
so the difference is the price's effect and not noise. The arc elasticity of purchases of each
channel of the market (d ln Q / d ln P, midpoint formula) is printed: the diagonal is the
channel's own-price elasticity, the rest cross-price elasticities. Literature: brand-level sales
elasticities average -2.6 (Bijmolt, van Heerde & Pieters 2005, 1,851 estimates); a whole channel
(all of a platform's baskets) should be less elastic than a brand within a category.
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

import coopterra

RISE = 1.10


def purchases(scenario: coopterra.Scenario, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sim = coopterra.Simulation(scenario, seed=seed, threads=2)
    sim.run()
    ds = sim.results()
    return (
        ds["purchases"].sum("week").values.astype(float),
        ds["channel_market"].values,
        ds["channel_kind"].values,
    )


def arc(q0: float, q1: float) -> float:
    if q0 <= 0 or q1 <= 0:
        return math.nan
    return (math.log(q1) - math.log(q0)) / math.log(RISE)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--territory", default=None)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    overrides: dict[str, object] = {"run.weeks": args.weeks}
    if args.territory is None:
        overrides.update({"territory.residents": 30_000, "territory.zones": 25})
    base = coopterra.load_scenario(territory=args.territory, overrides=overrides)
    q0, market, kind = purchases(base, args.seed)
    print("| market | price raised | offline | cooperative | incumbent | alternative |")
    print("| --- | --- | --- | --- | --- | --- |")
    for m in dict.fromkeys(market):
        for raised in ("cooperative", "incumbent"):
            key = f"markets.{m}.{raised}.price_factor"
            price = float(base.get(key))
            q1, _, _ = purchases(base.with_overrides({key: price * RISE}), args.seed)
            cells = []
            for k in ("offline", "cooperative", "incumbent", "alternative"):
                mine = (market == m) & (kind == k)
                e = arc(q0[mine].sum(), q1[mine].sum()) if mine.any() else math.nan
                cells.append("" if math.isnan(e) else f"{e:+.2f}")
            print(f"| {m} | {raised} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
