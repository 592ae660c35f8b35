"""A self-contained, offline HTML report of a comparison for decision makers: headline outcomes
with their uncertainty, time series, a map of the territory, the assumptions and the provenance.
Figures are embedded as PNG images: the file opens anywhere, with no network."""

from __future__ import annotations

import base64
import html
import io
import os
from typing import Any

import numpy as np

from coopterra._files import write_atomically
from coopterra.compare import Comparison, _num
from coopterra.territory import Territory


def write_report(
    comparison: Comparison,
    path: str | os.PathLike[str],
    territory: Territory | None = None,
    title: str | None = None,
) -> None:
    """Write the report to ``path`` (written to a temporary file, then renamed into place)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = comparison.runs[comparison.baseline][0]
    attrs = first.attrs
    title = title or f"coopterra: {', '.join(comparison.scenarios)} against {comparison.baseline}"
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='lead'>{html.escape(str(attrs.get('territory_source')))}: "
        f"{int(attrs.get('residents', 0)):,} residents, {first.sizes['zone']} communes, "
        f"{first.sizes['week']} weeks; {len(comparison.seeds)} paired replicates per scenario "
        "(common random numbers). Differences are scenario minus baseline; intervals hold "
        "90 % of the paired differences.</p>",
    ]
    parts.append("<h2>Headline outcomes</h2>")
    for name in comparison.scenarios:
        rows = comparison.table[comparison.table["scenario"] == name]
        body = "".join(
            f"<tr><td>{html.escape(r['indicator'])}</td><td>{html.escape(r['unit'])}</td>"
            f"<td class='n'>{_num(r['baseline'])}</td>"
            f"<td class='n'>{_num(r['scenario_value'])}</td>"
            f"<td class='n'><b>{_num(r['difference'])}</b></td>"
            f"<td class='n'>{_interval(r['difference_q05'], r['difference_q95'])}</td></tr>"
            for _, r in rows.iterrows()
        )
        scenario_attrs = comparison.runs[name][0].attrs
        parts.append(
            f"<h3>{html.escape(name)}</h3><p>{html.escape(_description(scenario_attrs))}</p>"
            "<table><tr><th>indicator</th><th>unit</th><th>baseline</th><th>scenario</th>"
            f"<th>difference</th><th>interval</th></tr>{body}</table>"
        )

    parts.append("<h2>Week by week</h2>")
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for name, runs in comparison.runs.items():
        weeks = runs[0]["week"].values
        for ax, series in zip(
            axes,
            (
                [r["commuters"].sel(mode="carpool_cooperative").values for r in runs],
                [r["co2e"].values / 1000 for r in runs],
                [np.cumsum(r["public_spending"].values) for r in runs],
            ),
            strict=True,
        ):
            stack = np.vstack(series)
            line = ax.plot(weeks, np.median(stack, axis=0), label=name)[0]
            ax.fill_between(
                weeks,
                np.quantile(stack, 0.05, axis=0),
                np.quantile(stack, 0.95, axis=0),
                color=line.get_color(),
                alpha=0.2,
            )
    for ax, label in zip(
        axes,
        (
            "carpoolers via the cooperative",
            "CO2e of commuting (t/week)",
            "public money spent, cumulative (EUR)",
        ),
        strict=True,
    ):
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("week")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    parts.append(_image(fig))
    plt.close(fig)

    if territory is not None:
        parts.append("<h2>The territory</h2>")
        fig, ax = plt.subplots(figsize=(6, 6))
        territory.plot(ax=ax)
        parts.append(_image(fig))
        plt.close(fig)

    parts.append(
        "<h2>Assumptions</h2><p>Every parameter, with its unit, range and source, is in "
        "coopterra's docs/parameters.md; the model is documented in docs/model.md (ODD). "
        "The full scenarios as run:</p>"
    )
    for name, runs in comparison.runs.items():
        parts.append(
            f"<details><summary>{html.escape(name)}</summary><pre>"
            f"{html.escape(str(runs[0].attrs.get('scenario_resolved', '')))}</pre></details>"
        )
    parts.append(
        "<h2>Provenance</h2><table>"
        + "".join(
            f"<tr><td>{k}</td><td>{html.escape(str(attrs.get(k, '')))}</td></tr>"
            for k in (
                "coopterra_version",
                "git_revision",
                "hdf5_version",
                "territory_checksum",
                "created",
            )
        )
        + f"<tr><td>seeds</td><td>{', '.join(map(str, comparison.seeds))}</td></tr></table>"
    )
    page = _PAGE.format(title=html.escape(title), body="\n".join(parts))
    write_atomically(path, page)


def _interval(low: float, high: float) -> str:
    return f"{_num(low)} to {_num(high)}" if np.isfinite(low) and np.isfinite(high) else ""


def _description(attrs: dict[str, Any]) -> str:
    text = str(attrs.get("scenario_resolved", ""))
    for line in text.splitlines():
        if line.startswith("description = "):
            return line.split("=", 1)[1].strip().strip("'\"")
    return ""


def _image(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='figure' src='data:image/png;base64,{data}'>"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.lead {{ color: #555; }} img {{ max-width: 100%; }} pre {{ background: #f6f6f6; padding: 1em; }}
</style></head><body>
{body}
</body></html>
"""
