"""Batch processing: label rows stream in, exactly one result row per input row streams out.

Input is CSV with a header, JSON Lines, or a JSON array of objects; required fields ``amount``
and ``form``, optional ``per_day`` and ``declared_mg``; every other field passes through
untouched. Each row is evaluated by the functions ``mgcalc dose`` and ``mgcalc check`` use: a
compound's mass through ``dose.Plan`` (the form read once, then ``dose``'s own arithmetic), any
other amount, and labels, through ``RowEvaluator.compute`` (``dose.dose``, ``check.check_label``);
a declared figure by ``check.agrees``. Results are cached per distinct request together with their
serialised result columns: label data repeats the same few hundred values, so most rows cost a
dictionary lookup (tests compare every cached path with the row computed alone). A bad row
becomes an error row; it never stops the run. Memory stays constant: rows are streamed, the
caches are bounded.
"""

import codecs
import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import IO, Any, NamedTuple, TypeVar

from mgcalc.check import agrees, expected_mg, is_consistent
from mgcalc.dose import NotAMass, Plan, dose
from mgcalc.errors import MgcalcError, shown
from mgcalc.forms import load_forms
from mgcalc.record_limits import (
    FIELD_CHARS_MAX,
    FIELD_TOO_LONG,
    RECORD_CHARS_MAX,
    RECORD_TOO_LONG,
    TOO_DEEP,
    json_scan,
    longest_string,
    too_deep,
)
from mgcalc.references import Profile, load_intakes
from mgcalc.units import magnesium_mg, parse_amount

RESULT_COLUMNS = (
    "status", "form_id", "percent_elemental", "elemental_mg", "mmol", "meq", "over_ul", "consistent",
    "rda_mg", "ul_mg", "percent_rda", "percent_ul", "percent_dv", "basis", "per_unit_mg", "warnings", "error",
)
#: The input fields a result is computed from, in the order RowEvaluator.compute takes them.
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
_TOO_LONG_MESSAGE = f"line {RECORD_TOO_LONG}"


def _too_long(line: Any, lines: Iterator[Any]) -> bool:
    """Whether ``line`` is the first LINE_MAX of a longer line; if so, its rest is read and dropped."""
    if len(line) < LINE_MAX or line[-1:] in ("\n", "\r"):
        return False
    for rest in lines:  # a piece at a time: memory stays bounded
        if rest[-1:] in ("\n", "\r"):
            break
    return True


class Summary(NamedTuple):
    """What a run did: rows written, error rows, and the first error with its input line."""

    rows: int
    errors: int
    first_error_line: int | None
    first_error: str | None

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


# --- one row's result -------------------------------------------------------------------------------

#: A row's result columns serialised for the output, in two parts (all columns up to percent_dv,
#: then warnings and error: that part, long and the same for many rows, is one shared string), and
#: its error message (None for an ok row).
Entry = tuple[str, str, str | None]
_CSV_FLAGS: dict[bool | None, str] = {None: "", True: "true", False: "false"}
#: How each type of result value is written in CSV: numbers unrounded (repr), flags true/false, None empty.
_CSV_CELL: dict[type, Callable[[Any], str]] = {
    str: str, float: repr, int: repr, bool: _CSV_FLAGS.__getitem__, type(None): _CSV_FLAGS.__getitem__,
}
_EMPTY = (None,) * (len(RESULT_COLUMNS) - 2)
#: Where the ``consistent`` column is: the one result column that depends on declared_mg.
_CONSISTENT = RESULT_COLUMNS.index("consistent")
_HEAD_COLUMNS = len(RESULT_COLUMNS) - 2
#: Characters a number's repr or a flag (true, false) may hold: a delimiter among them makes those
#: cells need quoting too.
_NUMBER_CHARACTERS = "0123456789.e+-infa" + "truls"
_json_string = json.encoder.encode_basestring  # the C encoder json.dumps uses
_JSON_CONSTANTS: dict[bool | None, str] = {None: "null", True: "true", False: "false"}


def _json_template(columns: tuple[str, ...]) -> str:
    """``"name": %s, `` for each column, as json.dumps separates an object's items."""
    return "".join(json.dumps(c).replace("%", "%%") + ": %s, " for c in columns)


#: The result columns as JSON Lines writes them after a row's own fields (json.dumps' separators):
#: the head up to ``consistent``'s value, the head after it, and the tail.
_JSON_BEFORE = _json_template(RESULT_COLUMNS[:_CONSISTENT + 1])[:-4]
_JSON_AFTER = ", " + _json_template(RESULT_COLUMNS[_CONSISTENT + 1:_HEAD_COLUMNS])
_JSON_TAIL = _json_template(RESULT_COLUMNS[_HEAD_COLUMNS:])[:-2] + "}\n"
#: Most distinct strings (input fields of cached keys, shared result parts) kept for sharing.
_SHARED_MAX = 50_000
#: Most amount texts whose reading is remembered.
_MASSES_MAX = 16_384
#: Distinct doses (amount as read, form, per_day) remembered per generation, below the request cache.
_DOSES_MAX = 16_000
#: Most distinct warnings texts kept serialised (those over the upper level name the amount).
_TAILS_MAX = 4_096


