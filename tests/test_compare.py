"""mgcalc compare: one amount of magnesium as every form (the library; the command
is in tests/cli/test_cli_compare.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract import COMPARE_FORM_KEYS, COMPARE_KEYS
from docs_text import REFERENCE as README
from mgcalc.compare import compare
from mgcalc.dose import compound
from mgcalc.errors import MgcalcError

# The library


def test_every_row_is_what_compound_gives_for_that_form(table):
    result = compare("300mg")
    for row in result.rows:
        assert row.compound_mg == compound(300.0, row.form).compound_mg
    assert result.target_mg == 300.0


def test_every_source_once_and_no_excipient(table):
    ids = [row.form.id for row in compare("1 g").rows]
    sources = [f.id for f in table if f.kind != "excipient"]
    assert sorted(ids) == sorted(sources) and len(ids) == len(set(ids))
    assert "stearate" not in ids


@given(st.floats(min_value=0.01, max_value=100_000, allow_nan=False))
def test_rows_come_lightest_first_and_scale_with_the_target(mg):
    rows = compare(mg).rows
    weights = [row.compound_mg for row in rows]
    assert weights == sorted(weights)
    assert all(w > mg for w in weights)  # no form is more than 100 % magnesium


def test_a_target_in_mmol_is_the_same_magnesium_as_in_mg():
    by_mmol, by_mg = compare("4 mmol"), compare(4 * 24.305)
    assert by_mmol.mmol == pytest.approx(4)
    assert [r.compound_mg for r in by_mmol.rows] == pytest.approx([r.compound_mg for r in by_mg.rows])


def test_a_range_row_gives_the_weights_its_range_implies(table):
    row = next(r for r in compare("300mg").rows if r.form.id == "carbonate-usp")
    form = row.form
    assert row.compound_mg_range == (
        compound(300.0, form._replace(percent_elemental=form.percent_max)).compound_mg,
        compound(300.0, form._replace(percent_elemental=form.percent_min)).compound_mg,
    )
    assert row.compound_mg_range[0] < row.compound_mg < row.compound_mg_range[1]
    assert all(r.compound_mg_range is None for r in compare("300mg").rows if r.form.kind != "range")


def test_a_family_holds_only_its_own_sources(table):
    rows = compare("300mg", family="Chloride").rows
    assert {r.form.id for r in rows} == {f.id for f in table if f.family == "chloride"}
    assert len(rows) >= 2


def test_per_unit_counts_units_of_that_weight():
    for row in compare("300mg", per_unit="0.5 g").rows:
        assert row.units_needed == pytest.approx(row.compound_mg / 500)
    assert all(r.units_needed is None for r in compare("300mg").rows)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"target": "0mg"}, "zero"),
        ({"target": -5.0}, "negative"),
        ({"target": "300 ml"}, "not a mass"),
        ({"target": "300mg", "family": "citrat"}, "did you mean 'citrate'"),
        ({"target": "300mg", "family": "bisglycinate"}, "did you mean 'glycinate'"),
        ({"target": "300mg", "family": "stearate"}, "no magnesium source"),
        ({"target": "300mg", "per_unit": "4 mmol"}, "not the weight of a compound"),
    ],
)
def test_bad_input_is_refused_with_what_would_be_right(kwargs, fragment):
    with pytest.raises(MgcalcError, match=re.escape(fragment)):
        compare(**kwargs)


# The command


def test_the_readme_lists_the_compare_keys():
    section = README[README.index("`mgcalc compare ... --json`"):]
    for key in COMPARE_KEYS | COMPARE_FORM_KEYS | {"per_unit_mg", "units_needed"}:
        assert key in section.split("\n\n")[0], key


# Every id whole at 80 columns (mgcalc forms cut them before issue 15)
