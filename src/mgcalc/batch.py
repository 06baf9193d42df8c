"""Batch processing: label rows stream in, exactly one result row per input row streams out.

Input is CSV with a header or JSON Lines; required fields ``amount`` and ``form``, optional
``per_day`` and ``declared_mg``; every other field passes through untouched. Each row is
evaluated by the same functions as ``mgcalc dose`` and ``mgcalc check`` (``dose.dose`` and
``check.check``), cached per distinct (amount, form, per_day, declared_mg): label data repeats
the same few hundred values, so most rows cost a dictionary lookup. A bad row becomes an error
row; it never stops the run. Memory stays constant: rows are streamed, the cache is bounded.
"""

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from operator import itemgetter
from typing import IO, Any, NamedTuple

from mgcalc.check import is_consistent
from mgcalc.dose import dose
from mgcalc.errors import MgcalcError, shown
from mgcalc.forms import load_forms
from mgcalc.references import Profile, load_intakes

RESULT_COLUMNS = (
    "status", "form_id", "percent_elemental", "elemental_mg", "mmol", "meq", "over_ul", "consistent", "error",
)
REQUIRED_COLUMNS = ("amount", "form")
#: A column of label text as printed, read instead of amount and form (``check --label``).
LABEL_COLUMN = "label"
#: What stands in the form slot of a label row (never equal to any text a row holds).
_LABEL = object()
FORMATS = ("csv", "jsonl")
#: Distinct rows remembered per cache generation (two generations at most: bounds memory).
CACHE_MAX = 40_000
#: Longest input line: a longer one is reported as an error row, and never held whole in memory.
LINE_MAX = 1_000_000
_TOO_LONG_MESSAGE = f"line longer than {LINE_MAX:,} characters"
_INVALID_UTF8 = "invalid UTF-8 bytes (shown as U+FFFD)"


def _too_long(line: Any, lines: Iterator[Any]) -> bool:
    """Whether ``line`` is the first LINE_MAX of a longer line; if so, its rest is read and dropped."""
    if len(line) < LINE_MAX or line[-1:] in ("\n", "\r", b"\n", b"\r"):
        return False
    for rest in lines:  # a piece at a time: memory stays bounded
        if rest[-1:] in ("\n", "\r", b"\n", b"\r"):
            break
    return True

Result = tuple[Any, ...]  # values in RESULT_COLUMNS order, already formatted for the output


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


_CSV_FLAGS: dict[bool | None, str] = {None: "", True: "true", False: "false"}


def _csv_values(values: tuple[Any, ...]) -> Result:
    """RESULT_COLUMNS values as CSV text: numbers unrounded (repr), flags true/false, None empty."""
    status, form_id, percent, elemental, mmol, meq, over_ul, consistent, error = values
    return (status, form_id, repr(percent), repr(elemental), repr(mmol), repr(meq), _CSV_FLAGS[over_ul],
            _CSV_FLAGS[consistent], error or "")


