"""Commune boundaries: polygons joined to a territory's zones on the INSEE code.

Boundaries come from a GeoJSON or GeoPackage file (IGN's Admin Express, or the simplified
``france-geojson`` files; docs/territories.md) read with geopandas through pyogrio. Nothing is
dropped or invented silently: zones without a polygon and polygons without a zone are listed in
the territory's notes, and polygons of communes that have since merged (a commune table newer than
the boundaries) are dissolved into their successor when a merge table is given, or reported.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from coopterra._optional import require
from coopterra.errors import CoopterraIOError, InputDataError

if TYPE_CHECKING:
    import geopandas as gpd

CODE_COLUMNS = ("code", "insee_com", "INSEE_COM", "codgeo", "CODGEO", "insee", "INSEE")
MERGE_COLUMNS = (("old", "new"), ("com_av", "com_ap"), ("old_code", "new_code"))


def _listed(codes: list[str], limit: int = 10) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f", ... ({len(codes)} in all)" if len(codes) > limit else "")


def read_merges(path: str | os.PathLike[str]) -> dict[str, str]:
    """A table of commune merges: old INSEE code -> the code of the commune it joined.

    Columns ``old``, ``new`` (or INSEE's ``COM_AV``, ``COM_AP`` of the COG's commune events,
    any case). Rows whose codes are equal (the successor keeping its code) are ignored.
    """
    name = os.fspath(path)
    try:
        table = pd.read_csv(name, dtype=str, keep_default_na=False)
    except OSError as e:
        raise CoopterraIOError(
            f"cannot read the merge table {name}: {e}", [(name, 0, 0, "", str(e))]
        ) from e
    lower = {c.lower(): c for c in table.columns}
    pair = next(((a, b) for a, b in MERGE_COLUMNS if a in lower and b in lower), None)
    if pair is None:
        raise InputDataError(
            f"{name}: a merge table has columns old, new (or COM_AV, COM_AP)",
            [(name, 1, 0, "", "a merge table has columns old, new (or COM_AV, COM_AP)")],
        )
    old, new = (table[lower[c]].str.strip() for c in pair)
    problems = []
    merges: dict[str, str] = {}
    for row, (a, b) in enumerate(zip(old, new, strict=True), start=2):
        if len(a) != 5 or len(b) != 5:
            column = 1 + list(table.columns).index(lower[pair[0] if len(a) != 5 else pair[1]])
            problems.append(
                (name, row, column, "", f"'{a if len(a) != 5 else b}' is not an INSEE code")
            )
        elif a != b:
            if merges.get(a, b) != b:
                problems.append(
                    (name, row, 0, "", f"commune {a} merges into both {merges[a]} and {b}")
                )
            merges[a] = b
    if problems:
        raise InputDataError(f"{name}: {len(problems)} problems in the merge table", problems)
    return merges


def successor(code: str, merges: dict[str, str], zones: set[str]) -> str | None:
    """The zone a commune's polygon belongs to, following merges (chains included)."""
    seen = set()
    while code not in zones and code in merges and code not in seen:
        seen.add(code)
        code = merges[code]
    return code if code in zones else None


def join_boundaries(
    zones: pd.DataFrame,
    path: str | os.PathLike[str],
    merges: str | os.PathLike[str] | None = None,
    table_codes: set[str] | None = None,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The zones' polygons (one row per zone, in zone order; geometry empty when none) and notes.

    ``table_codes``, every commune code of the commune table, tells polygons of communes left out
    by the selection from polygons of communes the table no longer has (merged since).
    """
    gpd = require("geopandas", "commune boundaries")
    require("pyogrio", "commune boundaries")
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise CoopterraIOError(
            f"boundaries file not found: {name}", [(name, 0, 0, "boundaries", "file not found")]
        )
    try:
        shapes = gpd.read_file(name, engine="pyogrio")
    except Exception as e:  # pyogrio's errors for an unreadable or broken file
        raise InputDataError(
            f"{name}: not a readable GeoJSON or GeoPackage: {e}",
            [(name, 0, 0, "boundaries", f"not a readable GeoJSON or GeoPackage: {e}")],
        ) from e
    column = next((c for c in CODE_COLUMNS if c in shapes.columns), None)
    if column is None:
        message = (
            f"no INSEE code column (one of {', '.join(CODE_COLUMNS)}); "
            f"the file has {', '.join(map(str, shapes.columns))}"
        )
        raise InputDataError(f"{name}: {message}", [(name, 0, 0, "boundaries", message)])
    notes = []
    if shapes.crs is None:
        shapes = shapes.set_crs(4326)
        notes.append(f"{name} gives no coordinate system: read as WGS84 longitude/latitude")
    elif shapes.crs.to_epsg() != 4326:
        notes.append(f"reprojected {name} from {shapes.crs.to_string()} to WGS84")
        shapes = shapes.to_crs(4326)
    codes = shapes[column].astype(str).str.strip()
    empty = shapes.geometry.isna() | shapes.geometry.is_empty
    if empty.any():
        notes.append(f"{int(empty.sum())} features of {name} have no geometry: ignored")
    shapes = gpd.GeoDataFrame(
        {"code": codes[~empty].to_numpy()}, geometry=shapes.geometry[~empty].to_numpy(), crs=4326
    )
    zone_codes = set(zones["code"])
    merge_table = read_merges(merges) if merges is not None else {}
    target = [successor(c, merge_table, zone_codes) for c in shapes["code"]]
    shapes["zone"] = target
    merged = shapes[(shapes["zone"].notna()) & (shapes["zone"] != shapes["code"])]
    if len(merged):
        pairs = [f"{a}->{b}" for a, b in zip(merged["code"], merged["zone"], strict=True)]
        notes.append(
            f"dissolved {len(merged)} polygons of merged communes into their successor "
            f"({_listed(pairs)})"
        )
    outside = shapes[shapes["zone"].isna()]
    if len(outside):
        known = table_codes if table_codes is not None else zone_codes
        unknown = sorted(c for c in outside["code"] if c not in known)
        selected_out = len(outside) - len(unknown)
        if selected_out:
            notes.append(
                f"{selected_out} polygons of {name} are communes of the table left out by the "
                "selection"
            )
        if unknown:
            notes.append(
                f"{len(unknown)} polygons of {name} match no commune of the table "
                f"({_listed(unknown)}): communes merged since the boundaries were made? give a "
                "merge table (merges=) to dissolve them into their successor"
            )
    inside = shapes[shapes["zone"].notna()]
    dissolved = inside.dissolve(by="zone") if len(inside) else inside.set_index("zone")
    missing = [c for c in zones["code"] if c not in dissolved.index]
    if missing:
        notes.append(f"{len(missing)} zones have no polygon in {name} ({_listed(missing)})")
    notes.insert(0, f"joined {len(zones) - len(missing)} zones to polygons of {name}")
    frame = zones[["code", "name", "departement", "kind", "population", "area_km2"]].copy()
    geometry = dissolved.geometry.reindex(frame["code"]).to_numpy()
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326), notes
