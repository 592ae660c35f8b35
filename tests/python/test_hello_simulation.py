"""Hello, simulation: the tutorial that is also a test.

Read it top to bottom: it loads a scenario, runs it, and looks at what came out.
"""

from __future__ import annotations

import numpy as np

import coopterra

from conftest import SCENARIOS


def test_hello_simulation(tmp_path):
    # 1. A scenario is a TOML file, validated by the engine. Any key can be overridden by its
    #    dotted path, with the same validation as the file.
    scenario = coopterra.load_scenario(
        SCENARIOS / "baseline.toml", overrides={"territory.residents": 10_000}
    )
    assert scenario.get("territory.residents") == 10_000
    assert scenario.get("carpool.incumbent.commission") == 0.12  # from the file

    # 2. A simulation takes the scenario, a seed and a number of threads. The seed fixes every
    #    random draw; the thread count changes only the speed, never the results.
    sim = coopterra.Simulation(scenario, seed=42, threads=2)
    assert sim.residents == 10_000
    sim.run(weeks=26)
    assert sim.week == 26

    # 3. Results are an xarray.Dataset: indicators by week, and by mode, platform or zone.
    ds = sim.results()
    assert dict(ds.sizes) == {
        "week": 26,
        "mode": 4,
        "platform": 2,
        "zone": 30,
        "flow": 248,
        # households, authority, outside, firms; 15 platforms (12 markets', barter, 2 carpool)
        "account": 19,
        # no "policy": the baseline has none, and an empty dimension is never written
        "market": 6,
        # offline, a cooperative, an incumbent, and the alternative where there is one
        "channel": 23,
        "market_platform": 15,
        "college": 5,
        "commune_kind": 3,
        "income_group": 5,
        "firm_sector": 5,
        "nv": 2,  # the start and end of each week (time_bnds)
    }
    assert ds["co2e"].attrs["units"] == "kg"
    # Car commuters are a fixed group: each week some are on leave, the others choose a mode.
    weekly_commuters = ds["commuters"].sum("mode") + ds["commuters_on_leave"]
    assert (weekly_commuters == weekly_commuters[0]).all()

    # Awareness of the young cooperative spreads over the social network week after week.
    aware = ds["aware"].sel(platform="cooperative").values
    assert aware[-1] > aware[0]
    assert np.all(np.diff(aware) >= 0)  # nobody forgets, in this first model

    # 4. Every euro a passenger pays goes to a driver or to a platform.
    np.testing.assert_allclose(
        ds["fares_paid"], ds["driver_income"] + ds["platform_fees"], rtol=0, atol=1e-6
    )

    # 5. Provenance travels with the results: seed, threads, the fully resolved scenario.
    assert ds.attrs["seed"] == 42
    assert "residents = 10000" in ds.attrs["scenario_resolved"]

    # 6. Save to a NetCDF4-compatible HDF5 file, and read it back.
    path = tmp_path / "hello.h5"
    sim.write(path)
    again = coopterra.open_results(path)
    np.testing.assert_array_equal(again["vehicle_km"], ds["vehicle_km"])

    # 7. A tidy table for pandas users, and the time spent in each phase of the week.
    table = coopterra.to_dataframe(ds, "commuters")
    assert list(table.columns) == ["week", "mode", "time", "value"]  # time: the week's first day
    assert set(sim.profile()["phase"]) >= {"awareness", "choice", "matching", "accounting"}
    print(coopterra.format_summary(ds, sim.profile()))
