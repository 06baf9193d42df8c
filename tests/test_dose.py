"""The calculation (mgcalc.dose: dose, compound, Plan), through the Python API (no CLI)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from molmass import ELEMENTS, Formula

from contract import COMPONENT_KEYS, JSON_KEYS, PROFILE_KEYS, REFERENCE_KEYS
from mgcalc import MgcalcError, Profile, compound, dose, load_forms
from mgcalc.dose import SCHEMA_VERSION, Plan
from mgcalc.references import AUTHORITIES


def mg_from_formula(compound_mg: float, formula: str) -> float:
    """Elemental Mg straight from the chemistry, for comparison (molmass, not our table)."""
    return compound_mg * Formula(formula).composition()["Mg"].fraction


def test_500_mg_citrate_gives_about_80_8_mg():
    result = dose("500mg", "citrate")
    assert result.elemental_mg == pytest.approx(80.8, abs=0.05)
    assert result.elemental_mg == pytest.approx(mg_from_formula(500, "Mg3(C6H5O7)2"), rel=1e-3)
    [component] = result.components
    assert component.form.id == "trimagnesium-dicitrate-anhydrous" and component.compound_mg == 500


def test_hydration_state_changes_the_answer_by_a_third_or_more():
    anhydrous = dose("1 g", "chloride anhydrous").elemental_mg
    hexahydrate = dose("1 g", "chloride hexahydrate").elemental_mg
    assert anhydrous == pytest.approx(mg_from_formula(1000, "MgCl2"), rel=1e-3)
    assert hexahydrate == pytest.approx(mg_from_formula(1000, "MgCl2.6H2O"), rel=1e-3)
    assert hexahydrate / anhydrous < 0.5


def test_mmol_and_meq_follow_from_the_atomic_weight():
    result = dose("400mg", "oxide")
    assert result.mmol == pytest.approx(result.elemental_mg / ELEMENTS["Mg"].mass, rel=1e-5)
    assert result.meq == pytest.approx(2 * result.mmol)


def test_a_blend_is_the_sum_of_its_parts():
    blend = dose("250mg", "oxide", "500mg", "citrate")
    parts = dose("250mg", "oxide").elemental_mg + dose("500mg", "citrate").elemental_mg
    assert blend.elemental_mg == pytest.approx(parts)
    assert [c.form.id for c in blend.components] == ["oxide", "trimagnesium-dicitrate-anhydrous"]


def test_per_day_multiplies_every_amount():
    once, thrice = dose("250mg", "oxide", per_day=1), dose("250mg", "oxide", per_day=3)
    assert thrice.elemental_mg == pytest.approx(3 * once.elemental_mg)
    assert thrice.components[0].compound_mg == 750


def test_food_counts_toward_the_rda_but_never_the_upper_level():
    profile = Profile(age=40, sex="female")
    without = dose("500mg", "citrate", profile=profile)
    with_food = dose("500mg", "citrate", profile=profile, food="200 mg")
    assert with_food.percent_rda == pytest.approx(100 * (without.elemental_mg + 200) / 320)
    assert with_food.percent_ul == without.percent_ul
    assert with_food.over_ul is without.over_ul is False
    assert with_food.elemental_mg == without.elemental_mg


def test_over_the_adult_upper_level_is_flagged_first():
    result = dose("700mg", "oxide")
    assert result.over_ul is True and result.exceeds_limit
    assert result.percent_ul == pytest.approx(100 * result.elemental_mg / 350)
    assert result.warnings[0].startswith("OVER THE UPPER LEVEL")


def test_under_the_upper_level_is_not_flagged():
    result = dose("500mg", "oxide")  # about 301.5 mg
    assert result.over_ul is False and not result.exceeds_limit
    assert not any("UPPER LEVEL" in w for w in result.warnings)


@pytest.mark.parametrize(("age", "ul"), [(2, 65), (6, 110), (12, 350)])
def test_children_have_lower_upper_levels(age, ul):
    result = dose("250mg", "citrate", profile=Profile(age=age))  # about 40 mg
    assert result.upper.mg == ul
    small_child_over = dose("250mg", "oxide", profile=Profile(age=age)).over_ul  # about 151 mg
    assert small_child_over is (151 > ul)


def test_infants_have_no_upper_level_and_a_supervision_warning():
    result = dose("100mg", "citrate", profile=Profile(age=0.75))
    assert result.upper.mg is None and result.percent_ul is None and result.over_ul is None
    assert result.exceeds_limit
    assert any("medical supervision" in w for w in result.warnings)
    assert result.intake.mg == 75 and result.intake.measure == "AI"


def test_json_contract_has_exactly_the_documented_keys():
    data = dose("500mg", "citrate", profile=Profile(age=30, sex="male")).as_dict()
    assert set(data) == JSON_KEYS
    assert set(data["components"][0]) == COMPONENT_KEYS
    assert set(data["profile"]) == PROFILE_KEYS
    assert set(data["reference"]) == REFERENCE_KEYS
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["rda_mg"] == 400 and data["ul_mg"] == 350


def test_bare_name_warning_names_the_other_hydration_states():
    [note] = dose("1g", "sulfate").warnings
    assert "magnesium sulfate heptahydrate" in note and "monohydrate" in note and "anhydrous" in note


def test_stearate_is_refused_as_a_magnesium_source():
    with pytest.raises(MgcalcError, match=r"not a magnesium source.*lubricant"):
        dose("500mg", "magnesium stearate")


def test_numbers_are_milligrams_in_the_python_api():
    assert dose(500, "citrate").elemental_mg == dose("500 mg", "citrate").elemental_mg


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("500mg", "citrate", "250mg"), {}, "pairs"),
        (("500mg", "citrate"), {"per_day": 0}, "per day"),
        (("500mg", "citrate"), {"per_day": 2.5}, "per day"),
        (("500mg", "citrate"), {"food": "lots"}, "food"),
        ((-5, "citrate"), {}, "negative"),
    ],
)
def test_bad_calls_raise_mgcalc_error(args, kwargs, message):
    with pytest.raises(MgcalcError, match=message):
        dose(*args, **kwargs)


# --- authorities (references.md) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("authority", "profile", "intake_mg", "upper_mg", "upper_kind"),
    [
        ("us", Profile(age=40, sex="female"), 320, 350, "UL"),
        ("eu", Profile(age=40, sex="female"), 300, 250, "UL"),
        ("eu", Profile(age=40, sex="male"), 350, 250, "UL"),
        ("eu", Profile(age=30, sex="female", pregnant=True), 300, 250, "UL"),
        ("eu", Profile(age=2), 170, None, "UL"),
        ("eu", Profile(age=5), 230, 250, "UL"),
        ("eu", Profile(age=12, sex="female"), 250, 250, "UL"),
        ("uk", Profile(age=40, sex="male"), 300, 400, "GL"),
        ("uk", Profile(age=40, sex="female"), 270, 400, "GL"),
        ("au", Profile(age=25, sex="male"), 400, 350, "UL"),
        ("au", Profile(age=60, sex="female"), 320, 350, "UL"),
        ("ca", Profile(age=40, sex="male"), 420, 500, "MAX"),
        ("ca", Profile(age=16, sex="female"), 360, 350, "UL"),
    ],
)
def test_each_authority_gives_its_own_values(authority, profile, intake_mg, upper_mg, upper_kind):
    result = dose("100mg", "citrate", profile=profile, authority=authority)
    assert result.intake.mg == intake_mg
    assert result.upper.mg == upper_mg
    reference = result.as_dict()["reference"]
    assert reference["authority"] == authority and reference["upper_kind"] == upper_kind
    assert reference["intake_source"] and reference["upper_source"]


def test_eu_adult_upper_level_is_250_mg():
    result = dose("450mg", "oxide", authority="eu")  # about 271 mg
    assert result.upper.mg == 250 and result.over_ul is True
    assert "250 mg/day tolerable upper intake level (EU" in result.warnings[0]


def test_uk_guidance_level_is_400_mg():
    assert dose("600mg", "oxide", authority="uk").over_ul is False  # about 362 mg
    assert dose("700mg", "oxide", authority="uk").over_ul is True  # about 422 mg


def test_canada_flags_adult_products_above_350_mg():
    result = dose("650mg", "oxide", authority="ca")  # about 392 mg
    assert result.over_ul is False
    assert any("specific claim" in w for w in result.warnings)


def test_uk_values_are_held_for_adults_only():
    result = dose("100mg", "citrate", profile=Profile(age=10), authority="uk")
    assert result.upper.mg is None and result.intake.mg is None and result.over_ul is None
    assert any("holds no UK upper level" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("profile", "dv"),
    [
        # 21 CFR 101.9(c)(8)(iv), as ../shared/references.md gives it.
        (Profile(), 420), (Profile(age=4), 420), (Profile(age=70, sex="male"), 420),
        (Profile(sex="female", pregnant=True), 400), (Profile(age=30, sex="female", lactating=True), 400),
        (Profile(age=16, sex="female", pregnant=True), 400),
        (Profile(age=1), 80), (Profile(age=3.9), 80), (Profile(age=0.6), 75), (Profile(age=0.9), 75),
    ],
)
def test_percent_dv_uses_the_daily_value_of_the_audience(profile, dv):
    result = dose("500mg", "oxide", profile=profile)
    assert result.dv_mg == dv
    assert result.percent_dv == pytest.approx(100 * 301.5 / dv, rel=1e-3)


def test_unknown_authority_is_refused():
    with pytest.raises(MgcalcError, match="unknown authority 'xx'"):
        dose("500mg", "citrate", authority="xx")


_NAMES = sorted({name for form in load_forms().forms if form.kind != "excipient"
                 for name in (form.id, form.name, *form.aliases, *([form.formula] if form.formula else []))})


_PROFILES = [Profile(), Profile(age=0.5), Profile(age=2), Profile(age=6), Profile(age=10),
             Profile(age=16, sex="female"), Profile(age=30, sex="female", pregnant=True),
             Profile(age=30, sex="female", lactating=True),
             Profile(age=70, sex="male"), Profile(age=40, sex="female")]


# Amounts around every limit in mgcalc (65, 110, 350 mg and the 350 mg Canadian claim line) as well as anywhere.
_MG = st.one_of(st.floats(min_value=0.001, max_value=1e6, allow_nan=False), st.sampled_from(
    [0.001, 1.0, 100.0, 300.0, 350.0, 400.0, 417.0, 500.0, 580.0, 581.0, 1000.0, 1390.0, 1500.0, 2500.0, 1e6]))


def _as_dose(mg: float, form: str, per_day: int, profile: Profile, authority: str) -> tuple[object, ...]:
    result = dose(mg, form, per_day=per_day, profile=profile, authority=authority)
    [component] = result.components
    return (component.compound_mg, result.elemental_mg, result.mmol, result.meq, result.percent_rda, result.percent_ul,
            result.over_ul, result.percent_dv, result.warnings)


MG = ELEMENTS["Mg"].mass


def by_molar_mass(mmol_mg: float, formula: str) -> float:
    """Compound mg for mmol_mg mmol of Mg, by hand from the formula: mmol / n(Mg) x molar mass."""
    composition = Formula(formula).composition()
    return mmol_mg / composition["Mg"].count * Formula(formula).mass


@settings(max_examples=400, deadline=None)
@given(form=st.sampled_from(_NAMES), amounts=st.lists(_MG, min_size=1, max_size=6),
       per_day=st.integers(min_value=1, max_value=24), profile=st.sampled_from(_PROFILES),
       authority=st.sampled_from(sorted(AUTHORITIES)))
def test_a_plan_gives_what_dose_gives(form, amounts, per_day, profile, authority):
    """Several amounts through one plan: warnings it keeps from one amount must still be right for the next."""
    try:
        plan = Plan(form, per_day, profile, authority)
    except MgcalcError:
        with pytest.raises(MgcalcError):
            Plan(form, per_day, profile, authority)
        return
    for mg in amounts:
        assert tuple(plan.daily(mg)) == _as_dose(mg, form, per_day, profile, authority)


def test_a_plan_warns_over_the_upper_level_after_a_quiet_amount():
    plan = Plan("oxide")
    assert not any("UPPER LEVEL" in w for w in plan.daily(100).warnings)
    over = plan.daily(1000).warnings
    assert over[0].startswith("OVER THE UPPER LEVEL: 603 mg/day")
    assert plan.daily(580).warnings == plan.daily(100).warnings  # 349.7 mg: under the 350 mg UL


def test_a_plan_refuses_what_it_cannot_compute_as_dose_would():
    with pytest.raises(MgcalcError, match="citrat"):
        Plan("citrat")
    with pytest.raises(MgcalcError, match="liquid"):
        Plan("milk of magnesia")
    with pytest.raises(MgcalcError, match="per day"):
        Plan("oxide", per_day=0)
    with pytest.raises(MgcalcError, match="zero"):
        Plan("oxide").daily(0)


@pytest.mark.parametrize(
    ("target", "form", "formula", "mmol"),
    [
        ("4 mmol", "glycerophosphate", "MgC3H7O6P", 4),
        ("8 mEq", "glycerophosphate", "MgC3H7O6P", 4),
        ("400mg", "oxide", "MgO", 400 / MG),
        ("0.2 g", "citrate", "Mg3(C6H5O7)2", 200 / MG),
        ("10 mmol", "sulfate", "MgSO4.7H2O", 10),
    ],
)
def test_compound_matches_a_hand_calculation_from_the_formula(target, form, formula, mmol):
    result = compound(target, form)
    # the table's percentages have two decimals: agreement to 0.05 % of the hand figure
    assert result.compound_mg == pytest.approx(by_molar_mass(mmol, formula), rel=5e-4)
    assert result.mmol == pytest.approx(mmol, rel=1e-4) and result.meq == pytest.approx(2 * result.mmol)


def test_compound_undoes_dose():
    from mgcalc import dose

    needed = compound("250 mg", "lactate").compound_mg
    assert dose(needed, "lactate").elemental_mg == pytest.approx(250)
