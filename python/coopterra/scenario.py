"""Scenarios: TOML files validated by the engine, overridable by dotted keys.

>>> s = load_scenario("scenarios/baseline.toml", overrides={"territory.residents": 5000})
>>> s.get("territory.residents")
5000
"""

from __future__ import annotations

import datetime
import json
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from coopterra import _core
from coopterra._files import write_atomically
from coopterra.errors import ConfigurationError, Diagnostic

Value = bool | int | float | str | list[str] | list[float]
PathLike = str | os.PathLike[str]


def toml_literal(value: Any, key: str, origin: str) -> str:
    """The TOML text of a Python value given as an override: also NumPy's scalars and arrays
    (a grid from ``np.linspace``), and dates (``run.start_date``) as TOML dates."""
    if isinstance(value, np.generic | np.ndarray):
        value = value.tolist()  # NumPy scalars and arrays as Python's own
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return float.__repr__(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_literal(v, key, origin) for v in value) + "]"
    message = (
        f"expected a boolean, integer, number, string, date or list, got {type(value).__name__}"
    )
    raise ConfigurationError(
        f"configuration error: {origin}: {key}: {message}",
        [Diagnostic(origin, 0, 0, key, message)],
    )


@dataclass(frozen=True)
class Scenario:
    """A validated, immutable scenario. Build one with :func:`load_scenario`."""

    _core: _core.Scenario

    @property
    def source(self) -> str:
        """The file the scenario was read from (or a label)."""
        return self._core.source_name

    @property
    def name(self) -> str:
        return str(self.get("name"))

    def get(self, key: str) -> Value:
        """The value of a parameter by its dotted key, defaults included."""
        value: Value = self._core.get(key)
        return value

    def integer(self, key: str) -> int:
        """The value of an integer parameter (e.g. ``run.weeks``)."""
        value = self.get(key)
        if not isinstance(value, int):
            raise TypeError(f"{key} is not an integer parameter")
        return value

    def with_overrides(
        self, overrides: Mapping[str, Value] | None = None, /, **keywords: Value
    ) -> Scenario:
        """A new scenario with dotted-key overrides, validated like the file.

        Keyword form uses ``__`` for dots: ``with_overrides(territory__residents=5000)``.
        """
        items: dict[str, Value] = dict(overrides or {})
        items.update({k.replace("__", "."): v for k, v in keywords.items()})
        triples = []
        for key, value in items.items():
            origin = f"override {key}={value!r}"
            triples.append((key, toml_literal(value, key, origin), origin))
        return self.with_toml_overrides(triples)

    def with_toml_overrides(self, overrides: list[tuple[str, str, str]]) -> Scenario:
        """A new scenario with overrides given as (dotted key, TOML value text, origin label).

        A value that is not valid TOML is taken as a string, so ``territory.source=synthetic``
        needs no quotes. Errors name the origin label (for example ``--set KEY=VALUE``).
        """
        return Scenario(self._core.with_overrides(overrides))

    @property
    def overrides(self) -> dict[str, str]:
        """The overrides applied on top of the file, as TOML text by key."""
        return {key: value for key, value, _ in self._core.overrides}

    def to_toml(self) -> str:
        """The full scenario, every parameter with its value, as TOML text."""
        return self._core.resolved_toml()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the full scenario (every parameter with its value) as TOML, atomically."""
        write_atomically(path, self.to_toml())

    def diff(self, other: Scenario) -> dict[str, tuple[Any, Any]]:
        """The parameters whose values differ, by dotted key: ``{key: (this, other)}``.

        The policy timelines are compared as a whole under the key ``policies``.
        """
        mine, theirs = (
            _flatten(tomllib.loads(self.to_toml())),
            _flatten(tomllib.loads(other.to_toml())),
        )
        keys = sorted(set(mine) | set(theirs))
        return {k: (mine.get(k), theirs.get(k)) for k in keys if mine.get(k) != theirs.get(k)}

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, source={self.source!r})"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def load_scenario(
    path: PathLike | None = None,
    overrides: Mapping[str, Value] | None = None,
    *,
    territory: PathLike | None = None,
) -> Scenario:
    """Read and validate a scenario file; ``None`` gives the defaults.

    ``territory`` is a territory file (``territories/drome.toml``: a ``[territory]`` table)
    replacing the scenario's territory, as ``--territory`` does; ``overrides`` apply after it.
    Raises :class:`~coopterra.errors.ConfigurationError` listing every problem with its
    file:line:column and key path.
    """
    core = _core.Scenario.defaults() if path is None else _core.Scenario.from_file(os.fspath(path))
    scenario = Scenario(core)
    if territory is not None:
        scenario = scenario.with_toml_overrides(territory_override(territory))
    return scenario.with_overrides(overrides) if overrides else scenario


def territory_override(path: PathLike, origin: str = "") -> list[tuple[str, str, str]]:
    """The override that puts a territory file in place of a scenario's [territory]."""
    name = os.fspath(path)
    return [("territory", json.dumps(name), origin or f"territory file {name}")]


def scenario_from_text(text: str, source_name: str = "<text>") -> Scenario:
    """Validate a scenario given as TOML text."""
    return Scenario(_core.Scenario.from_string(text, source_name))


def validate(path: PathLike) -> list[Diagnostic]:
    """The problems of a scenario file; empty when it is valid."""
    return [Diagnostic(*d) for d in _core.validate_file(os.fspath(path))]


def parameters() -> list[dict[str, Any]]:
    """Every scenario parameter: key, type, default, min, max, unit, description, source."""
    return list(_core.parameters())


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped with coopterra (the repository's ``scenarios/`` folder), by name."""
    folder = resources.files("coopterra") / "scenarios"
    return {
        p.name[:-5]: Path(str(p))
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".toml")
    }