def _json_value(value: Any) -> str:
    """``value`` as json.dumps(..., ensure_ascii=False) writes it, without building a dict per row."""
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if kind is float and value - value == 0:  # finite (NaN and infinities as json.dumps spells them)
        return repr(value)
    if kind is int:
        return repr(value)
    if kind is bool or value is None:
        return _JSON_CONSTANTS[value]
    return json.dumps(value, ensure_ascii=False)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V, limit: int) -> _V:
    """``value``, kept under ``key`` in a memo that is emptied when it holds ``limit`` entries."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value


class _Dosed(NamedTuple):
    """A dose's result columns serialised, with where ``consistent`` (the one column declared_mg
    changes) is in the head, so that requests differing only in declared_mg cost a comparison and
    a concatenation, not a dose."""

    head: str  # with consistent empty
    start: int  # the consistent cell is head[start:end]
    end: int
    tail: str
    expected_mg: float  # the magnesium a label should declare per dose (check's figure)
    error: str | None  # the dose cannot be computed: the row's message


def _split_dosed(before: str, cell: str, after: str, tail: str, expected: float) -> _Dosed:
    """A dose's _Dosed from its head's three parts (see RowEvaluator._halves)."""
    return _Dosed(before + cell + after, len(before), len(before) + len(cell), tail, expected, None)


class _Planned(NamedTuple):
    """A Plan and its result columns as templates: the cells that do not depend on the amount
    written in, ``%s`` for those that do (empty templates: the cells are made one by one)."""

    plan: Plan
    before: str  # status to over_ul: %s for elemental_mg, mmol, meq and over_ul
    after: str  # rda_mg to percent_dv: %s for percent_rda, percent_ul and percent_dv


#: per_day as most files write it.
_DAYS: dict[Any, int] = {"": 1, None: 1, **{str(n): n for n in range(1, 25)}}


def _label_basis(result: Any, unit_mg: float | None) -> tuple[str | None, float | None]:
    """A label row's ``basis`` cell (what its figures are for: "2 tablets", "tablet", "15 mL") and
    ``per_unit_mg`` (the magnesium in one counted unit: a tablet, a capsule; None for a volume)."""
    from mgcalc.basis import MEASURES

    basis = result.basis
    if basis is None:
        return result.per, None
    said = basis.described()
    if unit_mg is None or basis.unit in MEASURES or basis.unit == "serving":
        return said, None
    return said, unit_mg / basis.units


class RowEvaluator:
    """Turns a row's request (its INPUT_COLUMNS values) into its serialised result columns, cached.

    For CSV output an entry is the result columns as CSV text with a leading delimiter and the
    newline; for JSON Lines it is ``"status": ..., "error": ...}`` and the newline, to follow the
    row's own fields; either way in two parts (see Entry). A repeated request costs one dictionary
    lookup. Below that cache, doses are cached by their amount as read (``"500mg"``, ``"500 mg"``
    and ``"0.5 g"`` share one), form text and per_day, with their columns serialised: a request
    new only in its spelling or its declared_mg costs a few lookups, not a dose evaluation. A
    cached key's strings are shared with equal ones already cached (one "citrate" for all the keys
    that hold it), so the cache holds many keys in little memory.
    """

    def __init__(self, profile: Profile, authority: str, output_format: str, delimiter: str = ",") -> None:
        self.profile = profile
        self.authority = authority
        self._csv = output_format == "csv"
        self.delimiter = delimiter
        self._numbers_plain = delimiter not in _NUMBER_CHARACTERS
        self.cache = Cache(CACHE_MAX)
        self._doses = Cache(_DOSES_MAX)  # (amount as read, form, per_day): its _Dosed
        self._shared: dict[str, str] = {}  # equal strings stored once
        self._masses: dict[str, float | str] = {}  # amount text: its mg, if a mass
        self._plans: dict[tuple[str, int], _Planned | str | None] = {}  # (form text, per_day): its plan
        self._tails: dict[tuple[str, ...], str] = {}  # a plan's warnings: their serialised tail
        self._declared: dict[str, float | str] = {}  # declared_mg text: its mg, or why it cannot be read
        #: The consistent cell of each verdict, as this output writes it.
        self._flags = {v: self._cells((*_EMPTY[:_CONSISTENT], v))[_CONSISTENT] for v in (None, True, False)}
        self._none = self._flags[None]

    def entry(self, key: Any, request: Callable[[Any], tuple[Any, ...]] = tuple) -> Entry:
        """The entry of a row's key; ``request(key)`` aligns a key with INPUT_COLUMNS (None where absent)."""
        cache = self.cache
        try:
            found = cache.current.get(key)
            if found is None:
                found = cache.old.get(key)
        except TypeError:  # an unhashable JSON value (a list or object)
            return self._entry(request(key))
        if found is None:
            found = self._entry(request(key))
        if type(key) is tuple:
            shared = self._shared
            if len(shared) >= _SHARED_MAX:
                shared.clear()
            share = shared.setdefault
            key = tuple([share(k, k) if type(k) is str else k for k in key])
        cache.put(key, found)
        return found

    def _share(self, text: str) -> str:
        """An equal string already kept, else ``text`` (kept from now on)."""
        shared = self._shared
        found = shared.get(text)
        return _remember(shared, text, text, _SHARED_MAX) if found is None else found

    def error(self, message: str) -> Entry:
        """An error row's entry: status and message, the computed fields empty."""
        return (*self._serialised(("error", *_EMPTY, message)), message)

    def _entry(self, request: tuple[Any, ...]) -> Entry:
        amount, form, per_day, declared, _ = request  # a label is read only without an amount (compute)
        if type(amount) is not str or type(form) is not str or not amount or not form or (
                declared is not None and type(declared) is not str):
            # a label, a missing field, a JSON number or list: computed as it stands, not cached below
            try:
                return (*self._serialised(self.compute(*request)), None)
            except MgcalcError as exc:
                return self.error(" ".join(str(exc).split()))
        days = _DAYS.get(per_day) if per_day is None or type(per_day) is str else None  # (the usual spellings)
        if days is None:
            try:
                days = _per_day(per_day)
            except MgcalcError as exc:
                return self.error(" ".join(str(exc).split()))
        mg = self._mass(amount)
        doses = self._doses
        dosed = doses.current.get((mg, form, days))
        if dosed is None:  # from the old generation (promoted), or computed now
            dosed = doses.miss((mg, self._share(form), days), partial(self._dosed, amount, mg, form, days))
        if dosed.error is not None:
            return dosed.head, dosed.tail, dosed.error
        if declared is None or declared == "":
            return dosed.head, dosed.tail, None
        declared_mg = self._declared_mg(declared)
        if isinstance(declared_mg, str):
            return self.error(declared_mg)
        head = dosed.head
        consistent = self._flags[agrees(declared_mg, dosed.expected_mg)]
        return head[:dosed.start] + consistent + head[dosed.end:], dosed.tail, None

    def _declared_mg(self, text: str) -> float | str:
        """declared_mg's magnesium in mg, read once per distinct text; or why it cannot be read."""
        found = self._declared.get(text)
        if found is None:
            try:
                found = magnesium_mg(_declared(text), what="declared magnesium")
            except MgcalcError as exc:
                found = " ".join(str(exc).split())
            _remember(self._declared, text, found, _MASSES_MAX)
        return found

    def _dosed(self, amount: str, mg: float | str, form: str, days: int) -> _Dosed:
        """A dose's columns serialised (see _Dosed); or, if it cannot be computed, its error row's.
        ``mg`` is the amount as read (``_mass``)."""
        planned = self._plan(form, days) if isinstance(mg, float) else None
        if isinstance(planned, str):
            head, tail = self._serialised(("error", *_EMPTY, planned))
            return _Dosed(head, 0, 0, tail, 0.0, planned)
        if planned is not None and isinstance(mg, float):  # a mass of a compound: the plan's arithmetic (dose's)
            plan, before, after = planned
            daily = plan.daily(mg)
            expected = expected_mg(daily.compound_mg / days, plan.form)
            known = self._tails.get(daily.warnings)
            tail = known if known is not None else _remember(
                self._tails, daily.warnings, self._tail(self._cells(("; ".join(daily.warnings), None))), _TAILS_MAX)
            if before:  # numbers as repr writes them, into the plan's templates
                none, flags = self._none, self._flags
                rda, ul, dv = daily.percent_rda, daily.percent_ul, daily.percent_dv
                return _split_dosed(
                    before % (repr(daily.elemental_mg), repr(daily.mmol), repr(daily.meq), flags[daily.over_ul]),
                    none, after % (none if rda is None else repr(rda), none if ul is None else repr(ul),
                                   none if dv is None else repr(dv)), tail, expected)
            cells = self._cells((
                "ok", plan.form.id, plan.form.percent_elemental, daily.elemental_mg, daily.mmol, daily.meq,
                daily.over_ul, None, plan.intake.mg, plan.upper.mg, daily.percent_rda, daily.percent_ul,
                daily.percent_dv, None, None))
        else:
            found = self._dose(amount, form, days)
            if isinstance(found, str):
                message = " ".join(found.split())
                head, tail = self._serialised(("error", *_EMPTY, message))
                return _Dosed(head, 0, 0, tail, 0.0, message)
            values, component = found
            expected = expected_mg(component.compound_mg / days, component.form)
            cells = self._cells(values)
            tail = self._share(self._tail(cells[_HEAD_COLUMNS:]))
        return _split_dosed(*self._halves(cells, cells[_CONSISTENT]), tail, expected)

    def _plan(self, form: str, days: int) -> _Planned | str | None:
        """The plan of a form taken ``days`` times a day, read once, with templates of its result
        columns; the error of any mass of it, when it cannot be read; None for a liquid or a
        sachet, which dose computes."""
        key = (form, days)
        try:
            return self._plans[key]
        except KeyError:
            pass
        planned: _Planned | str | None
        try:
            plan = Plan(form, days, self.profile, self.authority)
        except NotAMass:
            planned = None
        except MgcalcError as exc:  # what dose says of any mass of it (an unknown form costs one suggestion)
            planned = " ".join(str(exc).split())
        else:
            planned = _Planned(plan, "", "")
            if not self._csv or self._numbers_plain:  # (else numbers may need quoting: _cells does it)
                status, form_id, percent, rda, ul = [c.replace("%", "%%") for c in self._cells(
                    ("ok", plan.form.id, plan.form.percent_elemental, plan.intake.mg, plan.upper.mg))]
                slot = "%s"  # a cell the amount fills in
                none = self._none.replace("%", "%%")  # basis and per_unit_mg: a label's only
                cells = [status, form_id, percent, slot, slot, slot, slot, "", rda, ul, slot, slot, slot, none, none]
                planned = _Planned(plan, *self._halves(cells, "", self.delimiter.replace("%", "%%"))[::2])
        return _remember(self._plans, key, planned, _MASSES_MAX)

    def compute(self, amount: Any, form: Any, per_day: Any, declared: Any, label: Any = None) -> tuple[Any, ...]:
        """The one place a row's fields become its result: RESULT_COLUMNS values (MgcalcError if bad).

        Without an amount (no such column or key) a ``label`` is read as ``check --label`` reads it.
        """
        if amount is None and label is not None:
            return self._label_values(_text(label, LABEL_COLUMN), _per_day(per_day))
        found = self._dose(amount, form, per_day)
        if isinstance(found, str):
            raise MgcalcError(found)
        values, component = found
        if declared in (None, ""):
            return values
        consistent = is_consistent(_declared(declared), component.compound_mg / _per_day(per_day), component.form)
        return (*values[:_CONSISTENT], consistent, *values[_CONSISTENT + 1:])

    def _dose(self, amount: Any, form: Any, per_day: Any) -> tuple[tuple[Any, ...], Any] | str:
        """The result of a dose without declared_mg, and its component; or the error message."""
        try:
            amount_text, form_text, days = _text(amount, "amount"), _text(form, "form"), _per_day(per_day)
            result = dose(self._mass(amount_text), form_text, per_day=days, profile=self.profile,
                          authority=self.authority)
        except MgcalcError as exc:
            return str(exc)
        [component] = result.components
        return ("ok", component.form.id, component.form.percent_elemental, result.elemental_mg, result.mmol,
                result.meq, result.over_ul, None, result.intake.mg, result.upper.mg, result.percent_rda,
                result.percent_ul, result.percent_dv, None, None, "; ".join(result.warnings), None), component

    def _mass(self, text: str) -> float | str:
        """A mass amount's mg, read once per distinct text (the same figure dose reads from the text);
        any other amount, or one that cannot be read, as the text itself, for dose to read and refuse."""
        found = self._masses.get(text)
        if found is None:
            try:
                measured = parse_amount(text)
            except MgcalcError:
                found = text
            else:
                found = measured.value if measured.kind == "mass" else text
            _remember(self._masses, text, found, _MASSES_MAX)
        return found

    def _label_values(self, text: str, per_day: int) -> tuple[Any, ...]:
        """A label read as ``check --label`` reads it: the magnesium it provides, and the verdict."""
        from mgcalc.check import check_label
        from mgcalc.references import daily_value, intake, upper_level
        from mgcalc.units import to_meq, to_mmol

        result = check_label(text, profile=self.profile)
        form = result.resolution.form if result.resolution else None
        unit_mg = result.declared_mg if result.declared_mg is not None else result.expected_mg
        daily = None if unit_mg is None else unit_mg * per_day
        rda = intake(self.profile, self.authority).mg
        ul = upper_level(self.profile, self.authority).mg
        dv = daily_value(self.profile)

        def percent(reference: float | None) -> float | None:
            return None if daily is None or not reference else 100 * daily / reference

        notes = [*result.issues, *([result.reason] if result.reason else [])]
        basis, per_unit = _label_basis(result, unit_mg)
        return ("ok", form.id if form else None, form.percent_elemental if form else None, daily,
                None if daily is None else to_mmol(daily), None if daily is None else to_meq(daily),
                None if daily is None or ul is None else daily > ul, result.consistent, rda, ul, percent(rda),
                percent(ul), percent(dv), basis, per_unit, "; ".join(notes), None)

    def _cells(self, values: tuple[Any, ...]) -> list[str]:
        """Each result value as this output writes it (CSV cells quoted as csv.writer does, or JSON)."""
        if not self._csv:
            return list(map(_json_value, values))
        quoted = self._quoted
        if self._numbers_plain:  # exact types: a bool is an int, written true/false
            return [quoted(v) if type(v) is str else _CSV_CELL[type(v)](v) for v in values]
        return [quoted(v) if type(v) is str else quoted(_CSV_CELL[type(v)](v)) for v in values]

    def _tail(self, cells: list[str]) -> str:
        """The warnings and error cells (the last two) as the entry's tail."""
        if not self._csv:
            return _JSON_TAIL % (cells[-2], cells[-1])
        return cells[-2] + self.delimiter + cells[-1] + "\n"

    def _serialised(self, values: tuple[Any, ...]) -> tuple[str, str]:
        """RESULT_COLUMNS values as the entry's two parts (see Entry)."""
        cells = self._cells(values)
        return "".join(self._halves(cells, cells[_CONSISTENT])), self._share(self._tail(cells))

    def _halves(self, cells: list[str], consistent: str, delimiter: str | None = None) -> tuple[str, str, str]:
        """The head from its cells: the text before the consistent cell, that cell, the text after
        (``delimiter`` between CSV cells when not the run's: the plan's templates escape it)."""
        if not self._csv:
            return (_JSON_BEFORE % tuple(cells[:_CONSISTENT]), consistent,
                    _JSON_AFTER % tuple(cells[_CONSISTENT + 1:_HEAD_COLUMNS]))
        d = self.delimiter if delimiter is None else delimiter
        return d + d.join(cells[:_CONSISTENT]) + d, consistent, d + d.join(cells[_CONSISTENT + 1:_HEAD_COLUMNS]) + d

    def _quoted(self, cell: str) -> str:
        """A cell quoted as csv.writer's QUOTE_MINIMAL does: when it holds the delimiter, a quote or a line break."""
        if self.delimiter in cell or '"' in cell or "\r" in cell or "\n" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell


