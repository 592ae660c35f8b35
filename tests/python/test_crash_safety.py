"""A run killed while writing its results leaves the previous complete file or none: never a
half-written one."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import h5py
import numpy as np

import coopterra

WRITER = textwrap.dedent("""
    import sys, coopterra
    sim = coopterra.Simulation(coopterra.load_scenario(
        overrides={"territory.residents": 20000, "territory.zones": 400}), seed=1)
    sim.run(weeks=30)
    print("ready", flush=True)
    while True:                      # rewrite the same file until killed
        sim.write(sys.argv[1])
""")


def test_killing_a_writer_never_leaves_a_broken_file(tmp_path):
    target = tmp_path / "run.h5"
    reference = None
    for attempt in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.07 * attempt)  # kill at varied moments of the write loop
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        if not target.exists():
            continue  # killed before the first file was complete: no file, which is allowed
        with h5py.File(target, "r") as f:  # a complete file, readable as it is
            co2e = f["co2e"][()]
        assert co2e.shape == (30,)
        if reference is not None:
            np.testing.assert_array_equal(co2e, reference)
        reference = co2e
        ds = coopterra.open_results(target)
        assert ds.sizes["zone"] == 400
    assert reference is not None, "no write ever completed: kill later"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "run.h5"]
    assert all(
        name.startswith(".run.h5.tmp-") for name in leftovers
    )  # only a killed writer's temporary


def test_a_terminated_run_cleans_up_like_an_interrupted_one(tmp_path):
    # SIGTERM (a batch system's, `kill`): no results, no temporary, no lock left behind.
    out = tmp_path / "run.h5"
    command = ["run", "--set", "territory.residents=100000", "--weeks", "2000", "--threads", "1"]
    run = subprocess.Popen(
        [sys.executable, "-m", "coopterra", *command, "--progress", "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None and run.stderr.read(1)  # the progress bar: the weeks have begun
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert "no results written" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
