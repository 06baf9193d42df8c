"""mgcalc dose through the command line: the screen, --json, -q, profiles, --fail-over-ul, liquids,
products, routes, --with drugs, colour and the terminal table."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import assert_one_line_error, run
from contract import (
    COMPONENT_KEYS,
    INTERACTION_KEYS,
    JSON_KEYS,
    LABEL_LIMIT_KEYS,
    PROFILE_KEYS,
    REFERENCE_KEYS,
)
from mgcalc import cli, dose, load_forms
from mgcalc.cli import app
from mgcalc.units import parse_amount
from oracles import DEFAULT, FL_OZ_ML, MG_PER_MMOL, mg_fraction

ANSI_COLOR = re.compile(r"\x1b\[(?:3\d|9\d|38;)")


def test_dose_prints_form_dose_references_warnings_and_disclaimer(runner):
    result = run(runner, "dose", "500mg", "citrate")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "trimagnesium dicitrate, anhydrous" in out and "Mg3(C6H5O7)2" in out and "16.16 % Mg" in out
    assert "80.8 mg/day (3.33 mmol, 6.65 mEq)" in out  # 500 mg x 16.1633 % = 80.82 mg
    assert "RDA female 19+ y: 310-320 mg/day" in out and "RDA male 19+ y: 400-420 mg/day" in out
    assert "350 mg/day; this dose is 23 %" in out
    assert "other forms of citrate" in out
    assert out.count("not medical advice") == 1 and "kidney" in out
    assert result.stderr == ""


def test_dose_accepts_the_amount_and_unit_as_two_words(runner):
    result = run(runner, "dose", "500", "mg", "citrate", "-q")
    assert (result.exit_code, result.stdout) == (0, "80.82\n")


def test_dose_json_is_one_object_with_the_contracted_keys(runner):
    result = run(runner, "dose", "500mg", "citrate", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert set(data["components"][0]) == COMPONENT_KEYS and set(data["profile"]) == PROFILE_KEYS
    assert set(data["reference"]) == REFERENCE_KEYS
    assert data["elemental_mg"] == pytest.approx(80.8165, rel=1e-4)
    assert data["rda_mg"] is None and data["ul_mg"] == 350 and data["over_ul"] is False
    assert result.stderr == ""


def test_dose_json_amounts_are_per_day_totals(runner):
    data = json.loads(run(runner, "dose", "250mg", "oxide", "500mg", "citrate", "--per-day", "2", "--json").stdout)
    assert [c["compound_mg"] for c in data["components"]] == [500, 1000]
    assert data["elemental_mg"] == pytest.approx(sum(c["elemental_mg"] for c in data["components"]))
    assert data["over_ul"] is True
    assert data["warnings"][0].startswith("OVER THE UPPER LEVEL")


def test_profile_options_settle_the_rda(runner):
    data = json.loads(run(runner, "dose", "500mg", "citrate", "--age", "16", "--sex", "female", "--pregnant",
                          "--food", "150mg", "--json").stdout)
    assert data["profile"] == {"age": 16.0, "sex": "female", "pregnant": True, "lactating": False}
    assert data["rda_mg"] == 400
    assert data["percent_rda"] == pytest.approx(100 * (data["elemental_mg"] + 150) / 400)


def test_quiet_prints_one_bare_number_and_warnings_on_stderr(runner):
    result = run(runner, "dose", "700mg", "oxide", "-q")
    assert result.exit_code == 0
    assert re.fullmatch(r"\d+(\.\d+)?\n", result.stdout)
    assert float(result.stdout) == pytest.approx(700 * 0.603, rel=1e-3)
    assert "OVER THE UPPER LEVEL" in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["700mg", "oxide"], 3),
        (["500mg", "oxide"], 0),
        (["500mg", "citrate", "--age", "2"], 3),
        (["300mg", "citrate", "--age", "2"], 0),
        (["100mg", "citrate", "--age", "0.5"], 3),
    ],
)
def test_fail_over_ul_sets_exit_status_3_for_scripts(runner, args, code):
    result = run(runner, "dose", *args, "--fail-over-ul", "--json")
    assert result.exit_code == code
    assert json.loads(result.stdout)["elemental_mg"] > 0


def test_infant_output_says_no_upper_level_and_medical_supervision(runner):
    out = run(runner, "dose", "100mg", "citrate", "--age", "0.75").stdout
    assert "(US UL, 0-11 months): not established" in out and "medical supervision" in out
    assert "AI female 7-11 months" not in out and "AI 7-11 months: 75 mg/day" in out


def test_ctrl_c_exits_130(runner, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "compute_dose", interrupted)
    assert run(runner, "dose", "500mg", "citrate").exit_code == 130


def test_terminal_output_has_a_table_and_gauge(runner):
    result = run(runner, "dose", "700mg", "oxide", "--age", "30", "--sex", "male",
                 env={"FORCE_COLOR": "1", "COLUMNS": "100", "NO_COLOR": ""})
    assert result.exit_code == 0
    out = result.stdout
    assert "form understood" in out and "━" in out and "121 %" in out and "OVER THE UPPER LEVEL" in out
    assert ANSI_COLOR.search(out)


def test_no_color_is_honoured(runner):
    result = run(runner, "dose", "700mg", "oxide", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert "OVER THE UPPER LEVEL" in result.stdout
    assert not ANSI_COLOR.search(result.stdout)


def test_form_words_unquoted(runner):
    quoted = runner.invoke(app, ["dose", "500mg", "magnesium citrate", "250mg", "magnesium oxide", "--json"])
    unquoted = runner.invoke(app, ["dose", "500", "mg", "magnesium", "citrate", "250mg", "magnesium", "oxide",
                                   "--json"])
    assert unquoted.exit_code == 0, unquoted.stderr
    assert unquoted.stdout == quoted.stdout
    one = runner.invoke(app, ["dose", "500", "mg", "magnesium", "citrate", "-q"])
    assert one.stdout == "80.82\n"  # 500 mg x 16.1633 %


def test_food_is_magnesium_in_any_of_its_units(runner):
    by_mmol = dose("500mg", "citrate", food="4mmol")
    by_meq = dose("500mg", "citrate", food="8mEq")
    assert by_mmol.food_mg == pytest.approx(4 * 24.305) == by_meq.food_mg
    assert dose("500mg", "citrate", food="0mg").food_mg == 0
    result = runner.invoke(app, ["dose", "500mg", "citrate", "--food", "0mg", "-q"])
    assert (result.exit_code, result.stdout) == (0, "80.82\n")
    result = runner.invoke(app, ["dose", "500mg", "citrate", "--food", "-5mg"])
    assert result.exit_code == 1 and "negative" in result.stderr


def test_a_dose_just_over_the_limit_never_reads_as_the_limit(runner):
    result = runner.invoke(app, ["dose", "581mg", "oxide"])  # 350.36 mg
    assert "OVER THE UPPER LEVEL: 350.4 mg/day" in result.stdout
    assert "this dose is 100.1 % of it" in result.stdout
    assert "100 %" not in result.stdout
    just_over = dose(350.001 * 100 / load_forms().by_id("oxide").percent_elemental, "oxide")
    warning = next(w for w in just_over.warnings if w.startswith("OVER"))
    assert "350.001 mg/day" in warning or "350.0010 mg/day" in warning


def test_quiet_dose_keeps_the_interaction_on_stderr(runner):
    result = runner.invoke(app, ["dose", "500mg", "citrate", "--with", "Cipro", "-q"])
    assert result.stdout == "80.82\n"
    assert "interaction: ciprofloxacin: take ciprofloxacin at least 2 hours before" in result.stderr


def test_dose_with_adds_one_line_per_drug(runner):
    result = run(runner, "dose", "500mg", "citrate", "--with", "Cipro", "--with", "omeprazole", "--with", "zzz")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("interaction: ")]
    assert len(lines) == 3
    assert lines[0].startswith("interaction: ciprofloxacin: take ciprofloxacin at least 2 hours before or at "
                               "least 6 hours after the magnesium") and "2026-03-02" in lines[0]
    assert "can change magnesium levels (lowers them)" in lines[1] and "ask the prescriber" in lines[1]
    assert "2011-03-02" in lines[1] and "grade: fda" in lines[1]
    assert "does not list 'zzz'" in lines[2]
    assert result.stdout.count("not medical advice") == 1


def test_dose_json_with_lists_the_same_objects(runner):
    result = run(runner, "dose", "500mg", "citrate", "--with", "Biktarvy", "--json")
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert [set(i) for i in data["interactions"]] == [INTERACTION_KEYS]
    same = json.loads(run(runner, "interactions", "Biktarvy", "--json").stdout)["interactions"]
    assert data["interactions"] == same


def test_dose_json_without_with_has_an_empty_list(runner):
    data = json.loads(run(runner, "dose", "500mg", "citrate", "--json").stdout)
    assert data["interactions"] == []


def test_dose_drawn_output_has_the_interaction_line(runner):
    result = run(runner, "dose", "500mg", "citrate", "--with", "raltegravir",
                 env={"TTY_COMPATIBLE": "1", "COLUMNS": "250"})
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "raltegravir: the source advises against" in out and "2015-02-18" in out


def test_the_dose_screen_marks_only_an_over_warning_as_an_alarm(runner, monkeypatch):
    from mgcalc.cli import app

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    shown = runner.invoke(app, ["dose", "2000mg", "oxide"])
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown.stdout)
    marked = [line.strip(" │") for line in plain.splitlines() if line.strip(" │").startswith(("!", "•"))]
    assert any(line.startswith("! OVER THE UPPER LEVEL") for line in marked)
    assert all(line.startswith("• ") for line in marked if "OVER" not in line.split(":")[0])


def test_two_g_of_sulfate_is_197_mg_of_magnesium_as_the_heptahydrate(runner):
    for args in (["2g", "sulfate"], ["2g", "sulfate 50%"], ["4", "mL", "sulfate", "50%"]):
        result = run(runner, "dose", *args, "-q")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "197.22\n"  # 2000 mg x 9.8611 %
    assert dose("2 g", "sulfate anhydrous").elemental_mg == pytest.approx(2000 * mg_fraction("MgSO4"), rel=5e-4)


def test_a_sachet_weight_is_not_the_salt(runner):
    assert_one_line_error(run(runner, "dose", "6.5g", "magnaspartate"), "sachet's weight is not the weight")
    assert dose("1 sachet", "magnaspartate").mmol == pytest.approx(243 / MG_PER_MMOL)


def test_plain_output_shows_volume_strength_and_compound(runner):
    result = run(runner, "dose", "4", "mL", "sulfate 50%")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "4 mL of magnesium sulfate heptahydrate 50 % w/v (2,000 mg) -> 197.2 mg magnesium (8.11 mmol, 16.23 mEq)"
    )


def test_a_mass_of_a_liquid_reports_the_volume_that_holds_it(runner):
    result = run(runner, "dose", "1200mg", "milk of magnesia", "--json")
    (component,) = json.loads(result.stdout)["components"]
    assert component["volume_ml"] == pytest.approx(15)
    assert component["strength"] == "1200 mg/15 mL"


def test_json_volume_and_strength_per_component_null_for_solids(runner):
    # (a bare compound with its strength: an oral supplement, as the solid; a laxative such as milk of
    # magnesia is judged by its own rules and is not mixed with a supplement, see test_route.py)
    data = json.loads(run(runner, "dose", "15", "mL", "hydroxide 400mg/5mL", "500mg", "citrate", "--json").stdout)
    liquid, solid = data["components"]
    assert liquid["volume_ml"] == 15 and liquid["strength"] == "400 mg/5 mL"
    assert solid["volume_ml"] is None and solid["strength"] is None
    assert data["mg_per_kg"] is None and data["mmol_per_kg"] is None


def test_household_measures_are_5_15_and_29_57_ml(runner):
    for amount, ml in (("1 tsp", 5), ("1 tbsp", 15), ("2 tablespoons", 30), ("1 fl oz", FL_OZ_ML), ("0.5 L", 500)):
        assert parse_amount(amount) == (pytest.approx(ml), "volume")
    data = json.loads(run(runner, "dose", "1", "fl", "oz", "citrate", "1.745g/fl", "oz", "--json").stdout)
    assert data["components"][0]["compound_mg"] == pytest.approx(1745)


def test_dose_per_kg(runner):
    data = json.loads(run(runner, "dose", "4", "mL", "sulfate 50%", "--weight", "44lb", "--json").stdout)
    kg = 44 * DEFAULT.Quantity(1, "pound").to("kilogram").magnitude
    assert data["mg_per_kg"] == pytest.approx(data["elemental_mg"] / kg)
    assert data["mmol_per_kg"] == pytest.approx(data["mmol"] / kg)
    assert "Per kg of body weight" in run(runner, "dose", "4", "mL", "sulfate 50%", "--weight", "20").stdout


def test_a_bare_name_is_the_us_product_and_names_the_others(runner):
    us = dose("5 mL", "milk of magnesia")
    uk = dose("5 mL", "milk of magnesia", authority="uk")
    assert us.components[0].compound_mg == pytest.approx(400) and uk.components[0].compound_mg == pytest.approx(415)
    assert any("UK 415 mg/5 mL" in w for w in us.warnings)
    assert any("US 1200 mg/15 mL" in w for w in uk.warnings)
    assert not any("elsewhere" in w for w in dose("1 mL", "magnesium sulfate 50% injection").warnings)
    result = run(runner, "dose", "5", "mL", "milk", "of", "magnesia", "-q")
    assert result.stdout == "166.7\n" and "UK 415 mg/5 mL" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "15", "mL", "citrate"], "has no strength"),
        (["dose", "5", "mL", "sulfate 500mg"], "has no volume"),
        (["dose", "0", "mL", "sulfate 50%"], "is zero"),
        (["dose", "-5mL", "sulfate 50%"], "negative"),
        (["dose", "4", "mL", "sulfate 50%", "--weight", "0"], "is zero"),
        (["dose", "4", "mL", "sulfate 50%", "--weight", "-20kg"], "negative"),
        (["dose", "4", "mL", "sulfate 50%", "--weight", "20 stone"], "not a body weight unit"),
        (["dose", "4", "mL", "sulfate 150%"], "at most 100"),
        (["dose", "10", "mL", "hydroxide 8% w/w"], "density"),
        (["dose", "20", "L", "sulfate 50%"], "outside 1 µL to 10 L"),
        (["dose", "1", "oz", "citrate 1.745g/fl oz"], "fl oz"),
        (["compound", "0.2mmol/kg", "sulfate 50%"], "add the weight"),
        (["dose", "1", "sachet", "milk of magnesia"], "give a volume"),
        (["dose", "15", "mL", "magnaspartate"], "a number of sachets"),
        (["dose", "15", "mL", "concentrated milk of magnesia"], "different strengths"),
        (["dose", "15", "mL", "milk of magnsia"], "did you mean 'milk of magnesia'"),
    ],
)
def test_bad_liquid_inputs_are_one_line_errors(runner, args, fragment):
    assert_one_line_error(run(runner, *args), fragment)


@pytest.mark.parametrize(
    "args",
    [
        ["15", "mL", "chloride", "hexahydrate", "200", "mg/mL"],
        ["15", "mL", "chloride hexahydrate 200 mg/mL"],
        ["15", "ML", "Magnesium", "Chloride", "Hexahydrate", "200mg/mL"],
        ["3", "x", "5", "mL", "chloride hexahydrate 200 mg/mL"],
    ],
)
def test_a_strength_unquoted_or_quoted_reads_the_same(runner, args):
    result = run(runner, "dose", *args, "--json")
    assert result.exit_code == 0, result.stderr
    (component,) = json.loads(result.stdout)["components"]
    assert component["compound_mg"] == pytest.approx(3000) and component["strength"] == "200 mg/mL"


def test_a_volume_holding_more_than_a_kilogram_is_refused(runner):
    assert_one_line_error(run(runner, "dose", "10", "L", "sulfate 50%"), "holds 5,000 g of the compound")


def test_dose_of_one_product_named_bare_is_one_unit(runner):
    result = run(runner, "dose", "Mag-Ox 400")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1 tablet of Mag-Ox 400 (US tablet) (400 mg magnesium oxide) -> 241.2 mg magnesium")
    assert "secondary source" in result.stdout  # the row's grade travels with the answer


def test_dose_of_two_tablets(runner):
    result = run(runner, "dose", "2", "tablets", "Mag-Ox", "400", "-q")
    assert result.exit_code == 0 and result.stdout == "482.43\n"


def test_dose_of_a_capsule_three_times_a_day(runner):
    result = run(runner, "dose", "1", "capsule", "Uro-Mag", "--per-day", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("3 capsules of Uro-Mag (US capsule) (420 mg magnesium oxide) -> 253.3 mg")
    assert "Taken 3 times a day" in result.stdout


def test_dose_of_a_liquid_by_volume(runner):
    result = run(runner, "dose", "10", "mL", "Magonate", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    [component] = data["components"]
    assert set(component) == COMPONENT_KEYS and component["product_id"] == "magonate-liquid"
    assert component["volume_ml"] == 10 and data["elemental_mg"] == pytest.approx(107.87, abs=0.01)


def test_a_product_with_calcium_says_so(runner):
    result = run(runner, "dose", "1", "tablet", "Slow-Mag")
    assert result.exit_code == 0 and "Slow-Mag also contains calcium 119 mg per tablet" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["2", "sachets", "Mag-Ox", "400"], "comes as tablets, not sachets; give e.g. 2 tablets Mag-Ox 400"),
        (["2", "scoops", "Neomag"], "comes as tablets, not scoops"),
        (["5", "mL", "Neomag"], "comes as tablets, not mL"),
        (["0", "tablets", "Neomag"], "give more than 0 and at most 100 tablets"),
        (["101", "tablets", "Neomag"], "at most 100"),
        (["1.5", "tablets", "Neomag"], "give a whole number of tablets (Neomag's label does not say"),
        (["1.25", "tablets", "Magonate"], "give a whole number or a half of tablets"),
        (["Magonate"], "names 2 products: Magonate tablets"),
        (["2", "tablets", "Neomagg"], "unknown product 'Neomagg'; did you mean 'Neomag'?"),
        (["2", "tablets", "citrat"], "unknown product 'citrat'; did you mean 'citrate'"),  # forms are named too
        (["Mag-Ux", "400"], "did you mean 'Mag-Ox 400'?"),
        (["2", "tablets", "oxide"], "is a compound, not a named product"),
    ],
)
def test_dose_refuses_on_one_line(runner, args, fragment):
    assert_one_line_error(run(runner, "dose", *args), fragment)


def test_a_product_in_a_blend_is_refused_saying_why(runner):
    assert_one_line_error(run(runner, "dose", "2", "tablets", "Mag-Ox", "400", "500mg", "citrate"),
                          "'Mag-Ox 400' is a product and '500mg citrate' follows it")


def test_an_injection_is_not_compared_with_the_rda_or_the_upper_level(runner):
    result = run(runner, "dose", "8mL", "magnesium sulfate 50% injection")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "RDA male" not in out and "OVER THE UPPER LEVEL" not in out and "%DV" not in out
    assert "Route and use: intravenous (iv), electrolyte replacement" in out
    assert "RDA and upper level: not compared" in out
    assert "Label concentration for IV use: at most 20 %" in out
    assert "Label rate: at most 150 mg/min" in out
    assert '"except in severe eclampsia with seizures"' in out
    assert "grade S" in out


def test_an_injection_as_json_has_no_rda_or_ul_and_lists_the_label_limits(runner):
    data = json.loads(run(runner, "dose", "8mL", "magnesium sulfate 50% injection", "--json").stdout)
    assert set(data) == JSON_KEYS
    assert data["route"] == "iv" and data["use"] == "electrolyte"
    for key in ("rda_mg", "ul_mg", "percent_rda", "percent_ul", "over_ul", "percent_dv", "dv_mg"):
        assert data[key] is None, key
    assert {limit["id"] for limit in data["label_limits"]} == {"sulfate-us-iv-concentration", "sulfate-us-iv-rate"}
    for limit in data["label_limits"]:
        assert set(limit) == LABEL_LIMIT_KEYS
        assert limit["value"] is None and limit["over"] is None  # needs a volume and a duration


def test_a_laxative_names_its_labels_maximum_and_shows_the_ul_for_what_it_is(runner):
    result = run(runner, "dose", "30mL", "milk of magnesia")
    assert result.exit_code == 0
    out = result.stdout
    assert "OVER THE UPPER LEVEL" not in out and "RDA " not in out
    assert "Label maximum daily dose (adults and children 12 years and older): at most 60 mL; this is 30 mL: within" \
        in out
    assert "DailyMed setid 0a57bb45-d4f7-443b-e054-00144ff8d46c" in out
    assert re.search(r"Upper level for supplements \(US UL, 9\+ y\): 350 mg/day, shown for what it is: .*diarrhoea "
                     r"begins \(the effect a laxative is taken for\); this dose is 286 % of it", out)


def test_a_laxative_over_its_labels_maximum_for_the_age_fails_the_check(runner):
    result = run(runner, "dose", "45mL", "milk of magnesia", "--age", "8", "--fail-over-ul")
    assert result.exit_code == 3
    assert "at most 30 mL; this is 45 mL: OVER" in result.stdout
    assert "warning: OVER THE LABEL'S LIMIT: 45 mL is above the 30 mL a day its label states for children 6 to 11" \
        in result.stdout
    within = run(runner, "dose", "45mL", "milk of magnesia", "--fail-over-ul")  # an adult: up to 60 mL
    assert within.exit_code == 0


def test_a_label_that_says_ask_a_doctor_is_quoted_and_never_turned_into_a_limit(runner):
    result = run(runner, "dose", "1 fl oz", "citrate of magnesia", "--age", "1", "--fail-over-ul")
    assert result.exit_code == 0
    assert "none given; the label says: children under 2 years of age: ask a doctor" in result.stdout


def test_route_iv_for_a_bare_form_gives_the_countrys_parenteral_limits(runner):
    result = run(runner, "dose", "4g", "sulfate", "--route", "iv")
    assert result.exit_code == 0
    assert "RDA and upper level: not compared" in result.stdout and "at most 150 mg/min" in result.stdout
    none_held = run(runner, "dose", "4g", "sulfate", "--route", "iv", "--authority", "eu")
    assert "mgcalc holds no parenteral limits" in none_held.stdout


def test_a_route_that_contradicts_a_preparations_row_is_refused(runner):
    assert_one_line_error(run(runner, "dose", "30mL", "milk of magnesia", "--route", "iv"),
                          "is given by mouth (oral) by its label; --route iv does not apply")


def test_a_dose_mixing_a_laxative_and_a_supplement_is_refused(runner):
    assert_one_line_error(run(runner, "dose", "30mL", "milk of magnesia", "500mg", "citrate"),
                          "each is judged by its own rules")


def test_an_unknown_route_is_a_usage_error(runner):
    result = run(runner, "dose", "4g", "sulfate", "--route", "nasal")
    assert result.exit_code == 2 and result.stdout == "" and "--route" in result.stderr
