"""mgcalc infusion through the command line: an IV order against its label's limits, exit 3, --json."""

import json

import pytest

from cli_helpers import assert_one_line_error, run
from contract import INFUSION_KEYS, LABEL_LIMIT_KEYS


def test_the_issues_first_example_is_within_every_limit(runner):
    result = run(runner, "infusion", "4g", "magnesium sulfate", "--in", "100mL", "--over", "30min")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Order: 4,000 mg (4 g) of magnesium sulfate heptahydrate (MgSO4.7H2O)" in out
    assert "Magnesium: 394.4 mg = 16.23 mmol = 32.46 mEq" in out
    assert "Concentration: 4.00 % w/v = 40 mg/mL of the salt = 0.162 mmol/mL (0.325 mEq/mL)" in out
    assert "Over 30 min: 133.33 mg of the salt a minute = 32.46 mmol/h = 200 mL/h" in out
    assert "Label concentration for IV use: at most 20 %; this is 4 %: within" in out
    assert "Label rate: at most 150 mg/min; this is 133.33 mg/min: within" in out
    assert '"except in severe eclampsia with seizures"' in out
    assert "Verdict: within every limit the label states" in out


def test_a_preparation_by_volume_counts_its_own_volume_and_an_over_rate_order_exits_3(runner):
    result = run(runner, "infusion", "8mL", "magnesium sulfate 50% injection", "--in", "100mL", "--over", "20min",
                 "--weight", "70kg")
    assert result.exit_code == 3
    out = result.stdout
    assert "Infused in: 108 mL (8 mL of the injection + 100 mL)" in out
    assert "Concentration: 3.70 % w/v = 37.04 mg/mL of the salt = 0.150 mmol/mL (0.301 mEq/mL)" in out
    assert "Over 20 min: 200 mg of the salt a minute" in out and "324 mL/h" in out
    assert "Per kg (70 kg): 57.1 mg/kg of the salt, 5.6 mg/kg magnesium, 0.232 mmol/kg" in out
    assert "Label rate: at most 150 mg/min; this is 200 mg/min: OVER" in out
    assert "Verdict: OVER a limit: rate (200 mg/min, above 150 mg/min)" in out


def test_the_50_percent_injection_undiluted_is_over_the_iv_concentration(runner):
    result = run(runner, "infusion", "8mL", "magnesium sulfate 50% injection", "--over", "30min")
    assert result.exit_code == 3
    assert "Label concentration for IV use: at most 20 %; this is 50 %: OVER" in result.stdout


def test_the_one_percent_bag_keeps_three_significant_digits(runner):
    out = run(runner, "infusion", "100mL", "magnesium sulfate in 5% dextrose 1 g/100 mL", "--over", "1h").stdout
    assert "Concentration: 1.00 % w/v = 10 mg/mL of the salt = 0.0406 mmol/mL (0.0811 mEq/mL)" in out
    dose = run(runner, "dose", "1mL", "magnesium sulfate in 5% dextrose 1 g/100 mL").stdout
    assert "(0.0406 mmol, 0.0811 mEq)" in dose


def test_a_tenfold_order_gets_its_own_line_and_exits_3(runner):
    result = run(runner, "infusion", "60g", "magnesium sulfate", "--in", "1000mL", "--over", "24h")
    assert result.exit_code == 3
    assert "TENFOLD: 60 g is 10 times the largest usual single dose the label names, 6 g" in result.stdout
    assert "ten times the usual dose" in result.stdout


def test_an_ismp_mEq_for_mL_error_in_a_24_hour_total_exits_3(runner):
    """16 g given where 16 mEq (about 2 g) was meant, three times a day: over the 30-40 g the bag's label allows."""
    result = run(runner, "infusion", "1600mL", "magnesium sulfate in 5% dextrose 1 g/100 mL", "--over", "4h",
                 "--per-day", "3")
    assert result.exit_code == 3
    assert "Label total in 24 hours: at most 30-40 g; this is 48 g: OVER" in result.stdout


def test_uk_limits_for_the_20_percent_product(runner):
    result = run(runner, "infusion", "10mL", "magnesium sulfate 20% injection", "--over", "30min", "--authority",
                 "uk")
    assert result.exit_code == 3  # 2 g in 30 min is 4 g an hour; the SmPC's hypomagnesaemia maximum is 2 g an hour
    assert "Label rate: at most 2 g/h; this is 4 g/h: OVER" in result.stdout
    assert "Higher infusion rates may be given in the management of emergencies" in result.stdout
    assert "medicines.org.uk/emc/product/15329" in result.stdout


def test_json_keys_are_pinned(runner):
    result = run(runner, "infusion", "4g", "magnesium sulfate", "--in", "100mL", "--over", "30min", "--json")
    data = json.loads(result.stdout)
    assert set(data) == INFUSION_KEYS
    for limit in data["limits"]:
        assert set(limit) == LABEL_LIMIT_KEYS
    assert data["over"] is False and data["tenfold"] is False and data["rate_ml_per_h"] == pytest.approx(200)
    assert data["usual_dose"]["times"] == pytest.approx(4 / 6)


@pytest.mark.parametrize(("args", "fragment"), [
    (("30mL", "milk of magnesia", "--in", "100mL"), "is taken by mouth, not infused"),
    (("4g", "oxide", "--in", "100mL"), "mgcalc knows no injection of magnesium oxide"),
    (("4g", "magnesium sulfate"), "give the volume"),
    (("4g", "magnesium sulfate", "--in", "0mL"), "is zero"),
    (("4g", "magnesium sulfate", "--in", "-100mL"), "is negative"),
    (("4g", "magnesium sulfate", "--in", "6L"), "over 5 L"),
    (("4g", "magnesium sulfate", "--in", "100mg"), "is not a volume"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--over", "0min"), "is zero"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--over", "-5min"), "is negative"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--over", "25h"), "over 24 hours"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--over", "30"), "needs a unit of time"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--total", "2g"), "less than this one order"),
    (("4g", "magnesium sulfate", "--in", "100mL", "--total", "20g", "--per-day", "2"), "not both"),
])
def test_bad_orders_get_one_line_saying_what_would_be_right(runner, args, fragment):
    assert_one_line_error(run(runner, "infusion", *args), fragment)


def test_units_typed_as_separate_words_belong_to_their_option(runner):
    quoted = run(runner, "infusion", "4g", "magnesium sulfate", "--in", "100mL", "--over", "30min", "--json")
    spaced = run(runner, "infusion", "4", "g", "magnesium", "sulfate", "--in", "100", "mL", "--over", "30", "min",
                 "--json")
    assert spaced.exit_code == 0, spaced.stderr
    assert json.loads(spaced.stdout) == json.loads(quoted.stdout)
