"""The batch package's shape (issue 21): its stages depend one way, none is over 500 lines, the
evaluator writes no text itself, and a new object format is one entry in records.OBJECT_READERS.

A cross-cutting suite (the batch package's shape as a whole): it stays whole rather than
split by module (docs/development.md)."""

import ast
import io
import json
from importlib import resources

from mgcalc.batch import OBJECT_READERS, Object, run
from mgcalc.references import Profile

#: What each stage may import from the package (run -> {records, evaluate, write} -> columns).
ALLOWED = {
    "columns": set(),
    "decoding": {"columns"},
    "csv_records": {"columns", "decoding"},
    "json_records": {"columns", "decoding"},
    "records": {"columns", "decoding", "csv_records", "json_records"},
    "evaluate": {"columns"},
    "write": {"columns"},
    "run": {"columns", "decoding", "records", "evaluate", "write"},
    "__init__": {"columns", "records", "evaluate", "write", "run"},
}


def _modules() -> dict[str, ast.Module]:
    package = resources.files("mgcalc") / "batch"
    return {m.name[:-3]: ast.parse(m.read_text(encoding="utf-8")) for m in package.iterdir() if m.name.endswith(".py")}


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_every_stage_imports_only_the_stages_below_it():
    modules = _modules()
    assert set(modules) == set(ALLOWED)
    for name, tree in modules.items():
        inside = {m.removeprefix("mgcalc.batch.") for m in _imported(tree) if m.startswith("mgcalc.batch.")}
        assert inside <= ALLOWED[name], (name, inside - ALLOWED[name])
        assert not {m.split(".")[0] for m in _imported(tree)} & {"typer", "click", "rich"}, name


def test_no_stage_is_over_500_lines_and_the_evaluator_imports_neither_csv_nor_json():
    package = resources.files("mgcalc") / "batch"
    for module in package.iterdir():
        if module.name.endswith(".py"):
            assert len(module.read_text(encoding="utf-8").splitlines()) <= 500, module.name
    assert not _imported(_modules()["evaluate"]) & {"csv", "json"}


def test_a_reader_registered_for_a_format_is_what_run_reads_it_with(monkeypatch):
    def pairs(text):
        """A made-up format: 'amount|form' per line."""
        for number, line in enumerate(text, start=1):
            amount, _, form = line.strip().partition("|")
            yield Object(number, {"amount": amount, "form": form}, None) if form else Object(number, None, "no form")

    monkeypatch.setitem(OBJECT_READERS, "pairs", pairs)
    out = io.StringIO()
    summary = run(io.BytesIO(b"500mg|oxide\n400mg\n"), out, input_format="pairs", output_format="jsonl",
                  profile=Profile(), authority="us")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert rows[0]["form_id"] == "oxide" and rows[0]["elemental_mg"] > 0
    assert rows[1]["error"] == "no form"
    assert (summary.rows, summary.errors, summary.first_error_line) == (2, 1, 2)


def test_a_byte_order_mark_a_pipe_delivers_in_pieces_is_dropped(tmp_path):
    """The mark is decided in one place (files.bom_of, then the decoder): no reader strips it again,
    so one split across two reads of a FIFO must not reach the header."""
    import os
    import threading
    import time

    from mgcalc import files

    fifo = tmp_path / "rows"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb", buffering=0) as pipe:
            pipe.write(b"\xef")
            time.sleep(0.3)  # the reader's first read gets one byte of the mark
            pipe.write(b"\xbb\xbfamount,form\n500mg,oxide\n")

    writer = threading.Thread(target=write)
    writer.start()
    raw = files.open_input(str(fifo))
    out = io.StringIO()
    try:
        summary = run(raw, out, input_format="csv", output_format="csv", profile=Profile(), authority="us")
    finally:
        raw.close()
        writer.join()
    assert (summary.rows, summary.errors) == (1, 0)
    assert out.getvalue().startswith("amount,form,status,")


def test_the_evaluator_returns_typed_results_and_repeats_a_dose_as_the_same_object():
    from mgcalc.batch import Request, RowEvaluator, RowResult

    evaluator = RowEvaluator(Profile(), "us")
    first = evaluator.result(Request("500mg", "citrate", "2", "80.8"))  # declared per dose, as a label prints it
    assert isinstance(first, RowResult)
    assert (first.status, first.form_id, first.consistent, first.over_ul) == (
        "ok", "trimagnesium-dicitrate-anhydrous", True, False)
    assert isinstance(first.elemental_mg, float) and first.elemental_mg == 2 * 500 * first.percent_elemental / 100
    # the same dose spelled otherwise, with the same verdict: the same result, not a new one
    assert evaluator.result(Request("0.5 g", "citrate", "2", "80.8 mg")) is first
    wrong = evaluator.result(Request("500mg", "citrate", "2", "300"))
    assert wrong.consistent is False and wrong._replace(consistent=True) == first


def test_the_writers_memo_never_gives_one_results_text_to_an_equal_result_of_other_types():
    """400 == 400.0 and 0.0 == -0.0 in Python, but they are written differently: the memo finds a
    result by identity, so each is written as its own values say."""
    from mgcalc.batch import RowResult, Writer

    writer = Writer("csv")
    base = RowResult("ok", "oxide", 60.0, 0.0, 0.0, 0.0, False, None, 400.0, 350.0, 0.0, 0.0, 0.0, None, None, "", None)
    other = base._replace(rda_mg=400, elemental_mg=-0.0)
    assert base == other
    head, tail, error = writer.entry(base)
    assert writer.entry(base) == (head, tail, error) and error is None
    assert ",400.0," in head and ",0.0," in head
    other_head, _, _ = writer.entry(other)
    assert ",400," in other_head and ",-0.0," in other_head


def test_the_run_decides_its_exit_status_in_its_summary():
    out = io.StringIO()
    clean = run(io.BytesIO(b"amount,form\n500mg,oxide\n"), out, input_format="csv", output_format="csv",
                profile=Profile(), authority="us")
    failed = run(io.BytesIO(b"amount,form\n500mg,oxide\n500,oxide\n"), out, input_format="csv", output_format="csv",
                 profile=Profile(), authority="us")
    assert (clean.exit_code, failed.exit_code) == (0, 1)
