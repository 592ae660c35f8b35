"""Calibration targets: public figures as data, each an expression over a run's results.

>>> targets = load_targets("data/targets/drome.toml")     # validated: located errors
>>> targets.fitted()                                      # the targets calibration uses
>>> targets.evaluate(ds)                                  # {key: value} for one run's results

A targets file (docs/calibration.md) is TOML: a header naming the territory the figures are
about, optional ``[calibration]`` settings, the ``[[parameter]]`` ranges calibration explores and
one ``[[target]]`` table per figure: its ``indicator`` (an expression, below), the ``years`` of the
run it reads (52-week blocks, 1-based, inclusive), its ``value`` and plausible interval
``[low, high]``, its ``source``, and ``use``: ``"fit"`` (calibration may use it) or
``"validate"`` (held out: never fitted, only checked afterwards); ``scale = "log"`` compares a
figure known within a factor on its logarithm.

Indicators are arithmetic (``+ - * /``, numbers, parentheses) over reductions of the results'
variables within the target's years:

- ``total(VAR, ...)``: summed over the weeks and every other dimension;
- ``per_year(VAR, ...)``: ``total`` divided by the number of years;
- ``mean(VAR, ...)``: the mean over the weeks of the sum over every other dimension;
- ``last(VAR, ...)``: the sum over every other dimension in the last week of the years;

where ``...`` are selections: ``market="food"`` (a dimension and a value or list of values along
it) or ``channel_kind=["cooperative", "incumbent"]`` (a variable along one dimension, keeping its
positions whose value is listed). The names ``years``, ``weeks`` (of the target's period) and
``population`` (inhabitants of the territory's communes) are numbers.
"""

from __future__ import annotations

import ast
import difflib
import functools
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from coopterra.errors import ConfigurationError, Diagnostic

SCHEMA = "coopterra-targets/1"
REDUCTIONS = ("total", "per_year", "mean", "last")
CONSTANTS = ("years", "weeks", "population")
USES = ("fit", "validate")


@dataclass(frozen=True)
class Target:
    """One public figure and how to read it from a run."""

    key: str
    indicator: str
    years: tuple[int, int]
    value: float
    low: float
    high: float
    source: str
    use: str = "fit"
    unit: str = ""
    description: str = ""
    territory: str = ""  # a territory file, resolved; "" for the scenario's own territory
    discrepancy: float = 0.5  # model-discrepancy SD as a fraction of the observation SD
    scale: str = "linear"  # "log": a count known within a factor, compared on its logarithm

    def transform(self, x: Any) -> Any:
        """A value on the scale calibration compares it on (the logarithm for ``log``, floored
        at a hundredth of ``low``)."""
        if self.scale == "log":
            return np.log(np.maximum(x, self.low / 100))
        return x

    @property
    def centre(self) -> float:
        """The value on the comparison scale."""
        return float(self.transform(self.value))

    @property
    def sd(self) -> float:
        """Observation SD on the comparison scale: the plausible interval read as the value
        plus or minus two SDs."""
        return float(self.transform(self.high) - self.transform(self.low)) / 4.0

    def contains(self, x: float) -> bool:
        return bool(self.low <= x <= self.high)


@dataclass(frozen=True)
class Parameter:
    """A parameter calibration explores, over [low, high]."""

    key: str
    low: float
    high: float
    why: str = ""


@dataclass(frozen=True)
class Targets:
    """A validated targets file."""

    name: str
    source: str  # the file
    text: str  # its content, for provenance
    territory: str  # resolved territory file ("" for the scenario's own)
    targets: tuple[Target, ...]
    parameters: tuple[Parameter, ...]
    cutoff: float = 3.0

    def fitted(self) -> list[Target]:
        return [t for t in self.targets if t.use == "fit"]

    def held_out(self) -> list[Target]:
        return [t for t in self.targets if t.use == "validate"]

    def weeks(self, use: str | None = None) -> int:
        """Weeks a run must last for every target (or every target of ``use``) to be read."""
        years = [t.years[1] for t in self.targets if use is None or t.use == use]
        return 52 * max(years, default=0)

    def territories(self) -> list[str]:
        """The distinct territories the targets are about, in order of first use."""
        seen: dict[str, None] = {}
        for t in self.targets:
            seen.setdefault(t.territory, None)
        return list(seen)

    def evaluate(self, ds: xr.Dataset, territory: str | None = None) -> dict[str, float]:
        """Every target's indicator on one run (only those about ``territory`` if given)."""
        return {
            t.key: evaluate(t.indicator, ds, t.years)
            for t in self.targets
            if territory is None or t.territory == territory
        }


