"""The notebooks run from top to bottom and show their figures (inline images, not a
non-interactive backend)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, shared_data

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PLOTTING = (".plot(", "plt.", ".plot.")


def test_no_notebook_turns_its_figures_off():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            assert 'matplotlib.use("Agg")' not in "".join(cell["source"]), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_its_figures(path: Path, monkeypatch):
    monkeypatch.setenv("COOPTERRA_DATA", str(shared_data()))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    plotting = [
        c for c in notebook.cells if c.cell_type == "code" and any(p in c.source for p in PLOTTING)
    ]
    for cell in plotting:
        images = [o for o in cell.outputs if "data" in o and "image/png" in o["data"]]
        assert images, f"{path.name}: a plotting cell shows no figure:\n{cell.source[:200]}"
