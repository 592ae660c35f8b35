"""Headline outcomes of a run: what comparisons, ensembles, summaries and reports put in front of
users, each defined once here (name, unit, what it counts, how it is computed from one run's
results, docs/results.md) and listed in docs/indicators.md (generated: ``headlines_markdown``).

Also how quantities read: integers as integers, units that say what they count (EUR, t CO2e,
jobs, "x" for a multiplier), in English or in French ("4 880 EUR" becomes "4 880 €").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

MARGIN_LEAVING = ": margin leaving the territory"


@dataclass(frozen=True)
class Headline:
    """One headline outcome of a run."""

    name: str  # the English label, also the column name in ensemble and results tables
    label_fr: str
    unit: str  # "EUR", "t CO2e", "km", "jobs", "persons", "firms", "platforms", "x", "%"
    integer: bool  # a count: printed as an integer
    theme: str  # mobility, markets, money, firms, governance
    definition: str  # what it counts, from which variables (docs/indicators.md)
    value: Callable[[xr.Dataset], float]
    better: int = 0  # +1 more is better for the territory, -1 less is better, 0 neither

    def label(self, lang: str = "en") -> str:
        return self.label_fr if lang == "fr" else self.name


def _flows_by_week(ds: xr.Dataset, keep: Callable[[str, str, str], bool]) -> np.ndarray:
    """Week by week, the sum of the ledger's flows (name, from, to) that ``keep`` selects."""
    names = [str(n) for n in ds["flow"].values]
    sources = [str(a) for a in ds["flow_from"].values]
    targets = [str(a) for a in ds["flow_to"].values]
    chosen = [
        i for i, (n, a, b) in enumerate(zip(names, sources, targets, strict=True)) if keep(n, a, b)
    ]
    if not chosen:
        return np.zeros(ds.sizes["week"])
    return np.asarray(ds["money_flow"].isel(flow=chosen).sum("flow").values, dtype=float)


def _flows(ds: xr.Dataset, keep: Callable[[str, str, str], bool]) -> float:
    """Sum over the run of the ledger's flows (name, from, to) that ``keep`` selects."""
    return float(_flows_by_week(ds, keep).sum())


def fees_leaving(ds: xr.Dataset) -> float:
    """Margins that every platform (carpooling, the markets, barter) sends out of the territory:
    the ledger's ``<platform>: margin leaving the territory`` flows."""
    return _flows(ds, lambda n, a, b: n.endswith(MARGIN_LEAVING))


def platform_fees(ds: xr.Dataset) -> float:
    """Every fee and commission paid to a platform: carpool commissions, the markets' fees
    (residents and procurement), barter's commissions and membership fees."""
    platforms = {str(a) for a in ds["account"].values} - {
        "households",
        "authority",
        "outside",
        "firms",
    }

    def is_fee(n: str, a: str, b: str) -> bool:
        if b not in platforms:
            return False
        return (
            n.endswith(": fees")
            or n.endswith(": procurement fees")
            or n.startswith("carpool commissions")
            or n.startswith("barter: ")
        )

    return _flows(ds, is_fee)


# The ledger's flows of the authority's financing (docs/indicators.md), named
# "<label>: <flow>, <platform>" (equity: "<platform>: authority's equity"): what it puts into
# assets it holds, what comes back (principal, interest, remuneration), what a default writes off.
_PUT_IN = (": authority's equity", ": loan advanced, ", ": titres participatifs subscribed, ")
_PRINCIPAL_BACK = (": loan principal repaid, ", ": titres participatifs redeemed, ")
_INCOME_BACK = (": loan interest, ", ": titres participatifs remuneration, ")
_WRITTEN_OFF = (": loan written off on default", ": titres participatifs written off on default")


def _weekly_flows(ds: xr.Dataset, parts: tuple[str, ...]) -> np.ndarray:
    """Week by week, the flows to or from the authority whose names hold one of ``parts``."""
    return _flows_by_week(ds, lambda n, a, b: "authority" in (a, b) and any(p in n for p in parts))


