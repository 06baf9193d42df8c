"""How the words of a command line are grouped into amounts and forms (mgcalc.arguments)."""

from mgcalc.arguments import segments


def test_hydrate_words_stay_with_the_form():
    assert segments(["1g", "MgSO4", ".", "7", "H2O"]) == [("1g", "MgSO4 . 7 H2O")]
    assert segments(["500mg", "citrate", "1:1"]) == [("500mg", "citrate 1:1")]
    assert segments(["2", "x", "250", "mg", "oxide"]) == [("2 x 250 mg", "oxide")]
