"""The CSV tables shipped in the package (``mgcalc/data/``): reading them, and their rows.

Shared by the forms table (``forms``) and the intakes table (``references``); each problem
is a FormsTableError naming the file, the line and what is wrong.
"""

import csv
import io
import math
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from mgcalc.errors import FormsTableError


def read_table(name: str, what: str) -> tuple[str, str]:
    """The text of ``mgcalc/data/<name>`` (a BOM tolerated) and its location for messages."""
    from importlib import resources

    resource = resources.files("mgcalc") / "data" / name
    try:
        text = resource.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormsTableError(f"cannot read the {what} table {resource}: {exc}") from exc
    return text, str(resource)


def optional_number(values: dict[str, str], column: str, where: str, *, low: float, high: float,
                    low_open: bool = False, noun: str = "a number", bounds: str) -> float | None:
    """An optional number cell: None when empty, else a finite number in [low, high] ((low, high] with
    ``low_open``); a FormsTableError naming file, line, column and ``bounds`` otherwise."""
    text = values[column]
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FormsTableError(f"{where}: {column} {text!r} is not {noun}") from None
    inside = (low < value if low_open else low <= value) and value <= high
    if not (math.isfinite(value) and inside):
        raise FormsTableError(f"{where}: {column} {value:g} is outside {bounds}")
    return value


def table_rows(text: str, origin: str, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of CSV text whose header has every ``required`` column."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise FormsTableError(f"{origin}:1: missing column(s) {', '.join(missing)}")
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise FormsTableError(f"{origin}:{reader.line_num}: wrong number of fields")
        yield reader.line_num, row


Row = TypeVar("Row")


class NamedRows(Generic[Row]):
    """A table's validated rows, indexed by every name each can be called (several rows may share one);
    the preparations and products tables are such tables."""

    def __init__(self, rows: tuple[Row, ...], by_key: dict[str, tuple[Row, ...]]) -> None:
        self.rows = rows
        self._by_key = by_key

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> list[str]:
        """Every lookup key (normalized name or alias)."""
        return list(self._by_key)

    def find_key(self, key: str) -> tuple[Row, ...]:
        return self._by_key.get(key, ())
