"""The forms table: chemistry cross-checked with molmass, naming, validation, packaging."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from molmass import Formula

from mgcalc import dose
from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.forms import COLUMNS, FORMULA_ELEMENTS, FormsTable, formula_composition, load_forms, parse_table
from oracles import percent_mg

REPO = Path(__file__).resolve().parents[1]
ROWS = list(load_forms())


@pytest.mark.parametrize("form", [f for f in ROWS if f.kind in ("stoichiometric", "excipient")], ids=lambda f: f.id)
def test_percentage_matches_molmass(form):
    """Every formula row's percentage is 100 * n(Mg) * M(Mg) / M(formula as sold), to 0.0001 points (four decimals)."""
    expected = Formula(form.formula).composition()["Mg"].fraction * 100
    assert form.percent_elemental == pytest.approx(expected, abs=0.0001)


def test_table_is_big_enough_and_has_a_source_per_row(table):
    assert len(table) >= 30
    assert all(form.source for form in table)


REQUIRED = {
    "oxide": "MgO", "hydroxide": "Mg(OH)2", "carbonate anhydrous": "MgCO3",
    "chloride anhydrous": "MgCl2", "chloride hexahydrate": "MgCl2.6H2O",
    "sulfate anhydrous": "MgSO4", "sulfate monohydrate": "MgSO4.H2O", "sulfate heptahydrate": "MgSO4.7H2O",
    "trimagnesium dicitrate": "Mg3(C6H5O7)2", "trimagnesium dicitrate nonahydrate": "Mg3(C6H5O7)2.9H2O",
    "1:1 citrate": "MgC6H6O7", "bisglycinate": "Mg(C2H4NO2)2", "bisglycinate monohydrate": "Mg(C2H4NO2)2.H2O",
    "malate": "MgC4H4O5", "lactate anhydrous": "Mg(C3H5O3)2", "lactate dihydrate": "Mg(C3H5O3)2.2H2O",
    "gluconate anhydrous": "Mg(C6H11O7)2", "gluconate dihydrate": "Mg(C6H11O7)2.2H2O",
    "aspartate": "Mg(C4H6NO4)2.2H2O", "orotate": "Mg(C5H3N2O4)2.2H2O", "taurate": "Mg(C2H6NO3S)2",
    "threonate": "Mg(C4H7O5)2", "pidolate": "Mg(C5H6NO3)2", "glycerophosphate": "MgC3H7O6P",
    "acetate anhydrous": "Mg(C2H3O2)2",
}


@pytest.mark.parametrize(("name", "formula"), REQUIRED.items())
def test_required_form_has_its_own_row(table, name, formula):
    """Each required form is found by name, and its row has exactly that composition."""
    form = table.resolve(name).form
    assert formula_composition(form.formula) == formula_composition(formula)


def test_every_row_has_a_distinct_composition(table):
    """Hydration states are separate rows: no two rows share a formula's composition."""
    compositions = [formula_composition(f.formula) for f in table if f.formula]
    assert None not in compositions
    assert len(set(compositions)) == len(compositions)


def test_bare_citrate_means_anhydrous_trimagnesium_dicitrate_and_names_the_others(table):
    found = table.resolve("citrate")
    assert found.form.id == "trimagnesium-dicitrate-anhydrous"
    assert found.form.percent_elemental == 16.1633
    others = {f.id for f in found.alternatives}
    assert {"trimagnesium-dicitrate-nonahydrate", "hydrogen-citrate"} <= others
    note = found.note()
    assert note is not None and "nonahydrate" in note and "16.16" in note


@pytest.mark.parametrize("name", ["glycinate", "bisglycinate", "Magnesium Bisglycinate"])
def test_bare_glycinate_means_anhydrous_bisglycinate(table, name):
    found = table.resolve(name)
    assert found.form.id == "bisglycinate-anhydrous"
    assert {f.id for f in found.alternatives} == {"bisglycinate-monohydrate", "bisglycinate-buffered-82-18"}


def test_a_name_that_states_the_hydration_state_gets_no_note(table):
    assert table.resolve("chloride hexahydrate").note() is None
    assert table.resolve("citrate nonahydrate").note() is None


