"""Dataset benchmark: records per second of the dataset readers and of `mgcalc audit`, against
`json.loads` of the same records as the floor, and peak memory of an audit of a large zip.

    python bench/datasets.py 20000               # records; writes into a temporary directory
    python bench/datasets.py 20000 --zip-mb 150  # also audit a generated zip of about 150 MB

The records are SYNTHETIC COPIES of the 16 DSLD records rebuilt from real DSLD rows
(tests/data/datasets/dsld_rebuilt.json): each copy gets a new id, a `_synthetic` field saying it
is a benchmark copy, and a padding statement so that a record is about 1.5 KB, the size of a
plain DSLD record. They serve only the speed and memory figures; they are not data.

Figures, each in a fresh interpreter:
- floor: read the JSON Lines file line by line and `json.loads` each line;
- read: `mgcalc.datasets.Reader` over the same file (streaming, record detection, the DSLD
  record written out as a label line), no check;
- audit: `mgcalc.audit.audit` over the same file (read, then `check_label` on every record);
- zip: `mgcalc audit BULK.zip --json` as a user runs it, on a zip of JSON array files (stored,
  not compressed, so the zip's size is the JSON's), with its peak resident memory.
The ratio is each one's time over the floor's.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "datasets" / "dsld_rebuilt.json"
PAD = "synthetic benchmark padding " * 40

FLOOR = """
import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        json.loads(line)
        n += 1
print(n)
"""
READ = """
import sys
from mgcalc.datasets import Reader
print(sum(1 for _ in Reader(sys.argv[1])))
"""
AUDIT = """
import sys
from mgcalc.audit import audit
print(audit(sys.argv[1]).records)
"""


def copies(count: int):
    base = json.loads(SOURCE.read_text(encoding="utf-8"))
    for i in range(count):
        record = dict(base[i % len(base)])
        record["_synthetic"] = f"benchmark copy {i} of DSLD record {record['id']}; not data"
        record["id"] = 10_000_000 + i
        record["statements"] = [{"type": "synthetic", "notes": PAD}]
        yield record


def timed(code: str, path: Path) -> tuple[float, int, float]:
    """Seconds, the count printed, and peak resident MB of a fresh interpreter running ``code`` on ``path``."""
    probe = code + "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    count, peak_kb = out.stdout.split()[-2:]
    return seconds, int(count), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=int, nargs="?", default=20_000)
    parser.add_argument("--zip-mb", type=int, default=0, help="also audit a generated zip of about this size")
    parser.add_argument("--keep", metavar="DIR", help="write the generated files here and keep them")
    args = parser.parse_args()
    where = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mgcalc-bench-"))
    where.mkdir(parents=True, exist_ok=True)
    try:
        lines = where / "dsld_synthetic.jsonl"
        with open(lines, "w", encoding="utf-8") as out:
            for record in copies(args.records):
                out.write(json.dumps(record) + "\n")
        size = lines.stat().st_size / 1e6
        print(f"{args.records:,} synthetic DSLD records, {size:.1f} MB of JSON Lines")
        floor, n, _ = timed(FLOOR, lines)
        print(f"  floor json.loads : {n / floor:>10,.0f} records/s ({floor:.2f} s)")
        for name, code in (("read (Reader)", READ), ("audit()", AUDIT)):
            seconds, count, peak = timed(code, lines)
            print(f"  {name:<17}: {count / seconds:>10,.0f} records/s ({seconds:.2f} s, {seconds / floor:.1f} x "
                  f"the floor), peak {peak:.0f} MB")
        if args.zip_mb:
            bulk = where / "dsld_synthetic.zip"
            per_file, written, part = 5_000, 0, 0
            with zipfile.ZipFile(bulk, "w", zipfile.ZIP_STORED) as archive:
                while written < args.zip_mb * 1e6:
                    chunk = json.dumps(list(copies(per_file))).encode()
                    archive.writestr(f"dsld/part{part:04d}.json", chunk)
                    written += len(chunk)
                    part += 1
            mb = bulk.stat().st_size / 1e6
            probe = ("import resource, subprocess, sys, time\n"
                     "t = time.perf_counter()\n"
                     "r = subprocess.run([sys.executable, '-m', 'mgcalc', 'audit', sys.argv[1], '--json'],"
                     " capture_output=True, text=True)\n"
                     "import json; d = json.loads(r.stdout); print(d['records'], time.perf_counter() - t,"
                     " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
            out = subprocess.run([sys.executable, "-c", probe, str(bulk)], capture_output=True, text=True, check=True)
            count, seconds, peak_kb = out.stdout.split()
            print(f"zip of {mb:.0f} MB ({part} files, {int(count):,} records): mgcalc audit {float(seconds):.1f} s, "
                  f"{int(count) / float(seconds):,.0f} records/s, peak resident memory {int(peak_kb) / 1024:.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
