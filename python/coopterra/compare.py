"""Paired comparison of scenarios against a baseline, with common random numbers.

Replicate r of every scenario runs with seed ``seed + r``: a scenario and the baseline then share
every random draw that the policy does not change (docs/model.md), and the difference in each
replicate measures the policy, not the noise (docs/ensembles.md).

Estimators (docs/ensembles.md):

- the effect on an outcome is the mean over the n replicates of the paired differences
  (scenario - baseline), with the 95 % Student-t confidence interval of that mean;
- money per outcome is a ratio of means, total public money spent over total CO2e avoided (or
  jobs added), with a 95 % paired bootstrap interval (scipy.stats.bootstrap, percentile); it is
  "not avoided" (or "no job added") whenever the effect's interval is not wholly on the side
  of the gain, never a number;
- public money spent excludes the equity (and loans) the authority keeps as assets, reported
  apart.

Below 5 replicates the comparison carries a warning; with one, no interval at all.
"""

from __future__ import annotations

import html
import json
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import xarray as xr

from coopterra._files import write_atomically
from coopterra._optional import require
from coopterra.errors import ConfigurationError, CoopterraError
from coopterra.outcomes import (
    BY_NAME,
    COST_PER_JOB,
    COST_PER_TONNE,
    HEADLINES,
    quantity,
)
from coopterra.posterior import Posterior, load_posterior
from coopterra.reduce import Reducible
from coopterra.results import open_results
from coopterra.scenario import PathLike, Scenario, load_scenario
from coopterra.summary import text_columns

CONFIDENCE = 0.95
MIN_REPLICATES = 5
EFFECT_INTERVAL = "95 % Student-t confidence interval of the mean paired difference"
RATIO_INTERVAL = (
    "95 % paired bootstrap interval (percentile, 4,000 resamples) of the ratio of means"
)
MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "coopterra-comparison/1"

CO2E = "CO2e of commuting and the six markets"
SPENT = "public money spent"
JOBS = "jobs in local firms (last week)"
LEAVING = "platform fees leaving the territory"
MEMBERS = "cooperative members (last week)"
ASSETS = "public money put into equity (an asset kept)"


