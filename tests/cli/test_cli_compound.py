"""mgcalc compound through the command line: targets in any unit, products, liquids, per-kg targets,
--json and -q."""

from __future__ import annotations

import json

import pytest

from cli_helpers import assert_one_line_error, run
from contract import COMPOUND_KEYS, PRODUCT_COUNT_KEYS
from mgcalc import compound
from mgcalc.cli import app
from oracles import MG_PER_MMOL, mg_fraction


def test_compound_json_and_quiet(runner):
    result = runner.invoke(app, ["compound", "4mmol", "glycerophosphate", "--json"])
    data = json.loads(result.stdout)
    assert set(data) == COMPOUND_KEYS and data["form_id"] == "glycerophosphate"
    assert data["target_mg"] == pytest.approx(4 * 24.305)
    quiet = runner.invoke(app, ["compound", "400", "mg", "oxide", "-q"])
    assert quiet.exit_code == 0 and float(quiet.stdout) == pytest.approx(663.31, abs=0.01)  # 400 / 0.603037


@pytest.mark.parametrize(("args", "code"), [(["200mg"], 2), (["200mg", "stearate"], 1), (["0 mmol", "oxide"], 1),
                                            (["4 mmol", "nothing"], 1)])
def test_compound_bad_input(runner, args, code):
    result = runner.invoke(app, ["compound", *args])
    assert result.exit_code == code and result.stdout == ""


def test_a_weight_unit_typed_apart_is_the_weights_not_kilograms_by_default(runner):
    for weight in (["--weight", "44", "lb"], ["--weight=44", "lb"]):
        pounds = runner.invoke(app, ["compound", "0.2mmol/kg", "oxide", *weight, "--json"])
        assert json.loads(pounds.stdout)["weight_kg"] == pytest.approx(44 * 0.45359237)
    unsure = runner.invoke(app, ["compound", "0.2", "mmol", "/", "kg", "oxide"])
    assert unsure.exit_code == 1
    assert "is per kg of body weight; add the weight" in unsure.stderr


def test_ten_mmol_from_50_percent_sulfate_is_4_93_ml_not_5(runner):
    result = run(runner, "compound", "10mmol", "sulfate 50%", "-q")
    assert result.exit_code == 0
    assert result.stdout == "4.93\n"
    assert compound("10 mmol", "sulfate 50%").volume_ml == pytest.approx(
        10 * MG_PER_MMOL / mg_fraction("MgSO4.7H2O") / 500, rel=5e-4
    )


def test_compound_json_gains_the_volume_for_a_liquid(runner):
    data = json.loads(run(runner, "compound", "4mmol", "glycerophosphate 1mmol/mL", "--json").stdout)
    assert data["volume_ml"] == pytest.approx(4) and data["strength"] == "1 mmol/mL"
    solid = json.loads(run(runner, "compound", "4mmol", "glycerophosphate", "--json").stdout)
    assert solid["volume_ml"] is None and solid["strength"] is None


@pytest.mark.parametrize("target", ["0.2mmol/kg", "0.4mEq/kg", "4.861mg/kg".replace("1mg", "10mg")])
def test_compound_targets_per_kg(runner, target):
    result = compound(target, "sulfate 50%", weight="20kg")
    assert result.mmol == pytest.approx(4, rel=1e-3)
    assert result.weight_kg == 20
    out = run(runner, "compound", target, "sulfate 50%", "--weight", "20kg")
    assert out.exit_code == 0 and "for 20 kg" in out.stdout


def test_compound_counts_units_of_a_product_and_the_nearest_whole_count(runner):
    result = run(runner, "compound", "40mEq", "Mag-Ox", "400")
    assert result.exit_code == 0, result.stderr
    assert "Take 2.02 tablets of Mag-Ox 400 (US tablet)" in result.stdout
    assert "Nearest whole count: 2 tablets = 482.4 mg magnesium (19.85 mmol, 39.70 mEq), 99.2 % of the target" \
        in result.stdout
    quiet = run(runner, "compound", "40mEq", "Mag-Ox 400", "-q")
    assert quiet.stdout == "2.02\n"


def test_compound_for_neomag_is_six_tablets(runner):
    result = run(runner, "compound", "24mmol", "Neomag")
    assert result.exit_code == 0 and "Take 6 tablets of Neomag" in result.stdout
    assert "Nearest whole count: 6 tablets = 583.3 mg" in result.stdout


@pytest.mark.parametrize(
    ("args", "units"),
    [
        (["40mEq", "oxide", "--per-unit", "400mg"], "2.02"),
        (["24mmol", "glycerophosphate", "--per-unit", "4 mmol Mg"], "6"),
        (["40mEq", "oxide", "--per-unit", "20 mEq"], "2"),
        (["40mEq", "oxide", "--per-unit", "240 mg magnesium"], "2.03"),
    ],
)
def test_compound_per_unit_takes_the_salt_weight_or_the_magnesium(runner, args, units):
    result = run(runner, "compound", *args, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{units}\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["40mEq", "oxide", "--per-unit", "4mL"], "give the salt's weight (400mg) or the magnesium"),
        (["40mEq", "oxide", "--per-unit", "400Mg"], "'Mg' is ambiguous"),
        (["40mEq", "Magonate"], "names 2 products"),
        (["40mEq", "Neomagg"], "did you mean 'Neomag'?"),
        (["0mEq", "Neomag"], "target"),
    ],
)
def test_compound_refuses_on_one_line(runner, args, fragment):
    assert_one_line_error(run(runner, "compound", *args), fragment)


def test_compound_product_json_keys_are_pinned(runner):
    data = json.loads(run(runner, "compound", "40mEq", "Mag-Ox 400", "--json").stdout)
    assert set(data) == PRODUCT_COUNT_KEYS
    assert data["product_id"] == "mag-ox-400" and data["unit"] == "tablet" and data["whole_count"] == 2
    assert data["units"] == pytest.approx(2.0152, abs=1e-4) and data["grade"] == "S"
    salt = json.loads(run(runner, "compound", "40mEq", "oxide", "--per-unit", "400mg", "--json").stdout)
    assert set(salt) == PRODUCT_COUNT_KEYS and salt["product_id"] is None and salt["unit"] == "unit"


def test_a_target_per_kg_takes_the_body_weight(runner):
    result = run(runner, "compound", "0.2mmol/kg", "Neomag", "--weight", "20kg")
    assert result.exit_code == 0, result.stderr
    assert "Take 1 tablet of Neomag" in result.stdout
    assert_one_line_error(run(runner, "compound", "0.2mmol/kg", "Neomag"), "add the weight, e.g. --weight 20kg")


def test_a_count_for_a_target_over_the_upper_level_warns_as_compound_does(runner):
    result = run(runner, "compound", "40mEq", "oxide", "--per-unit", "400mg", "--authority", "eu")
    assert "above the 250 mg/day tolerable upper intake level (EU" in result.stdout
    assert "above the" not in run(runner, "compound", "4mmol", "Neomag").stdout


def test_compound_for_an_injection_does_not_warn_about_the_upper_level(runner):
    injection = run(runner, "compound", "16mmol", "magnesium sulfate 50% injection")
    assert injection.exit_code == 0 and "Take 7.89 mL" in injection.stdout
    assert "upper intake level" not in injection.stdout
    by_mouth = run(runner, "compound", "16mmol", "sulfate")  # Epsom salt by mouth: the UL applies
    assert "above the 350 mg/day tolerable upper intake level" in by_mouth.stdout
