"""Label databases read natively (DSLD, openFDA label and NDC, DailyMed SPL) and ``mgcalc audit``.

The records are the real and rebuilt ones of tests/data/datasets (README there gives each source).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cli_helpers import assert_one_line_error, run
from mgcalc import cli
from mgcalc.audit import audit, check_record
from mgcalc.datasets import Problem, Reader, Record, Skip, dsld, spl

DATA = Path(__file__).parent / "data" / "datasets"
REPO = Path(__file__).resolve().parents[1]
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


@pytest.fixture
def records_dir(tmp_path):
    """The fixtures' record files without their README (a README in a dataset directory is an error row)."""
    target = tmp_path / "records"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def items(path, fmt=None):
    return list(Reader(str(path), fmt))


def only(kind, found):
    return [i for i in found if isinstance(i, kind)]


# --- the readers, on the records at hand -------------------------------------------------------------


def test_dsld_records_give_one_row_per_magnesium_ingredient_with_id_link_and_figures():
    found = items(DATA / "dsld_rebuilt.json")
    records = only(Record, found)
    assert not only(Problem, found) and len(records) == 19  # 16 labels; 6775, 6780, 241007 have two rows each
    caldenex = next(r for r in records if r.id == "11249")
    assert caldenex.text == "Magnesium (as Magnesium Oxide) 225 mg 56%"
    assert caldenex.link == "https://dsld.od.nih.gov/label/11249"
    assert (caldenex.figures[0].amount, caldenex.figures[0].unit, caldenex.figures[0].percent_dv) == (225, "mg", 56)


def test_a_dsld_magnesium_stearate_row_is_never_the_dose():
    record = json.loads((DATA / "dsld_rebuilt.json").read_text())[0]
    # A stearate row filed under DSLD's "Magnesium" group (the trap dsld_clean's notes name), added here.
    record["ingredientRows"].append({"name": "Magnesium Stearate", "ingredientGroup": "Magnesium",
                                     "quantity": [{"quantity": 5, "unit": "mg"}]})
    record["ingredientRows"] = record["ingredientRows"][-1:]
    found = list(dsld.records(record, "x"))
    assert found == [Skip("dsld", str(record["id"]), "no magnesium ingredient row", "x")]


def test_openfda_ndc_strengths_are_written_out_per_their_basis():
    records = only(Record, items(DATA / "openfda_ndc_magnesium.jsonl"))
    by_id = {r.id: r for r in records}
    assert by_id["70677-1072"].text == "Each 15 mL contains: Magnesium Hydroxide 1200 mg"
    assert by_id["69842-763"].text == "Each 29.6 mL contains: Magnesium Citrate 1.745 g"
    assert by_id["63629-9420"].text == "Each tablet contains: Magnesium Oxide 400 mg"
    assert by_id["71610-182"].basis == "per 1 unit"  # the partial record lost its dosage_form
    assert by_id["70677-1072"].link == 'https://api.fda.gov/drug/ndc.json?search=product_ndc:"70677-1072"'


def test_an_openfda_response_object_streams_its_results_and_a_label_is_read_as_printed():
    (record,) = items(DATA / "openfda_label_magnesium_oxide.json")
    assert record.kind == "openfda-label" and record.text_from == "printed"
    row = check_record(record)
    assert (row.verdict, row.declared_mg, row.compound_mg, row.form_id) == ("consistent", 241.3, 400, "oxide")


def test_spl_structured_strength_is_checked_beside_the_printed_section():
    (record,) = items(DATA / "spl_magnesium_oxide_par_rebuilt.xml")
    assert record.id == "d3c5b01b-f0d6-4503-ab18-b1a72386e2c6 0603-0209"
    assert record.text == "Each tablet contains: Magnesium Oxide 400 mg"
    assert record.figures[0].basis_of_strength == "ingredient"
    row = check_record(record)
    assert (row.verdict, row.declared_mg, row.compound_mg) == ("consistent", 240, 400)


def test_spl_structured_and_printed_figures_that_disagree_are_reported_not_resolved():
    xml = (DATA / "spl_magnesium_oxide_par_rebuilt.xml").read_text().replace('value="400" unit="mg"',
                                                                              'value="500" unit="mg"')
    (record,) = list(spl.records(io.BytesIO(xml.encode()), "x"))
    row = check_record(record)
    assert row.verdict == "inconsistent"
    assert row.reason == "the structured strength gives 500 mg of compound weight, the printed text 400 mg"


