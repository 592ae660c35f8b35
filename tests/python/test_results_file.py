"""Results files: xarray and h5py read them, in one process, whatever the import order."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import h5py
import numpy as np

import coopterra


def test_h5py_and_the_engine_share_one_libhdf5():
    # Two copies of libhdf5 in one process break dimension scales (HDFGroup/hdf5#6268): h5py
    # must be built against the library the engine links (./dev setup does it).
    assert h5py.version.hdf5_version == coopterra.hdf5_version()
    # Ensembles write from worker threads while h5py, which releases the GIL inside libhdf5,
    # may read in others: the library must be built thread-safe.
    assert coopterra._core.hdf5_is_threadsafe()


def test_file_has_named_dims_units_and_provenance(small, tmp_path):
    sim = coopterra.Simulation(small, seed=5, threads=2)
    sim.run(weeks=4)
    path = tmp_path / "run.h5"
    sim.write(path)
    ds = coopterra.open_results(path)
    assert {d: ds.sizes[d] for d in ("week", "mode", "platform", "zone")} == {
        "week": 4,
        "mode": 4,
        "platform": 2,
        "zone": 20,
    }
    assert ds["vehicle_km_by_zone"].dims == ("week", "zone")
    assert ds["fares_paid"].attrs["units"] == "EUR"
    assert list(ds["platform"].values) == ["cooperative", "incumbent"]
    for key in (
        "coopterra_version",
        "git_revision",
        "seed",
        "threads",
        "scenario_resolved",
        "territory_source",
        "territory_checksum",
        "created",
        "schema",
    ):
        assert key in ds.attrs, key
    assert ds.attrs["seed"] == 5 and ds.attrs["threads"] == 2
    # The resolved scenario in the file is a valid scenario that reproduces the run, the seed
    # given to the simulation included (the scenario's own run.seed is 1).
    resolved = coopterra.scenario_from_text(ds.attrs["scenario_resolved"])
    assert resolved.get("run.seed") == 5
    again = coopterra.Simulation(resolved, threads=1)
    again.run(weeks=4)
    np.testing.assert_array_equal(again.results()["co2e"], ds["co2e"])
    with h5py.File(path) as f:
        assert f["vehicle_km_by_zone"].dims[1].keys() == ["zone"]
        assert f["week"].attrs["CLASS"] == b"DIMENSION_SCALE"


def _open_in_fresh_process(path, first: str) -> subprocess.CompletedProcess[str]:
    second = "coopterra" if first == "h5py" else "h5py"
    code = textwrap.dedent(f"""
        import {first}
        import {second}
        import xarray as xr
        sim = coopterra.Simulation(coopterra.load_scenario(
            overrides={{"territory.residents": 3000, "territory.zones": 10}}), seed=1)
        sim.run(weeks=3)
        sim.write({str(path)!r})
        with h5py.File({str(path)!r}) as f:
            _ = f["co2e"][()]
        ds = xr.open_dataset({str(path)!r}, engine="h5netcdf")
        print({{d: ds.sizes[d] for d in ("week", "mode", "platform", "zone")}},
              ds["vehicle_km_by_zone"].dims)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_dimensions_survive_either_import_order(tmp_path):
    for first in ("h5py", "coopterra"):
        result = _open_in_fresh_process(tmp_path / f"{first}.h5", first)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == (
            "{'week': 3, 'mode': 4, 'platform': 2, 'zone': 10} ('week', 'zone')"
        )


def test_write_creates_a_missing_folder(small, tmp_path):
    sim = coopterra.Simulation(small, seed=1)
    sim.run(weeks=1)
    target = tmp_path / "missing" / "deeper" / "run.h5"
    sim.write(target)
    assert coopterra.open_results(target).sizes["week"] == 1


def test_write_through_a_file_is_a_located_io_error(small, tmp_path):
    sim = coopterra.Simulation(small, seed=1)
    sim.run(weeks=1)
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    target = tmp_path / "notes.txt" / "run.h5"
    try:
        sim.write(target)
    except coopterra.CoopterraIOError as e:
        assert e.diagnostics[0].file == str(target)
        assert "is a file, not a folder" in str(e)
    else:
        raise AssertionError("expected CoopterraIOError")
    assert (tmp_path / "notes.txt").read_text() == "a file, not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_every_variable_is_documented(small):
    from conftest import ROOT

    doc = (ROOT / "docs" / "results.md").read_text()
    sim = coopterra.Simulation(small, seed=1)
    sim.run(weeks=1)
    ds = sim.results()
    for name in list(ds.variables) + list(ds.attrs):
        assert f"`{name}`" in doc, f"{name} is missing from docs/results.md"


def test_many_files_open_as_one_dataset_and_one_table(small, tmp_path):
    paths = []
    for seed in (1, 2, 3):
        sim = coopterra.Simulation(small, seed=seed)
        sim.run(weeks=3)
        paths.append(tmp_path / f"run{seed}.h5")
        sim.write(paths[-1])
    ds = coopterra.open_results(paths)
    assert ds.sizes["run"] == 3 and ds["co2e"].dims == ("run", "week")
    assert list(ds["seed"].values) == [1, 2, 3]
    assert list(ds["file"].values) == [str(p) for p in paths]
    table = coopterra.results_table(paths)
    assert list(table["seed"]) == [1, 2, 3] and len(table) == 3
    np.testing.assert_allclose(table["CO2e of commuting"], ds["co2e"].sum("week") / 1000)
    tidy = coopterra.to_dataframe(ds, "co2e")
    assert list(tidy.columns[:2]) == ["run", "week"] and len(tidy) == 9


def test_snapshots_of_residents_only_when_asked(small, tmp_path):
    asked = small.with_overrides({"outputs.snapshot_weeks": [2, 4]})
    sim = coopterra.Simulation(asked, seed=1)
    sim.run(weeks=4)
    sim.write(tmp_path / "snap.h5")
    ds = coopterra.open_results(tmp_path / "snap.h5")
    assert list(ds["snapshot"].values) == [2, 4]
    assert ds["snapshot_channel"].dims == ("snapshot", "resident", "market")
    assert ds["snapshot_channel"].dtype == np.uint8
    assert ds.sizes["resident"] == 8000
    # A resident's last channel in a market is one of that market's options, or 255 (none yet).
    food = ds["channel_market"].values == "food"
    assert set(np.unique(ds["snapshot_channel"].sel(market="food").values)) <= set(
        range(int(food.sum()))
    ) | {255}
    # Without the key, the file holds aggregates only.
    plain = coopterra.Simulation(small, seed=1)
    plain.run(weeks=1)
    assert "resident" not in plain.results().sizes


def test_every_indicator_of_the_doc_is_in_the_file_with_its_unit(small, tmp_path):
    from conftest import ROOT

    doc = (ROOT / "docs" / "indicators.md").read_text()
    # The indicators are the names in the first column of the tables.
    names = set()
    for line in doc.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names.update(part.split("`")[1] for part in first.split(", ") if "`" in part)
    assert len(names) > 25
    asked = small.with_overrides({"outputs.snapshot_weeks": [1]})
    sim = coopterra.Simulation(asked, seed=1)
    sim.run(weeks=1)
    sim.write(tmp_path / "run.h5")
    ds = coopterra.open_results(tmp_path / "run.h5")
    for name in sorted(names):
        if name.endswith("_*"):  # a family: snapshot_*
            assert any(v.startswith(name[:-1]) for v in ds.variables), name
            continue
        assert name in ds.variables, f"{name} is in docs/indicators.md but not in the results"
        if ds[name].dtype.kind == "f":
            assert ds[name].attrs.get("units"), f"{name} has no unit"
