"""mgcalc as shell scripts use it: the installed console script run by bash, every kind of input a
shell can hand it, and the messages that say what to write instead (issue 26).

Each test runs the real ``mgcalc`` command in a subprocess (bash where the shell's own syntax is
the point: pipes, process substitution, FIFOs, ``while read``, ``xargs``), with stdout, stderr and
the exit status checked separately.

A cross-cutting suite (scripting with every command from a shell): it stays whole rather than
split by module (docs/development.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import assert_one_line_error, run
from docs_text import page

# The console script installed beside the interpreter running the tests (a virtual environment's
# bin/), else the one on PATH.
MGCALC = shutil.which("mgcalc", path=os.path.dirname(sys.executable)) or shutil.which("mgcalc")
BASH = shutil.which("bash")
pytestmark = [
    pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed"),
    pytest.mark.skipif(BASH is None or not hasattr(os, "mkfifo"), reason="needs bash and FIFOs (POSIX)"),
]
SCRIPTING = page("scripting.md")
ROWS = "amount,form\n500mg,oxide\n250mg,citrate\n"
PRINTF_ROWS = ROWS.replace("\n", "\\n")  # ROWS as a printf format, inside single quotes
OXIDE_MG = "301.51849999999996"  # 500 mg x 60.3037 % (data/forms.csv), as batch writes it unrounded


def _env() -> dict[str, str]:
    assert MGCALC is not None
    return {**os.environ, "PATH": f"{os.path.dirname(MGCALC)}{os.pathsep}{os.environ.get('PATH', '')}",
            "NO_COLOR": "1"}


def bash(script: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    return subprocess.run([BASH, "-c", script], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=60, **kwargs)


def mgcalc(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    assert MGCALC is not None
    return subprocess.run([MGCALC, *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=60,
                          **kwargs)


def _rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def _assert_two_rows(done: subprocess.CompletedProcess[str]) -> None:
    """The two rows of ROWS, in order, read and computed; the summary on stderr; exit 0."""
    assert done.returncode == 0, done.stderr
    rows = _rows(done.stdout)
    assert [(r["amount"], r["form"], r["status"]) for r in rows] == [("500mg", "oxide", "ok"),
                                                                    ("250mg", "citrate", "ok")]
    assert rows[0]["elemental_mg"] == OXIDE_MG
    assert done.stderr == "mgcalc: 2 rows, no errors\n"


# --- every kind of input -----------------------------------------------------------------------------


def test_a_regular_file(tmp_path):
    (tmp_path / "in.csv").write_text(ROWS)
    _assert_two_rows(mgcalc("batch", "in.csv", cwd=tmp_path))


@pytest.mark.parametrize("name", ["", "-", "/dev/stdin"])
def test_a_pipe_on_standard_input(tmp_path, name):
    _assert_two_rows(bash(f"printf '{PRINTF_ROWS}' | mgcalc batch {name}",
                          tmp_path))


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_a_file_redirected_to_standard_input(tmp_path, name):
    (tmp_path / "in.csv").write_text(ROWS)
    _assert_two_rows(bash(f"mgcalc batch {name} < in.csv", tmp_path))


def test_process_substitution(tmp_path):
    """bash hands ``<(...)`` over as /dev/fd/63: a pipe (this failed with 'Bad file descriptor')."""
    _assert_two_rows(bash(f"mgcalc batch <(printf '{PRINTF_ROWS}')", tmp_path))


def test_a_named_pipe(tmp_path):
    os.mkfifo(tmp_path / "rows")
    script = (f"printf '{PRINTF_ROWS}' > rows & "
              "mgcalc batch rows; status=$?; wait; exit $status")
    _assert_two_rows(bash(script, tmp_path))


def test_a_socket_on_standard_input(tmp_path):
    """/dev/stdin on a socket cannot be opened again by its path; the descriptor is used as it is."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(ROWS.encode())
        ours.shutdown(socket.SHUT_WR)
        _assert_two_rows(mgcalc("batch", "/dev/stdin", cwd=tmp_path, stdin=theirs.fileno()))


