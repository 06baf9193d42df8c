"""Batch benchmark: rows per second and peak memory of `mgcalc batch` on a generated label file,
for CSV and JSON Lines output, each against the floor the csv module sets on the same file.

    python bench/batch.py 1000000            # rows; writes into a temporary directory
    python bench/batch.py 1000000 --rounds 3 # interleave 3 rounds (the machine is shared)
    python bench/batch.py 200000 --keep DIR  # keep the generated input and output in DIR

The file mixes forms (names, aliases, hydrates, formulas), units and label-like amounts, with
declared magnesium on a third of the rows (some misprinted), pass-through columns (a product
name, quoted on a third of the rows: commas and doubled quotes inside, and a brand) and about
1 % bad rows: unknown forms, unreadable amounts, empty fields, wrong column counts and invalid
UTF-8 bytes.

The floor is the csv module doing nothing but copying the same file to the same format, in a
fresh interpreter like mgcalc's: for CSV, csv.reader into csv.writer; for JSON Lines, csv.reader
then json.dumps of each row as an object (ensure_ascii=False, as mgcalc writes). The ratio is
mgcalc's time over the floor's.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMS = [
    ("citrate", 16.16), ("Magnesium Citrate", 16.16), ("oxide", 60.30), ("magnesium oxide", 60.30),
    ("glycinate", 14.10), ("bisglycinate", 14.10), ("chloride hexahydrate", 11.96), ("chloride", 11.96),
    ("MgCl2.6H2O", 11.96), ("sulfate", 9.86), ("MgSO4·7H2O", 9.86), ("malate", 15.54), ("lactate", 10.19),
    ("gluconate", 5.39), ("taurate", 8.92), ("threonate", 8.25), ("magtein", 7.20), ("orotate", 6.56),
    ("aspartate", 7.49), ("carbonate", 25.18), ("hydroxide", 41.68), ("glycerophosphate", 12.51),
    ("pidolate", 8.66), ("citrate nonahydrate", 11.89), ("buffered glycinate", 22.41),
]
AMOUNTS_MG = [100, 125, 133, 150, 200, 250, 300, 350, 400, 500, 535, 600, 667, 750, 800, 835, 1000, 1250, 1500, 2000]
PRODUCTS = [
    '"Magnesium Citrate, 200 mg"', "Calm Night", '"Mag ""Ultra"" Glycinate, vegan"', "Cramp Relief 60 tabs",
    "Basic Oxide", '"Sleep, Mg + B6"',
]
BRANDS = ["Acme", "Nordic Health", "Sunrise Labs", "Vita", "Pharmacy Own Brand"]
UNKNOWN_ROWS = 20_000
NAMES = ["Calm Night Formula", "citrat", "Magnesium Complex", "glycinat", "Super Mag Sleep", "Mg"]
BAD = [
    "{sku},500,citrate,1,\n",                 # no unit
    "{sku},500mg,citrat,1,\n",                # unknown form
    "{sku},,oxide,,\n",                       # empty amount
    "{sku},1,5 g,oxide,1,\n",                 # wrong column count (unquoted decimal comma)
    "{sku},500Mg,oxide,,\n",                  # ambiguous unit
]


def amount_text(mg: int, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.55:
        return f"{mg}mg"
    if style < 0.75:
        return f"{mg} mg"
    if style < 0.85:
        return f"{mg / 1000:g} g"
    if style < 0.95 and mg >= 1000:
        return f"{mg:,} mg"
    return f"{mg * 1000} mcg"


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as out:
        out.write(b"sku,product,amount,form,per_day,declared_mg,brand\n")
        for i in range(rows):
            sku = f"SKU{i:08d}"
            roll = rng.random()
            product = PRODUCTS[i % len(PRODUCTS)]
            brand = BRANDS[i % len(BRANDS)]
            if roll < 0.008:
                sku_and_product = f"{sku},{product}"
                out.write(rng.choice(BAD).format(sku=sku_and_product).replace("\n", f",{brand}\n").encode())
                continue
            if roll < 0.01:
                out.write(f"{sku},{product},500mg,citr\xe9,1,,{brand}\n".encode("latin-1"))  # invalid UTF-8 byte
                continue
            form, percent = rng.choice(FORMS)
            mg = rng.choice(AMOUNTS_MG) if rng.random() < 0.95 else rng.randint(50, 2500)
            per_day = rng.choice(["", "", "1", "2", "3"])
            declared = ""
            if rng.random() < 0.33:
                declared = str(round(mg * percent / 100)) if rng.random() < 0.9 else str(mg)  # some misprints
            form_field = f'"{form}"' if "," in form else form
            amount = amount_text(mg, rng)
            amount_field = f'"{amount}"' if "," in amount else amount
            out.write(f"{sku},{product},{amount_field},{form_field},{per_day},{declared},{brand}\n".encode())


def mgcalc_command() -> list[str]:
    beside = Path(sys.executable).parent / "mgcalc"
    script = str(beside) if beside.is_file() else shutil.which("mgcalc")
    if script is None:
        sys.exit("mgcalc is not installed: pip install . first")
    return [sys.executable, script]


FLOOR = {
    "csv": """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as source, \\
        open(sys.argv[2], "w", newline="", encoding="utf-8", errors="surrogateescape") as target:
    csv.writer(target, lineterminator="\\n").writerows(csv.reader(source))
