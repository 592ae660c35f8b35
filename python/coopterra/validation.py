"""The validation report of a calibration: every target against the model, before and after.

A self-contained HTML page (no network: its one chart per target is inline SVG), with the fitted
targets and the held-out ones (``use = "validate"``, never fitted) in separate tables, each with
its public value, plausible interval, source, the model's distribution before calibration (the
scenario as it was, at several seeds) and after (runs at posterior draws), and pass/fail: a
target passes when the calibrated runs' median lies within its plausible interval.
"""

from __future__ import annotations

import html
import math
import os
from typing import TYPE_CHECKING, Any

from coopterra._files import write_atomically

if TYPE_CHECKING:
    from coopterra.calibrate import Calibration


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "–"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def _strip(row: Any) -> str:
    """An SVG strip: the plausible interval (band), the value (line), the model before (grey)
    and after (blue), each a 5-95 % range with its median."""
    values = [
        row.low,
        row.high,
        row.value,
        row.before_q05,
        row.before_q95,
        row.after_q05,
        row.after_q95,
    ]
    finite = [v for v in values if math.isfinite(v)]
    lo, hi = min(finite), max(finite)
    if hi <= lo:
        hi = lo + 1.0
    pad = 0.05 * (hi - lo)
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> float:
        return float(10 + 280 * (v - lo) / (hi - lo))

    parts = [
        f'<rect x="{x(row.low):.1f}" y="2" width="{max(1.0, x(row.high) - x(row.low)):.1f}" '
        'height="36" fill="#d9f0d3"/>',
        f'<line x1="{x(row.value):.1f}" x2="{x(row.value):.1f}" y1="0" y2="40" '
        'stroke="#1b7837" stroke-width="2"/>',
    ]
    for y, (q05, med, q95), colour in (
        (12, (row.before_q05, row.before, row.before_q95), "#888"),
        (28, (row.after_q05, row.after, row.after_q95), "#2166ac"),
    ):
        if all(math.isfinite(v) for v in (q05, med, q95)):
            parts.append(
                f'<line x1="{x(q05):.1f}" x2="{x(q95):.1f}" y1="{y}" y2="{y}" '
                f'stroke="{colour}" stroke-width="3"/>'
            )
            parts.append(f'<circle cx="{x(med):.1f}" cy="{y}" r="4" fill="{colour}"/>')
    return f'<svg width="300" height="40" role="img">{"".join(parts)}</svg>'


