"""Issue 10: what people type is read exactly, or refused with a message that says what is right.

Every example of the issue is here with its right number or its refusal, and property tests check
that whatever is accepted equals a value computed independently of mgcalc's parsers.
"""

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from molmass import ELEMENTS

from mgcalc import MgcalcError, compound, dose, load_forms
from mgcalc.arguments import segments
from mgcalc.cli import app
from mgcalc.forms import FORMULA_ELEMENTS
from mgcalc.units import parse_magnesium, parse_mass

MG = ELEMENTS["Mg"].mass


def molar_mass(counts: dict[str, int]) -> float:
    """Molar mass from element counts with molmass's atomic weights (no formula parsing)."""
    return sum(ELEMENTS[symbol].mass * n for symbol, n in counts.items())


def percent_mg(counts: dict[str, int]) -> float:
    return 100 * counts.get("Mg", 0) * MG / molar_mass(counts)


SULFATE_7 = percent_mg({"Mg": 1, "S": 1, "O": 11, "H": 14})  # MgSO4·7H2O
CHLORIDE_6 = percent_mg({"Mg": 1, "Cl": 2, "H": 12, "O": 6})  # MgCl2·6H2O


# --- formulas ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["MgSO4·7 H2O", "MgSO4 . 7 H2O", "MgSO4 · 7H2O", "MgSO4 7 H2O", "MgSO4.7H2O"])
def test_a_space_before_the_hydrate_count_changes_nothing(text):
    # The issue: 1 g "MgSO4·7 H2O" gave 175.6 mg (the monohydrate); the heptahydrate gives 98.6 mg.
    assert dose("1g", text).elemental_mg == pytest.approx(10 * SULFATE_7, rel=1e-3)
    assert load_forms().resolve(text).form.id == "sulfate-heptahydrate"


@pytest.mark.parametrize("text", ["MgCl2·6 H2O", "MgCl2 6 H2O", "MgCl2 . 6 H2O"])
def test_the_chloride_underdose_of_the_issue(text):
    # compound 200mg "MgCl2·6 H2O" said 931.7 mg; the hexahydrate needs 1,672 mg.
    assert compound("200mg", text).compound_mg == pytest.approx(200 * 100 / CHLORIDE_6, rel=1e-3)


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


# Generated formulas: allowed elements with counts, optional hydrate water written with spaces.
_ELEMENTS = sorted(FORMULA_ELEMENTS - {"Mg"})
formula_parts = st.lists(st.tuples(st.sampled_from(_ELEMENTS), st.integers(1, 12)), min_size=1, max_size=4,
                         unique_by=lambda part: part[0])


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


# --- amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5 gr", "write 5 grains or 5 g"),
        ("5gr", "write 5 grains or 5 g"),
        ("5 GR", "write 5 grains or 5 g"),
        ("1.250 mg", "write 1250 mg or 1.25 mg"),
        ("12.500 mg", "write 12500 mg or 12.5 mg"),
        ("1.250 mcg", "write 1250 mcg or 1.25 mcg"),
        ("1.250.000 mcg", "write 1250000 mcg"),
        ("1/2 g", "write 0.5 g"),
        ("1/3 g", "write a decimal, e.g. 0.333 g"),
        ("500 Mg", "'Mg' is ambiguous"),
        ("1E140gr", "write 1e+140 grains or 1e+140 g"),  # found by hypothesis: a message stays short
    ],
)
def test_ambiguous_amounts_are_refused_with_both_readings(text, fragment):
    with pytest.raises(MgcalcError, match=re.escape(fragment)):
        parse_mass(text)


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("0.500 g", 500), ("1.250 g", 1250), ("1.25 mg", 1.25), ("1,250 mg", 1250), ("1.2500 mg", 1.25),
        ("5 grains", 5 * 64.79891), ("1 G", 1000), ("1 Gram", 1000), ("2 Grams", 2000), ("1 gm", 1000),
        ("1 GM", 1000), ("500 Milligrams", 500), ("500 MILLIGRAMS", 500), ("500 Mcg", 0.5),
        ("3 Grains", 3 * 64.79891), ("2 x 250 mg", 500), ("2x250mg", 500), ("3 × 0.5 g", 1500),
    ],
)
def test_units_as_labels_print_them(text, mg):
    assert parse_mass(text) == pytest.approx(mg, rel=1e-12)


