"""Records at and past the batch record limits, and running batch on text through the library."""

import io

from mgcalc.batch import run
from mgcalc.references import Profile

TOO_DEEP = "nested more than 100 levels deep (mgcalc's limit)"


FIELD_TOO_LONG = "a field longer than 131,072 characters (mgcalc's field limit)"


A = '{"amount": "500mg", "form": "citrate"}'


def batch(text: str, input_format: str, output_format: str = "jsonl"):
    out = io.StringIO()
    summary = run(io.BytesIO(text.encode()), out, input_format=input_format, output_format=output_format,
                  profile=Profile(), authority="us")
    return summary, out.getvalue()


def nested(depth: int, inner: str = "1") -> str:
    """A record whose pass-through field ``x`` makes it ``depth`` levels deep (the object is one)."""
    return '{"amount": "1g", "form": "oxide", "x": ' + "[" * (depth - 1) + inner + "]" * (depth - 1) + "}"


def as_jsonl(*records: str) -> str:
    return "".join(r + "\n" for r in records)
