"""Paired comparison of scenarios against a baseline, with common random numbers.

Replicate r of every scenario runs with seed ``seed + r``: a scenario and the baseline then share
every random draw that the policy does not change (docs/model.md), and the difference in each
replicate measures the policy, not the noise. The table gives, per scenario and indicator, the
mean of each side and the mean paired difference with its 5 %-95 % quantiles across replicates.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from coopterra.errors import CoopterraError
from coopterra.outcomes import HEADLINES
from coopterra.results import open_results
from coopterra.scenario import PathLike, Scenario, load_scenario

COST_PER_TONNE = "public money per t CO2e avoided"
COST_PER_JOB = "public money per job held (last week)"


@dataclass
class Comparison:
    """Runs and paired differences of scenarios against a baseline."""

    baseline: str
    scenarios: list[str]
    seeds: list[int]
    table: pd.DataFrame
    runs: dict[str, list[xr.Dataset]] = field(repr=False)

    def format(self) -> str:
        """The comparison as aligned text, one block per scenario."""
        lines = [
            f"paired comparison against '{self.baseline}': {len(self.seeds)} replicates "
            f"(seeds {self.seeds[0]}-{self.seeds[-1]}), difference = scenario - baseline, "
            "interval = 5 %-95 % of the paired differences"
        ]
        for name in self.scenarios:
            rows = self.table[self.table["scenario"] == name]
            lines.append("")
            lines.append(f"{name}")
            lines.append(
                f"  {'indicator':<48}{'unit':<8}{'baseline':>13}{'scenario':>13}"
                f"{'difference':>13}  {'interval':<24}"
            )
            for _, r in rows.iterrows():
                interval = (
                    f"[{_num(r['difference_q05'])}, {_num(r['difference_q95'])}]"
                    if np.isfinite(r["difference_q05"])
                    else ""
                )
                lines.append(
                    f"  {r['indicator']:<48}{r['unit']:<8}{_num(r['baseline']):>13}"
                    f"{_num(r['scenario_value']):>13}{_num(r['difference']):>13}  "
                    f"{interval:<24}"
                )
        return "\n".join(lines) + "\n"


def compare(
    baseline: Scenario | PathLike,
    scenarios: Sequence[Scenario | PathLike],
    *,
    replicates: int = 5,
    seed: int = 1,
    threads: int = 1,
    weeks: int | None = None,
    executor: Any = None,
    out: PathLike | None = None,
    progress: bool = False,
) -> Comparison:
    """Run the baseline and each scenario ``replicates`` times with paired seeds and compare.

    The runs go through :func:`coopterra.run_ensemble` (``threads`` per run, in parallel over the
    cores, or on ``executor``); each writes its results file into ``out`` (a temporary folder by
    default)."""
    if replicates < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates}")
    base = baseline if isinstance(baseline, Scenario) else load_scenario(baseline)
    others = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    seeds = [seed + r for r in range(replicates)]
    everything = [base, *others]
    names = _unique_names(everything)
    from coopterra.ensemble import run_ensemble

    scratch = tempfile.TemporaryDirectory(prefix="coopterra-compare-") if out is None else None
    ensemble = run_ensemble(
        dict(zip(names, everything, strict=True)),
        replicates=replicates,
        seed=seed,
        threads_per_run=threads,
        weeks=weeks,
        executor=executor,
        out=out if out is not None else scratch.name,  # type: ignore[union-attr]
        progress=progress,
    )
    if ensemble.failures:
        reasons = "; ".join(
            f"run {f.run} ({f.scenario}, seed {f.seed}): {f.reason.splitlines()[0]}"
            for f in ensemble.failures
        )
        raise CoopterraError(
            f"{len(ensemble.failures)} runs failed, so no paired comparison: {reasons}"
        )
    runs: dict[str, list[xr.Dataset]] = {name: [] for name in names}
    for spec in ensemble.runs:  # in replicate order within each scenario
        runs[spec.scenario].append(open_results(spec.path))
    if scratch is not None:  # the runs are loaded: no file left behind
        scratch.cleanup()
    rows = []
    base_values = {n: np.array([f(ds) for ds in runs[names[0]]]) for n, _, f in HEADLINES}
    for name in names[1:]:
        values = {n: np.array([f(ds) for ds in runs[name]]) for n, _, f in HEADLINES}
        for indicator, unit, _ in HEADLINES:
            rows.append(_row(name, indicator, unit, base_values[indicator], values[indicator]))
        # What each euro bought, replicate by replicate (paired): CO2e of commuting and the
        # markets avoided, jobs in local firms held in the last week.
        total = "CO2e of commuting and the six markets"
        avoided = base_values[total] - values[total]
        jobs = (
            values["jobs in local firms (last week)"]
            - base_values["jobs in local firms (last week)"]
        )
        spent = values["public money spent"] - base_values["public money spent"]
        with np.errstate(divide="ignore", invalid="ignore"):
            per_tonne = np.where(avoided > 0, spent / avoided, np.nan)
            per_job = np.where(jobs > 0, spent / jobs, np.nan)
        for label, unit, ratio in (
            (COST_PER_TONNE, "EUR/t", per_tonne),
            (COST_PER_JOB, "EUR/job", per_job),
        ):
            rows.append(
                _row(
                    name,
                    label,
                    unit,
                    np.full(len(seeds), np.nan),
                    ratio,
                    difference_only=True,
                )
            )
    table = pd.DataFrame(rows)
    return Comparison(names[0], names[1:], seeds, table, runs)


def _row(
    scenario: str,
    indicator: str,
    unit: str,
    base: np.ndarray,
    value: np.ndarray,
    difference_only: bool = False,
) -> dict[str, object]:
    diff = value if difference_only else value - base
    finite = diff[np.isfinite(diff)]
    return {
        "scenario": scenario,
        "indicator": indicator,
        "unit": unit,
        "baseline": float(np.mean(base)) if not difference_only else np.nan,
        "scenario_value": float(np.mean(value)) if not difference_only else np.nan,
        "difference": float(np.mean(finite)) if len(finite) else np.nan,
        "difference_q05": float(np.quantile(finite, 0.05)) if len(finite) else np.nan,
        "difference_q95": float(np.quantile(finite, 0.95)) if len(finite) else np.nan,
        "replicates": len(finite),  # those with a value (per tonne: where CO2e is avoided)
    }


def _unique_names(scenarios: list[Scenario]) -> list[str]:
    names: list[str] = []
    for s in scenarios:
        name = s.name
        while name in names:
            name += "'"
        names.append(name)
    return names


def _num(v: float) -> str:
    if v is None or not np.isfinite(v):
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}"
