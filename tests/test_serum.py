"""mgcalc serum: a lab value in the four units labs use, beside the NIH ODS reference interval."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import assert_one_line_error, run
from contract import SERUM_KEYS, SERUM_REFERENCE_KEYS
from mgcalc.errors import MgcalcError
from mgcalc.serum import serum

# 1 mmol/L = 2 mEq/L = 24.305 mg/L = 2.4305 mg/dL (references.md: 1 mmol Mg2+ = 24.305 mg = 2 mEq)


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


def test_the_pairing_published_pages_get_wrong():
    """1.7-2.2 mg/dL is 0.70-0.91 mmol/L, not the 0.85-1.10 a patient page prints."""
    assert serum("1.7 mg/dL").mmol_per_l == pytest.approx(0.6994, abs=1e-4)
    assert serum("2.2 mg/dL").mmol_per_l == pytest.approx(0.9052, abs=1e-4)
    assert serum("1.5 mEq/L").figures["mg_per_dl"] == pytest.approx(1.8229, abs=1e-4)
    assert serum("2.5 mEq/L").figures["mg_per_dl"] == pytest.approx(3.0381, abs=1e-4)


@pytest.mark.parametrize(("text", "position"), [("0.74 mmol/L", "below"), ("0.75 mmol/L", "within"),
                                                ("0.95 mmol/L", "within"), ("0.96 mmol/L", "above"),
                                                ("1.9 mEq/L", "within"), ("23 mg/L", "within"), ("2.4 mg/dL", "above")])
def test_where_a_value_lies_against_the_interval(text, position):
    assert serum(text).position == position


@given(mmol=st.floats(min_value=0.01, max_value=19.99))
def test_every_unit_round_trips_through_mmol_per_l(mmol):
    figures = serum(f"{mmol!r} mmol/L").figures
    for key, unit in (("mg_per_dl", "mg/dL"), ("mg_per_l", "mg/L"), ("meq_per_l", "mEq/L")):
        assert serum(f"{figures[key]!r} {unit}").mmol_per_l == pytest.approx(mmol, rel=1e-9)


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


def test_the_library_raises_only_mgcalc_errors_for_bad_text():
    for text in ("", "   ", "1e999 mmol/L", "nan mmol/L", "1 mmol/L" * 20):
        with pytest.raises(MgcalcError):
            serum(text)


@given(text=st.text(max_size=80))
def test_any_text_is_read_or_refused_with_an_mgcalc_error(text):
    try:
        result = serum(text)
    except MgcalcError:
        return
    assert 0 < result.mmol_per_l <= 20
