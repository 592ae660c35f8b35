"""A self-contained, offline HTML report of a comparison for decision makers.

First screen: one sentence per scenario saying what it buys, and a ranking table that sorts.
Then one section per theme (mobility, food and markets, firms and jobs, cooperatives and
governance, equity, public money) with week-by-week charts and their uncertainty bands, maps by
commune (a choropleth on real boundaries when given, a schematic map otherwise), every outcome
with its interval, the assumptions and the provenance. Charts are plotly with its JavaScript
inlined: the file opens anywhere, with no network. The page is rendered from a Jinja2 template
(``templates/report.html.j2``), in English or French (``lang="fr"``).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from coopterra._files import write_atomically
from coopterra._optional import require
from coopterra.compare import (
    ASSETS,
    CO2E,
    EFFECT_INTERVAL,
    JOBS,
    LEAVING,
    MANIFEST,
    MANIFEST_SCHEMA,
    MEMBERS,
    RATIO_INTERVAL,
    SPENT,
    Comparison,
    _interval_text,
)
from coopterra.errors import ConfigurationError, CoopterraError, Diagnostic
from coopterra.outcomes import (
    COST_PER_JOB,
    COST_PER_TONNE,
    THEMES,
    carpool_keys,
    quantity,
    spent_by_week,
)
from coopterra.results import RESULTS_SCHEMA, results_problems

LANGUAGES = ("en", "fr")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "What each policy buys",
        "warning": "Warning",
        "what_each_buys": "What each scenario buys",
        "ranking_caption": "Ranking against the baseline (select a column heading to sort)",
        "maps": "Maps by commune",
        "all_outcomes": "Every outcome, with its interval",
        "indicator": "indicator",
        "baseline": "baseline",
        "scenario": "scenario",
        "difference": "difference",
        "interval": "95 % interval",
        "assumptions": "Assumptions",
        "assumptions_text": "Every parameter, with its unit, range and source, is in coopterra's "
        "docs/parameters.md; the model is documented in docs/model.md (ODD) and the "
        "indicators in docs/indicators.md. The full scenarios as run:",
        "provenance": "Provenance",
        "scenario_col": "scenario",
        "spent": "public money spent",
        "co2e": "CO₂e avoided",
        "per_tonne": "cost per t CO₂e",
        "jobs": "jobs added",
        "kept": "fees kept from leaving",
        "members": "cooperative members added",
        "band": "Lines: mean of the replicates; bands: their range (lowest to highest).",
        "week": "week",
        "not avoided": "not avoided",
        "no job added": "no job added",
        "no public money spent": "no public money spent",
        "no boundary": "no boundary",
    },
    "fr": {
        "title": "Ce que chaque politique apporte",
        "warning": "Attention",
        "what_each_buys": "Ce que chaque scénario apporte",
        "ranking_caption": "Classement par rapport au scénario de référence "
        "(choisir un en-tête de colonne pour trier)",
        "maps": "Cartes par commune",
        "all_outcomes": "Tous les résultats, avec leur intervalle",
        "indicator": "indicateur",
        "baseline": "référence",
        "scenario": "scénario",
        "difference": "différence",
        "interval": "intervalle à 95 %",
        "assumptions": "Hypothèses",
        "assumptions_text": "Chaque paramètre, avec son unité, son domaine et sa source, est "
        "dans docs/parameters.md de coopterra ; le modèle est décrit dans docs/model.md (ODD) "
        "et les indicateurs dans docs/indicators.md. Les scénarios complets tels qu'exécutés :",
        "provenance": "Provenance",
        "scenario_col": "scénario",
        "spent": "argent public dépensé",
        "co2e": "CO₂e évité",
        "per_tonne": "coût par t CO₂e",
        "jobs": "emplois ajoutés",
        "kept": "commissions retenues sur le territoire",
        "members": "sociétaires ajoutés",
        "band": "Lignes : moyenne des répétitions ; bandes : leur étendue (du plus bas au plus "
        "haut).",
        "week": "semaine",
        "not avoided": "non évité",
        "no job added": "aucun emploi ajouté",
        "no public money spent": "pas d'argent public dépensé",
        "no boundary": "pas de contour",
    },
}


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ConfigurationError(
            f"--lang {lang}: expected one of {', '.join(LANGUAGES)}",
            [("--lang", 0, 0, "lang", f"one of {', '.join(LANGUAGES)}")],
        )


def scenario_title(name: str) -> str:
    return name.replace("_", " ")


def period_text(weeks: int, lang: str) -> str:
    years, rest = divmod(weeks, 52)
    if rest == 0 and years == 1:
        return "a year" if lang == "en" else "un an"
    if rest == 0:
        return f"{years} years" if lang == "en" else f"{years} ans"
    if weeks == 1:
        return "a week" if lang == "en" else "une semaine"
    return f"{weeks} weeks" if lang == "en" else f"{weeks} semaines"


def _significant(r: Any) -> int:
    """+1 when the effect's interval is above zero, -1 below, 0 when it spans zero (or none)."""
    low, high = float(r["ci_low"]), float(r["ci_high"])
    if not math.isfinite(low):
        value = float(r["estimate"])
        return 0 if value == 0 else (1 if value > 0 else -1)
    if low > 0:
        return 1
    if high < 0:
        return -1
    return 0


