"""The baseline beside public figures: what a scenario (by default the baseline, no policy) gives
on a territory year after year, each indicator beside the public figure it should be read
against (facts.md; the model issue's table).

    .venv/bin/python bench/baseline.py                      # the Drome, 10 years, seeds 1 and 2
    .venv/bin/python bench/baseline.py --years 5 --seeds 1 --territory territories/default.toml

Prints one Markdown table per seed: the indicator, its value in years 1, 5 and the last, and the
public figure. Years are 52-week blocks; flows are summed over the year, stocks read at its end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr

import coopterra

ROOT = Path(__file__).resolve().parents[1]


def year(ds: xr.Dataset, name: str, y: int, how: str = "sum") -> xr.DataArray:
    """A variable over the 52 weeks of year y (1-based): summed, or its last week."""
    block = ds[name].isel(week=slice(52 * (y - 1), 52 * y))
    return block.sum("week") if how == "sum" else block.isel(week=-1)


def share(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def indicators(ds: xr.Dataset, y: int) -> dict[str, str]:
    """The rows of the table for year y, formatted."""
    market = ds["channel_market"].values
    kind = ds["channel_kind"].values
    purchases = year(ds, "purchases", y)
    spending = year(ds, "purchase_spending", y)
    rows: dict[str, str] = {}
    coop = []
    for m in ds["market"].values:
        platform = (market == m) & np.isin(kind, ["cooperative", "incumbent"])
        mine = (market == m) & (kind == "cooperative")
        coop.append(f"{m} {100 * share(purchases[mine].sum(), purchases[platform].sum()):.0f}")
    rows["cooperatives' share of platform purchases (%)"] = ", ".join(coop)
    quality = year(ds, "platform_quality", y, "last")
    sector = ds["market_platform_sector"].values
    is_coop = ds["market_platform_cooperative"].values.astype(bool)
    food = sector == "food"
    rows["food platform quality, cooperative vs incumbent (utility)"] = (
        f"{float(quality[food & is_coop].max()):.2f} vs {float(quality[food & ~is_coop].max()):.2f}"
    )
    treasury = year(ds, "platform_treasury", y, "last")
    coop_treasury = treasury[is_coop & (sector != "carpool")]
    best = int(np.argmax(coop_treasury.values))
    where = str(coop_treasury["market_platform"].values[best]).split(":")[0]
    rows["largest cooperative treasury (EUR)"] = (
        f"{float(coop_treasury[best]) / 1e6:.2f} M ({where})"
    )
    balance = year(ds, "account_balance", y, "last")
    rows["households' account (EUR)"] = f"{float(balance.sel(account='households')) / 1e6:,.1f} M"
    rows["firms' cash (EUR)"] = f"{float(year(ds, 'firm_cash', y, 'last').sum()) / 1e6:,.1f} M"
    failures = int(year(ds, "firm_failures", y).sum())
    entries = int(year(ds, "firm_entries", y).sum())
    open_firms = int(year(ds, "firms_open", y, "last").sum())
    rows["firm failures / entries a year / firms open"] = (
        f"{failures:,} / {entries:,} / {open_firms:,} ({100 * share(failures, open_firms):.2f} %)"
    )
    members = int(year(ds, "barter_members", y, "last"))
    volume = float(year(ds, "barter_volume", y)) / 1e6
    rows["barter members / volume a year (EUR)"] = f"{members:,} / {volume:.2f} M"
    trips = float(year(ds, "carpool_passenger_trips", y))
    rows["platform carpool passenger trips a year"] = f"{trips / 1e3:,.1f} k"
    vkm = year(ds, "vehicle_km_alone", y) + year(ds, "vehicle_km_carpool", y)
    persons = vkm + year(ds, "passenger_km_carpool", y)
    rows["commuting car occupancy (per km)"] = f"{share(persons, vkm):.3f}"
    carpool = 100 * float(year(ds, "carpool_share", y) / 52)
    platform = 100 * float(year(ds, "platform_carpool_share", y) / 52)
    rows["car commuters carpooling / of them via a platform (%)"] = (
        f"{carpool:.1f} / {platform:.1f}"
    )

    delivery = market == "delivery"
    platform_delivery = delivery & np.isin(kind, ["cooperative", "incumbent"])
    restaurants = delivery & (kind != "alternative")
    rows["delivery platforms' share of restaurant spending (%)"] = (
        f"{100 * share(spending[platform_delivery].sum(), spending[restaurants].sum()):.1f}"
    )
    tourism = market == "tourism"
    stays = purchases[tourism & (kind != "alternative")].sum()
    platform_stays = purchases[tourism & np.isin(kind, ["cooperative", "incumbent"])].sum()
    rows["platforms' share of stays (%)"] = f"{100 * share(platform_stays, stays):.1f}"
    rows["food CO2e (t)"] = f"{float(year(ds, 'market_co2e', y).sel(market='food')) / 1e3:,.0f}"
    return rows


PUBLIC = {
    "cooperatives' share of platform purchases (%)": "no takeover without policy "
    "(Commown ~2,000 devices nationally)",
    "food platform quality, cooperative vs incumbent (utility)": "bounded; the basket's price "
    "is worth ~3",
    "largest cooperative treasury (EUR)": "Les Oiseaux de Passage: 57 k EUR of capital",
    "households' account (EUR)": "bounded: no unbounded deficit",
    "firms' cash (EUR)": "stationary, not growing without bound",
    "firm failures / entries a year / firms open": "France 59,342 a year (2010-2019), 55,492 "
    "(2023), ~1.5 % of firms; stationary",
    "barter members / volume a year (EUR)": "France Barter: 750 firms, ~2 M EUR in 3 years, "
    "nationally",
    "platform carpool passenger trips a year": "register: 1.5 M in 2021 for all France",
    "commuting car occupancy (per km)": "~1.08 (ADEME)",
    "car commuters carpooling / of them via a platform (%)": "~10 % of workers, half within "
    "the household; platforms a small minority",
    "delivery platforms' share of restaurant spending (%)": "15 % (2020) to 20 % (2022)",
    "platforms' share of stays (%)": "~14 % of capacity, ~20 % of nights (INSEE 2018)",
    "food CO2e (t)": "production ~83 % whoever sells: should not fall by half",
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--territory", default=str(ROOT / "territories" / "drome.toml"))
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    scenario = coopterra.load_scenario(
        args.scenario, territory=args.territory, overrides={"run.weeks": 52 * args.years}
    )
    shown = sorted({1, min(5, args.years), args.years})
    for seed in args.seeds:
        t0 = time.perf_counter()
        sim = coopterra.Simulation(scenario, seed=seed, threads=args.threads)
        sim.run()
        ds = sim.results()
        seconds = time.perf_counter() - t0
        table = {y: indicators(ds, y) for y in shown}
        print(
            f"\n{Path(args.scenario).name} on {Path(args.territory).name}, seed {seed}: "
            f"{sim.residents:,} residents, {args.years * 52} weeks, {seconds:.1f} s\n"
        )
        print("| indicator | " + " | ".join(f"year {y}" for y in shown) + " | public figure |")
        print("| --- | " + " | ".join("---" for _ in shown) + " | --- |")
        for name in table[shown[0]]:
            print(
                f"| {name} | "
                + " | ".join(table[y][name] for y in shown)
                + f" | {PUBLIC.get(name, '')} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
