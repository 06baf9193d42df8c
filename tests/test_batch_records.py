"""Batch records read from files as spreadsheets and pipelines make them (issue 12), through the library:
nothing lost, no traceback. The command and the installed script on such files: tests/cli/test_cli_batch.py."""

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import batch, rows_of
from mgcalc.batch import RESULT_COLUMNS, run
from mgcalc.references import Profile

# --- CSV records ------------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_an_unclosed_quote_costs_its_own_record_only(output_format):
    lines = [f"{i},500mg,citrate" for i in range(300)]
    lines[10] = '10,"5 mg,citrate'  # the quote never closes
    lines[200] = '200,"1 g, oxide'  # nor this one, and a later line has quotes of its own
    lines[201] = '201,"1,250 mg",oxide'
    summary, out = batch(("sku,amount,form\n" + "\n".join(lines) + "\n").encode(), output_format=output_format)
    rows = rows_of(out, output_format)
    assert [r["sku"] for r in rows] == [str(i) for i in range(300)]
    assert (summary.rows, summary.errors, summary.first_error_line) == (300, 2, 12)
    assert [i for i, r in enumerate(rows) if r["status"] == "error"] == [10, 200]
    assert "quoted field is not closed" in rows[10]["error"]
    assert rows[201]["status"] == "ok"


def test_a_quoted_field_over_several_lines_is_still_one_record():
    data = b'sku,amount,form\n"two\nlines",500mg,citrate\nx,1g,oxide\n'
    for output_format in ("csv", "jsonl"):
        summary, out = batch(data, output_format=output_format)
        rows = rows_of(out, output_format)
        assert [r["sku"] for r in rows] == ["two\nlines", "x"] and summary.errors == 0


@pytest.mark.parametrize("text", [
    'a",,"\n,\n',  # a quote inside a field, then a quoted field that never closes
    'acitrate"a,"\n""500mg\n',
    'a,500mg,citrate\nb,"5 mg,citrate\nc,1g,oxide\n',
    'a,"x\ny",citrate\nb,5"mg,citrate\n"c,1g,"oxide\n',
    '"a\n"b"c",1g,oxide\n,,\n"\n',
    'a,"1,250 mg",oxide,"extra\nb,500mg,citrate\n',
])
def test_csv_and_jsonl_output_agree_on_the_row_count(text):
    data = ("sku,amount,form\n" + text).encode()
    counts = {fmt: batch(data, output_format=fmt)[0].rows for fmt in ("csv", "jsonl")}
    csv_rows = rows_of(batch(data)[1], "csv")
    assert counts["csv"] == counts["jsonl"] == len(csv_rows)


# --- JSON Lines and JSON arrays -------------------------------------------------------------------


class Pipe(io.BytesIO):
    def seekable(self):
        return False


@pytest.mark.parametrize("source", [io.BytesIO, Pipe])
def test_a_bad_first_json_line_is_one_error_row_and_the_rest_are_computed(source):
    data = b'not json\n{"sku": 1, "amount": "500mg", "form": "citrate"}\n{"sku": 2, "amount": "1g", "form": "oxide"}\n'
    out = io.StringIO()
    summary = run(source(data), out, input_format="jsonl", output_format="csv", profile=Profile(), authority="us")
    rows = rows_of(out.getvalue(), "csv")
    assert [r["status"] for r in rows] == ["error", "ok", "ok"] and [r["sku"] for r in rows] == ["", "1", "2"]
    assert (summary.rows, summary.errors, summary.first_error_line) == (3, 1, 1)


@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_lone_surrogates_and_invalid_bytes_are_error_rows(output_format):
    data = (b'{"amount": "500mg", "form": "citrate", "note": "\\ud800"}\n'
            b'{"amount": "500mg", "form": "citr\xe9"}\n'
            b'{"amount": "500mg", "form": "citrate", "note": "\\ud83d\\ude00"}\n')
    _, out = batch(data, input_format="jsonl", output_format=output_format)
    rows = rows_of(out, output_format)
    assert [r["status"] for r in rows] == ["error", "error", "ok"]
    assert "surrogate" in rows[0]["error"] and "invalid UTF-8" in rows[1]["error"]
    assert rows[2]["note"] == "\U0001f600"
    out.encode("utf-8")  # the output is text