@dataclass
class Comparison(Reducible):
    """Runs and paired differences of scenarios against a baseline."""

    baseline: str
    scenarios: list[str]
    seeds: list[int]
    table: pd.DataFrame
    runs: dict[str, list[xr.Dataset]] = field(repr=False)
    warnings: list[str] = field(default_factory=list)
    # What the spread of the replicates carries: the seeds' noise alone, or with it the
    # parameters' uncertainty (replicate r at draw r of a posterior: coopterra.posterior).
    uncertainty: str = "seeds only: the parameters are fixed at the scenario's values"

    @property
    def replicates(self) -> int:
        return len(self.seeds)

    def row(self, scenario: str, indicator: str) -> pd.Series:
        """The table's row of one scenario and indicator."""
        t = self.table
        rows = t[(t["scenario"] == scenario) & (t["indicator"] == indicator)]
        if rows.empty:
            raise KeyError(f"no row for scenario {scenario!r} and indicator {indicator!r}")
        return rows.iloc[0]

    def weeks(self) -> int:
        return int(self.runs[self.baseline][0].sizes["week"])

    def sentences(self, lang: str = "en") -> dict[str, str]:
        """One sentence per scenario saying what it buys (the report's and the CLI's headline)."""
        from coopterra.report import headline_sentence

        return {name: headline_sentence(self, name, lang) for name in self.scenarios}

    def ranking(self, lang: str = "en") -> pd.DataFrame:
        """One row per scenario: cost, CO2e avoided, cost per tonne, jobs, money kept, members."""
        rows = []
        for name in self.scenarios:
            per_tonne = self.row(name, COST_PER_TONNE)
            rows.append(
                {
                    "scenario": name,
                    "public money spent (EUR)": self.row(name, SPENT)["estimate"],
                    "CO2e avoided (t)": -self.row(name, CO2E)["estimate"],
                    "public money per t CO2e avoided (EUR/t)": per_tonne["estimate"],
                    "jobs added": self.row(name, JOBS)["estimate"],
                    "fees kept from leaving (EUR)": -self.row(name, LEAVING)["estimate"],
                    "cooperative members added": self.row(name, MEMBERS)["estimate"],
                }
            )
        return pd.DataFrame(rows)

    def format(self) -> str:
        """The comparison as aligned text: the headline sentences, then one block per scenario."""
        n = self.replicates
        lines = [
            f"paired comparison against '{self.baseline}': {n} replicates "
            f"(seeds {self.seeds[0]}-{self.seeds[-1]}), difference = scenario - baseline, "
            f"interval = {EFFECT_INTERVAL} (n = {n}); money per outcome = ratio of means, "
            f"{RATIO_INTERVAL}",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        lines.append("")
        lines += [f"- {s}" for s in self.sentences().values()]
        header = ("indicator", "baseline", "scenario", "difference", "95 % interval")
        for name in self.scenarios:
            rows = [
                _text_cells(r) for _, r in self.table[self.table["scenario"] == name].iterrows()
            ]
            lines.append("")
            lines.append(name)
            lines += text_columns([header, *rows], (False, True, True, True, False), indent="  ")
        return "\n".join(lines) + "\n"

    def to_excel(self, path: PathLike) -> None:
        """The headlines, the ranking and the full table in an Excel workbook (openpyxl)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        sentences = pd.DataFrame(
            {"scenario": list(self.sentences()), "headline": list(self.sentences().values())}
        )
        notes = pd.DataFrame(
            {
                "note": [
                    f"{self.replicates} paired replicates, seeds {self.seeds}",
                    f"effects: {EFFECT_INTERVAL}",
                    f"money per outcome: {RATIO_INTERVAL}",
                    *self.warnings,
                ]
            }
        )
        try:
            require("openpyxl", "an Excel workbook")
            with pd.ExcelWriter(partial, engine="openpyxl") as writer:
                sentences.to_excel(writer, sheet_name="headlines", index=False)
                self.ranking().to_excel(writer, sheet_name="ranking", index=False)
                self.table.to_excel(writer, sheet_name="comparison", index=False)
                notes.to_excel(writer, sheet_name="notes", index=False)
                for sheet in writer.book.worksheets:
                    for column in sheet.columns:
                        width = max(len(str(c.value or "")) for c in column)
                        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 90)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    def _runs_for_reduction(self) -> tuple[dict[str, list[xr.Dataset]], str]:
        return self.runs, self.baseline

    def _repr_html_(self) -> str:
        """In Jupyter: the headline sentences and the ranking."""
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences().values())
        warn = "".join(f"<p><b>warning</b>: {html.escape(w)}</p>" for w in self.warnings)
        ranking = self.ranking().to_html(index=False, float_format=lambda v: f"{v:,.1f}")
        return (
            f"<p>Paired comparison against <b>{html.escape(self.baseline)}</b>, "
            f"{self.replicates} replicates.</p>{warn}<ul>{items}</ul>{ranking}"
        )


def _text_cells(r: pd.Series) -> tuple[str, str, str, str, str]:
    """A row of the text table: indicator, baseline, scenario, difference, interval."""
    h = BY_NAME.get(str(r["indicator"]))
    integer = h.integer if h is not None else False
    unit = str(r["unit"])
    label = str(r["indicator"])
    if r["kind"] == "ratio":
        value = (
            str(r["status"]) if r["status"] else quantity(float(r["estimate"]), unit, compact=False)
        )
        return label, "", "", value, _interval_text(r, unit, False)
    base = quantity(float(r["baseline"]), unit, integer)
    value = quantity(float(r["scenario_value"]), unit, integer)
    diff = quantity(float(r["estimate"]), unit, integer, sign=True)
    return label, base, value, diff, _interval_text(r, unit, integer)


def _interval_text(r: pd.Series, unit: str, integer: bool, lang: str = "en") -> str:
    low, high = float(r["ci_low"]), float(r["ci_high"])
    if not math.isfinite(low):
        return ""
    if low == high:
        return "no variation" if lang == "en" else "sans variation"
    if not math.isfinite(high):
        return f"≥ {quantity(low, unit, integer, lang)}"
    sign = r["kind"] != "ratio"
    return (
        f"[{quantity(low, unit, integer, lang, sign=sign)}, "
        f"{quantity(high, unit, integer, lang, sign=sign)}]"
    )


def compare(
    baseline: Scenario | PathLike,
    scenarios: Sequence[Scenario | PathLike],
    *,
    replicates: int = 5,
    seed: int = 1,
    threads: int | None = None,
    weeks: int | None = None,
    executor: Any = None,
    out: PathLike | None = None,
    progress: bool = False,
    posterior: Posterior | PathLike | None = None,
) -> Comparison:
    """Run the baseline and each scenario ``replicates`` times with paired seeds and compare.

    Every scenario must be on the baseline's territory from its start date (ConfigurationError
    otherwise). Without ``weeks``, the runs all last the longest of the scenarios' ``run.weeks``
    (a policy of two years is compared with two years of the baseline).

    With a ``posterior`` (from ``coopterra calibrate``; by default the baseline's
    ``uncertainty.posterior``, if it names one), replicate r of every scenario runs at the
    posterior's draw r: the intervals then carry the parameters' uncertainty with the seeds'.

    The runs go through :func:`coopterra.run_ensemble` (``threads`` per run, in parallel over the
    cores, or on ``executor``; None: as run_ensemble chooses); each writes its results file into
    ``out`` (a temporary folder by default), with a ``manifest.json`` listing them:
    :func:`load_comparison` rebuilds the comparison from it. An earlier comparison in ``out``
    is replaced once every new run has succeeded (interrupted or failed, the new one leaves it
    whole); ``out`` must hold no other results file."""
    if replicates < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates}")
    base = baseline if isinstance(baseline, Scenario) else load_scenario(baseline)
    others = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    everything = [base, *others]
    for other in others:
        _refuse_unpaired(base, other)
    horizons = {s.integer("run.weeks") for s in everything}
    if weeks is None and len(horizons) > 1:
        weeks = max(
            horizons
        )  # one horizon for all: the longest, so that every policy is seen whole
    names = _unique_names(everything)
    from coopterra.ensemble import run_ensemble

    draws = resolve_posterior(base, posterior)
    scratch = tempfile.TemporaryDirectory(prefix="coopterra-compare-") if out is None else None
    folder = Path(out) if out is not None else Path(scratch.name)  # type: ignore[union-attr]
    earlier = _earlier_comparison(folder)
    # The runs go to a folder of their own in ``folder``: an earlier comparison stays whole until
    # they all succeed (an interrupted or failed comparison leaves it as it was).
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".compare-partial-"))
    try:
        ensemble = run_ensemble(
            dict(zip(names, everything, strict=True)),
            replicates=replicates,
            seed=seed,
            threads_per_run=threads,
            weeks=weeks,
            executor=executor,
            out=staging,
            progress=progress,
            posterior=draws,
        )
        if not ensemble.failures:
            for name in earlier:
                (folder / name).unlink(missing_ok=True)
            (folder / MANIFEST).unlink(missing_ok=True)
            for spec in ensemble.runs:
                os.replace(spec.path, folder / Path(spec.path).name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if ensemble.failures:
        reasons = "; ".join(
            f"run {f.run} ({f.scenario}, seed {f.seed}): {f.reason.splitlines()[0]}"
            for f in ensemble.failures
        )
        raise CoopterraError(
            f"{len(ensemble.failures)} runs failed, so no paired comparison: {reasons}"
        )
    files: dict[str, list[str]] = {name: [] for name in names}
    seeds: dict[str, list[int]] = {name: [] for name in names}
    for spec in ensemble.runs:  # in replicate order within each scenario
        files[spec.scenario].append(Path(spec.path).name)
        seeds[spec.scenario].append(spec.seed)
    if scratch is None:
        manifest = {
            "schema": MANIFEST_SCHEMA,
            "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "baseline": names[0],
            "scenarios": names[1:],
            "seeds": seeds[names[0]],
            "runs": files,
            "uncertainty": uncertainty_text(draws, replicates),
        }
        write_atomically(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    runs = {name: [open_results(folder / f) for f in files[name]] for name in names}
    if scratch is not None:  # the runs are loaded: no file left behind
        for datasets in runs.values():
            for ds in datasets:
                ds.load()
        scratch.cleanup()
    comparison = comparison_of_runs(runs, seeds[names[0]])
    comparison.uncertainty = uncertainty_text(draws, replicates)
    return comparison


def resolve_posterior(base: Scenario, posterior: Posterior | PathLike | None) -> Posterior | None:
    """The posterior a comparison runs at: the one given, or the baseline's
    ``uncertainty.posterior`` (a path relative to the scenario's folder), or none."""
    if isinstance(posterior, Posterior):
        return posterior
    if posterior is not None:
        return load_posterior(posterior)
    named = str(base.get("uncertainty.posterior"))
    if not named:
        return None
    folder = Path(base.source).parent if Path(base.source).is_file() else Path.cwd()
    return load_posterior(folder / named)


def uncertainty_text(posterior: Posterior | None, replicates: int) -> str:
    """What the spread of a comparison's replicates carries."""
    if posterior is None:
        return "seeds only: the parameters are fixed at the scenario's values"
    used = min(replicates, len(posterior))
    return (
        f"parameters and seeds: replicate r runs at draw r of {posterior.describe()} "
        f"({used} distinct draws), the same draw and seed in every scenario"
    )


def _refuse_unpaired(base: Scenario, other: Scenario) -> None:
    """Refuse a scenario whose runs cannot be paired with the baseline's: another territory
    (other communes or residents: other people) or another start date (other seasons). A
    difference of outcomes would then measure the territory or the calendar, not the policy.
    (Horizons may differ: every scenario then runs to the longest, see compare.)"""
    differ = {
        key: values
        for key, values in base.diff(other).items()
        if key.startswith("territory.") or key == "run.start_date"
    }
    if not differ:
        return
    key, (mine, theirs) = next(iter(differ.items()))
    more = f" (and {len(differ) - 1} more)" if len(differ) > 1 else ""
    message = (
        f"scenario {other.name!r} has {theirs!r} where the baseline {base.name!r} has "
        f"{mine!r}{more}: a comparison pairs each scenario's runs with the baseline's on the "
        "same territory from the same date; give them the baseline's (or set it for all, e.g. "
        "--territory, --set)"
    )
    raise ConfigurationError(
        f"{other.source}: {key}: {message}", [(other.source, 0, 0, key, message)]
    )


def _earlier_comparison(folder: Path) -> set[str]:
    """The files of an earlier comparison in ``folder`` (created if missing), which a new one
    replaces; other results files there are refused."""
    if folder.exists() and not folder.is_dir():
        _refuse(folder, "--out", "not a folder: give a folder for the runs' results files")
    folder.mkdir(parents=True, exist_ok=True)
    listed: set[str] = set()
    manifest = folder / MANIFEST
    if manifest.exists():
        for paths in _read_manifest(folder)["runs"].values():
            listed.update(paths)
    strangers = sorted(p.name for p in folder.glob("*.h5") if p.name not in listed)
    if strangers:
        _refuse(
            folder,
            "--out",
            f"holds {len(strangers)} results files that no comparison manifest lists "
            f"(e.g. {strangers[0]}); a comparison never mixes its runs with others: choose an "
            "empty folder, or remove them",
        )
    return listed


def _refuse(where: Path, key: str, message: str) -> NoReturn:
    raise ConfigurationError(f"{where}: {message}", [(str(where), 0, 0, key, message)])


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, NotADirectoryError):
        _refuse(folder, "", f"no {MANIFEST}: give the folder that 'coopterra compare --out' wrote")
    except json.JSONDecodeError as e:
        raise ConfigurationError(
            f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}",
            [(str(path), e.lineno, e.colno, "", f"not valid JSON: {e.msg}")],
        ) from None
    problems = []
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
        problems.append(f"schema: expected {MANIFEST_SCHEMA!r}")
    else:
        for key, kind in (("baseline", str), ("scenarios", list), ("runs", dict)):
            if not isinstance(data.get(key), kind):
                problems.append(f"{key}: expected a {kind.__name__}")
    if problems:
        _refuse(path, "", f"not a comparison manifest ({'; '.join(problems)})")
    result: dict[str, Any] = data
    return result


