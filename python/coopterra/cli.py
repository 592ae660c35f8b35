"""The command line: ``coopterra run``, ``compare``, ``report``, ``calibrate``, ``validate`` and
``parameters``
(also ``python -m coopterra``).

Exit codes: 0 success; 2 invalid scenario or arguments (one located line per problem, nothing
written); 1 any other coopterra error; 130 interrupted by Ctrl-C; 141 output pipe closed (as
``coopterra parameters | head``: quiet). Arguments are checked by the validation layer below
(ranges, output paths writable) before any simulation starts.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fnmatch
import io
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

from coopterra import __version__, _core
from coopterra._files import check_writable, exclusive_output, write_atomically
from coopterra.errors import (
    ConfigurationError,
    CoopterraError,
    CoopterraIOError,
    InputDataError,
)
from coopterra.scenario import (
    Scenario,
    load_scenario,
    parameters,
    shipped_scenarios,
    territory_override,
    validate,
)
from coopterra.simulation import Simulation
from coopterra.summary import format_summary

if TYPE_CHECKING:
    import xarray as xr

    from coopterra.compare import Comparison

T = TypeVar("T")

# --- Validation layer: every argument checked before any work ----------------------------------

MAX_WEEKS = 5200  # as run.weeks: a century
MAX_SEED = 2**53


def _integer(name: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high], else a one-line error (exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < low or (high is not None and value > high):
            span = f"from {low:,} to {high:,}" if high is not None else f">= {low}"
            raise argparse.ArgumentTypeError(f"must be an integer {span}, got {text}")
        return value

    parse.__name__ = name
    return parse


weeks_type = _integer("weeks", 1, MAX_WEEKS)
seed_type = _integer("seed", 0, MAX_SEED)
count_type = _integer("count", 1)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``coopterra run: error: argument --weeks: ...``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _check_arguments(args: argparse.Namespace) -> None:
    """What argparse cannot check alone, before any folder is made or file read."""
    if getattr(args, "command", None) == "compare":
        if args.seed + args.replicates - 1 > MAX_SEED:  # replicate r runs seed + r
            raise ConfigurationError(
                f"configuration error: --seed {args.seed} with --replicates {args.replicates}: the "
                f"last replicate's seed would pass {MAX_SEED:,}",
                [
                    (
                        f"--seed {args.seed}",
                        0,
                        0,
                        "",
                        f"with {args.replicates} replicates (seeds seed to seed + "
                        f"{args.replicates - 1}), at most {MAX_SEED - args.replicates + 1:,}",
                    )
                ],
            )


def _check_outputs(args: argparse.Namespace) -> None:
    """Output paths checked (writable, not under a file) before a run, not after it."""
    if getattr(args, "command", None) in ("calibrate", "compare"):
        check_writable(args.out, folder=True)
    elif getattr(args, "out", None) is not None:
        check_writable(args.out)
    for name in ("table", "report", "excel", "pdf"):  # the files a comparison's report writes
        if isinstance(getattr(args, name, None), str):
            check_writable(getattr(args, name))


def _interruptible(work: Callable[[], T]) -> T:
    """Run ``work`` (engine code that releases the GIL: building a territory and population)
    in a thread, so that Ctrl-C is honoured at once, not when the build ends."""
    box: dict[str, T] = {}
    failure: list[BaseException] = []

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as e:  # handed to the main thread
            failure.append(e)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(130)  # the build cannot be stopped midway; nothing was written
    if failure:
        raise failure[0]
    return box["value"]


def _progress(args: argparse.Namespace) -> bool:
    """Progress bars by default on a terminal, off when stderr is not one (logs, pipes)."""
    return args.progress if args.progress is not None else sys.stderr.isatty()


def _with_weeks(scenario: Scenario, args: argparse.Namespace) -> Scenario:
    """--weeks beyond run.weeks moves the run's horizon (see ensemble.with_horizon)."""
    from coopterra.ensemble import with_horizon

    if args.weeks is not None and args.weeks > scenario.integer("run.weeks"):
        scenario = scenario.with_toml_overrides(
            [("run.weeks", str(args.weeks), f"--weeks {args.weeks}")]
        )
    else:
        scenario = with_horizon(scenario, None)
    if args.weeks is not None:
        _warn_beyond(scenario, args.weeks)
    return scenario


