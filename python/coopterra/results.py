"""Results as labelled arrays: an ``xarray.Dataset`` with named dimensions, units and provenance.

The engine describes its results once (coordinates, variables, attributes); the HDF5 files it
writes and the datasets built here in memory carry the same names, dimensions and units.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from coopterra.errors import CoopterraIOError


def dataset_from_core(described: dict[str, Any]) -> xr.Dataset:
    """Build an ``xarray.Dataset`` from the engine's description of its results."""
    coords = {}
    for name, dims, data, units, description, attrs in described["coords"]:
        coords[name] = xr.Variable(tuple(dims), np.asarray(data), _attrs(units, description, attrs))
    variables = {}
    for name, dims, data, units, description, attrs in described["variables"]:
        shape = tuple(len(coords[d]) for d in dims)
        values = np.asarray(data, dtype=object if isinstance(data, list) else None).reshape(shape)
        variables[name] = xr.Variable(tuple(dims), values, _attrs(units, description, attrs))
    # Decoded as a results file is (CF: the time coordinate as dates, `coordinates` attributes
    # as coordinates), so a run in memory and its file give the same dataset.
    return xr.decode_cf(xr.Dataset(variables, coords=coords, attrs=dict(described["attrs"])))


RESULTS_SCHEMA = "coopterra-results/1"  # sim/coopterra/io/results_file.hpp, kResultsSchema

# What coopterra itself reads in a results file (the headline outcomes, a comparison, its
# report): variables and coordinates that every file of RESULTS_SCHEMA holds, whatever its
# scenario. A file without one of them is refused when opened, named, not failed on later.
CORE_VARIABLES = tuple(
    """
    week time mode platform channel market market_platform firm_sector college flow account zone
    zone_lat zone_lon commune_kind income_group aware channel_fees channel_kind co2e co2e_total
    commuters cooperative_members data_sovereignty firms_open flow_from flow_to jobs
    local_multiplier market_co2e market_platform_cooperative money_flow platform_cooperative
    platform_open public_spending purchases purchases_by_income purchases_by_zone_kind vehicle_km
    vehicle_km_by_zone zone_kind zone_name zone_population
    """.split()
)


def results_problems(ds: xr.Dataset) -> list[str]:
    """What makes ``ds`` other than a results dataset coopterra can read: a schema other than
    RESULTS_SCHEMA (a posterior file, a file of an incompatible version), or missing core
    variables. Empty when it is one."""
    schema = ds.attrs.get("schema")
    if schema != RESULTS_SCHEMA:
        found = f"its schema is {schema!r}" if schema is not None else "it has no schema"
        return [f"not a coopterra results file: {found}, expected {RESULTS_SCHEMA!r}"]
    missing = [name for name in CORE_VARIABLES if name not in ds.variables]
    if missing:
        listed = ", ".join(repr(m) for m in missing)
        return [
            f"not a complete coopterra results file: no variable{'s' if len(missing) > 1 else ''}"
            f" {listed}, which every results file of schema {RESULTS_SCHEMA!r} has"
        ]
    return []


_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_TRAILER_TAG = b"\ncoopterra-crc32:"  # sim/coopterra/io/results_file.hpp


def check_results_file(path: str | os.PathLike[str]) -> None:
    """Refuse, before libhdf5 sees it, what cannot be a results file: a missing file, a folder,
    a FIFO or device, a file without the HDF5 signature (raises CoopterraIOError)."""
    name = os.fspath(path)
    if not os.path.exists(name):
        raise CoopterraIOError(f"{name}: results file not found")
    if not os.path.isfile(name):
        raise CoopterraIOError(f"{name}: not a regular file")
    with open(name, "rb") as f:
        data = f.read()
    if not data.startswith(_HDF5_SIGNATURE):
        raise CoopterraIOError(f"{name}: not an HDF5 results file (no HDF5 signature)")
    # coopterra's trailer: the CRC-32 of every byte before it (files written by other tools
    # have none and are left to libhdf5's own checks).
    at = data.rfind(_TRAILER_TAG, max(0, len(data) - 64))
    if at >= 0 and len(data) == at + len(_TRAILER_TAG) + 9 and data.endswith(b"\n"):
        stored = data[at + len(_TRAILER_TAG) : -1]
        if stored != b"%08x" % zlib.crc32(data[:at]):
            raise CoopterraIOError(
                f"{name}: the results file is damaged: its checksum does not match its content"
            )


def open_results(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
) -> xr.Dataset:
    """Open one results file, or several as one dataset stacked along a ``run`` dimension with
    each run's file, scenario and seed as coordinates (loaded in memory, the files closed).

    A damaged file (a flipped bit: every dataset carries a Fletcher-32 checksum, the metadata
    checksums of the HDF5 format) raises CoopterraIOError, never returns changed values; so
    does a file of another schema (a posterior file...) or one without a core variable
    (:func:`results_problems`), naming the file and what it lacks."""
    if isinstance(paths, str | os.PathLike):
        check_results_file(paths)
        name = os.fspath(paths)
        try:
            with xr.open_dataset(name, engine="h5netcdf") as ds:
                loaded = ds.load()
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, UnicodeDecodeError) as e:
            raise CoopterraIOError(
                f"{name}: the results file is damaged or not a coopterra results "
                f"file ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
            ) from None
        problems = results_problems(loaded)
        if problems:
            raise CoopterraIOError(
                f"{name}: {problems[0]}", [(name, 0, 0, "", p) for p in problems]
            )
        return loaded
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
    """One variable in tidy form: one row per coordinate combination (with the week's ``time``
    and the zone's ``zone_lat``, ``zone_lon`` where they apply), a ``value`` column."""
    return ds[variable].to_dataframe(name="value").reset_index()


def _attrs(units: str, description: str, more: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if units:
        out["units"] = units
    if description:
        out["long_name"] = description
    out.update(more)
    return out
