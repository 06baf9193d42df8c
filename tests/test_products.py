"""Named products: the table (every row recomputed from its salt), and counts of them (the
commands: tests/cli/)."""

from __future__ import annotations

from importlib import resources

import pytest
from molmass import Formula

from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.products import (
    COLUMNS,
    count_for,
    declared_tolerance,
    load_products,
    names_a_form,
    parse_products,
    read_product_amount,
)

PRODUCTS = load_products()

HEADER = ",".join(COLUMNS) + "\n"
MG = 24.305


def _row(**cells: str) -> str:
    base = {"id": "x", "name": "Testmag 100", "aliases": "", "country": "US", "dosage_form": "tablet",
            "unit": "tablet", "per": "1", "form_id": "oxide", "salt_mg": "400", "magnesium": "241 mg",
            "other_actives": "", "scored": "no", "route": "oral", "use": "supplement", "valid_from": "",
            "valid_to": "", "grade": "P", "source": "a label", "note": ""}
    base.update(cells)
    return HEADER + ",".join(base[c] for c in COLUMNS) + "\n"


# The table ------------------------------------------------------------------------------------

def test_the_installed_package_ships_the_products_table():
    text = (resources.files("mgcalc") / "data" / "products.csv").read_text(encoding="utf-8")
    assert text.startswith("id,name,aliases") and len(PRODUCTS) >= 10


@pytest.mark.parametrize("product", PRODUCTS.rows, ids=lambda p: p.id)
def test_every_printed_figure_is_what_the_printed_salt_carries_within_the_labels_rounding(product):
    """molmass is the oracle: the salt's own formula, not the forms table's percentage."""
    assert product.declared or product.salt_mg is not None
    if product.salt_mg is not None:
        fraction = Formula(product.form.formula).composition()["Mg"].fraction
        carried = product.salt_mg * fraction
        for figure in product.declared:
            assert abs(figure.mg - carried) <= declared_tolerance(figure.text, figure.mg), (product.id, figure)
    for figure in product.declared[1:]:
        first = product.declared[0]
        slack = declared_tolerance(first.text, first.mg) + declared_tolerance(figure.text, figure.mg)
        assert abs(figure.mg - first.mg) <= slack, (product.id, figure)


@pytest.mark.parametrize("product", PRODUCTS.rows, ids=lambda p: p.id)
def test_every_row_has_a_graded_source_and_the_shared_vocabulary(product):
    assert product.grade in ("P", "P-copy", "S") and "read 2026" in product.source
    assert product.route in ("oral", "iv", "im")
    assert product.use in ("supplement", "laxative", "antacid", "electrolyte")


def test_no_product_name_also_names_a_form():
    assert names_a_form(PRODUCTS) == []


def test_the_units_mgcalc_counts_with_trace_to_the_salt_or_the_printed_figure():
    mag_ox, neomag, magonate = (PRODUCTS.find(n)[0] for n in ("Mag-Ox 400", "Neomag", "Magonate tablets"))
    assert mag_ox.magnesium_per_unit == pytest.approx(400 * MG / Formula("MgO").mass, rel=1e-5)
    assert neomag.magnesium_per_unit == pytest.approx(4 * MG)  # "4 mmol" as the SmPC prints it
    assert magonate.per == 2 and magonate.magnesium_per_unit == pytest.approx(
        1000 * MG / Formula("Mg(C6H11O7)2.2H2O").mass / 2, rel=1e-5)


@pytest.mark.parametrize(
    ("cells", "fragment"),
    [
        ({"magnesium": "250 mg"}, "does not match 400 mg of magnesium oxide"),  # a typo in the table
        ({"magnesium": "20 mEq; 300 mg"}, "does not match"),
        ({"salt_mg": "", "magnesium": ""}, "give the salt's weight"),
        ({"unit": "bottle"}, "unit 'bottle'"),
        ({"use": "tonic"}, "use 'tonic'"),
        ({"grade": "B"}, "grade 'B'"),
        ({"form_id": "stearate"}, "not a magnesium source"),
        ({"magnesium": "240 mmol/L"}, "not a figure"),
        ({"valid_from": "2020"}, "not a date"),
        ({"name": "milk of magnesia"}, "already names a row of the preparations table"),
    ],
)
def test_a_bad_row_is_refused_naming_file_and_line(cells, fragment):
    with pytest.raises(FormsTableError, match=r"products\.csv:2") as error:
        parse_products(_row(**cells), "products.csv")
    assert fragment in str(error.value)


def test_the_rounding_allowance_is_the_printed_precision():
    assert declared_tolerance("84.5 mg", 84.5) == pytest.approx(0.05 + 0.003 * 84.5)
    assert declared_tolerance("240 mg", 240) == pytest.approx(5 + 0.003 * 240)  # "240" may be rounded to tens
    assert declared_tolerance("61 mg", 61) == pytest.approx(0.5 + 0.003 * 61)


# Reading a count of a product ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("words", "product_id", "quantity"),
    [
        (["Mag-Ox 400"], "mag-ox-400", 1),
        (["2", "tablets", "Mag-Ox", "400"], "mag-ox-400", 2),
        (["2 tablets mag-ox 400"], "mag-ox-400", 2),
        (["1", "capsule", "Uro-Mag"], "uro-mag", 1),
        (["10", "mL", "Magonate"], "magonate-liquid", 10),
        (["10mL", "Magonate"], "magonate-liquid", 10),
        (["1", "teaspoon", "Magonate"], "magonate-liquid", 5),
        (["2", "Magonate", "tablets"], "magonate-tablets", 2),
        (["1/2", "tablet", "Magonate"], "magonate-tablets", 0.5),
        (["2", "chewable", "tablets", "Neomag"], "neomag", 2),
        (["1", "tablet", "Mag-Tab", "SR"], "mag-tab-sr", 1),
        (["1", "packet", "Maginex", "DS"], "maginex-ds", 1),
    ],
)
def test_count_words_are_units_of_the_product(words, product_id, quantity):
    amount = read_product_amount(words)
    assert amount is not None and amount.product.id == product_id and amount.quantity == quantity


@pytest.mark.parametrize(
    "words", [["500mg", "citrate"], ["15", "mL", "milk", "of", "magnesia"], ["1 sachet magnaspartate"]]
)
def test_amounts_of_forms_and_preparations_are_left_to_the_other_grammar(words):
    assert read_product_amount(words) is None


# Commands --------------------------------------------------------------------------------------


def test_a_scored_tablet_counts_in_halves():
    counted = count_for("67.5mg", PRODUCTS.find("Magonate tablets"))
    assert counted.units == pytest.approx(2.503, abs=0.001) and counted.whole_count == 2.5
    unscored = count_for("150mg", PRODUCTS.find("Neomag"))
    assert unscored.whole_count == 2  # 1.54 tablets: the nearest whole, never a half


def test_a_target_below_half_a_unit_still_counts_one():
    assert count_for("10mg", PRODUCTS.find("Mag-Ox 400")).whole_count == 1


def test_count_for_never_raises_anything_but_mgcalc_errors():
    for target in ("", "abc", "-4 mmol", "1e400 mg", "4 mmol/kg"):
        with pytest.raises(MgcalcError):
            count_for(target, PRODUCTS.find("Neomag"))
