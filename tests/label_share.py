"""The share of real label lines (tests/data/label_lines.csv) that ``check --label`` reads as expected.

A line counts as read when the exit status is the expected one (0 consistent, 3 inconsistent,
4 read but cannot be checked, 1 refused) and, where the file gives them, the declared magnesium,
the compound weight and the forms are the ones read. Run: ``python tests/label_share.py``
(``-v`` lists every line that is not read as expected).
"""

import csv
import math
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data" / "label_lines.csv"


def rows() -> list[dict[str, str]]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def outcome(text: str) -> tuple[int, dict[str, object] | None, str]:
    """(exit status, the check as a dict or None, the error) for label text, as the CLI decides them."""
    from mgcalc.check import check_label
    from mgcalc.errors import MgcalcError

    try:
        result = check_label(text)
    except MgcalcError as exc:
        return 1, None, str(exc)
    status = 4 if result.consistent is None else 0 if result.consistent else 3
    return status, result.as_dict(), ""


def mismatches(row: dict[str, str]) -> list[str]:
    """What differs between the expected reading of a row and the one made ('' when none)."""
    status, data, error = outcome(row["text"])
    found = []
    if status != int(row["expect_exit"]):
        found.append(f"exit {status} (expected {row['expect_exit']}) {error or (data or {}).get('reason') or ''}")
    if data is None:
        return found
    for key in ("declared_mg", "compound_mg"):
        if row[key] and (data[key] is None or not math.isclose(float(row[key]), float(data[key]), rel_tol=5e-3)):
            found.append(f"{key} {data[key]} (expected {row[key]})")
    if row["forms"] and set(row["forms"].split(";")) != set(data["forms"]):
        found.append(f"forms {data['forms']} (expected {row['forms']})")
    return found


def share(provenance: str = "printed", verbose: bool = False) -> tuple[int, int]:
    """(lines read as expected, lines) among the rows of one provenance."""
    selected = [r for r in rows() if r["provenance"] == provenance]
    good = 0
    for row in selected:
        problems = mismatches(row)
        good += not problems
        if problems and verbose:
            print(f"{row['id']}: {'; '.join(problems)}\n    {row['text']}")
    return good, len(selected)


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    for kind in ("printed", "dsld_record", "constructed"):
        good, total = share(kind, verbose)
        print(f"{kind}: {good}/{total} read as expected ({100 * good / total:.0f} %)")
