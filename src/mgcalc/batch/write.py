"""Results to text: a RowResult as CSV cells (quoted as csv.writer quotes them) or as JSON Lines
items (as json.dumps writes them), without csv.writer or json.dumps per row; the pieces already
written kept in a memo of their own; and the output collected into blocks.
"""

import csv
import io
import json
from collections.abc import Callable
from typing import IO, Any

from mgcalc.batch.columns import HEAD_COLUMNS, RESULT_COLUMNS, Entry, RowResult, remember

_CSV_FLAGS: dict[bool | None, str] = {None: "", True: "true", False: "false"}
#: How each type of result value is written in CSV: numbers unrounded (repr), flags true/false, None empty.
_CSV_CELL: dict[type, Callable[[Any], str]] = {
    str: str, float: repr, int: repr, bool: _CSV_FLAGS.__getitem__, type(None): _CSV_FLAGS.__getitem__,
}
json_string = json.encoder.encode_basestring  # the C encoder json.dumps uses
_JSON_CONSTANTS: dict[bool | None, str] = {None: "null", True: "true", False: "false"}
#: Most results kept written (the evaluator hands out the same RowResult object for a dose again).
_WRITTEN_MAX = 32_768
#: Most distinct (warnings, error) pairs kept written.
_TAILS_MAX = 4_096


def _json_template(columns: tuple[str, ...]) -> str:
    """``"name": %s, `` for each column, as json.dumps separates an object's items."""
    return "".join(json.dumps(c).replace("%", "%%") + ": %s, " for c in columns)


#: The result columns as JSON Lines writes them after a row's own fields (json.dumps' separators):
#: the head (up to per_unit_mg) and the tail (warnings, error, the end of the object).
_JSON_HEAD = _json_template(RESULT_COLUMNS[:HEAD_COLUMNS])
_JSON_TAIL = _json_template(RESULT_COLUMNS[HEAD_COLUMNS:])[:-2] + "}\n"


def json_value(value: Any) -> str:
    """``value`` as json.dumps(..., ensure_ascii=False) writes it, without building a dict per row."""
    kind = type(value)
    if kind is str:
        return json_string(value)
    if kind is float and value - value == 0:  # finite (NaN and infinities as json.dumps spells them)
        return repr(value)
    if kind is int:
        return repr(value)
    if kind is bool or value is None:
        return _JSON_CONSTANTS[value]
    return json.dumps(value, ensure_ascii=False)


class Writer:
    """Results as one output format writes them (``csv`` with a delimiter, or ``jsonl``).

    A result is written as an entry's two parts (see columns.Entry): the head, the result columns
    up to per_unit_mg, and the tail, warnings and error with the newline. For CSV the head starts
    with the delimiter, to follow the row's own fields; for JSON Lines it is ``"status": ...`` to
    follow the row's own items.

    The memo: a result the evaluator hands out again (a dose's RowResult, kept by its memo) is
    found by identity, kept alive here so that its identity cannot pass to another object; its
    text is made once. Tails, long and the same for many rows, are one shared string per text.
    """

    def __init__(self, output_format: str, delimiter: str = ",") -> None:
        self.csv = output_format == "csv"
        self.delimiter = delimiter
        # id(result): the result, kept so that its id stays its own; and its entry (a tuple of strings, which
        # the garbage collector stops tracking: the memo adds no container it must visit again and again)
        self._results: dict[int, RowResult] = {}
        self._entries: dict[int, Entry] = {}
        self._tails: dict[tuple[Any, Any], str] = {}  # (warnings, error): the tail

    def entry(self, result: RowResult) -> Entry:
        """A result's entry (head, tail, and its error message), written once for each result object."""
        key = id(result)
        if self._results.get(key) is result:
            return self._entries[key]
        cells = self.cells(result)
        said = (result.warnings, result.error)
        tail = self._tails.get(said)
        if tail is None:
            tail = remember(self._tails, said, self._tail(cells[HEAD_COLUMNS:]), _TAILS_MAX)
        written = (self._head(cells[:HEAD_COLUMNS]), tail, result.error)
        if len(self._results) >= _WRITTEN_MAX:
            self._results.clear()
            self._entries.clear()
        self._results[key] = result
        self._entries[key] = written
        return written

    def cells(self, values: tuple[Any, ...]) -> list[str]:
        """Each result value as this output writes it (CSV cells quoted as csv.writer does, or JSON)."""
        if not self.csv:
            return list(map(json_value, values))
        quoted = self.quoted  # any cell, numbers and flags too, may hold the delimiter (--delimiter e, s, .)
        return [quoted(v) if type(v) is str else quoted(_CSV_CELL[type(v)](v)) for v in values]

    def serialised(self, values: tuple[Any, ...]) -> tuple[str, str]:
        """RESULT_COLUMNS values as an entry's two parts, head and tail (no memo)."""
        cells = self.cells(values)
        return self._head(cells[:HEAD_COLUMNS]), self._tail(cells[HEAD_COLUMNS:])

    def _head(self, cells: list[str]) -> str:
        """The head's cells (up to per_unit_mg) as the text after a row's own fields."""
        if not self.csv:
            return _JSON_HEAD % tuple(cells)
        d = self.delimiter
        return d + d.join(cells) + d

    def _tail(self, cells: list[str]) -> str:
        """The warnings and error cells as the end of the row."""
        return _JSON_TAIL % tuple(cells) if not self.csv else self.delimiter.join(cells) + "\n"

    def quoted(self, cell: str) -> str:
        """A cell quoted as csv.writer's QUOTE_MINIMAL does: when it holds the delimiter, a quote or a line break."""
        if self.delimiter in cell or '"' in cell or "\r" in cell or "\n" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell


class Sink:
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


_LINE_BUFFER = io.StringIO()


def csv_line(values: Any, delimiter: str = ",") -> str:
    """Values as one properly quoted CSV line, newline included."""
    _LINE_BUFFER.seek(0)
    _LINE_BUFFER.truncate()
    # "\r\n" as the terminator makes the writer quote a field holding either character
    csv.writer(_LINE_BUFFER, delimiter=delimiter, lineterminator="\r\n").writerow(values)
    return _LINE_BUFFER.getvalue()[:-2] + "\n"


def cell(value: Any) -> str:
    """A JSON value as a CSV cell: text as it is, None empty, anything else as JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
