"""Maps of a territory for notebooks and reports: zones sized by population, the road network,
and an indicator per zone as colour."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coopterra._optional import require

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
    plt = require("matplotlib.pyplot", "drawing a territory")

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


# --- maps for reports: SVG choropleths, offline and accessible --------------------------------

CODE_COLUMNS = ("code", "insee_com", "INSEE_COM", "codgeo", "CODGEO", "com", "insee")


def load_boundaries(source: Any) -> Any:
    """Commune boundaries as a GeoDataFrame with a ``code`` column (INSEE code, text).

    ``source`` is a GeoDataFrame or a path to any file GDAL reads (GeoJSON, GeoPackage,
    shapefile...), read with geopandas through pyogrio. The code column is the first of
    ``code``, ``insee_com``, ``codgeo``... that the file has."""
    gpd = require("geopandas", "commune boundaries")

    from coopterra.errors import InputDataError

    if isinstance(source, gpd.GeoDataFrame):
        frame = source
        where = "the boundaries given"
    else:
        where = str(source)
        try:
            frame = gpd.read_file(source, engine="pyogrio")
        except Exception as e:
            raise InputDataError(
                f"{where}: cannot read commune boundaries: {e}",
                [(where, 0, 0, "boundaries", "a GeoJSON, GeoPackage or shapefile of communes")],
            ) from None
    geometry = getattr(frame, "_geometry_column_name", None)
    if geometry not in frame.columns or frame[geometry].isna().all():
        raise InputDataError(
            f"{where}: no geometry: a table without shapes (expected a map of the communes: "
            "GeoJSON, GeoPackage or shapefile)",
            [(where, 0, 0, "boundaries", "a map of the communes, with their shapes")],
        )
    column = next((c for c in CODE_COLUMNS if c in frame.columns), None)
    if column is None:
        raise InputDataError(
            f"{where}: no commune code column (expected one of {', '.join(CODE_COLUMNS)})",
            [(where, 0, 0, "boundaries", "a commune code column")],
        )
    out = frame[[column, geometry]].rename(columns={column: "code"}).set_geometry(geometry)
    out["code"] = out["code"].astype(str)
    if out.crs is None:
        out = out.set_crs(4326)
    return out


def zones_of_results(ds: Any) -> pd.DataFrame:
    """The communes of a results dataset: code, name, kind, lat, lon, population."""
    return pd.DataFrame(
        {
            "code": [str(c) for c in ds["zone"].values],
            "name": [str(n) for n in ds["zone_name"].values],
            "kind": [str(k) for k in ds["zone_kind"].values],
            "lat": ds["zone_lat"].values.astype(float),
            "lon": ds["zone_lon"].values.astype(float),
            "population": ds["zone_population"].values.astype(float),
        }
    )


def _colour(value: float, scale: float) -> str:
    """Diverging colour: blue below zero, red above, white at zero."""
    if not math.isfinite(value):
        return "#d9d9d9"
    t = max(-1.0, min(1.0, value / scale)) if scale > 0 else 0.0
    low, high = (33, 102, 172), (178, 24, 43)
    end = low if t < 0 else high
    rgb = [round(255 + (e - 255) * abs(t)) for e in end]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def boundaries_matched(boundaries: Any, zones: pd.DataFrame) -> int:
    """How many of the territory's communes (``zones``, a ``code`` column) the boundaries have."""
    if boundaries is None:
        return 0
    codes = set(load_boundaries(boundaries)["code"].astype(str))
    return int(zones["code"].astype(str).isin(codes).sum())