def headline_sentence(c: Comparison, name: str, lang: str = "en") -> str:
    """What the scenario buys, in one sentence: money, CO2e avoided with its interval, money per
    tonne, fees kept in the territory, jobs."""
    _check_lang(lang)
    fr = lang == "fr"
    spent = float(c.row(name, SPENT)["estimate"])
    assets = float(c.row(name, ASSETS)["estimate"])
    co2 = c.row(name, CO2E)
    per_tonne = c.row(name, COST_PER_TONNE)
    leaving = c.row(name, LEAVING)
    jobs = c.row(name, JOBS)
    period = period_text(c.weeks(), lang)
    title = scenario_title(name)

    def money(v: float) -> str:
        return quantity(v, "EUR", lang=lang, compact=True)

    def tonnes(v: float) -> str:
        return quantity(v, "t CO2e", lang=lang)

    if spent > 0.5:
        opening = f"Pour {money(spent)} sur {period}" if fr else f"For {money(spent)} over {period}"
    else:
        opening = f"Sans argent public, sur {period}" if fr else f"At no public cost, over {period}"
    if assets > 0.5:
        opening += (
            f" (plus {money(assets)} conservés en actifs : capital et prêts encore dus)"
            if fr
            else f" (plus {money(assets)} the authority keeps as assets: equity, loans still owed)"
        )
    low, high = -float(co2["ci_high"]), -float(co2["ci_low"])
    interval = ""
    if math.isfinite(low) and low != high:
        interval = f" [{number_pair(low, high, lang)}]"
    avoided = -float(co2["estimate"])
    direction = _significant(co2)
    if direction < 0:
        verb = "évite" if fr else "avoids"
        effect = f"{title} {verb} {tonnes(avoided)}{interval}"
        if not per_tonne["status"]:
            effect += f" — {quantity(float(per_tonne['estimate']), 'EUR/t', lang=lang)} —"
    elif direction > 0:
        rise = ""
        if math.isfinite(low) and low != high:
            rise = f" [{number_pair(-high, -low, lang)}]"
        effect = (
            f"{title} ajoute {tonnes(-avoided)}{rise} (CO₂e non évité)"
            if fr
            else f"{title} adds {tonnes(-avoided)}{rise} (CO2e not avoided)"
        )
    else:
        change = quantity(-avoided, "t CO2e", lang=lang, sign=True)
        effect = (
            f"{title} n'évite pas de CO₂e de façon mesurable (écart {change})"
            if fr
            else f"{title} avoids no measurable CO2e (change {change})"
        )
    kept = -float(leaving["estimate"])
    fees_direction = -_significant(leaving)
    if fees_direction > 0:
        fees = (
            f"et retient {money(kept)} de commissions sur le territoire"
            if fr
            else f"and keeps {money(kept)} of platform fees from leaving the territory"
        )
    elif fees_direction < 0:
        fees = (
            f"et fait sortir {money(-kept)} de commissions de plus du territoire"
            if fr
            else f"and sends {money(-kept)} more platform fees out of the territory"
        )
    else:
        fees = (
            "sans changement mesurable des commissions qui quittent le territoire"
            if fr
            else "with no measurable change in the platform fees leaving the territory"
        )
    sentence = f"{opening}, {effect} {fees}"
    if _significant(jobs) != 0:
        j = float(jobs["estimate"])
        sentence += (
            f" ; {quantity(j, 'jobs', lang=lang, sign=True)} dans les entreprises locales"
            if fr
            else f"; {quantity(j, 'jobs', lang=lang, sign=True)} in local firms"
        )
    return sentence + "."


def number_pair(low: float, high: float, lang: str) -> str:
    from coopterra.outcomes import digits_for, number

    digits = max(digits_for(low, False), digits_for(high, False))
    return f"{number(low, digits, lang)}–{number(high, digits, lang)}"


# --- figures -----------------------------------------------------------------------------------

Series = Callable[[xr.Dataset], np.ndarray]
PALETTE = ["#444444", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]


@dataclass
class Chart:
    key: str
    theme: str
    title: tuple[str, str]  # en, fr
    unit: str
    series: Series
    integer: bool = False


def _coop(ds: xr.Dataset, variable: str) -> np.ndarray:
    return np.asarray(
        ds[variable].where(ds["channel_kind"] == "cooperative", 0).sum("channel").values,
        dtype=float,
    )


