"""Hostile input and faults: every parser gives a correct result or MgcalcError, quickly.

Time is bounded the way hypothesis bounds it (a per-example deadline) and, for subprocesses,
by a timeout that turns a hang into a failure; speed itself is measured under bench/.

A cross-cutting suite (hostile input to every entry point, library and commands alike): it stays whole rather than
split by module (docs/development.md).
"""

import codecs
import csv
import io
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mgcalc import MgcalcError, load_forms
from mgcalc.batch import LINE_MAX, run
from mgcalc.check import check_label
from mgcalc.forms import FORM_MAX_CHARS
from mgcalc.label import LABEL_MAX_CHARS
from mgcalc.references import Profile
from mgcalc.units import AMOUNT_MAX_CHARS, MAX_MG, MIN_MG, parse_magnesium, parse_mass

MGCALC = shutil.which("mgcalc")
BOUNDED = settings(deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])

# Text that looks like an amount: digits, separators, signs, exponents and unit-like words.
number_like = st.text(alphabet="0123456789.,eE+-−*^ ", min_size=0, max_size=30)
unit_like = st.sampled_from(["mg", "g", "mcg", "µg", "μg", "ug", "gr", "kg", "Mg", "MG", "mmol", "mEq", "ml", "",
                             "mgg", "kg/m", "**10 mg", "%", "\x00", "\u2028"])
amount_like = st.builds(lambda n, sp, u: n + sp + u, number_like, st.sampled_from(["", " ", "\t", "  "]), unit_like)
any_text = st.text(max_size=120)


def _in_bounds(mg: float) -> bool:
    return math.isfinite(mg) and MIN_MG <= mg <= MAX_MG


@BOUNDED
@given(amount_like | any_text)
def test_amounts_parse_in_bounds_or_raise_mgcalc_error(text):
    for parse in (parse_mass, parse_magnesium):
        try:
            assert _in_bounds(parse(text))
        except MgcalcError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 400


@BOUNDED
@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["mg", "g", "mcg", "grains"]))
def test_a_plain_amount_is_read_exactly(number, unit):
    factor = {"mg": 1, "g": 1000, "mcg": 0.001, "grains": 64.79891}[unit]
    try:
        assert parse_mass(f"{number} {unit}") == pytest.approx(number * factor)
    except MgcalcError as exc:
        assert "outside 1 µg to 1 kg" in str(exc) and not _in_bounds(number * factor)


formula_like = st.from_regex(r"\A(?:[A-Z][a-z]?[0-9]{0,5}|\(|\)[0-9]{0,4}|[.·*]?[0-9]{0,3}H2O){1,14}\Z")


@BOUNDED
@given(formula_like | any_text)
def test_form_names_and_formulas_resolve_or_raise_mgcalc_error(text):
    try:
        found = load_forms().resolve(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc)
        return
    assert 0 < found.form.percent_elemental <= 100


label_like = st.builds(
    lambda a, b, form, template: template.format(a=a, b=b, form=form),
    amount_like, amount_like, st.sampled_from(["magnesium citrate", "MgO", "stearate", "x", "", "(", "Mg99999"]),
    st.sampled_from([
        "Magnesium {a} (as {form} {b})", "Magnesium ({form} {b}) {a}", "{form} {b} providing {a} magnesium",
        "Magnesium {a} (as {b} {form})", "Magnesium (as {form}) {a}", "{a}{b}{form}((((",
    ]),
)


@BOUNDED
@given(label_like | any_text)
def test_label_text_checks_or_raises_mgcalc_error(text):
    try:
        result = check_label(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc)
        return
    if result.consistent is None:  # read but not checkable: always with a one-line reason
        assert result.reason and "\n" not in result.reason
    elif result.compound_mg is None:  # a verdict from the %DV alone: a mismatch, with its reason
        assert result.consistent is False and result.declared_mg > 0 and "%DV" in result.reason
    else:
        assert result.declared_mg > 0 and result.compound_mg > 0 and math.isfinite(result.deviation_percent)


@BOUNDED
@given(st.lists(st.binary(max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b and b'"' not in b),
                max_size=25))
def test_batch_rows_each_get_one_output_row(lines):
    data = b"sku,amount,form,per_day,declared_mg\n" + b"\n".join(lines) + b"\n"
    out = io.StringIO()
    summary = run(io.BytesIO(data), out, input_format="csv", output_format="csv", profile=Profile(),
                  authority="us")
    expected = sum(1 for line in lines if line)  # an empty line is not a row
    assert summary.rows == expected == out.getvalue().count("\n") - 1  # no field holds a newline here
    written = out.getvalue().encode("utf-8", "surrogateescape")  # undecodable input bytes are copied as they were
    if all(_is_utf8(line) for line in lines):
        assert written.decode("utf-8")  # valid UTF-8 in, valid UTF-8 out


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@BOUNDED
@given(st.lists(st.binary(max_size=80), max_size=15))
def test_batch_jsonl_lines_each_get_one_output_row(lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    data = b"\n".join(lines) + b"\n"
    assume(not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))  # then the whole input is UTF-16
    if lines and lines[0].startswith(codecs.BOM_UTF8):  # a byte order mark says how to decode: not content
        lines[0] = lines[0][len(codecs.BOM_UTF8):]
    out = io.StringIO()
    summary = run(io.BytesIO(data), out, input_format="jsonl", output_format="jsonl", profile=Profile(),
                  authority="us")
    assert summary.rows == sum(1 for line in lines if line.strip())


