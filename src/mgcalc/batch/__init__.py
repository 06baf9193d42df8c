"""Batch processing: label rows stream in, exactly one result row per input row streams out.

Input is CSV with a header, JSON Lines, or a JSON array of objects; required fields ``amount``
and ``form`` (or ``label``), optional ``per_day`` and ``declared_mg``; every other field passes
through untouched. A bad row becomes an error row; it never stops the run.

The stages, dependencies pointing one way (``run`` -> {``records``, ``evaluate``, ``write``} -> ``columns``):

- ``columns``: the contract: column names, ``Request``, ``RowResult``, ``Summary``, bounded memos;
- ``records`` (``decoding``, ``csv_records``, ``json_records``): bytes -> records, error records at their line;
- ``evaluate``: ``Request`` -> ``RowResult``, through the memos that save real work (no text);
- ``write``: ``RowResult`` -> CSV or JSON Lines text, with its own memo of written pieces;
- ``run``: the loop, the request cache, the summary.
"""

from mgcalc.batch.columns import (
    BLOCK_ROWS,
    CACHE_MAX,
    DELIMITERS,
    FORMATS,
    INPUT_COLUMNS,
    INPUT_FORMATS,
    KEYS_MAX,
    LABEL_COLUMN,
    LINE_MAX,
    RECORD_LINES_MAX,
    REQUIRED_COLUMNS,
    RESULT_COLUMNS,
    Cache,
    Entry,
    Object,
    Request,
    RowResult,
    Summary,
)
from mgcalc.batch.evaluate import RowEvaluator
from mgcalc.batch.records import OBJECT_READERS, check_encoding, read_csv_header, sniff_delimiter
from mgcalc.batch.run import run
from mgcalc.batch.write import Writer

__all__ = [
    "BLOCK_ROWS", "CACHE_MAX", "DELIMITERS", "FORMATS", "INPUT_COLUMNS", "INPUT_FORMATS", "KEYS_MAX", "LABEL_COLUMN",
    "LINE_MAX", "OBJECT_READERS", "RECORD_LINES_MAX", "REQUIRED_COLUMNS", "RESULT_COLUMNS", "Cache", "Entry",
    "Object", "Request", "RowEvaluator", "RowResult", "Summary", "Writer", "check_encoding", "read_csv_header", "run",
    "sniff_delimiter",
]
