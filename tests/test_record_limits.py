"""mgcalc's own limits on a record (issue 27): the same answers on every supported Python.

CPython 3.13's json decoder goes thousands of levels deeper than 3.11's and 3.12's, so these tests
would tell the interpreters apart if the decoder decided; .ci/run runs them on each.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import FIELD_TOO_LONG, TOO_DEEP, A, as_jsonl, batch, nested
from mgcalc.record_limits import DEPTH_MAX, FIELD_CHARS_MAX, json_depth, longest_string, too_deep

B = '{"amount": "250mg", "form": "oxide"}'


def as_array(*records: str) -> str:
    return "[" + ",\n".join(records) + "]"


def test_the_limits_are_the_figures_the_readme_names():
    assert (DEPTH_MAX, FIELD_CHARS_MAX) == (100, 131_072)
    from docs_text import REFERENCE as readme
    for text in ("100 levels deep", "1,000,000 characters", "131,072 characters", "mgcalc's limit"):
        assert text in readme, text


@pytest.mark.parametrize("shape", [as_jsonl, as_array])
@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_a_record_at_the_depth_limit_is_read_and_one_level_deeper_is_an_error_row_naming_it(shape, output_format):
    fmt = "jsonl" if shape is as_jsonl else "json"
    summary, out = batch(shape(A, nested(DEPTH_MAX), nested(DEPTH_MAX + 1), B), fmt, output_format)
    rows = (json.loads(line) for line in out.splitlines()) if output_format == "jsonl" else \
        csv.DictReader(io.StringIO(out))
    assert [(r["status"], r["error"] or None) for r in rows] == [
        ("ok", None), ("ok", None), ("error", TOO_DEEP), ("ok", None)]
    assert (summary.rows, summary.errors, summary.first_error) == (4, 1, TOO_DEEP)


def test_the_pass_through_value_at_the_limit_is_copied_whole():
    _, out = batch(as_jsonl(nested(DEPTH_MAX)), "jsonl", "jsonl")
    assert json.loads(out)["x"] == json.loads(nested(DEPTH_MAX))["x"]


@pytest.mark.parametrize("depth", [DEPTH_MAX + 1, 1_000, 3_000, 20_000, 200_000])
@pytest.mark.parametrize("shape", [as_jsonl, as_array])
def test_any_record_past_the_limit_is_the_same_error_row_whatever_the_decoder_would_do(shape, depth):
    """3,000 levels decode on 3.13 and not on 3.11/3.12; 20,000 and 200,000 on none: one answer for all."""
    fmt = "jsonl" if shape is as_jsonl else "json"
    _, out = batch(shape(A, nested(depth), B), fmt, "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["error"] == TOO_DEEP and "x" not in rows[1]  # nothing of it is copied out


@pytest.mark.parametrize("inner", ["NaN", "1e999", '"\\ud800"', "oops"])
@pytest.mark.parametrize("shape", [as_jsonl, as_array])
def test_past_the_limit_the_depth_is_the_reason_whatever_else_is_wrong_deep_inside(shape, inner):
    """A decoder that stops at its own depth never sees the NaN; one that goes deeper would report
    it: the reason given must not depend on which decoder runs."""
    fmt = "jsonl" if shape is as_jsonl else "json"
    _, out = batch(shape(A, nested(3_000, inner), B), fmt, "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[1]["error"] == TOO_DEEP and rows[2]["status"] == "ok"


@pytest.mark.parametrize("inner", ["1", "NaN", "oops"])
def test_a_record_past_the_limit_over_many_lines_is_the_same_error_row(inner):
    """Read a line at a time: the decoder first meets the end of what was read, then the record's end."""
    deep = nested(3_000, inner).replace("[", "[\n")
    summary, out = batch(as_array(A, deep, B), "json", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["status"], r["error"] or None) for r in rows] == [("ok", None), ("error", TOO_DEEP), ("ok", None)]
    assert summary.first_error_line == 2


