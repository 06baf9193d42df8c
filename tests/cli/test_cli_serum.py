"""mgcalc serum through the command line: every unit, --json and its errors."""

import json

import pytest

from cli_helpers import assert_one_line_error, run
from contract import SERUM_KEYS, SERUM_REFERENCE_KEYS
from mgcalc.serum import serum


def test_a_us_value_in_mg_per_dl_is_shown_in_all_four_units(runner):
    result = run(runner, "serum", "1.7", "mg/dL")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Serum magnesium: 1.7 mg/dL"
    assert lines[1] == "0.70 mmol/L = 1.40 mEq/L = 1.70 mg/dL = 17.0 mg/L"
    assert lines[2] == "Reference interval: 0.75-0.95 mmol/L = 1.50-1.90 mEq/L = 1.82-2.31 mg/dL = 18.2-23.1 mg/L"
    assert "NIH Office of Dietary Supplements" in lines[3]
    assert "This value is below that interval." in result.stdout
    assert "Laboratories set their own reference intervals" in result.stdout


def test_units_are_read_in_any_case_and_spacing(runner):
    assert serum("0.8mmol/l").mmol_per_l == serum("0.8 MMOL / L").mmol_per_l == 0.8
    assert serum("1.6", "mval/L").unit == "mEq/L"
    assert run(runner, "serum", "0.8mmol/L").exit_code == 0


def test_json_keys_are_pinned(runner):
    data = json.loads(run(runner, "serum", "0.8", "mmol/L", "--json").stdout)
    assert set(data) == SERUM_KEYS and set(data["reference"]) == SERUM_REFERENCE_KEYS
    assert data["reference"]["mmol_per_l"] == [0.75, 0.95] and data["position"] == "within"
    assert data["meq_per_l"] == pytest.approx(1.6)


@pytest.mark.parametrize(("args", "fragment"), [
    (("-0.5", "mmol/L"), "is negative"),
    (("0", "mg/dL"), "is zero"),
    (("21", "mmol/L"), "above any value a lab reports (at most 20 mmol/L)"),
    (("100", "mg/dL"), "41.1 mmol/L, above any value a lab reports (at most 20 mmol/L = 48.61 mg/dL)"),
    (("1.7", "mg"), "serum unit 'mg' is not one mgcalc reads; use mg/dL, mg/L, mmol/L or mEq/L"),
    (("1.7",), "has no unit"),
    (("1,7", "mg/dL"), "decimal comma"),
    (("mg/dL",), "does not start with a number"),
])
def test_bad_values_get_one_line_saying_what_would_be_right(runner, args, fragment):
    assert_one_line_error(run(runner, "serum", *args), fragment)


def test_an_unknown_option_is_a_usage_error(runner):
    result = run(runner, "serum", "1", "mmol/L", "-x")
    assert result.exit_code == 2 and "No such option: -x" in result.stderr
