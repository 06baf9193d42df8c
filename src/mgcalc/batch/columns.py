"""The batch contract: the columns a row is read from and written with, a row's request and its
typed result, and the small shared pieces (summary, bounded memos) every stage uses.

Dependencies point one way: ``run`` -> {``records``, ``evaluate``, ``write``} -> ``columns``.
"""

import json
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from mgcalc.errors import ExitCode, MgcalcError, shown
from mgcalc.record_limits import RECORD_CHARS_MAX

RESULT_COLUMNS = (
    "status", "form_id", "percent_elemental", "elemental_mg", "mmol", "meq", "over_ul", "consistent",
    "rda_mg", "ul_mg", "percent_rda", "percent_ul", "percent_dv", "basis", "per_unit_mg", "warnings", "error",
)
#: The input fields a result is computed from, in the order of Request.
INPUT_COLUMNS = ("amount", "form", "per_day", "declared_mg", "label")
REQUIRED_COLUMNS = ("amount", "form")
#: A column of label text as printed, read instead of amount and form (``check --label``).
LABEL_COLUMN = "label"
FORMATS = ("csv", "jsonl")
INPUT_FORMATS = ("csv", "jsonl", "json")
#: Field separators recognised in a CSV header when --delimiter is not given.
DELIMITERS = (",", ";", "\t")
#: Distinct rows remembered per cache generation (two generations at most: bounds memory).
CACHE_MAX = 24_000
#: Longest input line (mgcalc's record limit, record_limits.py): a longer one is an error row, never held whole.
LINE_MAX = RECORD_CHARS_MAX
#: Most lines one CSV record may span (a quoted field with line breaks); past this the quote is unclosed.
RECORD_LINES_MAX = 100
#: Most columns a CSV output gets from the keys of JSON objects.
KEYS_MAX = 1_000
#: Rows collected before they are written (a pipe or terminal input flushes whenever it would wait).
BLOCK_ROWS = 0xFFF


class Request(NamedTuple):
    """What a row's result is computed from: its INPUT_COLUMNS values as read (None where absent).
    Text from CSV; any JSON value from JSON (refused by the field readers below when not usable)."""

    amount: Any
    form: Any
    per_day: Any
    declared_mg: Any
    label: Any = None


class RowResult(NamedTuple):
    """One row's result, typed, in RESULT_COLUMNS order (a tuple, so writers can slice it)."""

    status: str  # "ok" or "error"
    form_id: str | None
    percent_elemental: float | None
    elemental_mg: float | None
    mmol: float | None
    meq: float | None
    over_ul: bool | None
    consistent: bool | None
    rda_mg: float | None
    ul_mg: float | None
    percent_rda: float | None
    percent_ul: float | None
    percent_dv: float | None
    basis: str | None
    per_unit_mg: float | None
    warnings: str | None
    error: str | None

    @classmethod
    def failed(cls, message: str) -> "RowResult":
        """An error row's result: its message, every computed field empty."""
        return cls._make(("error", *EMPTY, message))


#: The computed fields of an error row (every column but status and error).
EMPTY: tuple[None, ...] = (None,) * (len(RESULT_COLUMNS) - 2)
#: Result columns before warnings and error (the head of an entry; see Entry).
HEAD_COLUMNS = len(RESULT_COLUMNS) - 2

#: A row's result columns serialised for the output, in two parts (all columns up to per_unit_mg,
#: then warnings and error: that part, long and the same for many rows, is one shared string), and
#: its error message (None for an ok row).
Entry = tuple[str, str, str | None]


class Summary(NamedTuple):
    """What a run did: rows written, error rows, and the first error with its input line."""

    rows: int
    errors: int
    first_error_line: int | None
    first_error: str | None

    @property
    def exit_code(self) -> ExitCode:
        """The run's exit status: OK when every row is ok, ERROR when any row had an error."""
        return ExitCode.ERROR if self.errors else ExitCode.OK

    def text(self) -> str:
        if not self.errors:
            return f"{self.rows} row{'' if self.rows == 1 else 's'}, no errors"
        return (
            f"{self.errors} of {self.rows} rows had errors; first at line {self.first_error_line}: "
            f"{self.first_error}"
        )


class Cache:
    """A bounded memo with two generations: when the current one fills up it becomes the old one,
    and old entries still in use are promoted, so hot keys survive and memory stays bounded."""

    def __init__(self, size: int = CACHE_MAX) -> None:
        self.size = size
        self.current: dict[Any, Any] = {}
        self.old: dict[Any, Any] = {}

    def miss(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The value for a key not in ``current``: from the old generation, or computed now."""
        value = self.old.get(key)
        if value is None:
            value = compute()
        self.put(key, value)
        return value

    def put(self, key: Any, value: Any) -> None:
        """Remember a value in the current generation (which becomes the old one when full)."""
        if len(self.current) >= self.size:
            self.old, self.current = self.current, {}
        self.current[key] = value


#: Most distinct strings a Strings keeps.
SHARED_MAX = 50_000


class Strings:
    """Equal strings stored once, bounded: the many cached keys that hold "citrate" share one string."""

    def __init__(self, limit: int = SHARED_MAX) -> None:
        self.limit = limit
        self._kept: dict[str, str] = {}

    def share(self, text: str) -> str:
        """An equal string already kept, else ``text`` (kept from now on)."""
        kept = self._kept
        found = kept.get(text)
        if found is None:
            if len(kept) >= self.limit:
                kept.clear()
            found = kept[text] = text
        return found

    def key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """A key with each of its strings shared."""
        kept = self._kept
        if len(kept) >= self.limit:
            kept.clear()
        share = kept.setdefault
        return tuple([share(k, k) if type(k) is str else k for k in key])


_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(memo: dict[_K, _V], key: _K, value: _V, limit: int) -> _V:
    """``value``, kept under ``key`` in a memo that is emptied when it holds ``limit`` entries."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value


def header_name(name: str) -> str:
    """How a column name (a CSV header cell, a JSON key) is matched: case and surrounding spaces ignored."""
    return name.strip().casefold()


# --- a request's fields read ------------------------------------------------------------------------


def read_text(value: Any, column: str) -> str:
    """A text field (amount, form, label) as text; MgcalcError if empty or not text."""
    if value is None or value == "":
        raise MgcalcError(f"{column} is empty")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MgcalcError(f"{column} {shown(json.dumps(value))} is not text")
    return str(value)


def read_per_day(value: Any) -> int:
    """per_day as a whole number (1 when empty); MgcalcError if it is not one."""
    if value is None or value == "":
        return 1
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            raise MgcalcError(f"per_day {shown(value)} is not a whole number")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MgcalcError(f"per_day {shown(json.dumps(value))} is not a whole number")
    return value


def read_declared(value: Any) -> str:
    """declared_mg is in mg when it is a bare number; a unit may be given ("64 mg", "2.6 mmol")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MgcalcError(f"declared_mg {shown(json.dumps(value))} is not a number")
    text = str(value).strip()
    return f"{text} mg" if text and (text[-1].isdigit() or text[-1] == ".") else text


class Object(NamedTuple):
    """One record read as an object (JSON Lines, a JSON array, and the other object formats): the
    line it starts on, its fields, or None with the problem when nothing usable could be read."""

    line: int
    value: dict[str, Any] | None
    problem: str | None
