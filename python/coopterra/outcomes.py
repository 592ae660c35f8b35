"""Headline outcomes of a run: what comparisons, ensembles and reports put in front of users.

Each is (name, unit, value of one run's results): a function of the indicators of one run
(docs/results.md), over the whole run or in its last week.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

Indicator = tuple[str, str, Callable[[xr.Dataset], float]]

HEADLINES: list[Indicator] = [
    ("CO2e of commuting", "t", lambda ds: float(ds["co2e"].sum()) / 1000),
    ("vehicle-km of commuting", "km", lambda ds: float(ds["vehicle_km"].sum())),
    (
        "carpoolers via the cooperative (last week)",
        "person",
        lambda ds: float(ds["commuters"].sel(mode="carpool_cooperative")[-1]),
    ),
    (
        "carpoolers via the incumbent (last week)",
        "person",
        lambda ds: float(ds["commuters"].sel(mode="carpool_incumbent")[-1]),
    ),
    (
        "residents aware of the cooperative (last week)",
        "person",
        lambda ds: float(ds["aware"].sel(platform="cooperative")[-1]),
    ),
    (
        "platform fees leaving the territory",
        "EUR",
        lambda ds: float(ds["fees_leaving_territory"].sum()),
    ),
    (
        "platform fees kept in the territory",
        "EUR",
        lambda ds: float(ds["fees_kept_in_territory"].sum()),
    ),
    ("public money spent", "EUR", lambda ds: float(ds["public_spending"].sum())),
    (
        "CO2e of commuting and the six markets",
        "t",
        lambda ds: float(ds["co2e_total"].sum()) / 1000,
    ),
    ("jobs in local firms (last week)", "job", lambda ds: float(ds["jobs"][-1].sum())),
    ("firms open (last week)", "firm", lambda ds: float(ds["firms_open"][-1].sum())),
    (
        "cooperative platforms open (last week)",
        "platform",
        lambda ds: float((ds["platform_open"][-1] * ds["market_platform_cooperative"]).sum()),
    ),
    (
        "fees of the markets' incumbent platforms",
        "EUR",
        lambda ds: float(ds["channel_fees"].where(ds["channel_kind"] == "incumbent", 0.0).sum()),
    ),
    ("local multiplier LM3 (mean)", "1", lambda ds: float(ds["local_multiplier"].mean())),
]