def _margin_leaving(ds: xr.Dataset) -> np.ndarray:
    from coopterra.outcomes import MARGIN_LEAVING

    chosen = [i for i, n in enumerate(ds["flow"].values) if str(n).endswith(MARGIN_LEAVING)]
    return np.cumsum(ds["money_flow"].isel(flow=chosen).sum("flow").values)


CHARTS = [
    Chart(
        "carpoolers",
        "mobility",
        ("Carpoolers via the cooperatives", "Covoitureurs des coopératives"),
        "persons",
        lambda ds: (
            ds["commuters"]
            .sel(mode=[f"carpool_{k}" for k in carpool_keys(ds, cooperative=True)])
            .sum("mode")
            .values
        ),
        True,
    ),
    Chart(
        "co2e_commuting",
        "mobility",
        ("CO2e of commuting per week", "CO₂e des trajets domicile-travail par semaine"),
        "t CO2e",
        lambda ds: ds["co2e"].values / 1000,
    ),
    Chart(
        "coop_purchases",
        "markets",
        ("Purchases through cooperatives per week", "Achats par des coopératives par semaine"),
        "purchases",
        lambda ds: _coop(ds, "purchases"),
        True,
    ),
    Chart(
        "market_co2e",
        "markets",
        ("CO2e of the six markets per week", "CO₂e des six marchés par semaine"),
        "t CO2e",
        lambda ds: ds["market_co2e"].sum("market").values / 1000,
    ),
    Chart(
        "jobs",
        "firms",
        ("Jobs in local firms", "Emplois des entreprises locales"),
        "jobs",
        lambda ds: ds["jobs"].sum("firm_sector").values,
    ),
    Chart(
        "firms_open",
        "firms",
        ("Firms open", "Entreprises ouvertes"),
        "firms",
        lambda ds: ds["firms_open"].sum("firm_sector").values,
        True,
    ),
    Chart(
        "members",
        "governance",
        ("Cooperative members", "Sociétaires des coopératives"),
        "persons",
        lambda ds: ds["cooperative_members"].sum(["market_platform", "college"]).values,
        True,
    ),
    Chart(
        "sovereignty",
        "governance",
        (
            "Data sovereignty: platform transactions through cooperatives",
            "Souveraineté des données : transactions par des coopératives",
        ),
        "%",
        lambda ds: 100 * ds["data_sovereignty"].values,
    ),
    Chart(
        "spending",
        "money",
        (
            "Public money spent, cumulative (equity excluded)",
            "Argent public dépensé, cumulé (capital exclu)",
        ),
        "EUR",
        lambda ds: np.cumsum(spent_by_week(ds)),
    ),
    Chart(
        "leaving",
        "money",
        (
            "Platform fees leaving the territory, cumulative",
            "Commissions qui quittent le territoire, cumulées",
        ),
        "EUR",
        _margin_leaving,
    ),
]


def _layout(fig: Any, lang: str, unit: str) -> None:
    from coopterra.outcomes import unit_text

    fig.update_layout(
        height=330,
        margin={"l": 55, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.25},
        separators=", " if lang == "fr" else ".,",
        yaxis_title=unit_text(unit, lang),
        xaxis_title=TEXT[lang]["week"],
        template="plotly_white",
        font={"size": 12},
    )


def _figure_html(fig: Any, div_id: str) -> str:
    import plotly.io as pio

    text: str = pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"responsive": True, "displaylogo": False},
    )
    return text


def _time_series(c: Comparison, chart: Chart, lang: str) -> dict[str, str]:
    import plotly.graph_objects as go

    fig = go.Figure()
    last: list[str] = []
    for k, (name, runs) in enumerate(c.runs.items()):
        stack = np.vstack([chart.series(ds) for ds in runs])
        weeks = runs[0]["week"].values.tolist()
        colour = PALETTE[k % len(PALETTE)]
        low, high, mean = stack.min(axis=0), stack.max(axis=0), stack.mean(axis=0)
        fig.add_trace(
            go.Scatter(
                x=weeks + weeks[::-1],
                y=np.concatenate([high, low[::-1]]).tolist(),
                fill="toself",
                fillcolor=colour,
                opacity=0.18,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=name,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=mean.tolist(),
                mode="lines",
                line={"color": colour, "width": 2},
                name=scenario_title(name),
            )
        )
        last.append(
            f"{scenario_title(name)} {quantity(float(mean[-1]), chart.unit, chart.integer, lang)}"
        )
    _layout(fig, lang, chart.unit)
    title = chart.title[1] if lang == "fr" else chart.title[0]
    final = "dernière semaine" if lang == "fr" else "last week"
    kind = "Courbes" if lang == "fr" else "Line chart"
    return {
        "html": _figure_html(fig, f"chart-{chart.key}"),
        "alt": f"{kind}: {title}; {final}: {', '.join(last)}.",
        "caption": f"{title}. {TEXT[lang]['band']}",
    }


