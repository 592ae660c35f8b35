"""A readable summary of a run's results, for the terminal and for notebooks: carpooling week
by week, then every headline outcome as defined once in coopterra.outcomes (docs/indicators.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import xarray as xr

from coopterra.outcomes import BY_NAME, HEADLINES, digits_for, number, unit_text


def text_columns(
    rows: Sequence[Sequence[str]], right: Sequence[bool], indent: str = ""
) -> list[str]:
    """Rows of cells as lines of aligned columns, each as wide as its widest cell (a large
    territory's figures are wider than a small one's), two spaces apart; ``right[c]`` aligns
    column c to the right (numbers)."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(right))]
    return [
        (
            indent
            + "  ".join(
                cell.rjust(w) if r else cell.ljust(w)
                for cell, w, r in zip(row, widths, right, strict=True)
            )
        ).rstrip()
        for row in rows
    ]


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """Headline indicators: the first week, the last week and the whole run."""
    residents = float(ds.attrs.get("residents", ds["zone_population"].sum()))
    commuters = ds["commuters"]
    rows: list[tuple[str, str, float, float, float | None]] = []

    def add(label: str, unit: str, series: xr.DataArray, total: bool) -> None:
        values = series.values
        whole = float(values.sum()) if total else None
        rows.append((label, unit, float(values[0]), float(values[-1]), whole))

    add("car commuters driving alone", "person", commuters.sel(mode="drive_alone"), False)
    if "carpool_informal" in commuters["mode"]:
        add(
            "carpooling without a platform",
            "person",
            commuters.sel(mode="carpool_informal"),
            False,
        )
    # One row per carpool platform (the scenario's [[carpool.platforms]], by default a
    # cooperative and an incumbent), named by its key.
    keys = [str(k) for k in ds["platform"].values]
    name = {k: f"the {k}" if k in ("cooperative", "incumbent") else k for k in keys}
    for key in keys:
        add(f"carpooling via {name[key]}", "person", commuters.sel(mode=f"carpool_{key}"), False)
    for key in keys:
        aware = ds["aware"].sel(platform=key)
        add(f"aware of {name[key]}", "% residents", 100 * aware / residents, False)
    add("vehicle-km of commuting per week", "km", ds["vehicle_km"], False)
    add("CO2e of commuting per week", "t CO2e", ds["co2e"] / 1000, False)
    add("carpool fares paid", "EUR", ds["fares_paid"].sum("platform"), True)
    for h in HEADLINES:
        rows.append((h.name, unit_text(h.unit), None, None, h.value(ds)))  # type: ignore[arg-type]
    return pd.DataFrame(rows, columns=["indicator", "unit", "first week", "last week", "whole run"])


def format_summary(ds: xr.Dataset, profile: pd.DataFrame | None = None) -> str:
    """The summary as aligned text."""
    a = ds.attrs
    weeks = ds.sizes["week"]
    head = (
        f"coopterra {a.get('coopterra_version', '')} - scenario '{a.get('scenario_name', '')}' "
        f"({a.get('scenario_source', '')})\n"
        f"territory {a.get('territory_source', '')}, {int(a.get('residents', 0)):,} residents, "
        f"{ds.sizes['zone']} communes; {weeks} weeks; seed {a.get('seed')}, "
        f"{a.get('threads')} threads\n"
    )
    table = summary_table(ds)

    def cell(v: float | None, label: str, unit: str) -> str:
        if v is None or pd.isna(v):
            return ""
        headline = BY_NAME.get(label)
        if headline is not None:
            return number(v, digits_for(v, headline.integer) if unit != "×" else 2)
        return f"{v:,.1f}" if unit in ("% residents", "t CO2e") else f"{v:,.0f}"

    rows = [tuple(str(c) for c in table.columns)]
    for _, r in table.iterrows():
        unit = r["unit"]
        rows.append(
            (
                r["indicator"],
                unit,
                cell(r["first week"], r["indicator"], unit),
                cell(r["last week"], r["indicator"], unit),
                cell(r["whole run"], r["indicator"], unit),
            )
        )
    # Two left-aligned text columns, then right-aligned numbers.
    lines = text_columns(rows, (False, False, True, True, True))
    lines.insert(1, "-" * len(lines[0]))
    text = head + "\n" + "\n".join(lines) + "\n"
    if profile is not None:
        total = profile["seconds"].sum()
        parts = ", ".join(
            f"{p} {s:.2f}s" for p, s in zip(profile["phase"], profile["seconds"], strict=True)
        )
        text += f"\ntime {total:.2f}s: {parts}\n"
    return text
