"""Results as labelled arrays: an ``xarray.Dataset`` with named dimensions, units and provenance.

The engine describes its results once (coordinates, variables, attributes); the HDF5 files it
writes and the datasets built here in memory carry the same names, dimensions and units.
"""

from __future__ import annotations

import os
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


def open_results(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open a results file written by coopterra (loaded in memory, the file closed)."""
    with xr.open_dataset(os.fspath(path), engine="h5netcdf") as ds:
        return ds.load()


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
