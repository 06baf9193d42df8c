"""mgcalc interactions through the command line: sourced, graded rows, --json and the drawn output."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import run
from contract import (
    INTERACTION_KEYS,
    INTERACTIONS_KEYS,
    INTERACTIONS_SCHEMA_VERSION,
    OTHER_SOURCE_KEYS,
    SOURCE_KEYS,
)
from helpers import SPACING, STATUS
from mgcalc.interactions import (
    GRADES,
    NO_INTERVAL,
    NOT_LISTED,
    SCHEMA_VERSION,
    load_interactions,
)


def test_interactions_json_has_the_contracted_keys(runner):
    result = run(runner, "interactions", "Cipro", "furosemide", "raltegravir", "ciprofloxacine", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == INTERACTIONS_KEYS and data["schema_version"] == INTERACTIONS_SCHEMA_VERSION == SCHEMA_VERSION
    assert [set(i) for i in data["interactions"]] == [INTERACTION_KEYS] * 4
    cipro, furosemide, raltegravir, typo = data["interactions"]
    assert (cipro["query"], cipro["drug"], cipro["kind"], cipro["hours_before"], cipro["hours_after"]) == (
        "Cipro", "ciprofloxacin", "spacing", 2, 6)
    assert (cipro["grade"], cipro["effect"]) == ("label-copy", None)
    assert set(cipro["sources"][0]) == SOURCE_KEYS and cipro["sources"][0]["date"] == "2026-03-02"
    assert cipro["sources"][0]["grade"] == "label-copy"
    assert (furosemide["kind"], furosemide["hours_before"], furosemide["hours_after"]) == (STATUS, None, None)
    assert (furosemide["effect"], furosemide["grade"]) == ("lowers", "magnesium-smpc")
    assert raltegravir["kind"] == "avoid" and raltegravir["grade"] == "fda"
    assert (typo["kind"], typo["drug"], typo["sources"], typo["grade"], typo["effect"]) == (
        NOT_LISTED, None, [], None, None)


def test_the_issue_20_drugs_each_give_a_sourced_graded_row(runner):
    """The acceptance command of issue 20: a sourced row for each drug, its grade and (status rows) effect."""
    names = ["doxycycline", "minocycline", "gabapentin", "cabotegravir", "Juluca", "tacrolimus", "spironolactone"]
    result = run(runner, "interactions", *names, "--json")
    assert result.exit_code == 0 and result.stderr == ""
    found = json.loads(result.stdout)["interactions"]
    assert [i["query"] for i in found] == names
    for item in found:
        assert item["kind"] != NOT_LISTED and item["sources"] and item["grade"] in GRADES, item["query"]
    by_query = {i["query"]: i for i in found}
    assert (by_query["doxycycline"]["hours_before"], by_query["doxycycline"]["hours_after"]) == (None, None)
    assert NO_INTERVAL in by_query["doxycycline"]["rule"]
    assert (by_query["Juluca"]["hours_before"], by_query["Juluca"]["hours_after"]) == (4, 6)
    assert (by_query["tacrolimus"]["effect"], by_query["spironolactone"]["effect"]) == ("lowers", "raises")
    plain = run(runner, "interactions", *names).stdout
    assert plain.count("  source: ") == len(names) and plain.count("  grade: ") == len(names)
    assert "not listed" not in plain


def test_a_name_two_rows_carry_lists_both_in_the_command(runner):
    result = run(runner, "interactions", "elvitegravir", "--json")
    found = json.loads(result.stdout)["interactions"]
    assert [i["drug"] for i in found] == [
        "elvitegravir/cobicistat/emtricitabine/tenofovir disoproxil fumarate",
        "elvitegravir/cobicistat/emtricitabine/tenofovir alafenamide"]
    plain = run(runner, "interactions", "elvitegravir").stdout
    assert plain.count("(you typed 'elvitegravir')") == 2
    assert result.stderr == ""


def test_other_sources_carry_their_own_source(runner):
    data = json.loads(run(runner, "interactions", "alendronate", "--json").stdout)
    others = data["interactions"][0]["other_sources"]
    assert others and all(set(o) == OTHER_SOURCE_KEYS and set(o["source"]) == SOURCE_KEYS for o in others)
    assert "3 to 4 hours" in others[0]["rule"] and others[0]["source"]["grade"] == "magnesium-smpc"


@pytest.mark.parametrize("row", load_interactions().rows, ids=lambda r: r.drug)
def test_the_plain_output_names_each_rules_source_and_date(runner, row):
    result = run(runner, "interactions", row.drug)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert row.source.title in out and row.source.date in out and row.rule in out
    assert f"grade: {row.source.grade} ({GRADES[row.source.grade]})" in out
    assert out.count("not medical advice") == 1
    assert ("mgcalc read this rule only in a secondary source" in out) == (row.source.grade == "secondary")
    if row.kind == STATUS:
        assert f"can change magnesium levels ({row.effect} them)" in out and "Ask the prescriber" in out
        assert " before the magnesium" not in out and " after the magnesium" not in out
    if row.kind == SPACING and row.hours_before is None and row.hours_after is None:
        assert f"keep {row.drug} and the magnesium apart; the source gives no interval" in out
        assert f"take {row.drug} at least" not in out
    elif row.kind == SPACING:
        assert f"take {row.drug} at least" in out


def test_plain_output_gives_the_timing_from_the_drugs_side(runner):
    out = run(runner, "interactions", "cipro", "Fosamax").stdout
    assert "take ciprofloxacin at least 2 hours before or at least 6 hours after the magnesium" in out
    assert "take alendronate at least 30 minutes before the magnesium" in out
    assert "(you typed 'Fosamax')" in out
    assert out.count("The source names antacids") == 1  # ciprofloxacin's label names antacids; Fosamax's does not


def test_an_unlisted_drug_is_said_so_and_exit_status_stays_0(runner):
    result = run(runner, "interactions", "paracetamol")
    assert result.exit_code == 0
    assert "paracetamol: not listed" in result.stdout and "does not mean it is safe" in result.stdout
    without_the_denial = result.stdout.replace("does not mean it is safe", "")
    assert "safe with magnesium:" in result.stdout and "is safe" not in without_the_denial


def test_an_empty_drug_name_is_a_one_line_error(runner):
    result = run(runner, "interactions", " ")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("mgcalc: error: give a drug name") and result.stderr.count("\n") == 1


def test_the_readme_and_help_explain_every_grade(runner):
    from docs_text import REFERENCE as readme
    help_text = run(runner, "interactions", "--help").stdout
    for grade in GRADES:
        assert f"| `{grade}` |" in readme and grade in help_text, grade
    assert "Example: mgcalc interactions" in help_text


def test_no_drug_is_a_usage_error(runner):
    assert run(runner, "interactions").exit_code == 2


def test_the_drawn_output_names_sources_and_keeps_the_disclaimer(runner):
    result = run(runner, "interactions", "Cipro", "omeprazole", env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "mgcalc interactions" in out and "2026-03-02" in out and "2011-03-02" in out
    assert "not medical advice" in out
