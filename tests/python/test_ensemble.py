"""Ensembles on a thread pool and on a real Dask cluster started on loopback."""

from __future__ import annotations

import concurrent.futures as cf
import datetime
import os
import signal
import threading
import time

import numpy as np
import pytest

import coopterra
from coopterra.ensemble import available_cores, run_ensemble

from conftest import SCENARIOS


def scenarios(residents: int = 10_000) -> dict[str, coopterra.Scenario]:
    over = {"territory.residents": residents, "territory.zones": 20, "run.weeks": 26}
    return {
        name: coopterra.load_scenario(SCENARIOS / f"{name}.toml", overrides=over)
        for name in ("baseline", "carpool_support")
    }


def test_ensemble_table_dataset_and_grid(tmp_path):
    ens = run_ensemble(
        scenarios(),
        replicates=2,
        parameters={"carpool.asc": [-2.5, -1.5]},
        out=tmp_path,
        progress=False,
    )
    assert ens.failures == []
    table = ens.table()
    assert len(table) == 2 * 2 * 2
    assert set(table.columns) >= {
        "run",
        "scenario",
        "replicate",
        "seed",
        "carpool.asc",
        "CO2e of commuting",
        "public money spent",
    }
    # Replicate r has seed 1 + r in every scenario and grid point: common random numbers.
    assert (table["seed"] == 1 + table["replicate"]).all()
    ds = ens.dataset()
    assert ds.sizes["run"] == 8 and ds["co2e"].dims == ("run", "week")
    assert list(ds["scenario"].values[:4]) == ["baseline"] * 4
    # A higher constant of carpooling means more carpoolers, all else equal.
    t = table.set_index(["scenario", "replicate", "carpool.asc"])
    lo = t.xs(-2.5, level="carpool.asc")["carpoolers via the cooperative (last week)"]
    hi = t.xs(-1.5, level="carpool.asc")["carpoolers via the cooperative (last week)"]
    assert (hi > lo).all()
    assert len(list(tmp_path.glob("run-*.h5"))) == 8  # streamed to disk, one file per run
    # The seed each file records is the one its row says (the run actually used it).
    ordered = table.sort_values("run")
    for path, seed in zip(sorted(tmp_path.glob("run-*.h5")), ordered["seed"], strict=True):
        assert coopterra.open_results(path).attrs["seed"] == seed
    # Quantiles are over the replicates of one scenario at one point of the grid, never across
    # the grid's points.
    reduced = ens.reduce(quantiles=(0.0, 1.0), variables=["commuters"], totals=True)
    groups = [str(g) for g in reduced["scenario"].values]
    assert len(groups) == 4 and "baseline (carpool.asc=-2.5)" in groups
    for (name, asc), rows in table.groupby(["scenario", "carpool.asc"]):
        runs = [coopterra.open_results(tmp_path / f"run-{r:06d}.h5") for r in rows["run"]]
        last = [float(ds["commuters"].sum("mode")[-1]) for ds in runs]
        band = reduced["commuters"].sel(scenario=f"{name} (carpool.asc={asc})").isel(week=-1)
        assert float(band.sel(quantile=0.0)) == min(last)
        assert float(band.sel(quantile=1.0)) == max(last)


def test_parameters_and_overrides_may_be_numpy_values_and_dates(tmp_path):
    # A grid from np.linspace, NumPy scalars and a date are what a notebook passes.
    s = coopterra.load_scenario(
        SCENARIOS / "baseline.toml",
        overrides={
            "carpool.asc": np.float64(-2.0),
            "territory.residents": np.int64(3000),
            "run.start_date": datetime.date(2024, 2, 29),
        },
    )
    assert s.get("carpool.asc") == -2.0 and s.get("territory.residents") == 3000
    assert str(s.get("run.start_date")) == "2024-02-29"
    ens = run_ensemble(
        [s],
        parameters={"carpool.asc": np.linspace(-2.5, -1.5, 2)},
        weeks=2,
        out=tmp_path,
        progress=False,
    )
    assert ens.failures == [] and sorted(ens.table()["carpool.asc"]) == [-2.5, -1.5]


def test_a_failed_run_is_reported_not_dropped(tmp_path):
    good = scenarios()["baseline"]
    bad = good.with_toml_overrides([])  # same, plus a policy aimed at a commune that does not exist
    bad = coopterra.scenario_from_text(
        good.to_toml() + '\n[[policies]]\nkind = "platform_tax"\nplatform = "incumbent"\n'
        'rate = 0.1\nzones = ["99999"]\n',
        "bad.toml",
    )
    ens = run_ensemble({"good": good, "bad": bad}, replicates=2, out=tmp_path, progress=False)
    assert len(ens.outcomes) == 2
    assert [(f.run, f.scenario) for f in ens.failures] == [(2, "bad"), (3, "bad")]
    assert "commune '99999' is not in the territory" in ens.failures[0].reason