def _warn_beyond(scenario: Scenario, weeks: int) -> None:
    """Say which policies, shocks and snapshots a run shorter than run.weeks never reaches: the
    comparison would otherwise read "no measurable change" without saying why."""
    import tomllib

    table = tomllib.loads(scenario.to_toml())
    for timeline in ("policies", "shocks"):
        for i, event in enumerate(table.get(timeline, []), 1):
            if event.get("start_week", 1) > weeks:
                label = event.get("label", event["kind"])
                print(
                    f"warning: {scenario.source}: {timeline}[{i}] ({label}) starts at week "
                    f"{event['start_week']}, after the run's {_weeks_text(weeks)}: it never acts",
                    file=sys.stderr,
                )
    late = [w for w in table.get("outputs", {}).get("snapshot_weeks", []) if w > weeks]
    if late:
        print(
            f"warning: {scenario.source}: outputs.snapshot_weeks {late} after the run's "
            f"{_weeks_text(weeks)}: no snapshot there",
            file=sys.stderr,
        )


def _weeks_text(weeks: int) -> str:
    return "week" if weeks == 1 else f"{weeks} weeks"


# --- Commands -----------------------------------------------------------------------------------


def _parse_set(items: Sequence[str]) -> list[tuple[str, str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigurationError(
                f"configuration error: --set {item}: expected KEY=VALUE, e.g. "
                "territory.residents=200000",
                [("--set " + item, 0, 0, key, "expected KEY=VALUE")],
            )
        out.append((key.strip(), value.strip(), f"--set {item}"))
    return out


def _overrides(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """--territory FILE, then every --set KEY=VALUE, in the order given."""
    territory = (
        territory_override(args.territory, f"--territory {args.territory}")
        if args.territory
        else []
    )
    return territory + _parse_set(args.set or [])


def _run(args: argparse.Namespace) -> int:
    path = args.scenario or shipped_scenarios()["baseline"]
    out = Path(args.out) if args.out else Path("results") / f"{Path(str(path)).stem}.h5"
    check_writable(out)
    scenario = load_scenario(path)
    overrides = _overrides(args)
    if overrides:
        scenario = scenario.with_toml_overrides(overrides)
    scenario = _with_weeks(scenario, args)
    from coopterra.ensemble import available_cores

    threads = args.threads if args.threads is not None else available_cores()
    with exclusive_output(out):
        sim = _interruptible(lambda: Simulation(scenario, seed=args.seed, threads=threads))
        weeks = args.weeks if args.weeks is not None else scenario.integer("run.weeks")
        try:
            sim.run(weeks, progress=_progress(args))
        except KeyboardInterrupt:
            print(f"interrupted after week {sim.week}; no results written", file=sys.stderr)
            return 130
        sim.write(out)
    ds = sim.results()
    print(format_summary(ds, sim.profile()))
    print(_headlines(ds))
    print(f"results written to {out}")
    return 0


def _headlines(ds: xr.Dataset) -> str:
    """The headline outcomes of a run: the same families as ``compare`` shows (climate, public
    money, jobs, firms, platforms, fees, local multiplier)."""
    from coopterra.outcomes import HEADLINES, quantity
    from coopterra.summary import text_columns

    rows = [(h.name, quantity(h.value(ds), h.unit, h.integer)) for h in HEADLINES]
    lines = ["headline outcomes (as in `coopterra compare`)"]
    return "\n".join(lines + text_columns(rows, (False, True), indent="  "))


def _compare(args: argparse.Namespace) -> int:
    from coopterra.compare import compare

    overrides = _overrides(args)
    scenarios = [load_scenario(path) for path in [args.baseline, *args.scenarios]]
    if overrides:
        scenarios = [s.with_toml_overrides(overrides) for s in scenarios]
    scenarios = [_with_weeks(s, args) for s in scenarios]
    _check_report_options(args)
    try:
        comparison = compare(
            scenarios[0],
            scenarios[1:],
            replicates=args.replicates,
            seed=args.seed,
            threads=args.threads,  # None: the runs go in parallel, as many at a time as cores
            weeks=args.weeks,
            out=args.out,
            progress=_progress(args),
            posterior=args.posterior,
        )
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    print(comparison.format())
    print(f"uncertainty: {comparison.uncertainty}")
    if args.table:
        write_atomically(args.table, comparison.table.to_csv(index=False))
        print(f"table written to {args.table}")
    _write_outputs(comparison, args, args.report)
    print(f"results of every run in {args.out} (listed in its manifest.json)")
    return 0


def _write_outputs(comparison: Comparison, args: argparse.Namespace, report: str | None) -> None:
    """The report (HTML, and PDF) and the Excel workbook that compare and report write."""
    from coopterra.report import report_to_pdf, write_report

    if args.excel:
        comparison.to_excel(args.excel)
        print(f"workbook written to {args.excel}")
    if report or args.pdf:
        html = Path(report) if report else Path(args.pdf).with_suffix(".html")
        if args.boundaries is not None:
            from coopterra.maps import boundaries_matched, zones_of_results

            zones = zones_of_results(comparison.runs[comparison.baseline][0])
            if (matched := boundaries_matched(args.boundaries, zones)) < len(zones):
                print(
                    f"warning: the boundaries have {matched} of the territory's {len(zones)} "
                    "communes" + (": the maps are schematic" if not matched else ""),
                    file=sys.stderr,
                )
        write_report(comparison, html, boundaries=args.boundaries, lang=args.lang)
        print(f"report written to {html}")
        if args.pdf:
            report_to_pdf(html, args.pdf)
            print(f"PDF written to {args.pdf}")


def _check_report_options(args: argparse.Namespace) -> None:
    """Fail on unreadable boundaries or a missing browser before any run, not after."""
    if args.boundaries:
        from coopterra.maps import load_boundaries

        args.boundaries = load_boundaries(args.boundaries)
    if args.pdf:
        from coopterra.report import chromium

        chromium()


def _report(args: argparse.Namespace) -> int:
    from coopterra.compare import load_comparison
    from coopterra.report import check_runs

    _check_report_options(args)
    comparison = load_comparison(args.results)
    check_runs(comparison)  # before the table is printed or any file written
    print(comparison.format())
    out = args.out or str(Path(args.results) / "report.html")
    _write_outputs(comparison, args, out)
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from coopterra.calibrate import POSTERIOR, VALIDATION, calibrate

    scenario = load_scenario(args.scenario) if args.scenario else None
    if scenario is not None and _overrides(args):
        scenario = scenario.with_toml_overrides(_overrides(args))
    elif _overrides(args):
        scenario = load_scenario().with_toml_overrides(_overrides(args))
    executor = None
    client = None
    if args.scheduler:
        from coopterra._optional import require

        distributed = require("distributed", "calibration on a Dask cluster")
        client = distributed.Client(args.scheduler)
        executor = client.get_executor()
    try:
        cal = calibrate(
            args.targets,
            scenario,
            out=args.out,
            replicates=args.replicates,
            screening=args.screening,
            keep=args.keep,
            waves=args.waves,
            runs_per_wave=args.runs_per_wave,
            population=args.population,
            generations=args.generations,
            draws=args.draws,
            seed=args.seed,
            threads_per_run=args.threads or 1,
            executor=executor,
            workers=args.workers,
            progress=_progress(args),
        )
    finally:
        if client is not None:
            client.close()
    print(
        f"calibrated {', '.join(cal.parameters)} on {cal.targets.name}: {cal.runs} runs "
        f"({cal.new_runs} new, the others resumed), {cal.seconds:.0f} s"
    )
    for w in cal.waves:
        print(f"  wave {w.wave}: {w.runs} runs, non-implausible fraction {w.non_implausible:.3f}")
    for key, m in cal.posterior.marginals().items():
        print(f"  {key}: median {m['median']:.3g} [{m['q05']:.3g}, {m['q95']:.3g}]")
    table = cal.validation()
    for target, r in table.iterrows():
        print(
            f"  {target} ({r.use}): {r.value:.4g} [{r.low:.4g}, {r.high:.4g}]; before "
            f"{r.before:.4g}, after {r.after:.4g} [{r.after_q05:.4g}, {r.after_q95:.4g}]: "
            f"{'pass' if r.passes else 'FAIL'}"
        )
    print(f"posterior written to {Path(args.out) / POSTERIOR}")
    print(f"validation report written to {Path(args.out) / VALIDATION}")
    return 0


def _is_targets_file(path: str) -> bool:
    # Only the head of a regular file: a device would never end, a FIFO would wait (the scenario
    # reader then says what the path is).
    try:
        if not Path(path).is_file():
            return False
        with open(path, "rb") as f:
            head = f.read(20000).decode("utf-8", errors="replace")
    except OSError:
        return False
    return "coopterra-targets/" in head or "[[target]]" in head


def _is_territory_file(path: str) -> bool:
    """A territory file (territories/drome.toml): a [territory] table and nothing else. Told by
    its lines, not parsed here: the engine's reader (bounded in size and depth) parses it."""
    try:
        if not Path(path).is_file() or Path(path).stat().st_size > 1 << 20:
            return False
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return False  # the scenario reader says what is wrong with it
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    headers = [line for line in lines if line.startswith("[")]
    return (
        bool(lines)
        and lines[0].replace(" ", "") == "[territory]"
        and all(h.replace(" ", "").startswith(("[territory]", "[territory.")) for h in headers)
    )


def _validate(args: argparse.Namespace) -> int:
    from coopterra.targets import load_targets

    status = 0
    for path in args.files:
        # A territory file is checked as --territory reads it (on the defaults), a targets file
        # as calibrate reads it; anything else as a scenario.
        kind, load = (
            ("territory", lambda p: load_scenario(None, territory=p))
            if _is_territory_file(path)
            else ("targets", load_targets)
            if _is_targets_file(path)
            else ("", None)
        )
        if load is not None:
            try:
                load(path)
            except ConfigurationError as e:
                for d in e.diagnostics:
                    print(str(d))
                status = 2
                continue
            if not args.quiet:
                print(f"{path}: valid ({kind})")
            continue
        # In file and line order: the file given first, then the files it extends.
        problems = sorted(
            validate(path), key=lambda d: (d.file != str(path), d.file, d.line, d.column)
        )
        for d in problems:
            print(str(d))
        if problems:
            status = 2
        elif not args.quiet:
            print(f"{path}: valid")
    return status


def parameters_markdown() -> str:
    """docs/parameters.md: every scenario parameter, generated from the engine's registry."""
    lines = [
        "# Scenario parameters",
        "",
        "Generated from the engine's parameter registry (`sim/coopterra/scenario/parameters.cpp`)",
        "by `coopterra parameters --markdown`; a test checks that this page is current.",
        "Every key can be set in a scenario file or overridden with `--set KEY=VALUE`.",
        "",
        "| key | type | default | range | unit | description | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p in parameters():
        if p["type"] in ("integer", "number"):
            lo, hi = (
                f"{v:g}" if p["type"] == "number" else f"{int(v):,}" for v in (p["min"], p["max"])
            )
            span = f"{lo} to {hi}"
        elif p["choices"]:
            span = ", ".join(f"`{c}`" for c in p["choices"])
        else:
            span = ""
        default = json.dumps(p["default"]) if isinstance(p["default"], str | bool) else p["default"]
        cells = [
            f"`{p['key']}`",
            p["type"],
            f"`{default}`",
            span,
            p["unit"],
            p["description"],
            p["source"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += [
        "",
        "## Fields of the timeline: policies (`[[policies]]`) and shocks (`[[shocks]]`)",
        "",
        "| field | kinds | type | required | default | range or values | unit | description "
        "| source |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p in _core.policy_parameters():
        span = (
            f"{p['min']:g} to {p['max']:g}"
            if p["min"] is not None
            else ", ".join(f"`{c}`" for c in p["choices"])
        )
        cells = [
            f"`{p['key']}`",
            ", ".join(p["kinds"]),
            p["type"],
            "yes" if p["required"] else "no",
            f"`{p['default']}`",
            span,
            p["unit"],
            p["description"],
            p["source"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def parameters_csv() -> str:
    """data/parameters.csv: the registry as a table for other tools (R, spreadsheets, SALib)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "type", "default", "min", "max", "unit", "description", "source"])
    for p in parameters():
        numeric = p["type"] in ("integer", "number")
        default = p["default"]
        if isinstance(default, list):
            default = json.dumps(default)
        elif isinstance(default, bool):
            default = "true" if default else "false"
        writer.writerow(
            [
                p["key"],
                p["type"],
                default,
                p["min"] if numeric else "",
                p["max"] if numeric else "",
                p["unit"],
                p["description"],
                p["source"],
            ]
        )
    return out.getvalue()


def _parameters(args: argparse.Namespace) -> int:
    if args.markdown:
        print(parameters_markdown(), end="")
        return 0
    if args.csv:
        print(parameters_csv(), end="")
        return 0
    chosen = [p for p in parameters() if _matches(p, args.pattern)]
    if not chosen:
        print(f"no parameter matches {args.pattern!r}", file=sys.stderr)
        return 1
    for p in chosen:
        unit = f" [{p['unit']}]" if p["unit"] else ""
        print(f"{p['key']} = {p['default']!r}{unit}")
        print(f"    {p['description']}\n    source: {p['source']}")
    return 0


def _matches(p: dict[str, object], pattern: str | None) -> bool:
    """A parameter matches a glob on its key (``territory.*``) or a word of its key or
    description (``budget``), case-insensitively."""
    if not pattern:
        return True
    key = str(p["key"]).lower()
    text = pattern.lower()
    if any(c in text for c in "*?["):
        return fnmatch.fnmatchcase(key, text)
    return text in key or text in str(p["description"]).lower()


def _add_run_options(command: argparse.ArgumentParser) -> None:
    """Options every command that runs simulations takes."""
    command.add_argument(
        "--threads",
        type=_integer("threads", 1, 1024),
        help="threads per run; results do not depend on it (run: all cores by default; "
        "compare: as many runs at a time as cores, the cores shared when runs are fewer)",
    )
    command.add_argument(
        "--weeks",
        type=weeks_type,
        help="weeks to simulate (default: run.weeks; more than run.weeks extends the run's "
        "horizon, so policies 'until the end' last to the end)",
    )
    command.add_argument(
        "--territory",
        metavar="FILE",
        help="run on the territory of a territory file (territories/drome.toml) instead of the "
        "scenario's own",
    )
    _add_set_and_progress(command)


def _add_set_and_progress(command: argparse.ArgumentParser) -> None:
    """--set KEY=VALUE and --progress, for every command that runs simulations."""
    command.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a scenario key by its dotted path; repeatable",
    )
    command.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bars (default: on when stderr is a terminal)",
    )


def _add_report_options(command: argparse.ArgumentParser) -> None:
    """Options of the commands that write a comparison's report."""
    command.add_argument("--lang", choices=["en", "fr"], default="en", help="report language")
    command.add_argument("--pdf", help="also print the report to this PDF (headless Chromium)")
    command.add_argument("--excel", help="write the comparison as an Excel workbook")
    command.add_argument(
        "--boundaries",
        help="commune boundaries (GeoJSON, GeoPackage...) for choropleth maps by commune",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coopterra",
        description="Territorial simulation of partnerships between local governments and "
        "platform cooperatives.",
    )
    parser.add_argument("--version", action="version", version=f"coopterra {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run a scenario, print a summary, write an HDF5 file")
    run.add_argument("scenario", nargs="?", help="scenario file (default: the shipped baseline)")
    run.add_argument(
        "--seed", type=seed_type, help="seed of the run (default: the scenario's run.seed)"
    )
    _add_run_options(run)
    run.add_argument("--out", help="results file (default: results/SCENARIO.h5)")
    run.set_defaults(handler=_run)
    cmp = sub.add_parser("compare", help="paired comparison of scenarios against a baseline")
    cmp.add_argument("baseline", help="the baseline scenario file")
    cmp.add_argument("scenarios", nargs="+", help="scenario files to compare with it")
    cmp.add_argument(
        "--replicates", type=count_type, default=5, help="paired runs per scenario (5)"
    )
    cmp.add_argument("--seed", type=seed_type, default=1, help="seed of the first replicate (1)")
    _add_run_options(cmp)
    cmp.add_argument(
        "--out",
        default="results/compare",
        help="folder for every run's results file (results/compare)",
    )
    cmp.add_argument(
        "--posterior",
        help="posterior file of calibrated draws (coopterra calibrate): replicate r runs at "
        "draw r, so intervals carry the parameters' uncertainty with the seeds' "
        "(default: the baseline's [uncertainty] posterior)",
    )
    cmp.add_argument("--table", help="write the comparison table as CSV")
    cmp.add_argument("--report", help="write a self-contained HTML report")
    _add_report_options(cmp)
    cmp.set_defaults(handler=_compare)
    rep = sub.add_parser("report", help="rebuild the report of a comparison from its saved runs")
    rep.add_argument("results", help="the folder that 'compare --out' wrote (with manifest.json)")
    rep.add_argument("--out", help="the HTML report (default: RESULTS/report.html)")
    _add_report_options(rep)
    rep.set_defaults(handler=_report)
    cal = sub.add_parser(
        "calibrate",
        help="calibrate on a targets file: screening, history matching, ABC-SMC; resumable",
    )
    cal.add_argument("targets", help="targets file (data/targets/drome.toml)")
    cal.add_argument("--scenario", help="scenario to calibrate (default: the shipped defaults)")
    cal.add_argument("--out", default="results/calibration", help="folder (results/calibration)")
    cal.add_argument(
        "--replicates",
        type=_integer("replicates", 2),
        default=4,
        help="seeds of the scenario as it is: the model's noise (4)",
    )
    cal.add_argument(
        "--screening",
        type=_integer("screening", 0),
        default=4,
        help="Morris trajectories, 0 to skip screening (4)",
    )
    cal.add_argument(
        "--keep", type=count_type, default=6, help="parameters kept after screening (6)"
    )
    cal.add_argument("--waves", type=count_type, default=3, help="history-matching waves (3)")
    cal.add_argument(
        "--runs-per-wave", type=_integer("runs-per-wave", 4), default=40, help="runs per wave (40)"
    )
    cal.add_argument(
        "--population",
        type=_integer("population", 4),
        default=40,
        help="ABC-SMC particles per generation (40)",
    )
    cal.add_argument("--generations", type=count_type, default=3, help="ABC-SMC generations (3)")
    cal.add_argument("--draws", type=count_type, default=100, help="draws in the posterior (100)")
    cal.add_argument("--seed", type=seed_type, default=1, help="seed of designs and runs (1)")
    cal.add_argument("--threads", type=count_type, help="threads per run (1)")
    cal.add_argument(
        "--workers",
        type=count_type,
        help="runs at a time in ABC-SMC (default: the cores / threads per run)",
    )
    cal.add_argument("--scheduler", help="address of a Dask scheduler to run on (tcp://...)")
    _add_set_and_progress(cal)
    cal.set_defaults(handler=_calibrate, territory=None)
    val = sub.add_parser("validate", help="check scenario files; FILE:LINE:COL messages")
    val.add_argument("files", nargs="+")
    val.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    val.set_defaults(handler=_validate)
    par = sub.add_parser("parameters", help="list every scenario parameter with unit and source")
    par.add_argument(
        "pattern",
        nargs="?",
        help="only the parameters whose key matches this glob (territory.*) or whose key or "
        "description contains this word",
    )
    form = par.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="as the table of docs/parameters.md")
    form.add_argument(
        "--csv", action="store_true", help="as data/parameters.csv (machine-readable)"
    )
    par.set_defaults(handler=_parameters)
    return parser


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a batch system's, `kill`) stops a command as Ctrl-C does: outputs and their
    locks cleaned up, nothing half-written, instead of a death that skips every cleanup."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        with _quiet_broken_pipe():
            _check_arguments(args)
            _check_outputs(args)
            status: int = args.handler(args)
            sys.stdout.flush()
        return status
    except BrokenPipeError:
        return 141
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except ConfigurationError as e:
        for line in [str(d) for d in e.diagnostics] or [str(e)]:
            print(line, file=sys.stderr)
        return 2
    except (CoopterraIOError, InputDataError) as e:  # bad input: a file, a table, a results file
        print(str(e), file=sys.stderr)
        return 2
    except CoopterraError as e:  # a broken internal law (InvariantError): a bug of coopterra
        print(str(e), file=sys.stderr)
        return 1


@contextlib.contextmanager
def _quiet_broken_pipe() -> Iterator[None]:
    """A reader that closes the pipe early (``| head``) ends the command quietly: standard
    output is pointed at /dev/null so that Python's final flush does not complain."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise


if __name__ == "__main__":
    sys.exit(main())
