"""Optional dependencies: each belongs to an extra of the package (pyproject.toml).

A missing one is a one-line error naming the extra to install, never an ``ImportError``
traceback from deep inside a report or an ensemble.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from coopterra.errors import CoopterraError

# Top-level module -> the extra that installs it.
EXTRAS: dict[str, str] = {
    "matplotlib": "report",
    "jinja2": "report",
    "plotly": "report",
    "openpyxl": "report",
    "scipy": "report",
    "geopandas": "geo",
    "pyogrio": "geo",
    "distributed": "dask",
    "dask": "dask",
    "SALib": "sensitivity",
    "ema_workbench": "sensitivity",
    "pyabc": "calibrate",
    "sklearn": "calibrate",
}


class MissingDependencyError(CoopterraError, ImportError):
    """An optional package that a feature needs is not installed."""


def require(module: str, feature: str) -> ModuleType:
    """Imports ``module`` (e.g. ``"SALib.sample.sobol"``) for ``feature``, or says what to add."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.partition(".")[0]
        if e.name is not None and e.name.partition(".")[0] != top:
            raise  # the package is there but itself broken: its own error says more
        extra = EXTRAS.get(top, "all")
        raise MissingDependencyError(
            f"{feature} needs the optional package {top!r}: "
            f"pip install 'coopterra[{extra}]' (or 'coopterra[all]')"
        ) from None