def load_comparison(folder: PathLike) -> Comparison:
    """The comparison that ``compare(..., out=folder)`` wrote, rebuilt from its manifest's runs
    (and only them)."""
    path = Path(folder)
    manifest = _read_manifest(path)
    names = [manifest["baseline"], *manifest["scenarios"]]
    runs: dict[str, list[xr.Dataset]] = {}
    for name in names:
        files = manifest["runs"].get(name)
        if not files:
            _refuse(path / MANIFEST, "runs", f"no runs listed for scenario {name!r}")
        missing = [f for f in files if not (path / f).exists()]
        if missing:
            _refuse(
                path / MANIFEST,
                "runs",
                f"lists {len(missing)} results files that are missing (e.g. {missing[0]})",
            )
        runs[name] = [open_results(path / f) for f in files]
    seeds = [int(ds.attrs.get("seed", 0)) for ds in runs[names[0]]]
    comparison = comparison_of_runs(runs, seeds)
    if isinstance(manifest.get("uncertainty"), str):
        comparison.uncertainty = manifest["uncertainty"]
    return comparison


def comparison_of_runs(runs: dict[str, list[xr.Dataset]], seeds: list[int]) -> Comparison:
    """The comparison of paired runs: the first scenario of ``runs`` is the baseline, and
    replicate r of each scenario is paired with replicate r of the baseline."""
    names = list(runs)
    n = len(runs[names[0]])
    for name in names[1:]:
        if len(runs[name]) != n:
            raise CoopterraError(
                f"scenario {name!r} has {len(runs[name])} runs, the baseline {n}: not paired"
            )
    base_values = {h.name: np.array([h.value(ds) for ds in runs[names[0]]]) for h in HEADLINES}
    rows: list[dict[str, object]] = []
    for name in names[1:]:
        values = {h.name: np.array([h.value(ds) for ds in runs[name]]) for h in HEADLINES}
        for h in HEADLINES:
            rows.append(_effect_row(name, h.name, h.unit, base_values[h.name], values[h.name]))
        spent = values[SPENT] - base_values[SPENT]
        avoided = base_values[CO2E] - values[CO2E]
        jobs = values[JOBS] - base_values[JOBS]
        rows.append(cost_per_outcome(name, COST_PER_TONNE, "EUR/t", spent, avoided, "not avoided"))
        rows.append(cost_per_outcome(name, COST_PER_JOB, "EUR/job", spent, jobs, "no job added"))
    warnings = []
    if n < MIN_REPLICATES:
        warnings.append(
            f"only {n} replicate{'s' if n > 1 else ''} per scenario: "
            + ("no interval can be given" if n == 1 else "the intervals are wide and uncertain")
            + f"; use at least {MIN_REPLICATES} (--replicates)"
        )
    return Comparison(names[0], names[1:], seeds, pd.DataFrame(rows), runs, warnings)


