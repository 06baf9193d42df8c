"""mgcalc check through the command line: three figures, --label and --label-file, exit statuses 0/3/4,
--json and -q."""

from __future__ import annotations

import csv
import json

import pytest

from cli_helpers import assert_one_line_error, run
from contract import CHECK_KEYS
from helpers import DATA, DATASETS, ROW
from mgcalc.check import CHECK_SCHEMA_VERSION
from mgcalc.cli import app


def panels():
    with (DATA / "panels" / "SOURCES.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def checked(runner, text, *options):
    result = runner.invoke(app, ["check", "--label", text, "--json", *options])
    assert result.exit_code in (0, 3, 4), result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "code", "consistent"),
    [
        (["64mg", "535mg", "chloride hexahydrate"], 0, True),
        (["--label", "Magnesium 200 mg (as magnesium citrate 1,250 mg)"], 0, True),
        (["500mg", "500mg", "citrate"], 3, False),
        (["--label", "Magnesium 500 mg (as magnesium citrate 500 mg)"], 3, False),
        (["100mg", "840mg", "citrate"], 3, False),
        # the label names no hydrate and the nonahydrate fits: cannot be told misprinted (issue 29)
        (["--label", "Magnesium (from 840 mg magnesium citrate) 100 mg"], 4, None),
    ],
)
def test_check_command_exit_status_and_json(runner, args, code, consistent):
    result = runner.invoke(app, ["check", *args, "--json"])
    assert result.exit_code == code, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == CHECK_KEYS and data["consistent"] is consistent
    assert data["schema_version"] == CHECK_SCHEMA_VERSION == 3


def test_check_human_output_and_quiet(runner):
    result = runner.invoke(app, ["check", "100mg", "840mg", "citrate"])
    assert result.exit_code == 3
    assert "Verdict: NOT CONSISTENT" in result.stdout
    assert "issue: the figures fit another form of citrate" in result.stdout
    quiet = runner.invoke(app, ["check", "64", "mg", "535", "mg", "chloride hexahydrate", "-q"])
    assert quiet.exit_code == 0 and float(quiet.stdout) == pytest.approx(64, abs=0.1)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["64mg", "535mg"], 2),
        (["64mg", "535mg", "chloride", "--label", "Magnesium 64 mg (as magnesium chloride 535 mg)"], 2),
        (["--label", "Vitamin C 500 mg"], 1),
        (["--label", "x", "--label-file", "-"], 2),
        (["64mg", "535mg", "chloride", "--tolerance", "-1"], 2),
        (["abc", "535mg", "chloride"], 1),
    ],
)
def test_check_bad_input(runner, args, code):
    result = runner.invoke(app, ["check", *args])
    assert result.exit_code == code
    assert "Traceback" not in result.stderr


def test_check_label_file_reads_one_record(runner):
    result = run(runner, "check", "--label-file", str(DATASETS / "spl_magnesium_oxide_par_rebuilt.xml"))
    assert result.exit_code == 0
    assert "Verdict: consistent" in result.stdout
    assert result.stderr == ("mgcalc: read the spl record d3c5b01b-f0d6-4503-ab18-b1a72386e2c6 0603-0209 "
                             "(printed section)\n")


def test_check_label_file_refuses_a_file_of_several_records(runner):
    result = run(runner, "check", "--label-file", str(DATASETS / "dsld_rebuilt.json"))
    assert_one_line_error(result, "holds more than one magnesium record; check reads one: use mgcalc audit")


def test_check_label_file_of_a_record_without_magnesium_says_so(runner):
    result = run(runner, "check", "--label-file", str(DATASETS / "spl_cough_fda.xml"))
    assert_one_line_error(result, "is a spl record (00f66f25-3469-4c16-9baf-fba21e9628bd v1) with nothing to check")


