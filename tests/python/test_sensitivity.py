"""Sobol and Morris indices (SALib) and scenario discovery (PRIM, EMA Workbench)."""

from __future__ import annotations

import numpy as np

import coopterra
from coopterra.sensitivity import discover, explore

PROBLEM = {
    "carpool.informal_asc": (-3.0, -1.0),
    "carpool.asc": (-6.0, -2.0),
    "carpool.cooperative.bass_q": (0.1, 0.8),
    "carpool.detour_minutes": (0.0, 15.0),
}


def scenario() -> coopterra.Scenario:
    return coopterra.load_scenario(
        overrides={"territory.residents": 5000, "territory.zones": 12, "run.weeks": 26}
    )


def test_sobol_indices_rank_the_parameters_that_matter():
    exp = explore(scenario(), PROBLEM, method="sobol", n=16, threads_per_run=1)
    assert len(exp.table) == 16 * (4 + 2)  # Saltelli: n (D + 2) runs, first and total order
    assert exp.ensemble.failures == []
    indices = exp.indices("CO2e of commuting")
    assert list(indices.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert np.isfinite(indices.to_numpy()).all()
    # Imitation speeds awareness of a platform but hardly moves the year's CO2e; the constant of
    # carpooling without a platform (most carpooling) and the detour time do.
    assert indices.loc["carpool.cooperative.bass_q", "ST"] < 0.05
    assert indices.loc["carpool.informal_asc", "ST"] > 0.2


def test_morris_screening_and_prim_discovery():
    exp = explore(scenario(), PROBLEM, method="morris", n=8)
    assert len(exp.table) == 8 * (4 + 1)
    screening = exp.indices("carpoolers via the cooperative (last week)")
    assert (
        screening.loc["carpool.asc", "mu_star"]
        > screening.loc["carpool.cooperative.bass_q", "mu_star"]
    )
    table = explore(scenario(), PROBLEM, method="sobol", n=16).table
    low = table["CO2e of commuting"].quantile(0.25)
    box = discover(table, "CO2e of commuting", below=low, parameters=list(PROBLEM))
    # The lowest emissions come with a high constant of carpooling without a platform (less
    # reluctance): PRIM raises its lower limit well above the bottom of its range.
    assert "carpool.informal_asc" in box.index
    assert box.loc["carpool.informal_asc", "min"] > table["carpool.informal_asc"].min() + 0.3
    assert 0 < box.attrs["coverage"] <= 1 and 0 < box.attrs["density"] <= 1
