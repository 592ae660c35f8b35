"""Scenarios from Python and from the command line: the same validation, located messages."""

from __future__ import annotations

import pytest

import coopterra

from conftest import SCENARIOS, run_cli


def write(tmp_path, text: str):
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


def test_every_shipped_scenario_runs():
    for name, path in coopterra.shipped_scenarios().items():
        scenario = coopterra.load_scenario(path, overrides={"territory.residents": 3000})
        sim = coopterra.Simulation(scenario, seed=1, threads=2)
        assert sim.run(weeks=4) == 4, name
        assert sim.results().attrs["scenario_name"] == name


def test_shipped_scenarios_are_valid():
    shipped = coopterra.shipped_scenarios()
    assert "baseline" in shipped
    for path in SCENARIOS.glob("*.toml"):
        assert coopterra.validate(path) == []
        assert path.read_text().startswith("#"), f"{path.name} must open with a comment"


def test_unknown_key_is_located_with_a_suggestion(tmp_path):
    path = write(tmp_path, "schema_version = 1\n[carpool]\nfare_eur_per_kms = 0.2\n")
    with pytest.raises(coopterra.ConfigurationError) as info:
        coopterra.load_scenario(path)
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.column, d.key) == (str(path), 3, 1, "carpool.fare_eur_per_kms")
    assert "did you mean 'carpool.fare_eur_per_km'" in d.message


def test_wrong_type_is_located(tmp_path):
    path = write(tmp_path, 'schema_version = 1\n[run]\nweeks = "a year"\n')
    (d,) = coopterra.validate(path)
    assert (d.line, d.column, d.key) == (3, 9, "run.weeks")
    assert d.message == "expected an integer (week), got a string"


def test_out_of_range_is_located(tmp_path):
    path = write(tmp_path, "schema_version = 1\n[population]\ndrive_if_car_share = 1.4\n")
    (d,) = coopterra.validate(path)
    assert (d.line, d.key) == (3, "population.drive_if_car_share")
    assert "must be between 0 and 1" in d.message and "got 1.4" in d.message


def test_validate_command_prints_file_line_col_and_exits_2(tmp_path):
    bad = write(tmp_path, "schema_version = 1\n[territory]\nresidents = -3\nzone = 4\n")
    result = run_cli("validate", str(bad), str(SCENARIOS / "baseline.toml"))
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{bad}:3:13: territory.residents: must be between 100 and")
    assert lines[1].startswith(f"{bad}:4:1: territory.zone: unknown key")
    assert "did you mean 'territory.zones'" in lines[1]
    assert lines[2].endswith("baseline.toml: valid")
    assert run_cli("validate", "-q", str(SCENARIOS / "baseline.toml")).returncode == 0


def test_overrides_use_the_same_validation(small):
    bigger = small.with_overrides({"territory.residents": 12_000}, carpool__asc=-1.5)
    assert bigger.get("territory.residents") == 12_000
    assert bigger.get("carpool.asc") == -1.5
    assert small.get("territory.residents") == 8000  # scenarios are immutable
    with pytest.raises(coopterra.ConfigurationError) as info:
        small.with_overrides({"territory.residents": 12.5})
    (d,) = info.value.diagnostics
    assert d.key == "territory.residents"
    assert d.message == "expected an integer (person), got a number with a fraction"
    with pytest.raises(coopterra.ConfigurationError, match=r"did you mean 'carpool\.asc'"):
        small.with_overrides({"carpool.acs": 1.0})
    with pytest.raises(
        coopterra.ConfigurationError, match=r"expected a number \(utility\), got an array"
    ):
        small.with_overrides({"carpool.asc": [1.0]})
    with pytest.raises(coopterra.ConfigurationError, match="got dict"):
        small.with_overrides({"carpool.asc": {"a": 1}})


def test_scenario_round_trips_through_toml(small):
    again = coopterra.scenario_from_text(small.to_toml(), "resolved.toml")
    assert again.to_toml() == small.to_toml()
    assert again.get("territory.residents") == 8000


def test_every_parameter_is_documented():
    params = coopterra.parameters()
    assert len(params) > 30
    for p in params:
        assert p["description"] and p["source"], p["key"]
        if p["type"] in ("integer", "number"):
            assert p["min"] <= p["default"] <= p["max"], p["key"]


def test_diff_and_save_round_trip(tmp_path):
    base = coopterra.load_scenario(SCENARIOS / "baseline.toml")
    support = coopterra.load_scenario(SCENARIOS / "carpool_support.toml")
    diff = base.diff(support)
    assert diff["name"] == ("baseline", "carpool_support")
    assert diff["authority.budget_eur"] == (0.0, 150000.0)
    assert diff["policies"][0] is None and len(diff["policies"][1]) == 2
    assert "territory.residents" not in diff  # inherited unchanged through extends
    path = tmp_path / "saved.toml"
    support.save(path)
    again = coopterra.load_scenario(path)
    assert again.diff(support) == {}
    assert coopterra.validate(path) == []


def test_more_crowdfunding_subscribers_than_residents_is_refused(tmp_path):
    path = tmp_path / "crowd.toml"
    path.write_text(
        f'schema_version = 1\nextends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n'
        "[territory]\nresidents = 3000\n"
        '[[policies]]\nkind = "crowdfunding"\nlabel = "shares"\nsector = "food"\n'
        'platform = "cooperative"\nstart_week = 1\nsubscribers = 3001\n'
    )
    with pytest.raises(coopterra.ConfigurationError, match="3001 subscribers, more than") as info:
        coopterra.Simulation(coopterra.load_scenario(path), seed=1)
    assert info.value.diagnostics[0].key == "policies[1].subscribers"
    fine = coopterra.load_scenario(path, overrides={"territory.residents": 3001})
    coopterra.Simulation(fine, seed=1).run(1)  # as many subscribers as residents: accepted
