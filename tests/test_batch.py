"""The batch package through the library (mgcalc.batch.run): nothing lost, nothing reordered, bad rows
reported in place. The command: tests/cli/test_cli_batch.py."""

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import GOOD, batch, csv_text, parse_csv
from mgcalc import dose
from mgcalc.batch import RESULT_COLUMNS, Cache, run
from mgcalc.check import check
from mgcalc.references import Profile


def test_every_row_in_order_with_pass_through_columns_and_the_dose_logic():
    summary, out = batch(csv_text(GOOD).encode())
    rows = parse_csv(out)
    assert [r["sku"] for r in rows] == [g[0] for g in GOOD]
    assert summary.rows == 5 and summary.errors == 0
    for row, (_sku, amount, form, per_day, declared) in zip(rows, GOOD, strict=True):
        assert (row["amount"], row["form"], row["per_day"], row["declared_mg"]) == (amount, form, per_day, declared)
        expected = dose(amount, form, per_day=int(per_day or 1))
        assert row["status"] == "ok" and row["error"] == ""
        assert float(row["elemental_mg"]) == expected.elemental_mg
        assert float(row["mmol"]) == expected.mmol and float(row["meq"]) == expected.meq
        assert row["form_id"] == expected.components[0].form.id
        assert row["over_ul"] == ("true" if expected.over_ul else "false")
        if declared:
            assert row["consistent"] == ("true" if check(f"{declared}mg", amount, form).consistent else "false")
        else:
            assert row["consistent"] == ""
    assert list(rows[0]) == ["sku", "amount", "form", "per_day", "declared_mg", *RESULT_COLUMNS]


def test_a_misprinted_declared_figure_is_inconsistent():
    _, out = batch(csv_text([("X", "500mg", "citrate", "", "500")]).encode())
    assert parse_csv(out)[0]["consistent"] == "false"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"B,500mg,citrat,,", "unknown form 'citrat'"),
        (b"B,500,citrate,,", "no unit"),
        (b"B,,citrate,,", "amount is empty"),
        (b"B,500mg,,,", "form is empty"),
        (b"B,500mg,citrate,two,", "per_day 'two' is not a whole number"),
        (b"B,500mg,citrate,,lots", "declared magnesium"),
        (b"B,500mg,citrate", "expected 5 fields, found 3"),
        (b"B,500mg,citrate,1,2,3,4", "expected 5 fields, found 7 (extra: 3,4)"),
        (b"B,500mg,citr\xe9,,", "invalid UTF-8"),
        (b"B,500mg,stearate,,", "not a magnesium source"),
    ],
)
def test_a_bad_row_becomes_an_error_row_between_computed_neighbours(line, message):
    data = csv_text([GOOD[0]]).encode() + line + b"\r\n" + csv_text([GOOD[1]]).split("\r\n", 1)[1].encode()
    summary, out = batch(data)
    rows = parse_csv(out)
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert message in rows[1]["error"] and rows[1]["elemental_mg"] == ""
    assert rows[1]["sku"] == "B"
    assert summary.errors == 1 and summary.first_error_line == 3 and message in summary.text()


def test_quoted_fields_multi_line_records_bom_crlf_and_blank_lines():
    data = ("\ufeffsku,amount,form\r\n" '"with ""quotes"", and\r\nnewline",500mg,citrate\r\n\r\n'
            'x,"1,250 mg",oxide\n').encode()
    summary, out = batch(data)
    rows = parse_csv(out)
    assert [r["sku"] for r in rows] == ['with "quotes", and\r\nnewline', "x"]
    assert [r["status"] for r in rows] == ["ok", "ok"] and summary.rows == 2


def test_the_input_line_is_passed_through_verbatim():
    line = 'x, spaced ,500mg,citrate,"quoted, comma"'
    _, out = batch(f"a,b,amount,form,c\n{line}\n".encode())
    assert out.splitlines()[1].startswith(line + ",ok,")


def test_input_columns_named_like_results_are_replaced():
    _, out = batch(b"amount,form,status,error\n500mg,citrate,old,old\n")
    rows = parse_csv(out)
    assert list(rows[0]) == ["amount", "form", *RESULT_COLUMNS]
    assert rows[0]["status"] == "ok"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"sku,amount\n1,500mg\n", "no 'form' column"), (b"a,a,form,amount\n", "twice")],
)
def test_an_unusable_input_is_an_error(data, message):
    from mgcalc import MgcalcError

    with pytest.raises(MgcalcError, match=message):
        batch(data)


