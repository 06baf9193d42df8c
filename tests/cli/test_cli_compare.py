"""mgcalc compare through the command line: the piped table, --json, --family, --per-unit and the
terminal drawing."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import assert_one_line_error, run
from contract import (
    COMPARE_FORM_KEYS,
    COMPARE_KEYS,
    COMPARE_PRODUCTS_KEYS,
    PRODUCT_COUNT_KEYS,
)
from mgcalc import render
from mgcalc.cli import app

ANSI = re.compile(r"\x1b\[[0-9;]*m")


TERMINAL_80 = {"COLUMNS": "80", "LINES": "50", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}


def plain_rows(stdout):
    """The tab-separated rows of a piped compare, as dicts by the header line."""
    lines = stdout.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


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


@pytest.mark.parametrize("args", [["forms"], ["compare", "300mg"], ["compare", "4mmol", "--per-unit", "500mg"]])
def test_at_80_columns_every_id_is_whole(runner, table, args):
    result = run(runner, *args, env=TERMINAL_80)
    assert result.exit_code == 0
    out = ANSI.sub("", result.stdout)
    assert max(len(line) for line in out.splitlines()) <= 80
    shown_ids = {line.split()[0] for line in out.splitlines() if line.strip()}
    expected = {f.id for f in table if args[0] == "forms" or f.kind != "excipient"}
    assert expected <= shown_ids


def test_a_small_compare_target_never_reads_as_zero(runner):
    result = runner.invoke(app, ["compare", "1mcg", "--family", "oxide"])
    row = dict(zip(*(line.split("\t") for line in result.stdout.splitlines()), strict=True))
    assert float(row["compound_mg"]) == pytest.approx(0.001 * 100 / 60.3037, rel=1e-2)


def test_compare_counts_several_products(runner):
    result = run(runner, "compare", "40mEq", "--product", "Mag-Ox 400", "--product", "Neomag")
    assert result.exit_code == 0, result.stderr
    assert "Mag-Ox 400\tUS\ttablets\t2.02\t2\t482.4 mg (99.2 %)\tS" in result.stdout
    assert "Neomag\tUK\ttablets\t5\t5\t486.1 mg (100.0 %)\tP" in result.stdout
    data = json.loads(run(runner, "compare", "40mEq", "--product", "Neomag", "--json").stdout)
    assert set(data) == COMPARE_PRODUCTS_KEYS and set(data["products"][0]) == PRODUCT_COUNT_KEYS
    assert_one_line_error(run(runner, "compare", "40mEq", "--product", "Neomagg"), "did you mean 'Neomag'?")


def test_compare_family_names_product_option_for_a_product(runner):
    result = run(runner, "compare", "40mEq", "--family", "Slow-Mag")
    assert result.exit_code == 2 and "use --product 'Slow-Mag'" in result.stderr
