"""Results as labelled arrays: an ``xarray.Dataset`` with named dimensions, units and provenance.

The engine describes its results once (coordinates, variables, attributes); the HDF5 files it
writes and the datasets built here in memory carry the same names, dimensions and units.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr


def dataset_from_core(described: dict[str, Any]) -> xr.Dataset:
    """Build an ``xarray.Dataset`` from the engine's description of its results."""
    coords = {}
    for name, dims, data, units, description in described["coords"]:
        coords[name] = xr.Variable(tuple(dims), np.asarray(data), _attrs(units, description))
    variables = {}
    for name, dims, data, units, description in described["variables"]:
        shape = tuple(len(coords[d]) for d in dims)
        values = np.asarray(data, dtype=object if isinstance(data, list) else None).reshape(shape)
        variables[name] = xr.Variable(tuple(dims), values, _attrs(units, description))
    return xr.Dataset(variables, coords=coords, attrs=dict(described["attrs"]))


def open_results(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
) -> xr.Dataset:
    """Open one results file, or several as one dataset stacked along a ``run`` dimension with
    each run's file, scenario and seed as coordinates (loaded in memory, the files closed)."""
    if isinstance(paths, str | os.PathLike):
        with xr.open_dataset(os.fspath(paths), engine="h5netcdf") as ds:
            return ds.load()
    parts = [open_results(p) for p in paths]
    coords: dict[str, list[Any]] = {
        "file": [os.fspath(p) for p in paths],
        "scenario": [str(ds.attrs.get("scenario_name", "")) for ds in parts],
        "seed": [int(ds.attrs.get("seed", -1)) for ds in parts],
    }
    return stack_runs(parts, coords)


def stack_runs(parts: Sequence[xr.Dataset], coords: Mapping[str, Sequence[Any]]) -> xr.Dataset:
    """Datasets of runs stacked along a new ``run`` dimension, with per-run coordinates; the
    runs' own attributes (provenance) stay in each file."""
    stripped = []
    for i, ds in enumerate(parts):
        part = ds.copy()
        part.attrs = {}
        stripped.append(part.expand_dims(run=[i]))
    combined = xr.concat(
        stripped, dim="run", data_vars="all", coords="different", compat="equals", join="outer"
    )
    return combined.assign_coords({name: ("run", list(values)) for name, values in coords.items()})


def results_table(paths: Sequence[str | os.PathLike[str]]) -> pd.DataFrame:
    """One row per results file: file, scenario, seed, weeks, residents and the headline
    outcomes (coopterra.outcomes): the experiments table that analysis tools expect."""
    from coopterra.outcomes import HEADLINES

    rows = []
    for path in paths:
        ds = open_results(path)
        row: dict[str, Any] = {
            "file": os.fspath(path),
            "scenario": ds.attrs.get("scenario_name"),
            "seed": ds.attrs.get("seed"),
            "weeks": ds.sizes["week"],
            "residents": ds.attrs.get("residents"),
        }
        row.update({h.name: h.value(ds) for h in HEADLINES})
        rows.append(row)
    return pd.DataFrame(rows)


def to_dataframe(ds: xr.Dataset, variable: str) -> pd.DataFrame:
    """One variable in tidy form: one row per coordinate combination, a ``value`` column."""
    return ds[variable].to_dataframe(name="value").reset_index()


def _attrs(units: str, description: str) -> dict[str, str]:
    out = {}
    if units:
        out["units"] = units
    if description:
        out["long_name"] = description
    return out
