"""The serving basis and the day's magnesium by the directions (issue 23), in text, --json and batch.

Wordings from real labels carry their source (tests/data/real_panels/panels.csv or the line's own
comment); the others are the wordings the issue lists, each with the same figures so that only the
basis differs.
"""

import json
from pathlib import Path

import pytest

from mgcalc.check import check_label
from mgcalc.cli import app
from mgcalc.errors import MgcalcError

PANELS = Path(__file__).parent / "data" / "real_panels"
ROW = "Magnesium 300 mg (as magnesium oxide 500 mg)"


def checked(runner, text, *options):
    result = runner.invoke(app, ["check", "--label", text, "--json", *options])
    assert result.exit_code in (0, 3, 4), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("text", "units", "unit"), [
    (f"2 tablets provide: {ROW}", 2, "tablet"),
    (f"Two capsules contain: {ROW}", 2, "capsule"),
    (f"Per 2 caplets: {ROW}", 2, "caplet"),
    (f"{ROW} per 2 tablets", 2, "tablet"),
    (f"Each 2 tablets contain: {ROW}", 2, "tablet"),
    (f"Per daily dose (3 tablets): {ROW}", 3, "tablet"),
    (f"Daily dose: 3 tablets {ROW}", 3, "tablet"),
    ("Serving size 4 capsules Magnesium (as magnesium oxide 500 mg) 300mg", 4, "capsule"),
    (f"Serving Size 2 Tablets\nAmount Per Serving: {ROW}", 2, "tablet"),
    (f"Serving Size: 2 Softgels\n{ROW}", 2, "softgel"),
    (f"Serving Size 3 Vegcaps\n{ROW}", 3, "capsule"),
    (f"Serving Size 2 Gummies\n{ROW}", 2, "gummy"),
    (f"Serving Size 2 Chewable Tablets\n{ROW}", 2, "tablet"),
    (f"Serving Size 2 Lozenges\n{ROW}", 2, "lozenge"),
    (f"Serving Size 2 Sachets\n{ROW}", 2, "sachet"),
    (f"Serving Size 2 Stick Packs\n{ROW}", 2, "stick"),
    (f"Serving Size 2 Scoops\n{ROW}", 2, "scoop"),
    (f"Serving Size 2 Packets\n{ROW}", 2, "packet"),
    (f"Serving Size 2 tsp\n{ROW}", 2, "teaspoon"),
    (f"Serving Size 2 Tablespoons\n{ROW}", 2, "tablespoon"),
    (f"Serving Size 20 Drops\n{ROW}", 20, "drop"),
    (f"Twelve capsules provide: {ROW}", 12, "capsule"),
])
def test_every_wording_keeps_its_count_in_text_and_json(runner, text, units, unit):
    data = checked(runner, text)
    assert data["basis"]["units"] == units and data["basis"]["unit"] == unit
    assert data["per"] == "serving"
    assert data["per_unit"]["declared_mg"] == pytest.approx(300 / units)
    assert data["per_unit"]["compound_mg"] == pytest.approx(500 / units)
    shown = runner.invoke(app, ["check", "--label", text]).stdout
    assert f"per serving of {units:g} " in shown and f"Per {unit} ({units:g} a serving)" in shown


@pytest.mark.parametrize(("text", "per", "size"), [
    (f"Each tablet contains: {ROW}", "tablet", None),
    (f"Serving Size 1 scoop (5 g)\n{ROW}", "scoop", "5 g"),
    (f"Each 15 mL contains: {ROW}", "15 mL", None),
    (f"Serving Size 15 mL\n{ROW}", "serving", "15 mL"),
    (f"Serving Size: 2.5 gm\n{ROW}", "serving", "2.5 g"),
])
def test_one_unit_or_a_measure_is_the_figures_own_basis(runner, text, per, size):
    data = checked(runner, text)
    assert data["per"] == per and data["per_unit"] is None and data["basis"]["size"] == size


def test_a_real_zma_panel_gives_its_capsule_and_its_day():
    # iForce ZMA (panels.csv: zma_iforce_prohormonedb.txt): Serving Size 3 Capsules, Magnesium 450 mg,
    # "Take 3 capsules daily"; vitamin B6 and zinc set aside
    result = check_label((PANELS / "zma_iforce_prohormonedb.txt").read_text(encoding="utf-8"))
    assert result.basis.units == 3 and result.per_unit.declared_mg == 150
    assert result.per_day.mg_high == 450 and result.per_day.over_upper_level is True
    assert {name.lower() for name, _ in result.other_ingredients} == {"vitamin b6", "zinc"}