def mean_interval(diff: np.ndarray) -> tuple[float, float, float]:
    """Mean of paired differences and its 95 % Student-t confidence interval (NaN below n=2)."""
    from scipy import stats

    n = len(diff)
    mean = float(np.mean(diff))
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * np.std(diff, ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


def ratio_interval(spent: np.ndarray, gained: np.ndarray) -> tuple[float, float]:
    """95 % paired bootstrap interval of mean(spent) / mean(gained): replicates are resampled
    with their pairs; a resample with no gain has an unbounded ratio (upper bound infinite)."""

    def ratio(s: np.ndarray, g: np.ndarray, axis: int = -1) -> np.ndarray:
        total_s, total_g = np.mean(s, axis=axis), np.mean(g, axis=axis)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = total_s / total_g
        return np.where(total_g > 0, r, np.inf)

    if len(spent) < 2 or (np.all(spent == spent[0]) and np.all(gained == gained[0])):
        value = float(ratio(spent, gained))
        return (value, value) if len(spent) >= 2 else (math.nan, math.nan)
    from scipy import stats

    result = stats.bootstrap(
        (spent, gained),
        ratio,
        paired=True,
        vectorized=True,
        n_resamples=4000,
        confidence_level=CONFIDENCE,
        method="percentile",
        rng=np.random.default_rng(20260),
    )
    ci = result.confidence_interval
    return float(ci.low), float(ci.high)


def _effect_row(
    scenario: str, indicator: str, unit: str, base: np.ndarray, value: np.ndarray
) -> dict[str, object]:
    diff = value - base
    # Sums of whole cents, grams or counts: a difference within rounding of the totals is none.
    diff[np.abs(diff) <= 1e-9 * max(1.0, float(np.max(np.abs(base), initial=0.0)))] = 0.0
    mean, low, high = mean_interval(diff)
    return {
        "scenario": scenario,
        "indicator": indicator,
        "kind": "effect",
        "unit": unit,
        "baseline": float(np.mean(base)),
        "scenario_value": float(np.mean(value)),
        "estimate": mean,
        "ci_low": low,
        "ci_high": high,
        "status": "",
        "interval": EFFECT_INTERVAL,
        "replicates": len(base),
    }


def cost_per_outcome(
    scenario: str, indicator: str, unit: str, spent: np.ndarray, gained: np.ndarray, none: str
) -> dict[str, object]:
    """Money per unit of a gain, or ``none`` when the gain's interval is not above zero."""
    mean, low, _ = mean_interval(gained)
    gain_proven = mean > 0 and (low > 0 if math.isfinite(low) else True)
    total_spent = float(np.mean(spent))
    status = ""
    estimate = ci_low = ci_high = math.nan
    if not gain_proven:
        status = none
    elif total_spent <= 0:
        status = "no public money spent"
    else:
        estimate = total_spent / mean
        ci_low, ci_high = ratio_interval(spent, gained)
    return {
        "scenario": scenario,
        "indicator": indicator,
        "kind": "ratio",
        "unit": unit,
        "baseline": math.nan,
        "scenario_value": math.nan,
        "estimate": estimate,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "status": status,
        "interval": RATIO_INTERVAL,
        "replicates": len(spent),
    }


def _unique_names(scenarios: list[Scenario]) -> list[str]:
    names: list[str] = []
    for s in scenarios:
        name = s.name
        while name in names:
            name += "'"
        names.append(name)
    return names
