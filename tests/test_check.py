"""check (label verdicts) and label parsing, through the Python API; the command is in tests/cli/test_cli_check.py."""


import pytest
from molmass import Formula

from mgcalc import MgcalcError
from mgcalc.check import DEFAULT_TOLERANCE, check, check_label
from mgcalc.label import read_label

# --- compound ---------------------------------------------------------------------------------


# --- check: verdicts --------------------------------------------------------------------------


def test_a_consistent_label():
    result = check("64mg", "535mg", "chloride hexahydrate")
    assert result.consistent and abs(result.deviation_percent) < 1
    assert result.explained_by[0].id == "chloride-hexahydrate"
    assert result.expected_mg == pytest.approx(535 * Formula("MgCl2.6H2O").composition()["Mg"].fraction, rel=1e-3)


def test_the_compound_weight_printed_as_magnesium_is_flagged():
    result = check("500mg", "500mg", "citrate")
    assert not result.consistent
    assert any("prints the compound weight as magnesium" in issue for issue in result.issues)


def test_a_label_explained_only_by_another_hydration_state():
    result = check("100mg", "840mg", "citrate")  # 11.9 %: the nonahydrate, not the anhydrous salt
    assert not result.consistent
    assert result.explained_by[0].id == "trimagnesium-dicitrate-nonahydrate"
    assert any("another form of citrate" in issue and "nonahydrate" in issue for issue in result.issues)


def test_a_figure_only_a_declared_ingredient_explains_is_flagged():
    result = check("224mg", "1000mg", "bisglycinate")  # 22.4 %: only the buffered 82:18 blend
    assert [f.id for f in result.explained_by] == ["bisglycinate-buffered-82-18"]
    assert any("only a non-stoichiometric" in issue for issue in result.issues)


def test_a_range_form_explains_anything_inside_its_range():
    result = check("245mg", "1000mg", "carbonate")
    assert result.consistent and "carbonate-usp" in {f.id for f in result.explained_by}


def test_more_magnesium_than_any_compound_can_carry():
    result = check("700mg", "1000mg", "oxide")
    assert any("more than any compound carries" in issue for issue in result.issues)


def test_tolerance_is_documented_default_and_can_be_overridden():
    assert DEFAULT_TOLERANCE == 5.0
    assert not check("200mg", "1250mg", "citrate", tolerance=0.5).consistent  # -1.0 %
    assert check("200mg", "1250mg", "citrate").consistent


# --- check: labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "declared", "compound_mg", "form_id"),
    [
        ("Magnesium 200 mg (as magnesium citrate 1,250 mg)", 200, 1250, "trimagnesium-dicitrate-anhydrous"),
        ("Magnesium (from 1,250 mg magnesium citrate) 200 mg", 200, 1250, "trimagnesium-dicitrate-anhydrous"),
        ("Magnesium Citrate 1250 mg providing 200 mg magnesium", 200, 1250, "trimagnesium-dicitrate-anhydrous"),
        ("Magnesium 64 mg (as 535 mg magnesium chloride hexahydrate)", 64, 535, "chloride-hexahydrate"),
        ("Magnesium 64 mg (as 535 mg magnesium chloride hexahydrate) 15% DV*", 64, 535, "chloride-hexahydrate"),
        ("Magnesium (as magnesium oxide) 400 mg", 400, None, "oxide"),
    ],
)
def test_label_wordings(text, declared, compound_mg, form_id):
    reading = read_label(text)
    assert (reading.declared_mg, reading.compound_mg, reading.form.form.id) == (declared, compound_mg, form_id)


def test_a_label_with_one_amount_cannot_be_checked_and_says_what_it_would_need():
    result = check_label("Magnesium (as magnesium oxide) 400 mg")
    assert result.consistent is None and result.compound_mg is None
    assert "663.3 mg of magnesium oxide" in result.reason
    assert result.implied_compound_mg == pytest.approx((663.31, 663.31), abs=0.01)


def test_an_ambiguous_figure_makes_its_row_unreadable_with_the_reason():
    result = check_label("Magnesium 1.250 mg")
    assert result.consistent is None and result.declared_mg is None and "ambiguous" in result.reason


@pytest.mark.parametrize("text", ["", "Vitamin C 500 mg", "x" * 7000])
def test_unreadable_labels_are_refused(text):
    with pytest.raises(MgcalcError):
        check_label(text)