@pytest.mark.parametrize(("text", "mg"), [("4 mmol", 4 * 24.305), ("8 MEQ", 4 * 24.305), ("2 mval", 24.305),
                                          ("0.5 Mmol", 0.5 * 24.305)])
def test_magnesium_units_case_insensitive(text, mg):
    assert parse_magnesium(text) == pytest.approx(mg, rel=1e-12)


unit_spellings = st.sampled_from([("mg", 1), ("MG", 1), ("Milligrams", 1), ("g", 1000), ("G", 1000),
                                  ("gm", 1000), ("Grams", 1000), ("mcg", Decimal("0.001")),
                                  ("Mcg", Decimal("0.001")), ("µg", Decimal("0.001"))])


@given(st.integers(0, 999_999), st.integers(0, 999), st.integers(0, 3), st.booleans(), unit_spellings,
       st.sampled_from(["", " "]))
def test_any_accepted_amount_equals_the_number_read_digit_by_digit(whole, fraction, places, commas, unit, space):
    """Thousands commas, decimals and unit spellings: accepted means exactly the typed value."""
    spelling, per_unit = unit
    digits = f"{whole:,}" if commas else str(whole)
    decimals = str(fraction).zfill(3)[:places] if places else ""
    text = digits + (f".{decimals}" if decimals else "") + space + spelling
    expected = Decimal(str(whole) + (f".{decimals}" if decimals else "")) * Decimal(per_unit)
    try:
        value = parse_mass(text)
    except MgcalcError as exc:
        message = str(exc)
        if "ambiguous" in message:  # only a point before exactly three digits after 1-3 digits
            assert re.fullmatch(r"[1-9][0-9]{0,2}\.[0-9]{3}", f"{digits}.{decimals}"), message
        else:
            assert "zero" in message or "outside 1 µg to 1 kg" in message, message
        return
    assert Decimal(repr(value)) == pytest.approx(expected, rel=Decimal("1e-12"))


# --- command line --------------------------------------------------------------------------------


def test_form_words_unquoted(runner):
    quoted = runner.invoke(app, ["dose", "500mg", "magnesium citrate", "250mg", "magnesium oxide", "--json"])
    unquoted = runner.invoke(app, ["dose", "500", "mg", "magnesium", "citrate", "250mg", "magnesium", "oxide",
                                   "--json"])
    assert unquoted.exit_code == 0, unquoted.stderr
    assert unquoted.stdout == quoted.stdout
    one = runner.invoke(app, ["dose", "500", "mg", "magnesium", "citrate", "-q"])
    assert one.stdout == "80.82\n"  # 500 mg x 16.1633 %


