"""Issue 10: what people type is read exactly, or refused with a message that says what is right.

Every example of the issue is here with its right number or its refusal, and property tests check
that whatever is accepted equals a value computed independently of mgcalc's parsers.
"""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formula_helpers import percent_mg
from mgcalc import MgcalcError, dose, load_forms
from mgcalc.arguments import segments
from mgcalc.forms import FORMULA_ELEMENTS
from mgcalc.units import parse_magnesium, parse_mass

# --- formulas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "symbol", "meant"),
    [
        ("Mg(OAc)2·4H2O", "Ac", "acetate"),
        ("Mg(OAc)2", "Ac", "acetate"),
        ("MgGly2", "Gly", "glycinate"),
        ("Mg(Gly)2", "Gly", "glycinate"),
        ("MgCit", "Cit", "citrate"),
        ("Mg(Asp)2", "Asp", "aspartate"),
        ("MgMe2", "Me", None),
        ("UMgO2", "U", None),
        ("Mg3(AsO4)2", "As", None),
    ],
)
def test_symbols_outside_the_allow_list_are_refused_by_name(text, symbol, meant):
    with pytest.raises(MgcalcError) as caught:
        load_forms().resolve(text)
    message = str(caught.value)
    assert f"'{symbol}'" in message
    if meant:
        assert f"did you mean {meant}" in message


def test_actinium_is_named_as_such():
    with pytest.raises(MgcalcError, match="'Ac' is actinium here"):
        dose("1g", "Mg(OAc)2·4H2O")


def test_a_water_count_glued_to_the_formula_is_refused():
    with pytest.raises(MgcalcError, match="separate the water of hydration with a dot"):
        load_forms().resolve("MgSO47H2O")


def test_every_formula_in_the_table_still_resolves_to_its_row(table):
    for form in table:
        if form.formula and form.kind == "stoichiometric":
            assert set(re.findall(r"[A-Z][a-z]?", form.formula)) <= FORMULA_ELEMENTS, form.id
            assert table.resolve(form.formula).form.id == form.id


@pytest.mark.parametrize("text", ["MgSO4.7H2O", "MgSO4·7H2O", "Mg(C3H5O3)2.2H2O", "C6H10MgO6.2H2O",
                                  "Mg(C3H5O3)2.3H2O", "MgHPO4.3H2O"])
def test_the_readme_formulas_still_work(text):
    assert 0 < load_forms().resolve(text).form.percent_elemental < 100


def test_an_unknown_capitalised_name_still_gets_suggestions():
    with pytest.raises(MgcalcError, match="did you mean 'citrate'"):
        load_forms().resolve("Citrat")


# Generated formulas: allowed elements with counts, optional hydrate water written with spaces.
_ELEMENTS = sorted(FORMULA_ELEMENTS - {"Mg"})
formula_parts = st.lists(st.tuples(st.sampled_from(_ELEMENTS), st.integers(1, 12)), min_size=1, max_size=4,
                         unique_by=lambda part: part[0])


@given(st.integers(1, 3), formula_parts, st.integers(0, 12),
       st.sampled_from([".", "·", " . ", " · ", "*", " "]), st.sampled_from(["", " "]))
def test_any_accepted_formula_equals_an_independent_computation(n_mg, parts, water, dot, space):
    counts: dict[str, int] = {"Mg": n_mg}
    text = "Mg" + (str(n_mg) if n_mg > 1 else "")
    for symbol, n in parts:
        text += symbol + (str(n) if n > 1 else "")
        counts[symbol] = counts.get(symbol, 0) + n
    if water:
        text += f"{dot}{water}{space}H2O"
        counts["H"] = counts.get("H", 0) + 2 * water
        counts["O"] = counts.get("O", 0) + water
    try:
        found = load_forms().resolve(text)
    except MgcalcError:
        return  # a refusal is allowed (e.g. a table name that happens to match); a wrong number is not
    tolerance = 0.01 if found.by != "computed" else 1e-9  # table rows carry two decimals
    assert found.form.percent_elemental == pytest.approx(percent_mg(counts), abs=tolerance)


@given(st.sampled_from(sorted({"Ac", "Gly", "Cit", "Asp", "Me", "Et", "Ph", "U", "Fe", "Cu", "Li"})),
       st.integers(1, 4), st.sampled_from(["", ".2H2O", " 6 H2O"]))
def test_abbreviations_and_foreign_elements_are_never_computed(symbol, n, water):
    text = f"Mg({symbol}){n}{water}" if n > 1 else f"Mg{symbol}{water}"
    with pytest.raises(MgcalcError, match=f"'{symbol}'"):
        load_forms().resolve(text)


