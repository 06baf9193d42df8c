"""Each dose judged by its own rules: route and use decide the comparisons (mgcalc.route, limits.csv)."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cli_helpers import assert_one_line_error, run
from contract import JSON_KEYS, LABEL_LIMIT_KEYS
from mgcalc.dose import dose
from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.limits import COLUMNS, load_limits, parse_limits
from mgcalc.preparations import load_preparations
from mgcalc.references import Profile
from mgcalc.route import ROUTES, USES, comparisons

REPO = Path(__file__).resolve().parents[1]


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


# --- the limits table ----------------------------------------------------------------------------

def test_every_limit_names_its_source_grade_and_a_known_preparation_or_form():
    ids = {row.id for row in load_preparations()}
    for limit in load_limits():
        assert limit.source and limit.quote and limit.grade in ("P", "S")
        if not limit.applies_to.startswith("form:"):
            assert limit.applies_to in ids, limit.id


HEADER = ",".join(COLUMNS) + "\n"
GOOD = "x,milk-of-magnesia-us,oral,US,daily_volume,60,,mL,12,,adults,q,,s,P\n"


@pytest.mark.parametrize(("row", "fragment"), [
    (GOOD.replace("daily_volume", "weekly"), "kind 'weekly'"),
    (GOOD.replace(",mL,", ",mg,"), "unit 'mg' is not one of mL, fl oz"),
    (GOOD.replace(",P\n", ",A\n"), "grade 'A'"),
    (GOOD.replace(",oral,", ",nasal,"), "route 'nasal'"),
    (GOOD.replace(",60,,", ",60,70,"), "max_low must be below max"),
    (GOOD.replace(",12,,", ",12,3,"), "age_to must be above age_from"),
    (GOOD.replace(",s,P", ",,P"), "empty source"),
    (GOOD + GOOD, "duplicate id"),
])
def test_a_malformed_limits_table_names_the_line(row, fragment):
    with pytest.raises(FormsTableError, match=re.escape(fragment)):
        parse_limits(HEADER + row, "limits.csv")


def test_the_limits_table_ships_in_the_wheel_and_the_installed_package_finds_it(tmp_path):
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped["data/limits.csv"] == "mgcalc/data/limits.csv"
    code = "from mgcalc.tables import read_table; print(read_table('limits.csv', 'limits')[1])"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()).as_posix().endswith("mgcalc/data/limits.csv")
    assert Path(out.stdout.strip()).is_file()


def test_compound_for_an_injection_does_not_warn_about_the_upper_level(runner):
    injection = run(runner, "compound", "16mmol", "magnesium sulfate 50% injection")
    assert injection.exit_code == 0 and "Take 7.89 mL" in injection.stdout
    assert "upper intake level" not in injection.stdout
    by_mouth = run(runner, "compound", "16mmol", "sulfate")  # Epsom salt by mouth: the UL applies
    assert "above the 350 mg/day tolerable upper intake level" in by_mouth.stdout
