"""Calibration: targets files, coopterra calibrate (screening, history matching, ABC-SMC) with
its resumable database, posterior files, and comparisons whose replicates run at posterior draws.

The calibrations here run on a small synthetic territory (4,000 residents, two years) with a
small budget: they check the machinery, not the Drôme's posterior (docs/calibration.md)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import coopterra
from coopterra.calibrate import DATABASE, POSTERIOR, VALIDATION, calibrate
from coopterra.errors import ConfigurationError
from coopterra.posterior import load_posterior, write_posterior
from coopterra.targets import evaluate, load_targets, targets_from_text

from conftest import ROOT, run_cli, shared_data

TARGETS = ROOT / "data" / "targets" / "drome.toml"

SMALL_TARGETS = r'''schema = "coopterra-targets/1"
name = "small"

[[parameter]]
key = "carpool.informal_asc"
low = -2.6
high = -0.6

[[parameter]]
key = "carpool.asc"
low = -7.5
high = -3.5

[[parameter]]
key = "markets.delivery.incumbent.asc"
low = -2.2
high = 0.2

[[target]]
key = "carpool_share"
indicator = "mean(carpool_share)"
years = [2, 2]
value = 0.10
low = 0.07
high = 0.13
source = "ENTD 2008"

[[target]]
key = "meal_delivery"
indicator = """
    total(purchase_spending, channel_market='delivery', channel_kind=['cooperative', 'incumbent']) \
    / total(purchase_spending, channel_market='delivery', \
            channel_kind=['offline', 'cooperative', 'incumbent'])"""
years = [2, 2]
value = 0.175
low = 0.13
high = 0.22
source = "Food Service Vision"

[[target]]
key = "occupancy"
indicator = """(total(vehicle_km_alone) + total(vehicle_km_carpool) \
    + total(passenger_km_carpool)) / (total(vehicle_km_alone) + total(vehicle_km_carpool))"""
years = [2, 2]
value = 1.08
low = 1.04
high = 1.12
source = "ADEME"
use = "validate"

[[target]]
key = "occupancy_year_3"
indicator = """(total(vehicle_km_alone) + total(vehicle_km_carpool) \
    + total(passenger_km_carpool)) / (total(vehicle_km_alone) + total(vehicle_km_carpool))"""
years = [3, 3]
value = 1.08
low = 1.04
high = 1.12
source = "ADEME"
use = "validate"
'''

BUDGET = dict(
    replicates=2,
    screening=2,
    keep=3,
    waves=2,
    runs_per_wave=10,
    population=8,
    generations=2,
    draws=20,
    progress=False,
)


def small_scenario() -> coopterra.Scenario:
    return coopterra.load_scenario(overrides={"territory.residents": 4000, "territory.zones": 8})


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibration")
    (folder / "small.toml").write_text(SMALL_TARGETS)
    cal = calibrate(folder / "small.toml", small_scenario(), out=folder / "out", **BUDGET)
    return folder, cal


def test_the_shipped_targets_load_and_read_a_run():
    targets = load_targets(TARGETS)
    assert {t.use for t in targets.targets} == {"fit", "validate"}
    assert len(targets.fitted()) >= 5 and len(targets.held_out()) >= 5
    assert Path(targets.territory).name == "drome.toml"
    # An indicator is the expression it says, read within its years.
    sim = coopterra.Simulation(
        small_scenario().with_overrides({"run.weeks": 104}), seed=1, threads=1
    )
    sim.run()
    ds = sim.results()
    year2 = ds.isel(week=slice(52, 104))
    kind, market = ds["channel_kind"].values, ds["channel_market"].values
    spending = year2["purchase_spending"].sum("week").values
    platforms = (market == "delivery") & np.isin(kind, ["cooperative", "incumbent"])
    restaurants = (market == "delivery") & (kind != "alternative")
    expected = spending[platforms].sum() / spending[restaurants].sum()
    meal = next(t for t in targets.targets if t.key == "meal_delivery")
    assert evaluate(meal.indicator, ds, meal.years) == pytest.approx(expected, rel=1e-12)
    share = evaluate("mean(carpool_share)", ds, (2, 2))
    assert share == pytest.approx(float(year2["carpool_share"].mean()), rel=1e-12)
    per_year = evaluate("per_year(firm_failures, firm_sector='shop')", ds, (1, 2))
    assert per_year == pytest.approx(float(ds["firm_failures"].sel(firm_sector="shop").sum()) / 2)
    with pytest.raises(ValueError, match="lasts 104 weeks"):
        evaluate("mean(carpool_share)", ds, (2, 3))


def test_a_broken_targets_file_gets_every_problem_located(tmp_path):
    text = SMALL_TARGETS.replace('key = "carpool.asc"', 'key = "carpool.ask"')
    text = text.replace('indicator = "mean(carpool_share)"', 'indicator = "mean(carpol_share)"')
    text = text.replace("low = 0.13\n", "low = 0.3\n")
    text = text.replace('use = "validate"', 'use = "fitted"\ncolour = "red"')
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as info:
        load_targets(path)
    found = {(d.key, d.line) for d in info.value.diagnostics}
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    assert ("parameter[2].key", line_of("carpool.ask")) in found
    assert ("target[1].indicator", line_of("carpol_share")) in found
    assert ("target[2].low", line_of("low = 0.3")) in found
    assert ("target[3].use", line_of('use = "fitted"')) in found
    assert ("target[3].colour", line_of("colour")) in found
    messages = " ".join(d.message for d in info.value.diagnostics)
    assert "carpool.ask" in messages and "did you mean carpool_share" in messages
    assert all(d.column > 0 for d in info.value.diagnostics)
    # The command line says the same, one FILE:LINE:COL line per problem, exit 2.
    done = run_cli("validate", str(path))
    assert done.returncode == 2
    assert f"{path}:{line_of('carpol_share')}:13: target[1].indicator" in done.stdout
    assert run_cli("validate", str(TARGETS)).returncode == 0


def test_a_selection_of_a_value_the_results_lack_is_an_error_not_a_zero():
    from coopterra.targets import _probe, evaluate

    ds = _probe()
    ds = ds.isel(week=[0] * 52)  # a year of the probe's week: the window the indicator reads
    assert evaluate("total(purchases, channel_market='food')", ds, (1, 1)) >= 0
    with pytest.raises(ValueError, match="channel_market='fod': no such value in the results"):
        evaluate("total(purchases, channel_market=['food', 'fod'])", ds, (1, 1))


@pytest.mark.parametrize(
    ("fragment", "replacement", "expected"),
    [
        ("years = [2, 2]\nvalue = 0.10", "years = [3, 2]\nvalue = 0.10", "target[1].years"),
        ("mean(carpool_share)", "mean(carpool_share) ** 2", "target[1].indicator"),
        ("mean(carpool_share)", "__import__('os')", "target[1].indicator"),
        ("mean(carpool_share)", "mean(zone_population)", "target[1].indicator"),
        ("mean(carpool_share)", "total(purchases, colour='red')", "target[1].indicator"),
        ("mean(carpool_share)", "mean(carpool_share) / 0", "target[1].indicator"),
        ("low = -2.6", "low = -30.0", "parameter[1].low"),
        ('schema = "coopterra-targets/1"', 'schema = "coopterra-targets/9"', "schema"),
        ('name = "small"', 'name = "small', ""),
        ('source = "ENTD 2008"', 'source = "ENTD 2008"\nscale = "logarithmic"', "target[1].scale"),
        ("low = 0.07", "low = 0.0\nscale = 'log'", "target[1].scale"),
    ],
)
def test_each_mistake_is_named(fragment, replacement, expected):
    text = SMALL_TARGETS.replace(fragment, replacement, 1)
    assert text != SMALL_TARGETS
    with pytest.raises(ConfigurationError) as info:
        targets_from_text(text, "t.toml")
    assert [d.key for d in info.value.diagnostics][:1] == [expected]
    assert info.value.diagnostics[0].line > 0


def test_calibration_narrows_the_box_and_writes_a_posterior(calibrated):
    folder, cal = calibrated
    out = folder / "out"
    assert (out / DATABASE).exists() and (out / POSTERIOR).exists()
    assert cal.parameters and set(cal.parameters) <= {
        "carpool.informal_asc",
        "carpool.asc",
        "markets.delivery.incumbent.asc",
    }
    assert [w.wave for w in cal.waves] == [1, 2]
    assert all(0 < w.non_implausible < 1 for w in cal.waves)  # history matching ruled some out
    post = load_posterior(out / POSTERIOR)
    assert len(post) == 20 and post.keys == tuple(cal.parameters)
    for j, key in enumerate(post.keys):
        low, high = cal.bounds[key]
        assert (post.values[:, j] >= low).all() and (post.values[:, j] <= high).all()
    # Provenance: the targets, the territory and the engine it came from.
    assert post.attrs["targets_sha256"] and "carpool_share" in post.attrs["targets_text"]
    assert post.attrs["territory_checksum"] and post.attrs["coopterra_version"]
    assert "history matching" in post.attrs["method"]
    # Every target, fitted and held out, against the model before and after.
    table = cal.validation()
    assert set(table.index) == {"carpool_share", "meal_delivery", "occupancy", "occupancy_year_3"}
    assert table.loc["occupancy", "use"] == "validate"
    assert np.isfinite(table[["before", "after"]].to_numpy()).all()
    # The runs that fit last the two years the fitted targets need; the scenario as it was and
    # the draws, three, for the held-out target of year 3.
    with sqlite3.connect(out / DATABASE) as db:
        rows = db.execute("SELECT stage, outcomes FROM coopterra_runs").fetchall()
    long = {stage for stage, text in rows if "occupancy_year_3" in json.loads(text)}
    short = {stage for stage, text in rows if "occupancy_year_3" not in json.loads(text)}
    assert long == {"noise", "after"}
    assert {"screening", "wave1", "wave2"} <= short
    assert any(stage.startswith("abc") for stage in short) and not any(
        stage.startswith("abc") for stage in long
    )
    page = (out / VALIDATION).read_text()
    assert "Held-out targets" in page and "occupancy" in page and "<svg" in page
    assert "http" not in page.split("<body>")[1].split("Provenance")[0]  # offline


def test_a_finished_calibration_resumes_without_running(calibrated):
    folder, cal = calibrated
    again = calibrate(folder / "small.toml", small_scenario(), out=folder / "out", **BUDGET)
    assert again.new_runs == 0 and again.runs == cal.runs
    assert np.array_equal(again.posterior.values, cal.posterior.values)
    # Other settings in the same folder are refused, not mixed in.
    with pytest.raises(ConfigurationError, match="another --out"):
        calibrate(
            folder / "small.toml", small_scenario(), out=folder / "out", **{**BUDGET, "keep": 2}
        )


def test_a_killed_calibration_resumes_where_it_stopped(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL_TARGETS)
    script = tmp_path / "go.py"
    script.write_text(
        "import coopterra, json, sys\n"
        "from coopterra.calibrate import calibrate\n"
        "s = coopterra.load_scenario(overrides={'territory.residents': 4000, "
        "'territory.zones': 8})\n"
        f"c = calibrate(sys.argv[1], s, out=sys.argv[2], **{BUDGET!r})\n"
        "print(json.dumps({'runs': c.runs, 'new': c.new_runs}))\n"
    )
    out = tmp_path / "out"
    args = [sys.executable, str(script), str(tmp_path / "small.toml"), str(out)]
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = out / DATABASE
    recorded = 0
    deadline = time.time() + 120
    while time.time() < deadline and recorded < 12:  # killed in the screening or first wave
        time.sleep(0.2)
        if database.exists():
            with contextlib.closing(sqlite3.connect(database)) as db:
                try:
                    recorded = db.execute("SELECT COUNT(*) FROM coopterra_runs").fetchone()[0]
                except sqlite3.OperationalError:
                    pass
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with contextlib.closing(sqlite3.connect(database)) as db:
        before = db.execute("SELECT COUNT(*) FROM coopterra_runs").fetchone()[0]
    assert before >= 12
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["runs"] == before + result["new"]  # nothing recorded before was run again
    assert load_posterior(out / POSTERIOR).attrs["targets_name"] == "small"


def test_compare_runs_each_replicate_at_its_draw(calibrated, tmp_path):
    folder, _ = calibrated
    posterior = folder / "out" / POSTERIOR
    base = small_scenario().with_overrides({"run.weeks": 16})
    support = coopterra.load_scenario(ROOT / "scenarios" / "carpool_support.toml").with_overrides(
        {"territory.residents": 4000, "territory.zones": 8, "run.weeks": 16}
    )
    comparison = coopterra.compare(
        base, [support], replicates=3, posterior=posterior, out=tmp_path / "cmp"
    )
    draws = load_posterior(posterior)
    for name in (comparison.baseline, *comparison.scenarios):
        for r, ds in enumerate(comparison.runs[name]):
            resolved = coopterra.scenario_from_text(ds.attrs["scenario_resolved"])
            for key, value in draws.draw(r).items():
                assert resolved.get(key) == pytest.approx(value, rel=1e-12)
    assert "posterior draws" in comparison.uncertainty
    manifest = json.loads((tmp_path / "cmp" / "manifest.json").read_text())
    assert manifest["uncertainty"] == comparison.uncertainty
    again = coopterra.load_comparison(tmp_path / "cmp")
    assert again.uncertainty == comparison.uncertainty
    from coopterra.report import render_report

    assert "parameters' uncertainty and the seeds'" in html.unescape(render_report(again))
    plain = coopterra.compare(base, [support], replicates=2)
    assert plain.uncertainty.startswith("seeds only")


def test_a_scenario_names_its_posterior(calibrated, tmp_path):
    folder, _ = calibrated
    posterior = folder / "out" / POSTERIOR
    scenario = tmp_path / "with_posterior.toml"
    scenario.write_text(
        'schema_version = 1\nname = "with posterior"\n[run]\nweeks = 4\n'
        "[territory]\nresidents = 3000\nzones = 6\n"
        f'[uncertainty]\nposterior = "{os.path.relpath(posterior, tmp_path)}"\n'
    )
    loaded = coopterra.load_scenario(scenario)
    assert Path(str(loaded.get("uncertainty.posterior"))) == posterior.resolve()
    comparison = coopterra.compare(loaded, [loaded], replicates=2)
    assert "posterior draws" in comparison.uncertainty
    # The command line takes it too.
    done = run_cli(
        "compare", str(scenario), str(scenario), "--replicates", "2", "--out", str(tmp_path / "c")
    )
    assert done.returncode == 0, done.stderr
    assert "uncertainty: parameters and seeds" in done.stdout


def test_a_file_that_is_not_a_posterior_is_refused(tmp_path):
    bad = tmp_path / "bad.h5"
    xr.Dataset({"x": ("draw", [1.0])}).to_netcdf(bad, engine="h5netcdf")
    with pytest.raises(ConfigurationError, match="schema"):
        load_posterior(bad)
    unknown = tmp_path / "unknown.h5"
    write_posterior(unknown, ["carpool.not_a_key"], np.zeros((3, 1)), {})
    with pytest.raises(ConfigurationError, match="not a parameter"):
        load_posterior(unknown)
    outside = tmp_path / "outside.h5"
    write_posterior(outside, ["carpool.asc"], np.full((3, 1), 99.0), {})
    with pytest.raises(ConfigurationError, match="range"):
        load_posterior(outside)
    done = run_cli(
        "compare",
        str(ROOT / "scenarios" / "baseline.toml"),
        str(ROOT / "scenarios" / "baseline.toml"),
        "--posterior",
        str(bad),
        "--out",
        str(tmp_path / "c"),
    )
    assert done.returncode == 2 and "schema" in done.stderr


def test_the_drome_baseline_stays_within_its_targets_for_ten_years():
    """The calibrated defaults on the Drôme (363 communes, 519,458 residents), ten years: every
    fitted target (read in year 2) within its plausible interval, and every held-out target read
    after them (the ten-year checks that the baseline does not drift: delivery's and platforms'
    shares, carpool trips, the cooperatives' shares; docs/calibration.md)."""
    assert shared_data()
    targets = load_targets(TARGETS)
    later = [t for t in targets.held_out() if 52 * t.years[0] > targets.weeks("fit")]
    assert len(later) >= 5 and targets.weeks() == 520
    scenario = coopterra.load_scenario(
        ROOT / "scenarios" / "baseline.toml",
        territory=targets.territory,
        overrides={"run.weeks": targets.weeks()},
    )
    sim = coopterra.Simulation(scenario, seed=1, threads=2)
    sim.run()
    values = targets.evaluate(sim.results())
    outside = {
        t.key: (values[t.key], t.low, t.high)
        for t in targets.fitted() + later
        if not t.contains(values[t.key])
    }
    assert not outside, f"the default baseline leaves its targets: {outside}"


def test_the_command_line_refuses_a_broken_calibration_before_running(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL_TARGETS.replace("value = 0.10", "value = 'ten'"))
    done = run_cli("calibrate", str(broken), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    line = next(i for i, s in enumerate(broken.read_text().splitlines(), 1) if "'ten'" in s)
    assert f"{broken}:{line}:9: target[1].value: expected a finite number" in done.stderr
    assert not (tmp_path / "out" / DATABASE).exists()  # nothing started
    empty = tmp_path / "no_parameters.toml"
    empty.write_text(
        SMALL_TARGETS.split("[[parameter]]")[0] + SMALL_TARGETS.split("high = 0.2\n")[1]
    )
    done = run_cli("calibrate", str(empty), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "expected at least one [[parameter]]" in done.stderr


def test_a_broken_database_at_out_is_a_one_line_error_and_is_left_alone(tmp_path):
    targets = tmp_path / "targets.toml"
    targets.write_text(SMALL_TARGETS)
    database = tmp_path / "out" / DATABASE
    database.parent.mkdir()
    database.write_bytes(b"not a database, a truncated file" * 100)
    done = run_cli("calibrate", str(targets), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{database}: not a calibration database" in done.stderr
    assert database.read_bytes() == b"not a database, a truncated file" * 100


def test_a_calibration_on_a_dask_cluster_runs_the_same_runs(calibrated, dask_cluster, tmp_path):
    """The deterministic stages (noise, screening, history matching) give the same targets run
    for run whether the runs go to local threads or to a real Dask cluster on loopback."""
    folder, _ = calibrated
    client, _workers = dask_cluster
    cal = calibrate(
        folder / "small.toml",
        small_scenario(),
        out=tmp_path / "dask",
        executor=client.get_executor(),
        workers=2,
        **BUDGET,
    )
    assert cal.new_runs == cal.runs > 0

    def rows(database: Path) -> dict[tuple[str, int, int], str]:
        with contextlib.closing(sqlite3.connect(database)) as db:
            found = db.execute(
                "SELECT stage, point, replicate, outcomes FROM coopterra_runs "
                "WHERE stage IN ('noise', 'screening', 'wave1', 'wave2')"
            ).fetchall()
        return {(s, p, r): o for s, p, r, o in found}

    local = rows(folder / "out" / DATABASE)
    remote = rows(tmp_path / "dask" / DATABASE)
    assert len(local) > 20 and remote == local