def assets_by_week(ds: xr.Dataset) -> np.ndarray:
    """Week by week, the change in the financial assets the authority holds: equity, loans and
    titres participatifs put in, less the principal repaid or redeemed and what a default writes
    off."""
    change: np.ndarray = (
        _weekly_flows(ds, _PUT_IN)
        - _weekly_flows(ds, _PRINCIPAL_BACK)
        - _weekly_flows(ds, _WRITTEN_OFF)
    )
    return change


def spent_by_week(ds: xr.Dataset) -> np.ndarray:
    """Week by week, the public money spent: what leaves the authority's account
    (``public_spending``) less what it puts into assets it holds, plus what a default writes off,
    less the interest and remuneration its loans and titres pay back."""
    spending = np.asarray(ds["public_spending"].values, dtype=float)
    spent: np.ndarray = (
        spending
        - _weekly_flows(ds, _PUT_IN)
        + _weekly_flows(ds, _WRITTEN_OFF)
        - _weekly_flows(ds, _INCOME_BACK)
    )
    return spent


def assets_kept(ds: xr.Dataset) -> float:
    """Public money the authority still holds as assets at the end of the run: equity in
    cooperatives, and loans and titres participatifs still owed (not repaid nor written off)."""
    return float(assets_by_week(ds).sum())


def taxes_raised(ds: xr.Dataset) -> float:
    """Taxes the authority raises on platforms' commissions (carpooling and the markets)."""
    return _flows(ds, lambda n, a, b: b == "authority" and "tax" in n)


def carpool_keys(ds: xr.Dataset, cooperative: bool) -> list[str]:
    """Keys of the carpool platforms of one kind (the scenario's [[carpool.platforms]])."""
    kinds = ds["platform_cooperative"].values.astype(bool)
    return [str(k) for k, c in zip(ds["platform"].values, kinds, strict=True) if c == cooperative]


def carpoolers(ds: xr.Dataset, cooperative: bool) -> float:
    """Car commuters choosing a carpool platform of one kind in the last week."""
    modes = [f"carpool_{k}" for k in carpool_keys(ds, cooperative)]
    return float(ds["commuters"].sel(mode=modes).sum("mode")[-1])


def _cooperative_purchases(ds: xr.Dataset) -> float:
    return float(ds["purchases"].where(ds["channel_kind"] == "cooperative", 0).sum())


