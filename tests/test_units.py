"""Amount parsing and pint conversions."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from unittest import mock

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st
from molmass import ELEMENTS

from mgcalc import units
from mgcalc.errors import MgcalcError
from mgcalc.units import parse_magnesium, parse_mass

GRAIN_MG = 64.79891  # exact, by the 1959 international yard and pound agreement


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("500mg", 500), ("500 mg", 500), (" 500 mg ", 500), ("0.5g", 500), ("1 g", 1000), (".5 g", 500),
        ("1,250 mg", 1250), ("1,250.5 mg", 1250.5), ("12,345,678 mcg", 12345.678),
        ("500mcg", 0.5), ("500 µg", 0.5), ("500 μg", 0.5), ("500ug", 0.5), ("500 micrograms", 0.5),
        ("5grains", 5 * GRAIN_MG), ("1 grain", GRAIN_MG), ("2 grams", 2000), ("500 MG", 500), ("1e3 mg", 1000),
    ],
)
def test_accepted_amounts(text, mg):
    assert parse_mass(text) == pytest.approx(mg, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("500", "no unit; add one, e.g. 500mg"),
        ("0 mg", "is zero"),
        ("0.0 g", "is zero"),
        ("-500 mg", "negative"),
        ("1e309 mg", "not a finite number"),
        ("5000 kg", "outside 1 µg to 1 kg"),
        ("0.0000001 mg", "outside 1 µg to 1 kg"),
        ("500 ml", "not a mass"),
        ("500 kg/m", "not a mass"),
        ("500 Mg", "'Mg' is ambiguous"),
        ("500 mgg", "unknown unit 'mgg'"),
        ("1,5 g", "decimal comma; write 1.5"),
        ("1.000,5 mg", "not a number mgcalc can read"),
        ("1 000 mg", "space inside the number"),
        ("mg", "does not start with a number"),
        ("", "empty"),
        ("   ", "empty"),
        ("٥٠٠ mg", "has digits other than ASCII 0-9; write it with ASCII digits: 500 mg"),  # Arabic-Indic
        ("4 mmol", "counts magnesium, not the weight of a compound"),
        ("1" * 100 + " mg", "too long"),
    ],
)
def test_refused_amounts_say_what_is_wrong(text, message):
    with pytest.raises(MgcalcError, match=message):
        parse_mass(text)


def test_error_messages_are_one_line_even_for_control_characters():
    with pytest.raises(MgcalcError) as caught:
        parse_mass("500 m\ng\x00")
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)


def test_magnesium_amounts_in_mmol_and_meq():
    mg_per_mmol = ELEMENTS["Mg"].mass  # molmass's atomic weight, an independent source
    assert parse_magnesium("4 mmol") == pytest.approx(4 * mg_per_mmol, rel=1e-5)
    assert parse_magnesium("8 mEq") == pytest.approx(4 * mg_per_mmol, rel=1e-5)
    assert parse_magnesium("200 mg") == 200


def test_mmol_and_meq_of_a_mass():
    assert units.to_mmol(24.305) == pytest.approx(1.0)
    assert units.to_meq(24.305) == pytest.approx(2.0)


@pytest.mark.parametrize("unit", sorted(set(units.MASS_UNITS.values())))
def test_our_small_registry_agrees_with_pints_default_registry(unit):
    default = pint.UnitRegistry()
    expected = default.Quantity(1.0, unit).to("milligram").magnitude
    assert units.factor(unit, "milligram") == pytest.approx(expected, rel=1e-15)


def test_user_text_never_reaches_pints_expression_parser():
    ureg = units.registry()
    units.factor.cache_clear()
    with mock.patch.object(type(ureg), "parse_expression", side_effect=AssertionError("parsed user text")):
        for text in ["500 mg", "1 g", "5 gr", "500 mcg", "10**10**10 mg", "2 mg*mg"]:
            try:
                parse_mass(text)
            except MgcalcError:
                pass


def test_a_bare_number_joins_the_unit_word_after_it():
    assert units.join_amounts(["500", "mg", "citrate"]) == ["500 mg", "citrate"]
    tokens = ["1,250", "mg", "oxide", "5", "grains", "citrate"]
    assert units.join_amounts(tokens) == ["1,250 mg", "oxide", "5 grains", "citrate"]
    assert units.join_amounts(["500mg", "citrate"]) == ["500mg", "citrate"]
    assert units.join_amounts(["500", "citrate"]) == ["500", "citrate"]


@pytest.mark.parametrize(("unit", "default_name"), [("liter", "liter"), ("fluid_ounce", "US_fluid_ounce")])
def test_our_volumes_agree_with_pints_default_registry(unit, default_name):
    default = pint.UnitRegistry()
    expected = default.Quantity(1.0, default_name).to("milliliter").magnitude
    assert units.factor(unit, "milliliter") == pytest.approx(expected, rel=1e-15)


def test_the_spoons_are_the_medicinal_5_and_15_ml_not_pints_us_customary_ones():
    default = pint.UnitRegistry()
    assert units.factor("metric_teaspoon", "milliliter") == 5
    assert units.factor("metric_tablespoon", "milliliter") == 15
    assert default.Quantity(1.0, "teaspoon").to("milliliter").magnitude == pytest.approx(4.93, abs=0.01)


def test_body_weight_units_agree_with_pints_default_registry():
    default = pint.UnitRegistry()
    expected = default.Quantity(1.0, "pound").to("kilogram").magnitude
    assert units.factor("pound", "kilogram") == pytest.approx(expected, rel=1e-15)
    assert units.parse_weight("44 lb") == pytest.approx(44 * units.factor("pound", "kilogram"))


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [("15 mL", 15, "volume"), ("15 ML", 15, "volume"), ("1 tsp", 5, "volume"), ("2 x 5 mL", 10, "volume"),
     ("1 sachet", 1, "count"), ("2 sachets", 2, "count"), ("500mg", 500, "mass"), ("0.25 L", 250, "volume")],
)
def test_amounts_may_be_volumes_or_counts(text, value, kind):
    assert units.parse_amount(text) == (pytest.approx(value), kind)


def test_a_fluid_ounce_typed_as_three_words_is_one_amount():
    assert units.join_amounts(["1", "fl", "oz", "citrate"]) == ["1 fl oz", "citrate"]
    assert units.join_amounts(["15", "mL", "milk"]) == ["15 mL", "milk"]


def test_every_volume_and_weight_a_user_can_type_is_precomputed():
    wanted = {(unit, "milliliter") for unit in units.VOLUME_UNITS.values()}
    wanted |= {(unit, "kilogram") for unit in units.WEIGHT_UNITS.values()}
    assert wanted <= set(units.PRECOMPUTED)


def test_precomputed_factors_equal_pint():
    """unit_factors.py is what pint computes from units.txt, pair for pair, to the last bit."""
    from mgcalc.unit_factors import FACTORS

    assert set(FACTORS) == set(units.PRECOMPUTED)
    for (unit, target), value in FACTORS.items():
        assert value == units.pint_factor(unit, target), (unit, target)


def test_every_unit_a_user_can_type_is_precomputed():
    wanted = {(unit, "milligram") for unit in {*units.MASS_UNITS.values(), *units.MAGNESIUM_UNITS.values()}}
    assert wanted <= set(units.PRECOMPUTED)


def test_shipped_factors_file_is_the_generators_output():
    shipped = (resources.files("mgcalc") / "unit_factors.py").read_text(encoding="utf-8")
    assert shipped == units.generate_factors(), "regenerate unit_factors.py (see units.PRECOMPUTED)"


unit_spellings = st.sampled_from([("mg", 1), ("MG", 1), ("Milligrams", 1), ("g", 1000), ("G", 1000),
                                  ("gm", 1000), ("Grams", 1000), ("mcg", Decimal("0.001")),
                                  ("Mcg", Decimal("0.001")), ("µg", Decimal("0.001"))])


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
