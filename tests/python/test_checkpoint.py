"""Checkpoint and fork: resume bit for bit; run to the policy date once, then branch."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import coopterra

from conftest import SCENARIOS


def small(name: str) -> coopterra.Scenario:
    return coopterra.load_scenario(
        SCENARIOS / f"{name}.toml",
        overrides={"territory.residents": 15_000, "territory.zones": 20, "run.weeks": 30},
    )


def without_clock(ds: xr.Dataset) -> xr.Dataset:
    return ds.drop_attrs()


def test_resuming_from_a_checkpoint_reproduces_the_run(tmp_path):
    whole = coopterra.Simulation(small("carpool_support"), seed=3, threads=2)
    whole.run(weeks=30)
    half = coopterra.Simulation(small("carpool_support"), seed=3, threads=2)
    half.run(weeks=15)
    path = tmp_path / "week15.ckpt"
    half.checkpoint(path)
    resumed = coopterra.Simulation.from_checkpoint(path, threads=1)  # any thread count
    assert resumed.week == 15
    resumed.run(weeks=15)
    xr.testing.assert_identical(without_clock(resumed.results()), without_clock(whole.results()))
    # ... and its provenance: the file and the overrides it came from, not "checkpoint".
    for key in ("scenario_source", "scenario_overrides", "scenario_resolved"):
        assert resumed.results().attrs[key] == whole.results().attrs[key], key
    assert "territory.residents = 15000" in resumed.results().attrs["scenario_overrides"]


def test_fork_runs_to_the_policy_date_once_then_branches():
    base = coopterra.Simulation(small("baseline"), seed=5, threads=2)
    base.run(weeks=10)
    branch = base.fork(small("carpool_support"))
    base.run(weeks=20)
    branch.run(weeks=20)
    b, f = base.results(), branch.results()
    assert f.attrs["forked_at_week"] == 10 and b.attrs["forked_at_week"] == 0
    # The first ten weeks are the baseline's; the policy acts from week 11.
    xr.testing.assert_identical(b["co2e"].sel(week=slice(1, 10)), f["co2e"].sel(week=slice(1, 10)))
    assert float(f["public_spending"].sel(week=slice(1, 10)).sum()) == 0
    assert float(f["public_spending"].sel(week=11)) > 0
    # More carpoolers through the cooperative over the branch's twenty weeks (a few a week on
    # 15,000 residents: one week alone is noise).
    late = {
        k: int(ds["commuters"].sel(mode="carpool_cooperative", week=slice(11, 30)).sum())
        for k, ds in (("base", b), ("fork", f))
    }
    assert late["fork"] > 2 * late["base"], late


def test_fork_refuses_another_territory():
    base = coopterra.Simulation(small("baseline"), seed=5)
    base.run(weeks=2)
    other = small("baseline").with_overrides({"territory.residents": 16_000})
    with pytest.raises(coopterra.ConfigurationError, match="another territory or population"):
        base.fork(other)
    with pytest.raises(
        coopterra.InputDataError, match=r"not a coopterra checkpoint|truncated or corrupt"
    ):
        coopterra.Simulation.from_checkpoint(b"garbage bytes here, not a checkpoint")


def _balances_sum(ds: xr.Dataset) -> xr.DataArray:
    return ds["account_balance"].sum("account")


def long(name: str) -> coopterra.Scenario:
    return coopterra.load_scenario(
        SCENARIOS / f"{name}.toml",
        overrides={"territory.residents": 15_000, "territory.zones": 20, "run.weeks": 156},
    )


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("baseline", "financing_ecosystem"),  # the fork adds loans' and titres' flows
        ("financing_ecosystem", "recovery_envelope"),  # ... and drops them
        ("baseline", "carpool_support"),  # another budget
    ],
)
def test_fork_into_other_policies_keeps_the_books(first, then):
    # The weeks before the fork keep their flows, found by name (a flow the fork's scenario lacks
    # is kept, zero after the fork); a fork with another budget had it from the start: the sum of
    # every account's balance is the same in every week.
    base = coopterra.Simulation(long(first), seed=4, threads=2)
    base.run(weeks=26)
    before = base.results()
    branch = base.fork(long(then))
    branch.run(weeks=4)
    f = branch.results()
    assert f.sizes["week"] == 30
    flows_before = {str(n) for n in before["flow"].values}
    assert flows_before <= {str(n) for n in f["flow"].values}
    for name in flows_before:
        xr.testing.assert_equal(
            before["money_flow"].sel(flow=name), f["money_flow"].sel(flow=name, week=slice(1, 26))
        )
    total = _balances_sum(f).values  # euros from integer cents: equal to the cent
    np.testing.assert_allclose(total, total[0], rtol=0, atol=0.005)
    budget_change = float(
        f["account_balance"].sel(account="authority", week=1)
        - before["account_balance"].sel(account="authority", week=1)
    )
    budget = {n: float(long(n).get("authority.budget_eur")) for n in (first, then)}
    assert budget_change == pytest.approx(budget[then] - budget[first])
