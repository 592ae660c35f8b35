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

    @property
    def source(self) -> str:
        """Where the territory comes from (generator and parameters, or table and selection)."""
        return self._core.source

    @property
    def notes(self) -> list[str]:
        """What loading did that a user should know: rows skipped or merged, assumptions used."""
        return list(self._core.notes)

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
    threads: int = 1,
    **params: Value,
) -> Territory:
    """Build the territory a scenario would run on.

    ``source`` is ``"synthetic"`` (the built-in generator; ``seed`` and ``params`` such as
    ``residents=200_000`` or ``zones=50`` set its ``territory.*`` keys) or the path of a commune
    table (INSEE's columns, docs/territories.md). ``select`` picks communes of a table: a dict
    with any of ``departements``, ``epcis``, ``communes`` (a code or a list of codes; the union is
    taken), or a list of INSEE codes. ``roads`` is an optional road edge list (CSV with from, to,
    km and optionally minutes). Every value goes through the scenario validation.
    """
    overrides: dict[str, Any] = {f"territory.{k}": v for k, v in params.items()}
    if str(source) == "synthetic":
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
    scenario = load_scenario(None, overrides)
    return Territory(_core.build_territory(scenario._core, threads))
