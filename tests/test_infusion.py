"""mgcalc infusion: an IV order checked against the limits its label or SmPC states."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from mgcalc.errors import MgcalcError
from mgcalc.infusion import duration_minutes, infusion
from mgcalc.units import to_meq, to_mmol

SULFATE_PERCENT = 9.8613  # magnesium sulfate heptahydrate, % Mg (forms.csv; molmass checks it)


def test_a_magnesium_amount_is_turned_into_the_salt():
    order = infusion("16 mEq", "magnesium sulfate", into="50mL", over="20min")
    assert order.meq == pytest.approx(16)
    assert order.salt_mg == pytest.approx(16 * 12.1525 * 100 / SULFATE_PERCENT, rel=1e-4)


def test_the_figures_agree_with_each_other():
    order = infusion("2g", "magnesium sulfate", into="50mL", over="15min", weight="20kg")
    assert order.percent_w_v == pytest.approx(4.0)
    assert order.mmol == pytest.approx(to_mmol(2000 * SULFATE_PERCENT / 100), rel=1e-4)
    assert order.meq_per_ml == pytest.approx(to_meq(order.elemental_mg) / 50)
    assert order.rate_ml_per_h == pytest.approx(200) and order.rate_mg_per_min == pytest.approx(2000 / 15)
    assert order.per_kg(order.salt_mg) == pytest.approx(100)


def test_durations_in_minutes_and_hours():
    assert duration_minutes("30min") == 30 and duration_minutes("1.5 h") == 90 and duration_minutes("2 hours") == 120
    with pytest.raises(MgcalcError):
        duration_minutes("1e999 h")


@given(grams=st.floats(min_value=0.1, max_value=40), ml=st.floats(min_value=1, max_value=4000),
       minutes=st.floats(min_value=1, max_value=1440))
def test_concentration_and_rate_give_back_the_dose(grams, ml, minutes):
    order = infusion(f"{grams!r} g", "magnesium sulfate", into=f"{ml!r} mL", over=f"{minutes!r} min")
    assert order.mg_per_ml * order.volume_ml == pytest.approx(order.salt_mg)
    assert (order.rate_mg_per_min or 0) * minutes == pytest.approx(order.salt_mg)
    assert (order.rate_ml_per_h or 0) * minutes / 60 == pytest.approx(order.volume_ml)
    assert order.meq == pytest.approx(2 * order.mmol)


@given(text=st.text(max_size=80))
def test_a_duration_is_read_or_refused_with_an_mgcalc_error(text):
    try:
        minutes = duration_minutes(text)
    except MgcalcError:
        return
    assert 0 < minutes <= 24 * 60
