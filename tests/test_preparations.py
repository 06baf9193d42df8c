"""Liquids, injections and sachets: strengths, volumes, the preparations table and real labels."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mgcalc import MgcalcError, compound, dose
from mgcalc.errors import FormsTableError
from mgcalc.forms import load_forms
from mgcalc.preparations import load_preparations, parse_preparations, parse_strength, read_form
from mgcalc.units import parse_weight
from oracles import FL_OZ_ML, MG_PER_MMOL, mg_fraction

ROWS = list(load_preparations())

# --- the table: every row recomputed from its printed strength and its formula ------------------

_PRINTED = re.compile(
    r"(?P<num>[0-9.]+) ?(?P<unit>mg|g|mmol)(?P<mg> magnesium)?/(?P<per>[0-9.]*) ?(?P<vol>mL|fl oz|sachet)"
)


def magnesium_per_unit_by_hand(strength: str, formula: str) -> float:
    """mg of magnesium in one mL (or sachet), from the CSV's strength text with molmass: no mgcalc code."""
    if strength.endswith("%"):
        return float(strength[:-1]) * 1000 / 100 * mg_fraction(formula)
    m = _PRINTED.fullmatch(strength)
    assert m, strength
    amount = float(m["num"]) * {"mg": 1, "g": 1000, "mmol": MG_PER_MMOL}[m["unit"]]
    per = float(m["per"] or 1) * {"mL": 1, "fl oz": FL_OZ_ML, "sachet": 1}[m["vol"]]
    of_magnesium = m["unit"] == "mmol" or m["mg"]
    return amount / per * (1 if of_magnesium else mg_fraction(formula))


