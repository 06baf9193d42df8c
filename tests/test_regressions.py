"""Bugs once found, each pinned by the test that would have caught it, grouped by where they were found.

A test that is the main specification of a feature stays beside that feature; here are the pins of
wrong figures, crashes and refusals that a review, a property test or an issue's reproducer found."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import subprocess
import time

import pytest

from helpers import MGCALC, POSIX, batch, rows_of
from mgcalc import MgcalcError, Profile, compound, dose, load_forms
from mgcalc.batch import run
from mgcalc.check import check_label
from mgcalc.cli import app
from mgcalc.interactions import lookup
from oracles import CHLORIDE_6, SULFATE_7, percent_mg

_A = '{"amount": "500mg", "form": "citrate"}'
_B = '{"amount": "250mg", "form": "oxide"}'


# --- batch: review finding (result templates and --delimiter) -------------------------------------


@pytest.mark.parametrize("delimiter", ["%", "s", "l"])
def test_a_delimiter_that_is_a_format_sign_or_a_letter_of_true_false_is_written_as_csv_writer_would(delimiter):
    """Found by review: --delimiter % crashed (the result templates read it as a format), and with s
    a false cell was left unquoted, so a reader split it in two."""
    data = f"amount{delimiter}form{delimiter}per_day\n500mg{delimiter}citrate{delimiter}2\n".encode()
    written = io.StringIO()
    summary = run(io.BytesIO(data), written, input_format="csv", output_format="csv", profile=Profile(),
                  authority="us", delimiter=delimiter)
    out = written.getvalue()
    header, row = csv.reader(io.StringIO(out), delimiter=delimiter)
    assert summary.errors == 0 and len(row) == len(header)
    result = dict(zip(header, row, strict=True))
    assert result["over_ul"] == "false"
    assert result["elemental_mg"] == repr(dose("500mg", "citrate", per_day=2).elemental_mg)


# --- batch on files and pipes (issue 12): review and hypothesis findings --------------------------


@POSIX
@pytest.mark.parametrize(("options", "rows", "first"), [
    ([], b"amount,form\n500mg,citrate\n", b"500mg,citrate,ok,"),
    (["--input-format", "json"], b'[{"amount": "500mg", "form": "citrate"},\n', b"500mg,citrate,ok,"),
    (["--input-format", "json"], b'[{"amount": "500mg", "form": "citrate", "note": [\n' + b'"x",\n' * 2000
     + b'"y"]},\n', b'500mg,citrate,"[""x"", '),
])
def test_rows_piped_in_slowly_come_out_as_they_are_done(options, rows, first):
    """A JSON array's element too (found by review: it waited for 64 KiB of input, or its end)."""
    child = subprocess.Popen([*MGCALC, "batch", *options], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        child.stdin.write(rows)
        child.stdin.flush()
        lines = b""
        deadline = time.monotonic() + 30
        while lines.count(b"\n") < 2 and time.monotonic() < deadline:
            if select.select([child.stdout], [], [], 0.5)[0]:
                lines += os.read(child.stdout.fileno(), 65536)
        assert lines.count(b"\n") == 2, "the row was not written while the input stayed open"
        assert lines.splitlines()[1].startswith(first)
    finally:
        if options:
            child.stdin.write(b'{"amount": "1g", "form": "oxide"}]\n')
        child.stdin.close()
        child.wait(timeout=30)
    assert child.returncode == 0


@pytest.mark.parametrize(("element", "problem"), [
    ("[" * 3000 + "]" * 3000, "nested more than 100 levels deep (mgcalc's limit)"),
    ('{"amount": "1g", "form": "oxide", "x": ' + "[" * 3000 + '"] } [ {\\""' + "]" * 3000 + "}",
     "nested more than 100 levels deep (mgcalc's limit)"),
    ('{"amount": "1g", "form": "oxide", "x": {"y": [NaN, 1]}}', "NaN is not a JSON number"),
    ('{"amount": "1g", "form": "oxide", "x": [1e999]}', "out of range"),
    ("-Infinity", "-Infinity is not a JSON number"),
])
def test_a_bad_element_of_a_json_array_is_one_error_row_and_the_array_goes_on(element, problem):
    """Found by review: an element nested too deeply ended the array (the elements after it were
    lost), and NaN inside a pass-through value was copied into the output, which was then not JSON.
    Issue 27: the depth is mgcalc's limit, so the 3,000-deep element is this error row on 3.13 too
    (whose json decoder goes that deep)."""
    data = f'[{{"amount": "500mg", "form": "citrate"}}, {element}, {{"amount": "250mg", "form": "oxide"}}]'.encode()
    summary, out = batch(data, input_format="json", output_format="jsonl")
    rows = [json.loads(line) for line in out.splitlines()]  # every line is JSON
    assert [r["status"] for r in rows] == ["ok", "error", "ok"] and summary.rows == 3
    assert problem in rows[1]["error"]
    assert rows[2]["amount"] == "250mg"


@pytest.mark.parametrize("record", [',""a,"\na', 'x,"500mg"z,citrate\ny,1g,oxide\n', 'x,""500mg,"citrate\n'])
def test_a_record_the_strict_reading_refuses_is_written_quoted_so_the_next_row_survives(record):
    """Found by hypothesis: a stray quote copied as it stands opened a field that swallowed the next row."""
    data = ("sku,amount,form\n" + record).encode()
    csv_summary, csv_out = batch(data)
    jsonl_summary, _ = batch(data, output_format="jsonl")
    assert csv_summary.rows == jsonl_summary.rows == len(rows_of(csv_out, "csv"))


@pytest.mark.parametrize("tail", ['"\n', "\n", '"xx\n'])
def test_a_field_over_the_csv_limit_is_one_error_row_and_the_run_goes_on(tail):
    """Found by review: a quoted field over 131,072 characters ended the run with a traceback."""
    data = ("id,amount,form,note\n1,500mg,oxide,a\n3,500mg,oxide,\"" + "y" * 131_073 + tail +
            "5,500mg,oxide,b\n").encode()
    for fmt in ("csv", "jsonl"):
        summary, _ = batch(data, output_format=fmt)
        assert (summary.rows, summary.errors) == (3, 1)
        assert summary.first_error == "a field longer than 131,072 characters (mgcalc's field limit)"


def test_one_nul_in_an_early_row_is_that_rows_error_not_a_refused_file(tmp_path, runner):
    """Found by review: a single NUL in row 2 refused the whole file as binary; later it was one error row."""
    source = tmp_path / "n.csv"
    source.write_bytes(b"id,amount,form,note\n1,500mg,oxide,a\n2,500mg,oxide,b\x00c\n3,500mg,oxide,d\n")
    result = runner.invoke(app, ["batch", str(source)])
    rows = rows_of(result.stdout, "csv")
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    binary = tmp_path / "b.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    assert runner.invoke(app, ["batch", str(binary)]).exit_code == 1


@pytest.mark.parametrize(("data", "fmt"), [
    (b'{"amount":"500mg","form":"oxide","per_day":NaN}\n{"amount":"500mg","form":"oxide","x":1e400}\n'
     b'{"amount":"500mg","form":"oxide"}\n', "jsonl"),
    (b'[{"amount":"500mg","form":"oxide","n":1e999},{"amount":"500mg","form":"oxide","x":NaN},'
     b'{"amount":"500mg","form":"oxide"}]', "json"),
])
def test_nan_and_overflowing_numbers_are_error_rows_so_json_output_stays_json(data, fmt):
    """Found by review: 1e999 and NaN were echoed as Infinity and NaN, which strict JSON parsers reject."""
    out = io.StringIO()
    summary = run(io.BytesIO(data), out, input_format=fmt, output_format="jsonl", profile=Profile(),
                  authority="us")
    assert (summary.rows, summary.errors) == (3, 2)
    for line in out.getvalue().splitlines():
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the output"))


@pytest.mark.parametrize(("data", "problem"), [
    (json.dumps([{"amount": "500mg", "form": "citrate", "score": float("nan")}, json.loads(_B)], indent=2),
     "NaN is not a JSON number"),
    (f'[{_A},\n{{"x":\n1e999\n}},\n{_B}]', "out of range"),
    (f'[{_A},{{"x":[\nNaN\n]}},{_B}]', "NaN is not a JSON number"),
    (f'[{_A},{{"amount":"500mg","form":"citrate","n":{"9" * 5000}}},{_B}]', "integer string conversion"),
])
def test_a_bad_element_over_several_lines_is_an_error_row_not_a_traceback(data, problem):
    """Found by review: NaN in a pretty-printed element (the element not yet read to its end when
    the strict reading stopped) raised a traceback, as did an integer of 5,000 digits."""
    _summary, out = batch(data.encode(), input_format="json", output_format="jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[-1]["amount"] == "250mg" and rows[-1]["status"] == "ok"
    assert next(r for r in rows if r["status"] == "error")["error"].count(problem) == 1


@pytest.mark.parametrize("shift", range(6))
def test_a_number_cut_where_a_read_ends_is_read_whole(shift):
    """Found by review: "1.5" cut after "1." at the end of a 64 KiB read was read as 1, and the
    array then stopped ("expected ','"), losing the element after it."""
    head = '[{"amount": "500mg", "form": "citrate", "p": "'
    data = head + "x" * (65536 - len(head) - 4 - shift) + '"},' + "1.5," + _B + "]"
    _summary, out = batch(data.encode(), input_format="json", output_format="jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error", "ok"] and rows[1]["error"] == "not a JSON object"


def test_broken_json_in_an_array_is_placed_at_its_line_in_the_input():
    """Found by review: the position in the message was counted from what happened to be read."""
    data = f'[{_A},\n{{"amount":\n"1g",\n"form":\n\n  oxide}},\n{_B}]'
    summary, _out = batch(data.encode(), input_format="json", output_format="jsonl")
    assert summary.first_error_line == 2
    assert summary.first_error == "not JSON at line 6: Expecting value; the rest of the array cannot be read"


# --- dose: review finding (the Daily Value of an infant) ------------------------------------------


@pytest.mark.parametrize("age", [0.3, 0.5, 0.55])
def test_no_daily_value_under_7_months(age):
    """Six months (--age 0.5) is in IOM's birth-to-6-months group: AI 30, no DV (found by review)."""
    result = dose("500mg", "oxide", profile=Profile(age=age))
    assert result.dv_mg is None and result.percent_dv is None and result.intake.mg == 30


# --- issue 10 (what people type): its reproducers of wrong figures, then review findings ----------


@pytest.mark.parametrize("text", ["MgSO4·7 H2O", "MgSO4 . 7 H2O", "MgSO4 · 7H2O", "MgSO4 7 H2O", "MgSO4.7H2O"])
def test_a_space_before_the_hydrate_count_changes_nothing(text):
    # The issue: 1 g "MgSO4·7 H2O" gave 175.6 mg (the monohydrate); the heptahydrate gives 98.6 mg.
    assert dose("1g", text).elemental_mg == pytest.approx(10 * SULFATE_7, rel=1e-3)
    assert load_forms().resolve(text).form.id == "sulfate-heptahydrate"


@pytest.mark.parametrize("text", ["MgCl2·6 H2O", "MgCl2 6 H2O", "MgCl2 . 6 H2O"])
def test_the_chloride_underdose_of_the_issue(text):
    # compound 200mg "MgCl2·6 H2O" said 931.7 mg; the hexahydrate needs 1,672 mg.
    assert compound("200mg", text).compound_mg == pytest.approx(200 * 100 / CHLORIDE_6, rel=1e-3)


@pytest.mark.parametrize(("text", "fragment"), [
    ("MgCl2.1.5H2O", "decimal hydrate count"), ("MgCl2 · 1.5 H2O", "decimal hydrate count"),
    ("MgHPO4.1.5H2O", "decimal hydrate count"), ("MgSO4.7H20", "did you mean H2O"), ("MgCl2.6H20", "did you mean H2O"),
])
def test_formulas_molmass_would_misread_are_refused(text, fragment):
    """Found by review: molmass reads 1.5H2O as 1 . 5H2O (the pentahydrate) and H20 as twenty hydrogens."""
    with pytest.raises(MgcalcError, match=fragment):
        load_forms().resolve(text)


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


# --- forms: found by tests/test_hostile.py --------------------------------------------------------


def test_a_formula_with_an_isotope_is_refused_not_a_crash():
    """Found by tests/test_hostile.py: molmass reads "(1H2O)" as an isotope, which has no element row."""
    with pytest.raises(MgcalcError):
        load_forms().resolve("(1H2O)")


# --- interactions: review finding -----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "drug"), [("ciprofloxacin hydrochloride", "ciprofloxacin"),
                                              ("Levothyroxine Sodium", "levothyroxine"),
                                              ("alendronate sodium", "alendronate"),
                                              ("eltrombopag olamine", "eltrombopag"),
                                              ("sodium fluoride", "sodium fluoride")])
