"""Label databases read natively (DSLD, openFDA label and NDC, DailyMed SPL) and the audit of their records
(the command: tests/cli/test_cli_audit.py).

The records are the real and rebuilt ones of tests/data/datasets (README there gives each source).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile

import pytest

from helpers import DATASETS as DATA
from mgcalc.audit import audit, check_record
from mgcalc.datasets import Problem, Reader, Record, Skip, dsld, spl


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


# --- mgcalc audit ----------------------------------------------------------------------------------


# --- batch --input-format and check --label-file ------------------------------------------------------


def test_a_record_longer_than_the_limit_is_an_error_row_never_held_whole(tmp_path, monkeypatch):
    from mgcalc.datasets import jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK", 1024)
    monkeypatch.setattr(jsonstream, "RECORD_MAX", 4096)
    path = tmp_path / "huge.json"
    path.write_text('[{"id": 1, "fullName": "' + "x" * 10_000 + '", "ingredientRows": []}]')
    (found,) = items(path)
    assert isinstance(found, Problem) and found.message == "a record longer than 4,096 characters"


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
