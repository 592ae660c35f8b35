"""Simulations from Python: determinism, conservation, Ctrl-C, progress, the GIL."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest
import xarray as xr

import coopterra

from conftest import SCENARIOS


def test_same_seed_same_results_for_1_2_and_4_threads(small):
    # 40,000 residents: 10 chunks of 4,096, split differently over 1, 2 and 4 threads.
    scenario = small.with_overrides({"territory.residents": 40_000})
    runs = []
    for threads in (1, 2, 4):
        sim = coopterra.Simulation(scenario, seed=7, threads=threads)
        sim.run(weeks=10)
        runs.append(sim.results().drop_attrs())
    for other in runs[1:]:
        xr.testing.assert_identical(runs[0], other)  # exact equality, not approximate
    different = coopterra.Simulation(scenario, seed=8, threads=2)
    different.run(weeks=10)
    assert not different.results().drop_attrs().identical(runs[0])


def test_money_and_trips_add_up(small):
    sim = coopterra.Simulation(
        small.with_overrides({"carpool.cooperative.initial_awareness": 0.5, "carpool.asc": -2.0}),
        seed=3,
        threads=2,
    )
    sim.run(weeks=8)
    ds = sim.results()
    np.testing.assert_array_equal(ds["carpool_drivers"], ds["carpool_passengers"])
    paid = np.round(ds["fares_paid"].values * 100).astype(np.int64)
    received = np.round(ds["driver_income"].values * 100).astype(np.int64)
    fees = np.round(ds["platform_fees"].values * 100).astype(np.int64)
    np.testing.assert_array_equal(paid, received + fees)  # to the cent
    assert fees[:, 0].sum() == 0 and fees[:, 1].sum() > 0  # 0 % cooperative, 12 % incumbent
    np.testing.assert_array_equal(
        ds["fees_leaving_territory"], ds["platform_fees"].sel(platform="incumbent")
    )
    carpoolers = ds["commuters"].sel(mode=["carpool_cooperative", "carpool_incumbent"]).values
    matched = (ds["carpool_drivers"] + ds["carpool_passengers"] + ds["carpool_unmatched"]).values
    np.testing.assert_array_equal(carpoolers, matched)
    np.testing.assert_allclose(ds["vehicle_km_by_zone"].sum("zone"), ds["vehicle_km"], rtol=1e-12)
    # CO2e lies between all-electric and all-thermal emissions for the same vehicle-km.
    assert (ds["co2e"] <= 0.218 * ds["vehicle_km"] + 1e-9).all()
    assert (ds["co2e"] >= 0.103 * ds["vehicle_km"] - 1e-9).all()


def test_run_defaults_to_the_scenario_horizon_and_resumes(small):
    sim = coopterra.Simulation(small.with_overrides({"run.weeks": 6}), seed=1)
    assert sim.run() == 6
    assert sim.run() == 0
    assert sim.run(weeks=2) == 2 and sim.week == 8
    # Running 4 then 4 weeks is the same as running 8 at once.
    whole = coopterra.Simulation(small, seed=1)
    whole.run(weeks=8)
    xr.testing.assert_identical(whole.results().drop_attrs(), sim.results().drop_attrs())


def test_ctrl_c_stops_cleanly_at_a_week_boundary(small):
    scenario = small.with_overrides({"territory.residents": 200_000})
    sim = coopterra.Simulation(scenario, seed=1, threads=2)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        sim.run(weeks=5000)
    timer.join()
    assert time.perf_counter() - start < 30
    stopped = sim.week
    assert 0 < stopped < 5000
    ds = sim.results()  # consistent, complete weeks only
    assert ds.sizes["week"] == stopped
    sim.run(weeks=1)  # and it can go on
    assert sim.week == stopped + 1


def test_the_gil_is_released_during_a_run(small):
    scenario = small.with_overrides({"territory.residents": 300_000})
    sim = coopterra.Simulation(scenario, seed=1, threads=1)
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    start = time.perf_counter()
    sim.run(weeks=40)
    elapsed = time.perf_counter() - start
    done.set()
    counter.join()
    # Were the GIL held while the engine works, the counter could tick only at week boundaries
    # (40 times); released, it ticks about once a millisecond throughout.
    assert elapsed > 0.2
    assert ticks > max(3 * 40, 0.3 * elapsed / 0.001)


def test_progress_bar_and_profile(small, capsys):
    sim = coopterra.Simulation(small, seed=1)
    sim.run(weeks=3, progress=True)
    assert "3/3" in capsys.readouterr().err
    profile = sim.profile()
    assert list(profile["phase"]) == [
        "build territory",
        "build population",
        "build firms",
        "initial state",
        "policies",
        "financing",
        "awareness",
        "choice",
        "matching",
        "markets",
        "budget: incentives",
        "carpool accounts",
        "budget: economy",
        "procurement",
        "firms",
        "barter",
        "treasuries",
        "governance",
        "policies pay",
        "accounting",
    ]
    assert (profile.set_index("phase").loc["choice", "calls"]) == 3


def test_bad_arguments_are_refused(small):
    with pytest.raises(coopterra.ConfigurationError, match="threads must be between 1"):
        coopterra.Simulation(small, seed=1, threads=0)
    with pytest.raises(ValueError, match="seed"):
        coopterra.Simulation(small, seed=-1)
    with pytest.raises(TypeError):
        coopterra.Simulation(small, seed=1, threads=2.0)  # type: ignore[arg-type]


def test_common_random_numbers_pair_a_policy_with_its_baseline(small):
    base = coopterra.Simulation(small, seed=4, threads=2)
    policy = coopterra.Simulation(
        small.with_overrides({"carpool.incumbent.commission": 0.3}), seed=4, threads=2
    )
    base.run(weeks=12)
    policy.run(weeks=12)
    b, p = base.results(), policy.results()
    # Awareness does not depend on commissions: identical, week by week.
    xr.testing.assert_identical(b["aware"], p["aware"])
    # Only incumbent users react, so every other mode can only gain, every week.
    assert (
        p["commuters"].sel(mode="carpool_incumbent") <= b["commuters"].sel(mode="carpool_incumbent")
    ).all()
    for mode in ("drive_alone", "carpool_cooperative"):
        assert (p["commuters"].sel(mode=mode) >= b["commuters"].sel(mode=mode)).all()


def test_carpool_fees_leaving_are_the_ledgers_margin_flows(small):
    # An incumbent with a treasury in the territory: what leaves is its margin, as the ledger
    # books it, not its commissions net of tax, and never the cash it opened with (which was no
    # fee earned here: it stays as a working balance).
    scenario = small.with_overrides(
        {
            "carpool.incumbent.initial_treasury_eur": 5000,
            "carpool.incumbent.initial_awareness": 1.0,
            "carpool.asc": 2.0,  # carpooling through platforms common enough to earn fees
        }
    )
    sim = coopterra.Simulation(scenario, seed=3, threads=2)
    sim.run(weeks=20)
    ds = sim.results()
    margin = ds["money_flow"].sel(
        flow=[f for f in ds["flow"].values if str(f).startswith("carpool: ") and "margin" in str(f)]
    )
    leaving = ds["fees_leaving_territory"].values
    np.testing.assert_allclose(leaving, margin.sum("flow").values, rtol=0, atol=0.005)
    commissions = ds["platform_fees"].sum("platform").values
    kept = ds["fees_kept_in_territory"].values
    np.testing.assert_allclose(kept + leaving, commissions, rtol=0, atol=0.005)
    assert leaving.sum() > 0
    assert (leaving <= commissions + 0.005).all() and (kept >= -0.005).all()
    incumbent = [a for a in ds["account"].values if str(a).startswith("carpool: incumbent")]
    assert len(incumbent) == 1
    assert (ds["account_balance"].sel(account=incumbent[0]).values >= 5000 - 0.005).all()


@pytest.mark.parametrize(
    "platforms",
    [
        [("solo", True, 1.0)],  # one cooperative alone
        [("big", False, 1.0), ("small", True, 0.3)],  # the incumbent listed first
        [("a", True, 0.5), ("b", False, 0.5), ("c", False, 0.5)],
    ],
    ids=["one", "incumbent-first", "three"],
)
def test_data_sovereignty_counts_carpool_platforms_by_kind_not_position(tmp_path, platforms):
    # The share of platform transactions through cooperatives, recomputed from the results' own
    # passengers and purchases, whatever the number and order of [[carpool.platforms]]; and the
    # same on one thread twice and on two (a read past one platform's passengers changed it).
    text = [
        "schema_version = 1",
        f'extends = "{SCENARIOS / "baseline.toml"}"',
        "[territory]",
        "residents = 3000",
        "[carpool]",
        "asc = 2.0",
    ]
    for key, cooperative, aware in platforms:
        text += [
            "[[carpool.platforms]]",
            f'key = "{key}"',
            f"cooperative = {str(cooperative).lower()}",
            f"initial_awareness = {aware}",
        ]
    path = tmp_path / "platforms.toml"
    path.write_text("\n".join(text) + "\n")
    runs = []
    for threads in (1, 1, 2):
        sim = coopterra.Simulation(coopterra.load_scenario(path), seed=5, threads=threads)
        sim.run(weeks=12)
        runs.append(sim.results())
    ds = runs[0]
    carpool = ds["carpool_passengers"]
    coop = carpool.where(ds["platform_cooperative"].sel(platform=carpool["platform"]) == 1, 0)
    kind = ds["channel_kind"]
    purchases = ds["purchases"]
    via = purchases.where((kind == "cooperative") | (kind == "incumbent"), 0).sum("channel")
    expected = (coop.sum("platform") + purchases.where(kind == "cooperative", 0).sum("channel")) / (
        carpool.sum("platform") + via
    )
    assert float(carpool.sum()) > 0
    np.testing.assert_allclose(ds["data_sovereignty"].values, expected.values, rtol=1e-12)
    for other in runs[1:]:
        xr.testing.assert_identical(ds["data_sovereignty"], other["data_sovereignty"])
