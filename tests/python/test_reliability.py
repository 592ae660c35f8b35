"""Issue 18: no traceback, no crash, no silent change of meaning, on real files, bad arguments
and damaged data. Every bad input gets one located message (exit 2 from the CLI, a typed
coopterra error in Python); damaged files are refused, never read as other values."""

from __future__ import annotations

import errno
import itertools
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import coopterra
from coopterra._files import exclusive_output, write_atomically
from coopterra.errors import ConfigurationError, CoopterraError, CoopterraIOError, InputDataError

from conftest import ROOT, SCENARIOS, run_cli

COMMUNES = [  # code, name, lat, lng, area km2, population
    ("71076", "Chalon-sur-Saône", 46.7806, 4.8539, 15.22, 900),
    ("71270", "Mâcon", 46.3069, 4.8283, 27.04, 700),
    ("71106", "Le Creusot", 46.8069, 4.4167, 18.97, 500),
    ("71306", "Montceau-les-Mines", 46.6667, 4.3667, 19.74, 450),
    ("71153", "Écuisses", 46.7622, 4.5361, 12.55, 300),
    ("71014", "Autun", 46.9511, 4.2986, 61.54, 650),
]
HEADER = ["insee_com", "commune", "lat", "lng", "superficie_km2", "population_2021"]


def commune_table(path: Path, *, sep: str = ",", encoding: str = "utf-8", rows=COMMUNES) -> Path:
    lines = [sep.join(HEADER)]
    for row in rows:
        cells = [str(c) for c in row]
        if sep == ";":
            cells = [c.replace(".", ",") for c in cells]  # decimal commas, as INSEE's downloads
        lines.append(sep.join(cells))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def commune_scenario(folder: Path, table: Path, extra: str = "") -> Path:
    path = folder / "communes.toml"
    path.write_text(
        'schema_version = 1\nname = "saone"\n[run]\nweeks = 4\n[territory]\n'
        f'source = "communes"\ncommunes_file = "{table}"\n{extra}'
    )
    return path


def one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- Encodings ------------------------------------------------------------------------------


def test_a_latin1_commune_table_runs_and_its_results_file_reads(tmp_path):
    table = commune_table(tmp_path / "excel.csv", encoding="cp1252")
    sim = coopterra.Simulation(commune_scenario(tmp_path, table), seed=1)
    sim.run(2)
    sim.write(tmp_path / "r.h5")
    ds = coopterra.open_results(tmp_path / "r.h5")
    names = {str(n) for n in ds["zone_name"].values}
    assert {"Mâcon", "Chalon-sur-Saône", "Écuisses"} <= names
    # Every string of the file is valid UTF-8 (h5py decodes them without error).
    import h5py

    with h5py.File(tmp_path / "r.h5") as f:
        for name in f:
            if f[name].dtype.kind == "O":
                [v.decode("utf-8") if isinstance(v, bytes) else v for v in f[name][()]]


def test_a_semicolon_table_with_decimal_commas_is_the_same_territory(tmp_path):
    comma = coopterra.Simulation(commune_scenario(tmp_path, commune_table(tmp_path / "a.csv")))
    other = tmp_path / "b"
    other.mkdir()
    insee = commune_table(other / "b.csv", sep=";", encoding="cp1252")
    semi = coopterra.Simulation(commune_scenario(other, insee))
    assert comma.territory.checksum == semi.territory.checksum


def test_an_error_quoting_an_accented_latin1_value_is_a_typed_error(tmp_path):
    rows = [*COMMUNES[:-1], ("71153", "Écuisses", "quarante-six", 4.5361, 12.55, 300)]
    table = commune_table(tmp_path / "bad.csv", encoding="latin-1", rows=rows)
    with pytest.raises(CoopterraError) as e:
        coopterra.Simulation(commune_scenario(tmp_path, table))
    assert "bad.csv:7" in str(e.value) or any("bad.csv" in str(d) for d in e.value.diagnostics)


# --- Bounded resources -------------------------------------------------------------------------


