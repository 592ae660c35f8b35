"""A suite of broken scenarios, one kind of mistake each: every one gets its located message.

Each file in broken_scenarios/ opens with `# expect: LINE:COL | KEY | MESSAGE`: the first problem
reported must be at that place (the header line counts: it is line 1), on that key, with that
message. Add a file here for every new kind of mistake users make.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import coopterra

FOLDER = Path(__file__).parent / "broken_scenarios"
CASES = sorted(p for p in FOLDER.glob("*.toml") if p.read_text().startswith("# expect:"))


def test_the_suite_covers_at_least_25_kinds_of_mistake():
    assert len(CASES) >= 25


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_scenario_gets_its_located_message(path):
    where, key, message = (
        part.strip() for part in path.read_text().splitlines()[0][len("# expect:") :].split("|")
    )
    with pytest.raises(coopterra.ConfigurationError) as info:
        coopterra.load_scenario(path)
    first = info.value.diagnostics[0]
    assert message in first.message, str(first)
    assert first.key == key, str(first)
    if where:
        line, _, column = where.partition(":")
        assert first.line == int(line), str(first)
        if column:
            assert first.column == int(column), str(first)
    # `coopterra validate` says the same, as FILE:LINE:COL lines, and exits 2.
    assert [str(d) for d in coopterra.validate(path)] == [str(d) for d in info.value.diagnostics]
