"""The command line: coopterra run and its summary, overrides, errors, thread determinism."""

from __future__ import annotations

import h5py
import numpy as np

from conftest import ROOT, SCENARIOS, run_cli

SMALL = ["--set", "territory.residents=30000", "--set", "territory.zones=12", "--weeks", "8"]


def test_run_prints_a_summary_and_writes_a_file(tmp_path):
    out = tmp_path / "base.h5"
    result = run_cli("run", str(SCENARIOS / "baseline.toml"), *SMALL, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "scenario 'baseline'" in result.stdout
    assert "30,000 residents, 12 communes; 8 weeks" in result.stdout
    assert "carpooling via the cooperative" in result.stdout
    assert f"results written to {out}" in result.stdout
    assert out.exists()


def test_thread_count_does_not_change_the_file(tmp_path):
    files = []
    for threads in ("1", "2"):
        out = tmp_path / f"t{threads}.h5"
        result = run_cli(
            "run",
            str(SCENARIOS / "baseline.toml"),
            *SMALL,
            "--seed",
            "9",
            "--threads",
            threads,
            "--out",
            str(out),
        )
        assert result.returncode == 0, result.stderr
        files.append(out)
    with h5py.File(files[0]) as a, h5py.File(files[1]) as b:
        assert a.attrs["threads"] == 1 and b.attrs["threads"] == 2
        names = [n for n in a if n not in ("week", "mode", "platform", "zone")]
        assert len(names) > 15
        for name in names:
            np.testing.assert_array_equal(a[name][()], b[name][()], err_msg=name)


def test_bad_override_exits_2_with_a_located_message(tmp_path):
    result = run_cli(
        "run",
        str(SCENARIOS / "baseline.toml"),
        "--set",
        "territory.residents=lots",
        "--out",
        str(tmp_path / "x.h5"),
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "--set territory.residents=lots: territory.residents: expected an integer (person), "
        "got a string"
    )
    assert not (tmp_path / "x.h5").exists()
    result = run_cli("run", "--set", "territory.residents", "--weeks", "1")
    assert result.returncode == 2 and "expected KEY=VALUE" in result.stderr


def test_missing_scenario_file_is_an_io_error():
    result = run_cli("run", "no/such/file.toml")
    assert result.returncode == 2  # a bad argument
    assert "no/such/file.toml" in result.stderr and "file not found" in result.stderr


def test_parameters_page_is_current():
    # docs/parameters.md is generated from the engine's registry: regenerate it with
    # `python -m coopterra parameters --markdown > docs/parameters.md`.
    result = run_cli("parameters", "--markdown")
    assert result.returncode == 0
    assert (ROOT / "docs" / "parameters.md").read_text() == result.stdout
    # data/parameters.csv is the same registry, machine-readable.
    table = run_cli("parameters", "--csv")
    assert table.returncode == 0
    assert (ROOT / "data" / "parameters.csv").read_text() == table.stdout
    listing = run_cli("parameters").stdout
    assert "carpool.incumbent.commission = 0.12 [share of fare]" in listing


def test_boundaries_without_shapes_are_refused_before_the_runs(tmp_path):
    table = tmp_path / "communes.csv"  # a commune table, not a map
    table.write_text("code,name\n26001,Albon\n")
    result = run_cli(
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "carpool_support.toml"),
        "--weeks",
        "1",
        "--replicates",
        "1",
        "--out",
        str(tmp_path / "runs"),
        "--boundaries",
        str(table),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr  # input data
    assert f"{table}: no geometry" in result.stderr
    assert not list(tmp_path.glob("runs/*.h5"))


def test_a_run_shorter_than_its_policies_says_which_never_act(tmp_path):
    result = run_cli(
        "run",
        str(SCENARIOS / "lockdown.toml"),
        "--set",
        "territory.residents=2000",
        "--weeks",
        "12",
        "--out",
        str(tmp_path / "l.h5"),
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1  # the lockdown starts at week 11, the cash crunch at 15
    assert "shocks[2] (cash crunch) starts at week 15, after the run's 12 weeks" in warnings[0]


def test_validate_checks_a_territory_file_as_a_territory(tmp_path):
    shipped = run_cli("validate", str(ROOT / "territories" / "default.toml"))
    assert shipped.returncode == 0 and "valid (territory)" in shipped.stdout, shipped.stdout
    broken = tmp_path / "territory.toml"
    broken.write_text("[territory]\nresidents = -5\n")
    result = run_cli("validate", str(broken))
    assert result.returncode == 2
    assert f"{broken}:2:13: territory.residents: must be between" in result.stdout
    assert "schema_version" not in result.stdout  # not read as a scenario
