from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import coopterra

# Loops on several threads from one chunk of residents up: the tests' small territories exercise
# the parallel loops, and the tests of identical results across thread counts test something
# (core/parallel.hpp; a run outside the tests keeps one thread below eight chunks).
coopterra._core._set_min_chunks_per_thread(1)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def small() -> coopterra.Scenario:
    """The baseline on a small territory: quick enough for every test."""
    return coopterra.load_scenario(
        SCENARIOS / "baseline.toml",
        overrides={"territory.residents": 8000, "territory.zones": 20},
    )


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Runs ``python -m coopterra ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "coopterra", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def shared_data() -> Path:
    """The public data beside the repository (CI: ../shared/data) or beside the worktrees."""
    for folder in (SHARED_DATA, ROOT.parents[1] / "shared" / "data"):
        if (folder / "drome26_communes.csv").exists():
            return folder
    raise AssertionError(f"the shared public data is beside the repository ({SHARED_DATA})")


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def dask_cluster(tmp_path):
    """A real Dask scheduler and two workers, as separate processes on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    dask = str(Path(sys.executable).parent / "dask")
    info = tmp_path / "scheduler.json"
    procs = [
        _start(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--dashboard-address",
                ":0",
                "--scheduler-file",
                str(info),
            ],
            tmp_path / "scheduler.log",
        )
    ]
    client = None
    try:
        deadline = time.time() + 60
        while not info.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert info.exists(), (tmp_path / "scheduler.log").read_text()
        workers = [
            _start(
                [
                    dask,
                    "worker",
                    "--scheduler-file",
                    str(info),
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--host",
                    "127.0.0.1",
                    "--dashboard-address",
                    ":0",
                ],
                tmp_path / f"worker{i}.log",
            )
            for i in range(2)
        ]
        procs += workers
        client = distributed.Client(scheduler_file=str(info), timeout=60)
        client.wait_for_workers(2, timeout=60)
        yield client, workers
    finally:
        if client is not None:
            client.close()
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=20)
