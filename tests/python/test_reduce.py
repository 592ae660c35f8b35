"""Reductions of ensembles and comparisons to quantiles over the weeks, their plots and their
display in Jupyter."""

from __future__ import annotations

import numpy as np
import pytest

import coopterra

from conftest import SCENARIOS


def small(path: str = "baseline.toml") -> coopterra.Scenario:
    return coopterra.load_scenario(
        SCENARIOS / path,
        overrides={"territory.residents": 4000, "territory.zones": 8, "run.weeks": 16},
    )


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    return coopterra.run_ensemble(
        {"base": small(), "support": small("carpool_support.toml")},
        replicates=4,
        out=tmp_path_factory.mktemp("ens"),
        progress=False,
    )


def test_an_ensemble_reduces_to_quantiles_per_scenario(ensemble):
    reduced = ensemble.reduce(quantiles=(0.1, 0.5, 0.9), variables=["co2e_total", "commuters"])
    assert set(reduced.dims) >= {"scenario", "quantile", "week", "mode"}
    assert list(reduced["scenario"].values) == ["base", "support"]
    assert reduced["co2e_total"].attrs["units"] == "kg"
    # The same quantiles as numpy over the four replicates' values, week by week.
    runs = [
        coopterra.open_results(s.path)["co2e_total"].values
        for s in ensemble.runs
        if s.scenario == "support"
    ]
    expected = np.quantile(np.stack(runs), 0.9, axis=0)
    got = reduced["co2e_total"].sel(scenario="support", quantile=0.9).values
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # Totals: the quantile of each run's total over modes, not the total of the quantiles.
    totals = ensemble.reduce(variables=["commuters"], totals=True)
    assert set(totals["commuters"].dims) == {"scenario", "quantile", "week"}
    with pytest.raises(KeyError, match="no such variables"):
        ensemble.reduce(variables=["not_a_variable"])


def test_a_comparison_reduces_to_paired_differences():
    comparison = coopterra.compare(small(), [small("carpool_support.toml")], replicates=3)
    reduced = comparison.reduce(variables=["co2e_total"])
    assert list(reduced["scenario"].values) == ["carpool_support"]
    name = comparison.scenarios[0]
    diffs = np.stack(
        [
            s["co2e_total"].values - b["co2e_total"].values
            for s, b in zip(comparison.runs[name], comparison.runs["baseline"], strict=True)
        ]
    )
    got = reduced["co2e_total"].sel(scenario=name, quantile=0.5).values
    np.testing.assert_allclose(got, np.median(diffs, axis=0), rtol=1e-12, atol=1e-9)
    ax = comparison.plot("co2e_total")
    assert len(ax.lines) >= 2 and ax.collections  # the median, the zero line, the band
    assert "Paired comparison against <b>baseline</b>, 3 replicates" in comparison._repr_html_()


def test_differences_keep_the_flows_only_one_scenario_has():
    # financing_ecosystem's loans and titres have flows the baseline lacks: their differences are
    # their own amounts, not dropped (an inner join kept 248 of 258 flows).
    over = {"territory.residents": 3000, "territory.zones": 8, "run.weeks": 156}
    load = lambda name: coopterra.load_scenario(SCENARIOS / name, overrides=over)  # noqa: E731
    comparison = coopterra.compare(
        load("baseline.toml"), [load("financing_ecosystem.toml")], replicates=2, weeks=30
    )
    reduced = comparison.reduce(variables=["money_flow"], quantiles=(0.5,))
    mine = comparison.runs["financing_ecosystem"][0]
    assert (
        reduced.sizes["flow"] == mine.sizes["flow"] > comparison.runs["baseline"][0].sizes["flow"]
    )
    loans = [str(f) for f in mine["flow"].values if ": loan advanced, " in str(f)]
    assert loans
    advanced = np.median(
        [
            float(ds["money_flow"].sel(flow=loans).sum())
            for ds in comparison.runs["financing_ecosystem"]
        ]
    )
    got = float(reduced["money_flow"].sel(flow=loans, quantile=0.5).sum())
    assert got == advanced > 0


def test_plots_and_display(ensemble, tmp_path):
    ax = ensemble.plot("co2e_total")
    assert [line.get_label() for line in ax.lines] == ["base", "support"]
    assert len(ax.collections) == 2  # one band per scenario
    ax.figure.savefig(tmp_path / "bands.png")
    assert (tmp_path / "bands.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="totals=True"):
        from coopterra.reduce import plot_bands

        plot_bands(ensemble.reduce(variables=["commuters"]), "commuters")
    page = ensemble._repr_html_()
    assert "8</b> runs (8 done, 0 failed)" in page and "<table" in page
