"""mgcalc preparations through the command line: the table and its filters."""

from __future__ import annotations

import json

from cli_helpers import run
from mgcalc.preparations import load_preparations

ROWS = list(load_preparations())


def test_preparations_command_lists_and_filters(runner):
    result = run(runner, "preparations", "sulfate")
    assert result.exit_code == 0 and "magnesium sulfate 50% injection" in result.stdout
    assert "milk of magnesia" not in result.stdout
    data = json.loads(run(runner, "preparations", "--json").stdout)
    assert {d["id"] for d in data} == {r.id for r in ROWS}