def test_a_salt_word_after_the_name_is_the_same_drug(typed, drug):
    """Found by review: 'ciprofloxacin hydrochloride' was 'not listed' with no suggestion."""
    assert lookup(typed).drug == drug


# --- label: a %DV with decimals, and near misses found by a review --------------------------------


def test_a_percent_with_decimals_is_read_and_checked():  # was unreadable: the %DV filter left "2."
    result = check_label("Magnesium (as magnesium oxide) 15.4 mg 2.2%")
    assert result.declared_mg == 15.4 and result.percent_dv_printed == 2.2 and result.percent_dv_expected == 4
    assert any("does not match" in issue for issue in result.issues)


# Near misses found by a review (constructed wordings, marked so): each gave a confident wrong verdict.
@pytest.mark.parametrize("text", [
    "Magnesium oxide 400 mg per tablet; magnesium 483 mg per 2 tablets",
    "Two tablets provide 483 mg magnesium; each tablet contains magnesium oxide 400 mg",
    "Magnesium (as magnesium oxide 500 mg, magnesium citrate) 400 mg",
    "Magnesium oxide 500 mg (301 mg magnesium), magnesium citrate 620 mg",
    "Magnesium oxide 500 mg, magnesium citrate 620 mg (100 mg magnesium)",
    "Magnesium 300 mg (from magnesium oxide 500 mg), magnesium glycinate 100 mg",
    "Magnesium citrate 620 mg and magnesium oxide, providing 400 mg magnesium",
])
def test_mixed_bases_and_blends_without_a_plain_total_cannot_be_checked(text):
    result = check_label(text)
    assert result.consistent is None and result.reason


