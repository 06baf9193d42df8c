"""Panels with several ingredients (issue 29): every figure stays in its own ingredient's row.

The issue's reproducers, then real panels of each kind (tests/data/real_panels, sources in
panels.csv) whose reading is pinned in full.
"""

from pathlib import Path

import pytest

from mgcalc.check import check_label

PANELS = Path(__file__).parent / "data" / "real_panels"


@pytest.mark.parametrize(("text", "compound", "form"), [
    ("Active ingredients (in each tablet)\nCalcium carbonate USP 675 mg\nMagnesium hydroxide USP 135 mg", 135,
     "hydroxide"),
    ("Active ingredients (in each tablet)\nAluminum hydroxide 160 mg\nMagnesium carbonate 105 mg", 105,
     "carbonate-usp"),
    ("Active ingredients (in each 5 mL)\nAluminum hydroxide 200 mg\nMagnesium hydroxide 200 mg\nSimethicone 20 mg",
     200, "hydroxide"),
    ("Maximum Strength 1,200-1,200-120 mg/30 mL\nActive ingredients (in each 30 mL)\nAluminum hydroxide 1200 mg\n"
     "Magnesium hydroxide 1200 mg\nSimethicone 120 mg", 1200, "hydroxide"),
])
def test_an_antacids_actives_beside_magnesium_are_read_not_refused(text, compound, form):
    result = check_label(text)
    assert result.compound_mg == compound and result.resolution.form.id == form
    assert result.declared_mg is None and result.consistent is None  # one figure: not checkable, not refused


def test_an_iv_sentence_gives_magnesium_its_own_milliequivalents():
    result = check_label("One liter has an ionic concentration of 140 mEq sodium, 5 mEq potassium, 3 mEq "
                         "magnesium, 98 mEq chloride")
    assert result.declared_mg == pytest.approx(3 * 12.1525) and result.per == "1000 mL"
    assert [name for name, _ in result.other_ingredients] == ["sodium", "potassium", "chloride"]


def test_other_information_gives_the_magnesium_the_label_states():
    result = check_label("Active ingredient (in each tablet)\nCalcium carbonate USP 1000 mg\nOther information\n"
                         "each tablet contains: calcium 215 mg and magnesium 5 mg")
    assert result.declared_mg == 5 and result.per == "tablet"


def test_a_pre_2016_daily_value_is_named_not_a_misprint():
    result = check_label("Magnesium 200 mg 50% (as magnesium oxide 332 mg)")
    assert result.consistent is True and any("pre-2016" in issue for issue in result.issues)


def test_a_european_panel_reads_its_decimal_commas_and_checks_its_nrv():
    text = "Vitamin D 2,5 µg 50%\nMagnesium 56,3 mg 15% NRV (as magnesium oxide 93,4 mg)"
    result = check_label(text)
    assert (result.declared_mg, result.compound_mg, result.percent_of) == (56.3, 93.4, "NRV")
    assert result.consistent is True


@pytest.mark.parametrize(("file", "declared", "compound", "per"), [
    ("magnesium_b6_biogaran_ansm.txt", 48, 470, "tablet"),  # French SmPC: "Lactate de magnésium dihydraté"
    ("magnesium_verla_300_fachinfo.txt", 300, 1932, "sachet"),  # German SmPC: "Magnesiumcitrat ... entsprechend"
    ("diasporal300_zuckerfrei_oddb.txt", 301, 1863, "sachet"),  # Swiss: "ut Magnesii citras anhydricus"
    ("magne_b6_forte_medixlife.txt", 100, 618.43, None),  # "Magnesium (as citrate) 618.43 mg, Equivalent to ..."
    ("plasmalyte148_7eee0bda.txt", 36.4575, 300, "1000 mL"),  # per 100 mL and per litre, put on one by pint
])
def test_real_european_and_iv_panels_read_with_magnesiums_own_figures(file, declared, compound, per):
    result = check_label((PANELS / file).read_text(encoding="utf-8"))
    assert result.declared_mg == pytest.approx(declared) and result.compound_mg == pytest.approx(compound)
    assert result.per == per and result.consistent is True
