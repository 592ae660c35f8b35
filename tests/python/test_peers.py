"""The peers of bench/peers/ (NumPy, Mesa 3) run the engine's carpooling rules: their yearly means
agree with the engine's on the same territory and population, so the speed the benchmark quotes
is of the same model. Also the population the engine exposes for them (Simulation.population)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import coopterra

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench" / "peers"))

import carpool_mesa
import carpool_numpy
import common


def test_population_is_the_engines(small: coopterra.Scenario) -> None:
    sim = coopterra.Simulation(small, seed=1, threads=2)
    pop = sim.population()
    ties = sim.ties()
    assert len(pop) == sim.residents == ties.shape[0]
    assert ties.shape[1] == small.get("population.ties_per_resident")
    assert ties.max() < sim.residents
    zones = len(sim.territory.zones)
    assert pop["home"].between(0, zones - 1).all()
    # Residents are stored by home zone; every car commuter has a workplace, nobody else a
    # workplace without being a commuter.
    assert (np.diff(pop["home"].to_numpy()) >= 0).all()
    assert (pop.loc[pop["car_commuter"], "work"] >= 0).all()
    assert (pop.loc[pop["work"] >= 0, "commuter"]).all()
    # The same population whatever the thread count.
    other = coopterra.Simulation(small, seed=1, threads=1)
    assert other.population().equals(pop)
    assert np.array_equal(other.ties(), ties)


def test_car_commuters_match_the_results(small: coopterra.Scenario) -> None:
    sim = coopterra.Simulation(small, seed=1, threads=2)
    sim.run(weeks=2)
    r = sim.results()
    car_commuters = int(sim.population()["car_commuter"].sum())
    per_week = r["commuters"].sum("mode") + r["commuters_on_leave"]
    assert (per_week.values == car_commuters).all()


@pytest.mark.parametrize("peer", [carpool_numpy, carpool_mesa], ids=["numpy", "mesa"])
def test_peer_agrees_with_the_engine(peer) -> None:  # type: ignore[no-untyped-def]
    residents, weeks = 12_000, 26
    engine, _ = common.engine_weeks(residents, weeks)
    result, _ = peer.run(common.inputs(residents), weeks)
    diff = common.agreement(engine, result)
    # Large counts within 3 %; the platforms' few carpoolers within their sampling noise.
    for name in ("aware_incumbent", "drive_alone", "carpool_informal", "carpoolers", "vehicle_km"):
        assert abs(diff[name]) < 0.03, (name, diff)
    assert abs(diff["aware_cooperative"]) < 0.08, diff
    assert abs(np.mean(result["carpool_platforms"]) - np.mean(engine["carpool_platforms"])) < 6, (
        diff
    )


def test_peer_notices_a_different_rule() -> None:
    """The comparison can fail: a peer without the market potential (everyone within it)
    overestimates the cooperative's awareness, and the check says so."""
    residents, weeks = 12_000, 26
    x = common.inputs(residents)
    engine, _ = common.engine_weeks(residents, weeks)
    for platform in x.platforms:
        platform.potential = 1.0
    wrong, _ = carpool_numpy.run(x, weeks)
    assert common.agreement(engine, wrong)["aware_cooperative"] > 0.2


def test_bench_command_runs() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "peers" / "run.py"),
            "--residents",
            "20000",
            "--mesa-residents",
            "4000",
            "--weeks",
            "8",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert "numpy" in out and "mesa" in out and "DIFFERS" not in out