def test_the_installed_package_ships_the_preparations_table():
    assert len(ROWS) >= 15
    assert {r.country for r in ROWS} >= {"US", "UK"}
    assert all(r.source and "read 2026" in r.source for r in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_every_row_recomputed_from_its_strength_and_formula(row):
    form = load_forms().by_id(row.form_id)
    expected = magnesium_per_unit_by_hand(row.strength.text.replace(" % w/v", "%"), form.formula)
    unit = "1 mL" if row.strength.per_unit == "mL" else "1 sachet"
    authority = {"US": "us", "UK": "uk"}[row.country]
    result = dose(unit, row.name, authority=authority)
    (component,) = result.components
    assert component.preparation == row
    # The table's percentages have two decimals: agreement to 0.05 % of the figure.
    assert result.elemental_mg == pytest.approx(expected, rel=5e-4)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_every_row_is_found_by_its_name_and_aliases_for_its_country(row):
    authority = {"US": "us", "UK": "uk"}[row.country]
    for name in (row.name, *row.aliases):
        rows = load_preparations().find(name)
        same = [r for r in rows if r.country == row.country and r.strength.per_one != row.strength.per_one]
        if same:  # an alias two products share ("concentrated milk of magnesia") is refused, not guessed
            with pytest.raises(MgcalcError, match="different strengths"):
                read_form(name, authority)
        else:
            reading = read_form(name, authority)
            assert reading.strength.per_one == pytest.approx(row.strength.per_one)
            assert reading.form.id == row.form_id


# --- ten (and more) real products: mgcalc's answer next to the figure the label prints -----------
# (amount, preparation, authority, quantity, printed figure, tolerance in %, source)
LABELS = [
    ("15 mL", "milk of magnesia", "us", "mg", 500, 0.1,
     "DailyMed 0a57bb45-d4f7-443b-e054-00144ff8d46c: each (15 mL) contains: magnesium 500 mg"),
    ("10 mL", "milk of magnesia concentrate", "us", "mg", 1000, 0.1,
     "DailyMed d94ebb8a-2576-4fb5-8712-584166f88949 (Hikma): 10 mL contains: magnesium 1000"),
    ("1 fl oz", "citrate of magnesia", "us", "mg", 290, 3,
     "DailyMed f45d7caa-43e1-4d2e-9b1a-fc5afd5e7b2b: magnesium content 290 mg per 1 fl oz (30 mL); "
     "stoichiometry gives 282 mg, 2.8 % below the label"),
    ("1 mL", "magnesium sulfate 50% injection", "us", "meq", 4.06, 0.1,
     "X-Gen Magnesium Sulfate Injection USP 50%: 4.06 mEq/mL"),
    ("1 mL", "magnesium sulfate 50% injection", "us", "mmol", 2.03, 0.1,
     "X-Gen Magnesium Sulfate Injection USP 50%: 2.03 mM/mL"),
    ("1 mL", "magnesium sulfate 50% injection", "us", "mg", 49.3, 0.1,
     "Exela NDC 51754-1000 How Supplied (https://ndclist.com/ndc/51754-1000/label): Magnesium mg/mL 49.3"),
    ("50 mL", "magnesium sulfate in water 2 g/50 mL", "us", "meq", 16.25, 0.2,
     "Pfizer How Supplied NDC 0409-6729-24: 2 g ... 16.25 mEq (a double rounding: 16.23)"),
    ("100 mL", "magnesium sulfate in water 4 g/100 mL", "us", "meq", 32.5, 0.2,
     "Pfizer How Supplied NDC 0409-6729-23: 4 g ... 32.5 mEq"),
    ("500 mL", "magnesium sulfate in water 20 g/500 mL", "us", "meq", 162.3, 0.1,
     "Pfizer How Supplied NDC 0409-6729-03: 20 g ... 162.3 mEq"),
    ("1000 mL", "magnesium sulfate in water 40 g/1000 mL", "us", "meq", 325, 0.2,
     "Pfizer How Supplied NDC 0409-6729-09: 40 g ... 325 mEq"),
    ("100 mL", "magnesium sulfate in 5% dextrose 1 g/100 mL", "us", "meq", 8.1, 0.2,
     "Hospira NDC 0409-6727-23 overwrap: 1 g (equivalent to 8.1 mEq magnesium)"),
    ("1 mL", "magnesium chloride injection", "us", "meq", 1.97, 0.2,
     "DailyMed 2105d1c1-54ef-4d1a-a63c-b1619e8b50db: Contains 1.97 mEq of Mg++ ... per mL"),
    ("8 mL", "magnesium sulfate 50% injection", "uk", "mmol", 16, 1.5,
     "emc 1990 SmPC: 4g (approximately 16mmol Mg2+); exactly 16.23 mmol"),
    ("5 mL", "magnesium sulfate 20% injection", "uk", "mmol", 4, 1.5,
     "emc 15329 SmPC: 5 mL of a 20% w/v solution equivalent to 4 mmol; exactly 4.06 mmol"),
    ("1 mL", "magnesium sulfate 10% injection", "uk", "mmol", 0.4, 1.5,
     "MHRA, Martindale magnesium sulfate 10% (magnesium 0.4mmol/ml); exactly 0.406 mmol"),
    ("1 sachet", "magnaspartate", "uk", "mmol", 10, 0.1,
     "Magnaspartate SmPC: 243 mg (10 mmol) of magnesium per sachet"),
    ("5 mL", "magnesium glycerophosphate oral solution", "uk", "mmol", 5, 0.1,
     "Sunderland Joint Formulary: equivalent to magnesium 5 mmol ... /5 mL"),
]


@pytest.mark.parametrize(("amount", "name", "authority", "quantity", "printed", "tolerance", "source"), LABELS,
                         ids=[f"{a} {n}" for a, n, *_ in LABELS])
def test_real_labels_agree_within_their_rounding(amount, name, authority, quantity, printed, tolerance, source):
    result = dose(amount, name, authority=authority)
    got = {"mg": result.elemental_mg, "mmol": result.mmol, "meq": result.meq}[quantity]
    assert abs(got - printed) / printed * 100 <= tolerance, (got, source)


# --- the classic errors the issue names ---------------------------------------------------------


# --- plain output, JSON, per kg -----------------------------------------------------------------


# --- a name that differs by country -------------------------------------------------------------


# --- strengths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "per_one", "of_magnesium", "shown"),
    [
        ("400mg/5mL", 80, False, "400 mg/5 mL"),
        ("50%", 500, False, "50 % w/v"),
        ("50 % w/v", 500, False, "50 % w/v"),
        ("2g/50mL", 40, False, "2 g/50 mL"),
        ("200 mg/mL", 200, False, "200 mg/mL"),
        ("1mmol/mL", MG_PER_MMOL, True, "1 mmol/mL"),
        ("4mEq/mL", 2 * MG_PER_MMOL, True, "4 mEq/mL"),
        ("5 mval/10 mL", MG_PER_MMOL / 4, True, "5 mEq/10 mL"),
        ("1.745g/fl oz", 1745 / FL_OZ_ML, False, "1.745 g/fl oz"),
        ("1.745 g in 29.6 mL", 1745 / 29.6, False, "1.745 g/29.6 mL"),
        ("1,200 mg per 15 mL", 80, False, "1200 mg/15 mL"),
        ("400 MG/5 ML", 80, False, "400 mg/5 mL"),
        ("275mg/5mL", 55, False, "275 mg/5 mL"),
        ("243 mg magnesium/sachet", 243, True, "243 mg magnesium/sachet"),
        ("1 g/tbsp", 1000 / 15, False, "1 g/tbsp"),
        ("0.5 g/L", 0.5, False, "0.5 g/L"),
    ],
)
def test_strengths_as_labels_print_them(text, per_one, of_magnesium, shown):
    strength = parse_strength(text)
    assert strength.per_one == pytest.approx(per_one)
    assert strength.of_magnesium == of_magnesium
    assert strength.text == shown


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("500mg", "has no volume"),
        ("50% w/w", "needs the liquid's density"),
        ("8 % w/w", "needs the liquid's density"),
        ("5% v/v", "density"),
        ("150%", "at most 100"),
        ("0%", "above 0"),
        ("0 mg/5 mL", "zero"),
        ("400mg/0mL", "zero"),
        ("400 Mg/5mL", "'Mg' is ambiguous"),
        ("400 mg/5 oz", "write fl oz"),
        ("400 mg/5 g", "is not a volume"),
        ("1.200 mg/5 mL", "ambiguous"),
        ("1,5 g/5 mL", "decimal comma"),
        ("5000 mg/mL", "more than any mL can hold"),
        ("400 foo/5 mL", "unknown unit"),
        ("mg/5 mL", "does not start with a number"),
    ],
)
def test_bad_strengths_are_refused_saying_what_would_be_right(text, fragment):
    with pytest.raises(MgcalcError, match=re.escape(fragment)):
        parse_strength(text)


