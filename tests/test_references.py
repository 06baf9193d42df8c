"""Reference intakes, checked row by row against ../shared/references.md (IOM 1997 / NIH ODS)."""

from __future__ import annotations

import pytest

from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.references import Profile, intake, load_intakes, parse_intakes, upper_level

# (age, sex, state): RDA or AI in mg/day, from the IOM table in references.md.
INTAKES = [
    (0.2, "female", "none", 30), (0.4, "male", "none", 30),
    (0.5, "male", "none", 30), (0.6, "male", "none", 75), (0.9, "female", "none", 75),
    (1, "male", "none", 80), (3.9, "female", "none", 80), (4, "male", "none", 130), (8, "female", "none", 130),
    (9, "male", "none", 240), (13, "female", "none", 240),
    (14, "male", "none", 410), (18, "female", "none", 360), (16, "female", "pregnant", 400),
    (17, "female", "lactating", 360),
    (19, "male", "none", 400), (30, "female", "none", 310), (25, "female", "pregnant", 350),
    (25, "female", "lactating", 310),
    (31, "male", "none", 420), (50, "female", "none", 320), (40, "female", "pregnant", 360),
    (45, "female", "lactating", 320),
    (51, "male", "none", 420), (90, "female", "none", 320),
]


@pytest.mark.parametrize(("age", "sex", "state", "mg"), INTAKES)
def test_rda_or_ai_by_age_sex_and_state(age, sex, state, mg):
    profile = Profile(age=age, sex=sex, pregnant=state == "pregnant", lactating=state == "lactating")
    found = intake(profile)
    assert found.mg == mg
    assert found.measure == ("AI" if age < 1 else "RDA")
    assert found.source and "IOM" in found.source


@pytest.mark.parametrize(
    ("age", "ul"),
    [(0.3, None), (0.99, None), (1, 65), (3.5, 65), (4, 110), (8.9, 110), (9, 350), (40, 350), (None, 350)],
)
def test_supplemental_upper_level_by_age(age, ul):
    assert upper_level(Profile(age=age)).mg == ul


def test_pregnancy_and_lactation_keep_the_350_mg_upper_level():
    assert upper_level(Profile(age=17, pregnant=True)).mg == 350
    assert upper_level(Profile(age=30, lactating=True)).mg == 350


def test_below_14_the_sexes_share_one_value_so_sex_is_not_needed():
    assert intake(Profile(age=10)).mg == 240


def test_without_a_profile_an_adult_with_both_sexes_is_shown():
    found = intake(Profile())
    assert found.mg is None
    by_sex = {(row.sex, row.mg) for row in found.options}
    assert by_sex == {("female", 310), ("female", 320), ("male", 400), ("male", 420)}


def test_age_without_sex_shows_both():
    found = intake(Profile(age=16))
    assert found.mg is None and {row.mg for row in found.options} == {360, 410}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sex": "male", "pregnant": True}, "apply to --sex female"),
        ({"pregnant": True, "lactating": True}, "not both"),
        ({"age": -1}, "outside"),
        ({"age": float("nan")}, "outside"),
        ({"age": 200}, "outside"),
        ({"sex": "other"}, "not female or male"),
    ],
)
def test_impossible_profiles_are_refused(kwargs, message):
    with pytest.raises(MgcalcError, match=message):
        Profile(**kwargs)


def test_every_row_cites_its_source():
    assert all(row.source for row in load_intakes())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("authority,measure\nus,RDA", "missing column"),
        ("authority,measure,age_from,age_to,sex,state,mg,source\nus,RDA,x,1,any,none,1,s", "age_from 'x'"),
        ("authority,measure,age_from,age_to,sex,state,mg,source\nus,RDA,5,1,any,none,1,s", "age_to must be above"),
        ("authority,measure,age_from,age_to,sex,state,mg,source\nus,RDA,1,5,any,none,-3,s", "must be a number >= 0"),
    ],
)
def test_malformed_intakes_table_is_refused(text, problem):
    with pytest.raises(FormsTableError, match=problem):
        parse_intakes(text, "intakes.csv")
