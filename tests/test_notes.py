"""A warning's kind and a verdict's reason are fields of the note, not prefixes read back from its text."""


from mgcalc.check import check_label
from mgcalc.dose import dose
from mgcalc.notes import Kind, Note, detail_of, kind_of


def test_over_the_upper_level_is_a_note_of_kind_over_and_may_be_over_is_not():
    over = [w for w in dose("2000mg", "oxide").warnings if kind_of(w) is Kind.OVER]
    assert len(over) == 1 and over[0].startswith("OVER THE UPPER LEVEL")
    may_be = dose("1500mg", "carbonate").warnings
    assert all(kind_of(w) is not Kind.OVER for w in may_be if w.startswith("MAY BE OVER"))


def test_a_label_that_cannot_be_checked_says_why_in_the_reasons_detail():
    result = check_label("magnesium citrate 500 mg, magnesium citrate nonahydrate 600 mg")
    assert result.consistent is None and kind_of(result.reason or "") is Kind.CANNOT_CHECK
    assert detail_of(result.reason or "") == ("the label prints the salt twice (500 mg and 600 mg: anhydrous and "
                                              "hydrated weight) but no figure for magnesium")
    assert result.as_dict()["reason"] == f"cannot be checked: {detail_of(result.reason or '')}"


def test_a_note_is_its_text_everywhere_text_goes():
    note = Note.cannot_check("the compound is not a form in the table")
    assert note == "cannot be checked: the compound is not a form in the table"
    assert (note.kind, note.detail) == (Kind.CANNOT_CHECK, "the compound is not a form in the table")
    assert "; ".join([note, "x"]) == "cannot be checked: the compound is not a form in the table; x"
    assert (kind_of("plain text"), detail_of("plain text")) == (Kind.PLAIN, "plain text")