# --- amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5 gr", "write 5 grains or 5 g"),
        ("5gr", "write 5 grains or 5 g"),
        ("5 GR", "write 5 grains or 5 g"),
        ("1.250 mg", "write 1250 mg or 1.25 mg"),
        ("12.500 mg", "write 12500 mg or 12.5 mg"),
        ("1.250 mcg", "write 1250 mcg or 1.25 mcg"),
        ("1.250.000 mcg", "write 1250000 mcg"),
        ("1/2 g", "write 0.5 g"),
        ("1/3 g", "write a decimal, e.g. 0.333 g"),
        ("500 Mg", "'Mg' is ambiguous"),
        ("1E140gr", "write 1e+140 grains or 1e+140 g"),  # found by hypothesis: a message stays short
    ],
)
def test_ambiguous_amounts_are_refused_with_both_readings(text, fragment):
    with pytest.raises(MgcalcError, match=re.escape(fragment)):
        parse_mass(text)


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("0.500 g", 500), ("1.250 g", 1250), ("1.25 mg", 1.25), ("1,250 mg", 1250), ("1.2500 mg", 1.25),
        ("5 grains", 5 * 64.79891), ("1 G", 1000), ("1 Gram", 1000), ("2 Grams", 2000), ("1 gm", 1000),
        ("1 GM", 1000), ("500 Milligrams", 500), ("500 MILLIGRAMS", 500), ("500 Mcg", 0.5),
        ("3 Grains", 3 * 64.79891), ("2 x 250 mg", 500), ("2x250mg", 500), ("3 × 0.5 g", 1500),
    ],
)
def test_units_as_labels_print_them(text, mg):
    assert parse_mass(text) == pytest.approx(mg, rel=1e-12)


@pytest.mark.parametrize(("text", "mg"), [("4 mmol", 4 * 24.305), ("8 MEQ", 4 * 24.305), ("2 mval", 24.305),
                                          ("0.5 Mmol", 0.5 * 24.305)])
def test_magnesium_units_case_insensitive(text, mg):
    assert parse_magnesium(text) == pytest.approx(mg, rel=1e-12)


unit_spellings = st.sampled_from([("mg", 1), ("MG", 1), ("Milligrams", 1), ("g", 1000), ("G", 1000),
                                  ("gm", 1000), ("Grams", 1000), ("mcg", Decimal("0.001")),
                                  ("Mcg", Decimal("0.001")), ("µg", Decimal("0.001"))])


@given(st.integers(0, 999_999), st.integers(0, 999), st.integers(0, 3), st.booleans(), unit_spellings,
       st.sampled_from(["", " "]))
def test_any_accepted_amount_equals_the_number_read_digit_by_digit(whole, fraction, places, commas, unit, space):
    """Thousands commas, decimals and unit spellings: accepted means exactly the typed value."""
    spelling, per_unit = unit
    digits = f"{whole:,}" if commas else str(whole)
    decimals = str(fraction).zfill(3)[:places] if places else ""
    text = digits + (f".{decimals}" if decimals else "") + space + spelling
    expected = Decimal(str(whole) + (f".{decimals}" if decimals else "")) * Decimal(per_unit)
    try:
        value = parse_mass(text)
    except MgcalcError as exc:
        message = str(exc)
        if "ambiguous" in message:  # only a point before exactly three digits after 1-3 digits
            assert re.fullmatch(r"[1-9][0-9]{0,2}\.[0-9]{3}", f"{digits}.{decimals}"), message
        else:
            assert "zero" in message or "outside 1 µg to 1 kg" in message, message
        return
    assert Decimal(repr(value)) == pytest.approx(expected, rel=Decimal("1e-12"))


# --- command line --------------------------------------------------------------------------------


def test_hydrate_words_stay_with_the_form():
    assert segments(["1g", "MgSO4", ".", "7", "H2O"]) == [("1g", "MgSO4 . 7 H2O")]
    assert segments(["500mg", "citrate", "1:1"]) == [("500mg", "citrate 1:1")]
    assert segments(["2", "x", "250", "mg", "oxide"]) == [("2 x 250 mg", "oxide")]


def test_a_sesquihydrate_written_in_whole_units_is_exact():
    assert dose("1g", "(MgCl2)2.3H2O").elemental_mg == pytest.approx(
        10 * percent_mg({"Mg": 2, "Cl": 4, "H": 6, "O": 3}), rel=1e-6)