def test_a_json_array_ending_inside_a_record_past_the_limit_says_so():
    summary, out = batch("[" + A + ", " + nested(3_000)[:-1 - 2_999], "json", "jsonl")
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["ok", "error"]
    assert summary.first_error == TOO_DEEP + "; the rest of the array cannot be read"


@pytest.mark.parametrize("shape", [as_jsonl, as_array])
def test_brackets_inside_strings_are_not_nesting(shape):
    fmt = "jsonl" if shape is as_jsonl else "json"
    record = '{"amount": "1g", "form": "oxide", "note": "' + "[{" * 500 + '\\"]' + '"}'
    summary, _ = batch(shape(record), fmt, "jsonl")
    assert (summary.rows, summary.errors) == (1, 0)


# --- field size -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [as_jsonl, as_array])
@pytest.mark.parametrize("where", ["value", "key", "deep"])
def test_a_json_string_over_the_field_limit_is_an_error_row_and_one_at_it_is_read(shape, where):
    fmt = "jsonl" if shape is as_jsonl else "json"

    def record(size: int) -> str:
        text = json.dumps("é" * size)  # characters, not bytes: é is two bytes in UTF-8
        field = {"value": f'"note": {text}', "key": f"{text}: 1", "deep": f'"x": [{{"y": [{text}]}}]'}[where]
        return '{"amount": "1g", "form": "oxide", ' + field + "}"

    summary, out = batch(shape(record(FIELD_CHARS_MAX), record(FIELD_CHARS_MAX + 1), B), fmt, "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["error"] == FIELD_TOO_LONG and summary.errors == 1


def test_the_csv_modules_default_field_limit_is_mgcalcs():
    """The quoted CSV reader relies on it; a Python that changed the default would be caught here."""
    probe = "import csv; print(csv.field_size_limit())"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(out.stdout) == FIELD_CHARS_MAX


# --- the depth and string measures themselves -------------------------------------------------------


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _strings(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max([0, *map(_strings, value), *map(_strings, value.values())])
    if isinstance(value, list):
        return max([0, *map(_strings, value)])
    return 0


_TEXT = st.text(alphabet='ab[]{}"\\\u00e9 \n', max_size=8)
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=20)


@settings(max_examples=300)
@given(_VALUES, st.sampled_from([None, 0, 2]), st.booleans())
def test_json_depth_and_longest_string_agree_with_the_decoded_value(value, indent, ascii_only):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert json_depth(text, stop=10**9) == _depth(value)
    assert too_deep(text) is (_depth(value) > DEPTH_MAX)
    assert longest_string(value) == _strings(value)


def test_json_depth_reads_a_slice_and_stops_counting_at_stop():
    text = "xx[[[]]]yy" + "[" * 10_000
    assert json_depth(text, 2, 8) == 3
    assert json_depth(text, 10, stop=7) == 7
    assert too_deep("[" * (DEPTH_MAX + 1) + "]" * (DEPTH_MAX + 1))
    assert not too_deep(("[" * DEPTH_MAX + "]" * DEPTH_MAX) * 3)  # many brackets, never deeper than the limit


@pytest.mark.parametrize("quote", ["", '"'])
@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_a_csv_field_over_the_limit_is_the_same_error_row_quoted_or_not(quote, output_format):
    """The unquoted field was split off without a limit, the quoted one refused by the csv module."""
    def line(sku: str, size: int) -> str:
        return f"{sku},500mg,oxide,{quote}{'y' * size}{quote}\n"

    data = "sku,amount,form,note\n" + line("a", FIELD_CHARS_MAX) + line("b", FIELD_CHARS_MAX + 1) + "c,1g,oxide,z\n"
    summary, out = batch(data, "csv", output_format)
    rows = (json.loads(r) for r in out.splitlines()) if output_format == "jsonl" else csv.DictReader(io.StringIO(out))
    assert [(r["status"], r["error"] or None) for r in rows] == [("ok", None), ("error", FIELD_TOO_LONG),
                                                                ("ok", None)]
    assert (summary.rows, summary.errors) == (3, 1)