def test_a_closed_standard_input_for_a_label_file_is_one_line(runner):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mgcalc", "check", "--label-file", "-"], stdin=None,
                          capture_output=True, text=True, timeout=60, close_fds=True,
                          preexec_fn=lambda: __import__("os").close(0))
    assert done.returncode == 1 and done.stderr.startswith("mgcalc: error: standard input is closed")


@pytest.mark.parametrize("panel", panels(), ids=lambda p: p["file"])
def test_real_panels_from_a_file(runner, panel):
    result = runner.invoke(app, ["check", "--label-file", str(DATA / "panels" / panel["file"]), "--json"])
    assert result.exit_code == int(panel["expect_exit"]), result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["declared_mg"] == pytest.approx(float(panel["declared_mg"]))
    assert data["compound_mg"] == (pytest.approx(float(panel["compound_mg"])) if panel["compound_mg"] else None)
    assert data["form_id"] == panel["form_id"]
    assert data["per"] == (panel["per"] or None)


def test_a_misprinted_milk_of_magnesia_panel_is_caught_from_standard_input(runner):
    text = (DATA / "panels" / "mom_cvs_7d64f007.txt").read_text()
    result = runner.invoke(app, ["check", "--label-file", "-"], input=text)
    assert result.exit_code == 3
    assert "Verdict: NOT CONSISTENT" in result.stdout and "per 15 mL" in result.stdout


def test_a_panel_given_to_label_reads_the_same_as_from_a_file(runner):
    text = (DATA / "panels" / "magnesium_oxide_2ea68874.txt").read_text()
    by_option = runner.invoke(app, ["check", "--label", text, "--json"])
    assert by_option.exit_code == 0 and json.loads(by_option.stdout)["per"] == "tablet"


def test_label_rounding_within_the_tolerance_is_no_issue(runner):
    result = runner.invoke(app, ["check", "84.5mg", "140mg", "oxide"])
    assert result.exit_code == 0 and "more than any compound" not in result.stdout


@pytest.mark.parametrize(("text", "fragment"), [
    ("Magnesium citrate 500 mg 80 mg", "cannot tell whether 80 mg"),
    ("1-2 sachets daily (243-486 mg magnesium or 10-20 mmol magnesium)", "range"),
    ("magnesium asparaginate tetrahydrate -350 mg, which corresponds to the magnesium content of asparaginate -280 mg",
     "not a compound in the forms table"),
])
def test_near_misses_are_refused_with_the_reason(runner, text, fragment):
    result = runner.invoke(app, ["check", "--label", text, "-q"])
    assert result.exit_code == 4 and result.stdout == ""
    assert fragment in result.stderr


