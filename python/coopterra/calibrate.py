"""Calibration against public figures: screening, history matching, then ABC-SMC.

>>> cal = calibrate("data/targets/drome.toml", out="results/calibration", runs_per_wave=40)
>>> cal.waves                 # per wave: runs, non-implausible fraction left
>>> cal.posterior             # coopterra.posterior.Posterior: draws of the kept parameters
>>> cal.validation            # every target against the model, before and after, pass/fail

Four stages, every run going through :func:`coopterra.run_ensemble` (so any executor, a Dask
cluster's included, carries them), every finished run recorded in an SQLite database
(``out/calibration.db``, the file pyabc keeps its generations in) as soon as it ends:

1. **noise**: the scenario as it is, at ``replicates`` seeds: the model's stochastic SD of every
   target, and the "before calibration" values;
2. **screening**: Morris elementary effects (SALib) of every parameter on every fitted target,
   scaled by the target's observation SD; the ``keep`` most influential parameters go on, the
   others stay at their defaults;
3. **history matching** in waves (Andrianakis et al. 2015; Vernon et al. 2010): a Latin
   hypercube of the region not yet ruled out, a Gaussian-process emulator per fitted target
   (scikit-learn), and the implausibility I(x) = |z - E[f(x)]| / sqrt(V_obs + V_disc + V_stoch
   + V_em(x)), where V_obs is the target's observation variance (its plausible interval read as
   +/- 2 SDs), V_disc the model discrepancy (``discrepancy`` x V_obs), V_stoch the seeds'
   variance and V_em the emulator's. A point is ruled out when the largest I over the targets
   is above the cutoff (3, Pukelsheim's three-sigma rule);
4. **ABC-SMC** (pyabc) inside what remains: uniform on the non-implausible region, the distance
   is the root mean square of the standardised errors; the last generation's weighted particles
   are resampled into the posterior's draws.

A calibration killed mid-way resumes from its database: finished runs are never redone (the
designs are drawn from the seed, so a resumed wave asks for the same points), and pyabc resumes
after its last finished generation.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import logging
import math
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coopterra._files import check_writable
from coopterra._optional import require
from coopterra.ensemble import RunSpec, available_cores, run_ensemble
from coopterra.errors import ConfigurationError, CoopterraError, CoopterraIOError
from coopterra.posterior import Posterior, sha256, write_posterior
from coopterra.scenario import PathLike, Scenario, load_scenario, territory_override
from coopterra.simulation import InputsCache
from coopterra.targets import Target, Targets, engine_revision, load_targets

DATABASE = "calibration.db"
POSTERIOR = "posterior.h5"
VALIDATION = "validation.html"


@dataclass
class Wave:
    """One wave of history matching."""

    wave: int
    runs: int
    non_implausible: float  # fraction of the parameter box left after this wave
    seconds: float


@dataclass
class Calibration:
    """What a calibration found, and where it keeps it."""

    targets: Targets
    parameters: list[str]  # the parameters kept after screening
    bounds: dict[str, tuple[float, float]]
    screening: pd.DataFrame  # parameter x fitted target: Morris mu* / observation SD
    waves: list[Wave]
    posterior: Posterior
    before: pd.DataFrame  # target x replicate: the scenario as it was
    after: pd.DataFrame  # target x draw: at posterior draws
    runs: int  # runs done for this calibration, resumed ones included
    new_runs: int  # of them, runs done by this call (the others were resumed from the database)
    seconds: float
    out: Path
    stochastic_sd: dict[str, float] = field(default_factory=dict)
    # Each wave's runs as the previous wave's emulators predicted them: wave, target, run,
    # simulated, predicted, emulator_sd, z = (simulated - predicted) / emulator_sd. An emulator
    # that describes the model has most |z| below 2 to 3.
    emulator_checks: pd.DataFrame = field(default_factory=pd.DataFrame)

    def validation(self) -> pd.DataFrame:
        """Every target against the model before and after calibration, with pass/fail: a target
        passes when the median of the calibrated runs lies within its plausible interval."""
        return validation_table(self.targets, self.before, self.after)


# ------------------------------------------------------------------------------------------------
# The database


class Store:
    """Runs and settings of a calibration in SQLite (beside pyabc's tables in the same file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and not path.is_file():
            raise CoopterraIOError(f"{path}: not a regular file: the calibration's database")
        if not path.exists():  # pyabc's tables first: it refuses a database it did not start
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pyabc = require("pyabc", "calibration's ABC-SMC")
            pyabc.History(f"sqlite:///{path}")
        self.db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        self.lock = threading.Lock()  # ABC's threads record their runs through one connection
        try:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS coopterra_meta (key TEXT PRIMARY KEY, "
                "value TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS coopterra_runs (stage TEXT NOT NULL, point INTEGER NOT "
                "NULL, territory TEXT NOT NULL, replicate INTEGER NOT NULL, parameters TEXT NOT "
                "NULL, outcomes TEXT NOT NULL, PRIMARY KEY (stage, point, territory, replicate))"
            )
            self.db.commit()
        except sqlite3.DatabaseError as e:  # a truncated or foreign file at --out's database
            self.db.close()
            raise CoopterraIOError(
                f"{path}: not a calibration database ({e}): give another --out, or delete it to "
                "start again"
            ) from None

    def check(self, identity: dict[str, str]) -> None:
        """Refuse to resume a calibration of other targets, scenario or settings."""
        known = dict(self.db.execute("SELECT key, value FROM coopterra_meta").fetchall())
        differ = [k for k, v in identity.items() if k in known and known[k] != v]
        if differ:
            raise ConfigurationError(
                f"configuration error: {self.path} holds a calibration with other "
                f"{', '.join(differ)}: give another --out, or delete it to start again",
                [(str(self.path), 0, 0, k, "differs from the database's") for k in differ],
            )
        for k, v in identity.items():
            self.db.execute("INSERT OR IGNORE INTO coopterra_meta VALUES (?, ?)", (k, v))
        self.db.commit()

    def get(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute(
                "SELECT value FROM coopterra_meta WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO coopterra_meta VALUES (?, ?)", (key, value))
            self.db.commit()

    def done(self, stage: str) -> dict[tuple[int, str, int], dict[str, float]]:
        with self.lock:
            rows = self.db.execute(
                "SELECT point, territory, replicate, outcomes FROM coopterra_runs WHERE stage = ?",
                (stage,),
            ).fetchall()
        return {(p, t, r): json.loads(o) for p, t, r, o in rows}

    def record(
        self, stage: str, point: int, territory: str, replicate: int, params: Any, out: Any
    ) -> None:
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO coopterra_runs VALUES (?, ?, ?, ?, ?, ?)",
                (stage, point, territory, replicate, json.dumps(params), json.dumps(out)),
            )
            self.db.commit()

    def count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT COUNT(*) FROM coopterra_runs").fetchone()[0])


# ------------------------------------------------------------------------------------------------
# Running points


class _Runner:
    """Runs parameter points of the calibrated scenario on every territory of the targets,
    through run_ensemble, recording each run as it ends and skipping those already recorded."""

    def __init__(
        self,
        targets: Targets,
        scenario: Scenario,
        store: Store,
        *,
        seed: int,
        threads_per_run: int,
        executor: cf.Executor | None,
        progress: bool,
        log: Callable[[str], None],
    ) -> None:
        self.targets = targets
        self.store = store
        self.seed = seed
        self.threads = threads_per_run
        self.executor = executor
        self.progress = progress
        self.log = log
        # Runs that fit last as long as the fitted targets need; the scenario as it was and the
        # posterior's draws, compared with every target, as long as the latest needs.
        self.weeks = targets.weeks()
        self.fit_weeks = targets.weeks("fit") or self.weeks
        self.scenarios: dict[str, Scenario] = {}
        for i, territory in enumerate(targets.territories()):
            label = f"territory{i}"
            self.scenarios[label] = (
                scenario.with_toml_overrides(territory_override(territory))
                if territory
                else scenario
            )
        self.labels = dict(zip(targets.territories(), self.scenarios, strict=True))
        self.indicators = [
            (f"target:{t.key}", t.indicator, t.years[0], t.years[1]) for t in targets.targets
        ]
        self.territory_checksums: dict[str, str] = {}
        self.runs_done = 0
        # One territory and population per (territory, seed) for every local run of every stage:
        # the replicates reuse the same seeds at every point (common random numbers).
        self.cache = InputsCache()

    def scaled(self, values: np.ndarray) -> np.ndarray:
        """Target values (last axis: the targets) on each target's comparison scale."""
        out = np.array(values, dtype=float)
        for j, t in enumerate(self.targets.targets):
            out[..., j] = t.transform(out[..., j])
        return out

    def _ensemble(
        self,
        stage: str,
        label: str,
        scenario: Scenario,
        record: Callable[[RunSpec, dict[str, float]], None],
        weeks: int,
        **runs: Any,
    ) -> None:
        """Runs of one territory through run_ensemble, ``weeks`` long (the targets read by then),
        each recorded as it ends; their results files go to a scratch folder, removed afterwards
        (the database keeps the targets)."""
        scratch = Path(tempfile.mkdtemp(prefix="coopterra-calibrate-"))
        try:
            ensemble = run_ensemble(
                {label: scenario},
                seed=self.seed,
                threads_per_run=self.threads,
                weeks=weeks,
                executor=self.executor,
                out=scratch,
                progress=self.progress,
                indicators=[i for i in self.indicators if 52 * i[3] <= weeks],
                on_run=record,
                cache=self.cache,
                **runs,
            )
            for failure in ensemble.failures:
                self.log(f"run failed ({stage}): {failure.reason.splitlines()[0]}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def run_draws(self, stage: str, posterior: Posterior, k: int) -> np.ndarray:
        """Target values (k x targets) of runs at the posterior's first k draws, draw r at seed
        ``seed + r`` (as a comparison's replicates run): the calibrated model's distribution,
        parameters and seeds together. Rerun whole unless every run is recorded."""
        done = self.store.done(stage)
        for label, scenario in self.scenarios.items():
            if all((r, label, 0) in done for r in range(k)):
                continue

            def record(spec: RunSpec, outcomes: dict[str, float]) -> None:
                mine = {n[7:]: v for n, v in outcomes.items() if n.startswith("target:")}
                self.store.record(
                    stage, spec.replicate, spec.scenario, 0, dict(spec.parameters), mine
                )
                self.runs_done += 1

            self._ensemble(
                stage, label, scenario, record, self.weeks, replicates=k, posterior=posterior
            )
        done = self.store.done(stage)
        values = np.full((k, len(self.targets.targets)), np.nan)
        for r in range(k):
            for j, t in enumerate(self.targets.targets):
                got = done.get((r, self.labels[t.territory], 0))
                if got is not None and t.key in got:
                    values[r, j] = got[t.key]
        return values

    def run(
        self,
        stage: str,
        points: Sequence[dict[str, float]],
        replicates: int = 1,
        every_target: bool = False,
    ) -> np.ndarray:
        """Target values (points x replicates x targets); NaN where a run failed, and for the
        targets read after the fitted ones unless ``every_target`` (runs then last longer)."""
        done = self.store.done(stage)
        values = np.full((len(points), replicates, len(self.targets.targets)), np.nan)
        missing: dict[str, list[int]] = {label: [] for label in self.scenarios}
        for p in range(len(points)):
            for label in self.scenarios:
                for r in range(replicates):
                    if (p, label, r) not in done:
                        missing[label].append(p)
                        break
        for label, wanted in missing.items():
            if not wanted:
                continue

            def record(
                spec: RunSpec, outcomes: dict[str, float], wanted: list[int] = wanted
            ) -> None:
                p = wanted[spec.run // replicates]
                mine = {k[7:]: v for k, v in outcomes.items() if k.startswith("target:")}
                params = dict(spec.parameters)
                self.store.record(stage, p, spec.scenario, spec.replicate, params, mine)
                self.runs_done += 1

            chosen = [points[p] for p in wanted]
            scenario = self.scenarios[label]
            weeks = self.weeks if every_target else self.fit_weeks
            self._ensemble(
                stage, label, scenario, record, weeks, samples=chosen, replicates=replicates
            )
        done = self.store.done(stage)
        keys = [t.key for t in self.targets.targets]
        for p in range(len(points)):
            for r in range(replicates):
                for j, t in enumerate(self.targets.targets):
                    got = done.get((p, self.labels[t.territory], r))
                    if got is not None and keys[j] in got:
                        values[p, r, j] = got[keys[j]]
        return values


# ------------------------------------------------------------------------------------------------
# Emulators


class _Emulators:
    """One Gaussian process per fitted target, on the parameters scaled to [0, 1]."""

    def __init__(self, x: np.ndarray, y: np.ndarray, seed: int) -> None:
        gp = require("sklearn.gaussian_process", "calibration's emulators")
        kernels = require("sklearn.gaussian_process.kernels", "calibration's emulators")
        self.models = []
        d = x.shape[1]
        for j in range(y.shape[1]):
            ok = np.isfinite(y[:, j])
            kernel = kernels.ConstantKernel(1.0, (1e-3, 1e3)) * kernels.Matern(
                length_scale=np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
            ) + kernels.WhiteKernel(1e-3, (1e-8, 1.0))
            model = gp.GaussianProcessRegressor(
                kernel, normalize_y=True, n_restarts_optimizer=2, random_state=seed
            )
            with warnings.catch_warnings():  # convergence notes of the optimiser on few points
                warnings.simplefilter("ignore")
                model.fit(x[ok], y[ok, j])
            self.models.append(model)

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        means, sds = [], []
        for model in self.models:
            m, s = model.predict(x, return_std=True)
            means.append(m)
            sds.append(s)
        return np.column_stack(means), np.column_stack(sds)


def implausibility(
    mean: np.ndarray, sd_em: np.ndarray, fitted: list[Target], stochastic: np.ndarray
) -> np.ndarray:
    """Implausibility of each point for each fitted target (points x targets)."""
    z = np.array([t.centre for t in fitted])
    obs = np.array([t.sd for t in fitted])
    disc = np.array([t.discrepancy * t.sd for t in fitted])
    total = obs**2 + disc**2 + stochastic**2 + sd_em**2
    return np.asarray(np.abs(z - mean) / np.sqrt(total))


# ------------------------------------------------------------------------------------------------
# Calibrate


def calibrate(
    targets: Targets | PathLike,
    scenario: Scenario | PathLike | None = None,
    *,
    out: PathLike,
    replicates: int = 4,
    screening: int = 4,
    keep: int = 6,
    waves: int = 3,
    runs_per_wave: int = 40,
    population: int = 40,
    generations: int = 3,
    draws: int = 100,
    seed: int = 1,
    threads_per_run: int = 1,
    executor: cf.Executor | None = None,
    workers: int | None = None,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> Calibration:
    """Calibrate a scenario (by default the shipped defaults, on the targets' territory) on a
    targets file; see the module doc. ``screening`` is the number of Morris trajectories (0 to
    keep every parameter), ``waves`` and ``runs_per_wave`` size history matching, ``population``
    and ``generations`` the ABC-SMC (``workers`` particles at a time: by default the cores
    divided by ``threads_per_run``), ``draws`` the posterior file. The database, the posterior
    file and the validation report are written into ``out``."""
    t0 = time.perf_counter()
    say = log or (lambda message: print(f"[calibrate] {message}", file=sys.stderr, flush=True))
    spec = targets if isinstance(targets, Targets) else load_targets(targets)
    if not spec.parameters:
        raise ConfigurationError(
            f"configuration error: {spec.source}: no [[parameter]] to calibrate",
            [(spec.source, 0, 0, "parameter", "expected at least one [[parameter]] table")],
        )
    fitted = spec.fitted()
    if not fitted:
        raise ConfigurationError(
            f'configuration error: {spec.source}: no target with use = "fit"',
            [(spec.source, 0, 0, "target", "expected at least one fitted target")],
        )
    for name, value, low in (
        ("replicates", replicates, 2),
        ("screening", screening, 0),
        ("keep", keep, 1),
        ("waves", waves, 1),
        ("runs_per_wave", runs_per_wave, 4),
        ("population", population, 4),
        ("generations", generations, 1),
        ("draws", draws, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ConfigurationError(
                f"configuration error: {name} must be an integer >= {low}, got {value!r}",
                [("", 0, 0, name, f"must be an integer >= {low}")],
            )
    base = (
        scenario
        if isinstance(scenario, Scenario)
        else load_scenario(scenario)
        if scenario is not None
        else load_scenario()
    )
    folder = check_writable(out, folder=True)
    store = Store(folder / DATABASE)
    settings = dict(
        replicates=replicates,
        screening=screening,
        keep=keep,
        waves=waves,
        runs_per_wave=runs_per_wave,
        population=population,
        generations=generations,
        seed=seed,
    )
    store.check(
        {
            "targets": sha256(spec.text),
            "scenario": sha256(base.to_toml()),
            "settings": json.dumps(settings, sort_keys=True),
        }
    )
    resumed = store.count()
    if resumed:
        say(f"resuming from {store.path}: {resumed} runs already done")
    runner = _Runner(
        spec,
        base,
        store,
        seed=seed,
        threads_per_run=threads_per_run,
        executor=executor,
        progress=progress,
        log=say,
    )
    keys_all = [p.key for p in spec.parameters]
    lows = np.array([p.low for p in spec.parameters])
    highs = np.array([p.high for p in spec.parameters])
    defaults = {k: float(base.get(k)) for k in keys_all}  # type: ignore[arg-type]
    fit_index = [i for i, t in enumerate(spec.targets) if t.use == "fit"]

    # 1. Noise and "before".
    say(f"noise: the scenario as it is, {replicates} seeds")
    before_values = runner.run("noise", [{}], replicates=replicates, every_target=True)[0]
    stochastic_all = np.nanstd(runner.scaled(before_values), axis=0, ddof=1)
    stochastic = np.nan_to_num(stochastic_all[fit_index])
    before = pd.DataFrame(before_values.T, index=[t.key for t in spec.targets])

    # 2. Screening.
    kept = keys_all
    screen_table = pd.DataFrame(index=keys_all)
    if screening > 0:
        morris_sample = require("SALib.sample.morris", "calibration's screening")
        morris = require("SALib.analyze.morris", "calibration's screening")
        problem = {
            "num_vars": len(keys_all),
            "names": keys_all,
            "bounds": [[p.low, p.high] for p in spec.parameters],
        }
        design = morris_sample.sample(problem, screening, seed=seed)
        points = [dict(zip(keys_all, map(float, row), strict=True)) for row in design]
        say(f"screening: Morris, {screening} trajectories, {len(points)} runs")
        y = runner.scaled(runner.run("screening", points)[:, 0, :])
        for j in fit_index:
            t = spec.targets[j]
            ok = np.isfinite(y[:, j])
            if not ok.all():
                raise CoopterraError(f"screening runs failed for target {t.key}: see the log")
            result = morris.analyze(problem, design, y[:, j], seed=seed)
            screen_table[t.key] = np.asarray(result["mu_star"]) / t.sd
        score = screen_table.max(axis=1).sort_values(ascending=False)
        kept = list(score.index[: min(keep, len(keys_all))])
        say("screening kept " + ", ".join(f"{k} ({score[k]:.2f})" for k in kept))
    index = [keys_all.index(k) for k in kept]
    lo, hi = lows[index], highs[index]

    def scaled(x: np.ndarray) -> np.ndarray:
        return np.asarray((x - lo) / (hi - lo))

    def point(row: np.ndarray) -> dict[str, float]:
        values = dict(defaults)
        values.update({k: float(v) for k, v in zip(kept, row, strict=True)})
        return values

    # 3. History matching.
    qmc = require("scipy.stats.qmc", "calibration's designs")
    fitted_targets = [spec.targets[j] for j in fit_index]
    reference = lo + (hi - lo) * qmc.LatinHypercube(d=len(kept), seed=seed).random(20_000)
    emulators: list[_Emulators] = []
    history: list[Wave] = []
    checks: list[dict[str, Any]] = []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []

    def plausible(x: np.ndarray) -> np.ndarray:
        keep_mask = np.ones(len(x), dtype=bool)
        for emulator in emulators:
            mean, sd = emulator.predict(scaled(x))
            keep_mask &= implausibility(mean, sd, fitted_targets, stochastic).max(axis=1) < (
                spec.cutoff
            )
        return keep_mask

    for w in range(1, waves + 1):
        tw = time.perf_counter()
        candidates = lo + (hi - lo) * qmc.LatinHypercube(d=len(kept), seed=seed + w).random(
            max(2000, 50 * runs_per_wave)
        )
        candidates = candidates[plausible(candidates)]
        if len(candidates) < runs_per_wave // 2:
            say(f"wave {w}: only {len(candidates)} non-implausible candidates left; stopping")
            break
        design = candidates[:runs_per_wave]
        say(f"wave {w}: {len(design)} runs")
        y = runner.scaled(runner.run(f"wave{w}", [point(row) for row in design])[:, 0, :])
        if emulators:  # the previous wave's emulators predicting this wave's runs: diagnostics
            mean, sd = emulators[-1].predict(scaled(design))
            for j, t in enumerate(fitted_targets):
                for i in range(len(design)):
                    checks.append(
                        {
                            "wave": w,
                            "target": t.key,
                            "run": i,
                            "simulated": float(y[i, fit_index[j]]),
                            "predicted": float(mean[i, j]),
                            "emulator_sd": float(sd[i, j]),
                            "z": float((y[i, fit_index[j]] - mean[i, j]) / max(sd[i, j], 1e-12)),
                        }
                    )
        xs.append(design)
        ys.append(y[:, fit_index])
        x_all, y_all = np.vstack(xs), np.vstack(ys)
        for j, t in enumerate(fitted):  # no emulator fits on no value: say which target, and why
            if not np.isfinite(y_all[:, j]).any():
                raise CoopterraError(
                    f"target {t.key}: no run gave a finite value of {t.indicator!r} (a division "
                    "by zero, or every run failed: see the log)"
                )
        inside = plausible(x_all)
        if inside.sum() < 2 * len(kept) + 2:  # too few runs left inside to fit on: use them all
            inside[:] = True
        emulators.append(_Emulators(scaled(x_all[inside]), y_all[inside], seed))
        fraction = float(plausible(reference).mean())
        history.append(Wave(w, len(design), fraction, time.perf_counter() - tw))
        say(f"wave {w}: non-implausible fraction of the box {fraction:.3f}")
        store.put(f"wave{w}_fraction", repr(fraction))
    region = reference[plausible(reference)]
    if len(region) == 0:
        raise CoopterraError(
            "history matching ruled out every point: no parameter values within the ranges "
            "reach every fitted target at once (see the waves' emulators; widen the ranges, "
            'raise the discrepancy, or mark a target use = "validate")'
        )
    box_lo, box_hi = region.min(axis=0), region.max(axis=0)
    box_hi = np.where(box_hi > box_lo, box_hi, box_lo + 1e-9)

    # 4. ABC-SMC.
    posterior_values = _abc(
        spec,
        runner,
        store,
        kept,
        box_lo,
        box_hi,
        point,
        plausible,
        fit_index,
        stochastic,
        population=population,
        generations=generations,
        seed=seed,
        workers=workers or max(1, available_cores() // max(1, threads_per_run)),
        say=say,
    )
    rng = np.random.default_rng(seed)
    particles, weights = posterior_values
    chosen = rng.choice(len(particles), size=draws, replace=True, p=weights / weights.sum())
    values = particles[chosen]
    checksum = _territory_checksum(runner)
    from coopterra import __version__

    attrs = {
        "targets_name": spec.name,
        "targets_file": Path(spec.source).name,
        "targets_sha256": sha256(spec.text),
        "targets_text": spec.text,
        "territory": Path(spec.territory).name if spec.territory else "the scenario's",
        "territory_checksum": checksum,
        "scenario_sha256": sha256(base.to_toml()),
        "coopterra_version": __version__,
        "git_revision": engine_revision(),
        "method": (
            f"Morris screening ({screening} trajectories) of {len(keys_all)} parameters, kept "
            f"{len(kept)}; history matching, {len(history)} waves of up to {runs_per_wave} runs "
            f"(GP emulators, implausibility cutoff {spec.cutoff}); ABC-SMC (pyabc), "
            f"{generations} generations of {population} particles; {draws} draws resampled "
            "by weight"
        ),
        "waves": json.dumps([w.__dict__ for w in history]),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    path = write_posterior(folder / POSTERIOR, kept, values, attrs)
    from coopterra.posterior import load_posterior

    posterior = load_posterior(path)

    # The calibrated model's distribution: the baseline at distinct draws, each at its seed.
    k = min(draws, max(replicates, 8))
    say(f"validation: {k} runs at posterior draws, draw r at seed {seed} + r")
    after_values = runner.run_draws("after", posterior, k)
    after = pd.DataFrame(after_values.T, index=[t.key for t in spec.targets])
    calibration = Calibration(
        spec,
        kept,
        {k_: (float(a), float(b)) for k_, a, b in zip(kept, box_lo, box_hi, strict=True)},
        screen_table,
        history,
        posterior,
        before,
        after,
        store.count(),
        runner.runs_done,
        time.perf_counter() - t0,
        folder,
        dict(zip([t.key for t in spec.targets], map(float, stochastic_all), strict=True)),
        pd.DataFrame(checks),
    )
    from coopterra.validation import write_validation_report

    write_validation_report(calibration, folder / VALIDATION)
    return calibration


def _abc(
    spec: Targets,
    runner: _Runner,
    store: Store,
    kept: list[str],
    box_lo: np.ndarray,
    box_hi: np.ndarray,
    point: Callable[[np.ndarray], dict[str, float]],
    plausible: Callable[[np.ndarray], np.ndarray],
    fit_index: list[int],
    stochastic: np.ndarray,
    *,
    population: int,
    generations: int,
    seed: int,
    workers: int,
    say: Callable[[str], None],
) -> tuple[np.ndarray, np.ndarray]:
    """ABC-SMC inside the non-implausible region; returns the last generation's particles and
    weights."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyabc = require("pyabc", "calibration's ABC-SMC")
    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon"):
        logging.getLogger(name).setLevel(logging.WARNING)  # our own lines say what it does
    names = [f"p{i}" for i in range(len(kept))]  # pyabc's parameter names: no dots
    prior = pyabc.Distribution(
        **{
            n: pyabc.RV("uniform", float(a), float(b - a))
            for n, a, b in zip(names, box_lo, box_hi, strict=True)
        }
    )
    fitted = [spec.targets[j] for j in fit_index]
    scale = np.sqrt(np.array([t.sd**2 * (1 + t.discrepancy**2) for t in fitted]) + stochastic**2)
    observed = {t.key: t.centre for t in fitted}
    lock = threading.Lock()
    counter = [store.count()]

    def model(parameters: dict[str, float]) -> dict[str, float]:
        row = np.array([parameters[n] for n in names])
        if not plausible(row[None, :])[0]:  # ruled out by history matching: not run
            return {t.key: math.inf for t in fitted}
        with lock:  # each evaluation is its own stage in the database
            counter[0] += 1
            stage = f"abc{counter[0]}"
        values = runner.scaled(runner.run(stage, [point(row)], replicates=1))
        return {t.key: float(values[0, 0, j]) for t, j in zip(fitted, fit_index, strict=True)}

    def distance(x: dict[str, float], x0: dict[str, float]) -> float:
        z = np.array([(x[t.key] - x0[t.key]) for t in fitted]) / scale
        return float(np.sqrt(np.mean(z**2))) if np.isfinite(z).all() else math.inf

    np.random.seed(seed)
    # Particles are evaluated by a pool of local threads, each waiting on its run: on this
    # machine's cores (a run releases the GIL), or on ``executor`` (a Dask cluster) when given.
    pool = cf.ThreadPoolExecutor(max_workers=workers)
    sampler = _thread_sampler(pyabc, pool, workers)
    abc = pyabc.ABCSMC(model, prior, distance, population_size=population, sampler=sampler)
    db = f"sqlite:///{store.path}"
    previous = store.get("abc_run_id")
    if previous is not None:
        abc.load(db, int(previous))
        done = abc.history.max_t + 1
    else:
        history = abc.new(db, observed)
        store.put("abc_run_id", str(history.id))
        done = 0
    try:
        if done < generations:
            say(f"ABC-SMC: generations {done + 1} to {generations} of {population} particles")
            abc.run(max_nr_populations=generations - done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    populations = abc.history.get_all_populations()
    for _, row in populations[populations["t"] >= 0].iterrows():
        say(
            f"ABC-SMC generation {int(row['t']) + 1}: epsilon {row['epsilon']:.3f}, "
            f"{int(row['samples'])} runs proposed"
        )
    frame, weights = abc.history.get_distribution(m=0, t=abc.history.max_t)
    particles = frame[names].to_numpy(dtype=float)
    return particles, np.asarray(weights, dtype=float)


def _thread_sampler(pyabc: Any, pool: cf.ThreadPoolExecutor, workers: int) -> Any:
    """A pyabc sampler evaluating ``workers`` particles at a time on local threads (each waits
    on its run, which releases the GIL or goes to the executor): nothing is pickled. Particles
    are kept in the order they were proposed, up to the n-th accepted one, so that fast runs are
    not favoured over slow ones (the bias of dynamic scheduling, Klinger et al. 2018)."""

    class ThreadSampler(pyabc.sampler.Sampler):  # type: ignore[misc]
        def sample_until_n_accepted(
            self,
            n: int,
            simulate_one: Callable[[], Any],
            t: int,
            *,
            max_eval: float = np.inf,
            all_accepted: bool = False,
            ana_vars: Any = None,
        ) -> Any:
            del t, all_accepted, ana_vars
            results: dict[int, Any] = {}
            running: dict[cf.Future[Any], int] = {}
            submitted = accepted = 0
            while True:
                while len(running) < workers and accepted < n and submitted < max_eval:
                    running[pool.submit(simulate_one)] = submitted
                    submitted += 1
                if not running:
                    break
                finished, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    results[running.pop(future)] = future.result()
                accepted = sum(1 for r in results.values() if r.accepted)
            sample = self._create_empty_sample()
            count = 0
            for i in sorted(results):
                sample.append(results[i])
                count += results[i].accepted
                if count >= n:
                    break
            self.nr_evaluations_ = len(results)
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return ThreadSampler()


def _territory_checksum(runner: _Runner) -> str:
    from coopterra import _core

    out = []
    for scenario in runner.scenarios.values():
        out.append(_core.build_territory(scenario._core, 1).checksum())
    return ",".join(out)


def validation_table(targets: Targets, before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per target: value and interval, the model before and after (median, 5-95 %),
    whether the calibrated median lies in the interval."""
    rows = []
    for t in targets.targets:
        b = before.loc[t.key].to_numpy(dtype=float)
        a = after.loc[t.key].to_numpy(dtype=float)
        median = float(np.nanmedian(a)) if np.isfinite(a).any() else math.nan
        rows.append(
            {
                "target": t.key,
                "use": t.use,
                "value": t.value,
                "low": t.low,
                "high": t.high,
                "unit": t.unit,
                "before": float(np.nanmedian(b)) if np.isfinite(b).any() else math.nan,
                "before_q05": float(np.nanquantile(b, 0.05)) if np.isfinite(b).any() else math.nan,
                "before_q95": float(np.nanquantile(b, 0.95)) if np.isfinite(b).any() else math.nan,
                "after": median,
                "after_q05": float(np.nanquantile(a, 0.05)) if np.isfinite(a).any() else math.nan,
                "after_q95": float(np.nanquantile(a, 0.95)) if np.isfinite(a).any() else math.nan,
                "passes": bool(t.low <= median <= t.high),
                "source": t.source,
            }
        )
    return pd.DataFrame(rows).set_index("target")
