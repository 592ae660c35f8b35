"""Ensembles: many runs of scenarios, replicates and parameter values, on threads or a cluster.

>>> ens = run_ensemble({"baseline": "scenarios/baseline.toml"}, replicates=4, out="results/ens")
>>> ens.table()          # one row per run: scenario, replicate, seed, parameters, outcomes
>>> ens.dataset()        # every run's indicators along a "run" dimension

Runs are independent tasks given to a ``concurrent.futures.Executor``: by default a thread pool
in this process (a run releases the GIL, so threads run in parallel without pickling), or any
executor you pass, such as a Dask cluster's ``distributed.Client(...).get_executor()``. A task
carries only text and numbers (the resolved scenario, the seed, the thread count), so it travels
to any worker; each run writes its own results file into ``out`` as soon as it finishes, so an
ensemble never holds every run in memory. The thread count of each run is passed explicitly,
never read from the environment. A run that fails is reported with its id and reason.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import functools
import html
import itertools
import os
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import xarray as xr

from coopterra._files import check_writable
from coopterra.errors import ConfigurationError
from coopterra.outcomes import HEADLINES
from coopterra.posterior import Posterior, load_posterior
from coopterra.reduce import Reducible
from coopterra.results import open_results, stack_runs
from coopterra.scenario import PathLike, Scenario, Value, load_scenario, scenario_from_text
from coopterra.simulation import InputsCache


@dataclass(frozen=True)
class RunSpec:
    """One run of an ensemble: everything a worker needs, as plain picklable values."""

    run: int
    scenario: str
    replicate: int
    seed: int
    parameters: tuple[tuple[str, Value], ...]
    scenario_toml: str
    threads: int
    weeks: int | None
    path: str
    # Extra indicators (name, expression, first year, last year) read from the run's results
    # besides the headlines: calibration targets (coopterra.targets).
    indicators: tuple[tuple[str, str, int, int], ...] = ()
    draw: int = -1  # the posterior draw the run's parameters come from, -1 for none
    # The run's point of the parameter grid or samples (the posterior's draw apart): the runs of
    # one scenario at one point are its replicates.
    point: tuple[tuple[str, Value], ...] = ()

    def group(self) -> str:
        """The scenario, and the point of the grid or samples when there is one: the label of
        the replicates that ``reduce`` and ``plot`` take together."""
        if not self.point:
            return self.scenario
        return f"{self.scenario} ({', '.join(f'{k}={v}' for k, v in self.point)})"


@dataclass(frozen=True)
class RunFailure:
    run: int
    scenario: str
    replicate: int
    seed: int
    reason: str


@dataclass
class Ensemble(Reducible):
    """The runs of an ensemble: their specifications, files, outcomes and failures."""

    runs: list[RunSpec]
    out: Path
    outcomes: dict[int, dict[str, float]] = field(default_factory=dict)
    failures: list[RunFailure] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """One row per successful run: run, scenario, replicate, seed, parameters, outcomes."""
        rows = []
        for spec in self.runs:
            if spec.run not in self.outcomes:
                continue
            row: dict[str, Any] = {
                "run": spec.run,
                "scenario": spec.scenario,
                "replicate": spec.replicate,
                "seed": spec.seed,
            }
            if spec.draw >= 0:
                row["draw"] = spec.draw
            row.update(dict(spec.parameters))
            row.update(self.outcomes[spec.run])
            rows.append(row)
        return pd.DataFrame(rows)

    def _runs_for_reduction(self) -> tuple[dict[str, list[xr.Dataset]], None]:
        runs: dict[str, list[xr.Dataset]] = {}
        for spec in self.runs:
            if spec.run in self.outcomes:
                runs.setdefault(spec.group(), []).append(open_results(spec.path))
        return runs, None

    def _repr_html_(self) -> str:
        """In Jupyter: how many runs, which failed, and the first rows of the table."""
        failed = "".join(
            f"<li>run {f.run} ({html.escape(f.scenario)}, seed {f.seed}): "
            f"{html.escape(f.reason.splitlines()[0] if f.reason else '')}</li>"
            for f in self.failures
        )
        table = self.table()
        head = table.head(10).to_html(index=False) if not table.empty else "<p>No run.</p>"
        return (
            f"<p>Ensemble of <b>{len(self.runs)}</b> runs ({len(self.outcomes)} done, "
            f"{len(self.failures)} failed) in {html.escape(str(self.out))}.</p>"
            + (f"<ul>{failed}</ul>" if failed else "")
            + head
        )

    def dataset(self) -> xr.Dataset:
        """Every successful run's indicators, stacked along a ``run`` dimension, with the run's
        scenario, replicate, seed and parameter values as coordinates along it."""
        done = [s for s in self.runs if s.run in self.outcomes]
        coords: dict[str, list[Any]] = {
            "scenario": [s.scenario for s in done],
            "replicate": [s.replicate for s in done],
            "seed": [s.seed for s in done],
        }
        for key in sorted({k for s in done for k, _ in s.parameters}):
            coords[key] = [dict(s.parameters).get(key) for s in done]
        combined = stack_runs([open_results(s.path) for s in done], coords)
        return combined.assign_coords(run=[s.run for s in done])


def expand_runs(
    scenarios: Mapping[str, Scenario | PathLike] | Sequence[Scenario | PathLike],
    *,
    replicates: int = 1,
    parameters: Mapping[str, Value | Sequence[Value]] | None = None,
    samples: Sequence[Mapping[str, Value]] | None = None,
    seed: int = 1,
    threads_per_run: int = 1,
    weeks: int | None = None,
    out: Path,
    posterior: Posterior | None = None,
    indicators: Sequence[tuple[str, str, int, int]] = (),
) -> list[RunSpec]:
    """The runs of an ensemble: scenarios x parameter grid x replicates. A parameter given as a
    list is scanned; a single value applies to every run. Replicate r runs with seed ``seed + r``
    in every scenario and parameter set (common random numbers). To scan a key whose values are
    lists (``territory.select.epcis``), give a list of lists. With a ``posterior``, replicate r
    also runs at the posterior's draw r (cycling when there are more replicates than draws), the
    same draw in every scenario: paired in their parameters as in their seeds."""
    if samples is not None and parameters:
        raise ValueError("give either parameters (a grid) or samples (points), not both")
    named = _named(scenarios)
    grid_keys: list[str] = []
    grid_values: list[list[Value]] = []
    fixed: dict[str, Value] = {}
    for key, value in (parameters or {}).items():
        if isinstance(value, np.ndarray):  # a grid from np.linspace: a list
            value = value.tolist()
        if isinstance(value, list | tuple):  # scanned (a list-valued key: give a list of lists)
            grid_keys.append(key)
            grid_values.append(list(value))
        else:
            fixed[key] = cast(Value, value)
    points: list[dict[str, Value]] = (
        [dict(s) for s in samples]
        if samples is not None
        else [
            dict(zip(grid_keys, combo, strict=True))
            for combo in (itertools.product(*grid_values) if grid_keys else [()])
        ]
    )
    runs: list[RunSpec] = []
    for name, scenario in named.items():
        scenario = with_horizon(scenario, weeks)
        for values in points:
            resolved = (
                scenario.with_overrides({**fixed, **values}) if (fixed or values) else scenario
            )
            text = resolved.to_toml()
            for r in range(replicates):
                run = len(runs)
                draw, chosen = -1, dict(values)
                if posterior is not None:  # replicate r runs at draw r in every scenario
                    draw = r % len(posterior)
                    chosen.update(posterior.draw(draw))
                    text = resolved.with_overrides(posterior.draw(draw)).to_toml()
                runs.append(
                    RunSpec(
                        run,
                        name,
                        r,
                        seed + r,
                        tuple(chosen.items()),
                        text,
                        threads_per_run,
                        weeks,
                        str(out / f"run-{run:06d}.h5"),
                        tuple(indicators),
                        draw,
                        tuple(values.items()),
                    )
                )
    return runs


def with_horizon(scenario: Scenario, weeks: int | None) -> Scenario:
    """The scenario run for ``weeks`` weeks: when they go beyond its ``run.weeks``, the horizon
    moves with them, so what is "until the end" (a policy's ``end_week = 0``) lasts to the end of
    the run and the stored scenario says how long it ran. A shorter run keeps the scenario."""
    if weeks is not None and weeks > scenario.integer("run.weeks"):
        return scenario.with_overrides({"run.weeks": weeks})
    return scenario


def run_one(
    spec: RunSpec, cache: InputsCache | None = None
) -> tuple[int, dict[str, float] | None, str | None]:
    """Runs one task (in a thread of this process or on a remote worker): writes its results
    file and returns (run, outcomes, None), or (run, None, reason) when it fails. ``cache``
    shares territories and populations with the other runs of this process."""
    from coopterra.simulation import Simulation

    try:
        scenario = scenario_from_text(spec.scenario_toml, f"run {spec.run} ({spec.scenario})")
        sim = Simulation(scenario, seed=spec.seed, threads=spec.threads, cache=cache)
        sim.run(spec.weeks)
        ds = sim.results()
        sim.write(spec.path)
        outcomes = {h.name: float(h.value(ds)) for h in HEADLINES}
        if spec.indicators:
            from coopterra.targets import evaluate

            for name, expression, first, last in spec.indicators:
                outcomes[name] = evaluate(expression, ds, (first, last))
        return spec.run, outcomes, None
    except Exception as e:  # reported by run id, never dropped
        return spec.run, None, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or a batch job sets
    it), not the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def run_ensemble(
    scenarios: Mapping[str, Scenario | PathLike] | Sequence[Scenario | PathLike],
    *,
    replicates: int = 1,
    parameters: Mapping[str, Value | Sequence[Value]] | None = None,
    samples: Sequence[Mapping[str, Value]] | None = None,
    seed: int = 1,
    threads_per_run: int | None = None,
    weeks: int | None = None,
    executor: cf.Executor | None = None,
    out: PathLike | None = None,
    progress: bool = True,
    posterior: Posterior | PathLike | None = None,
    indicators: Sequence[tuple[str, str, int, int]] = (),
    on_run: Callable[[RunSpec, dict[str, float]], None] | None = None,
    cache: InputsCache | None = None,
) -> Ensemble:
    """Run every combination of scenario, parameter values and replicate; see the module doc.

    ``samples``, a list of {key: value} points (from a sampling design), replaces the grid of
    ``parameters``: each scenario runs at each point. ``posterior`` (a
    :class:`~coopterra.posterior.Posterior` or its file, from ``coopterra calibrate``) runs
    replicate r at draw r, so the spread of the runs carries the parameters' uncertainty with
    the seeds'. ``indicators`` are extra (name, expression, first year, last year) outcomes
    (``coopterra.targets``); ``on_run(spec, outcomes)`` is called as each run succeeds.

    ``threads_per_run`` None (the default) chooses: on this machine's thread pool, as many runs
    at a time as there are cores available to this process (runs side by side scale better than
    threads within a run), the cores divided between them when there are fewer runs; on an
    ``executor``, 1. The local runs share one territory and population per (territory, seed)
    through ``cache`` (an :class:`InputsCache`, by default one for this ensemble): give the same
    cache to successive ensembles of the same territory to build it once for all."""
    if threads_per_run is not None and (
        isinstance(threads_per_run, bool)
        or not isinstance(threads_per_run, int)
        or threads_per_run < 1
    ):
        raise ConfigurationError(
            f"configuration error: threads_per_run must be an integer >= 1 or None, "
            f"got {threads_per_run!r}",
            [
                (
                    "",
                    0,
                    0,
                    "threads_per_run",
                    f"must be an integer >= 1 or None, got {threads_per_run!r}",
                )
            ],
        )
    if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
        raise ConfigurationError(
            f"configuration error: replicates must be an integer >= 1, got {replicates!r}",
            [("", 0, 0, "replicates", f"must be an integer >= 1, got {replicates!r}")],
        )
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="coopterra-ensemble-"))
    check_writable(folder, folder=True)
    if posterior is not None and not isinstance(posterior, Posterior):
        posterior = load_posterior(posterior)
    own = executor is None
    runs = expand_runs(
        scenarios,
        replicates=replicates,
        parameters=parameters,
        samples=samples,
        seed=seed,
        threads_per_run=threads_per_run or 1,
        weeks=weeks,
        out=folder,
        posterior=posterior,
        indicators=indicators,
    )
    cores = available_cores()
    if threads_per_run is None and own and 0 < len(runs) < cores:
        # Fewer runs than cores: every core to some run, the first runs taking what is left over.
        share, extra = divmod(cores, len(runs))
        runs = [dataclasses.replace(r, threads=share + (i < extra)) for i, r in enumerate(runs)]
    ensemble = Ensemble(runs, folder)
    task: Callable[[RunSpec], tuple[int, dict[str, float] | None, str | None]] = run_one
    if own:
        workers = max(1, min(len(runs), cores // max(1, min((r.threads for r in runs), default=1))))
        executor = cf.ThreadPoolExecutor(max_workers=workers)
        task = functools.partial(run_one, cache=cache if cache is not None else InputsCache())
    assert executor is not None
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(runs), unit="run", desc="ensemble")
    futures: dict[cf.Future[Any], RunSpec] = {}
    try:
        futures = {executor.submit(task, spec): spec for spec in runs}
        for future in cf.as_completed(futures):
            spec = futures[future]
            try:
                run, outcomes, reason = future.result()
            except Exception as e:  # the executor itself failed this task
                run, outcomes, reason = spec.run, None, f"{type(e).__name__}: {e}"
            if outcomes is not None:
                ensemble.outcomes[run] = outcomes
                if on_run is not None:
                    on_run(spec, outcomes)
            else:
                ensemble.failures.append(
                    RunFailure(spec.run, spec.scenario, spec.replicate, spec.seed, reason or "")
                )
            if bar is not None:
                bar.update(1)
    except BaseException:  # Ctrl-C or a broken executor: drop the runs not yet started
        for future in futures:
            future.cancel()
        raise
    finally:
        if bar is not None:
            bar.close()
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
    ensemble.failures.sort(key=lambda f: f.run)
    return ensemble


def _named(
    scenarios: Mapping[str, Scenario | PathLike] | Iterable[Scenario | PathLike],
) -> dict[str, Scenario]:
    items = scenarios.items() if isinstance(scenarios, Mapping) else ((None, s) for s in scenarios)
    out: dict[str, Scenario] = {}
    for name, s in items:
        scenario = s if isinstance(s, Scenario) else load_scenario(s)
        key = name or scenario.name
        while key in out:
            key += "'"
        out[key] = scenario
    return out