@pytest.mark.parametrize(
    "spelling", ["citrate", "Citrate", "Magnesium Citrate", "magnesium-citrate", "  MAGNESIUM   citrate ",
                 "trimagnesium-dicitrate-anhydrous"],
)
def test_names_ignore_case_spaces_hyphens_and_leading_magnesium(table, spelling):
    assert table.resolve(spelling).form.id == "trimagnesium-dicitrate-anhydrous"


@pytest.mark.parametrize(
    ("formula", "form_id"),
    [
        ("MgSO4.7H2O", "sulfate-heptahydrate"),
        ("MgSO4·7H2O", "sulfate-heptahydrate"),
        ("MgSO4*7H2O", "sulfate-heptahydrate"),
        ("MgCl2 6H2O", "chloride-hexahydrate"),
        ("Mg(C3H5O3)2.2H2O", "lactate-dihydrate"),
        ("C6H10MgO6.2H2O", "lactate-dihydrate"),
        ("C6H14MgO8", "lactate-dihydrate"),
        ("C12H10Mg3O14", "trimagnesium-dicitrate-anhydrous"),
        ("MgO", "oxide"),
    ],
)
def test_formulas_are_matched_by_composition(table, formula, form_id):
    found = table.resolve(formula)
    assert (found.form.id, found.by) == (form_id, "formula")


@pytest.mark.parametrize("formula", ["Mg(C3H5O3)2.3H2O", "MgHPO4.3H2O", "MgHPO4·3H2O", "Mg(C6H11O7)2.3H2O"])
def test_a_formula_outside_the_table_is_computed_and_says_so(table, formula):
    found = table.resolve(formula)
    assert found.by == "computed" and found.form.family == "computed"
    expected = Formula(formula.replace("·", ".")).composition()["Mg"].fraction * 100
    assert found.form.percent_elemental == pytest.approx(expected, rel=1e-9)
    assert "computed from the formula" in (found.note() or "")


def test_unknown_name_suggests_the_closest(table):
    with pytest.raises(MgcalcError, match=r"unknown form 'citrat'; did you mean 'citrate'"):
        table.resolve("citrat")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("NaCl", "contains no magnesium"),
        ("Mg99999", "count above 999"),
        ("Mg(C3H5O3)1000", "count above 999"),
        ("", "names no compound"),
        ("magnesium", "names no compound"),
        ("x" * 200, "too long"),
    ],
)
def test_bad_form_queries_are_refused_with_a_reason(table, query, message):
    with pytest.raises(MgcalcError, match=message):
        table.resolve(query)


def test_search_filters_by_word(table):
    ids = {f.id for f in table.search("citrate")}
    assert ids == {"trimagnesium-dicitrate-anhydrous", "trimagnesium-dicitrate-nonahydrate", "hydrogen-citrate"}
    assert {f.id for f in table.search("H2O")} >= {"sulfate-heptahydrate", "lactate-dihydrate"}


# --- validation of a malformed table -------------------------------------------------------

HEADER = ",".join(COLUMNS)
GOOD = "oxide,magnesium oxide,oxide,MgO,60.30,stoichiometric,oxide,stoichiometry,,,"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("id,name\n" + GOOD, 1, "missing column"),
        (f"{HEADER}\n{GOOD}\n{GOOD}", 3, "duplicate id 'oxide'"),
        (f"{HEADER}\n{GOOD}\nother,other name,oxide,MgO2,1,stoichiometric,x,s,,,", 3, "duplicate alias 'oxide'"),
        (f"{HEADER}\n{GOOD.replace('stoichiometric', 'range')}", 2, "a range row needs percent_min"),
        (f"{HEADER}\n{GOOD.replace(',,,', ',,1,2')}", 2, "only a range row has percent_min"),
        (f"{HEADER}\n{GOOD.replace('60.30', '0')}", 2, "outside (0, 100]"),
        (f"{HEADER}\n{GOOD.replace('60.30', '100.5')}", 2, "outside (0, 100]"),
        (f"{HEADER}\n{GOOD.replace('60.30', 'sixty')}", 2, "is not a number"),
        (f"{HEADER}\n{GOOD.replace('60.30', 'nan')}", 2, "outside (0, 100]"),
        (f"{HEADER}\n{GOOD},extra", 2, "wrong number of fields"),
        (f"{HEADER}\n{GOOD.replace('stoichiometric', 'guessed')}", 2, "kind 'guessed'"),
        (f"{HEADER}\n", None, "no rows"),
    ],
)
def test_malformed_table_fails_at_load_naming_file_line_and_problem(text, line, problem):
    with pytest.raises(FormsTableError) as caught:
        parse_table(text, "forms.csv")
    message = str(caught.value)
    assert message.startswith(f"forms.csv:{line}:" if line else "forms.csv:")
    assert problem in message


