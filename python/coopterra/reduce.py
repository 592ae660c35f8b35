"""Reductions of many runs to quantiles over the weeks, and their plots with bands.

>>> ens.reduce(quantiles=(0.05, 0.5, 0.95))          # xarray: scenario, quantile, week, ...
>>> comparison.reduce()                               # paired differences, scenario - baseline
>>> ens.plot("co2e_total")                            # median line and 5-95 % band per scenario

Quantiles go through xarray (``DataArray.quantile``) over the runs (an ensemble, grouped by
scenario) or over the paired replicates (a comparison): replicate r of a scenario minus
replicate r of the baseline, so the band of a difference is the band of paired differences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

QUANTILES = (0.05, 0.5, 0.95)


def weekly_variables(ds: xr.Dataset, variables: Sequence[str] | None = None) -> list[str]:
    """The numeric variables with a week dimension (or those asked for, checked)."""
    if variables is not None:
        unknown = [v for v in variables if v not in ds.data_vars]
        if unknown:
            raise KeyError(f"no such variables in the results: {unknown} (docs/results.md)")
        return list(variables)
    return [
        str(name)
        for name, da in ds.data_vars.items()
        if "week" in da.dims and np.issubdtype(da.dtype, np.number)
    ]


def quantiles_over(ds: xr.Dataset, dim: str, quantiles: Sequence[float]) -> xr.Dataset:
    """Quantiles of every variable over ``dim``, keeping their units and descriptions."""
    out = ds.quantile(list(quantiles), dim=dim)
    for name in out.data_vars:
        out[name].attrs = dict(ds[name].attrs)
    return out


def reduce_runs(
    runs: Mapping[str, Sequence[xr.Dataset]],
    *,
    quantiles: Sequence[float] = QUANTILES,
    variables: Sequence[str] | None = None,
    baseline: str | None = None,
    totals: bool = False,
) -> xr.Dataset:
    """Quantiles over each scenario's runs (``baseline`` given: of the paired differences
    against its runs, the baseline itself left out), stacked along ``scenario``. ``totals``
    sums each variable over its dimensions other than ``week`` in each run first (the
    quantiles of a total, not the total of quantiles)."""
    names = list(runs)
    first = runs[names[0]][0]
    chosen = weekly_variables(first, variables)

    def stack(datasets: Sequence[xr.Dataset]) -> xr.Dataset:
        parts = [ds[chosen] for ds in datasets]
        if totals:
            parts = [
                xr.Dataset(
                    {
                        v: p[v].sum([d for d in p[v].dims if d != "week"]).assign_attrs(p[v].attrs)
                        for v in chosen
                    }
                )
                for p in parts
            ]
        return xr.concat(parts, dim="replicate")

    parts = []
    for name in names:
        if name == baseline:
            continue
        stacked = stack(runs[name])
        if baseline is not None:
            # A flow (or platform) only one of the two has moved nothing in the other: an outer
            # join with zeros, where arithmetic's inner join would drop it from the differences.
            mine, theirs = xr.align(stacked, stack(runs[baseline]), join="outer", fill_value=0)
            stacked = (mine - theirs).assign_attrs(stacked.attrs)
            for v in chosen:
                stacked[v].attrs = dict(first[v].attrs)
        parts.append(quantiles_over(stacked, "replicate", quantiles).expand_dims(scenario=[name]))
    # A flow (or platform) some scenarios lack moved nothing there: zeros, not NaN.
    reduced = xr.concat(parts, dim="scenario", join="outer", fill_value=0)
    reduced.attrs = {
        "reduction": (
            f"quantiles {list(quantiles)} over each scenario's replicates"
            + (f", of the paired differences scenario - {baseline}" if baseline else "")
        )
    }
    return reduced


def plot_bands(
    reduced: xr.Dataset,
    variable: str,
    *,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Median line and outer-quantile band over the weeks of one variable, per scenario (its
    other dimensions summed). Returns the matplotlib Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 3.5))
    da = reduced[variable]
    others = [d for d in da.dims if d not in ("scenario", "quantile", "week")]
    if others:
        raise ValueError(
            f"{variable} has dimensions {others} besides the week: reduce with totals=True "
            "(quantiles of each run's total), or select one value along them first"
        )
    q = da["quantile"].values
    low, high = float(q.min()), float(q.max())
    middle = float(q[np.argmin(np.abs(q - 0.5))])
    for name in da["scenario"].values:
        line = da.sel(scenario=name)
        weeks = line["week"].values
        ax.fill_between(
            weeks, line.sel(quantile=low), line.sel(quantile=high), alpha=0.25, linewidth=0
        )
        ax.plot(weeks, line.sel(quantile=middle), label=str(name))
    units = reduced[variable].attrs.get("units", "")
    ax.set_xlabel("week")
    ax.set_ylabel(f"{variable} ({units})" if units else variable)
    ax.set_title(title or f"{variable}: median and {low:.0%}-{high:.0%} band")
    ax.legend(fontsize=8)
    return ax


class Reducible:
    """``reduce`` and ``plot`` for a collection of runs by scenario (an ensemble, or a
    comparison whose runs are paired with its baseline's)."""

    def _runs_for_reduction(self) -> tuple[Mapping[str, Sequence[xr.Dataset]], str | None]:
        raise NotImplementedError

    def reduce(
        self,
        quantiles: Sequence[float] = QUANTILES,
        variables: Sequence[str] | None = None,
        *,
        totals: bool = False,
    ) -> xr.Dataset:
        """Quantiles over the replicates of each scenario (and of each point of an ensemble's
        parameter grid) of the weekly variables (of the paired
        differences, scenario - baseline, for a comparison): dims ``scenario``, ``quantile``,
        ``week`` and the variables' own; ``totals`` sums each run over the other dims first."""
        runs, baseline = self._runs_for_reduction()
        return reduce_runs(
            runs, quantiles=quantiles, variables=variables, baseline=baseline, totals=totals
        )

    def plot(self, variable: str, *, quantiles: Sequence[float] = QUANTILES, ax: Any = None) -> Any:
        """Median and band over the weeks of one variable's total, per scenario."""
        runs, baseline = self._runs_for_reduction()  # once: opening every run's file is the cost
        reduced = reduce_runs(
            runs, quantiles=quantiles, variables=[variable], baseline=baseline, totals=True
        )
        title = f"{variable}: scenario - {baseline}" if baseline else None
        ax = plot_bands(reduced, variable, ax=ax, title=title)
        if baseline:
            ax.axhline(0, color="grey", linewidth=0.8)
        return ax
