"""mgcalc reference (and --authority) through the command line."""

from __future__ import annotations

import json

from cli_helpers import run


def test_authority_option_and_reference_command(runner):
    data = json.loads(run(runner, "dose", "500mg", "citrate", "--authority", "eu", "--json").stdout)
    assert data["ul_mg"] == 250 and data["reference"]["authority"] == "eu"
    out = run(runner, "reference", "--authority", "eu").stdout.splitlines()
    assert out[0].split("\t") == ["authority", "measure", "who", "mg_per_day", "source"]
    assert all(line.startswith("eu\t") for line in out[1:])
    assert any("\tUL\t4+ y\t250\t" in line for line in out)


def test_reference_json_lists_every_row_with_its_source(runner):
    rows = json.loads(run(runner, "reference", "--json").stdout)
    assert {r["authority"] for r in rows} == {"us", "eu", "uk", "au", "ca"}
    assert all(r["source"] for r in rows)
    adult_us_ul = [r for r in rows if r["authority"] == "us" and r["measure"] == "UL" and r["age_to"] is None]
    assert [r["mg"] for r in adult_us_ul] == [350]