def test_form_words_unquoted_in_compound_and_check(runner):
    result = runner.invoke(app, ["compound", "200", "mg", "magnesium", "chloride", "hexahydrate", "-q"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(200 * 100 / CHLORIDE_6, abs=0.01)
    result = runner.invoke(app, ["check", "64mg", "535mg", "magnesium", "chloride", "hexahydrate", "-q"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(535 * CHLORIDE_6 / 100, abs=0.01)


def test_hydrate_words_stay_with_the_form():
    assert segments(["1g", "MgSO4", ".", "7", "H2O"]) == [("1g", "MgSO4 . 7 H2O")]
    assert segments(["500mg", "citrate", "1:1"]) == [("500mg", "citrate 1:1")]
    assert segments(["2", "x", "250", "mg", "oxide"]) == [("2 x 250 mg", "oxide")]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "500mg", "citrate", "-x"], "No such option: -x"),
        (["dose", "500mg", "citrate", "--frobnicate"], "No such option: --frobnicate"),
        (["dose", "500mg"], "'500mg' has no form after it"),
        (["dose", "citrate", "500mg"], "'citrate' is not an amount; give AMOUNT FORM, amount first"),
        (["compound", "200mg", "oxide", "300mg", "citrate"], "give one TARGET FORM"),
        (["check", "64mg", "chloride"], "DECLARED COMPOUND_AMOUNT FORM"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(runner, args, fragment):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mgcalc: error: ")
    assert fragment in result.stderr


def test_quiet_never_prints_zero_for_a_dose(runner):
    result = runner.invoke(app, ["dose", "1mcg", "oxide", "-q"])
    assert result.stdout == "0.000603\n"  # 0.001 mg x 60.30 %
    result = runner.invoke(app, ["compound", "1mcg", "oxide", "-q"])
    assert float(result.stdout) == pytest.approx(0.001 * 100 / 60.30, rel=1e-2) and result.stdout != "0\n"


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


def test_a_small_compare_target_never_reads_as_zero(runner):
    result = runner.invoke(app, ["compare", "1mcg", "--family", "oxide"])
    row = dict(zip(*(line.split("\t") for line in result.stdout.splitlines()), strict=True))
    assert float(row["compound_mg"]) == pytest.approx(0.001 * 100 / 60.3037, rel=1e-2)


def test_a_closed_standard_input_for_a_label_file_is_one_line(runner):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mgcalc", "check", "--label-file", "-"], stdin=None,
                          capture_output=True, text=True, timeout=60, close_fds=True,
                          preexec_fn=lambda: __import__("os").close(0))
    assert done.returncode == 1 and done.stderr.startswith("mgcalc: error: standard input is closed")


@pytest.mark.parametrize(("text", "fragment"), [
    ("MgCl2.1.5H2O", "decimal hydrate count"), ("MgCl2 · 1.5 H2O", "decimal hydrate count"),
    ("MgHPO4.1.5H2O", "decimal hydrate count"), ("MgSO4.7H20", "did you mean H2O"), ("MgCl2.6H20", "did you mean H2O"),
])
def test_formulas_molmass_would_misread_are_refused(text, fragment):
    """Found by review: molmass reads 1.5H2O as 1 . 5H2O (the pentahydrate) and H20 as twenty hydrogens."""
    with pytest.raises(MgcalcError, match=fragment):
        load_forms().resolve(text)


def test_a_sesquihydrate_written_in_whole_units_is_exact():
    assert dose("1g", "(MgCl2)2.3H2O").elemental_mg == pytest.approx(
        10 * percent_mg({"Mg": 2, "Cl": 4, "H": 6, "O": 3}), rel=1e-6)


def test_a_range_form_whose_top_passes_the_limit_is_flagged(runner):
    """Found by review: 2.2 g USP trisilicate is 265-410 mg by its monograph; the midpoint (338) hid it."""
    result = runner.invoke(app, ["dose", "2.2g", "trisilicate", "--fail-over-ul"])
    assert result.exit_code == 3
    assert "MAY BE OVER THE UPPER LEVEL: with the top of its content range this dose gives up to 410" in result.stdout
    assert runner.invoke(app, ["dose", "1g", "carbonate", "--fail-over-ul", "-q"]).exit_code == 0


def test_compound_warns_about_a_target_over_the_limit_and_a_content_range():
    """Found by review: compound 5g oxide printed 8,291 mg with no warning."""
    over = compound("5g", "oxide")
    assert any("above the 350 mg/day tolerable upper intake level" in w for w in over.warnings)
    assert not any("upper intake level" in w for w in compound("300mg", "oxide").warnings)
    ranged = compound("300mg", "carbonate")
    assert any("takes 1,143.7-1,243.8 mg" in w for w in ranged.warnings)


@pytest.mark.parametrize(("text", "counts"), [
    ("MgC4H2O4.4H2O", {"Mg": 1, "C": 4, "H": 10, "O": 8}),  # magnesium fumarate tetrahydrate
    ("MgC4H2O4 · 4 H2O", {"Mg": 1, "C": 4, "H": 10, "O": 8}),
    ("Mg2H2O10K2Ca5·2 H2O", {"Mg": 2, "H": 6, "O": 12, "K": 2, "Ca": 5}),  # found by the property test
])
def test_a_hydrate_after_h2o_and_a_digit_is_counted_right(text, counts):
    """molmass 2026.1 reads "MgC4H2O4.4H2O" as 1 C and 96 H (2.70 % Mg); mgcalc splits the dot itself."""
    found = load_forms().resolve(text)  # fumarate tetrahydrate has malate trihydrate's composition: that row
    assert found.form.percent_elemental == pytest.approx(percent_mg(counts), abs=1e-4)


@pytest.mark.parametrize(("args", "quiet"), [
    (["compound", "0.2", "mmol/kg", "sulfate 50%", "--weight", "20kg"], 1.97),
    (["compound", "0.2mmol/kg", "sulfate 50%", "--weight", "20", "kg"], 1.97),
    (["compound", "--weight", "20", "kg", "0.2mmol/kg", "sulfate 50%"], 1.97),
    (["compound", "0.2", "mmol", "/", "kg", "oxide", "--weight", "20"], 161.22),
    (["compound", "0.2", "mmol", "per", "kg", "oxide", "--weight", "20"], 161.22),
    (["dose", "0.5", "kg", "oxide", "--weight", "70"], 301518.5),
    (["compound", "0.2mmol/kg", "oxide", "--weight", "70", "--weight", "20", "kg"], 161.22),
])
def test_per_kg_targets_and_body_weights_typed_unquoted_read_as_typed(runner, args, quiet):
    """Found by review: '0.2 mmol/kg' unquoted gave "target '0.2' has no unit", and '--weight 20 kg'
    put 'kg' into the form ("strength '50% kg'")."""
    result = runner.invoke(app, [*args, "-q"])
    assert result.exit_code == 0, result.stderr
    assert float(result.stdout) == pytest.approx(quiet)


def test_a_weight_unit_typed_apart_is_the_weights_not_kilograms_by_default(runner):
    for weight in (["--weight", "44", "lb"], ["--weight=44", "lb"]):
        pounds = runner.invoke(app, ["compound", "0.2mmol/kg", "oxide", *weight, "--json"])
        assert json.loads(pounds.stdout)["weight_kg"] == pytest.approx(44 * 0.45359237)
    unsure = runner.invoke(app, ["compound", "0.2", "mmol", "/", "kg", "oxide"])
    assert unsure.exit_code == 1
    assert "is per kg of body weight; add the weight" in unsure.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["compound", "0.2", "mmol", "kg", "oxide", "--weight", "20"], "unknown form 'kg oxide'"),
    (["compound", "0.2", "mmol", "\u2215", "kg", "oxide", "--weight", "20"], "unknown form '\u2215 kg oxide'"),
    (["dose", "1/2", "kg", "oxide", "--weight", "70"], "write 0.5 kg"),
    (["compound", "0.5", "--weight", "3", "g", "oxide"], "weight '3 g' is outside"),
    (["compound", "0.2", "mmol/lb", "oxide", "--weight", "20"], "'mmol/lb' is not a mass"),
    (["compound", "0.2", "mmol/kg/day", "oxide", "--weight", "20"], "'mmol/kg/day' is not a mass"),
    (["dose", "1", "--weight", "3", "mg", "oxide"], "amount '1' has no unit"),
])
def test_only_the_word_right_after_the_weight_is_its_unit(runner, args, message):
    """Found by review of the first version, which moved any lone 'kg' into --weight: '0.2 mmol kg
    oxide --weight 20' became 0.2 mmol in all (8.06 mg), not per kg. Such a line is refused."""
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and message in result.stderr
