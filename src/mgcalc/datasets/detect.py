"""Which format a file or a record is in, from its content (never from its name alone)."""

from typing import IO, Any

from mgcalc.datasets import dsld, openfda

#: Bytes looked at to tell XML from JSON.
SNIFF = 512


def container(raw: IO[bytes]) -> str | None:
    """'xml', 'json' or None, from the first bytes that are not white space (``raw`` must peek)."""
    head = raw.peek(SNIFF)[:SNIFF]  # type: ignore[attr-defined]
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if head[:1] in (b"{", b"["):
        return "json"
    return None


def record_format(value: Any) -> str | None:
    """'dsld' or 'openfda' for a JSON record, by its fields; None when it is neither."""
    if not isinstance(value, dict):
        return None
    if dsld.looks_like(value):
        return "dsld"
    if openfda.looks_like(value):
        return "openfda"
    return None