def test_shipped_table_is_the_repository_table(table):
    with open(REPO / "data" / "forms.csv", encoding="utf-8") as handle:
        repo_ids = [row["id"] for row in csv.DictReader(handle)]
    assert [f.id for f in table] == repo_ids


def test_installed_package_finds_its_tables(tmp_path):
    """Run from an empty directory: the tables come from inside the installed package."""
    code = (
        "import mgcalc; from mgcalc.forms import load_forms; from mgcalc.references import load_intakes;"
        "t = load_forms(); print(len(t)); print(t.origin); print(mgcalc.__file__); print(len(load_intakes()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    count, origin, module, intakes = out.stdout.splitlines()
    assert int(count) == len(ROWS) and int(intakes) > 0
    assert Path(origin).as_posix().endswith("mgcalc/data/forms.csv")
    assert Path(origin).is_file()
    assert Path(origin).parent.parent == Path(module).parent
    assert not Path(origin).is_relative_to(REPO / "data")


def test_table_object_round_trips_to_the_csv_columns(table: FormsTable):
    row = table.by_id("oxide").as_dict()
    assert list(row) == list(COLUMNS)
    assert isinstance(row["aliases"], list) and isinstance(row["percent_elemental"], float)


# --- declared-content and range rows -----------------------------------------------------------

MG_IN_MGO = Formula("MgO").composition()["Mg"].fraction


@pytest.mark.parametrize(
    ("form_id", "mgo_low", "mgo_high_or_formula"),
    [("carbonate-usp", 40.0, 43.5), ("trisilicate-usp", 20.0, "Mg2Si3O8")],
)
def test_range_rows_follow_from_their_monograph_limits(table, form_id, mgo_low, mgo_high_or_formula):
    """USP limits are given as % MgO; the Mg range is that times Mg/MgO (or the anhydrous formula's)."""
    form = table.by_id(form_id)
    assert form.kind == "range" and form.source.startswith("USP")
    assert form.percent_min == pytest.approx(mgo_low * MG_IN_MGO, abs=0.01)
    if isinstance(mgo_high_or_formula, str):
        high = Formula(mgo_high_or_formula).composition()["Mg"].fraction * 100
    else:
        high = mgo_high_or_formula * MG_IN_MGO
    assert form.percent_max == pytest.approx(high, abs=0.01)
    assert form.percent_elemental == pytest.approx((form.percent_min + form.percent_max) / 2, abs=0.01)


def test_declared_rows_carry_the_makers_figures(table):
    magtein = table.by_id("magtein")
    assert magtein.kind == "declared" and magtein.percent_elemental == pytest.approx(100 * 144 / 2000, abs=0.01)
    buffered = table.by_id("bisglycinate-buffered-82-18")
    glycinate, oxide = table.by_id("bisglycinate-anhydrous"), table.by_id("oxide")
    blend = 0.82 * glycinate.percent_elemental + 0.18 * oxide.percent_elemental
    assert buffered.kind == "declared" and buffered.percent_elemental == pytest.approx(blend, abs=0.01)
    assert "Nested Naturals" in buffered.source and "Neuro-Mag" in magtein.source


def test_bare_carbonate_means_the_usp_substance_and_names_the_neutral_salt(table):
    found = table.resolve("magnesium carbonate")
    assert found.form.id == "carbonate-usp"
    assert [f.id for f in found.alternatives] == ["carbonate-anhydrous"]


@settings(max_examples=300)
@given(st.text(alphabet="abcdeilmnorstuxyz 1:-", max_size=24), st.sampled_from([0.6, 0.75]))
def test_close_matches_give_difflibs_answer(word, cutoff):
    """Narrowing the candidates with rapidfuzz first changes no "did you mean" suggestion."""
    import difflib

    from mgcalc.forms import close_matches, load_forms

    spellings = load_forms().spellings()
    assert close_matches(word, spellings, n=8, cutoff=cutoff) == difflib.get_close_matches(word, spellings, n=8,
                                                                                          cutoff=cutoff)


# Generated formulas: allowed elements with counts, optional hydrate water written with spaces.
_ELEMENTS = sorted(FORMULA_ELEMENTS - {"Mg"})


formula_parts = st.lists(st.tuples(st.sampled_from(_ELEMENTS), st.integers(1, 12)), min_size=1, max_size=4,
                         unique_by=lambda part: part[0])


@pytest.mark.parametrize(
    ("text", "symbol", "meant"),
    [
        ("Mg(OAc)2·4H2O", "Ac", "acetate"),
        ("Mg(OAc)2", "Ac", "acetate"),
        ("MgGly2", "Gly", "glycinate"),
        ("Mg(Gly)2", "Gly", "glycinate"),
        ("MgCit", "Cit", "citrate"),
        ("Mg(Asp)2", "Asp", "aspartate"),
        ("MgMe2", "Me", None),
        ("UMgO2", "U", None),
        ("Mg3(AsO4)2", "As", None),
    ],
)
def test_symbols_outside_the_allow_list_are_refused_by_name(text, symbol, meant):
    with pytest.raises(MgcalcError) as caught:
        load_forms().resolve(text)
    message = str(caught.value)
    assert f"'{symbol}'" in message
    if meant:
        assert f"did you mean {meant}" in message


def test_actinium_is_named_as_such():
    with pytest.raises(MgcalcError, match="'Ac' is actinium here"):
        dose("1g", "Mg(OAc)2·4H2O")


def test_a_water_count_glued_to_the_formula_is_refused():
    with pytest.raises(MgcalcError, match="separate the water of hydration with a dot"):
        load_forms().resolve("MgSO47H2O")


def test_every_formula_in_the_table_still_resolves_to_its_row(table):
    for form in table:
        if form.formula and form.kind == "stoichiometric":
            assert set(re.findall(r"[A-Z][a-z]?", form.formula)) <= FORMULA_ELEMENTS, form.id
            assert table.resolve(form.formula).form.id == form.id


@pytest.mark.parametrize("text", ["MgSO4.7H2O", "MgSO4·7H2O", "Mg(C3H5O3)2.2H2O", "C6H10MgO6.2H2O",
                                  "Mg(C3H5O3)2.3H2O", "MgHPO4.3H2O"])
def test_the_readme_formulas_still_work(text):
    assert 0 < load_forms().resolve(text).form.percent_elemental < 100


def test_an_unknown_capitalised_name_still_gets_suggestions():
    with pytest.raises(MgcalcError, match="did you mean 'citrate'"):
        load_forms().resolve("Citrat")


@given(st.integers(1, 3), formula_parts, st.integers(0, 12),
       st.sampled_from([".", "·", " . ", " · ", "*", " "]), st.sampled_from(["", " "]))
def test_any_accepted_formula_equals_an_independent_computation(n_mg, parts, water, dot, space):
    counts: dict[str, int] = {"Mg": n_mg}
    text = "Mg" + (str(n_mg) if n_mg > 1 else "")
    for symbol, n in parts:
        text += symbol + (str(n) if n > 1 else "")
        counts[symbol] = counts.get(symbol, 0) + n
    if water:
        text += f"{dot}{water}{space}H2O"
        counts["H"] = counts.get("H", 0) + 2 * water
        counts["O"] = counts.get("O", 0) + water
    try:
        found = load_forms().resolve(text)
    except MgcalcError:
        return  # a refusal is allowed (e.g. a table name that happens to match); a wrong number is not
    tolerance = 0.01 if found.by != "computed" else 1e-9  # table rows carry two decimals
    assert found.form.percent_elemental == pytest.approx(percent_mg(counts), abs=tolerance)


@given(st.sampled_from(sorted({"Ac", "Gly", "Cit", "Asp", "Me", "Et", "Ph", "U", "Fe", "Cu", "Li"})),
       st.integers(1, 4), st.sampled_from(["", ".2H2O", " 6 H2O"]))
def test_abbreviations_and_foreign_elements_are_never_computed(symbol, n, water):
    text = f"Mg({symbol}){n}{water}" if n > 1 else f"Mg{symbol}{water}"
    with pytest.raises(MgcalcError, match=f"'{symbol}'"):
        load_forms().resolve(text)


def test_a_sesquihydrate_written_in_whole_units_is_exact():
    assert dose("1g", "(MgCl2)2.3H2O").elemental_mg == pytest.approx(
        10 * percent_mg({"Mg": 2, "Cl": 4, "H": 6, "O": 3}), rel=1e-6)
