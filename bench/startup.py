"""Start-up benchmark: wall time of common mgcalc calls against a bare interpreter.

Runs each command and ``python -c pass`` alternately (round-robin, so machine noise hits all
of them alike), at least 20 runs each, and prints each median and its ratio to
``python -c pass`` run by the same interpreter. Uses hyperfine when it is installed.

    python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "dose 500mg citrate": ["dose", "500mg", "citrate"],
    "dose 500mg citrate --json": ["dose", "500mg", "citrate", "--json"],
    "--help": ["--help"],
    "forms": ["forms"],
}


def command_lines() -> dict[str, list[str]]:
    beside = Path(sys.executable).parent / "mgcalc"  # this interpreter's own console script
    script = str(beside) if beside.is_file() else shutil.which("mgcalc")
    if script is None:
        sys.exit("mgcalc is not installed: pip install . first")
    # The console script run by this same interpreter, as its shebang would run it.
    lines = {"python -c pass": [sys.executable, "-c", "pass"]}
    lines.update({f"mgcalc {name}": [sys.executable, script, *args] for name, args in COMMANDS.items()})
    return lines


def with_hyperfine(lines: dict[str, list[str]], runs: int, per_round: int = 2) -> dict[str, float]:
    """hyperfine in short alternating rounds (every command, ``per_round`` runs each), raw times
    pooled per command: the machine's speed drifts, and short rounds spread the drift evenly."""
    times: dict[str, list[float]] = {name: [] for name in lines}
    for _ in range(-(-runs // per_round)):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                ["hyperfine", "--warmup", "1", "--runs", str(per_round), "-N", "--export-json", out.name,
                 *[" ".join(cmd) for cmd in lines.values()]],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            with open(out.name) as handle:
                results = json.load(handle)["results"]
        for name, result in zip(lines, results, strict=True):
            times[name].extend(result["times"])
    return {name: statistics.median(values) for name, values in times.items()}


def with_loop(lines: dict[str, list[str]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in lines}
    env = {**os.environ, "COLUMNS": "100"}
    for round_number in range(runs + 3):
        for name, cmd in lines.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            if round_number >= 3:  # the first rounds warm the file cache
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per command (at least 20)")
    parser.add_argument("--no-hyperfine", action="store_true", help="use the subprocess loop")
    args = parser.parse_args()
    runs = max(args.runs, 20)
    lines = command_lines()
    for name, cmd in lines.items():  # a command that fails fast would look fast
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{name} failed ({done.returncode}): {done.stderr.strip()[:300]}")
    use_hyperfine = shutil.which("hyperfine") and not args.no_hyperfine
    medians = with_hyperfine(lines, runs) if use_hyperfine else with_loop(lines, runs)
    base = medians["python -c pass"]
    print(f"{'command':34} {'median ms':>10} {'ratio':>7}   ({runs} runs each, "
          f"{'hyperfine' if use_hyperfine else 'subprocess loop'}, {sys.executable})")
    for name, median in medians.items():
        print(f"{name:34} {median * 1000:10.1f} {median / base:7.2f}")


if __name__ == "__main__":
    main()
