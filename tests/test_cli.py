"""The commands, through typer's CliRunner: stdout, stderr and exit status asserted apart."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import assert_one_line_error, run
from contract import COMPONENT_KEYS, JSON_KEYS, PROFILE_KEYS, REFERENCE_KEYS
from mgcalc import cli
from mgcalc.forms import COLUMNS

ANSI_COLOR = re.compile(r"\x1b\[(?:3\d|9\d|38;)")


def test_dose_prints_form_dose_references_warnings_and_disclaimer(runner):
    result = run(runner, "dose", "500mg", "citrate")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "trimagnesium dicitrate, anhydrous" in out and "Mg3(C6H5O7)2" in out and "16.16 % Mg" in out
    assert "80.8 mg/day (3.33 mmol, 6.65 mEq)" in out  # 500 mg x 16.1633 % = 80.82 mg
    assert "RDA female 19+ y: 310-320 mg/day" in out and "RDA male 19+ y: 400-420 mg/day" in out
    assert "350 mg/day; this dose is 23 %" in out
    assert "other forms of citrate" in out
    assert out.count("not medical advice") == 1 and "kidney" in out
    assert result.stderr == ""


def test_dose_accepts_the_amount_and_unit_as_two_words(runner):
    result = run(runner, "dose", "500", "mg", "citrate", "-q")
    assert (result.exit_code, result.stdout) == (0, "80.82\n")


def test_dose_json_is_one_object_with_the_contracted_keys(runner):
    result = run(runner, "dose", "500mg", "citrate", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert set(data["components"][0]) == COMPONENT_KEYS and set(data["profile"]) == PROFILE_KEYS
    assert set(data["reference"]) == REFERENCE_KEYS
    assert data["elemental_mg"] == pytest.approx(80.8165, rel=1e-4)
    assert data["rda_mg"] is None and data["ul_mg"] == 350 and data["over_ul"] is False
    assert result.stderr == ""


def test_dose_json_amounts_are_per_day_totals(runner):
    data = json.loads(run(runner, "dose", "250mg", "oxide", "500mg", "citrate", "--per-day", "2", "--json").stdout)
    assert [c["compound_mg"] for c in data["components"]] == [500, 1000]
    assert data["elemental_mg"] == pytest.approx(sum(c["elemental_mg"] for c in data["components"]))
    assert data["over_ul"] is True
    assert data["warnings"][0].startswith("OVER THE UPPER LEVEL")


def test_profile_options_settle_the_rda(runner):
    data = json.loads(run(runner, "dose", "500mg", "citrate", "--age", "16", "--sex", "female", "--pregnant",
                          "--food", "150mg", "--json").stdout)
    assert data["profile"] == {"age": 16.0, "sex": "female", "pregnant": True, "lactating": False}
    assert data["rda_mg"] == 400
    assert data["percent_rda"] == pytest.approx(100 * (data["elemental_mg"] + 150) / 400)


def test_quiet_prints_one_bare_number_and_warnings_on_stderr(runner):
    result = run(runner, "dose", "700mg", "oxide", "-q")
    assert result.exit_code == 0
    assert re.fullmatch(r"\d+(\.\d+)?\n", result.stdout)
    assert float(result.stdout) == pytest.approx(700 * 0.603, rel=1e-3)
    assert "OVER THE UPPER LEVEL" in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["700mg", "oxide"], 3),
        (["500mg", "oxide"], 0),
        (["500mg", "citrate", "--age", "2"], 3),
        (["300mg", "citrate", "--age", "2"], 0),
        (["100mg", "citrate", "--age", "0.5"], 3),
    ],
)
def test_fail_over_ul_sets_exit_status_3_for_scripts(runner, args, code):
    result = run(runner, "dose", *args, "--fail-over-ul", "--json")
    assert result.exit_code == code
    assert json.loads(result.stdout)["elemental_mg"] > 0


def test_infant_output_says_no_upper_level_and_medical_supervision(runner):
    out = run(runner, "dose", "100mg", "citrate", "--age", "0.75").stdout
    assert "(US UL, 0-11 months): not established" in out and "medical supervision" in out
    assert "AI female 7-11 months" not in out and "AI 7-11 months: 75 mg/day" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "500mg", "citrat"], "unknown form 'citrat'; did you mean 'citrate'"),
        (["dose", "500", "citrate"], "add one, e.g. 500mg"),
        (["dose", "1,5g", "citrate"], "decimal comma"),
        (["dose", "500Mg", "citrate"], "ambiguous"),
        (["dose", "0mg", "citrate"], "zero"),
        (["dose", "500mg", "stearate"], "lubricant"),
        (["dose", "500mg", "citrate", "--sex", "male", "--pregnant"], "--sex female"),
        (["dose", "500mg", "citrate", "--food", "lots"], "food"),
        (["dose", "500mg", "NaCl"], "no magnesium"),
        (["forms", "zzzz"], "no form matches"),
    ],
)
def test_user_errors_are_one_line_on_stderr_with_status_1(runner, args, fragment):
    assert_one_line_error(run(runner, *args), fragment)


@pytest.mark.parametrize(
    "args",
    [
        ["dose", "500mg"],
        ["dose", "500mg", "citrate", "--per-day", "0"],
        ["dose", "500mg", "citrate", "--per-day", "x"],
        ["dose", "500mg", "citrate", "--sex", "other"],
        ["dose", "500mg", "citrate", "--json", "-q"],
        ["dose", "500mg", "citrate", "--bogus"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_ctrl_c_exits_130(runner, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "compute_dose", interrupted)
    assert run(runner, "dose", "500mg", "citrate").exit_code == 130


def test_terminal_output_has_a_table_and_gauge(runner):
    result = run(runner, "dose", "700mg", "oxide", "--age", "30", "--sex", "male",
                 env={"FORCE_COLOR": "1", "COLUMNS": "100", "NO_COLOR": ""})
    assert result.exit_code == 0
    out = result.stdout
    assert "form understood" in out and "━" in out and "121 %" in out and "OVER THE UPPER LEVEL" in out
    assert ANSI_COLOR.search(out)


def test_no_color_is_honoured(runner):
    result = run(runner, "dose", "700mg", "oxide", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert "OVER THE UPPER LEVEL" in result.stdout
    assert not ANSI_COLOR.search(result.stdout)


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


def test_version(runner):
    import mgcalc

    result = run(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, f"mgcalc {mgcalc.__version__}\n")


@pytest.mark.parametrize("command", [[], ["dose"], ["forms"], ["reference"], ["compound"], ["compare"], ["check"]])
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, *command, "--help", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Example: mgcalc" in result.stdout


def test_completion_is_offered(runner):
    assert "--install-completion" in run(runner, "--help", env={"COLUMNS": "120"}).stdout


def test_authority_option_and_reference_command(runner):
    data = json.loads(run(runner, "dose", "500mg", "citrate", "--authority", "eu", "--json").stdout)
    assert data["ul_mg"] == 250 and data["reference"]["authority"] == "eu"
    out = run(runner, "reference", "--authority", "eu").stdout.splitlines()
    assert out[0].split("\t") == ["authority", "measure", "who", "mg_per_day", "source"]
    assert all(line.startswith("eu\t") for line in out[1:])
    assert any("\tUL\t4+ y\t250\t" in line for line in out)


def test_reference_json_lists_every_row_with_its_source(runner):
    rows = json.loads(run(runner, "reference", "--json").stdout)
    assert {r["authority"] for r in rows} == {"us", "eu", "uk", "au", "ca"}
    assert all(r["source"] for r in rows)
    adult_us_ul = [r for r in rows if r["authority"] == "us" and r["measure"] == "UL" and r["age_to"] is None]
    assert [r["mg"] for r in adult_us_ul] == [350]