def test_real_spl_documents_without_a_magnesium_active_are_counted_skips():
    found = items(DATA / "spl_lipitor_fda.xml") + items(DATA / "spl_cough_fda.xml")
    assert [type(i) for i in found] == [Skip, Skip]  # Lipitor lists MAGNESIUM STEARATE (IACT): never audited
    assert found[0].id == "c6e131fe-e7df-4876-83f7-9156fc4e8228 v11"


def test_the_format_is_detected_from_content_and_counted(records_dir):
    reader = Reader(str(records_dir))
    list(reader)
    assert reader.formats == {"dsld": 16, "openfda": 15, "spl": 4}


# --- bad input: one error row (or one error line), never a traceback, never a lost record ------------


def test_a_billion_laughs_dtd_is_refused_not_expanded():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
            + ']><document xmlns="urn:hl7-org:v3"><title>&lol9;</title></document>')
    found = list(spl.records(io.BytesIO(bomb.encode()), "b"))
    assert len(found) == 1 and isinstance(found[0], Problem)
    assert "DTD" in found[0].message and "refused" in found[0].message


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


@pytest.mark.parametrize(("content", "fragment"), [
    (b'[{"id": 1, "fullName": "x", "ingredientRows": [', "cut short"),
    (b'{"id": 1, "fullName": "x", "ingredientRows": [' + b"[" * 100_000, "nested too deeply"),
    (b"<document xmlns='urn:hl7-org:v3'><setId root='a'/>", "cut short"),
    (b"<html><body>not SPL</body></html>", "not an SPL document"),
    (b'{"hello": "world"}', "not a DSLD, openFDA label or openFDA NDC record"),
    (b"product,amount\nx,1\n", "neither JSON nor XML"),
    (b'[{"id": 1, "fullName": NaN}]', "not valid JSON"),
])
def test_bad_input_is_one_error_row(tmp_path, content, fragment):
    path = tmp_path / "input.json"
    path.write_bytes(content)
    found = items(path)
    assert len(found) == 1 and isinstance(found[0], Problem), found
    assert fragment in found[0].message


def test_a_bad_json_line_is_one_error_row_and_the_lines_after_it_are_read(tmp_path):
    lines = (DATA / "openfda_ndc_magnesium.jsonl").read_text().splitlines()
    path = tmp_path / "ndc.jsonl"
    path.write_text("\n".join([lines[0], '{"product_ndc": "1-2", "active_ingredients": [', *lines[1:]]) + "\n")
    found = items(path)
    assert [type(i).__name__ for i in found] == ["Record", "Problem"] + ["Record"] * (len(lines) - 1)


def test_a_record_of_another_format_than_asked_is_an_error_row():
    found = items(DATA / "openfda_ndc_magnesium.jsonl", "dsld")
    assert len(found) == 8 and all(isinstance(i, Problem) for i in found)
    assert "not a DSLD label record (it looks like an openFDA label or NDC record)" in found[0].message


def test_a_zip_is_read_entry_by_entry_and_other_entries_are_error_rows(tmp_path):
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "dsld_rebuilt.json", "dsld/part1.json")
        archive.writestr("dsld/", "")
        archive.writestr("README.txt", "not a record")
        link = zipfile.ZipInfo("dsld/link.json")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "part1.json")
        archive.write(DATA / "spl_magnesium_oxide_par_rebuilt.xml", "spl/one.xml")
    report = audit(str(path))
    assert report.rows == 20 and report.error_count == 3
    messages = sorted(e.message.split(":")[0] for e in report.errors)
    assert messages == ["a directory entry in the zip", "a link entry in the zip", "not a record file (read"]
    assert report.records == report.records_with_rows + report.skipped + report.error_count == 20


def test_a_directory_reports_links_and_other_files(tmp_path):
    shutil.copy(DATA / "openfda_label_magnesium_oxide.json", tmp_path / "a.json")
    (tmp_path / "notes.csv").write_text("x\n")
    os.symlink(tmp_path / "a.json", tmp_path / "b.json")
    found = items(tmp_path)
    assert [type(i).__name__ for i in found] == ["Record", "Problem", "Problem"]
    assert {found[1].message, found[2].message} == {"a link: not followed",
                                                     "not a record file (read: .json, .jsonl, .ndjson, .xml)"}


def test_a_truncated_zip_is_one_error_line(tmp_path, runner):
    path = tmp_path / "cut.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DATA / "dsld_rebuilt.json", "a.json")
    path.write_bytes(path.read_bytes()[:200])
    assert_one_line_error(run(runner, "audit", str(path)), "is not a readable zip file")


def test_a_missing_path_is_one_error_line(tmp_path, runner):
    assert_one_line_error(run(runner, "audit", str(tmp_path / "nope.json")), "cannot read")