def test_a_character_device_is_read_as_empty_input(tmp_path):
    done = mgcalc("batch", "/dev/null", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "mgcalc: error: the input is empty: a CSV header with amount and form is needed\n"
    done = mgcalc("batch", "/dev/null", "--input-format", "jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("status,form_id,") and done.stdout.count("\n") == 1
    assert done.stderr == "mgcalc: 0 rows, no errors\n"


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_a_file_is_read_from_where_the_script_left_it(tmp_path, name):
    """``read`` takes the first object; mgcalc reads on from there, as ``cat`` would (no rewinding)."""
    (tmp_path / "in.jsonl").write_text('{"amount": "1mg", "form": "oxide"}\n{"amount": "500mg", "form": "oxide"}\n')
    done = bash(f"(read -r skipped; mgcalc batch {name} --input-format jsonl) < in.jsonl", tmp_path)
    assert done.returncode == 0, done.stderr
    assert [(r["amount"], r["elemental_mg"]) for r in _rows(done.stdout)] == [("500mg", OXIDE_MG)]


def test_rows_come_out_in_input_order_through_process_substitution(tmp_path):
    (tmp_path / "in.csv").write_text("amount,form\n" + "".join(f"{i}mg,oxide\n" for i in range(1, 301)))
    done = bash("mgcalc batch <(cat in.csv) --format jsonl | python3 -c "
                "'import json, sys; print(*(json.loads(line)[\"amount\"] for line in sys.stdin))'", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [f"{i}mg" for i in range(1, 301)]


def test_a_closed_descriptor_says_it_cannot_be_read(tmp_path):
    done = mgcalc("batch", "/dev/fd/9", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "mgcalc: error: cannot read '/dev/fd/9': Bad file descriptor\n"


def test_the_output_alone_is_replaced_atomically(tmp_path):
    """Input from a FIFO, output to a file: the file appears whole, no temporary file is left."""
    os.mkfifo(tmp_path / "rows")
    script = (f"printf '{PRINTF_ROWS}' > rows & "
              "mgcalc batch rows -o out.csv; status=$?; wait; exit $status")
    done = bash(script, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert [r["status"] for r in _rows((tmp_path / "out.csv").read_text())] == ["ok", "ok"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "rows"]


def test_a_pipe_input_with_stderr_on_a_terminal(tmp_path):
    """On a terminal the progress bar is for files: a pipe has no size or position and is never sought
    (its position was asked for every 4,096 rows: 'input/output error' on a terminal)."""
    import pty

    (tmp_path / "in.csv").write_text("amount,form\n" + "500mg,oxide\n" * 5000)
    parent, child = pty.openpty()
    try:
        done = subprocess.run([BASH, "-c", "set -o pipefail; mgcalc batch <(cat in.csv) | tail -1"], cwd=tmp_path,
                              env={**_env(), "TERM": "xterm"}, stdout=subprocess.PIPE, stderr=child, text=True,
                              timeout=60)
    finally:
        os.close(child)
        os.close(parent)
    assert done.returncode == 0
    assert done.stdout.startswith(f"500mg,oxide,ok,oxide,60.3037,{OXIDE_MG},")


# --- messages that say what to write instead -------------------------------------------------------


def test_a_header_over_the_line_limit_names_the_limit(tmp_path):
    """Over 1,000,000 characters the header was cut, and the cut name read as a duplicate column."""
    names = ",".join(f"c{i}" for i in range(200_000))
    (tmp_path / "wide.csv").write_text(f"amount,form,{names}\n500mg,oxide{',' * 200_000}\n")
    done = mgcalc("batch", "wide.csv", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("mgcalc: error: the CSV header is longer than 1,000,000 characters, the line limit; "
                           "shorten its column names or leave out columns mgcalc does not need\n")


def test_a_header_cell_over_the_field_limit_names_the_limit(tmp_path):
    (tmp_path / "wide.csv").write_text(f'amount,form,"{"n" * 200_000}"\n')
    done = mgcalc("batch", "wide.csv", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("mgcalc: error: a CSV header cell is longer than 131,072 characters, the csv module's "
                           "field limit; shorten the column name\n")


def test_a_column_named_twice_is_named(runner):
    from mgcalc.cli import app

    result = runner.invoke(app, ["batch", "-"], input="amount,form, Form\n")
    assert_one_line_error(result, "the CSV header names the column 'Form' twice; give each column its own name")


def test_an_empty_output_name_asks_for_a_file_name(tmp_path):
    (tmp_path / "in.csv").write_text(ROWS)
    done = mgcalc("batch", "in.csv", "-o", "", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("mgcalc: error: --output is an empty name; give a file name, e.g. -o results.csv, "
                           "or leave --output out to write to standard output\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_an_empty_input_name_asks_for_a_file_name(runner):
    result = run(runner, "batch", "")
    assert_one_line_error(result, "the input FILE is an empty name; give a file name, or - for standard input")


@pytest.mark.parametrize(("amount", "message"), [
    ("５００mg", "amount '５００mg' has digits other than ASCII 0-9; write it with ASCII digits: 500mg"),
    ("٥٠٠mg", "amount '٥٠٠mg' has digits other than ASCII 0-9; write it with ASCII digits: 500mg"),
    ("٥٫٥ g", "amount '٥٫٥ g' has digits other than ASCII 0-9; write it with ASCII digits: 5.5 g"),
    ("５００µg", "amount '５００µg' has digits other than ASCII 0-9; write it with ASCII digits: 500µg"),
    ("５００ｍｇ", "amount '５００ｍｇ' has digits other than ASCII 0-9; write it with ASCII digits: 500mg"),
    ("½ g", "amount '½ g' is a fraction; write 0.5 g"),
    ("1½ g", "amount '1½ g' is a fraction; write 1.5 g"),
    ("⅓ g", "amount '⅓ g' is a fraction; write a decimal, e.g. 0.333 g"),
    ("0x1F4mg", "amount '0x1F4mg' is hexadecimal, which mgcalc does not read; write the amount in decimal "
                "digits, e.g. 500mg"),
])
def test_numbers_mgcalc_does_not_read_say_what_to_write(tmp_path, amount, message):
    done = mgcalc("dose", amount, "oxide", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"mgcalc: error: {message}\n"


def test_a_later_amount_in_other_digits_gets_the_amount_message(runner):
    """After the first amount a word starts a new amount only when it looks like one: full-width
    digits do, so they get the amount's message rather than 'unknown form'."""
    result = run(runner, "dose", "250mg", "citrate", "５００mg", "oxide")
    assert_one_line_error(result, "amount '５００mg' has digits other than ASCII 0-9; write it with ASCII digits: "
                                  "500mg")


def test_the_batch_help_names_the_inputs_a_shell_gives(runner):
    result = run(runner, "batch", "--help")
    assert result.exit_code == 0
    assert "/dev/stdin or <(...)" in " ".join(result.stdout.split())
    assert "Example: mgcalc batch labels.csv" in result.stdout


def test_the_same_messages_in_a_batch_row(runner):
    from mgcalc.cli import app

    result = runner.invoke(app, ["batch", "-", "--format", "jsonl"], input="amount,form\n0x1F4mg,oxide\n½ g,oxide\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["error"] for r in rows] == [
        "amount '0x1F4mg' is hexadecimal, which mgcalc does not read; write the amount in decimal digits, e.g. 500mg",
        "amount '½ g' is a fraction; write 0.5 g",
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize("words", [
    ["500", "mg", "x", "2", "oxide"],
    ["500mg", "x2", "oxide"],
    ["500 mg × 2", "oxide"],
    ["500mg*2", "oxide"],
])
def test_a_count_after_the_amount_is_the_same_product(tmp_path, words):
    """``500 mg x 2`` is ``2 x 500 mg``: 1000 mg of oxide, 603.04 mg of magnesium (was: unknown form 'x')."""
    done = mgcalc("dose", *words, "--json", cwd=tmp_path)
    before = mgcalc("dose", "2", "x", "500", "mg", "oxide", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(before.stdout)
    assert json.loads(done.stdout)["components"][0]["compound_mg"] == 1000.0


def test_a_count_after_the_amount_in_a_blend_and_in_batch(runner):
    from mgcalc.cli import app

    blend = runner.invoke(app, ["dose", "250mg", "citrate", "500", "mg", "x", "2", "oxide", "-q"])
    alone = runner.invoke(app, ["dose", "250mg", "citrate", "1000mg", "oxide", "-q"])
    assert blend.exit_code == 0 and blend.stdout == alone.stdout == "643.45\n"
    result = runner.invoke(app, ["batch", "-"], input='amount,form\n"250 mg x 2",oxide\n')
    assert _rows(result.stdout)[0]["elemental_mg"] == "301.51849999999996"


def test_a_count_of_zero_after_the_amount_is_refused(runner):
    assert_one_line_error(run(runner, "dose", "500 mg x 0", "oxide"),
                          "amount '500 mg x 0': the count 0 is outside 1 to 100")


OVER_1000 = ("OVER THE UPPER LEVEL: 1000 mg/day of supplemental magnesium is above the 350 mg/day tolerable "
             "upper intake level (US, 9+ y); digestive effects such as diarrhoea become likely")


def test_one_upper_level_warning_for_dose_compound_compare_and_batch(tmp_path):
    """1,000 mg of magnesium: the same warning from each command (compare gave none)."""
    compare = mgcalc("compare", "1000mg", "--family", "oxide", cwd=tmp_path)
    assert compare.returncode == 0
    assert compare.stdout.splitlines()[1].startswith("oxide\tmagnesium oxide\tMgO\t60.30\t1658.3")
    assert compare.stderr.splitlines()[0] == f"mgcalc: warning: {OVER_1000}"
    assert json.loads(mgcalc("compare", "1000mg", "--family", "oxide", "--json", cwd=tmp_path).stdout)["warnings"] \
        == [OVER_1000]
    assert json.loads(mgcalc("compare", "300mg", "--json", cwd=tmp_path).stdout)["warnings"] == []
    compound = mgcalc("compound", "1000mg", "oxide", "-q", cwd=tmp_path)
    assert (compound.stdout, compound.stderr) == ("1658.27\n", f"mgcalc: warning: {OVER_1000}\n")
    # 1658.273 mg of magnesium oxide (60.3037 % Mg) is 1000.0 mg of magnesium, as a dose and in batch
    batch = bash("printf 'amount,form\\n1658.273mg,oxide\\n' | mgcalc batch --format jsonl", tmp_path)
    row = json.loads(batch.stdout)
    assert round(row["elemental_mg"], 2) == 1000.0
    assert row["warnings"] == OVER_1000
    dosed = json.loads(mgcalc("dose", "1658.273mg", "oxide", "--json", cwd=tmp_path).stdout)
    assert dosed["warnings"] == [OVER_1000]


def test_check_prints_figures_that_agree_with_the_verdict(tmp_path):
    """At tolerance 0, 64 mg declared against 63.96 expected is NOT CONSISTENT: 'Expected: 64 mg' said otherwise."""
    done = mgcalc("check", "64mg", "535mg", "chloride", "--tolerance", "0", cwd=tmp_path)
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    assert lines[1] == "Expected: 63.96 mg; deviation +0.1 % (tolerance 0 %)"
    assert lines[2] == "Verdict: NOT CONSISTENT"
    relaxed = mgcalc("check", "64mg", "535mg", "chloride", cwd=tmp_path).stdout.splitlines()
    assert relaxed[1:3] == ["Expected: 64 mg; deviation +0.1 % (tolerance 5 %)", "Verdict: consistent"]
    finer = mgcalc("check", "64.04mg", "535mg", "chloride", "--tolerance", "0.1", cwd=tmp_path).stdout.splitlines()
    assert finer[0].startswith("Label: 64.04 mg magnesium;")
    assert finer[1] == "Expected: 63.96 mg; deviation +0.13 % (tolerance 0.1 %)"
    over = mgcalc("check", "67.18mg", "535mg", "chloride", cwd=tmp_path).stdout.splitlines()
    assert over[1:3] == ["Expected: 64 mg; deviation +5.03 % (tolerance 5 %)", "Verdict: NOT CONSISTENT"]


# --- the README's script, run as a script ------------------------------------------------------------


def _readme_script() -> tuple[str, str]:
    section = SCRIPTING.split("\n## Exit codes", 1)[0]
    script = re.search(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    printed = re.search(r"```text\n(.*?)```", section, flags=re.DOTALL)
    assert script and printed
    return script.group(1), printed.group(1)


def test_the_readme_script_prints_what_the_readme_says(tmp_path):
    script, printed = _readme_script()
    assert all(word in script for word in ("| mgcalc batch", "<(", "while read", "xargs", "-q", "$?"))
    done = bash(f"set -e -o pipefail\n{script}", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == printed
    assert done.stderr == ""
