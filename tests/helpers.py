"""What several test files share: the test data folders, running batch through the library on bytes
or text and reading its rows back, label rows as CSV, records at the batch record limits, and a few
names the tests spell the same way. (Command-line runs: cli_helpers.py; JSON key sets: contract.py;
independent oracles of the arithmetic: oracles.py.)"""

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

from mgcalc.batch import run
from mgcalc.references import Profile

#: tests/data: label lines, panels, real panels.
DATA = Path(__file__).parent / "data"
#: tests/data/datasets: DSLD, openFDA and SPL records.
DATASETS = DATA / "datasets"
#: The installed command, run as a module of the interpreter running the tests.
MGCALC = [sys.executable, "-m", "mgcalc"]
POSIX = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX system")


def batch(data: bytes | str, input_format="csv", output_format="csv", **options):
    """(summary, output text) of ``mgcalc.batch.run`` on bytes (text is encoded as UTF-8)."""
    raw = data.encode() if isinstance(data, str) else data
    out = io.StringIO()
    summary = run(io.BytesIO(raw), out, input_format=input_format, output_format=output_format,
                  profile=options.pop("profile", Profile()), authority="us", **options)
    return summary, out.getvalue()


def rows_of(text: str, output_format: str) -> list[dict]:
    if output_format == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [json.loads(line) for line in text.splitlines()]


# --- label rows as a CSV file -------------------------------------------------------------------------

GOOD = [
    ("A1", "500mg", "citrate", "2", "80"),
    ("A2", "535 mg", "chloride hexahydrate", "", "64"),
    ("A3", "1,250 mg", "oxide", "", ""),
    ("A4", "5 grains", "MgSO4·7H2O", "3", ""),
    ("A5", "0.5 g", "glycinate", "1", "500"),
]


def csv_text(rows, header=("sku", "amount", "form", "per_day", "declared_mg")):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- records at and past the batch record limits -------------------------------------------------------

TOO_DEEP = "nested more than 100 levels deep (mgcalc's limit)"
FIELD_TOO_LONG = "a field longer than 131,072 characters (mgcalc's field limit)"
A = '{"amount": "500mg", "form": "citrate"}'


def nested(depth: int, inner: str = "1") -> str:
    """A record whose pass-through field ``x`` makes it ``depth`` levels deep (the object is one)."""
    return '{"amount": "1g", "form": "oxide", "x": ' + "[" * (depth - 1) + inner + "]" * (depth - 1) + "}"


def as_jsonl(*records: str) -> str:
    return "".join(r + "\n" for r in records)


# --- names the tests spell the same way --------------------------------------------------------------------

#: The panel row the serving-basis tests share.
ROW = "Magnesium 300 mg (as magnesium oxide 500 mg)"
#: The kinds of an interaction row.
SPACING, AVOID, STATUS = "spacing", "avoid", "affects-magnesium-status"