def test_thread_pool_matches_sequential_runs(tmp_path):
    pooled = run_ensemble(
        scenarios(),
        replicates=2,
        out=tmp_path / "pool",
        progress=False,
        executor=cf.ThreadPoolExecutor(max_workers=2),
    )
    serial = run_ensemble(
        scenarios(),
        replicates=2,
        out=tmp_path / "serial",
        progress=False,
        executor=cf.ThreadPoolExecutor(max_workers=1),
    )
    a, b = pooled.table().sort_values("run"), serial.table().sort_values("run")
    np.testing.assert_array_equal(
        a.drop(columns=["run"]).to_numpy(), b.drop(columns=["run"]).to_numpy()
    )


def test_dask_cluster_survives_a_killed_worker(dask_cluster, tmp_path):
    client, workers = dask_cluster
    named = scenarios(residents=60_000)
    out = tmp_path / "dask"
    out.mkdir()

    def kill_when_under_way() -> None:
        # Once two runs have finished (of twelve), kill one worker: its tasks go to the other.
        deadline = time.time() + 120
        while len(list(out.glob("run-*.h5"))) < 2 and time.time() < deadline:
            time.sleep(0.05)
        os.killpg(workers[0].pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_under_way)
    killer.start()
    remote = run_ensemble(
        named, replicates=6, out=out, progress=False, executor=client.get_executor()
    )
    killer.join()
    assert workers[0].wait(timeout=30) == -signal.SIGKILL  # it was killed, not finished
    assert remote.failures == []
    local = run_ensemble(named, replicates=6, out=tmp_path / "local", progress=False)
    a, b = remote.table().sort_values("run"), local.table().sort_values("run")
    assert len(a) == 12
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())  # identical, run for run


def test_threads_per_run_chosen_from_the_runs_and_cores(tmp_path):
    """Fewer runs than cores share the cores; more runs go one thread each, side by side; a
    number given is kept. The results do not depend on it."""
    cores = available_cores()
    base = {"baseline": scenarios(6000)["baseline"]}
    one = run_ensemble(base, replicates=1, weeks=4, out=tmp_path / "one", progress=False)
    many = run_ensemble(base, replicates=cores + 1, weeks=4, out=tmp_path / "many", progress=False)
    fixed = run_ensemble(
        base, replicates=1, weeks=4, threads_per_run=1, out=tmp_path / "fixed", progress=False
    )
    assert [r.threads for r in one.runs] == [cores]
    assert {r.threads for r in many.runs} == {1}
    assert [r.threads for r in fixed.runs] == [1]
    a, b = one.dataset(), fixed.dataset()
    assert np.array_equal(a["co2e"].values, b["co2e"].values)
    with pytest.raises(coopterra.ConfigurationError, match="threads_per_run"):
        run_ensemble(base, threads_per_run=0, out=tmp_path / "zero", progress=False)


def test_successive_ensembles_share_a_cache(tmp_path):
    base = {"baseline": scenarios(6000)["baseline"]}
    cache = coopterra.InputsCache()
    for i in range(2):
        ens = run_ensemble(
            base, replicates=2, weeks=2, cache=cache, out=tmp_path / str(i), progress=False
        )
        assert ens.failures == []
    assert cache.builds == 3  # the territory, then a population for each of the two seeds
    assert cache.hits == 5


def test_inputs_cache_shares_and_changes_nothing():
    """Runs given one InputsCache build a territory and population once per seed; their results
    are those of runs without it."""
    scenario = scenarios(8000)["carpool_support"]
    cache = coopterra.InputsCache()
    runs = [coopterra.Simulation(scenario, seed=s, threads=1, cache=cache) for s in (5, 5, 6)]
    assert (cache.builds, cache.hits) == (3, 3)  # one territory, two populations
    alone = coopterra.Simulation(scenario, seed=5, threads=2)
    for sim in (runs[0], alone):
        sim.run(weeks=5)
    a, b = runs[0].results(), alone.results()
    for name in ("co2e", "commuters", "purchases", "carpool_drivers"):
        assert np.array_equal(a[name].values, b[name].values), name
    assert runs[1].population().equals(runs[0].population())
    assert not runs[2].population().equals(runs[0].population())