def _cooperative_purchases_by(runs: list[xr.Dataset], variable: str) -> np.ndarray:
    """Purchases through cooperatives over the run by group (mean over the replicates)."""
    totals = [
        ds[variable].where(ds["channel_kind"] == "cooperative", 0).sum(["week", "channel"]).values
        for ds in runs
    ]
    return np.asarray(np.mean(totals, axis=0), dtype=float)


def _equity(c: Comparison, lang: str) -> dict[str, Any]:
    """Purchases through cooperatives per 1,000 residents by kind of commune, and by income."""
    import plotly.graph_objects as go

    ds0 = c.runs[c.baseline][0]
    kinds = [str(k) for k in ds0["commune_kind"].values]
    zone_kind = [str(k).replace(" ", "_") for k in ds0["zone_kind"].values]
    population = {
        k: float(
            sum(p for p, z in zip(ds0["zone_population"].values, zone_kind, strict=True) if z == k)
        )
        for k in kinds
    }
    groups = [str(g) for g in ds0["income_group"].values]
    fig_kind, fig_income = go.Figure(), go.Figure()
    rows = []
    per_resident = "par 1 000 habitants" if lang == "fr" else "per 1,000 residents"
    for k, (name, runs) in enumerate(c.runs.items()):
        colour = PALETTE[k % len(PALETTE)]
        by_kind = _cooperative_purchases_by(runs, "purchases_by_zone_kind")
        rate = [
            1000 * v / population[kk] if population[kk] > 0 else math.nan
            for v, kk in zip(by_kind, kinds, strict=True)
        ]
        by_income = _cooperative_purchases_by(runs, "purchases_by_income")
        share = 100 * by_income / max(float(by_income.sum()), 1.0)
        label = scenario_title(name)
        fig_kind.add_trace(
            go.Bar(
                x=[kk.replace("_", " ") for kk in kinds], y=rate, name=label, marker_color=colour
            )
        )
        fig_income.add_trace(go.Bar(x=groups, y=share.tolist(), name=label, marker_color=colour))
        rows.append(
            [label]
            + [quantity(v, "", False, lang) for v in rate]
            + [quantity(float(share[0]), "%", lang=lang)]
        )
    _layout(fig_kind, lang, "purchases")
    fig_kind.update_layout(barmode="group", xaxis_title="")
    _layout(fig_income, lang, "%")
    fig_income.update_layout(barmode="group", xaxis_title="")
    fr = lang == "fr"
    t_kind = (
        f"Achats par des coopératives {per_resident}, par type de commune (toute la période)"
        if fr
        else f"Purchases through cooperatives {per_resident}, by kind of commune (whole run)"
    )
    t_income = (
        "Part des achats par des coopératives faite par chaque quintile de revenu (q1 le plus bas)"
        if fr
        else "Share of purchases through cooperatives made by each income quintile (q1 lowest)"
    )
    return {
        "figures": [
            {
                "html": _figure_html(fig_kind, "chart-equity-kind"),
                "alt": ("Barres" if fr else "Bar chart") + f": {t_kind}.",
                "caption": t_kind + ".",
            },
            {
                "html": _figure_html(fig_income, "chart-equity-income"),
                "alt": ("Barres" if fr else "Bar chart") + f": {t_income}.",
                "caption": t_income + ".",
            },
        ],
        "table": {
            "caption": t_kind,
            "columns": [
                TEXT[lang]["scenario_col"],
                *[kk.replace("_", " ") for kk in kinds],
                "q1 (%)",
            ],
            "rows": rows,
        },
    }


