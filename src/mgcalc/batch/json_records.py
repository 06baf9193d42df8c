"""JSON records: JSON Lines (every line stands alone) and a JSON array read a piece at a time;
each element an object, or an error record at its line.
"""

import json
import math
import re
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from mgcalc.batch.columns import LINE_MAX, Object, header_name
from mgcalc.batch.decoding import TOO_LONG_MESSAGE, encodable, too_long
from mgcalc.record_limits import (
    FIELD_CHARS_MAX,
    FIELD_TOO_LONG,
    RECORD_TOO_LONG,
    TOO_DEEP,
    json_scan,
    longest_string,
    too_deep,
)


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


def _object(line_no: int, text: str, value: Any = None, parsed: bool = False) -> Object:
    """One JSON value's row: an object, or the reason it is none (invalid text, lone surrogates,
    over mgcalc's limits). The depth is told from the text (a JSON Lines line's before it is
    decoded), so the same value is refused on every Python, whatever its decoder's own depth."""
    if not encodable(text):
        return Object(line_no, None, "invalid UTF-8 bytes (or bytes invalid in the --encoding given)")
    if too_deep(text):
        return Object(line_no, None, TOO_DEEP)
    if not parsed:
        try:
            value = json.loads(text, **_STRICT_JSON)
        except (ValueError, RecursionError) as exc:
            return Object(line_no, None, f"not JSON: {str(exc)[:80]}")
    if not isinstance(value, dict):
        return Object(line_no, None, "not a JSON object")
    if parsed and any(isinstance(v, float) and not math.isfinite(v) for v in value.values()):
        return Object(line_no, None, "a number is NaN or out of range (JSON output could not carry it)")
    if len(text) > FIELD_CHARS_MAX and longest_string(value) > FIELD_CHARS_MAX:  # no string outgrows its text
        return Object(line_no, None, FIELD_TOO_LONG)
    if "\\u" in text or "\\U" in text:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return Object(line_no, None, "a lone surrogate escape (such as \\ud800) is not text")
        except RecursionError:
            return Object(line_no, None, "nested too deeply")
    return Object(line_no, value, None)


def jsonl_objects(text: IO[str]) -> Iterator[Object]:
    """JSON Lines: every line stands alone, a bad one is one error row."""
    lines = iter(partial(text.readline, LINE_MAX), "")
    for line_no, line in enumerate(lines, start=1):
        if len(line) >= LINE_MAX and too_long(line, lines):
            yield Object(line_no, None, TOO_LONG_MESSAGE)
            continue
        if line.strip(_ASCII_WHITESPACE):  # str.strip would also drop \x1c-\x1f and Unicode spaces
            yield _object(line_no, line)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: What makes a JSON Lines line blank (skipped): ASCII white space only, as bytes.strip() has it.
_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
_CHUNK = 1 << 16


def json_array_objects(text: IO[str]) -> Iterator[Object]:
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

    if skip() != "[":
        yield Object(line(), None, "not a JSON array (a .json file is read as one); "
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
                yield Object(line(), None, broken(failure, problem))
                return
            # a number whose text runs to the end of what was read may go on ("1." then "5")
            if type(value) in (int, float) and _NUMBER_REST.fullmatch(buffer, end) and grow():
                continue
            break
        if problem is not None:
            yield Object(line(), None, problem)
        else:
            yield _object(line(), buffer[position:end], value, parsed=True)
        position, first = end, False
        nxt = skip()
        position += 1
        if nxt == "]":
            break
        if nxt != ",":
            yield Object(line(), None, "expected ',' or ']' in the JSON array; the rest cannot be read")
            return
    if skip():
        yield Object(line(), None, "text after the JSON array")


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


def typed(value: Any) -> Any:
    """A JSON value as a cache key: 1, 1.0 and true are equal in Python but are not the same field
    (per_day true is an error, per_day 1 is not), nor are 0.0 and -0.0 (-0.0 is negative)."""
    if value is None or type(value) is str:
        return value
    if type(value) is float:
        return float, value, math.copysign(1.0, value)
    return type(value), value


def lookup(value: dict[str, Any], name: str) -> Any:
    """A field of a JSON object: by its name, else by a key equal to it but for case and spaces."""
    found = value.get(name)
    if found is None and name not in value:
        for key in value:
            if isinstance(key, str) and header_name(key) == name:
                return value[key]
    return found
