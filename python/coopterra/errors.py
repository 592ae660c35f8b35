"""Typed, located errors.

Every error coopterra raises says what kind of failure it is and, where it can, where it comes
from: file, line, column and the key path in the scenario. A scenario with several mistakes is
reported all at once: ``err.diagnostics`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """One located problem."""

    file: str
    line: int  # 1-based; 0 when unknown
    column: int  # 1-based; 0 when unknown
    key: str  # dotted key path, e.g. "territory.residents"
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.file and self.line > 0:
            where += f":{self.line}"
            if self.column > 0:
                where += f":{self.column}"
        parts = [p for p in (where, self.key, self.message) if p]
        return ": ".join(parts)


class CoopterraError(Exception):
    """Base of every error coopterra raises on purpose."""

    def __init__(
        self,
        message: str,
        diagnostics: Iterable[Diagnostic | tuple[str, int, int, str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.diagnostics: list[Diagnostic] = [
            d if isinstance(d, Diagnostic) else Diagnostic(*d) for d in diagnostics
        ]


class ConfigurationError(CoopterraError, ValueError):
    """A scenario or override that is malformed, mistyped, out of range or inconsistent."""


class InputDataError(CoopterraError, ValueError):
    """Data read from outside (a commune table, an edge list) that is malformed or inconsistent."""


class CoopterraIOError(CoopterraError, OSError):
    """A file that cannot be read or written."""


class InvariantError(CoopterraError, RuntimeError):
    """A broken internal law (money not conserved...): a bug in coopterra, please report it."""


__all__ = [
    "ConfigurationError",
    "CoopterraError",
    "CoopterraIOError",
    "Diagnostic",
    "InputDataError",
    "InvariantError",
]
