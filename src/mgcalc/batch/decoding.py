"""Input bytes as text, once for every format: the byte order mark, the encoding, bytes that do not
decode kept as surrogate escapes; and what the readers of every format share (a line over the
record limit, text that would not encode).
"""

import codecs
import io
from collections.abc import Iterator
from typing import IO, Any

from mgcalc.batch.columns import LINE_MAX
from mgcalc.errors import MgcalcError, shown
from mgcalc.files import bom_of
from mgcalc.record_limits import RECORD_TOO_LONG

TOO_LONG_MESSAGE = f"line {RECORD_TOO_LONG}"


def decoded(raw: IO[bytes], encoding: str | None) -> io.TextIOWrapper:
    """The input as text, its byte order mark dropped: a UTF-8 or UTF-16 mark decides (files.bom_of),
    else ``encoding``, else UTF-8. No reader after this sees a byte order mark.

    Bytes the encoding cannot decode are kept (surrogateescape): a pass-through field holding
    them is copied to the output byte for byte; only the fields a result needs must decode.
    """
    marked = bom_of(raw.peek(4)[:4]) if hasattr(raw, "peek") else None
    if marked is not None:
        raw.read(marked[0])
        chosen = marked[1]
    else:
        chosen = encoding or "utf-8"
    if codecs.lookup(chosen).name == "utf-8":
        chosen = "utf-8-sig"  # a mark a pipe delivered in pieces, too short for the peek above, is dropped too
    return io.TextIOWrapper(raw, encoding=chosen, errors="surrogateescape", newline="")


def check_encoding(name: str) -> str:
    """The codec name as given, or MgcalcError naming a few that exist."""
    try:
        codecs.lookup(name)
    except LookupError:
        raise MgcalcError(f"unknown encoding {shown(name)}; e.g. cp1252, latin-1, utf-16") from None
    return name


def encodable(text: str) -> bool:
    """False when ``text`` holds undecodable input bytes or lone surrogates."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def repair_text(text: str) -> str:
    """Undecodable bytes and lone surrogates shown as U+FFFD, so the text can be written as UTF-8 JSON."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if not encodable(text) else text


def undecodable(column: str) -> str:
    return f"{column} holds invalid UTF-8 bytes (or bytes invalid in the --encoding given; e.g. --encoding cp1252)"



def too_long(line: Any, lines: Iterator[Any]) -> bool:
    """Whether ``line`` is the first LINE_MAX of a longer line; if so, its rest is read and dropped."""
    if len(line) < LINE_MAX or line[-1:] in ("\n", "\r"):
        return False
    for rest in lines:  # a piece at a time: memory stays bounded
        if rest[-1:] in ("\n", "\r"):
            break
    return True