def _text(value: Any, column: str) -> str:
    if value is None or value == "":
        raise MgcalcError(f"{column} is empty")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MgcalcError(f"{column} {shown(json.dumps(value))} is not text")
    return str(value)


def _per_day(value: Any) -> int:
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


def _declared(value: Any) -> str:
    """declared_mg is in mg when it is a bare number; a unit may be given ("64 mg", "2.6 mmol")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MgcalcError(f"declared_mg {shown(json.dumps(value))} is not a number")
    text = str(value).strip()
    return f"{text} mg" if text and (text[-1].isdigit() or text[-1] == ".") else text


# --- decoding ---------------------------------------------------------------------------------------


def _decoded(raw: IO[bytes], encoding: str | None) -> io.TextIOWrapper:
    """The input as text: a UTF-8 or UTF-16 byte order mark decides, else ``encoding``, else UTF-8.

    Bytes the encoding cannot decode are kept (surrogateescape): a pass-through field holding
    them is copied to the output byte for byte; only the fields a result needs must decode.
    """
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if head.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        chosen = "utf-16"
    else:
        chosen = encoding or "utf-8"
    return io.TextIOWrapper(raw, encoding=chosen, errors="surrogateescape", newline="")


def check_encoding(name: str) -> str:
    """The codec name as given, or MgcalcError naming a few that exist."""
    try:
        codecs.lookup(name)
    except LookupError:
        raise MgcalcError(f"unknown encoding {shown(name)}; e.g. cp1252, latin-1, utf-16") from None
    return name


def _encodable(text: str) -> bool:
    """False when ``text`` holds undecodable input bytes or lone surrogates."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _repair_text(text: str) -> str:
    """Undecodable bytes and lone surrogates shown as U+FFFD, so the text can be written as UTF-8 JSON."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if not _encodable(text) else text


def _undecodable(column: str) -> str:
    return f"{column} holds invalid UTF-8 bytes (or bytes invalid in the --encoding given; e.g. --encoding cp1252)"


# --- reading CSV ------------------------------------------------------------------------------------


#: One CSV record: the line it starts on, its text as read (None for an error row, or for a record
#: that cannot be copied as it stands: the strict reading refused it), its fields
#: (for an error row fitted to the header's width, so it can still be written) and its problem.
#: A plain tuple: a NamedTuple's constructor costs more than the rest of reading a line.
_Record = tuple[int, str | None, list[str], str | None]


class _Feed:
    """What the csv module reads one record from: its first line, then continuation lines while a
    quoted field is open, at most RECORD_LINES_MAX lines and LINE_MAX characters in all."""

    def __init__(self) -> None:
        self.first: str | None = None
        self.more: Iterator[str] | None = None
        self.extra: list[str] = []
        self.chars = 0

    def start(self, line: str, more: Iterator[str] | None) -> None:
        self.first, self.more, self.extra, self.chars = line, more, [], len(line)

    def __iter__(self) -> "_Feed":
        return self

    def __next__(self) -> str:
        if self.first is not None:
            line, self.first = self.first, None
            return line
        if self.more is None or len(self.extra) >= RECORD_LINES_MAX - 1 or self.chars >= LINE_MAX:
            raise StopIteration
        following = next(self.more, None)
        if following is None:
            raise StopIteration
        line = following
        self.extra.append(line)
        self.chars += len(line)
        return line


def _loosely(reader: Iterator[list[str]]) -> tuple[list[str], str | None]:
    """The next record as the csv module reads it without strict mode, or its problem (never raised)."""
    try:
        return next(reader, []), None
    except csv.Error as exc:
        return [], _csv_problem(exc)


def _csv_problem(exc: csv.Error) -> str:
    """A csv module error as an error row's text; its field limit, while it is mgcalc's, named as mgcalc's."""
    if str(exc).startswith("field larger than field limit") and csv.field_size_limit() == FIELD_CHARS_MAX:
        return FIELD_TOO_LONG
    return f"unreadable CSV: {exc}"


