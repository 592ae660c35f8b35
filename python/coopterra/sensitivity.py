"""Sensitivity analysis (Sobol, Morris: SALib) and scenario discovery (PRIM: EMA Workbench).

>>> problem = {"carpool.asc": (-3.0, -1.0), "carpool.cooperative.bass_q": (0.1, 0.8)}
>>> exp = explore(coopterra.load_scenario(), problem, method="sobol", n=64)
>>> exp.indices("CO2e of commuting")          # S1, S1_conf, ST, ST_conf by parameter
>>> discover(exp.table, "CO2e of commuting", below=exp.table["CO2e of commuting"].quantile(0.2),
...          parameters=list(problem))         # the box of parameters where CO2e is lowest

Every point runs with the same seed, so the indices measure the parameters' effects, not the
noise of different draws (common random numbers). The runs go through ``run_ensemble``, so any
executor (a Dask cluster) can carry them.
"""

from __future__ import annotations

import concurrent.futures as cf
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coopterra import _core
from coopterra._optional import require
from coopterra.ensemble import Ensemble, run_ensemble
from coopterra.scenario import PathLike, Scenario, Value, load_scenario


@dataclass
class Exploration:
    """Runs of a sampling design: one row per run of the table, and the design behind it."""

    method: str
    problem: dict[str, Any]
    samples: np.ndarray
    table: pd.DataFrame
    ensemble: Ensemble
    seed: int

    def indices(self, outcome: str) -> pd.DataFrame:
        """Sensitivity indices of one outcome, by parameter."""
        y = self.table.sort_values("run")[outcome].to_numpy(dtype=float)
        if len(y) != len(self.samples):
            raise ValueError(
                f"{len(self.samples) - len(y)} runs failed: indices need every run "
                f"(see ensemble.failures)"
            )
        if self.method == "sobol":
            sobol = require("SALib.analyze.sobol", "Sobol indices")
            result = sobol.analyze(self.problem, y, calc_second_order=False, seed=self.seed)
            columns = ["S1", "S1_conf", "ST", "ST_conf"]
        else:
            morris = require("SALib.analyze.morris", "Morris indices")
            result = morris.analyze(self.problem, self.samples, y, seed=self.seed)
            columns = ["mu", "mu_star", "sigma", "mu_star_conf"]
        return pd.DataFrame({c: result[c] for c in columns}, index=self.problem["names"])


def explore(
    scenario: Scenario | PathLike,
    problem: Mapping[str, tuple[float, float]],
    *,
    method: str = "sobol",
    n: int = 64,
    seed: int = 1,
    threads_per_run: int = 1,
    executor: cf.Executor | None = None,
    out: PathLike | None = None,
    progress: bool = False,
) -> Exploration:
    """Sample the named parameters over their (low, high) ranges and run every point.

    ``method`` is ``"sobol"`` (Saltelli's scheme through ``SALib.sample.sobol``, first and total
    order: n (D + 2) runs) or ``"morris"`` (n trajectories: n (D + 1) runs). Integer parameters
    are rounded.
    """
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    names = list(problem)
    types = {p["key"]: p["type"] for p in _core.parameters()}
    unknown = [k for k in names if k not in types]
    if unknown:
        raise ValueError(f"not parameters of a scenario: {unknown} (see coopterra parameters)")
    salib_problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(problem[k]) for k in names],
    }
    if method == "sobol":
        sobol_sample = require("SALib.sample.sobol", "a Sobol exploration")
        samples = sobol_sample.sample(salib_problem, n, calc_second_order=False, seed=seed)
    elif method == "morris":
        morris_sample = require("SALib.sample.morris", "a Morris exploration")
        samples = morris_sample.sample(salib_problem, n, seed=seed)
    else:
        raise ValueError(f"method must be 'sobol' or 'morris', got {method!r}")
    # Integer parameters are rounded, and the analysis uses the values the runs used.
    integer = np.array([types[k] == "integer" for k in names])
    samples = np.where(integer, np.round(samples), samples)
    points: list[dict[str, Value]] = [
        {
            k: (int(v) if types[k] == "integer" else float(v))
            for k, v in zip(names, row, strict=True)
        }
        for row in samples
    ]
    ensemble = run_ensemble(
        {base.name: base},
        samples=points,
        seed=seed,
        threads_per_run=threads_per_run,
        executor=executor,
        out=out,
        progress=progress,
    )
    return Exploration(method, salib_problem, samples, ensemble.table(), ensemble, seed)


def discover(
    table: pd.DataFrame,
    outcome: str,
    *,
    parameters: Sequence[str],
    below: float | None = None,
    above: float | None = None,
    threshold: float = 0.8,
) -> pd.DataFrame:
    """Scenario discovery with PRIM (EMA Workbench) on a one-row-per-run table.

    The runs of interest are those whose ``outcome`` is below ``below`` (or above ``above``).
    Returns the limits of the box PRIM finds (one row per parameter it restricts), with the box's
    coverage and density as attributes.
    """
    if (below is None) == (above is None):
        raise ValueError("give exactly one of below= and above=")
    values = table[outcome].to_numpy(dtype=float)
    interesting = values < below if below is not None else values > above
    with warnings.catch_warnings():  # EMA Workbench warns at import about optional evaluators
        warnings.simplefilter("ignore")
        prim = require("ema_workbench.analysis.prim", "scenario discovery (PRIM)")
        algorithm = prim.Prim(
            table[list(parameters)].reset_index(drop=True), interesting, threshold=threshold
        )
        box = algorithm.find_box()
    limits: pd.DataFrame = box.box_lims[box._cur_box].T
    limits.columns = ["min", "max"]
    restricted = [
        p
        for p in parameters
        if (limits.loc[p, "min"], limits.loc[p, "max"]) != (table[p].min(), table[p].max())
    ]
    result = limits.loc[restricted] if restricted else limits
    result.attrs["coverage"] = float(box.coverage)
    result.attrs["density"] = float(box.density)
    return result
