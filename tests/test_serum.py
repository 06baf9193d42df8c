"""mgcalc serum: a lab value in the four units labs use, beside the NIH ODS reference interval."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from mgcalc.errors import MgcalcError
from mgcalc.serum import serum

# 1 mmol/L = 2 mEq/L = 24.305 mg/L = 2.4305 mg/dL (references.md: 1 mmol Mg2+ = 24.305 mg = 2 mEq)


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
