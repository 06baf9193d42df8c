"""Dataset records as the label rows ``mgcalc batch`` already reads: the one hook into batch.

``label_rows(path, input_format)`` is a byte stream of JSON Lines, one object per magnesium record:
its ``label`` text (read as ``check --label`` reads it) and pass-through columns naming the record
(``record_kind``, ``record_id``, ``product``, ``brand``, ``record_basis``, ``link``, ``where``).
A record that cannot be read becomes a row with an empty label and its ``record_error``, so batch
gives it an error row; a record without magnesium gives no row and is counted in ``skipped``.
"""

import io
import json
from collections import Counter
from collections.abc import Iterator

from mgcalc.datasets import Problem, Reader, Record


class LabelRows(io.RawIOBase):
    """The JSON Lines stream, produced as it is read (one record in memory at a time)."""

    def __init__(self, path: str, input_format: str | None) -> None:
        super().__init__()
        self.reader = Reader(path, input_format)
        self.skipped: Counter[str] = Counter()
        self._lines = self._generate()
        self._pending = b""

    def _generate(self) -> Iterator[bytes]:
        for item in self.reader:
            if isinstance(item, Record):
                row = {"label": item.text if item.printed is None else item.printed, "record_kind": item.kind,
                       "record_id": item.id, "product": item.product, "brand": item.brand,
                       "record_basis": item.basis, "link": item.link, "where": item.where, "record_error": None}
            elif isinstance(item, Problem):
                row = {"label": "", "record_kind": None, "record_id": item.id, "product": None, "brand": None,
                       "record_basis": None, "link": None, "where": item.where, "record_error": item.message}
            else:
                self.skipped[item.reason] += 1
                continue
            yield (json.dumps(row, ensure_ascii=False) + "\n").encode()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        while not self._pending:
            line = next(self._lines, None)
            if line is None:
                return 0
            self._pending = line
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def label_rows(path: str, input_format: str | None) -> LabelRows:
    return LabelRows(path, input_format)


def record_label(path: str) -> tuple[str, Record] | None:
    """``check --label-file``: the label text of the one magnesium record in ``path``, and the record.

    None when ``path`` is not JSON or XML (plain label text); a file of several magnesium records,
    of none, or that cannot be read as a record is a ``MgcalcError`` that says so.
    """
    from mgcalc.datasets import Skip, is_record_file
    from mgcalc.errors import MgcalcError

    if not is_record_file(path):
        return None
    found: list[Record] = []
    for item in Reader(path):
        if isinstance(item, Problem):
            raise MgcalcError(f"{path!r} looks like a dataset record but cannot be read: {item.message}")
        if isinstance(item, Skip):
            raise MgcalcError(f"{path!r} is a {item.kind} record ({item.id}) with nothing to check: {item.reason}")
        found.append(item)
        if len(found) > 1:
            raise MgcalcError(f"{path!r} holds more than one magnesium record; check reads one: "
                              f"use mgcalc audit {path}")
    if not found:
        raise MgcalcError(f"{path!r} holds no record")
    record = found[0]
    return (record.text if record.printed is None else record.printed), record