def test_jsonl_round_trip_and_errors():
    lines = [json.dumps({"id": i, "amount": a, "form": f, "per_day": p or None, "declared_mg": d or None})
             for i, (_, a, f, p, d) in enumerate(GOOD)]
    data = ("\n".join(lines[:2]) + "\nnot json\n[1]\n" + "\n".join(lines[2:]) + "\n").encode()
    summary, out = batch(data, input_format="jsonl", output_format="jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 7 and summary.errors == 2
    assert [r.get("id") for r in records] == [0, 1, None, None, 2, 3, 4]
    assert records[2]["status"] == "error" and "not JSON" in records[2]["error"]
    assert records[0]["elemental_mg"] == pytest.approx(161.633, rel=1e-4) and records[0]["over_ul"] is False


def test_csv_to_jsonl_and_back_keeps_every_value():
    _, as_jsonl = batch(csv_text(GOOD).encode(), output_format="jsonl")
    records = [json.loads(line) for line in as_jsonl.splitlines()]
    assert [r["sku"] for r in records] == [g[0] for g in GOOD]
    inputs = "\n".join(json.dumps({k: r[k] for k in ("sku", "amount", "form", "per_day", "declared_mg")})
                       for r in records)
    _, as_csv = batch(inputs.encode(), input_format="jsonl", output_format="csv")
    direct = parse_csv(batch(csv_text(GOOD).encode())[1])
    assert parse_csv(as_csv) == direct


class _Pipe(io.BytesIO):
    """Input that cannot be read twice, as from a pipe."""

    def seekable(self):
        return False


def test_jsonl_to_csv_columns_are_every_key_of_a_file_and_a_new_key_on_a_pipe_is_an_error_row():
    data = b'{"amount":"500mg","form":"citrate"}\n{"amount":"1g","form":"oxide","note":"x"}\n'
    summary, out = batch(data, input_format="jsonl", output_format="csv")
    rows = parse_csv(out)
    assert [r["status"] for r in rows] == ["ok", "ok"] and [r["note"] for r in rows] == ["", "x"]
    out = io.StringIO()
    summary = run(_Pipe(data), out, input_format="jsonl", output_format="csv", profile=Profile(), authority="us")
    rows = parse_csv(out.getvalue())
    assert rows[1]["status"] == "error" and "note" in rows[1]["error"] and summary.errors == 1


def test_the_profile_applies_to_the_whole_run():
    data = csv_text([("c", "250mg", "oxide", "", "")]).encode()
    adult = parse_csv(batch(data)[1])[0]["over_ul"]
    toddler = parse_csv(batch(data, profile=Profile(age=2))[1])[0]["over_ul"]
    assert (adult, toddler) == ("false", "true")


def test_the_cache_keeps_hot_keys_and_stays_bounded():
    cache = Cache(size=3)
    computed = []

    def upper(key):
        computed.append(key)
        return key.upper()

    for key in "abcdefg":
        cache.miss(key, lambda key=key: upper(key))
        found = cache.current.get("a")
        assert (found if found is not None else cache.miss("a", lambda: upper("a"))) == "A"
        assert len(cache.current) <= 3 and len(cache.old) <= 3
    assert computed.count("a") == 1  # promoted from the old generation each time, never computed again


# --- the command --------------------------------------------------------------------------------


_RESULT_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.sampled_from(['a', ',', ';', '\t', '"', '\r', '\n', 'é', '%', 'e', '.', '\udce9'])),
)


@settings(max_examples=300, deadline=None)
@given(values=st.tuples(*[_RESULT_VALUES] * len(RESULT_COLUMNS)),
       delimiter=st.sampled_from([",", ";", "\t", "e", ".", "-", "|", "s", "l", "%"]))
def test_result_columns_serialised_as_csv_writer_and_json_dumps_write_them(values, delimiter):
    """The cached result part is written without csv.writer or json.dumps per result: it must be
    exactly what they write (QUOTE_MINIMAL quoting by delimiter, json.dumps spellings and separators)."""
    from mgcalc.batch import Writer

    as_csv = Writer("csv", delimiter).serialised(values)
    buffer = io.StringIO()
    cells = ["" if v is None else {True: "true", False: "false"}[v] if isinstance(v, bool) else
             v if isinstance(v, str) else repr(v) for v in values]
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(["x", *cells])
    assert "".join(as_csv) == buffer.getvalue()[1:-2] + "\n"
    as_json = Writer("jsonl").serialised(values)
    expected = json.dumps(dict(zip(RESULT_COLUMNS, values, strict=True)), ensure_ascii=False)
    assert "{" + "".join(as_json) == expected + "\n"


_FIELD_CHARACTERS = ["a", ",", '"', "\\", "\n", "\t", "\x01", "\x7f", " ", "é", "%"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(_FIELD_CHARACTERS), max_size=6), min_size=2, max_size=2),
                max_size=8), st.booleans())
def test_jsonl_output_holds_each_csv_field_as_the_csv_module_reads_it(rows, unclosed):
    """Pass-through fields go into JSON Lines as they are read, whatever they hold (quotes,
    backslashes, control characters, line breaks inside quotes, a quote left open at the end of
    the input): each output line is JSON."""
    source = io.StringIO()
    csv.writer(source, lineterminator="\n").writerows([["note", "form", "amount"], *([*r, "500mg"] for r in rows)])
    if unclosed:
        source.write('q,citrate,"2,\n')
    out = io.StringIO()
    summary = run(io.BytesIO(source.getvalue().encode()), out, input_format="csv", output_format="jsonl",
                  profile=Profile(), authority="us")
    expected = [row for row in csv.reader(io.StringIO(source.getvalue()))][1:]
    expected = [row for row in expected if row]
    lines = out.getvalue().splitlines()
    assert summary.rows == len(lines) == len(expected)
    assert [[json.loads(line)[c] for c in ("note", "form", "amount")] for line in lines] == expected