def test_an_unreadable_label_file_is_one_error(runner, tmp_path):
    result = runner.invoke(app, ["check", "--label-file", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "cannot read the label file" in result.stderr


def test_a_label_file_in_utf16_is_read_and_other_bytes_are_refused(tmp_path, runner):
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("Magnesium Oxide 400mg (241.3mg elemental magnesium)\n".encode("utf-16"))  # with a BOM
    result = runner.invoke(app, ["check", "--label-file", str(utf16), "-q"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(241.2, abs=0.05)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Magnesium Oxide 400\xa0mg (241.3mg elemental magnesium)\n")
    result = runner.invoke(app, ["check", "--label-file", str(latin)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.stderr


def test_the_check_screen_names_the_reason_once(runner):
    from mgcalc.cli import app

    shown = runner.invoke(app, ["check", "--label", "Magnesium lactate 500 mg (60 mg magnesium)"])
    assert shown.exit_code == 4
    verdict = [line for line in shown.stdout.splitlines() if line.startswith("Verdict")]
    assert verdict == ["Verdict: cannot be checked: the label names 'magnesium lactate' without saying which of its "
                       "forms (hydrate or salt); as magnesium lactate dihydrate (10.19 %) its 500 mg carries 51.0 mg "
                       "magnesium, not 60 mg, but as magnesium lactate, anhydrous (12.01 %) it carries 60.0 mg"]


def test_check_reads_a_preparation_name_as_its_compound(runner):
    result = run(runner, "check", "500mg", "1200mg", "milk", "of", "magnesia", "-q")
    assert result.exit_code == 0 and result.stdout == "500.11\n"


def test_check_reads_a_products_own_printed_figures(runner):
    result = run(runner, "check", "Uro-Mag")
    assert result.exit_code == 0, result.stderr
    assert "Label: 84.5 mg magnesium; 140 mg magnesium oxide" in result.stdout
    assert "Verdict: consistent" in result.stdout
    as_form = run(runner, "check", "64mg", "400mg", "Mag-Ox", "400")
    assert as_form.exit_code == 3 and "NOT CONSISTENT" in as_form.stdout
    assert_one_line_error(run(runner, "check", "Neomag"), "prints no salt weight")


@pytest.mark.parametrize(("text", "units", "unit"), [
    (f"2 tablets provide: {ROW}", 2, "tablet"),
    (f"Two capsules contain: {ROW}", 2, "capsule"),
    (f"Per 2 caplets: {ROW}", 2, "caplet"),
    (f"{ROW} per 2 tablets", 2, "tablet"),
    (f"Each 2 tablets contain: {ROW}", 2, "tablet"),
    (f"Per daily dose (3 tablets): {ROW}", 3, "tablet"),
    (f"Daily dose: 3 tablets {ROW}", 3, "tablet"),
    ("Serving size 4 capsules Magnesium (as magnesium oxide 500 mg) 300mg", 4, "capsule"),
    (f"Serving Size 2 Tablets\nAmount Per Serving: {ROW}", 2, "tablet"),
    (f"Serving Size: 2 Softgels\n{ROW}", 2, "softgel"),
    (f"Serving Size 3 Vegcaps\n{ROW}", 3, "capsule"),
    (f"Serving Size 2 Gummies\n{ROW}", 2, "gummy"),
    (f"Serving Size 2 Chewable Tablets\n{ROW}", 2, "tablet"),
    (f"Serving Size 2 Lozenges\n{ROW}", 2, "lozenge"),
    (f"Serving Size 2 Sachets\n{ROW}", 2, "sachet"),
    (f"Serving Size 2 Stick Packs\n{ROW}", 2, "stick"),
    (f"Serving Size 2 Scoops\n{ROW}", 2, "scoop"),
    (f"Serving Size 2 Packets\n{ROW}", 2, "packet"),
    (f"Serving Size 2 tsp\n{ROW}", 2, "teaspoon"),
    (f"Serving Size 2 Tablespoons\n{ROW}", 2, "tablespoon"),
    (f"Serving Size 20 Drops\n{ROW}", 20, "drop"),
    (f"Twelve capsules provide: {ROW}", 12, "capsule"),
])
def test_every_wording_keeps_its_count_in_text_and_json(runner, text, units, unit):
    data = checked(runner, text)
    assert data["basis"]["units"] == units and data["basis"]["unit"] == unit
    assert data["per"] == "serving"
    assert data["per_unit"]["declared_mg"] == pytest.approx(300 / units)
    assert data["per_unit"]["compound_mg"] == pytest.approx(500 / units)
    shown = runner.invoke(app, ["check", "--label", text]).stdout
    assert f"per serving of {units:g} " in shown and f"Per {unit} ({units:g} a serving)" in shown


@pytest.mark.parametrize(("text", "per", "size"), [
    (f"Each tablet contains: {ROW}", "tablet", None),
    (f"Serving Size 1 scoop (5 g)\n{ROW}", "scoop", "5 g"),
    (f"Each 15 mL contains: {ROW}", "15 mL", None),
    (f"Serving Size 15 mL\n{ROW}", "serving", "15 mL"),
    (f"Serving Size: 2.5 gm\n{ROW}", "serving", "2.5 g"),
])
def test_one_unit_or_a_measure_is_the_figures_own_basis(runner, text, per, size):
    data = checked(runner, text)
    assert data["per"] == per and data["per_unit"] is None and data["basis"]["size"] == size


@pytest.mark.parametrize(("directions", "low", "high"), [
    ("Directions: Adults take 2 tablets twice daily", 600, 600),
    ("Directions: take 1-3 tablets daily", 150, 450),
    ("Directions: take up to 4 tablets a day", None, 600),
    ("Directions: do not take more than 2 tablets in a 24 hour period", None, 300),
    ("Directions: chew 2 tablets as needed; do not take more than 3 tablets in 24 hours", 300, 450),
])
def test_the_directions_give_the_days_magnesium_against_the_upper_level(runner, directions, low, high):
    data = checked(runner, f"Serving Size 2 Tablets\n{ROW}\n{directions}")
    day = data["per_day"]
    assert (day["mg_low"], day["mg_high"]) == (low, high)
    assert day["upper_level_mg"] == 350 and day["over_upper_level"] is (high > 350)
    shown = runner.invoke(app, ["check", "--label", f"Serving Size 2 Tablets\n{ROW}\n{directions}"]).stdout
    assert "Per day by the directions" in shown
    assert ("OVER THE UPPER LEVEL" in shown) is (high > 350)


def test_the_upper_level_is_the_authoritys_own(runner):
    data = checked(runner, f"Serving Size 1 Tablet\n{ROW}\nDirections: take 1 tablet daily", "--authority", "eu")
    assert data["per_day"]["upper_level_mg"] == 250 and data["per_day"]["over_upper_level"] is True


def test_directions_it_cannot_read_are_named_not_guessed(runner):
    data = checked(runner, f"Serving Size 1 Tablet\n{ROW}\nDirections: take 1 tablet with a meal")
    assert data["per_day"] is None and "do not say how often" in data["directions_problem"]


@pytest.mark.parametrize(("text", "reason"), [
    (f"Serving Size 0 Tablets\n{ROW}", "outside 1 to 100"),
    (f"Serving Size 101 Tablets\n{ROW}", "outside 1 to 100"),
    (f"Serving Size 1 Tablet\n{ROW} per 2 tablets", "two bases that disagree"),
    (f"Serving Size 2 Tablets\nServing Size 3 Tablets\n{ROW}", "two bases that disagree"),
    (f"Each tablet contains:\nServing Size 2 Tablets\n{ROW}", "two bases that disagree"),
])
def test_a_count_that_cannot_be_right_is_a_reason_never_a_pick(runner, text, reason):
    data = checked(runner, text)
    assert data["consistent"] is None and reason in data["reason"] and data["per_unit"] is None


@pytest.mark.parametrize(("text", "declared", "compound", "others"), [
    ("Zinc 15 mg Magnesium oxide 250 mg (150 mg elemental magnesium)", 150, 250, ["Zinc"]),
    ("Calcium carbonate 750 mg\nMagnesium oxide 250 mg (150 mg magnesium)", 150, 250, ["Calcium carbonate"]),
    ("Vitamin D3 25 mcg Magnesium oxide 250 mg (150 mg elemental magnesium)", 150, 250, ["Vitamin D3"]),
    ("Calcium 300 mg Magnesium 150 mg (as magnesium oxide 250 mg)", 150, 250, ["Calcium"]),
])
def test_another_ingredients_figure_never_reaches_magnesium(runner, text, declared, compound, others):
    result = runner.invoke(app, ["check", "--label", text, "--json"])
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert (data["declared_mg"], data["compound_mg"], data["consistent"]) == (declared, compound, True)
    assert [o["name"] for o in data["other_ingredients"]] == others


def test_a_tenfold_percent_dv_is_not_consistent(runner):
    result = runner.invoke(app, ["check", "--label", "Magnesium 400 mg 1000% (as magnesium oxide 663 mg)"])
    assert result.exit_code == 3 and "%DV printed (1000 %) does not match" in result.stdout
