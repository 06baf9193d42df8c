"""The batch run: records read, each evaluated through the request cache, written in order; the
summary and its exit status. Memory stays constant: rows are streamed, the caches are bounded.
"""

import io
import json
from collections.abc import Callable
from functools import partial
from operator import itemgetter
from typing import IO, Any

from mgcalc import files
from mgcalc.batch.columns import (
    BLOCK_ROWS,
    CACHE_MAX,
    INPUT_COLUMNS,
    KEYS_MAX,
    RESULT_COLUMNS,
    Cache,
    Entry,
    Request,
    RowResult,
    Strings,
    Summary,
    header_name,
)
from mgcalc.batch.decoding import repair_text
from mgcalc.batch.evaluate import RowEvaluator
from mgcalc.batch.records import (
    OBJECT_READERS,
    Object,
    ObjectReader,
    csv_records,
    decoded,
    lookup,
    read_csv_header,
    typed,
)
from mgcalc.batch.write import Sink, Writer, cell, csv_line, json_string
from mgcalc.forms import load_forms
from mgcalc.references import Profile, load_intakes


class Entries:
    """The request cache: a row's key (the fields its result depends on) to its entry, the result
    evaluated (``evaluate``) and written (``write``) once. A repeated request costs one dictionary
    lookup. A cached key's strings are shared with equal ones already cached (one "citrate" for all
    the keys that hold it), so the cache holds many keys in little memory.
    """

    def __init__(self, evaluator: RowEvaluator, writer: Writer) -> None:
        self.evaluator = evaluator
        self.writer = writer
        self.cache = Cache(CACHE_MAX)
        self._strings = Strings()  # the text fields of cached keys, stored once

    def entry(self, key: Any, request: Callable[[Any], Request] = Request._make) -> Entry:
        """The entry of a row's key; ``request(key)`` makes its Request (None where a column is absent)."""
        cache = self.cache
        try:
            found = cache.current.get(key)
            if found is None:
                found = cache.old.get(key)
        except TypeError:  # an unhashable JSON value (a list or object)
            return self.writer.entry(self.evaluator.result(request(key)))
        if found is None:
            found = self.writer.entry(self.evaluator.result(request(key)))
        if type(key) is tuple:
            key = self._strings.key(key)
        cache.put(key, found)
        return found

    def error(self, message: str) -> Entry:
        """An error row's entry: status and message, the computed fields empty."""
        return self.writer.entry(RowResult.failed(message))


class _Tally:
    """Rows written, error rows, and the first error with its line, as the run goes."""

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


def _padded(pad: tuple[None, ...], key: tuple[Any, ...]) -> Request:
    """A key of the leading INPUT_COLUMNS as a Request."""
    return Request._make(key + pad)


def _as_read(request: Request, key: Any) -> Request:
    """The request a typed key (see records.typed) was made from."""
    return request


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
    text = decoded(raw, encoding)
    sink = Sink(out)
    try:
        # a pipe or terminal: rows go out whenever the input would wait
        with files.flushing_before_wait(raw, sink.flush):
            if input_format == "csv":
                header, chosen = read_csv_header(text, delimiter)
                evaluate = Entries(RowEvaluator(profile, authority), Writer(output_format, chosen))
                summary = _run_csv(text, header, chosen, output_format, evaluate, sink, progress)
            else:
                evaluate = Entries(RowEvaluator(profile, authority), Writer(output_format, delimiter or ","))
                summary = _run_objects(text, OBJECT_READERS[input_format], output_format, evaluate, sink, progress,
                                      delimiter or ",")
            sink.write()
        return summary
    finally:
        text.detach()


def _run_csv(text: IO[str], header: list[str], delimiter: str, output_format: str, evaluate: Entries,
             sink: Sink, progress: Callable[[], None] | None) -> Summary:
    """CSV in: each record's text copied to CSV output as read, or its fields as JSON strings."""
    names = [header_name(h) for h in header]
    width = len(header)
    kept = [i for i, n in enumerate(names) if n not in RESULT_COLUMNS]  # input columns named like results go
    slots = [names.index(c) if c in names else None for c in INPUT_COLUMNS]
    present = [p for p in slots if p is not None]
    key_of = itemgetter(*present)  # the cache key: the fields a result depends on
    order = {p: i for i, p in enumerate(present)}
    places = [order.get(p) if p is not None else None for p in slots]

    def request(key: Any) -> Request:
        """A key aligned with INPUT_COLUMNS, None for a column the header lacks."""
        values = key if len(present) > 1 else (key,)
        return Request._make(values[i] if i is not None else None for i in places)
    missing = len(INPUT_COLUMNS) - len(present)
    if len(present) > 1 and places == [*range(len(present)), *[None] * missing]:  # the usual header
        request = partial(_padded, (None,) * missing)
    to_csv = output_format == "csv"
    if to_csv:
        sink.parts.append(csv_line([*(header[i] for i in kept), *RESULT_COLUMNS], delimiter))
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
    for line, body, fields, problem in csv_records(text, width, delimiter, named):
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
                body = csv_line([fields[i] for i in kept] if not verbatim else fields, delimiter)[:-1]
        elif body is None or not body.isascii():
            body = template % tuple(map(json_string, json_fields([repair_text(f) for f in fields])))
        else:
            joined = body if '"' not in body else "".join(fields)  # (a line without quotes is its fields)
            if '"' not in joined and "\\" not in joined and joined.isprintable():  # JSON strings as they stand
                body = plain % json_fields(fields)
            else:
                body = template % tuple(map(json_string, json_fields(fields)))
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


def _run_objects(text: IO[str], objects: ObjectReader, output_format: str, evaluate: Entries, sink: Sink,
                 progress: Callable[[], None] | None, delimiter: str) -> Summary:
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
    waiting: list[tuple[Object, Entry]] = []  # error rows before the first object, on a pipe
    tally = _Tally()
    add = sink.parts.append

    def csv_row(cells: list[str] | None, entry: Entry) -> None:
        assert columns is not None
        if columns:
            add(csv_line(cells or [""] * len(columns), delimiter)[:-1])
            add(entry[0])
        else:
            add(entry[0][len(delimiter):])
        add(entry[1])

    def csv_header(first: dict[str, Any] | None) -> list[str]:
        """The columns from the first object (on a pipe), the header written, early error rows after it."""
        chosen = columns if columns is not None else [k for k in first or {} if k not in RESULT_COLUMNS][:KEYS_MAX]
        add(csv_line([*chosen, *RESULT_COLUMNS], delimiter))
        return chosen

    header_written = False
    for found in objects(text):
        value = found.value
        if value is None:
            entry = evaluate.error(found.problem or "unreadable row")
        else:
            request = Request._make(lookup(value, c) for c in INPUT_COLUMNS)
            entry = evaluate.entry(tuple(map(typed, request)), partial(_as_read, request))
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
                cells = [repair_text(cell(value.get(c))) for c in columns]
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