# --- mgcalc audit ----------------------------------------------------------------------------------


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


# --- batch --input-format and check --label-file ------------------------------------------------------


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


def test_check_label_file_reads_one_record(runner):
    result = run(runner, "check", "--label-file", str(DATA / "spl_magnesium_oxide_par_rebuilt.xml"))
    assert result.exit_code == 0
    assert "Verdict: consistent" in result.stdout
    assert result.stderr == ("mgcalc: read the spl record d3c5b01b-f0d6-4503-ab18-b1a72386e2c6 0603-0209 "
                             "(printed section)\n")


def test_check_label_file_refuses_a_file_of_several_records(runner):
    result = run(runner, "check", "--label-file", str(DATA / "dsld_rebuilt.json"))
    assert_one_line_error(result, "holds more than one magnesium record; check reads one: use mgcalc audit")


def test_check_label_file_of_a_record_without_magnesium_says_so(runner):
    result = run(runner, "check", "--label-file", str(DATA / "spl_cough_fda.xml"))
    assert_one_line_error(result, "is a spl record (00f66f25-3469-4c16-9baf-fba21e9628bd v1) with nothing to check")


def test_a_record_longer_than_the_limit_is_an_error_row_never_held_whole(tmp_path, monkeypatch):
    from mgcalc.datasets import jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK", 1024)
    monkeypatch.setattr(jsonstream, "RECORD_MAX", 4096)
    path = tmp_path / "huge.json"
    path.write_text('[{"id": 1, "fullName": "' + "x" * 10_000 + '", "ingredientRows": []}]')
    (found,) = items(path)
    assert isinstance(found, Problem) and found.message == "a record longer than 4,096 characters"


def test_audit_on_a_terminal_draws_verdict_bars_and_a_histogram_per_form(runner, monkeypatch):
    from rich.console import Console

    from mgcalc import render

    monkeypatch.setattr(render, "_terminal_console", lambda: Console(force_terminal=True, width=100, no_color=True))
    result = run(runner, "audit", str(DATA / "spl_magnesium_oxide_par_rebuilt.xml"))
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


def test_a_dsld_parent_row_with_its_magnesium_nested_is_one_record_read_as_a_pair():
    # The structure of the trap seancheick/dsld_clean's notes describe (Magtein: a 1000 mg parent row,
    # 72 mg of magnesium nested, 17 %DV); no product is named here, only the shape and those figures.
    record = {"id": 0, "fullName": "nested-row structure", "servingSizes": [{"minQuantity": 3, "unit": "Capsule(s)"}],
              "ingredientRows": [{"name": "Magnesium L-Threonate", "ingredientGroup": "Magnesium",
                                  "quantity": [{"quantity": 1000, "unit": "mg"}],
                                  "nestedRows": [{"name": "Magnesium", "ingredientGroup": "Magnesium",
                                                  "quantity": [{"quantity": 72, "unit": "mg",
                                                                "dailyValueTargetGroup": [{"percent": 17}]}]}]}]}
    (found,) = list(dsld.records(record, "x"))
    assert found.text == "Serving Size 3 Capsule(s)\nMagnesium L-Threonate 1000 mg\n  Magnesium 72 mg 17%"
    assert found.basis == "per 3 Capsule(s)"
    row = check_record(found)
    assert (row.declared_mg, row.compound_mg, row.verdict) == (72, 1000, "not checkable")
    assert "as Magtein" in row.reason  # 72 mg fits Magtein's 7.20 %, not plain L-threonate's 8.25 %: both named


def test_a_dsld_less_than_percent_stays_less_than():
    record = {"id": 0, "fullName": "operator", "ingredientRows": [
        {"name": "Magnesium", "quantity": [{"quantity": 3, "unit": "mg",
                                            "dailyValueTargetGroup": [{"operator": "<", "percent": 1}]}]}]}
    (found,) = list(dsld.records(record, "x"))
    assert found.text == "Magnesium 3 mg <1%"
    assert check_record(found).verdict == "not checkable"  # never the 0 % that made 241007 NOT CONSISTENT


def test_an_audits_inconsistent_records_spill_to_disk_and_come_back_in_order(monkeypatch):
    """Memory stays flat on a dataset with many inconsistent records: past KEEP they are written out."""
    from mgcalc.audit import Spilled

    monkeypatch.setattr(Spilled, "KEEP", 3)
    kept: Spilled[dict[str, int]] = Spilled()
    for n in range(10):
        kept.append({"n": n})
    assert len(kept) == 10 and [item["n"] for item in kept] == list(range(10))
    assert [item["n"] for item in kept] == list(range(10))  # read back as often as needed
