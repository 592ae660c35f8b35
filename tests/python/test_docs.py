"""Docs that run: every code block of the README and of docs/*.md is executed here.

Each document runs in a fresh sandbox laid out like a clone: ``scenarios/``, ``territories/``,
``data/`` and ``notebooks/`` of the repository (the scenarios linked one by one), no ``results/``
yet, and ``../shared`` (the public data) beside it. Its blocks run in order, the Python ones
in one namespace where ``coopterra`` is imported, the shell ones with bash (``set -euo
pipefail``), and a TOML block is loaded as a scenario file in ``scenarios/`` (a fragment gets
the two keys every scenario starts with). Text blocks (printed output) are not code.

An HTML comment on the line before a fence may say, for readers of the source too:

- ``<!-- test: replace OLD => NEW; OLD2 => NEW2 -->``: a smaller budget for the test (fewer
  replicates or samples), the rest of the block running as written (``DASK_SCHEDULER`` is the
  address of a real Dask cluster the test starts on 127.0.0.1);
- ``<!-- test: skip: REASON -->``: a block that cannot run here (a remote cluster, the test
  command itself); it is still checked for syntax (Python compiled, bash -n, TOML parsed), and
  the reason is required.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

import coopterra

from conftest import ROOT, shared_data

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE = {"python", "bash", "sh", "toml"}
FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!--\s*test:\s*(skip|replace)\s*:?\s*(.*?)\s*-->\s*$")


@dataclass
class Block:
    doc: Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    skip: str = ""  # the reason, for a block that cannot run here
    replacements: tuple[tuple[str, str], ...] = ()

    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The fenced blocks of a Markdown file with their markers; raises on an unclosed fence."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
        assert end is not None, f"{doc}:{i + 1}: unclosed code fence"
        block = Block(doc, i + 1, opening.group(1), "\n".join(lines[i + 1 : end]) + "\n")
        marker = MARKER.match(lines[i - 1]) if i > 0 else None
        if marker and marker.group(1) == "skip":
            block.skip = marker.group(2)
            assert block.skip, f"{block.where()}: a skipped block says why"
        elif marker:
            pairs = [p.split("=>") for p in marker.group(2).split(";") if p.strip()]
            assert all(len(p) == 2 for p in pairs), f"{block.where()}: replace OLD => NEW; ..."
            block.replacements = tuple((a.strip(), b.strip()) for a, b in pairs)
            for old, _ in block.replacements:
                assert old in block.code, f"{block.where()}: {old!r} is not in the block"
        out.append(block)
        i = end + 1
    return out


def sandbox(tmp_path: Path) -> Path:
    """A folder laid out like a clone, with the public data beside it."""
    (tmp_path / "shared").symlink_to(shared_data().parent, target_is_directory=True)
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("territories", "data", "notebooks"):
        (clone / name).symlink_to(ROOT / name, target_is_directory=True)
    (clone / "scenarios").mkdir()  # a folder of its own: the TOML blocks are written in it
    for scenario in (ROOT / "scenarios").glob("*.toml"):
        (clone / "scenarios" / scenario.name).symlink_to(scenario)
    return clone  # no results/ folder, as in a fresh clone: commands create what they write


def run_python(block: Block, code: str, namespace: dict[str, object]) -> None:
    try:
        exec(compile(code, block.where(), "exec"), namespace)  # the docs' own code
    except Exception as e:  # pragma: no cover - the failure is the report
        raise AssertionError(f"{block.where()}: {type(e).__name__}: {e}") from e


def run_shell(block: Block, code: str, clone: Path) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"{block.where()}: exit {done.returncode}\n{done.stderr[-3000:]}"


def run_toml(block: Block, code: str, clone: Path) -> None:
    text = code if "schema_version" in code else f'schema_version = 1\nname = "docs"\n{code}'
    path = clone / "scenarios" / f"docs_{block.line}.toml"
    path.write_text(text, encoding="utf-8")
    try:
        coopterra.load_scenario(path)
    except coopterra.CoopterraError as e:
        raise AssertionError(f"{block.where()}: {e}") from e


def check_syntax(block: Block) -> None:
    if block.language == "python":
        compile(block.code, block.where(), "exec")
    elif block.language == "toml":
        tomllib.loads(block.code)
    else:
        done = subprocess.run(["bash", "-n", "-c", block.code], capture_output=True, text=True)
        assert done.returncode == 0, f"{block.where()}: {done.stderr}"


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_code_block_runs(doc, tmp_path, monkeypatch, request):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    clone = sandbox(tmp_path)
    monkeypatch.chdir(clone)
    namespace: dict[str, object] = {"__name__": "__docs__", "coopterra": coopterra}
    every = blocks(doc)
    if any("DASK_SCHEDULER" in new for b in every for _, new in b.replacements):
        # A block written for a cluster runs on a real one: a scheduler, two workers, 127.0.0.1.
        client, _ = request.getfixturevalue("dask_cluster")
        namespace["DASK_SCHEDULER"] = client.scheduler.address
    try:
        for block in every:
            run_block(block, namespace, clone)
    finally:  # a Dask client a block opened would stay the process's default scheduler
        distributed = sys.modules.get("distributed")
        for value in namespace.values():
            if distributed is not None and isinstance(value, distributed.Client):
                value.close()


def run_block(block: Block, namespace: dict[str, object], clone: Path) -> None:
    if block.language in CODE:
        check_syntax(block)
    if block.language not in CODE or block.skip:
        return
    code = block.code
    for old, new in block.replacements:
        code = code.replace(old, new)
    if block.language == "python":
        run_python(block, code, namespace)
    elif block.language == "toml":
        run_toml(block, code, clone)
    else:
        run_shell(block, code, clone)


def test_the_extractor_sees_every_block():
    every = [b for doc in DOCS for b in blocks(doc)]
    languages = {b.language for b in every}
    assert {"python", "bash", "toml"} <= languages and languages <= CODE | {"text", "sh"}, languages
    skipped = [b for b in every if b.skip]
    assert len(skipped) <= 8, [b.where() for b in skipped]  # skipping is the exception
