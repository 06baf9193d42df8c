"""Named products: the table (every row recomputed from its salt), and counts of them in every command."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from molmass import Formula

from cli_helpers import assert_one_line_error, run
from contract import COMPARE_PRODUCTS_KEYS, COMPONENT_KEYS, PRODUCT_COUNT_KEYS, PRODUCT_ROW_KEYS
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

def test_dose_of_one_product_named_bare_is_one_unit(runner):
    result = run(runner, "dose", "Mag-Ox 400")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 tablet of Mag-Ox 400 (US tablet) (400 mg magnesium oxide) -> 241.2 mg magnesium")
    assert "secondary source" in result.stdout  # the row's grade travels with the answer


def test_dose_of_two_tablets(runner):
    result = run(runner, "dose", "2", "tablets", "Mag-Ox", "400", "-q")
    assert result.exit_code == 0 and result.stdout == "482.43\n"


def test_dose_of_a_capsule_three_times_a_day(runner):
    result = run(runner, "dose", "1", "capsule", "Uro-Mag", "--per-day", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("3 capsules of Uro-Mag (US capsule) (420 mg magnesium oxide) -> 253.3 mg")
    assert "Taken 3 times a day" in result.stdout


def test_dose_of_a_liquid_by_volume(runner):
    result = run(runner, "dose", "10", "mL", "Magonate", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    [component] = data["components"]
    assert set(component) == COMPONENT_KEYS and component["product_id"] == "magonate-liquid"
    assert component["volume_ml"] == 10 and data["elemental_mg"] == pytest.approx(107.87, abs=0.01)


def test_a_product_with_calcium_says_so(runner):
    result = run(runner, "dose", "1", "tablet", "Slow-Mag")
    assert result.exit_code == 0 and "Slow-Mag also contains calcium 119 mg per tablet" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["2", "sachets", "Mag-Ox", "400"], "comes as tablets, not sachets; give e.g. 2 tablets Mag-Ox 400"),
        (["2", "scoops", "Neomag"], "comes as tablets, not scoops"),
        (["5", "mL", "Neomag"], "comes as tablets, not mL"),
        (["0", "tablets", "Neomag"], "give more than 0 and at most 100 tablets"),
        (["101", "tablets", "Neomag"], "at most 100"),
        (["1.5", "tablets", "Neomag"], "give a whole number of tablets (Neomag's label does not say"),
        (["1.25", "tablets", "Magonate"], "give a whole number or a half of tablets"),
        (["Magonate"], "names 2 products: Magonate tablets"),
        (["2", "tablets", "Neomagg"], "unknown product 'Neomagg'; did you mean 'Neomag'?"),
        (["2", "tablets", "citrat"], "unknown product 'citrat'; did you mean 'citrate'"),  # forms are named too
        (["Mag-Ux", "400"], "did you mean 'Mag-Ox 400'?"),
        (["2", "tablets", "oxide"], "is a compound, not a named product"),
    ],
)
def test_dose_refuses_on_one_line(runner, args, fragment):
    assert_one_line_error(run(runner, "dose", *args), fragment)


def test_compound_counts_units_of_a_product_and_the_nearest_whole_count(runner):
    result = run(runner, "compound", "40mEq", "Mag-Ox", "400")
    assert result.exit_code == 0, result.stderr
    assert "Take 2.02 tablets of Mag-Ox 400 (US tablet)" in result.stdout
    assert "Nearest whole count: 2 tablets = 482.4 mg magnesium (19.85 mmol, 39.70 mEq), 99.2 % of the target" \
        in result.stdout
    quiet = run(runner, "compound", "40mEq", "Mag-Ox 400", "-q")
    assert quiet.stdout == "2.02\n"


def test_compound_for_neomag_is_six_tablets(runner):
    result = run(runner, "compound", "24mmol", "Neomag")
    assert result.exit_code == 0 and "Take 6 tablets of Neomag" in result.stdout
    assert "Nearest whole count: 6 tablets = 583.3 mg" in result.stdout


def test_a_scored_tablet_counts_in_halves():
    counted = count_for("67.5mg", PRODUCTS.find("Magonate tablets"))
    assert counted.units == pytest.approx(2.503, abs=0.001) and counted.whole_count == 2.5
    unscored = count_for("150mg", PRODUCTS.find("Neomag"))
    assert unscored.whole_count == 2  # 1.54 tablets: the nearest whole, never a half


def test_a_target_below_half_a_unit_still_counts_one():
    assert count_for("10mg", PRODUCTS.find("Mag-Ox 400")).whole_count == 1


@pytest.mark.parametrize(
    ("args", "units"),
    [
        (["40mEq", "oxide", "--per-unit", "400mg"], "2.02"),
        (["24mmol", "glycerophosphate", "--per-unit", "4 mmol Mg"], "6"),
        (["40mEq", "oxide", "--per-unit", "20 mEq"], "2"),
        (["40mEq", "oxide", "--per-unit", "240 mg magnesium"], "2.03"),
    ],
)
def test_compound_per_unit_takes_the_salt_weight_or_the_magnesium(runner, args, units):
    result = run(runner, "compound", *args, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{units}\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["40mEq", "oxide", "--per-unit", "4mL"], "give the salt's weight (400mg) or the magnesium"),
        (["40mEq", "oxide", "--per-unit", "400Mg"], "'Mg' is ambiguous"),
        (["40mEq", "Magonate"], "names 2 products"),
        (["40mEq", "Neomagg"], "did you mean 'Neomag'?"),
        (["0mEq", "Neomag"], "target"),
    ],
)
def test_compound_refuses_on_one_line(runner, args, fragment):
    assert_one_line_error(run(runner, "compound", *args), fragment)


def test_compound_product_json_keys_are_pinned(runner):
    data = json.loads(run(runner, "compound", "40mEq", "Mag-Ox 400", "--json").stdout)
    assert set(data) == PRODUCT_COUNT_KEYS
    assert data["product_id"] == "mag-ox-400" and data["unit"] == "tablet" and data["whole_count"] == 2
    assert data["units"] == pytest.approx(2.0152, abs=1e-4) and data["grade"] == "S"
    salt = json.loads(run(runner, "compound", "40mEq", "oxide", "--per-unit", "400mg", "--json").stdout)
    assert set(salt) == PRODUCT_COUNT_KEYS and salt["product_id"] is None and salt["unit"] == "unit"


def test_compare_counts_several_products(runner):
    result = run(runner, "compare", "40mEq", "--product", "Mag-Ox 400", "--product", "Neomag")
    assert result.exit_code == 0, result.stderr
    assert "Mag-Ox 400\tUS\ttablets\t2.02\t2\t482.4 mg (99.2 %)\tS" in result.stdout
    assert "Neomag\tUK\ttablets\t5\t5\t486.1 mg (100.0 %)\tP" in result.stdout
    data = json.loads(run(runner, "compare", "40mEq", "--product", "Neomag", "--json").stdout)
    assert set(data) == COMPARE_PRODUCTS_KEYS and set(data["products"][0]) == PRODUCT_COUNT_KEYS
    assert_one_line_error(run(runner, "compare", "40mEq", "--product", "Neomagg"), "did you mean 'Neomag'?")


def test_check_reads_a_products_own_printed_figures(runner):
    result = run(runner, "check", "Uro-Mag")
    assert result.exit_code == 0, result.stderr
    assert "Label: 84.5 mg magnesium; 140 mg magnesium oxide" in result.stdout
    assert "Verdict: consistent" in result.stdout
    as_form = run(runner, "check", "64mg", "400mg", "Mag-Ox", "400")
    assert as_form.exit_code == 3 and "NOT CONSISTENT" in as_form.stdout
    assert_one_line_error(run(runner, "check", "Neomag"), "prints no salt weight")


def test_products_lists_the_table(runner):
    result = run(runner, "products")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "name", "country"] and len(lines) == len(PRODUCTS) + 1
    data = json.loads(run(runner, "products", "glycerophosphate", "--json").stdout)
    assert {row["id"] for row in data} == {"neomag", "magnesium-4mmol-chewable-uk"}
    assert all(set(row) == PRODUCT_ROW_KEYS for row in data)
    assert_one_line_error(run(runner, "products", "zzz"), "no product matches 'zzz'")


def test_products_has_help_with_an_example(runner):
    result = run(runner, "products", "--help")
    assert result.exit_code == 0 and "mgcalc products neomag" in result.stdout


def test_count_for_never_raises_anything_but_mgcalc_errors():
    for target in ("", "abc", "-4 mmol", "1e400 mg", "4 mmol/kg"):
        with pytest.raises(MgcalcError):
            count_for(target, PRODUCTS.find("Neomag"))


def test_a_target_per_kg_takes_the_body_weight(runner):
    result = run(runner, "compound", "0.2mmol/kg", "Neomag", "--weight", "20kg")
    assert result.exit_code == 0, result.stderr
    assert "Take 1 tablet of Neomag" in result.stdout
    assert_one_line_error(run(runner, "compound", "0.2mmol/kg", "Neomag"), "add the weight, e.g. --weight 20kg")


def test_a_product_in_a_blend_is_refused_saying_why(runner):
    assert_one_line_error(run(runner, "dose", "2", "tablets", "Mag-Ox", "400", "500mg", "citrate"),
                          "'Mag-Ox 400' is a product and '500mg citrate' follows it")


def test_compare_family_names_product_option_for_a_product(runner):
    result = run(runner, "compare", "40mEq", "--family", "Slow-Mag")
    assert result.exit_code == 2 and "use --product 'Slow-Mag'" in result.stderr


def test_a_count_for_a_target_over_the_upper_level_warns_as_compound_does(runner):
    result = run(runner, "compound", "40mEq", "oxide", "--per-unit", "400mg", "--authority", "eu")
    assert "above the 250 mg/day tolerable upper intake level (EU" in result.stdout
    assert "above the" not in run(runner, "compound", "4mmol", "Neomag").stdout