def commune_map_svg(
    values: pd.Series,
    zones: pd.DataFrame,
    boundaries: Any = None,
    *,
    title: str,
    describe: Any = str,
    missing_text: str = "no boundary",
) -> str:
    """An SVG map of ``values`` (indexed by commune code): a choropleth on the communes' real
    boundaries when ``boundaries`` is given (a GeoDataFrame or a path, see
    :func:`load_boundaries`), else a schematic map of circles sized by population at the
    communes' coordinates (synthetic territories, or boundaries of none of the communes). Only
    the territory's communes are drawn. ``describe(value)`` writes a value for the
    tooltips and the legend. Every commune carries its name and value as a tooltip."""
    from html import escape

    width, height = 640.0, 520.0
    scale = float(np.nanmax(np.abs(values.to_numpy(dtype=float)))) if len(values) else 0.0
    if not math.isfinite(scale):
        scale = 0.0
    names = dict(zip(zones["code"].astype(str), zones["name"], strict=True))
    shapes: list[str] = []
    frame = None
    if boundaries is not None:
        frame = load_boundaries(boundaries)
        frame = frame[frame["code"].isin(set(zones["code"].astype(str)))]  # the territory's
        if frame.empty:
            frame = None  # boundaries of other communes: the schematic map instead
    if frame is not None:
        frame = frame.to_crs(frame.estimate_utm_crs())
        x0, y0, x1, y1 = frame.total_bounds
        tolerance = max(x1 - x0, y1 - y0) / 700
        frame["geometry"] = frame.geometry.simplify(tolerance)
        k = min(width / (x1 - x0), height / (y1 - y0))

        def point(x: float, y: float) -> str:
            return f"{(x - x0) * k:.1f},{(y1 - y) * k:.1f}"

        for code, geometry in zip(frame["code"], frame.geometry, strict=True):
            polygons = getattr(geometry, "geoms", [geometry])
            d = []
            for polygon in polygons:
                for ring in [polygon.exterior, *polygon.interiors]:
                    coords = list(ring.coords)
                    d.append("M" + "L".join(point(x, y) for x, y in coords) + "Z")
            value = float(values.get(code, math.nan))
            label = names.get(code, code)
            text = describe(value) if math.isfinite(value) else missing_text
            shapes.append(
                f'<path d="{"".join(d)}" fill="{_colour(value, scale)}" stroke="#ffffff" '
                f'stroke-width="0.4"><title>{escape(str(label))}: {escape(text)}</title></path>'
            )
        width, height = (x1 - x0) * k, (y1 - y0) * k
    else:
        lat0 = float(zones["lat"].mean())
        x = zones["lon"].to_numpy(dtype=float) * math.cos(math.radians(lat0))
        y = zones["lat"].to_numpy(dtype=float)
        margin = 30.0
        span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
        k = (min(width, height) - 2 * margin) / span
        population = zones["population"].to_numpy(dtype=float)
        radius = 4 + 26 * np.sqrt(population / max(float(population.max()), 1.0))
        order = np.argsort(-population)  # large circles first, small ones drawn over them
        for i in order:
            code = str(zones["code"].iloc[i])
            value = float(values.get(code, math.nan))
            cx, cy = margin + (x[i] - x.min()) * k, margin + (y.max() - y[i]) * k
            shapes.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius[i]:.1f}" '
                f'fill="{_colour(value, scale)}" stroke="#555555" stroke-width="0.6" '
                f'fill-opacity="0.9"><title>{escape(str(zones["name"].iloc[i]))}: '
                f"{escape(describe(value))}</title></circle>"
            )
        width = margin * 2 + float(np.ptp(x)) * k
        height = margin * 2 + float(np.ptp(y)) * k
    legend_y = height + 12
    legend = (
        f'<defs><linearGradient id="ramp"><stop offset="0" stop-color="{_colour(-1, 1)}"/>'
        f'<stop offset="0.5" stop-color="#ffffff"/><stop offset="1" stop-color="{_colour(1, 1)}"/>'
        f'</linearGradient></defs><rect x="0" y="{legend_y:.0f}" width="200" height="12" '
        f'fill="url(#ramp)" stroke="#999999"/>'
        f'<text x="0" y="{legend_y + 28:.0f}" font-size="12">{escape(describe(-scale))}</text>'
        f'<text x="200" y="{legend_y + 28:.0f}" font-size="12" text-anchor="end">'
        f"{escape(describe(scale))}</text>"
    )
    return (
        f'<svg class="map" viewBox="0 0 {width:.0f} {legend_y + 36:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(shapes)}{legend}</svg>"
    )