def _long_field(fields: list[str], chars: int) -> bool:
    """Whether a record of ``chars`` characters holds a field over FIELD_CHARS_MAX (told by its length
    for nearly every record); checked by mgcalc, so the csv module's global setting does not decide it."""
    return chars > FIELD_CHARS_MAX and max(map(len, fields)) > FIELD_CHARS_MAX


def sniff_delimiter(header_line: str) -> str:
    """``,`` ``;`` or tab, as csv.Sniffer reads the header line (restricted to those); ``,`` if unsure."""
    if not any(d in header_line for d in DELIMITERS[1:]):
        return ","
    try:
        return csv.Sniffer().sniff(header_line, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _header_name(name: str) -> str:
    """How a header cell is matched: case and surrounding spaces ignored."""
    return name.strip().casefold()


def read_csv_header(text: IO[str], delimiter: str | None) -> tuple[list[str], str]:
    """The header's cells (as written) and the delimiter; MgcalcError if no usable header."""
    first = text.readline(LINE_MAX)
    if not first:
        raise MgcalcError("the input is empty: a CSV header with amount and form is needed")
    if len(first) >= LINE_MAX and first[-1:] not in ("\n", "\r"):
        raise MgcalcError(f"the CSV header is longer than {LINE_MAX:,} characters, the line limit; "
                          "shorten its column names or leave out columns mgcalc does not need")
    if not first.strip("\r\n"):
        raise MgcalcError("the input starts with a blank line: the first line must be the CSV header "
                          "(amount and form); remove the blank line")
    chosen = delimiter or sniff_delimiter(first)
    try:
        header = next(csv.reader([first], delimiter=chosen))
    except (csv.Error, StopIteration) as exc:
        if "field limit" in str(exc):
            raise MgcalcError(f"a CSV header cell is longer than {csv.field_size_limit():,} characters, the csv "
                              "module's field limit; shorten the column name") from None
        raise MgcalcError(f"cannot read the CSV header: {exc}") from None
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    if not _encodable("".join(header)):
        raise MgcalcError("the CSV header is not valid text in the input's encoding; try --encoding cp1252")
    names = [_header_name(h) for h in header]
    missing = [] if LABEL_COLUMN in names else [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        wanted = " or ".join(repr(c) for c in missing)
        others = [d for d in DELIMITERS if d != chosen and d in first]
        hint = (f"; the header was split on {chosen!r}: if the file is separated by {others[0]!r}, "
                f"give --delimiter {others[0]!r}" if others else "")
        raise MgcalcError(f"the input has no {wanted} column (header: {shown(chosen.join(header))}){hint}")
    seen: set[str] = set()
    for cell, name in zip(header, names, strict=True):
        if name in seen:
            raise MgcalcError(f"the CSV header names the column {shown(cell.strip())} twice; give each column "
                              "its own name")
        seen.add(name)
    return header, chosen


def _csv_records(text: IO[str], width: int, delimiter: str,
                 key_positions: list[tuple[str, int]]) -> Iterator[_Record]:
    """The records after the header, one per row, each with the line it starts on.

    A line without quotes is split on the delimiter, exactly as the csv module would; a line with
    quotes is read by the csv module, with the following lines while a quoted field is open. A
    record spanning lines must close its quote within RECORD_LINES_MAX lines and have the header's
    number of fields; if not, its first line alone is an error row and reading resumes at the next
    line, so an unclosed quote costs one row, never the rows after it (whatever the output format).
    """
    base = iter(partial(text.readline, LINE_MAX), "")
    lines: Iterator[str] = base
    replay: list[str] = []  # lines read ahead for a record that turned out not to close
    replay_from = 0  # the line number of replay[0]
    feed = _Feed()
    strict = csv.reader(feed, delimiter=delimiter, strict=True)
    loose = csv.reader(feed, delimiter=delimiter)
    # A quoted record on one line (the usual case) is read first by a reader fed from a list
    # through C calls only; one that needs another line finds the list empty (IndexError), and one
    # the strict reading refuses raises csv.Error: both are then read as below, from the start.
    pending: list[str] = []
    one_line = csv.reader(iter(pending.pop, None), delimiter=delimiter, strict=True)
    push = pending.append
    line_no = 1  # the header
    while True:
        for line in lines:
            line_no += 1
            if '"' not in line and "\x00" not in line and line.isascii() and len(line) <= FIELD_CHARS_MAX:
                body = line.rstrip("\r\n")
                if not body:
                    continue  # a blank line is not a row
                fields = body.split(delimiter)
                if len(fields) == width:
                    yield (line_no, body, fields, None)
                else:
                    yield (line_no, None, _fit(fields, width), _field_count(fields, width))
                continue
            if len(line) >= LINE_MAX and _too_long(line, lines):
                yield (line_no, None, [""] * width, _TOO_LONG_MESSAGE)
                continue
            if '"' not in line:
                body = line.rstrip("\r\n")
                if not body:
                    continue
                fields, problem = body.split(delimiter), None
            else:
                one: list[str] | None = None
                if len(line) < LINE_MAX:
                    push(line)
                    try:
                        one = next(one_line)
                    except (IndexError, csv.Error):
                        pending.clear()
                if one is not None:
                    if not one:
                        continue
                    fields, problem, body = one, None, line.rstrip("\r\n")
                else:
                    feed.start(line, lines)
                    try:
                        fields = next(strict)
                        problem = None
                    except csv.Error as exc:
                        fields, problem = [], _csv_problem(exc)
                    except StopIteration:
                        continue
                    extra = feed.extra
                    if extra and (problem is not None or len(fields) != width):
                        # the quote does not close into a record: this line alone is the error row
                        feed.start(line.rstrip("\r\n"), None)
                        fields, _ = _loosely(loose)
                        problem = "a quoted field is not closed on this line (nor closes into a whole record)"
                        rest = replay[line_no + len(extra) + 1 - replay_from:] if replay else []
                        replay, replay_from = [*extra, *rest], line_no + 1
                        yield (line_no, None, _fit(fields, width), problem)
                        lines = chain(replay, base)
                        break
                    loosened = problem is not None
                    if loosened:  # one line the strict reading refuses: read it as the csv module does
                        feed.start(line, None)
                        fields, problem = _loosely(loose)
                        if problem is not None:  # not even that (a field over the csv module's limit)
                            yield (line_no, None, [""] * width, problem)
                            continue
                    raw = "".join([line, *extra]).rstrip("\r\n")
                    record_line = line_no
                    line_no += len(extra)
                    if not fields:
                        continue
                    if len(fields) != width:
                        yield (record_line, None, _fit(fields, width), _field_count(fields, width))
                        continue
                    if "\x00" in raw:
                        yield (record_line, None, fields, "NUL character in the row")
                        continue
                    if _long_field(fields, len(raw)):
                        yield (record_line, None, [""] * width, FIELD_TOO_LONG)
                        continue
                    if not raw.isascii():
                        bad = [name for name, p in key_positions if not _encodable(fields[p])]
                        if bad:
                            yield (record_line, None, fields, _undecodable(bad[0]))
                            continue
                    # A record the strict reading refused (a stray quote) is written from its fields,
                    # quoted properly: copied as it stands, its open quote would swallow the next row.
                    yield (record_line, None if loosened else raw, fields, None)
                    continue
            if len(fields) != width:
                yield (line_no, None, _fit(fields, width), _field_count(fields, width))
            elif "\x00" in body:
                yield (line_no, None, fields, "NUL character in the row")
            elif _long_field(fields, len(body)):
                yield (line_no, None, [""] * width, FIELD_TOO_LONG)
            elif body.isascii():
                yield (line_no, body, fields, None)
            else:
                bad = [name for name, p in key_positions if not _encodable(fields[p])]
                if bad:
                    yield (line_no, None, fields, _undecodable(bad[0]))
                else:
                    yield (line_no, body, fields, None)
        else:
            return


def _field_count(fields: list[str], width: int) -> str:
    """The problem of a record with the wrong number of fields, its extra fields quoted."""
    extra = f" (extra: {','.join(fields[width:])[:200]})" if len(fields) > width else ""
    return f"expected {width} fields, found {len(fields)}{extra}"


def _fit(fields: list[str], width: int) -> list[str]:
    return fields[:width] + [""] * (width - len(fields))


# --- reading JSON -----------------------------------------------------------------------------------


class _Object(NamedTuple):
    line: int
    value: dict[str, Any] | None  # None: nothing usable could be read
    problem: str | None


def _finite(text: str) -> float:
    """A JSON number that fits a float (1e400 would become Infinity, which JSON output cannot carry)."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


#: JSON read as the standard defines it: no NaN or Infinity, and no number that overflows a float.
_STRICT_JSON: dict[str, Any] = {"parse_float": _finite, "parse_constant": _no_constant}


def _object(line_no: int, text: str, value: Any = None, parsed: bool = False) -> _Object:
    """One JSON value's row: an object, or the reason it is none (invalid text, lone surrogates,
    over mgcalc's limits). The depth is told from the text (a JSON Lines line's before it is
    decoded), so the same value is refused on every Python, whatever its decoder's own depth."""
    if not _encodable(text):
        return _Object(line_no, None, "invalid UTF-8 bytes (or bytes invalid in the --encoding given)")
    if too_deep(text):
        return _Object(line_no, None, TOO_DEEP)
    if not parsed:
        try:
            value = json.loads(text, **_STRICT_JSON)
        except (ValueError, RecursionError) as exc:
            return _Object(line_no, None, f"not JSON: {str(exc)[:80]}")
    if not isinstance(value, dict):
        return _Object(line_no, None, "not a JSON object")
    if parsed and any(isinstance(v, float) and not math.isfinite(v) for v in value.values()):
        return _Object(line_no, None, "a number is NaN or out of range (JSON output could not carry it)")
    if len(text) > FIELD_CHARS_MAX and longest_string(value) > FIELD_CHARS_MAX:  # no string outgrows its text
        return _Object(line_no, None, FIELD_TOO_LONG)
    if "\\u" in text or "\\U" in text:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return _Object(line_no, None, "a lone surrogate escape (such as \\ud800) is not text")
        except RecursionError:
            return _Object(line_no, None, "nested too deeply")
    return _Object(line_no, value, None)


def _jsonl_objects(text: IO[str]) -> Iterator[_Object]:
    """JSON Lines: every line stands alone, a bad one is one error row."""
    lines = iter(partial(text.readline, LINE_MAX), "")
    for line_no, line in enumerate(lines, start=1):
        if len(line) >= LINE_MAX and _too_long(line, lines):
            yield _Object(line_no, None, _TOO_LONG_MESSAGE)
            continue
        if line_no == 1:
            line = line.removeprefix("\ufeff")
        if line.strip(_ASCII_WHITESPACE):  # str.strip would also drop \x1c-\x1f and Unicode spaces
            yield _object(line_no, line)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: What makes a JSON Lines line blank (skipped): ASCII white space only, as bytes.strip() has it.
_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
_CHUNK = 1 << 16


def _json_array_objects(text: IO[str]) -> Iterator[_Object]:
    """The elements of a JSON array, read a piece at a time (the file is never held whole).

    Each element is a row; one that is not an object, or that holds NaN, Infinity or a number no
    float can hold, or is nested deeper than DEPTH_MAX (told from its text, the same on every
    Python), is an error row and the array goes on.
    Broken JSON between elements ends the run with one error row at its line: nothing after it
    can be told apart. Input is read a line (at most _CHUNK characters) at a time, so elements
    piped in one by one are read as they come; a value that has not ended is read on until what
    is pending has doubled before it is decoded again, so a long one is decoded a few times, not
    once per line.
    """
    strict = json.JSONDecoder(**_STRICT_JSON)
    # finds where an element with NaN or a number strict refuses ends; converts no number, so never fails on one
    lenient = json.JSONDecoder(parse_int=len, parse_float=len, parse_constant=len)
    buffer, position, lines_before, done = "", 0, 0, False

    def more(wanted: int = 1, balance: int = 0) -> bool:
        """Read on, a line (at most _CHUNK characters) at a time, until ``wanted`` characters are
        read or, with a positive ``balance`` (the pending value's open brackets; brackets in its
        strings are not told apart), until the line that closes them, where the value may end.
        What is read is joined to what is pending once."""
        nonlocal buffer, position, lines_before, done
        read: list[str] = []
        got = 0
        while got < wanted and not done:
            chunk = text.readline(_CHUNK)
            if not chunk:
                done = True
                break
            read.append(chunk)
            got += len(chunk)
            if balance > 0:
                balance += _brackets(chunk)
                if balance <= 0:
                    break
        if not read:
            return False
        lines_before += buffer.count("\n", 0, position)
        buffer, position = buffer[position:] + "".join(read), 0
        return True

    def grow() -> bool:
        """More of a value that has not ended: until its brackets close (a value piped in comes out
        as it ends) or what is pending has doubled (a long value is decoded a few times, not once
        a line); False at the end of the input, or at LINE_MAX."""
        pending = len(buffer) - position
        if pending >= LINE_MAX:
            return False
        return more(min(pending + 1, LINE_MAX - pending), _brackets(buffer, position))

    def broken(exc: json.JSONDecodeError | None, problem: str | None) -> str:
        """Why an element that does not end cannot be read: over a limit of mgcalc's, or a JSON
        error at its line in the input (not in what happens to be read)."""
        if len(buffer) - position >= LINE_MAX:
            problem = f"an element {RECORD_TOO_LONG}"
        elif too_deep(buffer, position):
            problem = TOO_DEEP
        elif exc is not None:
            problem = f"not JSON at line {lines_before + exc.lineno}: {exc.msg}"
        return f"{problem}; the rest of the array cannot be read"

    def skip() -> str:
        """The next character after whitespace ('' at the end), not consumed."""
        nonlocal position
        while True:
            position = _WHITESPACE.match(buffer, position).end()  # type: ignore[union-attr]
            if position < len(buffer) or not more():
                return buffer[position:position + 1]

    def line() -> int:
        return lines_before + buffer.count("\n", 0, position) + 1

    if skip().lstrip("\ufeff") != "[":
        position += 1 if buffer[position:position + 1] == "\ufeff" else 0
        if skip() != "[":
            yield _Object(line(), None, "not a JSON array (a .json file is read as one); "
                                        "for JSON Lines give --input-format jsonl")
            return
    position += 1
    first = True
    while True:
        nxt = skip()
        if nxt == "]" and first:
            position += 1
            break
        while True:
            problem, failure, end = None, None, None
            try:
                value, end = strict.raw_decode(buffer, position)
            except (ValueError, RecursionError) as exc:
                # Over mgcalc's depth limit, that is the reason on every Python, whether this one's decoder
                # stopped at its own depth or at an error deeper inside. (A value that merely has not
                # ended yet, where the decoder stops at the end of what was read, is told when it ends.)
                if (not isinstance(exc, json.JSONDecodeError) or exc.pos < len(buffer)) and too_deep(buffer, position):
                    problem, value, end = TOO_DEEP, None, json_scan(buffer, position, stop=len(buffer) + 1)[1]
                elif isinstance(exc, json.JSONDecodeError):  # not ended yet, or broken
                    failure = exc
                else:  # this element's error; the array goes on after it
                    problem = "nested too deeply to decode" if isinstance(exc, RecursionError) else \
                        f"not JSON: {str(exc)[:80]}"
                    value, end, failure = _lenient_end(lenient, buffer, position)
            if end is None:  # read on, or nothing after this can be told apart
                if grow():
                    continue
                yield _Object(line(), None, broken(failure, problem))
                return
            # a number whose text runs to the end of what was read may go on ("1." then "5")
            if type(value) in (int, float) and _NUMBER_REST.fullmatch(buffer, end) and grow():
                continue
            break
        if problem is not None:
            yield _Object(line(), None, problem)
        else:
            yield _object(line(), buffer[position:end], value, parsed=True)
        position, first = end, False
        nxt = skip()
        position += 1
        if nxt == "]":
            break
        if nxt != ",":
            yield _Object(line(), None, "expected ',' or ']' in the JSON array; the rest cannot be read")
            return
    if skip():
        yield _Object(line(), None, "text after the JSON array")


#: What may still follow a number's text when more of it is read.
_NUMBER_REST = re.compile(r"[0-9.eE+-]*")


def _brackets(text: str, start: int = 0) -> int:
    """Brackets opened and not closed in ``text[start:]`` (those inside strings counted too)."""
    return (text.count("[", start) + text.count("{", start)) - (text.count("]", start) + text.count("}", start))
def _lenient_end(decoder: json.JSONDecoder, buffer: str, position: int,
                 ) -> tuple[Any, int | None, json.JSONDecodeError | None]:
    """Where a value the strict reading refused ends: (value, end, None); (None, None, error) when
    it has not ended or is broken; (None, None, None) for one too deep that does not end within
    ``buffer``."""
    try:
        value, end = decoder.raw_decode(buffer, position)
    except json.JSONDecodeError as exc:
        return None, None, exc
    except RecursionError:
        return None, json_scan(buffer, position, stop=len(buffer) + 1)[1], None
    return value, end, None


def _padded(pad: tuple[None, ...], key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A key of the leading INPUT_COLUMNS aligned with all of them."""
    return key + pad


def _typed(value: Any) -> Any:
    """A JSON value as a cache key: 1, 1.0 and true are equal in Python but are not the same field
    (per_day true is an error, per_day 1 is not), nor are 0.0 and -0.0 (-0.0 is negative)."""
    if value is None or type(value) is str:
        return value
    if type(value) is float:
        return float, value, math.copysign(1.0, value)
    return type(value), value


def _as_read(request: tuple[Any, ...], key: Any) -> tuple[Any, ...]:
    """The request a typed key (see _typed) was made from."""
    return request


def _lookup(value: dict[str, Any], name: str) -> Any:
    """A field of a JSON object: by its name, else by a key equal to it but for case and spaces."""
    found = value.get(name)
    if found is None and name not in value:
        for key in value:
            if isinstance(key, str) and _header_name(key) == name:
                return value[key]
    return found


# --- writing ----------------------------------------------------------------------------------------


class _Sink:
    """Output rows collected into blocks: one write call per row costs more than the rest.

    A piece that is not ASCII goes through ``wide`` and is written on its own, so the blocks
    around it stay ASCII: joining and encoding those is a plain copy, where one non-ASCII
    character (an undecodable byte kept as a surrogate escape) would make a whole block wide.
    """

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.parts: list[str] = []
        self.ready: list[str] = []  # joined blocks and wide pieces, in order

    def wide(self, piece: str) -> None:
        """A piece that is not ASCII, after the parts so far."""
        if self.parts:
            self.ready.append("".join(self.parts))
            self.parts.clear()
        self.ready.append(piece)

    def write(self) -> None:
        if self.parts:
            self.ready.append("".join(self.parts))
            self.parts.clear()
        write = self.out.write
        for block in self.ready:
            write(block)
        self.ready.clear()

    def flush(self) -> None:
        """Written and flushed now: called before the input would wait for more."""
        self.write()
        self.out.flush()


class _Tally:
    def __init__(self) -> None:
        self.rows = self.errors = 0
        self.first_line: int | None = None
        self.first_error: str | None = None

    def error(self, line: int, message: str) -> None:
        self.errors += 1
        if self.first_line is None:
            self.first_line, self.first_error = line, message

    def summary(self) -> Summary:
        return Summary(self.rows, self.errors, self.first_line, self.first_error)


_LINE_BUFFER = io.StringIO()


def _csv_line(values: Any, delimiter: str = ",") -> str:
    """Values as one properly quoted CSV line, newline included."""
    _LINE_BUFFER.seek(0)
    _LINE_BUFFER.truncate()
    # "\r\n" as the terminator makes the writer quote a field holding either character
    csv.writer(_LINE_BUFFER, delimiter=delimiter, lineterminator="\r\n").writerow(values)
    return _LINE_BUFFER.getvalue()[:-2] + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)




# --- the run ----------------------------------------------------------------------------------------


def run(
    raw: IO[bytes],
    out: IO[str],
    *,
    input_format: str,
    output_format: str,
    profile: Profile,
    authority: str,
    progress: Callable[[], None] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Summary:
    """Read ``raw``, write one result row per input row to ``out``, and return the summary.

    ``out`` receives text that may hold undecodable input bytes as surrogate escapes (pass-through
    fields copied exactly): write it with ``errors="surrogateescape"`` (``Output`` does).
    """
    load_forms()  # a broken table is one clear error now, not an error on every row
    load_intakes()
    if not hasattr(raw, "peek"):
        raw = io.BufferedReader(raw)  # type: ignore[type-var]
    text = _decoded(raw, encoding)
    sink = _Sink(out)
    before_wait = getattr(getattr(raw, "raw", None), "before_wait", False)
    if before_wait is None:  # a pipe or terminal: rows go out whenever the input would wait
        raw.raw.before_wait = sink.flush  # type: ignore[attr-defined]
    try:
        if input_format == "csv":
            header, chosen = read_csv_header(text, delimiter)
            evaluate = RowEvaluator(profile, authority, output_format, chosen)
            summary = _run_csv(text, header, chosen, output_format, evaluate, sink, progress)
        else:
            evaluate = RowEvaluator(profile, authority, output_format, delimiter or ",")
            objects = _json_array_objects if input_format == "json" else _jsonl_objects
            summary = _run_objects(text, objects, output_format, evaluate, sink, progress)
        sink.write()
        return summary
    finally:
        if before_wait is None:
            raw.raw.before_wait = None  # type: ignore[attr-defined]
        text.detach()


def _run_csv(text: IO[str], header: list[str], delimiter: str, output_format: str, evaluate: RowEvaluator,
             sink: _Sink, progress: Callable[[], None] | None) -> Summary:
    """CSV in: each record's text copied to CSV output as read, or its fields as JSON strings."""
    names = [_header_name(h) for h in header]
    width = len(header)
    kept = [i for i, n in enumerate(names) if n not in RESULT_COLUMNS]  # input columns named like results go
    slots = [names.index(c) if c in names else None for c in INPUT_COLUMNS]
    present = [p for p in slots if p is not None]
    key_of = itemgetter(*present)  # the cache key: the fields a result depends on
    order = {p: i for i, p in enumerate(present)}
    places = [order.get(p) if p is not None else None for p in slots]

    def request(key: Any) -> tuple[Any, ...]:
        """A key aligned with INPUT_COLUMNS, None for a column the header lacks."""
        values = key if len(present) > 1 else (key,)
        return tuple(values[i] if i is not None else None for i in places)
    missing = len(INPUT_COLUMNS) - len(present)
    if len(present) > 1 and places == [*range(len(present)), *[None] * missing]:  # the usual header
        request = partial(_padded, (None,) * missing)
    to_csv = output_format == "csv"
    if to_csv:
        sink.parts.append(_csv_line([*(header[i] for i in kept), *RESULT_COLUMNS], delimiter))
        verbatim = len(kept) == width
    else:
        names = [json.dumps(header[i], ensure_ascii=False).replace("%", "%%") for i in kept]
        template = "{" + "".join(name + ": %s, " for name in names)
        # fields that are printable ASCII without a quote or backslash are JSON strings as they stand
        plain = "{" + "".join(name + ': "%s", ' for name in names)
        json_fields = itemgetter(*kept) if len(kept) > 1 else (lambda fields: tuple(fields[i] for i in kept))
    tally = _Tally()
    cache = evaluate.cache
    cached = cache.current.get
    parts = sink.parts
    add = parts.append
    rows = 0
    named = [(c, p) for c, p in zip(INPUT_COLUMNS, slots, strict=True) if p is not None]
    for line, body, fields, problem in _csv_records(text, width, delimiter, named):
        if problem is None:
            key = key_of(fields)
            entry = cached(key)
            if entry is None:
                entry = evaluate.entry(key, request)
                cached = cache.current.get  # a new generation may have started
        else:
            entry = evaluate.error(problem)
        if to_csv:
            if body is None or not verbatim:
                body = _csv_line([fields[i] for i in kept] if not verbatim else fields, delimiter)[:-1]
        elif body is None or not body.isascii():
            body = template % tuple(map(_json_string, json_fields([_repair_text(f) for f in fields])))
        else:
            joined = body if '"' not in body else "".join(fields)  # (a line without quotes is its fields)
            if '"' not in joined and "\\" not in joined and joined.isprintable():  # JSON strings as they stand
                body = plain % json_fields(fields)
            else:
                body = template % tuple(map(_json_string, json_fields(fields)))
        head, tail, message = entry
        if body.isascii() and head.isascii() and tail.isascii():
            add(body)
            add(head)
            add(tail)
        else:
            sink.wide(body + head + tail)
        rows += 1
        if message is not None:
            tally.error(line, message)
        if not rows & BLOCK_ROWS:
            sink.write()
            if progress is not None:
                progress()
    tally.rows = rows
    return tally.summary()


def _run_objects(text: IO[str], objects: Callable[[IO[str]], Iterator[_Object]], output_format: str,
                 evaluate: RowEvaluator, sink: _Sink, progress: Callable[[], None] | None) -> Summary:
    """JSON objects in (JSON Lines or an array): CSV or JSON Lines out."""
    to_csv = output_format == "csv"
    columns: list[str] | None = None
    if to_csv and text.seekable():  # a file: the columns are every key seen, in order of appearance
        start = text.tell()  # where the shell left it (a script may have read lines before mgcalc)
        seen: dict[str, None] = {}
        for found in objects(text):
            if found.value is not None:
                for key in found.value:
                    if key not in seen and key not in RESULT_COLUMNS and len(seen) < KEYS_MAX:
                        seen[key] = None
        columns = list(seen)
        text.seek(start)
    waiting: list[tuple[_Object, Entry]] = []  # error rows before the first object, on a pipe
    tally = _Tally()
    add = sink.parts.append
    delimiter = evaluate.delimiter

    def csv_row(cells: list[str] | None, entry: Entry) -> None:
        assert columns is not None
        if columns:
            add(_csv_line(cells or [""] * len(columns), delimiter)[:-1])
            add(entry[0])
        else:
            add(entry[0][len(delimiter):])
        add(entry[1])

    def csv_header(first: dict[str, Any] | None) -> list[str]:
        """The columns from the first object (on a pipe), the header written, early error rows after it."""
        chosen = columns if columns is not None else [k for k in first or {} if k not in RESULT_COLUMNS][:KEYS_MAX]
        add(_csv_line([*chosen, *RESULT_COLUMNS], delimiter))
        return chosen

    header_written = False
    for found in objects(text):
        value = found.value
        if value is None:
            entry = evaluate.error(found.problem or "unreadable row")
        else:
            request = tuple(_lookup(value, c) for c in INPUT_COLUMNS)
            entry = evaluate.entry(tuple(map(_typed, request)), partial(_as_read, request))
        if to_csv:
            if not header_written:
                if columns is None and value is None and len(waiting) < BLOCK_ROWS:
                    waiting.append((found, entry))
                    continue
                columns = csv_header(value)
                header_written = True
                for early, early_entry in waiting:
                    csv_row(None, early_entry)
                    tally.rows += 1
                    tally.error(early.line, early_entry[2] or "")
                waiting.clear()
            assert columns is not None
            cells = None
            if value is not None:
                extra = [k for k in value if k not in RESULT_COLUMNS and k not in columns]
                if extra and entry[2] is None:
                    entry = evaluate.error(f"keys not in the first row, not written: {', '.join(extra)[:200]}; "
                                           "use --format jsonl")
                cells = [_repair_text(_cell(value.get(c))) for c in columns]
            csv_row(cells, entry)
        else:
            own = {k: v for k, v in (value or {}).items() if k not in RESULT_COLUMNS}
            add(json.dumps(own, ensure_ascii=False)[:-1] + ", " if own else "{")
            add(entry[0])
            add(entry[1])
        tally.rows += 1
        if entry[2] is not None:
            tally.error(found.line, entry[2])
        if not tally.rows & BLOCK_ROWS:
            sink.write()
            if progress is not None:
                progress()
    if to_csv and not header_written:
        columns = csv_header(None)
        for early, early_entry in waiting:
            csv_row(None, early_entry)
            tally.rows += 1
            tally.error(early.line, early_entry[2] or "")
    return tally.summary()