# ------------------------------------------------------------------------------------------------
# Indicators


def evaluate(expression: str, ds: xr.Dataset, years: tuple[int, int]) -> float:
    """The value of an indicator expression on a run's results, within ``years``."""
    tree = _parse(expression)
    first, last = years
    weeks = ds.sizes.get("week", 0)
    if weeks < 52 * last:
        raise ValueError(f"the run lasts {weeks} weeks; the target reads years {first}-{last}")
    window = ds.isel(week=slice(52 * (first - 1), 52 * last))
    constants = {
        "years": float(last - first + 1),
        "weeks": float(52 * (last - first + 1)),
        "population": float(ds["zone_population"].sum()) if "zone_population" in ds else math.nan,
    }
    return float(_Evaluator(window, constants).visit(tree.body))


@functools.lru_cache(maxsize=256)
def _parse(expression: str) -> ast.Expression:
    return ast.parse(expression, mode="eval")


class _Evaluator(ast.NodeVisitor):
    def __init__(self, ds: xr.Dataset, constants: dict[str, float]) -> None:
        self.ds = ds
        self.constants = constants

    def visit_Constant(self, node: ast.Constant) -> float:
        assert isinstance(node.value, int | float)
        return float(node.value)

    def visit_Name(self, node: ast.Name) -> float:
        return self.constants[node.id]

    def visit_UnaryOp(self, node: ast.UnaryOp) -> float:
        x = float(self.visit(node.operand))
        return -x if isinstance(node.op, ast.USub) else x

    def visit_BinOp(self, node: ast.BinOp) -> float:
        a, b = float(self.visit(node.left)), float(self.visit(node.right))
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return a / b if b != 0 else math.nan

    def visit_Call(self, node: ast.Call) -> float:
        assert isinstance(node.func, ast.Name) and isinstance(node.args[0], ast.Name)
        how = node.func.id
        data = self.ds[node.args[0].id]
        keep: dict[str, np.ndarray] = {}  # positions kept along each dimension
        for keyword in node.keywords:
            assert keyword.arg is not None
            dim, mask = _selection(self.ds, keyword.arg, ast.literal_eval(keyword.value))
            keep[dim] = keep[dim] & mask if dim in keep else mask
        if keep:
            data = data.isel({dim: np.flatnonzero(mask) for dim, mask in keep.items()})
        others = [d for d in data.dims if d != "week"]
        weekly = data.sum(others) if others else data
        if how == "last":
            return float(weekly.isel(week=-1))
        if how == "mean":
            return float(weekly.mean())
        total = float(weekly.sum())
        return total / self.constants["years"] if how == "per_year" else total


def _selection(ds: xr.Dataset, name: str, wanted: Any) -> tuple[str, np.ndarray]:
    """The dimension a selection KEY=VALUE applies to, and the positions it keeps along it. A
    value the results do not have is an error, not a zero (a misspelt label would otherwise
    read as no purchase at all)."""
    values = wanted if isinstance(wanted, list) else [wanted]
    along = ds[name]  # a dimension's coordinate, or a variable along one dimension
    absent = [v for v in values if not np.isin(along.values, [v]).any()]
    if absent:
        have = ", ".join(repr(v) for v in list(dict.fromkeys(along.values.tolist()))[:12])
        raise ValueError(f"{name}={absent[0]!r}: no such value in the results ({name}: {have})")
    return str(along.dims[0]), np.isin(along.values, values)


def check_expression(expression: str, variables: dict[str, tuple[str, ...]]) -> str | None:
    """What is wrong with an indicator expression (None when it is valid), given the results'
    variables and their dimensions."""
    try:
        tree = _parse(expression)
    except SyntaxError as e:
        return f"not an expression: {e.msg} (at column {e.offset})"
    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.Constant,
        ast.Name,
        ast.Call,
        ast.Load,
        ast.Add,
        ast.Sub,
        ast.Mult,
        ast.Div,
        ast.USub,
        ast.UAdd,
    )
    for node in _walk_outside_selections(tree):
        if not isinstance(node, allowed):
            return f"{type(node).__name__} is not allowed: use + - * /, numbers and " + ", ".join(
                f"{r}(...)" for r in REDUCTIONS
            )
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            return f"{node.value!r}: only numbers may stand alone"
        if isinstance(node, ast.Call):
            problem = _check_call(node, variables)
            if problem:
                return problem
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and isinstance(node.right, ast.Constant)
            and node.right.value == 0
        ):
            return "a division by zero"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not _is_call_part(tree, node):
            if node.id not in CONSTANTS:
                return (
                    f"{node.id!r} stands alone: wrap a variable in one of "
                    f"{', '.join(REDUCTIONS)}, or use a constant ({', '.join(CONSTANTS)})"
                )
    return None


