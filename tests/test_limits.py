"""The limits product labels and SmPCs state (data/limits.csv, mgcalc.limits): sources, load-time checks
and the table in the wheel."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mgcalc.errors import FormsTableError
from mgcalc.limits import COLUMNS, load_limits, parse_limits
from mgcalc.preparations import load_preparations

REPO = Path(__file__).resolve().parents[1]


HEADER = ",".join(COLUMNS) + "\n"


GOOD = "x,milk-of-magnesia-us,oral,US,daily_volume,60,,mL,12,,adults,q,,s,P\n"


def test_every_limit_names_its_source_grade_and_a_known_preparation_or_form():
    ids = {row.id for row in load_preparations()}
    for limit in load_limits():
        assert limit.source and limit.quote and limit.grade in ("P", "S")
        if not limit.applies_to.startswith("form:"):
            assert limit.applies_to in ids, limit.id


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
