"""mgcalc audit through the command line: reports, exit statuses, --json, --svg and the terminal drawing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from cli_helpers import assert_one_line_error, run
from helpers import DATASETS as DATA
from mgcalc import cli

REPO = Path(__file__).resolve().parents[2]


#: ``mgcalc audit --json``: the exact key set.
AUDIT_KEYS = {
    "schema_version", "input", "tolerance", "formats", "records", "records_with_magnesium", "rows", "skipped",
    "errors", "consistent", "inconsistent", "not_checkable", "by_reason", "by_skip_reason", "by_form", "by_basis",
    "by_kind", "inconsistent_records", "cross_checks", "error_rows", "histogram",
}


ROW_KEYS = {
    "kind", "id", "product", "brand", "basis", "link", "where", "text_from", "verdict", "declared_mg", "compound_mg",
    "form_id", "percent_dv_printed", "expected_mg", "deviation_percent", "reason", "issues", "set_id",
}


def test_an_external_entity_is_never_read(tmp_path, runner):
    secret = tmp_path / "secret.txt"
    secret.write_text("MAGNESIUM-SECRET-42")
    doc = tmp_path / "spl.xml"
    doc.write_text(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
                   '<document xmlns="urn:hl7-org:v3"><title>&x;</title></document>')
    result = run(runner, "audit", str(doc), "--json")
    assert result.exit_code == 1 and "MAGNESIUM-SECRET-42" not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and "refused" in report["error_rows"][0]["message"]


def test_a_truncated_zip_is_one_error_line(tmp_path, runner):
    path = tmp_path / "cut.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "dsld_rebuilt.json", "a.json")
    path.write_bytes(path.read_bytes()[:200])
    assert_one_line_error(run(runner, "audit", str(path)), "is not a readable zip file")


def test_a_missing_path_is_one_error_line(tmp_path, runner):
    assert_one_line_error(run(runner, "audit", str(tmp_path / "nope.json")), "cannot read")


def test_audit_reports_the_inconsistent_records_with_their_links_and_exits_3(runner):
    result = run(runner, "audit", str(DATA / "dsld_rebuilt.json"))
    assert result.exit_code == 3, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "formats detected: dsld 16" in out
    assert "Consistent: 0   NOT CONSISTENT: 3   cannot be checked: 16" in out
    assert "dsld 6780 Acid Redux (Vitabase): declared mg 11, %DV printed 2" in out
    assert "https://dsld.od.nih.gov/label/6780" in out


def test_audit_exits_0_when_every_checkable_record_is_consistent(runner):
    result = run(runner, "audit", str(DATA / "openfda_label_magnesium_oxide.json"))
    assert result.exit_code == 0, result.stdout
    assert "Consistent: 1   NOT CONSISTENT: 0   cannot be checked: 0" in result.stdout


def test_audit_json_keys_and_counts_add_up(runner, records_dir):
    result = run(runner, "audit", str(records_dir), "--json")
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert set(report) == AUDIT_KEYS
    assert report["schema_version"] == 1
    assert report["records"] == report["records_with_magnesium"] + report["skipped"] + report["errors"] == 35
    assert report["rows"] == report["consistent"] + report["inconsistent"] + report["not_checkable"] == 36
    assert (report["consistent"], report["inconsistent"], report["not_checkable"]) == (3, 3, 30)
    assert report["cross_checks"] == [{
        "set_id": "d3c5b01b-f0d6-4503-ab18-b1a72386e2c6", "ndc": "0603-0209", "ndc_compound_mg": 400.0,
        "label_id": "d3c5b01b-f0d6-4503-ab18-b1a72386e2c6 0603-0209", "label_compound_mg": 400.0, "agree": True}]
    assert all(set(row) == ROW_KEYS for row in report["inconsistent_records"])
    assert sorted(row["id"] for row in report["inconsistent_records"]) == ["220964", "241007", "6780"]
    assert sum(report["by_form"].values()) == sum(report["by_basis"].values()) == report["rows"]


def test_audit_svg_is_a_histogram_per_form(runner, tmp_path, records_dir):
    picture = tmp_path / "audit.svg"
    result = run(runner, "audit", str(records_dir), "--svg", str(picture))
    assert result.exit_code == 3
    root = ElementTree.parse(picture).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "oxide (3)" in texts  # three oxide records print both figures: 241.3, 240 and 241.3 mg
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 2


def test_audit_svg_to_an_unwritable_place_is_one_error_line(runner, tmp_path):
    result = run(runner, "audit", str(DATA / "dsld_rebuilt.json"), "--svg", str(tmp_path / "no" / "a.svg"))
    assert_one_line_error(result, "cannot write the picture")


def test_audit_help_has_an_example(runner):
    result = run(runner, "audit", "--help")
    assert result.exit_code == 0 and "Example: mgcalc audit" in result.stdout


def test_the_readme_audit_command_runs_on_the_shipped_example(runner, tmp_path, monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for line in readme.splitlines() if line.startswith("mgcalc audit ")]
    assert commands
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        result = runner.invoke(cli.app, command.split()[1:])
        assert result.exit_code in (0, 3), (command, result.stdout, result.stderr)
        assert "formats detected" in result.stdout or result.stdout.startswith("{")


def test_a_readme_in_a_dataset_directory_is_an_error_row_and_audit_exits_3_for_the_inconsistent(runner):
    report = json.loads(run(runner, "audit", str(DATA), "--json").stdout)
    assert report["errors"] == 1 and report["error_rows"][0]["where"] == "README.md"


def test_audit_on_a_terminal_draws_verdict_bars_and_a_histogram_per_form(runner):
    terminal = {"COLUMNS": "100", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}  # a terminal as rich detects one
    result = run(runner, "audit", str(DATA / "spl_magnesium_oxide_par_rebuilt.xml"), env=terminal)
    assert result.exit_code == 0
    assert "│ consistent    │    1 │ ██████████████████████████████ │" in result.stdout
    assert "│ oxide │       1 │ ··········█··········· │" in result.stdout


def test_an_ndc_strength_that_disagrees_with_its_labels_text_is_reported_and_exits_3(runner, tmp_path):
    shutil.copy(DATA / "spl_magnesium_oxide_par_rebuilt.xml", tmp_path / "label.xml")
    ndc = (DATA / "openfda_ndc_par_rebuilt.json").read_text().replace('"400 mg/1"', '"500 mg/1"')
    (tmp_path / "ndc.json").write_text(ndc)
    result = run(runner, "audit", str(tmp_path))
    assert result.exit_code == 3
    assert ("d3c5b01b-f0d6-4503-ab18-b1a72386e2c6: NDC 0603-0209 500 mg, label "
            "d3c5b01b-f0d6-4503-ab18-b1a72386e2c6 0603-0209 400 mg: DISAGREE") in result.stdout