class Cache:
    """A bounded memo with two generations: when the current one fills up it becomes the old one,
    and old entries still in use are promoted, so hot keys survive and memory stays bounded."""

    def __init__(self, size: int = CACHE_MAX) -> None:
        self.size = size
        self.current: dict[Any, Any] = {}
        self._old: dict[Any, Any] = {}

    def miss(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The value for a key not in ``current``: from the old generation, or computed now."""
        value = self._old.get(key)
        if value is None:
            value = compute()
        if len(self.current) >= self.size:
            self._old, self.current = self.current, {}
        self.current[key] = value
        return value


class RowEvaluator:
    """Evaluates (amount, form, per_day, declared_mg) with the dose and check logic, cached."""

    def __init__(self, profile: Profile, authority: str, output_format: str) -> None:
        self.profile = profile
        self.authority = authority
        self._csv = output_format == "csv"
        self.cache = Cache()

    def __call__(self, amount: Any, form: Any, per_day: Any, declared: Any) -> Result:
        key = (amount, form, per_day, declared)
        try:
            found = self.cache.current.get(key)
        except TypeError:  # an unhashable JSON value (a list or object)
            return self._evaluate(*key)
        if found is None:
            found = self.cache.miss(key, partial(self._evaluate, *key))
        return found  # type: ignore[no-any-return]

    def compute_key(self, key: tuple[Any, ...], optional: list[int | None]) -> Result:
        """Evaluate a CSV key: (amount, form, then per_day and declared_mg where the header has them)."""
        has_per_day, has_declared = optional[0] is not None, optional[1] is not None
        per_day = key[2] if has_per_day else None
        declared = key[2 + has_per_day] if has_declared else None
        return self._evaluate(key[0], key[1], per_day, declared)

    def error(self, message: str) -> Result:
        """An error row's results: status and message, the computed fields empty."""
        empty = "" if self._csv else None
        return ("error", *(empty for _ in RESULT_COLUMNS[1:-1]), message)

    def _evaluate(self, amount: Any, form: Any, per_day: Any, declared: Any) -> Result:
        try:
            values = self._values(amount, form, per_day, declared)
        except MgcalcError as exc:
            return self.error(" ".join(str(exc).split()))
        return _csv_values(values) if self._csv else values

    def _values(self, amount: Any, form: Any, per_day: Any, declared: Any) -> tuple[Any, ...]:
        if form is _LABEL:
            return self._label_values(_text(amount, LABEL_COLUMN), _per_day(per_day))
        amount_text = _text(amount, "amount")
        form_text = _text(form, "form")
        result = dose(amount_text, form_text, per_day=_per_day(per_day), profile=self.profile,
                      authority=self.authority)
        [component] = result.components
        consistent = None
        if declared not in (None, ""):
            per_unit_mg = component.compound_mg / result.per_day
            consistent = is_consistent(_declared(declared), per_unit_mg, component.form)
        return ("ok", component.form.id, component.form.percent_elemental, result.elemental_mg, result.mmol,
                result.meq, result.over_ul, consistent, None)


    def _label_values(self, text: str, per_day: int) -> tuple[Any, ...]:
        """A label read as ``check --label`` reads it: the magnesium it provides, and the verdict."""
        from mgcalc.check import check_label
        from mgcalc.references import upper_level
        from mgcalc.units import to_meq, to_mmol

        result = check_label(text, profile=self.profile)
        form = result.resolution.form if result.resolution else None
        unit_mg = result.declared_mg if result.declared_mg is not None else result.expected_mg
        daily = None if unit_mg is None else unit_mg * per_day
        ul = upper_level(self.profile, self.authority).mg
        return ("ok", form.id if form else None, form.percent_elemental if form else None, daily,
                None if daily is None else to_mmol(daily), None if daily is None else to_meq(daily),
                None if daily is None or ul is None else daily > ul, result.consistent, None)


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
        raise MgcalcError(f"per_day {shown(str(value))} is not a whole number")
    return value


def _declared(value: Any) -> str:
    """declared_mg is in mg when it is a bare number; a unit may be given ("64 mg", "2.6 mmol")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MgcalcError(f"declared_mg {shown(json.dumps(value))} is not a number")
    text = str(value).strip()
    return f"{text} mg" if text and (text[-1].isdigit() or text[-1] == ".") else text


# --- reading ----------------------------------------------------------------------------------------


class _Row(NamedTuple):
    line: int
    values: list[str] | dict[str, Any] | None  # None: nothing usable could be read
    problem: str | None


def _text_stream(raw: IO[bytes]) -> io.TextIOWrapper:
    # surrogateescape keeps undecodable bytes, so a bad row is found and reported, not fatal
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")


def _valid_utf8(fields: list[str]) -> bool:
    try:
        "".join(fields).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _repair(fields: list[str]) -> list[str]:
    """Undecodable bytes shown as U+FFFD, so the row can still be written."""
    return [_repair_text(f) for f in fields]


def read_csv(raw: IO[bytes]) -> tuple[list[str], Iterator[_Row], IO[str]]:
    """The header, the rows and the text stream of CSV input (a BOM tolerated, CRLF or LF, quoted fields)."""
    stream = _text_stream(raw)
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise MgcalcError("the input is empty: a CSV header with amount and form is needed") from None
    except csv.Error as exc:
        raise MgcalcError(f"cannot read the CSV header: {exc}") from None
    if header:
        header[0] = header[0].removeprefix("\ufeff")
    if not _valid_utf8(header):
        raise MgcalcError("the CSV header is not valid UTF-8")
    missing = [] if LABEL_COLUMN in header else [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        names = " or ".join(repr(c) for c in missing)
        raise MgcalcError(f"the input has no {names} column (header: {shown(','.join(header))})")
    if len(set(header)) != len(header):
        raise MgcalcError("the CSV header names a column twice")

    def rows() -> Iterator[_Row]:
        width = len(header)
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield _Row(reader.line_num, None, f"unreadable CSV: {exc}")
                continue
            if not fields:
                continue  # a blank line is not a row
            line = reader.line_num
            if not _valid_utf8(fields):
                fields = _repair(fields)
                problem: str | None = _INVALID_UTF8
            elif len(fields) != width:
                problem = _field_count(fields, width)
            else:
                problem = None
            yield _Row(line, fields, problem)

    return header, rows(), stream


def read_jsonl(raw: IO[bytes]) -> Iterator[_Row]:
    """Rows of JSON Lines input: one object per line."""
    lines = iter(partial(raw.readline, LINE_MAX), b"")
    for line_no, line in enumerate(lines, start=1):
        if len(line) >= LINE_MAX and _too_long(line, lines):
            yield _Row(line_no, None, _TOO_LONG_MESSAGE)
            continue
        if line_no == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            value = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield _Row(line_no, None, "invalid UTF-8 bytes")
            continue
        except (ValueError, RecursionError) as exc:
            yield _Row(line_no, None, f"not JSON: {str(exc)[:80]}")
            continue
        if not isinstance(value, dict):
            yield _Row(line_no, None, "not a JSON object")
            continue
        yield _Row(line_no, value, None)


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
) -> Summary:
    """Read ``raw``, write one result row per input row to ``out``, and return the summary."""
    load_forms()  # a broken table is one clear error now, not an error on every row
    load_intakes()
    evaluate = RowEvaluator(profile, authority, output_format)
    rows_seen = errors = 0
    first_line: int | None = None
    first_error: str | None = None

    if input_format == "csv":
        header, rows, text = read_csv(raw)
        columns = header
        index = {name: header.index(name) for name in header}
        if output_format == "csv" and not set(header) & set(RESULT_COLUMNS) and "amount" in header:
            return _run_csv_to_csv(text, header, out, evaluate, progress)
    else:
        rows = read_jsonl(raw)
        columns = []
        index = {}
    write = _writer(out, output_format)
    header_written = False
    i_amount, i_form = index.get("amount"), index.get("form")
    if i_amount is None and LABEL_COLUMN in index:
        i_amount = index[LABEL_COLUMN]
    i_per_day, i_declared = index.get("per_day"), index.get("declared_mg")

    for row in rows:
        if input_format == "jsonl" and not header_written and isinstance(row.values, dict):
            columns = [k for k in row.values if k not in RESULT_COLUMNS]
        if not header_written:
            write(None, columns)
            header_written = True
        values = row.values
        problem = row.problem
        if isinstance(values, dict):
            labelled = "amount" not in values and LABEL_COLUMN in values
            result = (evaluate.error(problem) if problem else
                      evaluate(values.get(LABEL_COLUMN if labelled else "amount"),
                               _LABEL if labelled else values.get("form"), values.get("per_day"),
                               None if labelled else values.get("declared_mg")))
            if output_format == "csv":
                extra = [k for k in values if k not in columns and k not in RESULT_COLUMNS]
                if extra and result[-1] in (None, ""):  # computed, but CSV has no column for these keys
                    message = f"keys not in the first row, not written: {', '.join(extra)[:200]}; use --format jsonl"
                    result = ("error", *result[1:-1], message)
        elif values is not None and problem is None:
            result = evaluate(values[i_amount], _LABEL if i_form is None else values[i_form],  # type: ignore[index]
                              values[i_per_day] if i_per_day is not None else None,
                              values[i_declared] if i_declared is not None else None)
        else:
            result = evaluate.error(problem or "unreadable row")
        write(values, result)
        rows_seen += 1
        if result[-1] not in (None, ""):
            errors += 1
            if first_line is None:
                first_line, first_error = row.line, str(result[-1])
        if progress is not None and not rows_seen & 0x3FFF:
            progress()
    if not header_written:
        write(None, columns)
    return Summary(rows_seen, errors, first_line, first_error)


def _run_csv_to_csv(text: IO[str], header: list[str], out: IO[str], evaluate: "RowEvaluator",
                    progress: Callable[[], None] | None) -> Summary:
    """The common case, kept tight: CSV in, CSV out.

    Each input record is written back verbatim (pass-through columns byte for byte), followed
    by the result columns, pre-formatted once per distinct (amount, form, per_day, declared_mg).
    A line without quotes is split on commas, exactly as the csv module would; a line with
    quotes is read by the csv module, joined with the next lines while a quoted field is open.
    """
    out.write(_csv_line([*header, *RESULT_COLUMNS]))
    pending: list[str] = []  # written in blocks: one write call per row pair costs more than the rest
    add = pending.append
    width = len(header)
    optional = [header.index(c) if c in header else None for c in ("per_day", "declared_mg")]
    positions = [header.index("amount"), header.index("form"), *(i for i in optional if i is not None)]
    key_of = itemgetter(*positions)
    suffixes = Cache()
    cached = suffixes.current.get
    rows = errors = 0
    line_no = 1  # the header
    first_line: int | None = None
    first_error: str | None = None
    lines = iter(partial(text.readline, LINE_MAX), "")  # bounded: a huge line is never held whole
    for line in lines:
        line_no += 1
        if len(line) >= LINE_MAX and _too_long(line, lines):
            body, entry = ",".join([""] * width), _error_suffix(evaluate, _TOO_LONG_MESSAGE)
        elif '"' in line and line.count('"') & 1:  # a quoted field goes on to the next line(s)
            record, entry, consumed = _slow_record(line, lines, width, evaluate, key_of, optional, suffixes)
            line_no += consumed
            if record is None:
                continue
            body = record
        else:
            body = line.rstrip("\r\n")
            if not body:
                continue  # a blank line is not a row
            fields = body.split(",") if '"' not in line else _one_line_record(body)
            if (fields is None or len(fields) != width or "\x00" in line
                    or not (line.isascii() or _valid_utf8(fields))):
                body, entry = _bad_record(fields, body, width, evaluate)
            else:
                key = key_of(fields)
                entry = cached(key)  # type: ignore[assignment]
                if entry is None:
                    entry = suffixes.miss(key, partial(_suffix, evaluate, key, optional))
                    cached = suffixes.current.get  # a new generation may have started
        add(body)
        add(entry[0])
        rows += 1
        if entry[1] is not None:
            errors += 1
            if first_line is None:
                first_line, first_error = line_no, entry[1]
        if not rows & 0x3FFF:
            out.write("".join(pending))
            pending.clear()
            if progress is not None:
                progress()
    out.write("".join(pending))
    return Summary(rows, errors, first_line, first_error)


def _one_line_record(body: str) -> list[str] | None:
    """The fields of a one-line record with quoted fields, as the csv module reads them."""
    try:
        return next(csv.reader((body,)))
    except (csv.Error, StopIteration):
        return None


def _bad_record(fields: list[str] | None, body: str, width: int,
                evaluate: "RowEvaluator") -> tuple[str, tuple[str, str | None]]:
    """A record that cannot be evaluated: the text to write in its place, and its error suffix."""
    if fields is None:
        return body, _error_suffix(evaluate, "unreadable CSV")
    if not _valid_utf8(fields):
        return _csv_line(_fit(_repair(fields), width))[:-1], _error_suffix(evaluate, _INVALID_UTF8)
    if len(fields) != width:
        return _csv_line(_fit(fields, width))[:-1], _error_suffix(evaluate, _field_count(fields, width))
    return _csv_line(fields)[:-1], _error_suffix(evaluate, "NUL character in the row")


def _slow_record(line: str, lines: Iterator[str], width: int, evaluate: "RowEvaluator", key_of: Any,
                 optional: list[int | None], suffixes: Cache) -> tuple[str | None, tuple[str, str | None], int]:
    """One record that needs the csv module: (text to write or None for a blank line, suffix, extra lines)."""
    consumed = [line]

    def source() -> Iterator[str]:
        yield line
        for more in lines:
            consumed.append(more)
            yield more

    reader = csv.reader(source())
    try:
        fields = next(reader)
    except StopIteration:
        return None, ("", None), 0
    except csv.Error as exc:
        return _repair_text("".join(consumed)).rstrip("\r\n"), _error_suffix(evaluate, f"unreadable CSV: {exc}"), \
            len(consumed) - 1
    extra_lines = len(consumed) - 1
    if not fields:
        return None, ("", None), extra_lines
    body = "".join(consumed).rstrip("\r\n")
    if len(fields) != width or "\x00" in body or not _valid_utf8(fields):
        return (*_bad_record(fields, body, width, evaluate), extra_lines)
    key = key_of(fields)
    entry = suffixes.current.get(key) or suffixes.miss(key, partial(_suffix, evaluate, key, optional))
    return body, entry, extra_lines


def _suffix(evaluate: "RowEvaluator", key: tuple[str, ...], optional: list[int | None]) -> tuple[str, str | None]:
    """The result columns of a key as CSV text (with the leading comma), and its error if any."""
    result = evaluate.compute_key(key, optional)
    if result[-1]:  # an error: its message may need quoting
        return "," + _csv_line(result), result[-1]
    return "," + ",".join(result) + "\n", None  # ids, numbers and flags: nothing to quote


def _error_suffix(evaluate: "RowEvaluator", message: str) -> tuple[str, str | None]:
    return "," + _csv_line(evaluate.error(message)), message


_LINE_BUFFER = io.StringIO()
_LINE_WRITER = csv.writer(_LINE_BUFFER, lineterminator="\n")


def _csv_line(values: Any) -> str:
    """Values as one properly quoted CSV line, newline included."""
    _LINE_BUFFER.seek(0)
    _LINE_BUFFER.truncate()
    _LINE_WRITER.writerow(values)
    return _LINE_BUFFER.getvalue()


def _repair_text(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _field_count(fields: list[str], width: int) -> str:
    """The problem of a record with the wrong number of fields, its extra fields quoted."""
    extra = f" (extra: {','.join(fields[width:])[:200]})" if len(fields) > width else ""
    return f"expected {width} fields, found {len(fields)}{extra}"


def _fit(fields: list[str], width: int) -> list[str]:
    return fields[:width] + [""] * (width - len(fields))


def _writer(out: IO[str], output_format: str) -> Callable[[Any, Any], None]:
    """A function writing the header (values None) or one row, in the output format."""
    state: dict[str, Any] = {}
    if output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")

        def write_csv(values: Any, result: Any) -> None:
            if values is None and "columns" not in state:  # the header: result holds the input columns
                state["columns"] = list(result)
                state["kept"] = [c for c in result if c not in RESULT_COLUMNS]
                state["clash"] = len(state["kept"]) != len(result)
                writer.writerow([*state["kept"], *RESULT_COLUMNS])
                return
            columns: list[str] = state["columns"]
            if isinstance(values, dict):
                fields = [_cell(values.get(c)) for c in columns]
            elif values is None:
                fields = [""] * len(columns)
            else:
                fields = list(values[: len(columns)]) + [""] * (len(columns) - len(values))
            if state["clash"]:
                fields = [f for c, f in zip(columns, fields, strict=True) if c not in RESULT_COLUMNS]
            writer.writerow([*fields, *result])

        return write_csv

    def write_jsonl(values: Any, result: Any) -> None:
        if values is None and "columns" not in state:
            state["columns"] = list(result)
            return
        if isinstance(values, dict):
            record = dict(values)
        elif values is None:
            record = {}
        else:
            record = dict(zip(state["columns"], values, strict=False))
            if len(values) > len(state["columns"]):
                record["extra_fields"] = values[len(state["columns"]):]
        record.update(zip(RESULT_COLUMNS, result, strict=True))
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")

    return write_jsonl


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# --- files ------------------------------------------------------------------------------------------


def guess_format(path: str | None, given: str | None) -> str:
    """The input format: as given, else from the file name (.jsonl, .ndjson), else CSV."""
    if given:
        return given
    if path and path.lower().endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


class AtomicOutput:
    """A text file written under a temporary name and renamed into place only when complete."""

    def __init__(self, path: str) -> None:
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        try:
            handle, self._temp = tempfile.mkstemp(prefix=".mgcalc-", suffix=".part", dir=directory)
        except OSError as exc:
            raise MgcalcError(f"cannot write to {shown(path)}: {exc.strerror or exc}") from None
        self.file = open(handle, "w", encoding="utf-8", newline="", buffering=1 << 20)

    def commit(self) -> None:
        self.file.close()
        try:
            os.replace(self._temp, self.path)
        except OSError as exc:
            self.discard()
            raise MgcalcError(f"cannot write {shown(self.path)}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        self.file.close()
        try:
            os.unlink(self._temp)
        except FileNotFoundError:
            pass


def open_input(path: str | None) -> IO[bytes]:
    """The input as bytes: a file, or standard input for None or '-'; MgcalcError if unreadable."""
    import sys

    if path in (None, "-"):
        return sys.stdin.buffer
    assert path is not None
    if os.path.isdir(path):
        raise MgcalcError(f"cannot read {shown(path)}: it is a directory")
    try:
        handle = io.BufferedReader(io.FileIO(path, "rb"), buffer_size=1 << 20)
    except OSError as exc:
        raise MgcalcError(f"cannot read {shown(path)}: {exc.strerror or exc}") from None
    head = handle.peek(8192)[:8192]
    if b"\x00" in head:
        handle.close()
        raise MgcalcError(f"cannot read {shown(path)}: it looks binary (NUL bytes), not CSV or JSON Lines")
    return handle