# --- label words as one table (issue 21): found by a fresh-eyes review of the change ---------------
# Constructed wordings (marked so), each of a kind real labels print: a figure per a dose unit after a
# slash, a magnesium figure before the product's dose unit, a vial.


@pytest.mark.parametrize(("text", "mg", "per"), [
    ("Magnesium (as citrate) 500 mg/chewable", 500.0, "tablet"),  # constructed
    ("Ionic magnesium 5 mg/drop", 5.0, "drop"),  # constructed
    ("Magnesium (as citrate) 200 mg/tablets", 200.0, "tablet"),  # constructed
    ("Magnesium 100 mg tablets", 100.0, "tablet"),  # constructed
    ("Magnesium 100 mg drops", 100.0, None),  # constructed: the drops the 100 mg is in are not said
])
def test_a_figure_before_or_after_a_dose_unit_of_the_table_keeps_its_magnesium(text, mg, per):
    """The merged dose-unit table made 'chewable' and 'drop' dose units; a figure next to them was then
    dropped ('prints no amount'), and a batch row over the upper level lost its flag."""
    reading = check_label(text)
    assert (reading.declared_mg, reading.per) == (mg, per)


def test_a_label_row_per_chewable_over_the_upper_level_is_flagged_in_batch():
    summary, out = batch(b'label,per_day\n"Magnesium (as citrate) 500 mg/chewable",1\n')
    [row] = rows_of(out, "csv")
    assert summary.errors == 0
    assert (row["status"], row["elemental_mg"], row["over_ul"]) == ("ok", "500.0", "true")


def test_a_vial_is_called_a_vial():
    reading = check_label("Each vial contains magnesium sulfate heptahydrate 5 g")  # constructed
    assert reading.per == "vial" and reading.basis is not None and reading.basis.unit == "vial"
    assert reading.compound_mg == 5000.0


def test_a_basis_verb_of_another_language_ends_a_leading_phrase_as_an_english_one_does():
    """Before the words were one table, only English verbs did: the German line was refused ('names no
    magnesium') where 'Directions: 2 tablets daily. 2 tablets provide magnesium 300 mg' was read."""
    reading = check_label("Dosierung: 2 Tabletten täglich. 2 Tabletten enthalten Magnesium 300 mg")  # constructed
    assert (reading.declared_mg, reading.basis.units, reading.basis.unit) == (300.0, 2.0, "tablet")
    assert reading.per_day is not None and reading.per_day.mg_high == 300.0
