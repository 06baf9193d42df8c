"""Labels as printed (issue 11): real lines and panels from tests/data, near misses, properties."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import DATA
from label_share import mismatches, rows, share
from mgcalc.check import check_label
from mgcalc.errors import MgcalcError
from mgcalc.forms import load_forms
from mgcalc.label import read_label
from mgcalc.references import Profile

#: Real lines the reader does not read as the data file expects, each with why (strict: the day one
#: is read, the mark must go).
KNOWN_GAPS = {
    "L10": "the brand name 'Mag-SR Plus Calcium:' makes 535 mg look like calcium; read as magnesium only",
}


@pytest.mark.parametrize("row", [
    pytest.param(r, id=r["id"], marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[r["id"]])]
                 if r["id"] in KNOWN_GAPS else [])
    for r in rows()
])
def test_every_line_is_read_as_expected(row):
    assert mismatches(row) == []


def test_the_share_of_printed_lines_read():
    good, total = share("printed")
    assert total >= 60 and good / total >= 0.95, (good, total)


def test_the_data_covers_every_family_and_cites_each_line():
    data = rows()
    families = {r["family"] for r in data}
    assert {"compound-first", "eu-equivalent", "eu-corresponds", "eu-calculated-as", "sentence", "sf-row",
            "one-amount", "blend", "no-amount", "hydration", "old-Mg", "blend-weights", "near-miss"} <= families
    for r in data:
        assert r["source"] and r["date_read"], r["id"]
        assert (r["provenance"] == "constructed") == r["source"].startswith("constructed"), r["id"]


def test_directions_and_inactive_ingredients_are_not_read():
    text = ("Active ingredient (in each 15 mL)\nMagnesium hydroxide 1200 mg\nDirections\n"
            "adults 30 mL to 60 mL\nInactive ingredients\nmagnesium stearate 5 mg\n"
            "Other information\neach 15 mL contains: magnesium 500 mg")
    result = check_label(text)
    assert result.consistent and result.compound_mg == 1200 and result.per == "15 mL"


def test_figures_on_two_volumes_are_compared_on_one_by_pint():
    text = ("Active ingredient (in each 5 mL)\nMagnesium hydroxide 400 mg\nOther information\n"
            "each 15 mL contains: magnesium 500 mg")
    result = check_label(text)
    # 400 mg per 5 mL is 1200 mg per 15 mL, which carries 500 mg: said so, then checked
    assert result.consistent is True and result.compound_mg == pytest.approx(1200) and result.per == "15 mL"
    assert any("compared per 15 mL" in issue for issue in result.issues)
    misprinted = check_label(text.replace("500 mg", "595 mg"))
    assert misprinted.consistent is False


def test_figures_on_counts_that_differ_are_never_paired():
    text = ("Active ingredient (in each tablet)\nMagnesium oxide 400 mg\nOther information\n"
            "each 2 tablets contain: magnesium 483 mg")
    result = check_label(text)
    assert result.consistent is None and "different bases" in result.reason


def test_a_supplement_facts_serving_gives_figures_per_unit():
    result = check_label((DATA / "panels" / "now_citrate_capsules.txt").read_text())
    assert result.per == "serving" and result.per_unit is not None
    assert (result.per_unit.unit, result.per_unit.units) == ("capsule", 3)
    assert result.per_unit.declared_mg == pytest.approx(400 / 3)
    assert result.per_unit.implied_compound_mg == pytest.approx(400 / 3 / 0.1616, rel=1e-3)


# --- what the issue lists ---------------------------------------------------------------------


def test_a_blend_says_which_forms_and_the_range_of_compound():
    result = check_label("Magnesium (as magnesium oxide, magnesium citrate, magnesium glycinate) 400 mg")
    assert result.consistent is None and [f.id for f in result.forms] == [
        "oxide", "trimagnesium-dicitrate-anhydrous", "bisglycinate-anhydrous"]
    low, high = result.implied_compound_mg
    assert low == pytest.approx(400 / 0.6030, rel=1e-3) and high == pytest.approx(400 / 0.1410, rel=1e-3)
    assert "blend" in result.reason and "unknown form" not in result.reason


def test_no_amount_is_said():
    result = check_label("Magnesium (as magnesium gluconate)")
    assert result.consistent is None and "prints no amount" in result.reason


def test_a_compound_only_line_says_what_magnesium_it_carries():
    result = check_label("Magnesium citrate 1.745 g per fl oz")
    assert result.consistent is None and result.per == "fl oz"
    assert result.expected_mg == pytest.approx(1745 * 0.1616, rel=1e-3)


def test_a_magnesium_figure_no_capsule_could_hold_as_that_salt_is_flagged():
    result = check_label("Each capsule of Mg-Orotate 500™ supplies 500 mg of magnesium as Magnesium Orotate.")
    assert any("more than a capsule holds" in issue for issue in result.issues)


def test_a_second_salt_figure_is_never_taken_for_magnesium():
    result = check_label("Magnesium aspartate (in the form of magnesium aspartate tetrahydrate) 280 mg (350 mg)")
    assert result.declared_mg is None and result.consistent is None and "twice" in result.reason


def test_old_labels_print_mg_as_Mg():
    result = check_label("Each pale yellow caplets contain 7mEq (84 Mg) magnesium as magnesium L-lactate dihydrate "
                         "(835 Mg in a patented, sustained release wax matrix formulation).")
    assert result.consistent and result.compound_mg == 835
    assert any("'Mg' read as milligrams" in issue for issue in result.issues)


def test_a_percent_dv_against_the_pre_2016_daily_value_is_flagged():
    result = check_label("Magnesium (as Magnesium Oxide) 225 mg 56%")
    assert result.percent_dv_expected == 54
    assert any("pre-2016 Daily Value of 400 mg" in issue for issue in result.issues)


def test_the_percent_dv_follows_the_audience():
    line = "Magnesium (as magnesium oxide) 200 mg 50%"
    assert check_label(line, profile=Profile(sex="female", pregnant=True)).percent_dv_expected == 50
    assert check_label(line, profile=Profile(age=2)).percent_dv_expected == 250
    assert not [i for i in check_label(line, profile=Profile(sex="female", pregnant=True)).issues if "%DV" in i]


def test_forms_that_explain_a_figure_list_the_labels_own_family_first():
    result = check_label("Magnesium (from 840 mg magnesium citrate) 100 mg")
    assert result.explained_by[0].family == "citrate"
    assert [f.family for f in result.explained_by].index("citrate") == 0


# --- the two figures are never swapped ---------------------------------------------------------

_NAMES = sorted(f.name for f in load_forms()
                if f.kind == "stoichiometric" and f.name.startswith("magnesium") and "," not in f.name
                and "(" not in f.name)
TEMPLATES = [
    "{form} {b} mg ({a} mg elemental magnesium)",
    "Magnesium {a} mg (as {form} {b} mg)",
    "Magnesium (from {b} mg {form}) {a} mg",
    "{form} {b} mg, equivalent to magnesium {a} mg",
    "Each tablet contains {b} mg of {form} (equivalent to {a} mg of magnesium).",
    "{form} (calculated as magnesium) {b} mg ({a} mg)",
    "{b} mg {form} providing {a} mg magnesium",
    "{form} - {b} mg, which corresponds to magnesium in the amount of {a} mg",
    "{a} mg of magnesium from {b} mg of {form}",
    "Magnesium {a} mg ({form} {b} mg)",
    "{form} | {b} mg | - | (providing elemental magnesium) | {a} mg |",
    "{form} ................ {b} mg (Equivalent to magnesium {a} mg)",
    "Each capsule contains {b} mg of {form}, or {a} mg elemental magnesium",
]


@given(st.sampled_from(TEMPLATES), st.sampled_from(_NAMES),
       st.integers(1, 2000), st.integers(1, 5000))
def test_templates_never_swap_the_two_figures(template, form, a, b):
    if a == b:
        return
    reading = read_label(template.format(form=form, a=a, b=b))
    assert reading.problem is None
    assert (reading.declared_mg, reading.compound_mg) == (a, b)


def test_the_readme_lists_every_check_key_and_exit_status_4():
    from contract import CHECK_KEYS
    from docs_text import REFERENCE as readme
    for key in CHECK_KEYS:
        assert f"| `{key}` |" in readme, key
    assert "| 4 | `check --label`" in readme


# --- batch: a label column ----------------------------------------------------------------------


_LINES = st.sampled_from([r["text"] for r in rows()])
_HEADS = st.sampled_from(["Active ingredient (in each 15 mL)", "Other information", "Supplement Facts",
                          "Serving Size 2 Capsules", "Directions", "Inactive ingredients", "Drug Facts", ""])


@given(st.lists(st.one_of(_LINES, _HEADS, st.text(max_size=40)), max_size=8))
def test_any_panel_gives_a_verdict_a_reason_or_one_error(lines):

    try:
        result = check_label("\n".join(lines))
    except MgcalcError as exc:
        assert "\n" not in str(exc)
        return
    # a verdict that cannot be given has its reason; a consistent label has none (a label found not
    # consistent by its %DV alone says why too)
    assert result.consistent is not None or result.reason
    assert result.consistent is not True or result.reason is None


def test_other_nutrients_and_their_sources_are_left_out():
    text = ("Supplement Facts\nServing Size 2 Tablets\nCalcium (as carbonate) 500 mg 38%\n"
            "Magnesium (as magnesium oxide) 250 mg 60%\nZinc (as zinc oxide) 15 mg 136%")
    result = check_label(text)
    assert result.declared_mg == 250 and [f.id for f in result.forms] == ["oxide"]
    assert result.percent_dv_printed == 60 and result.per_unit.declared_mg == 125
    joined = check_label("Calcium 500 mg (as carbonate 1250 mg) Magnesium 250 mg (as magnesium oxide 414 mg)")
    assert joined.consistent and joined.compound_mg == 414


def test_an_alternate_amount_that_disagrees_is_not_merged():
    reading = read_label("Magnesium glycerophosphate 4 mmol (500 mg)")
    assert reading.problem is not None or reading.declared_mg != 500


@pytest.mark.parametrize(("text", "per"), [("Magnesium hydroxide 400 mg/5 mL", "5 mL"),
                                           ("Magnesium sulfate heptahydrate 500 mg/mL (4.06 mEq/mL)", "mL")])
def test_a_basis_written_after_a_slash(text, per):
    assert read_label(text).per == per


def test_a_tablet_size_in_mm_is_not_millimoles():
    assert read_label("Magnesium (as magnesium oxide) 250 mg per tablet Size 11mm").declared_mg == 250


def test_magnesium_as_a_form_then_a_figure_without_a_cell_is_refused():
    reading = read_label("Magnesium as magnesium citrate 1250 mg")
    assert reading.problem is not None and reading.declared_mg is None


@pytest.mark.parametrize(("text", "declared", "compound"), [
    ("Magnesium Oxide 400mg (241,3mg elemental magnesium)", 241.3, 400),
    ("magnesium citrate 1,83 g, which corresponds to magnesium 295,7 mg", 295.7, 1830),
])
def test_a_decimal_comma_before_one_or_two_digits_is_read_as_one(text, declared, compound):
    result = check_label(text)
    assert (result.declared_mg, result.compound_mg, result.consistent) == (pytest.approx(declared),
                                                                          pytest.approx(compound), True)


def test_a_thousands_comma_in_a_text_that_writes_decimal_commas_makes_its_own_row_unreadable():
    result = check_label("Vitamin D 2,5 µg 50%\nMagnesium 1,250 mg (as magnesium citrate 7,5 g)")
    assert result.consistent is None
    assert "'1,250 mg' may be 1250 or 1.250" in result.reason
    # the same row in a text with no decimal comma is read with its thousands comma
    assert check_label("Magnesium 1,250 mg (as magnesium citrate 7,750 mg)").declared_mg == 1250


@pytest.mark.parametrize("text", ["Magnesium (as magnesium citrate) 150 mg 40% NRV",
                                  "Magnesium (as magnesium citrate) 375 mg 100% RI",
                                  "Magnesium (as magnesium citrate) 150 mg 40 % VNR"])
def test_an_eu_reference_intake_is_judged_against_the_nrv_not_the_us_dv(text):
    result = check_label(text)
    assert result.percent_of == "NRV" and result.percent_dv_expected == result.percent_dv_printed
    assert not any("does not match" in issue for issue in result.issues)
    wrong = check_label(text.replace("150 mg", "200 mg").replace("375 mg", "420 mg"))
    assert wrong.consistent is False and "%NRV" in wrong.reason and "375 mg" in wrong.reason


def test_less_than_one_percent_is_not_judged():
    result = check_label("Magnesium (as magnesium citrate) 2 mg <1%")
    assert result.percent_dv_printed is None
    assert not any("does not match" in issue for issue in result.issues)


def test_an_inline_ingredient_list_is_not_read():
    panel = ("Supplement Facts\nServing Size 1 Tablet\nMagnesium (as magnesium oxide) 500 mg 119%\n"
             "Other ingredients: microcrystalline cellulose, magnesium stearate, magnesium citrate 100 mg\n")
    result = check_label(panel)
    assert result.declared_mg == 500 and result.compound_mg is None and result.consistent is None


def test_every_token_has_a_kind_from_the_enum():
    """Token kinds are label.TokenKind members, not bare strings (issue 21)."""
    from mgcalc.label import TokenKind, tokenize

    tokens = tokenize("Magnesium (as magnesium citrate) 200 mg [48%]; calcium 1-2 g, ·7H2O | 1 tablet: 4 mmol")
    assert tokens and all(type(t.kind) is TokenKind for t in tokens)
    kinds = {t.kind for t in tokens}
    assert {TokenKind.MG, TokenKind.FORM, TokenKind.AMOUNT, TokenKind.PCT, TokenKind.OPEN, TokenKind.CLOSE_SQUARE,
            TokenKind.SEMICOLON, TokenKind.OTHER, TokenKind.RANGE, TokenKind.SEP, TokenKind.COLON} <= kinds
