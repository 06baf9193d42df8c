"""The serving basis and the day's magnesium by the directions (issue 23), through
the Python API (the command's text, --json and batch: tests/cli/test_cli_check.py and test_cli_batch.py).

Wordings from real labels carry their source (tests/data/real_panels/panels.csv or the line's own
comment); the others are the wordings the issue lists, each with the same figures so that only the
basis differs.
"""

from pathlib import Path

import pytest

from helpers import ROW
from mgcalc.check import check_label
from mgcalc.errors import MgcalcError

PANELS = Path(__file__).parent / "data" / "real_panels"


def test_a_real_zma_panel_gives_its_capsule_and_its_day():
    # iForce ZMA (panels.csv: zma_iforce_prohormonedb.txt): Serving Size 3 Capsules, Magnesium 450 mg,
    # "Take 3 capsules daily"; vitamin B6 and zinc set aside
    result = check_label((PANELS / "zma_iforce_prohormonedb.txt").read_text(encoding="utf-8"))
    assert result.basis.units == 3 and result.per_unit.declared_mg == 150
    assert result.per_day.mg_high == 450 and result.per_day.over_upper_level is True
    assert {name.lower() for name, _ in result.other_ingredients} == {"vitamin b6", "zinc"}


def test_a_laxatives_tablespoons_are_a_daily_dose_when_its_directions_say_so():
    # the Drug Facts wording of milk of magnesia (DailyMed 0a57bb45, tests/data/panels)
    text = ("Active ingredient (in each 15 mL)\nMagnesium hydroxide 1200 mg\nDirections\n"
            "do not exceed the maximum recommended daily dose in a 24 hour period\n"
            "adults and children 12 years and over: 2 to 4 tablespoons\nOther information\n"
            "each 15 mL contains: magnesium 500 mg")
    day = check_label(text).per_day
    assert (day.units_low, day.units_high, day.unit) == (2, 4, "tablespoon")
    assert (day.mg_low, day.mg_high) == (pytest.approx(1000), pytest.approx(2000))


def test_a_refusal_quotes_what_it_read():
    with pytest.raises(MgcalcError) as caught:
        check_label("Serving Size 2 Tablets\nAmount Per Serving: Zinc 15 mg")
    assert "''" not in str(caught.value) and "Serving Size 2 Tablets" in str(caught.value)


@pytest.mark.parametrize(("lines", "low", "high", "unit"), [
    # review findings: ranges with the unit at both ends, a daily limit under "as needed", how often before
    # the dose or in another language, a vehicle volume, two doses in one line, a range of times, fractions
    (["adults and children 12 years and over: 10 mL to 20 mL as needed",
      "do not take more than 60 mL in any 24 hour period"], 10, 60, "mL"),
    (["adults: chew 2-4 tablets as needed. Do not take more than 8 tablets in 24 hours."], 2, 8, "tablet"),
    (["2 x täglich 1 Kapsel"], 2, 2, "capsule"),
    (["Dreimal täglich 1 Kapsel"], 3, 3, "capsule"),
    (["1 gélule 2 fois par jour"], 2, 2, "capsule"),
    (["Twice daily, take 1 capsule"], 2, 2, "capsule"),
    (["In 250 mL of water, add 5 mL once daily."], 5, 5, "mL"),
    (["Take 1 tablet daily for 2 weeks, then 2 tablets daily."], 2, 2, "tablet"),
    (["2 tablets 1-2 times daily"], 2, 4, "tablet"),
    (["Take 1/2 tablet twice daily."], 1, 1, "tablet"),
    (["Take 1 1/2 tablets daily"], 1.5, 1.5, "tablet"),
])
def test_directions_as_labels_print_them(lines, low, high, unit):
    from mgcalc.basis import read_directions

    day, problem = read_directions(lines)
    assert problem is None and (day.low, day.high, day.unit) == (low, high, unit)


def test_a_dose_taken_zero_times_is_not_a_day():
    from mgcalc.basis import read_directions

    day, problem = read_directions(["take 1 tablet 0 times daily"])
    assert day is None and "cannot be read" in problem


@pytest.mark.parametrize(("text", "per_unit_mg"), [
    ("1/4 tsp contains 120 mg magnesium", 480),
    ("½ teaspoon provides: Magnesium 100 mg", 200),
    ("Serving Size: 2 Capsules\nMagnesium oxide 500 mg/capsule (300 mg/capsule elemental magnesium)", None),
])
def test_a_fraction_or_a_figures_own_unit_gives_the_right_figure_per_unit(text, per_unit_mg):
    result = check_label(text)
    if per_unit_mg is None:  # the figures are already one capsule's
        assert result.per == "capsule" and result.per_unit is None and result.declared_mg == 300
    else:
        assert result.per_unit.declared_mg == pytest.approx(per_unit_mg)


@pytest.mark.parametrize(("text", "units"), [
    # review findings: servings printed in brackets, hyphenated, with adjectives or "(2)", split over lines
    (f"Per serving (2 capsules): {ROW}", 2),
    (f"Each serving (2 tablets) contains: {ROW}", 2),
    (f"Per 2-tablet serving: {ROW}", 2),
    (f"Serving Size 2 Vegetarian Capsules\n{ROW}", 2),
    (f"Serving Size: Two (2) Tablets\n{ROW}", 2),
    (f"Serving Size\n2 Tablets\n{ROW}", 2),
    (f"Tagesdosis (2 Kapseln): {ROW}", 2),
])
def test_more_serving_wordings_keep_their_count(text, units):
    result = check_label(text)
    assert result.basis.units == units and result.per_unit.declared_mg == pytest.approx(300 / units)


def test_a_figures_own_unit_and_the_directions_give_the_day():
    day = check_label("Magnesium 133 mg per tablet. Adults take 3 tablets daily.").per_day
    assert day.mg_high == 399 and day.over_upper_level is True
