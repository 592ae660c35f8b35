from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import coopterra

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
