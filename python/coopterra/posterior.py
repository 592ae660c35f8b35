"""Posterior files: N draws of calibrated parameters, with their provenance.

>>> post = load_posterior("results/calibration/posterior.h5")
>>> len(post), post.keys            # draws, and the parameters they set
>>> post.draw(0)                     # {key: value}: the overrides of one draw
>>> post.representative()            # the draw nearest the posterior's median

``coopterra calibrate`` writes one; ``run_ensemble(..., posterior=...)``, ``compare(...,
posterior=...)``, ``coopterra compare --posterior FILE`` and a scenario's ``[uncertainty]
posterior = "FILE"`` use it: replicate r runs at draw r, so the spread of the replicates carries
the parameters' uncertainty as well as the seeds'.

The file is NetCDF4-compatible HDF5 (``xarray.open_dataset(path, engine="h5netcdf")``): one
variable per parameter along ``draw`` (named by its dotted key), and global attributes with the
provenance: ``schema``, the targets' name, file and SHA-256 with their full text, the territory
and its checksum, the coopterra version and git revision, the method and when it ran.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from coopterra._files import check_writable, write_atomically
from coopterra.errors import ConfigurationError, CoopterraIOError, Diagnostic

SCHEMA = "coopterra-posterior/1"


@dataclass(frozen=True)
class Posterior:
    """Draws of parameters (one row per draw), and where they come from."""

    keys: tuple[str, ...]
    values: np.ndarray  # (draws, parameters)
    attrs: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def draw(self, i: int) -> dict[str, float]:
        """The overrides of draw ``i``."""
        return {k: float(v) for k, v in zip(self.keys, self.values[i], strict=True)}

    def representative(self) -> dict[str, float]:
        """The draw nearest the marginal medians, each parameter scaled by its spread: a point
        of the posterior (not a mix of several) that a default can be set to."""
        median = np.median(self.values, axis=0)
        spread = np.std(self.values, axis=0)
        spread[spread == 0] = 1.0
        distance = (((self.values - median) / spread) ** 2).sum(axis=1)
        return self.draw(int(np.argmin(distance)))

    def marginals(self) -> dict[str, dict[str, float]]:
        """Median and 5-95 % range of each parameter."""
        return {
            k: {
                "median": float(np.median(self.values[:, j])),
                "q05": float(np.quantile(self.values[:, j], 0.05)),
                "q95": float(np.quantile(self.values[:, j], 0.95)),
            }
            for j, k in enumerate(self.keys)
        }

    def describe(self) -> str:
        """One line saying what the draws are: for reports and comparisons."""
        name = self.attrs.get("targets_name", "?")
        return (
            f"{len(self)} posterior draws of {len(self.keys)} parameters calibrated on the "
            f"targets {name!r} ({Path(self.source).name or 'posterior'})"
        )


def write_posterior(
    path: str | os.PathLike[str],
    keys: list[str],
    values: np.ndarray,
    attrs: Mapping[str, Any],
) -> Path:
    """Write draws (draws x parameters) with their provenance, atomically."""
    target = check_writable(path)
    ds = xr.Dataset(
        {k: ("draw", np.asarray(values[:, j], dtype=float)) for j, k in enumerate(keys)},
        coords={"draw": np.arange(values.shape[0])},
        attrs={"schema": SCHEMA, "parameters": "\n".join(keys), **dict(attrs)},
    )
    # Built in memory, then written like any file: libhdf5 1.10 crashes at exit after a close
    # that failed on a full disk (see sim/coopterra/io/results_file.cpp), never in memory.
    with _local_scheduler():  # a Dask client would take a lock named by the in-memory file
        image = ds.to_netcdf(engine="h5netcdf", invalid_netcdf=True)
    write_atomically(target, bytes(image))
    return target


def _local_scheduler() -> contextlib.AbstractContextManager[Any]:
    """xarray picks its write lock by the active Dask scheduler: a distributed client's lock
    must be named by a file name, which an in-memory file has not. The synchronous scheduler
    (this write computes nothing with Dask) takes a plain lock."""
    try:
        import dask
    except ImportError:
        return contextlib.nullcontext()
    return dask.config.set(scheduler="synchronous")


def load_posterior(path: str | os.PathLike[str]) -> Posterior:
    """Read a posterior file; a file that is not one, or whose parameters are not a scenario's,
    is refused with a located error."""
    from coopterra.scenario import parameters

    name = os.fspath(path)

    def refuse(message: str, key: str = "") -> ConfigurationError:
        return ConfigurationError(
            f"configuration error: {name}: {message}", [Diagnostic(name, 0, 0, key, message)]
        )

    if not Path(name).is_file():
        raise CoopterraIOError(
            f"{name}: no such posterior file", [Diagnostic(name, 0, 0, "", "no such file")]
        )
    try:
        with xr.open_dataset(name, engine="h5netcdf") as ds:
            ds.load()
    except Exception as e:
        raise refuse(f"not a posterior file (NetCDF4/HDF5 from coopterra calibrate): {e}") from e
    if ds.attrs.get("schema") != SCHEMA:
        raise refuse(f"expected schema {SCHEMA!r}, got {ds.attrs.get('schema')!r}", "schema")
    keys = [k for k in str(ds.attrs.get("parameters", "")).splitlines() if k]
    known = {p["key"]: p for p in parameters()}
    for key in keys:
        if key not in ds:
            raise refuse(f"the parameter {key} is listed but has no draws", key)
        if key not in known:
            raise refuse(f"{key} is not a parameter of this coopterra's scenarios", key)
    if not keys or ds.sizes.get("draw", 0) == 0:
        raise refuse("no draws")
    values = np.column_stack([np.asarray(ds[k].values, dtype=float) for k in keys])
    if not np.isfinite(values).all():
        raise refuse("draws must be finite numbers")
    for j, key in enumerate(keys):
        lo, hi = known[key].get("min"), known[key].get("max")
        if (lo is not None and values[:, j].min() < lo) or (
            hi is not None and values[:, j].max() > hi
        ):
            raise refuse(f"draws of {key} leave the parameter's range [{lo}, {hi}]", key)
    attrs = {k: v for k, v in ds.attrs.items() if k not in ("schema", "parameters")}
    return Posterior(tuple(keys), values, attrs, name)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
