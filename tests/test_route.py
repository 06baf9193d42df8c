"""Each dose judged by its own rules: route and use decide the comparisons (mgcalc.route, limits.csv)."""


import pytest

from mgcalc.dose import dose
from mgcalc.errors import MgcalcError
from mgcalc.preparations import load_preparations
from mgcalc.references import Profile
from mgcalc.route import ROUTES, USES, comparisons

# --- the one decision -------------------------------------------------------------------------------

def test_only_an_oral_supplement_is_compared_with_the_rda_and_judged_by_the_ul():
    oral = comparisons("oral", "supplement")
    assert oral.intake and oral.upper == "judge" and not oral.label_daily and not oral.parenteral
    for use in ("laxative", "antacid", "electrolyte"):
        rules = comparisons("oral", use)
        assert not rules.intake and rules.upper == "show" and rules.label_daily and not rules.parenteral
    for route in ("iv", "im"):
        for use in USES:
            rules = comparisons(route, use)
            assert not rules.intake and rules.upper == "none" and rules.parenteral and not rules.label_daily


@pytest.mark.parametrize(("route", "use", "fragment"), [("nasal", "supplement", "route 'nasal'"),
                                                        ("oral", "tonic", "use 'tonic'")])
def test_words_outside_the_vocabulary_are_refused(route, use, fragment):
    with pytest.raises(MgcalcError, match=fragment):
        comparisons(route, use)


def test_every_preparation_has_a_route_and_use_of_the_vocabulary():
    for row in load_preparations():
        assert row.route in ROUTES and row.use in USES, row.id
        assert (row.route == "iv") == ("injection" in row.name or "in water" in row.name or "dextrose" in row.name)


# --- the two examples of the issue ---------------------------------------------------------------


def test_citrate_of_magnesia_maximum_is_read_in_fluid_ounces():
    result = dose("11 fl oz", "citrate of magnesia")
    (check,) = result.label_checks
    assert check.limit.printed(check.limit.max or 0) == "10 fl oz" and check.over is True
    assert result.exceeds_limit


def test_a_supplement_is_compared_as_before():
    result = dose("500mg", "citrate", profile=Profile(age=30, sex="male"))
    assert result.comparisons == comparisons("oral", "supplement") and result.label_checks == ()
    assert result.percent_rda is not None and result.percent_ul is not None
    assert result.as_dict()["label_limits"] == [] and result.as_dict()["route"] == "oral"


def test_a_total_in_24_hours_is_judged_from_the_daily_dose():
    result = dose("500mL", "magnesium sulfate 20% injection", authority="uk")  # 100 g of salt
    over = {c.limit.id: c.over for c in result.label_checks}
    assert over["sulfate-20-uk-24h"] is True and over["sulfate-uk-iv-rate"] is None
    assert result.exceeds_limit


# --- --route for a bare form ---------------------------------------------------------------------


# --- the limits table ----------------------------------------------------------------------------
