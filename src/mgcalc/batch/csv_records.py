"""CSV records: the header read (its delimiter sniffed when not given), then one record per row,
each with the line it starts on; a bad row is an error record in place, never the end of reading.
"""

import csv
from collections.abc import Iterator
from functools import partial
from itertools import chain
from typing import IO

from mgcalc.batch.columns import DELIMITERS, LABEL_COLUMN, LINE_MAX, RECORD_LINES_MAX, REQUIRED_COLUMNS, header_name
from mgcalc.batch.decoding import TOO_LONG_MESSAGE, encodable, too_long, undecodable
from mgcalc.errors import MgcalcError, shown
from mgcalc.record_limits import FIELD_CHARS_MAX, FIELD_TOO_LONG

#: One CSV record: the line it starts on, its text as read (None for an error row, or for a record
#: that cannot be copied as it stands: the strict reading refused it), its fields
#: (for an error row fitted to the header's width, so it can still be written) and its problem.
#: A plain tuple: a NamedTuple's constructor costs more than the rest of reading a line.
Record = tuple[int, str | None, list[str], str | None]


class Feed:
    """What the csv module reads one record from: its first line, then continuation lines while a
    quoted field is open, at most RECORD_LINES_MAX lines and LINE_MAX characters in all."""

    def __init__(self) -> None:
        self.first: str | None = None
        self.more: Iterator[str] | None = None
        self.extra: list[str] = []
        self.chars = 0

    def start(self, line: str, more: Iterator[str] | None) -> None:
        self.first, self.more, self.extra, self.chars = line, more, [], len(line)

    def __iter__(self) -> "Feed":
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
    if not encodable("".join(header)):
        raise MgcalcError("the CSV header is not valid text in the input's encoding; try --encoding cp1252")
    names = [header_name(h) for h in header]
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


def csv_records(text: IO[str], width: int, delimiter: str,
                 key_positions: list[tuple[str, int]]) -> Iterator[Record]:
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
    feed = Feed()
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
            if len(line) >= LINE_MAX and too_long(line, lines):
                yield (line_no, None, [""] * width, TOO_LONG_MESSAGE)
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
                        bad = [name for name, p in key_positions if not encodable(fields[p])]
                        if bad:
                            yield (record_line, None, fields, undecodable(bad[0]))
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
                bad = [name for name, p in key_positions if not encodable(fields[p])]
                if bad:
                    yield (line_no, None, fields, undecodable(bad[0]))
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