def test_a_broken_json_array_ends_with_one_error_row_at_its_line():
    summary, out = batch(b'[{"amount": "500mg", "form": "citrate"},\n {"amount": oops}]', input_format="json",
                         output_format="jsonl")
    rows = rows_of(out, "jsonl")
    assert [r["status"] for r in rows] == ["ok", "error"] and summary.first_error_line == 2


# --- encodings, delimiters, headers ---------------------------------------------------------------


def test_semicolons_and_a_spaced_capitalised_header_are_understood():
    summary, out = batch(b"SKU; Amount ; Form \nx;500mg;citrate\n")
    [row] = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert row["status"] == "ok" and row["SKU"] == "x" and summary.errors == 0


# --- result columns ---------------------------------------------------------------------------------


def test_the_result_columns_are_pinned():
    assert RESULT_COLUMNS == (
        "status", "form_id", "percent_elemental", "elemental_mg", "mmol", "meq", "over_ul", "consistent",
        "rda_mg", "ul_mg", "percent_rda", "percent_ul", "percent_dv", "basis", "per_unit_mg", "warnings", "error",
    )


# --- the command's input and output -------------------------------------------------------------


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", '"', ",", "\n", "\r\n", "\r", "500mg", "citrate", '""', "é", "\x00"]),
                max_size=30))
def test_csv_and_jsonl_output_agree_on_the_row_count_for_any_text(pieces):
    data = ("sku,amount,form\n" + "".join(pieces)).encode()
    csv_summary, csv_out = batch(data)
    jsonl_summary, _ = batch(data, output_format="jsonl")
    assert csv_summary.rows == jsonl_summary.rows == len(rows_of(csv_out, "csv"))


@pytest.mark.parametrize("odd", ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u00a0"])
def test_a_json_line_of_unicode_white_space_is_an_error_row_not_a_skipped_blank(odd):
    """str.strip() counts these as white space; JSON does not, and no line may vanish without a row."""
    data = f'{{"amount": "500mg", "form": "citrate"}}\n{odd}\n'.encode()
    out = io.StringIO()
    summary = run(io.BytesIO(data), out, input_format="jsonl", output_format="jsonl", profile=Profile(),
                  authority="us")
    assert (summary.rows, summary.errors) == (2, 1)
    assert [json.loads(line)["status"] for line in out.getvalue().splitlines()] == ["ok", "error"]


_ELEMENTS = st.recursive(
    st.one_of(st.sampled_from(['"500mg"', '"citrate"', "1", "-0.0", "1e999", "NaN", "-Infinity", "true", "null",
                               '"] } [ {\\""', '"\\ud800"']),
              st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth)),
    lambda inner: st.one_of(st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
                            st.lists(inner, max_size=3).map(
                                lambda items: "{" + ", ".join(f'"k{i}": {v}' for i, v in enumerate(items)) + "}")),
    max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_ELEMENTS, st.just('{"amount": "500mg", "form": "citrate"}')), max_size=6),
       st.sampled_from(["", "\n", "\n  "]))
def test_every_element_of_a_json_array_gets_one_row_and_every_line_is_json(elements, separator):
    """Nested too deeply, NaN or an overflowing number anywhere inside, a string holding brackets:
    whatever an element holds, it is one row, and the output stays JSON."""
    data = ("[" + ("," + separator).join(elements) + "]").encode()
    summary, out = batch(data, input_format="json", output_format="jsonl")
    lines = out.splitlines()
    assert summary.rows == len(lines) == len(elements)
    for line in lines:
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the output"))
