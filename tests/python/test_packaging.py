"""Optional dependencies belong to extras; a missing one names the extra to install."""

from __future__ import annotations

import sys
import tomllib

import pytest

import coopterra
import coopterra.sensitivity
from coopterra._optional import EXTRAS, MissingDependencyError, require

from conftest import ROOT


def test_every_optional_module_belongs_to_a_declared_extra() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert set(EXTRAS.values()) <= set(declared)
    assert "all" in declared


def test_a_missing_optional_package_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "SALib", None)  # as if it were not installed
    for name in [m for m in sys.modules if m.startswith("SALib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError, match=r"coopterra\[sensitivity\]") as info:
        coopterra.sensitivity.explore(
            coopterra.load_scenario(), {"carpool.asc": (-2.0, -1.0)}, n=4, method="sobol"
        )
    assert isinstance(info.value, coopterra.CoopterraError)
    assert "\n" not in str(info.value)


def test_an_installed_module_is_returned() -> None:
    assert require("json", "a test").dumps([1]) == "[1]"
