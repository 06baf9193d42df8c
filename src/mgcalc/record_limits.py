"""mgcalc's own limits on the records it reads, the same on every Python it supports.

The standard library's own limits differ between interpreters: CPython 3.13's json decoder goes
thousands of levels deeper than 3.11's before it gives up, so a record accepted on one Python was
an error row on another. These are mgcalc's, checked on the record's text by mgcalc (``too_deep``,
``longest_string``), so a record is accepted or refused the same way everywhere. Every reader of
record data (batch CSV, JSON Lines and JSON arrays; the dataset readers to come: DSLD and openFDA
JSON, SPL XML) uses these and names them in its error rows.
"""

import re
from typing import Any

#: Most characters in one record: a CSV line (or record over several lines), a JSON Lines line,
#: an element of a JSON array. A longer one is an error row, read a piece at a time, never whole.
RECORD_CHARS_MAX = 1_000_000
#: Most characters in one field: a CSV field, a JSON string (key or value, at any depth). The csv
#: module's default field_size_limit (131,072 since Python 2.5), so one limit holds for CSV
#: fields quoted or not (tests/test_record_limits.py checks that the two agree).
FIELD_CHARS_MAX = 131_072
#: Deepest nesting of one record: JSON arrays and objects inside each other (a flat object is 1),
#: XML elements. Label data nests a few levels (openFDA and DSLD records fewer than 10); every
#: supported Python decodes this depth well within its recursion limit.
DEPTH_MAX = 100

RECORD_TOO_LONG = f"longer than {RECORD_CHARS_MAX:,} characters (mgcalc's record limit)"
FIELD_TOO_LONG = f"a field longer than {FIELD_CHARS_MAX:,} characters (mgcalc's field limit)"
TOO_DEEP = f"nested more than {DEPTH_MAX} levels deep (mgcalc's limit)"


_MARKS = re.compile(r'["\[\]{}]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SPACE = re.compile(r"[ \t\n\r]*")


def json_scan(text: str, start: int = 0, end: int | None = None, stop: int = DEPTH_MAX + 1) -> tuple[int, int | None]:
    """How deep the arrays and objects of the JSON value at ``text[start:end]`` nest (a scalar is 0,
    brackets inside strings do not count), and where the value ends (None: not within ``end``, or
    not known as counting stopped at depth ``stop``). Found in one pass over the text, without
    recursion and without decoding, so it answers the same for a value no decoder would read."""
    end = len(text) if end is None else end
    position = _SPACE.match(text, start, end).end()  # type: ignore[union-attr]
    if position >= end or text[position] not in '[{"':
        return 0, None  # a number or literal: no nesting (where it ends is the decoder's to say)
    depth = deepest = 0
    search, rest = _MARKS.search, _STRING_REST.match
    while (mark := search(text, position, end)) is not None:
        position = mark.end()
        kind = mark.group()
        if kind == '"':
            closed = rest(text, position, end)
            if closed is None:  # a string that does not end here
                return deepest, None
            position = closed.end()
        elif kind in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop:
                    return deepest, None
            continue
        else:
            depth -= 1
        if depth <= 0:  # the value has ended
            return deepest, position
    return deepest, None


def json_depth(text: str, start: int = 0, end: int | None = None, stop: int = DEPTH_MAX + 1) -> int:
    """How deep the JSON value at ``text[start:end]`` nests (see json_scan); counting stops at ``stop``."""
    return json_scan(text, start, end, stop)[0]


def too_deep(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the JSON value at ``text[start:end]`` nests deeper than DEPTH_MAX; a record with at most
    DEPTH_MAX brackets (nearly every one) is told by two C-speed counts."""
    if text.count("[", start, end) + text.count("{", start, end) <= DEPTH_MAX:
        return False
    return json_depth(text, start, end) > DEPTH_MAX


def longest_string(value: Any) -> int:
    """The length of the longest string (key or value, at any depth) in a decoded JSON value."""
    longest = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return longest
