"""Running batch on bytes through the library and reading its rows back, the installed command, and the
POSIX mark: shared by the tests of batch on files (library, command line and regressions)."""

import csv
import io
import json
import os
import sys

import pytest

from mgcalc.batch import run
from mgcalc.references import Profile

MGCALC = [sys.executable, "-m", "mgcalc"]


POSIX = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX system")


def batch(data: bytes, input_format="csv", output_format="csv", **options):
    out = io.StringIO()
    summary = run(io.BytesIO(data), out, input_format=input_format, output_format=output_format,
                  profile=options.pop("profile", Profile()), authority="us", **options)
    return summary, out.getvalue()


def rows_of(text: str, output_format: str) -> list[dict]:
    if output_format == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [json.loads(line) for line in text.splitlines()]
