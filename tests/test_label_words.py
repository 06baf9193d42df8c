"""data/label_words.csv is the label reader's one vocabulary: every module that reads words reads them from it."""

import csv
from importlib import resources

from mgcalc import basis, label, panel


def _rows() -> list[dict[str, str]]:
    text = (resources.files("mgcalc") / "data" / "label_words.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_row_has_a_known_kind_a_language_and_a_source():
    for row in _rows():
        assert row["kind"] in label.WORD_KINDS, row
        assert row["word"].strip() and row["language"] and row["source"].strip(), row


def test_dose_units_are_one_table_read_alike_by_the_basis_and_the_token_readers():
    units = {r["word"]: r["means"] for r in _rows() if r["kind"] == "unit"}
    assert units["tablets"] == "tablet" and units["gélules"] == "capsule" and units["vial"] == "vial"
    for word, unit in units.items():
        assert basis.UNIT_WORDS[word] == unit
        if " " not in word:
            assert label.BASIS_WORDS[word] == unit
    # the two readers name no dose unit the table does not hold (a serving is the token reader's own word)
    assert set(label.BASIS_WORDS) - set(units) == {"serving", "servings"}
    measures = {r["word"] for r in _rows() if r["kind"] == "measure"}
    assert set(basis.UNIT_WORDS) == set(units) | measures


def test_counts_frequencies_verbs_and_headings_come_from_the_table():
    rows = _rows()
    assert {r["word"]: int(r["means"]) for r in rows if r["kind"] == "number"} == basis.NUMBER_WORDS
    assert {r["word"]: int(r["means"]) for r in rows if r["kind"] == "times"} == basis.FREQUENCY_WORDS
    assert basis.FREQUENCY_WORDS["zweimal"] == 2 and basis.FREQUENCY_WORDS["twice"] == 2
    assert set(basis.BASIS_VERBS) == {r["word"] for r in rows if r["kind"] == "verb"}
    assert dict(panel.HEADINGS) == {r["word"]: r["means"] for r in rows if r["kind"] == "heading"}
    assert set(dict(panel.HEADINGS).values()) <= {"active", "other", "facts", "directions", "skip"}


def test_the_words_labels_print_are_read_as_they_mean():
    """Pinned by hand, apart from the table: what each reader makes of words real labels print."""
    assert [basis.UNIT_WORDS[w] for w in ("caps", "vegcaps", "softgels", "tsp", "tbsp", "fl oz", "ml", "stick pack")] \
        == ["capsule", "capsule", "softgel", "teaspoon", "tablespoon", "fl oz", "mL", "stick"]
    assert basis.MEASURES == {"mL", "L", "g", "fl oz"}
    assert (basis.NUMBER_WORDS["two"], basis.NUMBER_WORDS["twelve"]) == (2, 12)
    assert [basis.FREQUENCY_WORDS[w] for w in ("once", "thrice", "3x", "einmal", "viermal")] == [1, 3, 3, 1, 4]
    assert {"provide", "contains", "contient", "enthalten"} <= set(basis.BASIS_VERBS)
    headings = dict(panel.HEADINGS)
    assert [headings[h] for h in ("supplement facts", "directions", "inactive ingredients", "posologie",
                                  "medicinal ingredients", "other information")] == [
        "facts", "directions", "skip", "directions", "active", "other"]
    assert [label.BASIS_WORDS[w] for w in ("tablets", "comprimés", "kapseln", "servings")] == [
        "tablet", "tablet", "capsule", "serving"]


def test_a_figures_unit_is_read_from_the_table_in_every_spelling():
    from mgcalc.check import check_label

    rows = {r["word"]: r["means"] for r in _rows() if r["kind"] == "amount-unit"}
    assert rows["milligramm"] == "mg" and rows["mval"] == "mval" and rows["iu"] == "other"
    assert set(label.UNITS) == set(rows)
    assert check_label("Magnesium 200 Milligramm").declared_mg == 200.0
    assert check_label("Magnesium 200 mgs.").declared_mg == 200.0
    assert abs(check_label("Magnesium 2 mval").declared_mg - 24.305) < 1e-9
    assert abs(check_label("Magnesium 5 millimoles").declared_mg - 5 * 24.305) < 1e-9
    # a figure in international units is never the magnesium: the 800 is vitamin D's
    assert check_label("Vitamin D 800 IU Magnesium 100 mg").declared_mg == 100.0
