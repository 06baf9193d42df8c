"""Label databases as published, read natively: DSLD records, openFDA label and NDC records, DailyMed SPL.

``Reader(path, input_format)`` walks a file, a directory or a ``.zip`` and yields, for every record
it holds, a ``Record`` per magnesium ingredient, a ``Skip`` (a record with no magnesium: counted)
or a ``Problem`` (what could not be read: an error row). ``Reader.formats`` counts the formats
found, so the caller can say which were detected. Each reader streams: one record in memory at a time.
"""

import io
import os
import stat
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import IO

from mgcalc.datasets import detect, dsld, jsonstream, openfda, spl
from mgcalc.datasets.record import FORMATS, Figure, Item, Problem, Record, Skip
from mgcalc.errors import MgcalcError

__all__ = ["FORMATS", "Figure", "Item", "Problem", "Reader", "Record", "Skip", "is_record_file"]

#: File names read inside a directory or zip (others are reported, not silently passed over).
RECORD_SUFFIXES = (".json", ".jsonl", ".ndjson", ".xml")
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"


class Reader:
    """Every record of a file, directory or zip, in order (directory entries sorted by name)."""

    def __init__(self, path: str, input_format: str | None = None) -> None:
        if input_format is not None and input_format not in FORMATS:
            raise MgcalcError(f"unknown dataset format {input_format!r}; give one of {', '.join(FORMATS)}")
        self.path = path
        self.input_format = input_format
        self.formats: Counter[str] = Counter()

    def __iter__(self) -> Iterator[Item]:
        try:
            mode = os.stat(self.path).st_mode
        except OSError as exc:
            raise MgcalcError(f"cannot read {self.path!r}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(mode):
            yield from self._directory(self.path)
            return
        try:
            with open(self.path, "rb") as raw:
                head = raw.read(4)
                raw.seek(0)
                if head in (_ZIP_MAGIC, _EMPTY_ZIP):
                    yield from self._zip(raw)
                else:
                    yield from self._file(raw, os.path.basename(self.path))
        except OSError as exc:
            raise MgcalcError(f"cannot read {self.path!r}: {exc.strerror or exc}") from None

    def _directory(self, top: str) -> Iterator[Item]:
        for here, dirs, names in os.walk(top, followlinks=False):
            dirs.sort()
            for link in [d for d in dirs if os.path.islink(os.path.join(here, d))]:
                yield Problem(os.path.relpath(os.path.join(here, link), top), "a link: not followed")
            for name in sorted(names):
                full = os.path.join(here, name)
                where = os.path.relpath(full, top)
                if os.path.islink(full):
                    yield Problem(where, "a link: not followed")
                elif not name.lower().endswith(RECORD_SUFFIXES):
                    yield Problem(where, f"not a record file (read: {', '.join(RECORD_SUFFIXES)})")
                elif not os.path.isfile(full):
                    yield Problem(where, "not a regular file")
                else:
                    try:
                        with open(full, "rb") as raw:
                            yield from self._file(raw, where)
                    except OSError as exc:
                        yield Problem(where, f"cannot read: {exc.strerror or exc}")

    def _zip(self, raw: IO[bytes]) -> Iterator[Item]:
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError) as exc:
            raise MgcalcError(f"{self.path!r} is not a readable zip file ({exc}); is it cut short?") from None
        with archive:
            for info in archive.infolist():
                where = info.filename
                if info.is_dir():
                    yield Problem(where, "a directory entry in the zip: the zip should hold record files only")
                elif stat.S_ISLNK(info.external_attr >> 16):
                    yield Problem(where, "a link entry in the zip: not followed")
                elif not info.filename.lower().endswith(RECORD_SUFFIXES):
                    yield Problem(where, f"not a record file (read: {', '.join(RECORD_SUFFIXES)})")
                else:
                    try:
                        with archive.open(info) as member:
                            yield from self._file(io.BufferedReader(member), where)  # type: ignore[arg-type]
                    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                        yield Problem(where, f"cannot read this zip entry: {exc}")

    def _file(self, raw: io.BufferedReader, where: str) -> Iterator[Item]:
        kind = detect.container(raw)
        if kind == "xml":
            if self.input_format not in (None, "spl"):
                yield Problem(where, f"XML, not {self.input_format} records (SPL documents are XML)")
                return
            self.formats["spl"] += 1
            yield from spl.records(raw, where)
        elif kind == "json":
            if self.input_format == "spl":
                yield Problem(where, "JSON, not an SPL XML document")
                return
            yield from self._json(raw, where)
        else:
            yield Problem(where, "neither JSON nor XML: not a DSLD, openFDA or SPL file")

    def _json(self, raw: IO[bytes], where: str) -> Iterator[Item]:
        for position, value in enumerate(jsonstream.values(raw), 1):
            here = f"{where} #{position}"
            if isinstance(value, jsonstream.StreamProblem):
                yield Problem(here, str(value))
                continue
            found = detect.record_format(value)
            wanted = self.input_format or found
            if found is None or wanted != found:
                expected = {"dsld": "a DSLD label record", "openfda": "an openFDA label or NDC record"}
                what = expected.get(wanted or "", "a DSLD, openFDA label or openFDA NDC record")
                yield Problem(here, f"not {what}" + (f" (it looks like {expected[found]})" if found else ""))
                continue
            self.formats[found] += 1
            yield from (dsld.records(value, here) if found == "dsld" else openfda.records(value, here))


def is_record_file(path: str) -> bool:
    """True when ``path`` is one DSLD/openFDA JSON record or an SPL document (``check --label-file``)."""
    try:
        with open(path, "rb") as raw:
            kind = detect.container(raw)
    except OSError:
        return False
    return kind is not None