def _walk_outside_selections(tree: ast.AST) -> list[ast.AST]:
    """The nodes of an expression, without the values of its selections (KEY=VALUE), which
    ``_check_call`` checks as literals."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.Call):
            todo.extend([node.func, *node.args])
        else:
            todo.extend(ast.iter_child_nodes(node))
    return out


def _is_call_part(tree: ast.AST, name: ast.Name) -> bool:
    return any(
        isinstance(n, ast.Call) and (n.func is name or (n.args and n.args[0] is name))
        for n in ast.walk(tree)
    )


def _check_call(node: ast.Call, variables: dict[str, tuple[str, ...]]) -> str | None:
    if not isinstance(node.func, ast.Name) or node.func.id not in REDUCTIONS:
        return f"unknown function: expected one of {', '.join(REDUCTIONS)}"
    how = node.func.id
    if len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
        return f"{how}(...) takes one variable of the results, then selections KEY=VALUE"
    name = node.args[0].id
    if name not in variables:
        close = difflib.get_close_matches(name, list(variables), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return f"{how}({name}): no such variable in the results{hint} (docs/results.md)"
    dims = variables[name]
    if "week" not in dims:
        return f"{how}({name}): {name} has no week dimension"
    for keyword in node.keywords:
        if keyword.arg is None:
            return f"{how}({name}): ** is not allowed"
        try:
            wanted = ast.literal_eval(keyword.value)
        except ValueError:
            return f"{how}({name}, {keyword.arg}=...): the value must be a literal"
        values = wanted if isinstance(wanted, list) else [wanted]
        if not all(isinstance(v, str | int | float) for v in values):
            return f"{how}({name}, {keyword.arg}=...): expected a value or a list of values"
        if keyword.arg in dims:
            continue
        along = variables.get(keyword.arg)
        if along is None or len(along) != 1 or along[0] not in dims:
            return (
                f"{how}({name}, {keyword.arg}=...): {keyword.arg} is neither a dimension of "
                f"{name} ({', '.join(dims)}) nor a variable along one of them"
            )
    return None


@functools.lru_cache(maxsize=1)
def _probe() -> xr.Dataset:
    """The results of a one-week run of a tiny territory: what every run's results hold."""
    from coopterra.scenario import load_scenario
    from coopterra.simulation import Simulation

    scenario = load_scenario(
        overrides={"territory.residents": 300, "territory.zones": 5, "run.weeks": 1}
    )
    sim = Simulation(scenario, seed=1, threads=1)
    sim.run(1)
    return sim.results()


def result_variables() -> dict[str, tuple[str, ...]]:
    """The results' variables and their dimensions."""
    ds = _probe()
    return {str(k): tuple(str(d) for d in ds[k].dims) for k in ds.variables}


def engine_revision() -> str:
    """The engine's ``git describe`` at build time, as its results files record it."""
    return str(_probe().attrs.get("git_revision", ""))


# ------------------------------------------------------------------------------------------------
# The file


_TOP = {"schema", "name", "description", "territory", "calibration", "parameter", "target"}
_CALIBRATION = {"discrepancy", "cutoff"}
_PARAMETER = {"key", "low", "high", "why"}
_TARGET = {
    "key",
    "indicator",
    "years",
    "value",
    "low",
    "high",
    "source",
    "use",
    "unit",
    "description",
    "territory",
    "discrepancy",
    "scale",
}


class _Locator:
    """Line and column of the keys of a TOML file's tables and arrays of tables, from its text
    (tomllib gives values, not positions)."""

    _header = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
    _assign = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.where: dict[tuple[str, int, str], tuple[int, int]] = {}
        self.headers: dict[tuple[str, int], int] = {}
        table, index = "", -1
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._header.match(line)
            if header:
                table = header.group(2)
                if header.group(1) == "[[":
                    index = counts.get(table, -1) + 1
                    counts[table] = index
                else:
                    index = -1
                self.headers[(table, index)] = number
                continue
            assign = self._assign.match(line)
            if assign:
                column = line.index("=") + 1
                while column < len(line) and line[column] == " ":
                    column += 1
                self.where.setdefault((table, index, assign.group(1)), (number, column + 1))

    def at(self, table: str, index: int, key: str) -> tuple[int, int]:
        if (table, index, key) in self.where:
            return self.where[(table, index, key)]
        return (self.headers.get((table, index), 0), 1 if (table, index) in self.headers else 0)


