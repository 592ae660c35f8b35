"""Maps of a territory for notebooks and reports: zones sized by population, the road network,
and an indicator per zone as colour."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from coopterra.territory import Territory

KIND_COLOURS = {"urban core": "#c0392b", "periurban": "#e67e22", "rural": "#27ae60"}


def plot_territory(
    territory: Territory,
    values: Any = None,
    *,
    ax: Any = None,
    title: str | None = None,
    label: str | None = None,
    cmap: str = "viridis",
    roads: bool = True,
    annotate: int = 5,
) -> Any:
    """Draw the territory and return the matplotlib Axes.

    ``values`` colours the zones: a pandas Series or dict indexed by zone code, or an xarray
    DataArray along the ``zone`` dimension (e.g. ``ds["vehicle_km_by_zone"].sum("week")``).
    Without values, zones are coloured by kind (urban core, periurban, rural). Marker areas are
    proportional to population; the ``annotate`` most populous zones are named.
    """
    import matplotlib.pyplot as plt

    zones = territory.zones
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 7))
    if territory.boundaries is not None:
        return _choropleth(territory, values, ax=ax, title=title, label=label, cmap=cmap)
    lat0 = float(zones["lat"].mean())
    x = zones["lon"].to_numpy() * math.cos(math.radians(lat0))
    y = zones["lat"].to_numpy()
    if roads and len(territory.roads):
        index = {code: i for i, code in enumerate(zones["code"])}
        a = territory.roads["from"].map(index).to_numpy()
        b = territory.roads["to"].map(index).to_numpy()
        segments = np.stack([np.column_stack([x[a], y[a]]), np.column_stack([x[b], y[b]])], axis=1)
        from matplotlib.collections import LineCollection

        ax.add_collection(
            LineCollection(list(segments), colors="#999999", linewidths=0.5, zorder=1)
        )
    population = zones["population"].to_numpy(dtype=float)
    sizes = 400 * population / max(population.max(), 1.0) + 4
    if values is None:
        colours = [KIND_COLOURS.get(k, "#555555") for k in zones["kind"]]
        ax.scatter(
            x, y, s=sizes, c=colours, alpha=0.8, edgecolors="white", linewidths=0.4, zorder=2
        )
        for kind, colour in KIND_COLOURS.items():
            ax.scatter([], [], c=colour, label=kind)
        ax.legend(loc="best", frameon=False)
    else:
        data = zone_values(territory, values)
        points = ax.scatter(
            x,
            y,
            s=sizes,
            c=data,
            cmap=cmap,
            alpha=0.85,
            edgecolors="white",
            linewidths=0.4,
            zorder=2,
        )
        ax.figure.colorbar(points, ax=ax, shrink=0.7, label=label or getattr(values, "name", None))
    for i in np.argsort(-population)[:annotate]:
        ax.annotate(
            zones["name"].iloc[i],
            (x[i], y[i]),
            fontsize=8,
            xytext=(4, 4),
            textcoords="offset points",
            zorder=3,
        )
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.autoscale_view()
    ax.set_title(title or f"{len(zones)} communes, {int(population.sum()):,} residents")
    return ax


def zone_values(territory: Territory, values: Any) -> np.ndarray[Any, Any]:
    """Per-zone values in zone order; every zone must have one."""
    zones = territory.zones
    series = _as_series(values)
    missing = set(zones["code"]) - set(series.index)
    if missing:
        raise ValueError(f"values lack {len(missing)} zones, e.g. {sorted(missing)[:3]}")
    result: np.ndarray[Any, Any] = series.reindex(zones["code"]).to_numpy(dtype=float)
    return result


def _choropleth(
    territory: Territory,
    values: Any,
    *,
    ax: Any,
    title: str | None,
    label: str | None,
    cmap: str,
) -> Any:
    """Commune polygons coloured by ``values`` (or by kind without values)."""
    from matplotlib.patches import Patch

    shapes = territory.boundaries.copy()
    lat0 = float(territory.zones["lat"].mean())
    aspect = 1 / math.cos(math.radians(lat0))
    if values is None:
        shapes["colour"] = [KIND_COLOURS.get(k, "#555555") for k in shapes["kind"]]
        shapes.plot(ax=ax, color=shapes["colour"], edgecolor="white", linewidth=0.3)
        ax.legend(
            handles=[Patch(color=c, label=k) for k, c in KIND_COLOURS.items()],
            loc="best",
            frameon=False,
        )
    else:
        shapes["value"] = zone_values(territory, values)
        shapes.plot(
            ax=ax,
            column="value",
            cmap=cmap,
            edgecolor="white",
            linewidth=0.3,
            legend=True,
            legend_kwds={"shrink": 0.7, "label": label or getattr(values, "name", None) or ""},
            missing_kwds={"color": "#dddddd"},
        )
    ax.set_aspect(aspect)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    population = int(territory.zones["population"].sum())
    ax.set_title(title or f"{len(shapes)} communes, {population:,} residents")
    return ax


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if hasattr(values, "dims") and hasattr(values, "to_series"):
        if tuple(values.dims) != ("zone",):
            raise ValueError(
                f"values must be along the zone dimension alone, got dims {values.dims}"
            )
        series: pd.Series = values.to_series()
        return series
    return pd.Series(dict(values))
