"""mgcalc batch through the command line and the installed command: options, standard input and
output files, exit statuses, signals and pipes, label and dataset inputs."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest

from cli_helpers import run
from helpers import DATASETS as DATA
from helpers import GOOD, MGCALC, POSIX, TOO_DEEP, A, as_jsonl, csv_text, nested, parse_csv, rows_of
from mgcalc import dose
from mgcalc.cli import app
from mgcalc.references import Profile

MEMORY_PROBE = """
import resource, sys
from mgcalc.batch import run
from mgcalc.files import open_input
from mgcalc.references import Profile
summary = run(open_input(sys.argv[1]), open("/dev/null", "w"), input_format="csv", output_format="csv",
              profile=Profile(), authority="us")
print(summary.rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def shell(command: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=timeout, **kwargs)


MG = " ".join(f"'{part}'" for part in MGCALC)


def test_command_exit_codes_and_summary(runner, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(csv_text(GOOD))
    result = runner.invoke(app, ["batch", str(good)])
    assert result.exit_code == 0 and result.stderr == "mgcalc: 5 rows, no errors\n"
    assert len(result.stdout.splitlines()) == 6
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([*GOOD, ("Z", "1g", "nothing", "", "")]))
    result = runner.invoke(app, ["batch", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == "mgcalc: 1 of 6 rows had errors; first at line 7: unknown form 'nothing'; " \
                            "run 'mgcalc forms' to list the forms\n"


def test_command_reads_standard_input_and_guesses_jsonl(runner, tmp_path):
    result = runner.invoke(app, ["batch", "-"], input=csv_text(GOOD))
    assert result.exit_code == 0 and len(parse_csv(result.stdout)) == 5
    source = tmp_path / "labels.jsonl"
    source.write_text('{"amount": "500mg", "form": "citrate"}\n')
    result = runner.invoke(app, ["batch", str(source), "--format", "jsonl"])
    assert json.loads(result.stdout)["elemental_mg"] == pytest.approx(80.8165, rel=1e-4)  # 500 mg x 16.1633 %


def test_output_file_is_written_whole_and_never_over_the_input(runner, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(csv_text(GOOD))
    result = runner.invoke(app, ["batch", str(source), "--output", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert len(parse_csv(target.read_text())) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary left
    before = source.read_bytes()
    result = runner.invoke(app, ["batch", str(source), "--output", str(source)])
    assert result.exit_code == 2 and source.read_bytes() == before


def test_a_failed_run_leaves_no_partial_output(runner, tmp_path, monkeypatch):
    from mgcalc import batch as batch_module

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(csv_text(GOOD))

    def interrupted(*args, **kwargs):
        args[1].write("partial,row\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module, "run", interrupted)
    result = runner.invoke(app, ["batch", str(source), "--output", str(target)])
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("make", ["missing", "directory", "binary"])
def test_unreadable_inputs_exit_1_with_one_line(runner, tmp_path, make):
    path = tmp_path / "input.csv"
    if make == "directory":
        path.mkdir()
    elif make == "binary":
        path.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["batch", str(path)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("mgcalc: error: cannot read")


def test_constant_memory_on_a_large_input(tmp_path):
    """Peak memory of a 300,000-row run (every row distinct) stays near that of 3,000 rows: bounded cache."""
    import random

    rng = random.Random(1)
    peaks = []
    for rows in (3_000, 300_000):
        path = tmp_path / f"{rows}.csv"
        with open(path, "w") as handle:
            handle.write("sku,amount,form\n")
            handle.writelines(f"{i},{rng.uniform(50, 3000):.3f} mg,{rng.choice(['citrate', 'oxide', 'lactate'])}\n"
                              for i in range(rows))
        done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True,
                              check=True)
        count, peak_kib = map(int, done.stdout.split())
        assert count == rows
        peaks.append(peak_kib)
    assert peaks[1] - peaks[0] < 40 * 1024, peaks  # KiB


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX shell")
def test_the_installed_command_in_a_pipeline(tmp_path):
    rows = [g for g in GOOD if "," not in "".join(g)]  # cut knows nothing of quoted fields
    source = tmp_path / "labels.csv"
    source.write_text(csv_text(rows))
    path = f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"  # a venv's bin/ first
    done = subprocess.run(f"cat '{source}' | mgcalc batch | cut -d, -f1,6", shell=True, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PATH": path})
    assert done.stdout.splitlines() == ["sku,status", *(f"{g[0]},ok" for g in rows)]
    assert done.stderr == f"mgcalc: {len(rows)} rows, no errors\n"


def test_a_json_array_file_is_read_as_its_elements(runner, tmp_path):
    source = tmp_path / "labels.json"
    source.write_text(json.dumps([{"sku": "a", "amount": "500mg", "form": "citrate"}, [1],
                                  {"sku": "b", "amount": "1g", "form": "oxide"}], indent=2))
    result = runner.invoke(app, ["batch", str(source)])
    rows = rows_of(result.stdout, "csv")
    assert [r["sku"] for r in rows] == ["a", "", "b"] and [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert "not a JSON object" in rows[1]["error"] and result.exit_code == 1
    assert "first at line 7" in result.stderr  # where the element starts


def test_a_utf16_tab_separated_file_as_excel_saves_it(runner, tmp_path):
    source = tmp_path / "labels.txt"
    source.write_bytes(codecs.BOM_UTF16_LE + "sku\tamount\tform\r\ncafé\t500mg\tcitrate\r\n".encode("utf-16-le"))
    result = runner.invoke(app, ["batch", str(source)])
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert row["sku"] == "café" and row["status"] == "ok"


def test_a_wrong_delimiter_gets_a_hint(runner, tmp_path):
    source = tmp_path / "labels.csv"
    source.write_text("amount;form\n500mg;citrate\n")
    result = runner.invoke(app, ["batch", str(source), "--delimiter", ","])
    assert result.exit_code == 1 and "--delimiter ';'" in result.stderr


def test_pass_through_bytes_are_copied_exactly_and_encoding_decodes_them(runner, tmp_path):
    source = tmp_path / "labels.csv"
    source.write_bytes("sku,amount,form\ncafé,500mg,citrate\n".encode("cp1252"))
    result = subprocess.run([*MGCALC, "batch", str(source)], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith(b"caf\xe9,500mg,citrate,ok,")
    result = runner.invoke(app, ["batch", str(source), "--encoding", "cp1252"])
    assert result.exit_code == 0 and result.stdout.splitlines()[1].startswith("café,500mg,citrate,ok,")


def test_the_profile_shows_in_its_own_columns(runner):
    data = "amount,form\n500mg,citrate\n5 g,oxide\n"
    result = runner.invoke(app, ["batch", "-", "--age", "40", "--sex", "female", "--format", "jsonl"], input=data)
    for row, (amount, form) in zip(rows_of(result.stdout, "jsonl"), [("500mg", "citrate"), ("5 g", "oxide")],
                                   strict=True):
        expected = dose(amount, form, profile=Profile(age=40, sex="female")).as_dict()
        for column in ("rda_mg", "ul_mg", "percent_rda", "percent_ul", "percent_dv"):
            assert row[column] == expected[column]
        assert row["warnings"] == "; ".join(expected["warnings"])
    assert "OVER THE UPPER LEVEL" in row["warnings"]


@POSIX
@pytest.mark.parametrize("command", ["dose 500mg citrate", "forms", "batch {labels}", "batch {labels} --format jsonl"])
def test_a_full_disk_is_one_line_and_exit_1(tmp_path, command):
    labels = tmp_path / "labels.csv"
    labels.write_text("amount,form\n500mg,citrate\n")
    done = shell(f"{MG} {command.format(labels=labels)} > /dev/full")
    assert done.returncode == 1
    assert done.stderr.startswith("mgcalc: error: cannot write the output: No space left on device")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@POSIX
def test_a_closed_standard_input_is_one_line_and_exit_1():
    done = shell(f"{MG} batch <&-")
    assert done.returncode == 1
    assert done.stderr == "mgcalc: error: standard input is closed: give a FILE, or pipe rows in\n"


@POSIX
def test_a_pipe_closed_early_is_one_line_and_exit_1(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("amount,form\n" + "500mg,citrate\n" * 200_000)
    done = shell(f"{MG} batch '{labels}' | head -1; echo \"status ${{PIPESTATUS[0]}}\" >&2")
    assert done.stdout.count("\n") == 1
    assert done.stderr == "mgcalc: error: the output was closed before everything was written (broken pipe)\nstatus 1\n"


@POSIX
def test_output_into_a_fifo_is_written_directly(tmp_path):
    labels, fifo = tmp_path / "labels.csv", tmp_path / "results"
    labels.write_text("amount,form\n500mg,citrate\n")
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before mgcalc starts
    try:
        child = subprocess.Popen([*MGCALC, "batch", str(labels), "--output", str(fifo)], stderr=subprocess.PIPE)
        assert child.wait(timeout=60) == 0
        received = os.read(reader, 65536).decode()
    finally:
        os.close(reader)
    assert received.splitlines()[1].startswith("500mg,citrate,ok,")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["labels.csv",
                                                                                                  "results"]


@POSIX
def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    labels, target, link = tmp_path / "labels.csv", tmp_path / "real.csv", tmp_path / "link.csv"
    labels.write_text("amount,form\n500mg,citrate\n")
    target.write_text("old\n")
    os.chmod(target, 0o640)
    link.symlink_to(target)
    done = subprocess.run([*MGCALC, "batch", str(labels), "--output", str(link)], capture_output=True, timeout=60)
    assert done.returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("amount,form,status")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640  # an existing file keeps its mode


@POSIX
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_output_file_gets_its_mode_from_the_umask(tmp_path, umask, mode):
    labels = tmp_path / "labels.csv"
    labels.write_text("amount,form\n500mg,citrate\n")
    done = shell(f"umask {umask:03o}; {MG} batch '{labels}' --output '{tmp_path / 'out.csv'}'")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "out.csv").st_mode) == mode


@POSIX
def test_output_to_a_descriptor_is_written_directly(tmp_path):
    labels, kept = tmp_path / "labels.csv", tmp_path / "kept.csv"
    labels.write_text("amount,form\n500mg,citrate\n")
    done = shell(f"{MG} batch '{labels}' --output /dev/fd/3 3>'{kept}'; ls -a '{tmp_path}'")
    assert kept.read_text().splitlines()[1].startswith("500mg,citrate,ok,")
    assert ".part" not in done.stdout


@POSIX
def test_an_output_directory_is_refused_before_any_input_is_read(tmp_path):
    child = subprocess.Popen([*MGCALC, "batch", "-", "--output", str(tmp_path)], stdin=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        code = child.wait(timeout=30)  # standard input stays open: nothing may wait for it
    finally:
        child.kill()
        child.stdin.close()
    stderr = child.stderr.read()
    assert code == 1 and stderr.startswith("mgcalc: error: cannot write to '") and stderr.endswith(
        "it is a directory\n")


@POSIX
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_discards_the_temporary_file_and_exits_128_plus_it(tmp_path, signum):
    source, target = tmp_path / "labels.csv", tmp_path / "results.csv"
    with open(source, "w") as handle:
        handle.write("amount,form\n")
        handle.writelines(f"{n % 2000 + 1}.{n % 997} mg,citrate\n" for n in range(2_000_000))
    child = subprocess.Popen([*MGCALC, "batch", str(source), "--output", str(target)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".mgcalc-*.part")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    assert child.poll() is None, "the batch ended before it could be signalled"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 128 + signum, stderr
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.csv"]


def test_batch_reads_dataset_records_as_label_rows_with_their_ids(runner):
    result = run(runner, "batch", str(DATA / "openfda_label_magnesium_oxide.json"), "--input-format", "openfda",
                 "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["record_kind"], row["status"], row["consistent"], row["elemental_mg"]) == (
        "openfda-label", "ok", True, 241.3)
    assert result.stderr == "mgcalc: 1 row, no errors\n"


def test_batch_counts_records_without_magnesium_and_gives_unreadable_ones_an_error_row(runner, tmp_path):
    shutil.copy(DATA / "spl_cough_fda.xml", tmp_path / "a.xml")
    shutil.copy(DATA / "spl_magnesium_oxide_method_rebuilt.xml", tmp_path / "b.xml")
    (tmp_path / "c.xml").write_text("<document xmlns='urn:hl7-org:v3'>")
    result = run(runner, "batch", str(tmp_path), "--input-format", "spl")
    assert result.exit_code == 1
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [(r[header.index("record_id")], r[header.index("status")]) for r in rows] == [
        ("0af63651-f9d9-43b9-b6f0-4878466a82e6 58657-120", "ok"), ("", "error")]
    assert rows[1][header.index("record_error")].startswith("not well-formed XML, or cut short")
    assert "mgcalc: 1 record(s) skipped: no magnesium active ingredient" in result.stderr


def test_batch_dataset_formats_refuse_standard_input(runner):
    result = run(runner, "batch", "-", "--input-format", "dsld")
    assert result.exit_code == 2 and "reads a FILE, DIR or ZIP" in result.stderr


def test_batch_reads_a_label_column_row_by_row(runner):
    text = ('sku,label\nA,"Magnesium Oxide 400mg (241.3mg elemental magnesium)"\n'
            'B,Magnesium (as magnesium citrate) 200 mg\nC,"Magnesium 500 mg (as magnesium citrate 500 mg)"\n'
            'D,Vitamin C 500 mg\n')
    result = runner.invoke(app, ["batch", "-"], input=text)
    out = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["sku"] for r in out] == ["A", "B", "C", "D"]
    assert [r["consistent"] for r in out] == ["true", "", "false", ""]
    assert [r["status"] for r in out] == ["ok", "ok", "ok", "error"]
    assert float(out[0]["elemental_mg"]) == 241.3 and out[1]["form_id"] == "trimagnesium-dicitrate-anhydrous"
    assert result.exit_code == 1 and "names no magnesium" in out[3]["error"]


def test_batch_reads_a_label_key_in_json_lines(runner):
    line = json.dumps({"sku": "A", "label": "Magnesium Oxide 400mg (241.3mg elemental magnesium)"})
    result = runner.invoke(app, ["batch", "-", "--input-format", "jsonl", "--format", "jsonl"], input=line + "\n")
    row = json.loads(result.stdout)
    assert result.exit_code == 0 and row["consistent"] is True and row["form_id"] == "oxide"


def test_the_command_line_names_the_limit_in_the_row_and_the_summary(runner):
    result = runner.invoke(app, ["batch", "-", "--input-format", "jsonl", "--format", "jsonl"],
                           input=as_jsonl(A, nested(500)))
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[1])["error"] == TOO_DEEP
    assert result.stderr == f"mgcalc: 1 of 2 rows had errors; first at line 2: {TOO_DEEP}\n"


@pytest.mark.parametrize("output", ["csv", "jsonl"])
def test_batch_carries_the_basis_and_the_figure_per_unit(runner, output):
    rows = ('label\n"2 tablets provide: Magnesium 300mg (as magnesium oxide 500mg)"\n'
            '"Magnesium Oxide 400mg (241.3mg elemental magnesium)"\n"Each 15 mL contains: magnesium 500 mg"\n')
    result = runner.invoke(app, ["batch", "-", "--format", output], input=rows)
    assert result.exit_code == 0, result.stderr
    if output == "csv":
        import csv
        import io

        got = list(csv.DictReader(io.StringIO(result.stdout)))
        cells = [(r["basis"], r["per_unit_mg"]) for r in got]
        assert cells == [("2 tablets", "150.0"), ("", ""), ("15 mL", "")]
    else:
        got = [json.loads(line) for line in result.stdout.splitlines()]
        assert [(r["basis"], r["per_unit_mg"]) for r in got] == [("2 tablets", 150.0), (None, None), ("15 mL", None)]