def _maps(c: Comparison, boundaries: Any, lang: str) -> tuple[list[dict[str, str]], str]:
    """One map per scenario: change of commuting vehicle-km per resident by home commune."""
    import pandas as pd

    from coopterra.maps import boundaries_matched, commune_map_svg, zones_of_results

    fr = lang == "fr"
    zones = zones_of_results(c.runs[c.baseline][0])
    population = zones["population"].to_numpy()
    base = np.mean([ds["vehicle_km_by_zone"].sum("week").values for ds in c.runs[c.baseline]], 0)
    maps = []
    for name in c.scenarios:
        value = np.mean([ds["vehicle_km_by_zone"].sum("week").values for ds in c.runs[name]], 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where(population > 0, (value - base) / population, np.nan)
        series = pd.Series(change, index=zones["code"])
        title = (
            f"{scenario_title(name)} : écart de véhicules-km domicile-travail par habitant, par "
            "commune de résidence (bleu : moins, rouge : plus)"
            if fr
            else f"{scenario_title(name)}: change in commuting vehicle-km per resident, by home "
            "commune (blue: fewer, red: more)"
        )

        def describe(v: float) -> str:
            return quantity(v, "km", lang=lang, sign=True)

        svg = commune_map_svg(
            series,
            zones,
            boundaries,
            title=title,
            describe=describe,
            missing_text=TEXT[lang]["no boundary"],
        )
        maps.append({"svg": svg, "caption": title + "."})
    matched, total = boundaries_matched(boundaries, zones), len(zones)
    synthetic = str(c.runs[c.baseline][0].attrs.get("territory_source", "")).startswith("synthetic")
    if matched == total:
        note = (
            "Contours réels des communes ; survoler ou toucher une commune pour son nom et sa "
            "valeur."
            if fr
            else "Real commune boundaries; hover or tap a commune for its name and value."
        )
    elif matched:
        note = (
            f"Contours réels de {matched} des {total} communes (les autres sont marquées « "
            f"{TEXT[lang]['no boundary']} ») ; survoler ou toucher une commune pour son nom et sa "
            "valeur."
            if fr
            else f"Real boundaries of {matched} of the {total} communes (the others are marked "
            f"'{TEXT[lang]['no boundary']}'); hover or tap a commune for its name and value."
        )
    else:
        what = (
            ("d'un territoire synthétique" if synthetic else "des communes")
            if fr
            else ("of a synthetic territory" if synthetic else "of the communes")
        )
        why = ""
        if not synthetic:
            why = (
                (
                    " (aucun contour fourni : --boundaries)"
                    if boundaries is None
                    else " (les contours fournis ne sont ceux d'aucune de ces communes)"
                )
                if fr
                else (
                    " (no boundaries given: --boundaries)"
                    if boundaries is None
                    else " (the boundaries given are of none of these communes)"
                )
            )
        note = (
            f"Carte schématique {what} : un cercle par commune, de surface proportionnelle à sa "
            f"population, placé à ses coordonnées{why}."
            if fr
            else f"Schematic map {what}: one circle per commune, its area proportional to its "
            f"population, at its coordinates{why}."
        )
    return maps, note


# --- the page ----------------------------------------------------------------------------------


def _ranking(c: Comparison, lang: str) -> dict[str, Any]:
    t = TEXT[lang]
    columns = [
        (t["scenario_col"], False),
        (t["spent"], True),
        (t["co2e"], True),
        (t["per_tonne"], True),
        (t["jobs"], True),
        (t["kept"], True),
        (t["members"], True),
    ]
    rows = []
    for name in c.scenarios:
        spent = float(c.row(name, SPENT)["estimate"])
        co2 = c.row(name, CO2E)
        per_tonne = c.row(name, COST_PER_TONNE)
        jobs = c.row(name, JOBS)
        leaving = c.row(name, LEAVING)
        members = c.row(name, MEMBERS)

        def cell(value: float, text: str) -> dict[str, Any]:
            return {"value": value if math.isfinite(value) else "", "text": text}

        avoided = -float(co2["estimate"])
        tonne_text = (
            t[str(per_tonne["status"])]
            if per_tonne["status"]
            else quantity(float(per_tonne["estimate"]), "EUR/t", lang=lang)
        )
        co2_text = quantity(avoided, "t CO2e", lang=lang, sign=True)
        if _significant(co2) == 0:
            co2_text += "*"
        rows.append(
            [
                {"value": "", "text": scenario_title(name)},
                cell(spent, quantity(spent, "EUR", lang=lang)),
                cell(avoided, co2_text),
                cell(float(per_tonne["estimate"]), tonne_text),
                cell(
                    float(jobs["estimate"]),
                    quantity(float(jobs["estimate"]), "jobs", lang=lang, sign=True),
                ),
                cell(
                    -float(leaving["estimate"]),
                    quantity(-float(leaving["estimate"]), "EUR", lang=lang, sign=True),
                ),
                cell(
                    float(members["estimate"]),
                    quantity(float(members["estimate"]), "persons", True, lang, sign=True),
                ),
            ]
        )
    return {"columns": [{"label": a, "numeric": b} for a, b in columns], "rows": rows}


def _details(c: Comparison, lang: str) -> list[dict[str, Any]]:
    from coopterra.outcomes import BY_NAME as HEADLINE

    t = TEXT[lang]
    blocks = []
    for name in c.scenarios:
        rows = []
        for _, r in c.table[c.table["scenario"] == name].iterrows():
            h = HEADLINE.get(str(r["indicator"]))
            integer = h.integer if h is not None else False
            label = h.label(lang) if h is not None else _ratio_label(str(r["indicator"]), lang)
            unit = str(r["unit"])
            if r["kind"] == "ratio":
                value = (
                    t[str(r["status"])]
                    if r["status"]
                    else quantity(float(r["estimate"]), unit, lang=lang)
                )
                rows.append([label, "", "", value, _interval_text(r, unit, False, lang)])
            else:
                rows.append(
                    [
                        label,
                        quantity(float(r["baseline"]), unit, integer, lang),
                        quantity(float(r["scenario_value"]), unit, integer, lang),
                        quantity(float(r["estimate"]), unit, integer, lang, sign=True),
                        _interval_text(r, unit, integer, lang),
                    ]
                )
        blocks.append({"name": scenario_title(name), "rows": rows})
    return blocks


def _ratio_label(indicator: str, lang: str) -> str:
    if lang != "fr":
        return indicator
    return {
        COST_PER_TONNE: "argent public par t CO₂e évitée",
        COST_PER_JOB: "argent public par emploi ajouté (dernière semaine)",
    }.get(indicator, indicator)


# --- the runs, checked before anything is drawn -------------------------------------------------

_ENSEMBLE_SOURCE = re.compile(r"run (\d+) \((.*)\)")  # ensemble.run_one's scenario source


def _run_file(ds: xr.Dataset, name: str, replicate: int) -> str:
    """Where a run comes from: its file, or (a run in memory) its place in the comparison."""
    source = ds.encoding.get("source")
    return str(source) if source else f"{name!r}, replicate {replicate}"


def _manifest_of(c: Comparison) -> dict[str, Any] | None:
    """The manifest of the folder the comparison's runs were read from, when it lists exactly
    these files in this order (what load_comparison and compare(out=...) give), else None."""
    sources = [ds.encoding.get("source") for runs in c.runs.values() for ds in runs]
    if not all(sources) or len({Path(str(s)).parent for s in sources}) != 1:
        return None
    path = Path(str(sources[0])).parent / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        return None
    listed = manifest.get("runs")
    seeds = manifest.get("seeds")
    n = c.replicates
    if (
        not isinstance(listed, dict)
        or not isinstance(seeds, list)
        or len(seeds) != n
        or not all(isinstance(x, int) for x in seeds)
    ):
        return None
    for name, runs in c.runs.items():
        files = [Path(str(ds.encoding["source"])).name for ds in runs]
        if listed.get(name) != files:
            return None
    return manifest


def check_runs(comparison: Comparison) -> None:
    """Refuse, before anything is drawn or written, runs that are not the comparison they are
    listed as, with one located line per problem (ConfigurationError, exit status 2):

    - a run that is not a complete coopterra results file (another schema, a missing variable
      the report reads: see coopterra.results.results_problems);
    - a run whose recorded scenario or seed is not its entry's in the comparison, or (runs read
      from a folder of ``coopterra compare``) not in the order the manifest lists them: the
      baseline's replicates first, then each scenario's, as they ran;
    - runs of different lengths, dates or territories: a difference would then measure them.
    """
    c = comparison
    problems: list[Diagnostic] = []

    def refuse(where: str, message: str, key: str = "") -> None:
        problems.append(Diagnostic(where, 0, 0, key, message))

    manifest = _manifest_of(c)
    lister = "the manifest" if manifest is not None else "the comparison"
    n = c.replicates
    readable: list[tuple[str, xr.Dataset]] = []
    for i, (name, runs) in enumerate(c.runs.items()):
        for r, ds in enumerate(runs):
            where = _run_file(ds, name, r)
            for message in results_problems(ds):
                refuse(where, message)
            if ds.attrs.get("schema") != RESULTS_SCHEMA:
                continue  # not a results file: nothing more to read in it
            readable.append((where, ds))
            attrs = ds.attrs
            ran = _ENSEMBLE_SOURCE.fullmatch(str(attrs.get("scenario_source", "")))
            scenario = ran.group(2) if ran else str(attrs.get("scenario_name", "?"))
            seed = attrs.get("seed")
            seed = int(seed) if seed is not None else None
            listed = manifest["seeds"] if manifest is not None else c.seeds
            expected_seed = int(listed[r]) if r < len(listed) else seed
            order = i * n + r  # compare runs the baseline's replicates, then each scenario's
            out_of_order = manifest is not None and ran is not None and int(ran.group(1)) != order
            if scenario == name and seed == expected_seed and not out_of_order:
                continue
            role = "the baseline" if i == 0 else "scenario"
            found = f"scenario {scenario!r}, seed {seed}"
            expected = f"{role} {name!r}, seed {expected_seed}"
            if manifest is not None and ran is not None:
                found += f" (run {ran.group(1)} of its comparison)"
                expected += f" (run {order})"
            message = f"{found}; {lister} lists {expected} for this file"
            if scenario == name and seed == expected_seed:
                message += (
                    ": the manifest must list the baseline, the scenarios and each one's "
                    "replicates in the order they ran"
                )
            refuse(where, message)
    if readable:
        # The reference: a run like most others (the odd ones out are those named).
        shared = [
            len(readable) - sum(bool(_differences(a, b)) for _, b in readable) for _, a in readable
        ]
        first, reference = readable[shared.index(max(shared))]
        for where, ds in readable:
            for mine, theirs in _differences(ds, reference):
                refuse(
                    where,
                    f"{mine}; the comparison's other runs have {theirs} (as {first}): paired "
                    "runs share their weeks and their territory",
                )
    if problems:
        text = "\n".join(str(d) for d in problems)
        raise ConfigurationError(
            f"the runs of the comparison cannot be reported on:\n{text}", problems
        )


def _differences(ds: xr.Dataset, reference: xr.Dataset) -> list[tuple[str, str]]:
    """How a run differs from the reference run in what paired runs share, as (this run's,
    the reference's): their weeks and dates, their territory (when the files record it)."""
    out: list[tuple[str, str]] = []
    weeks, theirs = ds.sizes.get("week", 0), reference.sizes.get("week", 0)
    if weeks != theirs:
        return [(f"{weeks} weeks", f"{theirs} weeks")]
    if "time" in ds.variables and "time" in reference.variables and weeks > 0:
        mine_t, their_t = ds["time"].values, reference["time"].values
        if not np.array_equal(mine_t, their_t):
            out.append(
                (
                    f"weeks dated {_day(mine_t[0])} to {_day(mine_t[-1])}",
                    f"weeks dated {_day(their_t[0])} to {_day(their_t[-1])}",
                )
            )
    for key, what in (("territory_checksum", "territory checksum"), ("residents", "residents")):
        a, b = ds.attrs.get(key), reference.attrs.get(key)
        if a is not None and b is not None and str(a) != str(b):
            out.append((f"{what} {a}", f"{what} {b}"))
    zones, their_zones = ds.sizes.get("zone"), reference.sizes.get("zone")
    if zones is not None and their_zones is not None and zones != their_zones:
        out.append((f"{zones} communes", f"{their_zones} communes"))
    return out


def _day(value: Any) -> str:
    return str(value)[:10]


def render_report(
    comparison: Comparison,
    *,
    boundaries: Any = None,
    title: str | None = None,
    lang: str = "en",
) -> str:
    """The report as one HTML page (see :func:`write_report`)."""
    _check_lang(lang)
    check_runs(comparison)
    jinja2 = require("jinja2", "the report")
    require("plotly.offline", "the report's charts")
    import plotly.offline

    c = comparison
    t = TEXT[lang]
    first = c.runs[c.baseline][0]
    attrs = first.attrs
    residents = quantity(float(attrs.get("residents", 0)), "", True, lang)
    communes = first.sizes["zone"]
    n = c.replicates
    fr = lang == "fr"
    title = title or (
        f"{t['title']} — {residents} habitants, {communes} communes, {period_text(c.weeks(), lang)}"
        if fr
        else f"{t['title']} — {residents} residents, {communes} communes, "
        f"{period_text(c.weeks(), lang)}"
    )
    if fr:
        lead = (
            "Chaque scénario est comparé au scénario de référence "
            f"« {scenario_title(c.baseline)} » "
            f"sur {n} répétitions appariées (mêmes nombres aléatoires, graines "
            f"{c.seeds[0]} à {c.seeds[-1]}) ; territoire : {attrs.get('territory_source', '')}. "
            + (
                "Les intervalles ne portent que l'aléa des graines : les paramètres sont fixés "
                "aux valeurs du scénario."
                if c.uncertainty.startswith("seeds only")
                else "Les intervalles portent l'incertitude des paramètres et celle des graines "
                f"(répétition r au tirage r d'une loi a posteriori) : {c.uncertainty}."
            )
        )
        estimators = (
            "Écarts : moyenne des différences appariées (scénario − référence), intervalle de "
            f"confiance de Student à 95 % de cette moyenne (n = {n}). Coût par résultat : rapport "
            "des moyennes (argent dépensé / CO₂e évité), intervalle bootstrap apparié à 95 % ; "
            "« non évité » quand l'intervalle de l'effet n'est pas sous zéro. L'argent public "
            "dépensé exclut le capital (un actif conservé), compté à part. * : écart non "
            "significatif."
        )
    else:
        lead = (
            f"Each scenario is compared with the baseline '{scenario_title(c.baseline)}' over {n} "
            f"paired replicates (common random numbers, seeds {c.seeds[0]} to {c.seeds[-1]}); "
            f"territory: {attrs.get('territory_source', '')}. "
            + (
                "The intervals carry the seeds' noise only: the parameters are fixed at the "
                "scenario's values."
                if c.uncertainty.startswith("seeds only")
                else "The intervals carry the parameters' uncertainty and the seeds' "
                f"({c.uncertainty})."
            )
        )
        estimators = (
            f"Differences: mean of the paired differences (scenario − baseline), {EFFECT_INTERVAL}"
            f" (n = {n}). Money per outcome: ratio of means (money spent / CO2e avoided), "
            f"{RATIO_INTERVAL}; 'not avoided' when the effect's interval is not below zero. Public "
            "money spent excludes equity (an asset the authority keeps), reported apart. "
            "*: not significant."
        )
    sections = []
    for theme in ("mobility", "markets", "firms", "governance", "money"):
        sections.append(
            {
                "id": f"theme-{theme}",
                "title": THEMES[theme][1 if fr else 0],
                "figures": [_time_series(c, ch, lang) for ch in CHARTS if ch.theme == theme],
                "table": None,
            }
        )
    equity = _equity(c, lang)
    sections.insert(
        4,
        {
            "id": "theme-equity",
            "title": THEMES["equity"][1 if fr else 0],
            "figures": equity["figures"],
            "table": equity["table"],
        },
    )
    maps, map_note = _maps(c, boundaries, lang)
    provenance = [
        (k, str(attrs.get(k, "")))
        for k in (
            "coopterra_version",
            "git_revision",
            "hdf5_version",
            "territory_source",
            "territory_checksum",
            "created",
        )
    ] + [("seeds", ", ".join(map(str, c.seeds))), ("uncertainty", c.uncertainty)]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    page = environment.get_template("report.html.j2").render(
        lang=lang,
        title=title,
        lead=lead,
        warnings=_warnings(c, lang),
        t=t,
        sentences=list(c.sentences(lang).values()),
        ranking=_ranking(c, lang),
        estimators=estimators,
        sections=sections,
        maps=maps,
        map_note=map_note,
        details=_details(c, lang),
        scenarios_toml=[
            {"name": name, "toml": str(runs[0].attrs.get("scenario_resolved", ""))}
            for name, runs in c.runs.items()
        ],
        provenance=provenance,
        plotly_js=plotly.offline.get_plotlyjs(),
    )
    return str(page)


def _warnings(c: Comparison, lang: str) -> list[str]:
    """The comparison's warnings, in the report's language."""
    if lang != "fr" or not c.warnings:
        return list(c.warnings)
    from coopterra.compare import MIN_REPLICATES

    n = c.replicates
    what = (
        "aucun intervalle ne peut être donné"
        if n == 1
        else "les intervalles sont larges et incertains"
    )
    plural = "s" if n > 1 else ""
    return [
        f"seulement {n} répétition{plural} par scénario : {what} ; en faire au moins "
        f"{MIN_REPLICATES} (--replicates)"
    ]


def write_report(
    comparison: Comparison,
    path: str | os.PathLike[str],
    territory: Any = None,
    title: str | None = None,
    *,
    boundaries: Any = None,
    lang: str = "en",
) -> None:
    """Write the report to ``path`` (written to a temporary file, then renamed into place).

    ``boundaries``: commune boundaries (a GeoDataFrame, or a path read with geopandas) for
    choropleth maps; without them the maps are schematic. A ``territory`` that carries its
    boundaries (``territory.boundaries``, a GeoDataFrame) gives them when ``boundaries`` is not
    given; the communes themselves are read from the results."""
    if boundaries is None and territory is not None:
        boundaries = getattr(territory, "boundaries", None)
    page = render_report(comparison, boundaries=boundaries, title=title, lang=lang)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, page)


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium() -> str:
    """The path of a Chromium (or Chrome) browser, or a CoopterraError saying what to install."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise CoopterraError("no Chromium found for the PDF export: install it (./dev setup does)")


def stop_session(leader: int) -> None:
    """Stop what is left of the process session ``leader`` started (Chromium's helper processes
    outlive its main process for a moment, still writing into its profile folder), so that the
    folder can be removed."""
    import signal
    import time

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(leader, sig)
        except (ProcessLookupError, PermissionError):
            return
        for _ in range(50):  # up to 5 s for the group to be gone
            try:
                os.killpg(leader, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.1)


def report_to_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> None:
    """Print an HTML report to PDF with headless Chromium (A4, charts as drawn)."""
    target = Path(pdf_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="coopterra-pdf-") as profile:
        partial = Path(profile) / "report.pdf"
        process = subprocess.Popen(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}/user",
                "--no-pdf-header-footer",
                "--virtual-time-budget=10000",
                f"--print-to-pdf={partial}",
                Path(html_path).resolve().as_uri(),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its helper processes are stopped with it
        )
        try:
            _, stderr = process.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        finally:
            stop_session(process.pid)
        if process.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            raise CoopterraError(
                f"Chromium could not print {html_path} to PDF: "
                f"{(stderr.strip().splitlines() or ['no output'])[-1]}"
            )
        shutil.move(partial, target)
