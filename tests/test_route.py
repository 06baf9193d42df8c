"""Each dose judged by its own rules: route and use decide the comparisons (mgcalc.route, limits.csv)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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