def _table(rows: Any, title: str) -> str:
    if len(rows) == 0:
        return f"<h2>{html.escape(title)}</h2><p>None.</p>"
    out = [
        f"<h2>{html.escape(title)}</h2>",
        "<table><tr><th>target</th><th>public value [plausible interval]</th>"
        "<th>model before: median [5–95 %]</th><th>model after: median [5–95 %]</th>"
        "<th>chart</th><th>after</th><th>source</th></tr>",
    ]
    for key, r in rows.iterrows():
        verdict = "pass" if r.passes else "fail"
        out.append(
            f"<tr><td><b>{html.escape(str(key))}</b><br><small>{html.escape(r.unit)}</small></td>"
            f"<td>{_fmt(r.value)} [{_fmt(r.low)}, {_fmt(r.high)}]</td>"
            f"<td>{_fmt(r.before)} [{_fmt(r.before_q05)}, {_fmt(r.before_q95)}]</td>"
            f"<td>{_fmt(r.after)} [{_fmt(r.after_q05)}, {_fmt(r.after_q95)}]</td>"
            f"<td>{_strip(r)}</td><td class='{verdict}'>{verdict}</td>"
            f"<td><small>{html.escape(r.source)}</small></td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def render_validation(calibration: Calibration) -> str:
    """The report's HTML."""
    table = calibration.validation()
    fitted = table[table["use"] == "fit"]
    held = table[table["use"] == "validate"]
    post = calibration.posterior
    marginals = post.marginals()
    rows_m = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{_fmt(calibration.bounds[k][0])} – "
        f"{_fmt(calibration.bounds[k][1])}</td><td>{_fmt(m['median'])}</td>"
        f"<td>{_fmt(m['q05'])} – {_fmt(m['q95'])}</td></tr>"
        for k, m in marginals.items()
    )
    rows_w = "".join(
        f"<tr><td>{w.wave}</td><td>{w.runs}</td><td>{100 * w.non_implausible:.1f} %</td>"
        f"<td>{w.seconds:.0f} s</td></tr>"
        for w in calibration.waves
    )
    screening = calibration.screening
    rows_s = ""
    if screening.shape[1]:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in screening.columns)
        body = "".join(
            f"<tr><td>{html.escape(str(k))}</td>"
            + "".join(f"<td>{_fmt(float(v))}</td>" for v in row)
            + "</tr>"
            for k, row in screening.iterrows()
        )
        rows_s = (
            "<h2>Screening (Morris μ* / observation SD)</h2>"
            f"<table><tr><th>parameter</th>{head}</tr>{body}</table>"
        )
    checks = calibration.emulator_checks
    rows_e = ""
    if not checks.empty:
        share = (
            checks.assign(inside=checks["z"].abs() < 3)
            .groupby(["wave", "target"])["inside"]
            .mean()
            .unstack("target")
        )
        head_e = "".join(f"<th>{html.escape(str(c))}</th>" for c in share.columns)
        body_e = "".join(
            f"<tr><td>{w}</td>" + "".join(f"<td>{100 * v:.0f} %</td>" for v in row) + "</tr>"
            for w, row in share.iterrows()
        )
        rows_e = (
            "<h2>Emulator diagnostics</h2><p>Share of each wave's runs within three emulator "
            "SDs of what the previous wave's emulator predicted.</p>"
            f"<table><tr><th>wave</th>{head_e}</tr>{body_e}</table>"
        )
    passes_fit = int(fitted["passes"].sum())
    passes_held = int(held["passes"].sum())
    attrs = post.attrs
    provenance = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(attrs.get(k, '')))}</td></tr>"
        for k in (
            "targets_name",
            "targets_file",
            "targets_sha256",
            "territory",
            "territory_checksum",
            "coopterra_version",
            "git_revision",
            "method",
            "created",
        )
    )
    n_after = calibration.after.shape[1]
    n_before = calibration.before.shape[1]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>coopterra — validation of the calibration on {html.escape(calibration.targets.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
.pass {{ color: #1b7837; font-weight: bold; }} .fail {{ color: #b2182b; font-weight: bold; }}
small {{ color: #555; }}
</style></head><body>
<h1>Validation of the calibration on {html.escape(calibration.targets.name)}</h1>
<p>{passes_fit} of {len(fitted)} fitted targets and {passes_held} of {len(held)} held-out
targets (never fitted) have the calibrated model's median within their plausible interval.
Before: the scenario as it was, {n_before} seeds. After: {n_after} runs at posterior draws,
each at its own seed, so their spread carries the parameters' uncertainty and the seeds'.
In the charts the green band is the plausible interval, the green line the public value, grey
the model before and blue after (median and 5–95 %).</p>
{_table(fitted, "Fitted targets")}
{_table(held, "Held-out targets (use = validate, never fitted)")}
<h2>Posterior</h2>
<p>{html.escape(post.describe())}.</p>
<table><tr><th>parameter</th><th>non-implausible range</th><th>median</th><th>5–95 %</th></tr>
{rows_m}</table>
<h2>History matching</h2>
<table><tr><th>wave</th><th>runs</th><th>non-implausible fraction of the box</th><th>time</th></tr>
{rows_w}</table>
{rows_e}
{rows_s}
<h2>Provenance</h2>
<table>{provenance}</table>
<p><small>{calibration.runs} runs in {calibration.seconds:.0f} s; database
{html.escape(os.path.basename(str(calibration.out)))}/calibration.db.</small></p>
</body></html>
"""


def write_validation_report(calibration: Calibration, path: str | os.PathLike[str]) -> None:
    write_atomically(path, render_validation(calibration))
