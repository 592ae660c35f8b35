"""Results follow CF-1.11: cf_xarray finds their axes, pint parses every unit, an ensemble's
folder opens with ``xr.open_mfdataset``, and a run in memory is the same dataset as its file."""

from __future__ import annotations

import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import coopterra

from conftest import SCENARIOS

cf_xarray = pytest.importorskip("cf_xarray")
pint_xarray = pytest.importorskip("pint_xarray")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A baseline (no policy) and a policy run of an ensemble, 6 weeks from a Wednesday."""
    folder = tmp_path_factory.mktemp("cf")
    scenarios = {
        name: coopterra.load_scenario(
            SCENARIOS / f"{name}.toml",
            overrides={
                "territory.residents": 6000,
                "territory.zones": 12,
                "run.start_date": "2027-03-03",
            },
        )
        for name in ("baseline", "carpool_support")
    }
    ensemble = coopterra.run_ensemble(scenarios, weeks=6, out=folder, progress=False)
    return {r.scenario: r.path for r in ensemble.runs}


def test_conventions_history_and_time_axis(files):
    ds = coopterra.open_results(files["baseline"])
    assert ds.attrs["Conventions"] == "CF-1.11"
    assert "coopterra" in ds.attrs["history"] and ds.attrs["created"] in ds.attrs["history"]
    # cf_xarray finds the time axis: each week's first day from run.start_date, the week the index.
    assert ds.cf.axes["T"] == ["time"]
    time = ds.cf["T"]
    assert time.dims == ("week",) and "week" in ds.indexes
    assert list(time.values) == list(pd.date_range("2027-03-03", periods=6, freq="7D").values)
    bounds = ds[ds["time"].attrs["bounds"]]
    assert (bounds.isel(nv=1) - bounds.isel(nv=0) == np.timedelta64(7, "D")).all()
    # Latitude and longitude are coordinates of zone.
    assert ds.cf["latitude"].name == "zone_lat" and "zone_lat" in ds.coords
    assert ds.cf["longitude"].name == "zone_lon" and ds["vehicle_km_by_zone"].coords[
        "zone_lon"
    ].dims == ("zone",)


def test_cell_methods_say_how_each_week_is_measured(files):
    ds = coopterra.open_results(files["carpool_support"])
    assert ds["co2e_total"].attrs["cell_methods"] == "time: sum"
    assert ds["firms_open"].attrs["cell_methods"] == "time: point"
    assert ds["carpool_share"].attrs["cell_methods"] == "time: mean"
    weekly = [name for name, v in ds.data_vars.items() if "week" in v.dims and name != "time_bnds"]
    assert len(weekly) > 60
    assert [n for n in weekly if "cell_methods" not in ds[n].attrs] == []


def test_pint_parses_every_unit(files):
    from cf_xarray.units import units as registry

    if "EUR" not in registry:
        registry.define("EUR = [currency]")  # as the file's coopterra_units attribute says
    with h5py.File(files["carpool_support"]) as f:
        raw = {name: f[name].attrs["units"].decode() for name in f if "units" in f[name].attrs}
    assert raw["zone_population"] == "1" and raw["firms_open"] == "1" and raw["fares_paid"] == "EUR"
    for text in raw.values():
        if text.startswith("days since"):
            continue  # a time coordinate, decoded as dates
        registry.parse_units(text)  # raises on any unit pint cannot read
    quantified = coopterra.open_results(files["carpool_support"]).pint.quantify(
        unit_registry=registry
    )
    assert str(quantified["co2e_total"].data.units) == "kilogram"
    assert quantified["zone_area_km2"].data.units == registry.kilometer**2
    assert quantified["platform_fee_per_km"].data.units == registry.EUR / registry.kilometer


def test_a_baseline_writes_no_empty_dimension(files):
    baseline = files["baseline"]
    ds = coopterra.open_results(baseline)
    assert all(size > 0 for size in ds.sizes.values())
    assert "policy" not in ds.sizes and "policy_spending" not in ds
    with h5py.File(baseline) as f:
        assert all(f[name].size > 0 for name in f)
        # Chunked, checksummed and compressed (the larger variables).
        assert (
            f["purchases"].chunks
            and f["purchases"].compression == "gzip"
            and f["purchases"].fletcher32
        )


def test_open_mfdataset_stacks_an_ensembles_folder(files):
    paths = sorted(Path(files["baseline"]).parent.glob("*.h5"))  # the ensemble's folder
    baseline = paths.index(Path(files["baseline"]))
    # Without warnings under xarray's coming defaults (join="exact", compat="override").
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with xr.set_options(use_new_combine_kwarg_defaults=True):
            with xr.open_mfdataset(
                paths, combine="nested", concat_dim="run", engine="h5netcdf"
            ) as ds:
                assert ds.sizes["run"] == 2
                assert ds["zone_lat"].dims == ("zone",) and ds["time"].dims == ("week",)
                spending = ds["policy_spending"].sum("week", skipna=False).compute()
                assert np.isnan(spending.isel(run=baseline)).all()  # a baseline has no policy
                assert (spending.isel(run=1 - baseline) > 0).any()
                assert float(ds["co2e_total"].sum().compute()) > 0
    # And with today's defaults, as the users call it.
    with xr.open_mfdataset(paths, combine="nested", concat_dim="run") as ds:
        assert ds.sizes["run"] == 2


def test_a_run_in_memory_is_its_file(small, tmp_path):
    sim = coopterra.Simulation(small, seed=3, threads=1)
    sim.run(weeks=3)
    memory = sim.results()
    sim.write(tmp_path / "run.h5")
    disk = coopterra.open_results(tmp_path / "run.h5")
    assert set(memory.coords) == set(disk.coords)
    assert memory["time"].dtype == disk["time"].dtype == np.dtype("datetime64[ns]")
    assert str(memory["time"].values[0])[:10] == "2026-01-05"  # the default: a Monday
    xr.testing.assert_identical(memory.drop_attrs(), disk.drop_attrs())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('start_date = "2026-02-30"', "expected a date written YYYY-MM-DD"),
        ('start_date = "5 January 2026"', "expected a date written YYYY-MM-DD"),
        ("start_date = 12", "expected a string"),
    ],
)
def test_a_bad_start_date_is_a_located_error(text, message):
    with pytest.raises(coopterra.ConfigurationError) as caught:
        coopterra.scenario_from_text(f"schema_version = 1\nname = 'x'\n[run]\n{text}\n")
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.column, problem.key) == (4, 14, "run.start_date")
    assert message in problem.message


def test_a_toml_date_is_a_start_date():
    s = coopterra.scenario_from_text(
        "schema_version = 1\nname = 'x'\n[run]\nstart_date = 2027-03-01\n"
    )
    assert s.get("run.start_date") == "2027-03-01"
