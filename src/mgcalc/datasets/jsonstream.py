"""Streaming JSON values out of a byte stream, one record at a time, in bounded memory.

A file may hold one value, a JSON array of values, an openFDA response (``{"meta": ..., "results":
[...]}``) or JSON Lines; each element of a top-level array, each element of ``results``, and each
other top-level value comes out as one record. The ``json`` module's C decoder decodes each record
whole (``raw_decode`` at the record's start); this module only steps over the brackets and commas
between records, so a 1 GB file never sits in memory whole, without a new dependency (ijson was
not needed: bench/datasets.py gives the reader's speed against ``json.loads`` of the same records).
"""

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

#: Bytes read at a time.
CHUNK = 1 << 20
#: Longest single record, in characters: a longer one is an error, never held whole.
RECORD_MAX = 16 * CHUNK
_WS = " \t\r\n"
#: An openFDA response opens with its meta (or results) key: its results are streamed one by one.
_RESPONSE = re.compile(r'\{\s*"(?:meta|results)"\s*:')


class StreamProblem(Exception):
    """A record that cannot be read; ``fatal`` when nothing after it can be found again."""

    def __init__(self, message: str, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


class _Buffer:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self.text = ""
        self.pos = 0
        self.eof = False
        self.line = 1

    def fill(self) -> bool:
        """Read more; False at the end of the input."""
        if self.eof:
            return False
        chunk = self.raw.read(CHUNK)
        try:
            more = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise StreamProblem("not UTF-8 text (JSON is UTF-8)", fatal=True) from None
        self.line += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos:] + more
        self.pos = 0
        if not chunk:
            self.eof = True
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), without consuming it."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        """Decode the next value whole."""
        decoder = json.JSONDecoder(parse_constant=_no_constant)
        while True:
            self.peek()
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.text) - 1 or exc.msg.startswith("Unterminated string")
                if cut and len(self.text) - self.pos > RECORD_MAX:
                    raise StreamProblem(f"a record longer than {RECORD_MAX:,} characters", fatal=True) from None
                if cut and self.fill():
                    continue
                at = self.line + self.text.count("\n", 0, exc.pos)
                raise StreamProblem(f"not valid JSON, or cut short, at line {at}: {exc.msg}", fatal=True) from None
            except RecursionError:
                raise StreamProblem("a record nested too deeply to read", fatal=True) from None
            if end == len(self.text) and not self.eof and self.fill():
                continue  # a number at the end of the buffer may go on
            self.pos = end
            return value

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            what = repr(found) if found else "the end of the input"
            raise StreamProblem(f"not valid JSON, or cut short: expected {' or '.join(map(repr, chars))}, "
                                f"found {what} at line {self.line + self.text.count(chr(10), 0, self.pos)}",
                                fatal=True)
        self.pos += 1
        return found


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def values(raw: IO[bytes]) -> Iterator[Any | StreamProblem]:
    """Each record in ``raw``; a problem is yielded (not raised), and ends the stream when fatal.

    In JSON Lines (a first value on one line), a bad line is one problem and reading goes on
    with the next line.
    """
    buffer = _Buffer(raw)
    lines = False
    try:
        if buffer.peek() == "":
            raise StreamProblem("empty: no JSON record", fatal=True)
        while (first := buffer.peek()) != "":
            start = buffer.pos
            try:
                if first == "[":
                    buffer.pos += 1
                    yield from _array(buffer)
                elif first == "{" and _response(buffer):
                    yield from _object(buffer)
                else:
                    value = buffer.value()
                    if isinstance(value, dict) and isinstance(value.get("results"), list):
                        yield from value["results"]
                    else:
                        yield value  # an object is a record; a bare value, the reader says, is not
                    lines = lines or "\n" not in buffer.text[start:buffer.pos]
            except StreamProblem as problem:
                if not lines:
                    raise
                yield StreamProblem(str(problem), fatal=False)
                _next_line(buffer)
    except StreamProblem as problem:
        yield problem
    except ValueError as exc:  # NaN, Infinity
        yield StreamProblem(f"not valid JSON: {exc}", fatal=True)


def _response(buffer: _Buffer) -> bool:
    while len(buffer.text) - buffer.pos < 64 and buffer.fill():
        pass
    return _RESPONSE.match(buffer.text, buffer.pos) is not None


def _next_line(buffer: _Buffer) -> None:
    while (end := buffer.text.find("\n", buffer.pos)) < 0:
        buffer.pos = len(buffer.text)
        if not buffer.fill():
            return
    buffer.pos = end + 1


def _array(buffer: _Buffer) -> Iterator[Any]:
    if buffer.peek() == "]":
        buffer.pos += 1
        return
    while True:
        yield buffer.value()
        if buffer.expect(",]") == "]":
            return


def _object(buffer: _Buffer) -> Iterator[Any]:
    """A top-level object: its ``results`` array streamed when it has one, else the object itself."""
    buffer.pos += 1
    kept: dict[str, Any] = {}
    streamed = False
    if buffer.peek() == "}":
        buffer.pos += 1
        yield kept
        return
    while True:
        key = buffer.value()
        if not isinstance(key, str):
            raise StreamProblem("not valid JSON: an object key that is not a string", fatal=True)
        buffer.expect(":")
        if key == "results" and buffer.peek() == "[":
            buffer.pos += 1
            streamed = True
            yield from _array(buffer)
        else:
            kept[key] = buffer.value()
        if buffer.expect(",}") == "}":
            break
    if not streamed:
        yield kept
