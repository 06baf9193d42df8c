"""A Plan (one compound's dose worked out once per form, for many amounts: batch uses it) gives
exactly what ``dose`` gives, warnings included, for any amount, form, per-day count and profile."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mgcalc import MgcalcError, Profile, dose, load_forms
from mgcalc.dose import Plan
from mgcalc.references import AUTHORITIES

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