def test_a_scenario_nested_40000_deep_or_with_a_300000_part_key_is_refused(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("schema_version = 1\nx = " + "[" * 40000 + "]" * 40000 + "\n")
    dotted = tmp_path / "dotted.toml"
    dotted.write_text("schema_version = 1\n" + "a." * 300000 + "a = 1\n")
    result = run_cli("validate", str(deep), str(dotted))  # a crash would be a signal
    assert result.returncode == 2, result
    assert "deep.toml:2:69: arrays and inline tables nested more than 64 levels" in result.stdout
    assert "dotted.toml:2:129: a dotted key of more than 64 parts" in result.stdout


@pytest.mark.parametrize("target", ["folder", "", "/dev/zero", "fifo"])
def test_extends_must_name_a_regular_file(tmp_path, target):
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    path = tmp_path / "s.toml"
    path.write_text(f'schema_version = 1\nextends = "{target}"\n')
    started = time.monotonic()
    result = run_cli("validate", str(path), timeout=60)
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert f"{path}:2:11: extends: the extended scenario: " in result.stdout
    assert any(m in result.stdout for m in ("a folder", "name is empty", "not a regular file")), (
        result.stdout
    )


def test_a_folder_or_fifo_as_communes_file_is_named_as_such(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "dir.csv").mkdir()
    for name, words in (("dir.csv", "a folder, not a file"), ("pipe.csv", "not a regular file")):
        with pytest.raises(ConfigurationError) as e:
            coopterra.load_scenario(commune_scenario(tmp_path, tmp_path / name))
        assert words in str(e.value.diagnostics[0])


def test_populations_of_zero_or_a_billion_are_refused_naming_the_memory(tmp_path):
    zero = [(*row[:5], 0) for row in COMMUNES]
    with pytest.raises(ConfigurationError, match="no inhabitant"):
        coopterra.Simulation(
            commune_scenario(tmp_path, commune_table(tmp_path / "z.csv", rows=zero))
        )
    huge = [*COMMUNES[:-1], (*COMMUNES[-1][:5], 10**9)]
    # Refused before anything large is built: by the territory's memory estimate on a machine
    # with less than the memory it needs, else by the cap on residents; both name the memory.
    with pytest.raises(ConfigurationError, match=r"1000002850 inhabitants.*about 96\.0 GB"):
        coopterra.Simulation(
            commune_scenario(tmp_path, commune_table(tmp_path / "h.csv", rows=huge))
        )


# --- Integrity ---------------------------------------------------------------------------------


def test_every_bit_flip_in_a_checkpoint_and_trailing_garbage_are_refused(small):
    sim = coopterra.Simulation(small.with_overrides({"territory.residents": 2000}), seed=3)
    sim.run(2)
    data = sim.checkpoint()
    rng = random.Random(18)
    for _ in range(60):
        bit = rng.randrange(len(data) * 8)
        damaged = bytearray(data)
        damaged[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(InputDataError):
            coopterra.Simulation.from_checkpoint(bytes(damaged))
    with pytest.raises(InputDataError, match="no checksum at its end"):
        coopterra.Simulation.from_checkpoint(data + b"garbage")
    with pytest.raises(InputDataError):
        coopterra.Simulation.from_checkpoint(data[:-1])
    resumed = coopterra.Simulation.from_checkpoint(data)
    assert resumed.week == 2


FLIPS = """
import random, sys
import coopterra
from coopterra.errors import CoopterraIOError
path, reference = sys.argv[1], sys.argv[2]
good = coopterra.open_results(reference)
data = open(reference, "rb").read()
rng = random.Random(int(sys.argv[3]))
changed = refused = 0
for i in range(40):
    damaged = bytearray(data)
    bit = rng.randrange(len(data) * 8)
    damaged[bit // 8] ^= 1 << (bit % 8)
    open(path, "wb").write(damaged)
    try:
        ds = coopterra.open_results(path)
    except CoopterraIOError:
        refused += 1
        continue
    if not ds.identical(good):
        changed += 1
        print("changed at bit", bit, file=sys.stderr)
print(changed, refused)
"""


def test_bit_flips_in_a_results_file_are_refused_never_read_as_other_values(tmp_path, small):
    sim = coopterra.Simulation(small.with_overrides({"territory.residents": 2000}), seed=1)
    sim.run(3)
    sim.write(tmp_path / "good.h5")
    result = subprocess.run(
        [sys.executable, "-c", FLIPS, str(tmp_path / "bad.h5"), str(tmp_path / "good.h5"), "18"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]  # no signal inside libhdf5
    changed, refused = map(int, result.stdout.split())
    assert changed == 0, result.stderr
    assert refused > 0


def test_open_results_refuses_what_is_not_a_results_file(tmp_path):
    (tmp_path / "t.h5").write_text("not hdf5")
    (tmp_path / "d.h5").mkdir()
    for name in ("t.h5", "d.h5", "missing.h5"):
        with pytest.raises(CoopterraIOError):
            coopterra.open_results(tmp_path / name)


# --- Meaning -----------------------------------------------------------------------------------


def test_weeks_beyond_run_weeks_move_the_horizon_so_policies_last_to_the_end(tmp_path):
    out = tmp_path / "r.h5"
    result = run_cli(
        "run",
        str(SCENARIOS / "carpool_support.toml"),
        "--set",
        "run.weeks=20",
        "--set",
        "territory.residents=3000",
        "--weeks",
        "30",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    ds = coopterra.open_results(out)
    assert ds.sizes["week"] == 30
    assert coopterra.scenario_from_text(ds.attrs["scenario_resolved"]).integer("run.weeks") == 30
    incentive = ds["policy_spending"] if "policy_spending" in ds else ds["public_spending"]
    by_week = incentive.sum([d for d in incentive.dims if d != "week"]).values
    assert by_week[20:].sum() > 0, by_week


def test_vote_weights_off_by_1e_8_are_printed_with_enough_digits():
    with pytest.raises(ConfigurationError) as e:
        coopterra.load_scenario(
            overrides={"cooperatives.vote_weights": [0.2, 0.2, 0.2, 0.2, 0.20000001]}
        )
    assert "got 1.00000001" in str(e.value.diagnostics[0])


# --- Plain mistakes on the command line --------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--weeks", "0"],
        ["run", "--weeks", "-1"],
        ["run", "--seed", "-5"],
        ["run", "--seed", str(2**60)],
        ["run", "--threads", "0"],
        [
            "compare",
            "scenarios/baseline.toml",
            "scenarios/carpool_support.toml",
            "--replicates",
            "0",
        ],
        [  # the last replicate's seed (seed + 2) beyond the largest
            "compare",
            "scenarios/baseline.toml",
            "scenarios/carpool_support.toml",
            "--seed",
            str(2**53 - 1),
            "--replicates",
            "3",
        ],
        ["parameters", "--markdown", "--csv"],
    ],
)
def test_bad_arguments_are_one_line_and_exit_2_with_nothing_written(tmp_path, args):
    out = ["--out", str(tmp_path / "out.h5")] if args[0] in ("run", "compare") else []
    result = run_cli(*args, *out)
    one_line_error(result)
    assert not (tmp_path / "out.h5").exists()
    if args[0] == "parameters":
        assert "not allowed with" in result.stderr  # one form of the table, not the first quietly


def test_an_unwritable_out_is_refused_before_the_run(tmp_path):
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file" / "r.h5", Path("/proc/coopterra-r.h5")):
        started = time.monotonic()
        result = run_cli("run", "--set", "territory.residents=200000", "--out", str(out))
        one_line_error(result)
        assert str(out) in result.stderr
        assert "coopterra " not in result.stdout  # no summary: no run
        assert time.monotonic() - started < 30


def test_an_out_that_is_a_pipe_is_refused_and_left_in_place(tmp_path):
    # Writing replaces the target by a rename: a pipe or a device would become a plain file. (A
    # pipe stands for both: a device here would be the machine's, were the check ever lost.)
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    result = run_cli("run", "--weeks", "1", "--set", "territory.residents=2000", "--out", str(fifo))
    one_line_error(result)
    assert "not a regular file" in result.stderr and str(fifo) in result.stderr
    assert fifo.is_fifo()
    with pytest.raises(CoopterraIOError, match="not a regular file"):
        coopterra.Simulation(coopterra.load_scenario(SCENARIOS / "baseline.toml"), seed=1).write(
            fifo
        )


def test_a_pipe_or_a_device_given_as_an_input_is_refused_without_waiting(tmp_path):
    # A FIFO would wait for a writer forever, /dev/zero would never end: both are refused at once.
    fifo = tmp_path / "territory.toml"
    os.mkfifo(fifo)
    scenario = tmp_path / "scenario.toml"
    scenario.write_text('territory = "territory.toml"\n')
    for args in (
        ["validate", str(scenario)],
        ["run", str(scenario), "--weeks", "1"],
        ["run", "--territory", str(fifo), "--weeks", "1"],
        ["validate", str(fifo)],
        ["validate", "/dev/zero"],
    ):
        result = run_cli(*args, timeout=60)
        if args[0] == "run":
            one_line_error(result)
        else:  # validate lists its diagnostics on the standard output
            assert result.returncode == 2 and "Traceback" not in result.stderr, result
        assert "not a regular file" in result.stdout + result.stderr, args


def test_run_ensemble_into_a_file_is_a_typed_error(tmp_path, small):
    (tmp_path / "f").write_text("x")
    with pytest.raises(CoopterraIOError, match="is a file, not a folder"):
        coopterra.run_ensemble([small], out=tmp_path / "f", progress=False)
    with pytest.raises(ConfigurationError):
        coopterra.run_ensemble([small], replicates=0, out=tmp_path / "e", progress=False)


def test_python_seed_and_weeks_are_typed_errors(small):
    with pytest.raises(ConfigurationError):
        coopterra.Simulation(small, seed=-5)
    with pytest.raises(ConfigurationError):
        coopterra.Simulation(small, seed=2**60)
    with pytest.raises(ConfigurationError):
        coopterra.Simulation(small, seed=1).run(-1)


def test_ctrl_c_during_a_large_build_is_honoured_at_once(tmp_path):
    out = tmp_path / "never.h5"
    # Ten million residents on one thread: the build takes seconds, and a run of 52 weeks far
    # longer, so the signal lands in the build or, on a fast machine, early in the run: either
    # way it is honoured at once and nothing is written.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "coopterra",
            "run",
            "--set",
            "territory.residents=10000000",
            "--weeks",
            "52",
            "--threads",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # imported, building the territory and population
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, err = process.communicate(timeout=120)
    assert time.monotonic() - started < 5, "Ctrl-C waited for the build"
    assert process.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    assert not out.exists()


# --- Concurrency -------------------------------------------------------------------------------

WRITER = """
import sys
from coopterra._files import write_atomically
for i in range(200):
    write_atomically(sys.argv[1], f"writer {sys.argv[2]} {i}\\n" * 100)
"""


def test_two_processes_writing_one_path_never_fail_nor_mix(tmp_path):
    target = tmp_path / "shared.toml"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(k)], stderr=subprocess.PIPE
        )
        for k in range(2)
    ]
    errors = [w.communicate(timeout=300)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    lines = set(target.read_text().splitlines())
    assert len(lines) == 1  # one complete write, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["shared.toml"]


def test_a_temporary_left_by_a_killed_writer_is_removed_by_the_next_write(tmp_path, small):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".s.toml.tmp-{dead.pid}-abcdef"
    stale.write_text("half")
    stale_h5 = tmp_path / f".r.h5.tmp-{dead.pid}-12345"
    stale_h5.write_text("half")
    mine = tmp_path / f".s.toml.tmp-{os.getpid()}-live"  # a live writer's: kept
    mine.write_text("writing")
    small.save(tmp_path / "s.toml")
    assert not stale.exists() and mine.exists()
    sim = coopterra.Simulation(small.with_overrides({"territory.residents": 2000}))
    sim.run(1)
    sim.write(tmp_path / "r.h5")
    assert not stale_h5.exists()


def test_two_runs_targeting_one_out_are_refused_not_silently_overwritten(tmp_path):
    out = tmp_path / "r.h5"
    with exclusive_output(out):
        result = run_cli(
            "run", "--weeks", "1", "--set", "territory.residents=2000", "--out", str(out)
        )
    one_line_error(result)
    assert "another coopterra process is writing" in result.stderr
    assert not out.exists()
    write_atomically(tmp_path / "x.txt", "ok")  # the helper itself needs no lock


# --- Messages and privacy ----------------------------------------------------------------------


def test_a_bad_set_is_blamed_on_the_set(tmp_path):
    result = run_cli(
        "run",
        str(SCENARIOS / "carpool_support.toml"),
        "--set",
        "policies[1].rate=0.5",
        "--out",
        str(tmp_path / "r.h5"),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("--set policies[1].rate=0.5"), result.stderr


def test_provenance_and_report_carry_no_absolute_path(tmp_path):
    data = tmp_path / "home" / "someone" / "data"
    data.mkdir(parents=True)
    table = commune_table(data / "communes.csv")
    folder = tmp_path / "work"
    folder.mkdir()
    sim = coopterra.Simulation(commune_scenario(folder, table), seed=1)
    sim.run(1)
    ds = sim.results()
    for key in ("scenario_source", "scenario_resolved", "territory_source", "territory_notes"):
        assert str(tmp_path) not in ds.attrs[key], (key, ds.attrs[key])
        assert "/home/" not in ds.attrs[key]
    assert "communes.csv" in ds.attrs["territory_source"]
    assert ds.attrs["scenario_source"] == "communes.toml"


# --- The command line behaves (issue 19, point 2) ----------------------------------------------


def test_version_and_a_closed_pipe_are_quiet():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"coopterra {coopterra.__version__}"
    shell = subprocess.run(
        f"{sys.executable} -m coopterra parameters | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert shell.stdout.count("\n") == 1
    assert shell.stderr == ""


def test_parameters_pattern_filters():
    result = run_cli("parameters", "territory.*")
    keys = [line.split(" = ")[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert keys and all(k.startswith("territory.") for k in keys)
    assert "territory.residents" in keys
    word = run_cli("parameters", "budget")
    assert "authority.budget_eur" in word.stdout
    none = run_cli("parameters", "no-such-parameter-anywhere")
    assert none.returncode == 1 and "no parameter matches" in none.stderr


def test_validate_prints_in_file_and_line_order(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        "schema_version = 1\n[territory]\nresidents = 1\n[run]\nweeks = -4\n"
        "[population]\ncommuter_share = 7\n[territory.x]\ny = 1\n"
    )
    result = run_cli("validate", str(path))
    lines = [int(line.split(":")[1]) for line in result.stdout.splitlines()]
    assert len(lines) >= 3 and lines == sorted(lines)


def test_run_prints_the_headline_families_of_compare(tmp_path):
    result = run_cli(
        "run", "--weeks", "2", "--set", "territory.residents=2000", "--out", str(tmp_path / "r.h5")
    )
    assert result.returncode == 0, result.stderr
    for family in ("public money spent", "jobs in local firms", "firms open", "CO2e of commuting"):
        assert family in result.stdout
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    assert np.isfinite(coopterra.open_results(tmp_path / "r.h5")["co2e"].sum())


def test_the_shareable_report_shows_no_absolute_path(tmp_path):
    from coopterra.compare import compare
    from coopterra.report import write_report

    data = tmp_path / "home" / "someone" / "data"
    data.mkdir(parents=True)
    table = commune_table(data / "communes.csv")
    folder = tmp_path / "work"
    folder.mkdir()
    base = coopterra.load_scenario(commune_scenario(folder, table))
    other = base.with_overrides({"authority.budget_eur": 50000.0})
    comparison = compare(base, [other], replicates=1, weeks=2, out=tmp_path / "runs")
    write_report(comparison, tmp_path / "r.html", territory=coopterra.Simulation(base).territory)
    page = (tmp_path / "r.html").read_text()
    assert str(tmp_path) not in page and "/home/" not in page
    assert "communes.csv" in page


def test_a_road_of_1e308_km_is_a_located_error_not_a_disconnected_network(tmp_path):
    table = commune_table(tmp_path / "c.csv")
    roads = tmp_path / "roads.csv"
    codes = [row[0] for row in COMMUNES]
    lines = ["from,to,km"] + [f"{a},{b},12.5" for a, b in itertools.pairwise(codes)]
    lines[1] = f"{codes[0]},{codes[1]},1e308"
    lines[2] = f"{codes[1]},{codes[2]},1e308"
    roads.write_text("\n".join(lines) + "\n")
    scenario = commune_scenario(tmp_path, table, f'roads_file = "{roads}"\n')
    with pytest.raises(CoopterraError) as e:
        coopterra.Simulation(scenario)
    first = str(e.value.diagnostics[0])
    assert first.startswith(f"{roads}:2:3: km: expected a positive length in km of at most 20000")


def test_running_past_the_horizon_with_an_open_ended_policy_is_refused_not_silent() -> None:
    scenario = coopterra.load_scenario(
        SCENARIOS / "carpool_support.toml",
        overrides={"territory.residents": 3000, "territory.zones": 10, "run.weeks": 20},
    )
    sim = coopterra.Simulation(scenario, seed=1, threads=1)
    with pytest.raises(ConfigurationError, match=r"past run\.weeks = 20.*policies\[1\]"):
        sim.run(weeks=30)
    assert sim.week == 0  # nothing was run
    assert sim.run(weeks=20) == 20
    # Without a policy lasting until the end, the horizon may be passed.
    baseline = coopterra.load_scenario(
        overrides={"territory.residents": 3000, "territory.zones": 10, "run.weeks": 4}
    )
    assert coopterra.Simulation(baseline, seed=1, threads=1).run(weeks=6) == 6


def _file_size_limit_64k() -> None:
    """In the child: writes past 64 KiB fail with EFBIG (a full disk, without mounting one)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death by the signal


def test_a_full_disk_while_writing_results_is_one_line_and_a_clean_exit(tmp_path):
    # libhdf5 1.10 leaves the id of a file whose close failed pointing at a destroyed file: the
    # process then crashed at exit (SIGSEGV in H5F__close_cb from H5_term_library).
    out = tmp_path / "x.h5"
    older = b"an older results file\n" * 100
    out.write_bytes(older)
    args = ["run", "--weeks", "1", "--threads", "1", "--set", "territory.residents=2000"]
    result = subprocess.run(
        [sys.executable, "-m", "coopterra", *args, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        preexec_fn=_file_size_limit_64k,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)  # not -11 (SIGSEGV)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(out) in result.stderr and os.strerror(errno.EFBIG) in result.stderr
    assert out.read_bytes() == older  # the older file is kept
    assert [p.name for p in tmp_path.iterdir()] == ["x.h5"]  # no temporary left behind


def test_a_full_disk_while_writing_a_posterior_is_an_io_error_not_a_crash(tmp_path):
    # The posterior goes through h5py's libhdf5 too: built in memory, then written like any file.
    target = tmp_path / "posterior.h5"
    code = (
        "import numpy as np, sys\n"
        "from coopterra.errors import CoopterraIOError\n"
        "from coopterra.posterior import write_posterior\n"
        "try:\n"
        f"    write_posterior({str(target)!r}, ['carpool.asc'], np.ones((20000, 1)), {{}})\n"
        "except CoopterraIOError as e:\n"
        "    print(e, file=sys.stderr)\n"
        "    sys.exit(2)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_file_size_limit_64k,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)  # not -11 (SIGSEGV)
    assert f"{target}: cannot write" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no temporary left behind