# --- every bad input the issue lists: one line, exit 1 --------------------------------------------


def test_weights_read_as_people_write_them():
    assert parse_weight("20kg") == 20 and parse_weight("20") == 20 and parse_weight("20 KG") == 20
    assert parse_weight("44 lb") == pytest.approx(44 * 0.45359237)


# --- the table's own checks ----------------------------------------------------------------------

HEADER = "id,name,aliases,form_id,strength,country,source,note,route,use\n"


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("x,x liquid,,no-such-form,400mg/5mL,US,s,,oral,supplement\n", "no form with id"),
        ("x,x liquid,,hydroxide,400mg,US,s,,oral,supplement\n", "has no volume"),
        ("x,x liquid,,hydroxide,400mg/5mL,XX,s,,oral,supplement\n", "country"),
        ("x,x liquid,,hydroxide,400mg/5mL,US,,,oral,supplement\n", "empty source"),
        ("x,citrate,,hydroxide,400mg/5mL,US,s,,oral,supplement\n", "already names a row of the forms table"),
        ("x,x liquid,,stearate,1mg/mL,US,s,,oral,supplement\n", "not a magnesium source"),
        ("x,x liquid,,hydroxide,400mg/5mL,US,s,,oral,supplement\n"
         "x,y liquid,,hydroxide,400mg/5mL,US,s,,oral,supplement\n", "duplicate id"),
        ("x,x liquid,,hydroxide,400mg/5mL,US,s,,nasal,supplement\n", "route 'nasal' is not one of oral, iv, im"),
        ("x,x liquid,,hydroxide,400mg/5mL,US,s,,oral,tonic\n", "use 'tonic' is not one of"),
        ("x,x liquid,,hydroxide,400mg/5mL,US,s,,,supplement\n", "empty route"),
    ],
)
def test_a_malformed_preparations_table_names_the_line(row, fragment):
    with pytest.raises(FormsTableError, match=re.escape(fragment)):
        parse_preparations(HEADER + row, "preparations.csv")


# --- round trips ------------------------------------------------------------------------------------

volumes = st.floats(min_value=1, max_value=1000, allow_nan=False)
per_ml = st.floats(min_value=1, max_value=1000, allow_nan=False)


@given(volume=volumes, mg=per_ml, per=st.sampled_from([1, 5, 10, 15, 50, 100]))
def test_forward_then_reverse_gives_back_the_volume(volume, mg, per):
    form = f"hydroxide {mg:.4f}mg/{per}mL"
    forward = dose(f"{volume:.4f} mL", form)
    back = compound(forward.elemental_mg, form)
    assert back.volume_ml == pytest.approx(round(volume, 4), rel=1e-9)
    assert back.compound_mg == pytest.approx(forward.components[0].compound_mg, rel=1e-9)


@given(mmol=st.floats(min_value=0.1, max_value=100), per_ml_mmol=st.sampled_from(["0.4", "1", "2", "4.06"]))
def test_reverse_then_forward_gives_back_the_target(mmol, per_ml_mmol):
    form = f"glycerophosphate {per_ml_mmol}mmol/mL"
    back = compound(f"{mmol:.4f} mmol", form)
    forward = dose(f"{back.volume_ml:.10f} mL", form)
    assert forward.mmol == pytest.approx(round(mmol, 4), rel=1e-8)


@given(mg=st.floats(min_value=10, max_value=100_000))
def test_a_mass_and_the_volume_it_fills_agree(mg):
    by_mass = dose(mg, "sulfate 50%").components[0]
    by_volume = dose(f"{by_mass.volume_ml:.10f} mL", "sulfate 50%").components[0]
    assert by_volume.elemental_mg == pytest.approx(by_mass.elemental_mg, rel=1e-8)


@given(st.text(max_size=80))
def test_reading_a_form_never_raises_anything_but_mgcalc_errors(text):
    try:
        read_form(text)
    except MgcalcError:
        pass


@given(st.text(alphabet="0123456789.,%/ mgLlmolEqflozsachetwv", max_size=30))
def test_reading_a_strength_never_raises_anything_but_mgcalc_errors(text):
    try:
        strength = parse_strength(text)
    except MgcalcError:
        return
    assert strength.per_one > 0


# --- unquoted strengths, names with a strength, check ----------------------------------------------


def test_a_preparation_name_may_carry_its_own_strength():
    reading = read_form("milk of magnesia 415mg/5mL")
    assert reading.form.id == "hydroxide" and reading.strength.per_one == pytest.approx(83)
