"""Paired comparison with common random numbers, the compare command and the HTML report."""

from __future__ import annotations

import re

import numpy as np
import pytest

import coopterra
from coopterra.outcomes import HEADLINES

from conftest import SCENARIOS, run_cli


def small(name: str) -> coopterra.Scenario:
    # Platforms' constant raised from its default (-5.5: a small minority of carpoolers, as the
    # national register shows) so that 20 weeks of a small territory carry enough platform
    # carpoolers for the comparisons to read.
    return coopterra.load_scenario(
        SCENARIOS / f"{name}.toml",
        overrides={
            "territory.residents": 12_000,
            "territory.zones": 15,
            "run.weeks": 20,
            "carpool.asc": -2.0,
        },
    )


def test_shipped_policy_scenarios_extend_the_baseline():
    support = small("carpool_support")
    assert support.get("authority.budget_eur") == 150_000
    assert support.get("territory.residents") == 12_000
    combined = coopterra.load_scenario(SCENARIOS / "combined_package.toml")
    kinds = [line for line in combined.to_toml().splitlines() if line.startswith("kind = ")]
    assert kinds == [
        'kind = "carpool_incentive"',
        'kind = "awareness_campaign"',
        'kind = "platform_tax"',
    ]
    assert "rate = 0.3\n" in combined.to_toml()  # numbers as written, not 0.29999999999999999


def test_paired_differences_are_far_tighter_than_the_spread_of_runs():
    comparison = coopterra.compare(
        small("baseline"), [small("carpool_support")], replicates=4, threads=2
    )
    base = np.array([float(ds["co2e"].sum()) for ds in comparison.runs["baseline"]])
    policy = np.array([float(ds["co2e"].sum()) for ds in comparison.runs["carpool_support"]])
    paired = policy - base
    # Unpaired: policy run r against the baseline of another seed.
    unpaired = policy - np.roll(base, 1)
    assert paired.std() < 0.5 * unpaired.std()
    row = comparison.row("carpool_support", "CO2e of commuting")
    assert row["estimate"] == pytest.approx(np.mean(paired) / 1000)  # mean paired difference, t
    assert row["ci_high"] < 0  # the support cuts emissions: the interval is below zero
    spent = comparison.row("carpool_support", "public money spent")
    assert 0 < spent["scenario_value"] <= 150_000


def test_a_scenario_on_another_territory_or_date_is_refused_before_any_run(tmp_path):
    # Other residents, other communes or another calendar: the difference would not be the policy's.
    for key, value in (
        ("territory.residents", 6_000),
        ("territory.zones", 20),
        ("run.start_date", "2027-01-04"),
    ):
        other = small("carpool_support").with_overrides({key: value})
        with pytest.raises(coopterra.ConfigurationError, match=key.replace(".", r"\.")) as info:
            coopterra.compare(small("baseline"), [other], replicates=1, out=tmp_path / "runs")
        assert info.value.diagnostics[0].key == key
        assert "carpool_support" in str(info.value)
        assert not list(tmp_path.glob("runs/*.h5"))


def test_scenarios_of_other_horizons_all_run_to_the_longest():
    base = small("baseline").with_overrides({"territory.residents": 3_000, "run.weeks": 2})
    longer = small("carpool_support").with_overrides(
        {"territory.residents": 3_000, "run.weeks": 14}
    )
    comparison = coopterra.compare(base, [longer], replicates=1)
    assert comparison.weeks() == 14
    assert {ds.sizes["week"] for runs in comparison.runs.values() for ds in runs} == {14}


def test_a_levy_leaves_unrelated_draws_untouched():
    comparison = coopterra.compare(
        small("baseline"), [small("extractive_platform_tax")], replicates=3, threads=2
    )
    for base, levy in zip(
        comparison.runs["baseline"], comparison.runs["extractive_platform_tax"], strict=True
    ):
        np.testing.assert_array_equal(base["aware"], levy["aware"])  # awareness is not priced
        assert float(levy["platform_tax"].sum()) > 0
        balance = levy["account_balance"].sel(account="authority")[-1]
        # Both are whole cents written as euros: equal to the cent.
        assert round(float(balance) * 100) == round(float(levy["platform_tax"].sum()) * 100)


def test_compare_command_prints_the_table_and_writes_a_self_contained_report(tmp_path):
    report, table = tmp_path / "report.html", tmp_path / "table.csv"
    result = run_cli(
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "carpool_support.toml"),
        "--replicates",
        "2",
        "--weeks",
        "10",
        "--set",
        "territory.residents=5000",
        "--report",
        str(report),
        "--table",
        str(table),
        "--out",
        str(tmp_path / "runs"),
    )
    assert result.returncode == 0, result.stderr
    assert "carpool_support" in result.stdout and "public money spent" in result.stdout
    assert "warning: only 2 replicates per scenario" in result.stdout
    page = report.read_text()
    assert '<meta name="viewport"' in page and "coopterra_version" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=.https?:", page)  # offline
    # a header, then each headline outcome and the two costs per outcome (per t CO2e, per job)
    assert len(table.read_text().splitlines()) == 1 + len(HEADLINES) + 2


@pytest.mark.parametrize("option", ["--excel", "--pdf", "--table", "--report"])
def test_an_output_file_that_is_a_folder_is_refused_before_the_runs(tmp_path, option):
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = run_cli(
        "compare",
        str(SCENARIOS / "baseline.toml"),
        str(SCENARIOS / "carpool_support.toml"),
        "--weeks",
        "1",
        "--replicates",
        "1",
        "--out",
        str(tmp_path / "runs"),
        option,
        str(folder),
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{folder}: is a folder" in result.stderr
    assert not list(tmp_path.glob("runs/*.h5"))  # refused before any run


def test_a_failed_comparison_leaves_the_earlier_one_in_its_folder_whole(tmp_path):
    out = tmp_path / "runs"
    tiny = {"territory.residents": 2_000, "territory.zones": 8}
    base = coopterra.load_scenario(SCENARIOS / "baseline.toml", overrides=tiny)
    support = coopterra.load_scenario(SCENARIOS / "carpool_support.toml", overrides=tiny)
    coopterra.compare(base, [support], replicates=1, weeks=1, out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "manifest.json" in before and len(before) == 3
    # A scenario that validates but cannot be built: more subscribers than residents.
    crowd = support.with_toml_overrides(
        [
            (
                "policies",
                '[{kind = "crowdfunding", label = "shares", sector = "food", '
                'platform = "cooperative", start_week = 1, subscribers = 5000}]',
                "test",
            )
        ]
    )
    with pytest.raises(coopterra.CoopterraError, match="runs failed"):
        coopterra.compare(base, [crowd], replicates=1, weeks=1, out=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing staged is left
    assert coopterra.load_comparison(out).scenarios == ["carpool_support"]
    # A comparison that succeeds replaces the earlier one.
    coopterra.compare(base, [support], replicates=2, weeks=1, out=out)
    assert len(list(out.glob("*.h5"))) == 4 and not list(out.glob(".compare-partial-*"))
