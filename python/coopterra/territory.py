"""Territories: communes (zones) linked by a road network, synthetic or from public tables.

>>> t = load_territory("synthetic", residents=5000, zones=12)
>>> len(t.zones), int(t.zones["population"].sum())
(12, 5000)
>>> t.distance("Z0001", "Z0002") > 0
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from coopterra import _core
from coopterra.scenario import Value, load_scenario


class Territory:
    """Zones, roads and zone-to-zone road distances (km) and car travel times (min)."""

    def __init__(self, core: _core.Territory) -> None:
        self._core = core
        self._boundaries: Any = None
        self._boundary_notes: list[str] = []

    @property
    def boundaries(self) -> Any:
        """The zones' polygons as a geopandas GeoDataFrame (one row per zone, WGS84), or None.

        Given by ``load_territory(..., boundaries="communes.geojson")``; a zone without a polygon
        has an empty geometry and is listed in :attr:`notes`.
        """
        return self._boundaries

    def with_boundaries(
        self,
        path: str | os.PathLike[str],
        merges: str | os.PathLike[str] | None = None,
        table_codes: set[str] | None = None,
    ) -> Territory:
        """This territory with commune polygons joined on the INSEE code (see boundaries.py)."""
        from coopterra.boundaries import join_boundaries

        out = Territory(self._core)
        out._boundaries, out._boundary_notes = join_boundaries(
            self.zones, path, merges, table_codes
        )
        return out

    def to_geopackage(
        self, path: str | os.PathLike[str], values: Mapping[str, Any] | None = None
    ) -> None:
        """Write one feature per commune, with its geometry, zone columns and ``values``.

        ``values`` maps a column name to per-zone values (a Series or dict by zone code, or a
        DataArray along ``zone``, e.g. ``{"vehicle_km": ds["vehicle_km_by_zone"].sum("week")}``).
        The layer ``communes`` opens in QGIS. Needs boundaries.
        """
        from coopterra.maps import zone_values

        if self._boundaries is None:
            raise ValueError(
                "this territory has no boundaries: load_territory(..., boundaries=FILE)"
            )
        frame = self._boundaries.copy()
        for name, column in (values or {}).items():
            frame[name] = zone_values(self, column)
        target = os.fspath(path)
        # Written beside the target, then renamed: never a half-written file.
        temporary = os.path.join(os.path.dirname(target) or ".", f".tmp.{os.path.basename(target)}")
        try:
            frame.to_file(temporary, layer="communes", driver="GPKG", engine="pyogrio")
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)

    @property
    def source(self) -> str:
        """Where the territory comes from (generator and parameters, or table and selection)."""
        return self._core.source

    @property
    def notes(self) -> list[str]:
        """What loading did that a user should know: rows skipped or merged, assumptions used."""
        return list(self._core.notes) + self._boundary_notes

    @property
    def checksum(self) -> str:
        """Checksum of zones, populations, coordinates and roads (written into results)."""
        return self._core.checksum()

    @cached_property
    def zones(self) -> pd.DataFrame:
        """One row per zone: code, name, departement, EPCI, kind, lat, lon, area, population..."""
        return pd.DataFrame(self._core.zones())

    @cached_property
    def roads(self) -> pd.DataFrame:
        """One row per road link: from and to zone codes, km, minutes."""
        raw = self._core.roads()
        codes = self.zones["code"].to_numpy()
        return pd.DataFrame(
            {
                "from": codes[raw["a"]],
                "to": codes[raw["b"]],
                "km": raw["km"],
                "minutes": raw["minutes"],
            }
        )

    @cached_property
    def road_km(self) -> pd.DataFrame:
        """Shortest-path road distance between zones (km); the diagonal: a trip within a zone."""
        return self._matrix(self._core.road_km())

    @cached_property
    def road_minutes(self) -> pd.DataFrame:
        """Car travel time between zones (minutes), along the shortest road."""
        return self._matrix(self._core.road_minutes())

    @property
    def population(self) -> int:
        return int(self._core.population())

    def distance(self, a: str, b: str) -> float:
        """Road distance in km between two zones given by code."""
        return float(self.road_km.to_numpy()[self._position(a), self._position(b)])

    def travel_time(self, a: str, b: str) -> float:
        """Car travel time in minutes between two zones given by code."""
        return float(self.road_minutes.to_numpy()[self._position(a), self._position(b)])

    def _position(self, code: str) -> int:
        positions: dict[str, int] = self.__dict__.setdefault(
            "_positions", {c: i for i, c in enumerate(self.zones["code"])}
        )
        if code not in positions:
            raise KeyError(f"no zone {code!r} in this territory")
        return positions[code]

    def _matrix(self, values: np.ndarray[Any, Any]) -> pd.DataFrame:
        codes = self.zones["code"]
        return pd.DataFrame(
            values, index=pd.Index(codes, name="from"), columns=pd.Index(codes, name="to")
        )

    def plot(self, values: Any = None, **kwargs: Any) -> Any:
        """Draw the territory (see :func:`coopterra.maps.plot_territory`)."""
        from coopterra.maps import plot_territory

        return plot_territory(self, values, **kwargs)

    def __repr__(self) -> str:
        return f"Territory({len(self.zones)} zones, {self.population:,} residents, {self.source})"


Selection = Mapping[str, str | Sequence[str]] | Sequence[str] | None


def load_territory(
    source: str | os.PathLike[str] = "synthetic",
    select: Selection = None,
    seed: int | None = None,
    *,
    roads: str | os.PathLike[str] | None = None,
    boundaries: str | os.PathLike[str] | None = None,
    merges: str | os.PathLike[str] | None = None,
    threads: int = 1,
    **params: Value,
) -> Territory:
    """Build the territory a scenario would run on.

    ``source`` is ``"synthetic"`` (the built-in generator; ``seed`` and ``params`` such as
    ``residents=200_000`` or ``zones=50`` set its ``territory.*`` keys), the path of a commune
    table (INSEE's columns, docs/territories.md), or a territory file (``.toml``, a
    ``[territory]`` table such as ``territories/drome.toml``; ``params`` apply after it).
    ``select`` picks communes of a table: a dict with any of ``departements``, ``epcis``,
    ``communes`` (a code or a list of codes; the union is taken), or a list of INSEE codes.
    ``roads`` is an optional road edge list (CSV with from, to, km and optionally minutes).
    ``boundaries`` is a GeoJSON or GeoPackage of commune polygons joined on the INSEE code
    (:attr:`Territory.boundaries`); ``merges`` a table of commune merges (old, new) dissolving
    polygons of merged communes into their successor. Other ``territory.*`` keys go in
    ``params`` (``epci_file=...``, ``arrondissements="zones"``). Every value goes through the
    scenario validation.
    """
    overrides: dict[str, Any] = {f"territory.{k}": v for k, v in params.items()}
    territory_file = str(source) != "synthetic" and os.fspath(source).lower().endswith(".toml")
    if territory_file:  # read as --territory reads it; ``params`` apply after it
        if select is not None or seed is not None or roads is not None:
            raise ValueError(
                f"{os.fspath(source)} is a territory file: it gives its own select, seed and "
                "roads (change them in the file, or as territory.* keyword arguments)"
            )
    elif str(source) == "synthetic":
        if select is not None or roads is not None:
            raise ValueError(
                "select and roads apply to a commune table, not to the synthetic territory"
            )
        overrides["territory.source"] = "synthetic"
        if seed is not None:
            overrides["territory.seed"] = seed
    else:
        overrides["territory.source"] = "communes"
        overrides["territory.communes_file"] = os.fspath(source)
        if roads is not None:
            overrides["territory.roads_file"] = os.fspath(roads)
        if isinstance(select, Mapping):
            for key, codes in select.items():
                if key not in ("departements", "epcis", "communes"):
                    raise ValueError(
                        f"select keys are departements, epcis and communes, got {key!r}"
                    )
                overrides[f"territory.select.{key}"] = (
                    [codes] if isinstance(codes, str) else list(codes)
                )
        elif select is not None:
            overrides["territory.select.communes"] = (
                [select] if isinstance(select, str) else list(select)
            )
    if boundaries is None and merges is not None:
        raise ValueError("merges apply to boundaries: give boundaries= too")
    scenario = load_scenario(None, overrides, territory=source if territory_file else None)
    territory = Territory(_core.build_territory(scenario._core, threads))
    if boundaries is None:
        return territory
    table_codes = None
    if scenario.get("territory.source") == "communes":
        table_codes = _table_codes(str(scenario.get("territory.communes_file")))
    return territory.with_boundaries(boundaries, merges, table_codes)


def _table_codes(path: str | os.PathLike[str]) -> set[str] | None:
    """Every commune code of a commune table (parents of arrondissements included)."""
    wanted = ("insee_com", "insee_parente")
    table = pd.read_csv(path, usecols=lambda c: c in wanted, dtype=str, keep_default_na=False)
    codes = set(table["insee_com"])
    if "insee_parente" in table:
        codes |= set(table["insee_parente"]) - {""}
    return codes
