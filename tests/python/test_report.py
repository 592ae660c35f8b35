"""Decision outputs: the estimators, the headlines and how they read, the report (in a real
headless Chromium, at desktop and phone sizes, in English and French), its exports, and the
report rebuilt from saved runs."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from browser import Browser
from scipy import stats

import coopterra
from coopterra.compare import (
    COST_PER_TONNE,
    comparison_of_runs,
    cost_per_outcome,
    load_comparison,
    mean_interval,
)
from coopterra.errors import ConfigurationError
from coopterra.outcomes import HEADLINES, MARGIN_LEAVING, fees_leaving, headlines_markdown, quantity
from coopterra.posterior import write_posterior
from coopterra.report import check_runs, render_report, report_to_pdf, write_report
from coopterra.results import CORE_VARIABLES

from conftest import ROOT, SCENARIOS, run_cli, shared_data

SCREENSHOTS = ROOT / "results" / "screenshots"


def small(name: str, weeks: int = 52) -> coopterra.Scenario:
    return coopterra.load_scenario(
        SCENARIOS / f"{name}.toml",
        # Platforms' constant raised (see test_compare.small): a small territory's platform
        # carpoolers are then enough for the report's rows to read.
        overrides={
            "territory.residents": 6000,
            "territory.zones": 12,
            "run.weeks": weeks,
            "carpool.asc": -2.0,
        },
    )


@pytest.fixture(scope="module")
def comparison() -> coopterra.Comparison:
    """Three policies of different kinds on a small territory, 3 paired replicates."""
    return coopterra.compare(
        small("baseline"),
        [small("carpool_support"), small("scic_partnership"), small("lockdown")],
        replicates=3,
        threads=1,
    )


# --- estimators --------------------------------------------------------------------------------


def test_the_effect_interval_is_the_t_interval_of_the_mean_paired_difference():
    diff = np.array([-3.0, -5.0, -4.0, -6.0, -2.0])
    mean, low, high = mean_interval(diff)
    half = stats.t.ppf(0.975, 4) * diff.std(ddof=1) / math.sqrt(5)
    assert mean == -4.0 and low == pytest.approx(-4.0 - half) and high == pytest.approx(-4 + half)
    assert all(math.isnan(v) for v in mean_interval(np.array([-3.0]))[1:])  # n=1: no interval


def test_money_per_outcome_is_a_ratio_of_means_or_not_avoided():
    spent = np.array([100.0, 120.0, 90.0, 110.0, 100.0])
    avoided = np.array([1.0, 4.0, 2.0, 3.0, 5.0])
    row = cost_per_outcome("s", COST_PER_TONNE, "EUR/t", spent, avoided, "not avoided")
    assert row["estimate"] == pytest.approx(520 / 15)  # total spent / total avoided
    assert row["estimate"] != pytest.approx(np.mean(spent / avoided))  # not a mean of ratios
    assert row["ci_low"] < row["estimate"] < row["ci_high"] and row["status"] == ""
    # one replicate of five "avoids" 7 kg, the mean change is a rise: never a number
    rise = np.array([0.007, -0.2, -0.1, -0.15, -0.05])
    row = cost_per_outcome("s", COST_PER_TONNE, "EUR/t", spent, rise, "not avoided")
    assert row["status"] == "not avoided" and math.isnan(row["estimate"])
    # an interval that spans zero is not an avoided tonne either
    row = cost_per_outcome("s", COST_PER_TONNE, "EUR/t", spent, avoided - 2.9, "not avoided")
    assert row["status"] == "not avoided"
    row = cost_per_outcome("s", COST_PER_TONNE, "EUR/t", 0 * spent, avoided, "not avoided")
    assert row["status"] == "no public money spent"


def test_the_comparison_of_three_policies(comparison):
    c = comparison
    assert c.warnings and "only 3 replicates" in c.warnings[0]
    support = c.row("carpool_support", COST_PER_TONNE)
    spent = c.row("carpool_support", "public money spent")["estimate"]
    co2 = c.row("carpool_support", "CO2e of commuting and the six markets")
    assert co2["ci_high"] < 0 and support["estimate"] == pytest.approx(spent / -co2["estimate"])
    assert support["ci_low"] <= support["estimate"] <= support["ci_high"]
    # The SCIC partnership's equity is an asset kept, not money spent
    equity = c.row("scic_partnership", "public money put into equity (an asset kept)")
    assert equity["estimate"] > 0
    total = [float(ds["public_spending"].sum()) for ds in c.runs["scic_partnership"]]
    spent = c.row("scic_partnership", "public money spent")["scenario_value"]
    assert spent == pytest.approx(np.mean(total) - equity["scenario_value"])
    # The lockdown spends nothing: no cost per tonne, not 0.00 EUR/t
    assert c.row("lockdown", COST_PER_TONNE)["status"] == "no public money spent"
    text = c.format()
    assert "0.00 to 0.00" not in text and "person" not in text.split("carpool_support")[0]
    for sentence in c.sentences().values():
        assert sentence in text


def test_text_table_columns_never_run_together(comparison):
    # A large territory's values (millions of tonnes and persons) are wider than a small one's:
    # every column still starts where its header does, two spaces at least from the one before.
    big = dataclasses.replace(
        comparison,
        table=comparison.table.assign(
            baseline=comparison.table["baseline"] * 1e7 + 123_456_789,
            scenario_value=comparison.table["scenario_value"] * 1e7 + 123_456_789,
            estimate=comparison.table["estimate"] * 1e7 - 123_456,
        ),
    )
    block = big.format().split("\ncarpool_support\n")[1].split("\n\n")[0].splitlines()
    header, rows = block[0], block[1:]
    ends = [header.index(h) + len(h) for h in ("baseline", "scenario", "difference")]
    checked = 0
    for row in rows:
        parts = re.split(r" {2,}", row.strip())
        if row.strip().startswith("public money per"):  # a ratio: the difference column alone
            continue
        assert len(parts) >= 4, row
        at = len("  ") + len(parts[0])
        for part, end in zip(parts[1:4], ends, strict=True):
            at = row.index(part, at) + len(part)
            assert at == end, (row, part)
        checked += 1
    assert checked >= 10


def test_one_replicate_gives_no_interval_and_says_so(comparison):
    c = comparison_of_runs({k: v[:1] for k, v in comparison.runs.items()}, comparison.seeds[:1])
    assert c.warnings == [
        "only 1 replicate per scenario: no interval can be given; use at least 5 (--replicates)"
    ]
    assert c.table["ci_low"].isna().all() and c.table["ci_high"].isna().all()
    text = c.format()
    assert "warning: only 1 replicate" in text
    block = text.split("\ncarpool_support\n")[1]
    assert "[" not in block.split("\n\n")[0]  # no interval printed for any outcome


def test_fees_leaving_are_every_platforms_margins_in_the_books(comparison):
    ds = comparison.runs["baseline"][0]
    names = [str(n) for n in ds["flow"].values]
    margins = [n for n in names if n.endswith(MARGIN_LEAVING)]
    assert any(n.startswith("carpool: ") for n in margins) and any(
        n.startswith("food: ") for n in margins
    )
    books = float(ds["money_flow"].sel(flow=margins).sum())
    assert fees_leaving(ds) == books
    carpool_only = float(ds["fees_leaving_territory"].sum())
    assert books > 5 * carpool_only  # the markets' incumbents dominate what leaves
    row = comparison.row("carpool_support", "platform fees leaving the territory")
    assert row["baseline"] == pytest.approx(
        np.mean([fees_leaving(d) for d in comparison.runs["baseline"]])
    )


def test_quantities_read_in_english_and_french():
    assert quantity(40.0, "persons", integer=True) == "40 persons"
    assert quantity(6.0, "platforms", integer=True) == "6 platforms"
    assert quantity(4880.0, "EUR", lang="fr") == "4\u202f880 €"
    assert quantity(56.25, "t CO2e", lang="fr") == "56,2 t CO₂e"
    assert quantity(1940.4, "EUR/t") == "1,940 EUR/t"
    assert quantity(2.2871, "x") == "2.29×"
    assert quantity(109_200, "EUR", compact=True) == "109 k EUR"
    assert quantity(-3.0, "jobs", sign=True) == "−3.0 jobs"
    assert quantity(0.0, "EUR", sign=True) == "0 EUR"


def test_every_headline_is_defined_once_in_docs_indicators():
    page = (ROOT / "docs" / "indicators.md").read_text()
    assert headlines_markdown() in page  # regenerate: python -c "...headlines_markdown()"
    assert len({h.name for h in HEADLINES}) == len(HEADLINES)


# --- the report, in a real browser ---------------------------------------------------------


SIZES = {"desktop": (1366, 900, False), "phone": (390, 844, True)}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_in_a_real_browser(comparison, tmp_path, lang):
    page = tmp_path / f"report-{lang}.html"
    write_report(comparison, page, lang=lang)
    html = page.read_text()
    assert '<meta name="viewport"' in html and f'<html lang="{lang}">' in html
    assert 'alt="figure"' not in html and "aria-label=" in html
    sentences = list(comparison.sentences(lang).values())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Browser() as browser:
        for size, (width, height, mobile) in SIZES.items():
            browser.load(page.as_uri(), width, height, mobile)
            shot = SCREENSHOTS / f"report-{lang}-{size}.png"
            browser.screenshot(shot)
            assert shot.stat().st_size > 10_000
            scroll, inner = browser.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert inner == width
            assert scroll <= inner, f"{size}: the page overflows horizontally"
            text = browser.evaluate("document.body.innerText")
            for sentence in sentences:
                assert sentence in text
            assert browser.evaluate("document.querySelectorAll('.js-plotly-plot svg').length") >= 12
            widths = browser.evaluate(
                "[...document.querySelectorAll('.js-plotly-plot')]"
                ".map(p => p.offsetWidth - p.parentElement.offsetWidth)"
            )
            assert max(widths) <= 0, f"{size}: a chart is wider than its place"
        # the ranking sorts: by public money spent, descending after two clicks
        browser.evaluate("document.querySelectorAll('#ranking thead button')[1].click()")
        browser.evaluate("document.querySelectorAll('#ranking thead button')[1].click()")
        values = browser.evaluate(
            "[...document.querySelectorAll('#ranking tbody tr')]"
            ".map(r => parseFloat(r.cells[1].dataset.value))"
        )
        assert values == sorted(values, reverse=True) and len(values) == 3
        assert browser.errors == []
    if lang == "fr":
        assert "€" in html and "t CO₂e" in html and "Pour " in sentences[0]


def first_map(page: Path) -> str:
    html = page.read_text()
    start = html.index('<svg class="map"')
    return html[start : html.index("</svg>", start)]


def test_choropleth_on_real_commune_boundaries(tmp_path):
    data = shared_data()
    (tmp_path / "base.toml").write_text(
        'schema_version = 1\nname = "dieulefit"\n[run]\nweeks = 52\n[territory]\n'
        f'source = "communes"\ncommunes_file = "{data / "drome26_communes.csv"}"\n'
        '[territory.select]\nepcis = ["242600492"]\n'  # CC Dieulefit-Bourdeaux, 21 communes
    )
    (tmp_path / "support.toml").write_text(
        'schema_version = 1\nextends = "base.toml"\nname = "support"\n[authority]\n'
        'budget_eur = 50000\n[[policies]]\nkind = "carpool_incentive"\nlabel = "incentive"\n'
        'platform = "cooperative"\namount_eur = 2.0\n'
    )
    base = coopterra.load_scenario(tmp_path / "base.toml")
    policy = coopterra.load_scenario(tmp_path / "support.toml")
    c = coopterra.compare(base, [policy], replicates=2, threads=1)
    boundaries = data / "drome26_communes_2018.geojson"
    page = tmp_path / "drome.html"
    write_report(c, page, boundaries=boundaries)
    html = page.read_text()
    svg = first_map(page)
    import geopandas as gpd

    codes = {str(z) for z in c.runs["dieulefit"][0]["zone"].values}
    known = set(gpd.read_file(boundaries, engine="pyogrio")["code"]) & codes
    assert len(codes) == 21 and len(known) >= 20
    assert svg.count("<path ") == len(known)  # the territory's communes, on their boundaries
    assert 'fill="#d9d9d9"' not in svg  # each with its value
    assert "<circle" not in svg
    assert (
        "Real commune boundaries" if known == codes else f"Real boundaries of {len(known)} of"
    ) in html
    # Without boundaries, or with boundaries of other communes, a real territory's map is
    # schematic and says why (never "a synthetic territory").
    write_report(c, tmp_path / "none.html")
    other = gpd.read_file(boundaries, engine="pyogrio").assign(
        code=lambda f: "99" + f["code"].str[2:]
    )
    write_report(c, tmp_path / "other.html", boundaries=other)
    for name, why in (("none", "no boundaries given"), ("other", "of none of these communes")):
        text = (tmp_path / f"{name}.html").read_text()
        assert "<circle" in first_map(tmp_path / f"{name}.html")
        assert "Schematic map of the communes" in text and why in text
        assert "synthetic" not in text
    # a territory that carries its boundaries gives them to the report
    write_report(c, tmp_path / "t.html", territory=SimpleNamespace(boundaries=str(boundaries)))
    assert first_map(tmp_path / "t.html").count("<path ") == len(known)
    with Browser() as browser:
        browser.load(page.as_uri(), 390, 844, True)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
        assert browser.errors == []


# --- exports, saved runs -------------------------------------------------------------------


def test_excel_pdf_and_jupyter(comparison, tmp_path):
    import openpyxl

    comparison.to_excel(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == ["headlines", "ranking", "comparison", "notes"]
    assert book["headlines"]["B2"].value == comparison.sentences()["carpool_support"]
    write_report(comparison, tmp_path / "r.html")
    report_to_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
    assert comparison.sentences()["lockdown"] in comparison._repr_html_()


def test_report_rebuilds_from_saved_runs_and_compare_never_mixes_them(tmp_path):
    out = tmp_path / "runs"
    args = ["--replicates", "2", "--weeks", "10", "--set", "territory.residents=2000"]
    args += ["--set", "territory.zones=8", "--out", str(out)]
    first = run_cli(
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "carpool_support.toml"),
        str(SCENARIOS / "lockdown.toml"),
        *args,
    )
    assert first.returncode == 0, first.stderr
    assert len(list(out.glob("*.h5"))) == 6
    second = run_cli(
        "compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "carpool_support.toml"), *args
    )
    assert second.returncode == 0, second.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(p.name for p in out.glob("*.h5")) == sorted(
        f for files in manifest["runs"].values() for f in files
    )  # the first comparison's six runs are gone, the second's four listed
    assert manifest["scenarios"] == ["carpool_support"] and len(manifest["runs"]["baseline"]) == 2
    rebuilt = run_cli("report", str(out), "--lang", "fr", "--excel", str(tmp_path / "t.xlsx"))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.split("\n\n")[1] == second.stdout.split("\n\n")[1]  # same sentences
    assert (out / "report.html").exists() and (tmp_path / "t.xlsx").exists()
    assert "lockdown" not in load_comparison(out).table["scenario"].tolist()
    # A folder with results files that no manifest lists is refused before any run
    stray = tmp_path / "stray"
    stray.mkdir()
    shutil.copy(next(out.glob("*.h5")), stray / "mine.h5")
    refused = run_cli(
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "lockdown.toml"),
        "--out",
        str(stray),
    )
    assert refused.returncode == 2 and "mine.h5" in refused.stderr
    assert sorted(p.name for p in stray.iterdir()) == ["mine.h5"]
    missing = run_cli("report", str(tmp_path))
    assert missing.returncode == 2 and "manifest.json" in missing.stderr
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text('{"schema": "coopterra-comparison/1",\n')
    broken = run_cli("report", str(tmp_path / "bad"))
    assert broken.returncode == 2 and "manifest.json:2:1: not valid JSON" in broken.stderr
    a_file = run_cli("report", str(tmp_path / "t.xlsx"))
    assert a_file.returncode == 2 and "no manifest.json" in a_file.stderr


# --- the runs a report is made of, checked ------------------------------------------------------


def tiny(name: str) -> coopterra.Scenario:
    return coopterra.load_scenario(
        SCENARIOS / f"{name}.toml", overrides={"territory.residents": 3000}
    )


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """A comparison folder (baseline and carpool support, 2 replicates of 2 weeks: run-000000 and
    -1 the baseline's, -2 and -3 the scenario's) and files that do not belong in it."""
    root = tmp_path_factory.mktemp("saved")
    coopterra.compare(
        tiny("baseline"), [tiny("carpool_support")], replicates=2, weeks=2, out=root / "runs"
    )
    files = {"runs": root / "runs"}
    for key, name, seed, weeks in (("lockdown", "lockdown", 4, 2), ("long", "baseline", 2, 3)):
        sim = coopterra.Simulation(tiny(name), seed=seed, threads=1)
        sim.run(weeks)
        files[key] = root / f"{key}.h5"
        sim.write(files[key])
    files["posterior"] = write_posterior(
        root / "posterior.h5", ["carpool.asc"], np.array([[-4.0]]), {"targets_name": "t"}
    )
    return files


def _swap_roles(folder: Path, saved: dict[str, Path]) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["baseline"], manifest["scenarios"] = manifest["scenarios"][0], [manifest["baseline"]]
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _reverse_baseline(folder: Path, saved: dict[str, Path]) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["runs"]["baseline"].reverse()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _delete_variable(folder: Path, saved: dict[str, Path]) -> None:
    import h5py

    with h5py.File(folder / "run-000002.h5", "a") as f:
        del f["co2e_total"]


TAMPERED = {
    "baseline and scenarios swapped": (
        _swap_roles,
        "run-000002.h5: scenario 'carpool_support', seed 1 (run 2 of its comparison); the "
        "manifest lists the baseline 'carpool_support', seed 1 (run 0) for this file",
    ),
    "baseline's replicates reversed": (
        _reverse_baseline,
        "run-000001.h5: scenario 'baseline', seed 2 (run 1 of its comparison); the manifest "
        "lists the baseline 'baseline', seed 1 (run 0) for this file",
    ),
    "a run of another scenario": (
        lambda folder, saved: shutil.copy(saved["lockdown"], folder / "run-000003.h5"),
        "run-000003.h5: scenario 'lockdown', seed 4; the manifest lists scenario "
        "'carpool_support', seed 2 for this file",
    ),
    "a run of other weeks": (
        lambda folder, saved: shutil.copy(saved["long"], folder / "run-000001.h5"),
        "run-000001.h5: 3 weeks; the comparison's other runs have 2 weeks",
    ),
    "a posterior file": (
        lambda folder, saved: shutil.copy(saved["posterior"], folder / "run-000002.h5"),
        "run-000002.h5: not a coopterra results file: its schema is 'coopterra-posterior/1', "
        "expected 'coopterra-results/1'",
    ),
    "a variable deleted": (
        _delete_variable,
        "run-000002.h5: not a complete coopterra results file: no variable 'co2e_total'",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERED))
def test_report_refuses_runs_that_are_not_the_ones_its_manifest_lists(saved, tmp_path, case):
    tamper, expected = TAMPERED[case]
    folder = tmp_path / "runs"
    shutil.copytree(saved["runs"], folder)
    tamper(folder, saved)
    done = run_cli("report", str(folder))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{folder}/{expected}" in done.stderr, done.stderr
    assert not (folder / "report.html").exists()


def test_the_report_of_runs_in_memory_checks_their_pairing(saved, tmp_path):
    c = load_comparison(saved["runs"])
    check_runs(c)  # as compare wrote them
    base, other = c.runs.values()
    flipped = comparison_of_runs({"baseline": base[::-1], "carpool_support": other}, [1, 2])
    with pytest.raises(ConfigurationError) as e:
        write_report(flipped, tmp_path / "r.html")
    assert [d.file for d in e.value.diagnostics] == [
        str(saved["runs"] / "run-000001.h5"),
        str(saved["runs"] / "run-000000.h5"),
    ]
    assert "scenario 'baseline', seed 2; the comparison lists the baseline 'baseline', seed 1" in (
        str(e.value)
    )
    assert not (tmp_path / "r.html").exists()


def test_the_report_reads_only_the_core_variables_every_results_file_holds(saved):
    c = load_comparison(saved["runs"])
    core = {
        name: [ds.drop_vars([v for v in ds.variables if v not in CORE_VARIABLES]) for ds in runs]
        for name, runs in c.runs.items()
    }
    stripped = comparison_of_runs(core, c.seeds)
    assert set(stripped.runs["baseline"][0].data_vars) < set(c.runs["baseline"][0].data_vars)
    assert "carpool support" in render_report(stripped)


@pytest.mark.parametrize("case", ["default", "repaid", "owed"])
def test_loans_count_as_assets_only_while_owed(tmp_path, case):
    # A loan is an asset while it is owed: repaid, it costs nothing (its interest is a gain);
    # written off on a default, it is money spent, not an asset kept.
    food = {"default": "[markets.food.cooperative]\nfixed_cost_eur_per_week = 100000.0\n"}
    instalments = {"default": 10, "repaid": 1, "owed": 40}[case]
    path = tmp_path / "loan.toml"
    path.write_text(
        f'schema_version = 1\nextends = "{SCENARIOS / "baseline.toml"}"\n'
        "[territory]\nresidents = 3000\n" + food.get(case, "") + "[authority]\n"
        "budget_eur = 100000.0\n[[policies]]\nlabel = 'loan'\nkind = 'loan'\nsector = 'food'\n"
        "platform = 'cooperative'\nprincipal_eur = 10000.0\nannual_rate = 0.25\n"
        f"instalments_per_year = 52\nrepayment = 'linear'\ninstalments = {instalments}\n"
    )
    sim = coopterra.Simulation(coopterra.load_scenario(path), seed=2, threads=2)
    sim.run(weeks=20)
    ds = sim.results()

    def flow(part: str) -> float:
        names = [str(n) for n in ds["flow"].values]
        return float(
            ds["money_flow"].isel(flow=[i for i, n in enumerate(names) if part in n]).sum()
        )

    advanced, repaid = flow(": loan advanced, "), flow(": loan principal repaid, ")
    interest, written_off = flow(": loan interest, "), flow(": loan written off on default")
    headline = {h.name: h.value(ds) for h in HEADLINES}
    spent = headline["public money spent"]
    kept = headline["public money put into equity (an asset kept)"]
    assert advanced == pytest.approx(10_000)
    assert kept == pytest.approx(advanced - repaid - written_off, abs=0.005)
    assert spent == pytest.approx(written_off - interest, abs=0.005)
    if case == "default":
        assert written_off > 0 and kept == pytest.approx(0, abs=0.005) and spent > 0
    elif case == "repaid":
        assert repaid == pytest.approx(10_000) and kept == pytest.approx(0, abs=0.005)
        assert spent == pytest.approx(-interest) and interest > 0
    else:
        assert written_off == 0 and 0 < kept < 10_000 and spent < 0