def load_targets(path: str | os.PathLike[str]) -> Targets:
    """Read and validate a targets file. Raises :class:`~coopterra.errors.ConfigurationError`
    listing every problem with its file:line:column and key."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigurationError(
            f"configuration error: {file}: cannot read the targets file: {e}",
            [Diagnostic(str(file), 0, 0, "", f"cannot read the targets file: {e}")],
        ) from e
    return targets_from_text(text, str(file), base=file.parent)


def targets_from_text(text: str, source: str = "<text>", base: Path | None = None) -> Targets:
    """Validate a targets file given as text; paths in it are relative to ``base``."""
    base = base if base is not None else Path.cwd()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise ConfigurationError(
            f"configuration error: {source}:{line}:{column}: {message}",
            [Diagnostic(source, line, column, "", f"not valid TOML: {message}")],
        ) from e
    where = _Locator(text)
    problems: list[Diagnostic] = []

    def problem(table: str, index: int, key: str, message: str) -> None:
        line, column = where.at(table, index, key)
        if index >= 0:
            label = f"{table}[{index + 1}]" + (f".{key}" if key else "")
        else:
            label = f"{table}.{key}" if table else key
        problems.append(Diagnostic(source, line, column, label, message))

    def top(key: str, message: str) -> None:
        problem("", -1, key, message)

    def in_calibration(key: str, message: str) -> None:
        problem("calibration", -1, key, message)

    for key in data:
        if key not in _TOP:
            problem("", -1, key, f"unknown key: expected one of {', '.join(sorted(_TOP))}")
    if data.get("schema", SCHEMA) != SCHEMA:
        problem("", -1, "schema", f"expected {SCHEMA!r}, got {data.get('schema')!r}")
    name = _text(data, "name", "", top)
    territory = _text(data, "territory", "", top)
    territory_file = _resolve(base, territory, top)

    settings = data.get("calibration", {})
    if not isinstance(settings, dict):
        problem("", -1, "calibration", "expected a table")
        settings = {}
    for key in settings:
        if key not in _CALIBRATION:
            problem(
                "calibration", -1, key, f"unknown key: expected {', '.join(sorted(_CALIBRATION))}"
            )
    discrepancy = _number(settings, "discrepancy", 0.5, in_calibration, 0, 10)
    cutoff = _number(settings, "cutoff", 3.0, in_calibration, 1, 10)

    parameters = _parameters(data.get("parameter", []), problem)
    targets: list[Target] = []
    raw_targets = data.get("target", [])
    if not isinstance(raw_targets, list) or not raw_targets:
        problem("", -1, "target", "expected at least one [[target]] table")
        raw_targets = []
    variables = result_variables()
    seen: set[str] = set()
    for raw, at in _entries(raw_targets, "target", _TARGET, problem):
        key = _text(raw, "key", None, at) or ""
        if key in seen:
            at("key", f"duplicate target key {key!r}")
        seen.add(key or "")
        indicator = _text(raw, "indicator", None, at)
        if indicator:  # a multi-line string reads as one line
            indicator = " ".join(indicator.split())
        if indicator:
            wrong = check_expression(indicator, variables)
            if wrong:
                at("indicator", wrong)
        years = raw.get("years")
        if (
            not isinstance(years, list)
            or len(years) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
            or not 1 <= years[0] <= years[1] <= 100
        ):
            at(
                "years",
                "expected [first, last] years of the run, 1 <= first <= last <= 100, "
                f"got {years!r}",
            )
            years = [1, 1]
        value = _number(raw, "value", None, at)
        low = _number(raw, "low", None, at)
        high = _number(raw, "high", None, at)
        if not (math.isnan(low) or math.isnan(high) or math.isnan(value)):
            if not low <= value <= high or not low < high:
                at(
                    "low",
                    f"expected low <= value <= high and low < high, got {low}, {value}, {high}",
                )
        source_text = _text(raw, "source", None, at)
        use = _text(raw, "use", "fit", at)
        if use not in USES:
            at("use", f"expected one of {', '.join(USES)}, got {use!r}")
        own = _text(raw, "territory", "", at)
        scale = _text(raw, "scale", "linear", at) or "linear"
        if scale not in ("linear", "log"):
            at("scale", f"expected linear or log, got {scale!r}")
        elif scale == "log" and not (low > 0):
            at("scale", f"a log scale needs low > 0, got low = {low}")
        targets.append(
            Target(
                key=key or "",
                indicator=indicator or "",
                years=(int(years[0]), int(years[1])),
                value=value,
                low=low,
                high=high,
                source=source_text or "",
                use=use or "fit",
                unit=_text(raw, "unit", "", at) or "",
                description=_text(raw, "description", "", at) or "",
                territory=_resolve(base, own, at) if own else territory_file,
                scale=scale,
                discrepancy=_number(raw, "discrepancy", discrepancy, at, 0, 10),
            )
        )
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigurationError(
            f"configuration error: {len(problems)} problem(s) in {source}:\n{lines}", problems
        )
    return Targets(
        name=name or Path(source).stem,
        source=source,
        text=text,
        territory=territory_file,
        targets=tuple(targets),
        parameters=tuple(parameters),
        cutoff=cutoff,
    )


def _parameters(raw: Any, problem: Any) -> list[Parameter]:
    from coopterra.scenario import parameters as registry

    known = {p["key"]: p for p in registry()}
    out: list[Parameter] = []
    if not isinstance(raw, list):
        problem("", -1, "parameter", "expected [[parameter]] tables")
        return out
    seen: set[str] = set()
    for entry, at in _entries(raw, "parameter", _PARAMETER, problem):
        key = _text(entry, "key", None, at)
        if key is None:
            continue
        if key in seen:
            at("key", f"duplicate parameter {key!r}")
        seen.add(key)
        spec = known.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            at("key", f"{key!r} is not a scenario parameter{hint} (coopterra parameters)")
            continue
        if spec["type"] not in ("number", "integer"):
            at("key", f"{key} is a {spec['type']}: only numbers can be calibrated")
            continue
        low = _number(entry, "low", None, at)
        high = _number(entry, "high", None, at)
        if math.isnan(low) or math.isnan(high):
            continue
        lo, hi = spec.get("min"), spec.get("max")
        if not low < high:
            at("low", f"expected low < high, got {low} and {high}")
        elif (lo is not None and low < lo) or (hi is not None and high > hi):
            at("low", f"[{low}, {high}] leaves the parameter's range [{lo}, {hi}]")
        why = _text(entry, "why", "", at) or ""
        out.append(Parameter(key, low, high, why))
    return out


def _entries(
    raw: list[Any], table: str, allowed: set[str], problem: Any
) -> Iterator[tuple[dict[str, Any], Callable[[str, str], None]]]:
    """The tables of an array of tables (``[[target]]``), each with the function that reports
    a problem at one of its keys; an entry that is not a table, and unknown keys, reported."""
    for i, entry in enumerate(raw):

        def at(key: str, message: str, i: int = i) -> None:
            problem(table, i, key, message)

        if not isinstance(entry, dict):
            at("", "expected a table")
            continue
        for key in entry:
            if key not in allowed:
                at(key, f"unknown key: expected one of {', '.join(sorted(allowed))}")
        yield entry, at


def _text(table: dict[str, Any], key: str, default: str | None, fail: Any) -> str | None:
    """A string of a table; ``fail(key, message)`` reports a problem (default None: required)."""
    if key not in table:
        if default is None:
            fail(key, "missing: expected a string")
        return default
    value = table[key]
    if not isinstance(value, str) or (default is None and not value.strip()):
        fail(key, f"expected a non-empty string, got {value!r}")
        return default
    return value


def _number(
    table: dict[str, Any],
    key: str,
    default: float | None,
    fail: Any,
    low: float = -math.inf,
    high: float = math.inf,
) -> float:
    if key not in table:
        if default is None:
            fail(key, "missing: expected a number")
            return math.nan
        return default
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        fail(key, f"expected a finite number, got {value!r}")
        return math.nan if default is None else default
    if not low <= value <= high:
        fail(key, f"expected a number in [{low:g}, {high:g}], got {value}")
    return float(value)


def _resolve(base: Path, name: str | None, fail: Any) -> str:
    """The territory file ``name``, relative to ``base``; ``fail("territory", message)``."""
    if not name:
        return ""
    path = (base / name).resolve()
    if not path.is_file():
        fail("territory", f"no such territory file: {path}")
    return str(path)