""",
    "jsonl": """
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as source, \\
        open(sys.argv[2], "w", newline="", encoding="utf-8", errors="surrogateescape") as target:
    reader = csv.reader(source)
    header = next(reader)
    dumps = json.dumps
    target.writelines(dumps(dict(zip(header, row)), ensure_ascii=False) + "\\n" for row in reader)
""",
}


#: The least any batch run must do per row, in Python, with every result already known: read the
#: line, split it (the csv module for a line with quotes), look its key up in a dict, collect the
#: line and a cached result of the usual size, join every 4,096 rows. Nothing is computed or
#: written. It prints its own time, not counting the pass that fills the dict.
BARE_LOOP = """
import csv, sys, time
from operator import itemgetter
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as source:
    header = next(csv.reader(source))
    key_of = itemgetter(*(header.index(c) for c in ("amount", "form", "per_day", "declared_mg")))
    result = ("," + "x" * 134, "y" * 134 + ",\\n")
    cache = {key_of(row): result for row in csv.reader(source) if len(row) == len(header)}
started = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape") as text:
    text.readline()
    pending = []
    one_line = csv.reader(iter(pending.pop, None))
    push, get, width, parts = pending.append, cache.get, len(header), []
    add = parts.append
    for rows, line in enumerate(text):
        body = line.rstrip("\\r\\n")
        if '"' in line:
            push(line)
            fields = next(one_line)
        else:
            fields = body.split(",")
        found = get(key_of(fields)) if len(fields) == width else None
        if found is not None:
            add(body)
            add(found[0])
            add(found[1])
        if not rows & 4095:
            "".join(parts)
            parts.clear()
print(time.perf_counter() - started)
"""


def timed(command: list[str]) -> tuple[float, int, str, float]:
    """(seconds, exit status, stderr, peak resident MB) of one run of ``command``."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = child.stderr.read().decode().strip() if child.stderr else ""
    return elapsed, os.waitstatus_to_exitcode(status), stderr, usage.ru_maxrss / 1024  # ru_maxrss: KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds of every command")
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = parser.parse_args()
    directory = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mgcalc-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / "labels.csv"
    started = time.perf_counter()
    generate(source, args.rows)
    print(f"generated {args.rows:,} rows ({source.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s")

    times: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for fmt in ("csv", "jsonl"):
            target = directory / f"results.{fmt}"
            command = [*mgcalc_command(), "batch", str(source), "--format", fmt, "--output", str(target)]
            elapsed, code, summary, peak = timed(command)
            with open(target, "rb") as handle:
                written = sum(1 for _ in handle) - (fmt == "csv")
            times.setdefault(fmt, []).append(elapsed)
            print(f"mgcalc {fmt}: {elapsed:.2f} s, {args.rows / elapsed:,.0f} rows/s, peak {peak:.1f} MB, "
                  f"exit {code}, rows out {written:,}; {summary}")
            floor_target = directory / f"floor.{fmt}"
            elapsed, code, stderr, peak = timed([sys.executable, "-c", FLOOR[fmt], str(source), str(floor_target)])
            if code:
                sys.exit(f"the {fmt} floor failed: {stderr}")
            times.setdefault(f"floor {fmt}", []).append(elapsed)
            print(f"floor  {fmt}: {elapsed:.2f} s, {args.rows / elapsed:,.0f} rows/s")
    print(f"command: {' '.join(mgcalc_command())} batch FILE --format csv|jsonl --output FILE")
    for fmt in ("csv", "jsonl"):
        ours, floor = times[fmt], times[f"floor {fmt}"]
        ratios = [a / b for a, b in zip(ours, floor, strict=True)]
        print(f"{fmt:5}: mgcalc median {statistics.median(ours):.2f} s, floor median {statistics.median(floor):.2f} s, "
              f"ratio median {statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f} "
              f"over {len(ratios)} round{'s' if len(ratios) > 1 else ''})")
    bare = []
    for _ in range(args.rounds):
        done = subprocess.run([sys.executable, "-c", BARE_LOOP, str(source)], capture_output=True, text=True,
                              check=True)
        bare.append(float(done.stdout))
    print(f"bare Python loop (every result known; no computing, no writing): median {statistics.median(bare):.2f} s, "
          f"{statistics.median(bare) / statistics.median(times['floor csv']):.2f}x the csv floor")
    unknown = directory / "unknown.csv"
    with open(unknown, "w") as handle:  # every form a distinct name mgcalc does not know
        handle.write("sku,amount,form\n")
        handle.writelines(f"{i},500mg,{NAMES[i % len(NAMES)]} {i}\n" for i in range(UNKNOWN_ROWS))
    elapsed, code, summary, peak = timed([*mgcalc_command(), "batch", str(unknown), "--output",
                                          str(directory / "unknown.out.csv")])
    print(f"{UNKNOWN_ROWS:,} distinct unknown form names: {elapsed:.2f} s, {UNKNOWN_ROWS / elapsed:,.0f} rows/s "
          f"(exit {code})")
    if not args.keep:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
