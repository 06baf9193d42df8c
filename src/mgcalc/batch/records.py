"""Bytes to records, by input format: CSV (csv_records) and the formats whose records are objects
(JSON Lines, a JSON array; next the label databases' formats), each an error record at its line
when it cannot be read.

A new object format is one reader function (text -> ``Object`` records) registered in
OBJECT_READERS; ``run`` reads every format in that table the same way.
"""

from collections.abc import Callable, Iterator
from typing import IO

from mgcalc.batch.columns import Object
from mgcalc.batch.csv_records import Record, csv_records, read_csv_header, sniff_delimiter
from mgcalc.batch.decoding import check_encoding, decoded
from mgcalc.batch.json_records import json_array_objects, jsonl_objects, lookup, typed

ObjectReader = Callable[[IO[str]], Iterator[Object]]

#: Input formats whose records are objects: format name -> reader. (CSV has a header and is read by csv_records.)
OBJECT_READERS: dict[str, ObjectReader] = {
    "jsonl": jsonl_objects,
    "json": json_array_objects,
}

__all__ = [
    "OBJECT_READERS", "Object", "ObjectReader", "Record", "check_encoding", "csv_records", "decoded", "lookup",
    "read_csv_header", "sniff_delimiter", "typed",
]