HEADLINES: list[Headline] = [
    Headline(
        "CO2e of commuting and the six markets",
        "CO₂e des trajets domicile-travail et des six marchés",
        "t CO2e",
        False,
        "mobility",
        "`co2e_total` summed over the run, in tonnes",
        lambda ds: float(ds["co2e_total"].sum()) / 1000,
        -1,
    ),
    Headline(
        "CO2e of commuting",
        "CO₂e des trajets domicile-travail",
        "t CO2e",
        False,
        "mobility",
        "`co2e` summed over the run, in tonnes",
        lambda ds: float(ds["co2e"].sum()) / 1000,
        -1,
    ),
    Headline(
        "vehicle-km of commuting",
        "véhicules-km domicile-travail",
        "km",
        True,
        "mobility",
        "`vehicle_km` summed over the run",
        lambda ds: float(ds["vehicle_km"].sum()),
        -1,
    ),
    Headline(
        "carpoolers via the cooperative (last week)",
        "covoitureurs de la coopérative (dernière semaine)",
        "persons",
        True,
        "mobility",
        "`commuters` choosing a cooperative carpool platform (`carpool_<key>`) in the last week",
        lambda ds: carpoolers(ds, cooperative=True),
        1,
    ),
    Headline(
        "carpoolers via the incumbent (last week)",
        "covoitureurs de la plateforme dominante (dernière semaine)",
        "persons",
        True,
        "mobility",
        "`commuters` choosing an incumbent carpool platform in the last week",
        lambda ds: carpoolers(ds, cooperative=False),
    ),
    Headline(
        "residents aware of the cooperative (last week)",
        "habitants qui connaissent la coopérative (dernière semaine)",
        "persons",
        True,
        "mobility",
        "`aware` of the carpool cooperative best known in the last week",
        lambda ds: float(ds["aware"].sel(platform=carpool_keys(ds, True)).max("platform")[-1]),
        1,
    ),
    Headline(
        "purchases through cooperative platforms",
        "achats par des plateformes coopératives",
        "purchases",
        True,
        "markets",
        "`purchases` through channels of kind `cooperative`, summed over the run",
        _cooperative_purchases,
        1,
    ),
    Headline(
        "fees of the markets' incumbent platforms",
        "commissions des plateformes dominantes des marchés",
        "EUR",
        False,
        "markets",
        "`channel_fees` of channels of kind `incumbent`, summed over the run",
        lambda ds: float(ds["channel_fees"].where(ds["channel_kind"] == "incumbent", 0.0).sum()),
        -1,
    ),
    Headline(
        "platform fees leaving the territory",
        "commissions des plateformes qui quittent le territoire",
        "EUR",
        False,
        "money",
        "every platform's (carpooling, the six markets, barter) ledger flow "
        "`<platform>: margin leaving the territory` in `money_flow`, summed over the run",
        fees_leaving,
        -1,
    ),
    Headline(
        "platform fees kept in the territory",
        "commissions des plateformes gardées sur le territoire",
        "EUR",
        False,
        "money",
        "every fee and commission paid to a platform in `money_flow` (carpool commissions, "
        "`<channel>: fees`, `<channel>: procurement fees`, barter's), less the margins leaving",
        lambda ds: platform_fees(ds) - fees_leaving(ds),
        1,
    ),
    Headline(
        "local multiplier LM3 (mean)",
        "multiplicateur local LM3 (moyenne)",
        "x",
        False,
        "money",
        "`local_multiplier`, mean over the weeks",
        lambda ds: float(ds["local_multiplier"].mean()),
        1,
    ),
    Headline(
        "public money spent",
        "argent public dépensé",
        "EUR",
        False,
        "money",
        "`public_spending` summed over the run, less what the authority puts into assets it holds "
        "(equity, loans, titres participatifs), plus what a default writes off, less the interest "
        "and remuneration paid back",
        lambda ds: float(spent_by_week(ds).sum()),
    ),
    Headline(
        "public money put into equity (an asset kept)",
        "argent public placé en capital (un actif conservé)",
        "EUR",
        False,
        "money",
        "equity put into cooperatives (`<platform>: authority's equity` flows), and loans and "
        "titres participatifs still owed at the end of the run (advanced, less principal repaid or "
        "redeemed and amounts written off on a default)",
        assets_kept,
    ),
    Headline(
        "taxes raised on platforms",
        "taxes perçues sur les plateformes",
        "EUR",
        False,
        "money",
        "flows reaching the authority named `... tax` (carpool and market platform taxes)",
        taxes_raised,
    ),
    Headline(
        "jobs in local firms (last week)",
        "emplois des entreprises locales (dernière semaine)",
        "jobs",
        False,
        "firms",
        "`jobs` (full-time equivalents) summed over firm sectors, last week",
        lambda ds: float(ds["jobs"][-1].sum()),
        1,
    ),
    Headline(
        "firms open (last week)",
        "entreprises ouvertes (dernière semaine)",
        "firms",
        True,
        "firms",
        "`firms_open` summed over firm sectors, last week",
        lambda ds: float(ds["firms_open"][-1].sum()),
        1,
    ),
    Headline(
        "cooperative platforms open (last week)",
        "plateformes coopératives ouvertes (dernière semaine)",
        "platforms",
        True,
        "governance",
        "`platform_open` of the markets' platforms with `market_platform_cooperative` = 1, last "
        "week",
        lambda ds: float((ds["platform_open"][-1] * ds["market_platform_cooperative"]).sum()),
        1,
    ),
    Headline(
        "cooperative members (last week)",
        "sociétaires des coopératives (dernière semaine)",
        "persons",
        True,
        "governance",
        "`cooperative_members` summed over platforms and colleges, last week",
        lambda ds: float(ds["cooperative_members"][-1].sum()),
        1,
    ),
    Headline(
        "data sovereignty (mean)",
        "souveraineté des données (moyenne)",
        "%",
        False,
        "governance",
        "`data_sovereignty` (platform transactions through cooperatives), mean over the weeks, "
        "in per cent",
        lambda ds: 100 * float(ds["data_sovereignty"].mean()),
        1,
    ),
]