_REQUEST_FIELDS = st.tuples(
    st.sampled_from(["500mg", "500 mg", "0.5 g", "1,250 mg", "2000 mg", "5 grains", "15 mL", "1 sachet", "500", "",
                     "1.250 mg", "abc", "0.001 mg", "600mg"]),
    st.sampled_from(["citrate", "Magnesium Citrate", "oxide", "carbonate", "chloride", "MgSO4·7H2O",
                     "milk of magnesia", "magnaspartate", "sulfate 50%", "citrat", "", "stearate", "Mg(OAc)2"]),
    st.sampled_from(["", "1", "2", " 3", "03", "24", "25", "0", "x"]),
    st.sampled_from(["", "80", "64 mg", "2.6 mmol", "500", "abc", "0", "301.5"]),
)


@settings(max_examples=300, deadline=None)
@given(requests=st.lists(_REQUEST_FIELDS, min_size=1, max_size=12), output_format=st.sampled_from(["csv", "jsonl"]),
       delimiter=st.sampled_from([",", ";", "\t", "e", "%", "s", "|"]),
       profile=st.sampled_from([Profile(), Profile(age=2), Profile(age=0.5), Profile(age=30, sex="female",
                                                                                   pregnant=True)]),
       authority=st.sampled_from(["us", "uk", "ca"]))
def test_every_cached_path_gives_what_the_row_computed_alone_gives(requests, output_format, delimiter, profile,
                                                                    authority):
    """Doses shared by spelling, declared figures judged against a shared dose, the plan's arithmetic,
    the writer's memo of results it has written: each row's result, and its text, must equal the row's
    result computed on its own (RowEvaluator.compute) and written by a fresh writer, whatever came
    before it in the run."""
    from mgcalc.batch import Request, RowEvaluator, RowResult, Writer
    from mgcalc.errors import MgcalcError

    evaluator = RowEvaluator(profile, authority)
    writer = Writer(output_format, delimiter)
    for amount, form, per_day, declared in requests:
        try:
            expected = RowEvaluator(profile, authority).compute(amount, form, per_day, declared)
        except MgcalcError as exc:
            expected = RowResult.failed(" ".join(str(exc).split()))
        got = evaluator.result(Request(amount, form, per_day, declared))
        assert got == expected
        assert writer.entry(got) == (*Writer(output_format, delimiter).serialised(expected), expected.error)


@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_memos_emptied_and_refilled_again_and_again_write_the_same_bytes(monkeypatch, output_format):
    """Every memo of the evaluator, the writer and the request cache at a size of 2 or 3 (each empties
    or turns over every few rows): the output must be byte for byte the one with the usual sizes."""
    import importlib
    import itertools

    amounts = ["500mg", "500 mg", "0.5 g", "1,250 mg", "2000 mg", "5 grains", "15 mL", "500", "abc", "600mg"]
    forms = ["citrate", "Magnesium Citrate", "oxide", "carbonate", "MgSO4·7H2O", "milk of magnesia", "citrat"]
    rows = [(f"r{i}", a, f, d, p) for i, (a, f, d, p) in enumerate(itertools.product(
        amounts, forms, ["80", "64 mg", "", "500"], ["", "2"]))]
    data = csv_text(rows * 2, header=("sku", "amount", "form", "declared_mg", "per_day")).encode()
    _, usual = batch(data, output_format=output_format)
    evaluate, write = importlib.import_module("mgcalc.batch.evaluate"), importlib.import_module("mgcalc.batch.write")
    for module, name in ((evaluate, "_DOSES_MAX"), (evaluate, "_MASSES_MAX"), (write, "_WRITTEN_MAX"),
                         (write, "_TAILS_MAX"), (importlib.import_module("mgcalc.batch.run"), "CACHE_MAX")):
        monkeypatch.setattr(module, name, 2)
    _, small = batch(data, output_format=output_format)
    assert small == usual and len(parse_csv(usual) if output_format == "csv" else usual.splitlines()) == len(rows) * 2


def test_json_values_equal_in_python_are_not_one_cache_key():
    """1, 1.0 and true are equal as Python keys; as JSON fields they differ, whatever the row order."""
    rows = [{"amount": "500mg", "form": "oxide", "per_day": 1}, {"amount": "500mg", "form": "oxide", "per_day": True},
            {"amount": "500mg", "form": "oxide", "per_day": 1.0}, {"amount": 1, "form": "oxide"},
            {"amount": True, "form": "oxide"}, {"amount": 0.0, "form": "oxide"}, {"amount": -0.0, "form": "oxide"}]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    _, out = batch(data, output_format="jsonl", input_format="jsonl")
    got = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in got] == ["ok", "error", "error", "error", "error", "error", "error"]
    assert "negative" in got[6]["error"] and "negative" not in got[5]["error"]
    assert got[1]["error"] == "per_day 'true' is not a whole number"
    assert got[2]["error"] == "per_day '1.0' is not a whole number"
    assert got[4]["error"] == "amount 'true' is not text"
