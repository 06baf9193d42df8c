"""mgcalc forms through the command line: the table, its query and --json."""

from __future__ import annotations

import json

from cli_helpers import run
from mgcalc.forms import COLUMNS


def test_forms_lists_the_table_with_a_header(runner, table):
    result = run(runner, "forms")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "name", "formula", "percent_elemental", "kind"]
    assert len(lines) == len(table) + 1
    assert "sulfate-heptahydrate\tmagnesium sulfate heptahydrate\tMgSO4.7H2O\t9.86\tstoichiometric" in lines


def test_forms_query_filters(runner):
    lines = run(runner, "forms", "lactate").stdout.splitlines()[1:]
    assert [line.split("\t")[0] for line in lines] == ["lactate-anhydrous", "lactate-dihydrate"]


def test_forms_json_has_the_csv_columns(runner, table):
    data = json.loads(run(runner, "forms", "--json").stdout)
    assert len(data) == len(table)
    assert all(list(row) == list(COLUMNS) for row in data)
    citrate = next(row for row in data if row["id"] == "trimagnesium-dicitrate-anhydrous")
    assert citrate["percent_elemental"] == 16.1633 and "citrate" in citrate["aliases"]