@pytest.mark.parametrize(("directions", "low", "high"), [
    ("Directions: Adults take 2 tablets twice daily", 600, 600),
    ("Directions: take 1-3 tablets daily", 150, 450),
    ("Directions: take up to 4 tablets a day", None, 600),
    ("Directions: do not take more than 2 tablets in a 24 hour period", None, 300),
    ("Directions: chew 2 tablets as needed; do not take more than 3 tablets in 24 hours", 300, 450),
])
def test_the_directions_give_the_days_magnesium_against_the_upper_level(runner, directions, low, high):
    data = checked(runner, f"Serving Size 2 Tablets\n{ROW}\n{directions}")
    day = data["per_day"]
    assert (day["mg_low"], day["mg_high"]) == (low, high)
    assert day["upper_level_mg"] == 350 and day["over_upper_level"] is (high > 350)
    shown = runner.invoke(app, ["check", "--label", f"Serving Size 2 Tablets\n{ROW}\n{directions}"]).stdout
    assert "Per day by the directions" in shown
    assert ("OVER THE UPPER LEVEL" in shown) is (high > 350)


def test_the_upper_level_is_the_authoritys_own(runner):
    data = checked(runner, f"Serving Size 1 Tablet\n{ROW}\nDirections: take 1 tablet daily", "--authority", "eu")
    assert data["per_day"]["upper_level_mg"] == 250 and data["per_day"]["over_upper_level"] is True


def test_a_laxatives_tablespoons_are_a_daily_dose_when_its_directions_say_so():
    # the Drug Facts wording of milk of magnesia (DailyMed 0a57bb45, tests/data/panels)
    text = ("Active ingredient (in each 15 mL)\nMagnesium hydroxide 1200 mg\nDirections\n"
            "do not exceed the maximum recommended daily dose in a 24 hour period\n"
            "adults and children 12 years and over: 2 to 4 tablespoons\nOther information\n"
            "each 15 mL contains: magnesium 500 mg")
    day = check_label(text).per_day
    assert (day.units_low, day.units_high, day.unit) == (2, 4, "tablespoon")
    assert (day.mg_low, day.mg_high) == (pytest.approx(1000), pytest.approx(2000))


def test_directions_it_cannot_read_are_named_not_guessed(runner):
    data = checked(runner, f"Serving Size 1 Tablet\n{ROW}\nDirections: take 1 tablet with a meal")
    assert data["per_day"] is None and "do not say how often" in data["directions_problem"]


@pytest.mark.parametrize(("text", "reason"), [
    (f"Serving Size 0 Tablets\n{ROW}", "outside 1 to 100"),
    (f"Serving Size 101 Tablets\n{ROW}", "outside 1 to 100"),
    (f"Serving Size 1 Tablet\n{ROW} per 2 tablets", "two bases that disagree"),
    (f"Serving Size 2 Tablets\nServing Size 3 Tablets\n{ROW}", "two bases that disagree"),
    (f"Each tablet contains:\nServing Size 2 Tablets\n{ROW}", "two bases that disagree"),
])
def test_a_count_that_cannot_be_right_is_a_reason_never_a_pick(runner, text, reason):
    data = checked(runner, text)
    assert data["consistent"] is None and reason in data["reason"] and data["per_unit"] is None


def test_a_refusal_quotes_what_it_read():
    with pytest.raises(MgcalcError) as caught:
        check_label("Serving Size 2 Tablets\nAmount Per Serving: Zinc 15 mg")
    assert "''" not in str(caught.value) and "Serving Size 2 Tablets" in str(caught.value)


@pytest.mark.parametrize("output", ["csv", "jsonl"])
def test_batch_carries_the_basis_and_the_figure_per_unit(runner, output):
    rows = ('label\n"2 tablets provide: Magnesium 300mg (as magnesium oxide 500mg)"\n'
            '"Magnesium Oxide 400mg (241.3mg elemental magnesium)"\n"Each 15 mL contains: magnesium 500 mg"\n')
    result = runner.invoke(app, ["batch", "-", "--format", output], input=rows)
    assert result.exit_code == 0, result.stderr
    if output == "csv":
        import csv
        import io

        got = list(csv.DictReader(io.StringIO(result.stdout)))
        cells = [(r["basis"], r["per_unit_mg"]) for r in got]
        assert cells == [("2 tablets", "150.0"), ("", ""), ("15 mL", "")]
    else:
        got = [json.loads(line) for line in result.stdout.splitlines()]
        assert [(r["basis"], r["per_unit_mg"]) for r in got] == [("2 tablets", 150.0), (None, None), ("15 mL", None)]


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
