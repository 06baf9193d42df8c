"""mgcalc compare: one amount of magnesium as every form (library, then the command)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import assert_one_line_error, run
from contract import COMPARE_FORM_KEYS, COMPARE_KEYS
from docs_text import REFERENCE as README
from mgcalc import render
from mgcalc.compare import compare
from mgcalc.dose import compound
from mgcalc.errors import MgcalcError

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TERMINAL_80 = {"COLUMNS": "80", "LINES": "50", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}


def plain_rows(stdout):
    """The tab-separated rows of a piped compare, as dicts by the header line."""
    lines = stdout.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


# The library


def test_every_row_is_what_compound_gives_for_that_form(table):
    result = compare("300mg")
    for row in result.rows:
        assert row.compound_mg == compound(300.0, row.form).compound_mg
    assert result.target_mg == 300.0


def test_every_source_once_and_no_excipient(table):
    ids = [row.form.id for row in compare("1 g").rows]
    sources = [f.id for f in table if f.kind != "excipient"]
    assert sorted(ids) == sorted(sources) and len(ids) == len(set(ids))
    assert "stearate" not in ids


@given(st.floats(min_value=0.01, max_value=100_000, allow_nan=False))
def test_rows_come_lightest_first_and_scale_with_the_target(mg):
    rows = compare(mg).rows
    weights = [row.compound_mg for row in rows]
    assert weights == sorted(weights)
    assert all(w > mg for w in weights)  # no form is more than 100 % magnesium


def test_a_target_in_mmol_is_the_same_magnesium_as_in_mg():
    by_mmol, by_mg = compare("4 mmol"), compare(4 * 24.305)
    assert by_mmol.mmol == pytest.approx(4)
    assert [r.compound_mg for r in by_mmol.rows] == pytest.approx([r.compound_mg for r in by_mg.rows])


def test_a_range_row_gives_the_weights_its_range_implies(table):
    row = next(r for r in compare("300mg").rows if r.form.id == "carbonate-usp")
    form = row.form
    assert row.compound_mg_range == (
        compound(300.0, form._replace(percent_elemental=form.percent_max)).compound_mg,
        compound(300.0, form._replace(percent_elemental=form.percent_min)).compound_mg,
    )
    assert row.compound_mg_range[0] < row.compound_mg < row.compound_mg_range[1]
    assert all(r.compound_mg_range is None for r in compare("300mg").rows if r.form.kind != "range")


def test_a_family_holds_only_its_own_sources(table):
    rows = compare("300mg", family="Chloride").rows
    assert {r.form.id for r in rows} == {f.id for f in table if f.family == "chloride"}
    assert len(rows) >= 2


def test_per_unit_counts_units_of_that_weight():
    for row in compare("300mg", per_unit="0.5 g").rows:
        assert row.units_needed == pytest.approx(row.compound_mg / 500)
    assert all(r.units_needed is None for r in compare("300mg").rows)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"target": "0mg"}, "zero"),
        ({"target": -5.0}, "negative"),
        ({"target": "300 ml"}, "not a mass"),
        ({"target": "300mg", "family": "citrat"}, "did you mean 'citrate'"),
        ({"target": "300mg", "family": "bisglycinate"}, "did you mean 'glycinate'"),
        ({"target": "300mg", "family": "stearate"}, "no magnesium source"),
        ({"target": "300mg", "per_unit": "4 mmol"}, "not the weight of a compound"),
    ],
)
def test_bad_input_is_refused_with_what_would_be_right(kwargs, fragment):
    with pytest.raises(MgcalcError, match=re.escape(fragment)):
        compare(**kwargs)


# The command


def test_piped_output_is_one_tab_separated_table_and_the_disclaimer_goes_to_stderr(runner, table):
    result = run(runner, "compare", "300mg")
    assert result.exit_code == 0 and result.stderr == render.DISCLAIMER + "\n"
    rows = plain_rows(result.stdout)
    assert list(rows[0]) == ["form_id", "form_name", "formula", "percent_elemental", "compound_mg", "kind",
                             "percent_range", "compound_mg_range"]
    weights = [float(r["compound_mg"]) for r in rows]
    assert weights == sorted(weights)
    assert rows[0]["form_id"] == "oxide"  # the richest form: least compound
    assert "stearate" not in {r["form_id"] for r in rows}
    by_id = {r["form_id"]: r for r in rows}
    assert by_id["carbonate-usp"]["kind"] == "range"
    assert by_id["carbonate-usp"]["percent_range"] == "24.12-26.23"
    low, high = (float(x) for x in by_id["carbonate-usp"]["compound_mg_range"].split("-"))
    assert low < float(by_id["carbonate-usp"]["compound_mg"]) < high
    assert by_id["magtein"]["kind"] == "declared" and by_id["magtein"]["percent_range"] == ""


def test_the_unit_may_be_a_separate_word(runner):
    assert run(runner, "compare", "300", "mg").stdout == run(runner, "compare", "300mg").stdout


def test_json_keys_are_pinned(runner):
    result = run(runner, "compare", "300mg", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == COMPARE_KEYS
    assert data["schema_version"] == 1 and data["target_mg"] == 300
    assert data["forms"] and all(set(f) == COMPARE_FORM_KEYS for f in data["forms"])
    weights = [f["compound_mg"] for f in data["forms"]]
    assert weights == sorted(weights)


def test_json_with_per_unit_adds_its_keys(runner):
    data = json.loads(run(runner, "compare", "300mg", "--per-unit", "500mg", "--json").stdout)
    assert set(data) == COMPARE_KEYS | {"per_unit_mg"} and data["per_unit_mg"] == 500
    assert all(set(f) == COMPARE_FORM_KEYS | {"units_needed"} for f in data["forms"])
    assert all(f["units_needed"] == pytest.approx(f["compound_mg"] / 500) for f in data["forms"])


def test_the_readme_lists_the_compare_keys():
    section = README[README.index("`mgcalc compare ... --json`"):]
    for key in COMPARE_KEYS | COMPARE_FORM_KEYS | {"per_unit_mg", "units_needed"}:
        assert key in section.split("\n\n")[0], key


def test_family_shows_one_family(runner, table):
    rows = plain_rows(run(runner, "compare", "300mg", "--family", "citrate").stdout)
    assert {r["form_id"] for r in rows} == {f.id for f in table if f.family == "citrate"}


def test_per_unit_adds_a_column(runner):
    rows = plain_rows(run(runner, "compare", "300mg", "--per-unit", "500mg", "--family", "oxide").stdout)
    (oxide,) = rows
    assert float(oxide["units_needed"]) == pytest.approx(float(oxide["compound_mg"]) / 500, abs=0.05)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["0mg"], "zero"),
        (["-300mg"], "negative"),
        (["300ml"], "not a mass"),
        (["300"], "no unit"),
        (["300mg", "--family", "xyzzy"], "unknown family 'xyzzy'"),
        (["300mg", "--family", "citrat"], "did you mean 'citrate'"),
        (["300mg", "--per-unit", "0mg"], "zero"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(runner, args, fragment):
    assert_one_line_error(run(runner, "compare", *args), fragment)


def test_two_targets_are_a_usage_error(runner):
    result = run(runner, "compare", "300mg", "200mg")
    assert result.exit_code == 2 and result.stdout == "" and "TARGET" in result.stderr


def test_on_a_terminal_a_table_with_bars_and_the_marks_explained(runner):
    result = run(runner, "compare", "300mg", env={**TERMINAL_80, "COLUMNS": "100"})
    out = ANSI.sub("", result.stdout)
    assert result.exit_code == 0 and "━" in out
    assert "24.12-26.23 % Mg" in out and "declared" in out
    assert " ".join(render.DISCLAIMER.split()) in " ".join(out.split())


# Every id whole at 80 columns (mgcalc forms cut them before issue 15)


@pytest.mark.parametrize("args", [["forms"], ["compare", "300mg"], ["compare", "4mmol", "--per-unit", "500mg"]])
def test_at_80_columns_every_id_is_whole(runner, table, args):
    result = run(runner, *args, env=TERMINAL_80)
    assert result.exit_code == 0
    out = ANSI.sub("", result.stdout)
    assert max(len(line) for line in out.splitlines()) <= 80
    shown_ids = {line.split()[0] for line in out.splitlines() if line.strip()}
    expected = {f.id for f in table if args[0] == "forms" or f.kind != "excipient"}
    assert expected <= shown_ids