BY_NAME: dict[str, Headline] = {h.name: h for h in HEADLINES}

COST_PER_TONNE = "public money per t CO2e avoided"
COST_PER_JOB = "public money per job added (last week)"

THEMES = {
    "mobility": ("Mobility", "Mobilité"),
    "markets": ("Food and markets", "Alimentation et marchés"),
    "firms": ("Firms and jobs", "Entreprises et emplois"),
    "governance": ("Cooperatives and governance", "Coopératives et gouvernance"),
    "equity": ("Equity by kind of commune and income", "Équité par type de commune et revenu"),
    "money": ("Public money and money kept locally", "Argent public et argent gardé localement"),
}


def headlines_markdown() -> str:
    """The headlines' section of docs/indicators.md (a test checks that the page carries it)."""
    lines = [
        "| headline | unit | what it counts |",
        "| --- | --- | --- |",
    ]
    for h in HEADLINES:
        unit = h.unit + (", an integer" if h.integer else "")
        lines.append(f"| {h.name} | {unit} | {h.definition} |")
    return "\n".join(lines) + "\n"


# --- how numbers read -------------------------------------------------------------------------

_UNITS_FR = {
    "EUR": "€",
    "t CO2e": "t CO₂e",
    "persons": "personnes",
    "jobs": "emplois",
    "firms": "entreprises",
    "platforms": "plateformes",
    "purchases": "achats",
    "EUR/t": "€/t",
    "EUR/job": "€/emploi",
}
_UNITS_EN = {"t CO2e": "t CO2e"}
NARROW_NBSP = "\u202f"


def unit_text(unit: str, lang: str = "en") -> str:
    """The unit as it reads in ``lang`` ("t CO₂e", "€", "×")."""
    if unit == "x":
        return "×"
    table = _UNITS_FR if lang == "fr" else _UNITS_EN
    return table.get(unit, unit)


def number(value: float, digits: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``value`` with ``digits`` decimals, grouped by thousands: "4,880.5" or "4 880,5"."""
    if value is None or not math.isfinite(value):
        return "–"
    if round(value, digits) == 0:
        value = 0.0  # no "-0"
    text = f"{abs(value):,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    prefix = "−" if value < 0 else ("+" if sign and value > 0 else "")
    return prefix + text


def digits_for(value: float, integer: bool) -> int:
    """Decimals that keep a quantity readable: none for counts and large numbers."""
    if integer or not math.isfinite(value):
        return 0
    size = abs(value)
    if size >= 100 or size == 0:
        return 0
    if size >= 1:
        return 1
    return 2


def quantity(
    value: float,
    unit: str,
    integer: bool = False,
    lang: str = "en",
    sign: bool = False,
    compact: bool = False,
) -> str:
    """A value with its unit: "56 t CO2e", "1,940 EUR/t", "1.43×", "109 k EUR" (compact)."""
    if value is None or not math.isfinite(value):
        return "–"
    scale = ""
    if compact and abs(value) >= 10_000:
        for size, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
            if abs(value) >= size:
                value, scale = value / size, suffix
                break
    digits = 1 if scale and abs(value) < 10 else digits_for(value, integer and not scale)
    if unit == "x" and not scale:
        digits = 2
    text = number(value, digits, lang, sign) + scale.replace(
        " ", NARROW_NBSP if lang == "fr" else " "
    )
    shown = unit_text(unit, lang)
    if unit == "x":
        return text + shown
    if unit == "%":
        return text + (NARROW_NBSP + "%" if lang == "fr" else "%")
    singular = abs(value) == 1 or (lang == "fr" and abs(value) < 2)  # "1 platform", "0 emploi"
    if integer and not scale and singular and shown.endswith("s"):
        shown = shown[:-1]
    if scale and shown in ("€", "EUR"):
        joiner = "" if lang == "fr" else " "
        return text + joiner + shown
    return f"{text} {shown}" if shown else text


def mean_or_nan(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else math.nan