@pytest.mark.parametrize(("fmt", "huge"), [("csv", b"x" * (3 * LINE_MAX + 5)), ("jsonl", b"[" * (LINE_MAX + 7))])
def test_a_huge_line_is_an_error_row_and_its_neighbours_are_computed(fmt, huge):
    """A line longer than LINE_MAX is read a piece at a time, never whole, and reported in place."""
    first, last = ((b"a,500mg,citrate", b"b,1g,oxide") if fmt == "csv" else
                   (b'{"amount": "500mg", "form": "citrate"}', b'{"amount": "1g", "form": "oxide"}'))
    header = b"sku,amount,form\n" if fmt == "csv" else b""
    out = io.StringIO()
    summary = run(io.BytesIO(header + first + b"\n" + huge + b"\n" + last + b"\n"), out, input_format=fmt,
                  output_format="csv", profile=Profile(), authority="us")
    assert (summary.rows, summary.errors) == (3, 1)
    assert summary.first_error == "line longer than 1,000,000 characters (mgcalc's record limit)"
    assert [row["status"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == ["ok", "error", "ok"]


@pytest.mark.parametrize("text", ["500\x00mg", "\x00", "500 mg\x00", "5\x00\x00 g"])
def test_nul_characters_are_refused_in_one_line(text):
    """argv cannot carry a NUL; the Python API and batch files can."""
    with pytest.raises(MgcalcError) as caught:
        parse_mass(text)
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)
    summary, = [run(io.BytesIO(b"amount,form\n" + text.encode() + b",citrate\n"), io.StringIO(), input_format="csv",
                    output_format="csv", profile=Profile(), authority="us")]
    assert (summary.rows, summary.errors) == (1, 1)


@pytest.mark.parametrize(
    ("call", "limit"),
    [
        (lambda n: parse_mass("1" * n + " mg"), AMOUNT_MAX_CHARS),
        (lambda n: load_forms().resolve("c" * n), FORM_MAX_CHARS),
        (lambda n: check_label("M" * n), LABEL_MAX_CHARS),
    ],
)
def test_input_length_is_capped_with_a_clear_message(call, limit):
    with pytest.raises(MgcalcError, match=r"too long \(\d+ characters; at most \d+\)"):
        call(limit + 10)


# --- the installed command, with adversarial arguments ------------------------------------------

ADVERSARIAL = [
    (["dose", "10**10**10 mg", "citrate"], "unknown unit"),
    (["dose", "10**10**10", "citrate"], "unknown unit"),
    (["dose", "1e309 mg", "citrate"], "not a finite number"),
    (["dose", "nan mg", "citrate"], "does not start with a number"),
    (["dose", "inf mg", "citrate"], "does not start with a number"),
    (["dose", "-500 mg", "citrate"], "negative"),
    (["dose", "0 mg", "citrate"], "zero"),
    (["dose", "500", "citrate"], "no unit"),
    (["dose", "", "citrate"], "empty"),
    (["dose", "mg", "citrate"], "does not start with a number"),
    (["dose", "500 kg/m", "citrate"], "not a mass"),
    (["dose", "500 mgg", "citrate"], "unknown unit"),
    (["dose", "500 Mg", "citrate"], "ambiguous"),
    (["dose", "1.000,5 mg", "citrate"], "not a number mgcalc can read"),
    (["dose", "1,5 mg", "citrate"], "decimal comma"),
    (["dose", "1 000 mg", "citrate"], "space inside the number"),
    (["dose", "٥٠٠ mg", "citrate"], "write it with ASCII digits: 500 mg"),
    (["dose", "５００ mg", "citrate"], "write it with ASCII digits: 500 mg"),
    (["dose", "1" * 10_000 + " mg", "citrate"], "too long"),
    (["dose", "5" * 100_000, "citrate"], "too long"),
    (["dose", "500mg", "c" * 100_000], "too long"),
    (["dose", "500\x01mg", "citrate"], "unknown unit"),
    (["dose", "\x1b[31m500mg", "citrate"], "does not start with a number"),
    (["dose", "500mg", "cit\x07rate\x1b[0m"], "unknown form"),
    (["dose", "500mg", "Mg99999999"], "count above 999"),
    (["dose", "500mg", "Mg(C3H5O3)2000"], "count above 999"),
    (["dose", "500mg", "(" * 40 + "Mg" + ")" * 39], "unknown form"),
    (["dose", "500mg", "(" * 50 + "Mg" + ")" * 50], "too long"),
    (["dose", "500mg", "NaCl"], "no magnesium"),
    (["dose", "500mg", "citrat"], "did you mean 'citrate'"),
    (["dose", "500mg", "magnesium citrte"], "did you mean"),
    (["dose", "500mg", "glycinat"], "did you mean 'glycinate'"),
    (["dose", "500mg", "unobtainium"], "unknown form"),
    (["compound", "-4 mmol", "oxide"], "negative"),
    (["compound", "4 mmol", "stearate"], "not a magnesium source"),
    (["check", "--label", "M" * 100_000], "too long"),
    (["check", "--label", "Vitamin C 500 mg"], "names no magnesium"),
    (["check", "5e400mg", "535mg", "chloride"], "not a finite number"),
    (["batch", "/nonexistent/labels.csv"], "cannot read"),
    (["batch", "/"], "is a directory"),
]


@pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed on PATH")
@pytest.mark.parametrize(("args", "fragment"), ADVERSARIAL, ids=[" ".join(a)[:40] for a, _ in ADVERSARIAL])
def test_adversarial_arguments_get_one_line_and_exit_1(args, fragment):
    done = subprocess.run([MGCALC, *args], capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("mgcalc: error: "), done.stderr
    assert "Traceback" not in done.stderr
    assert fragment in done.stderr
    assert len(done.stderr) < 500


# --- faults ----------------------------------------------------------------------------------------


def _copy_of_installed_package(tmp_path: Path) -> Path:
    package = Path(str(resources.files("mgcalc")))
    target = tmp_path / "site" / "mgcalc"
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _run_copy(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys\nfrom mgcalc.cli import main\nsys.argv = ['mgcalc', *sys.argv[1:]]\nmain()"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        ("missing", "cannot read the forms table"),
        ("no column", ":1: missing column(s) percent_elemental"),
        ("bad number", ":3: percent_elemental 'sixty' is not a number"),
        ("not utf-8", "cannot read the forms table"),
    ],
)
def test_a_missing_or_corrupt_forms_table_in_an_installed_copy(tmp_path, damage, fragment):
    package = _copy_of_installed_package(tmp_path)
    table = package / "data" / "forms.csv"
    text = table.read_text(encoding="utf-8")
    if damage == "missing":
        table.unlink()
    elif damage == "no column":
        table.write_text(text.replace("percent_elemental", "percent", 1), encoding="utf-8")
    elif damage == "bad number":
        lines = text.splitlines(keepends=True)
        lines[2] = lines[2].replace(",41.6756,", ",sixty,")
        table.write_text("".join(lines), encoding="utf-8")
    else:
        table.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    labels = tmp_path / "labels.csv"
    labels.write_text("amount,form\n500mg,citrate\n")
    for args in (["dose", "500mg", "citrate"], ["forms"], ["batch", str(labels)]):
        done = _run_copy(tmp_path, *args)
        assert done.returncode == 1, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("mgcalc: error: ")
        assert fragment in done.stderr and "forms.csv" in done.stderr
        assert done.stdout == ""  # batch: no output rows at all, rather than one error row per input row
        assert str(package) in done.stderr  # the message names the installed file


@pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed on PATH")
def test_stdout_closed_early_ends_quietly(tmp_path):
    source = tmp_path / "labels.csv"
    source.write_text("amount,form\n" + "500mg,citrate\n" * 200_000)
    for command in (f"'{MGCALC}' batch '{source}' | head -1", f"'{MGCALC}' forms | head -1"):
        done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
        assert done.stdout.count("\n") == 1
        assert "Traceback" not in done.stderr and "Exception" not in done.stderr, done.stderr


@pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed on PATH")
def test_sigint_during_a_batch_exits_130_and_leaves_no_output_file(tmp_path):
    source, target = tmp_path / "labels.csv", tmp_path / "results.csv"
    with open(source, "w") as handle:
        handle.write("amount,form\n")
        handle.writelines(f"{n % 2000 + 1}.{n % 997} mg,citrate\n" for n in range(2_000_000))
    child = subprocess.Popen([MGCALC, "batch", str(source), "--output", str(target)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".mgcalc-*.part")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    assert child.poll() is None, "the batch ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.csv"]


@pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed on PATH")
@pytest.mark.parametrize("where", ["missing/out.csv", "labels.csv/out.csv"])
def test_an_unwritable_output_place_is_a_clear_error(tmp_path, where):
    source = tmp_path / "labels.csv"
    source.write_text("amount,form\n500mg,citrate\n")
    done = subprocess.run([MGCALC, "batch", str(source), "--output", str(tmp_path / where)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("mgcalc: error: cannot write to")
    assert done.stderr.count("\n") == 1 and done.stdout == ""
