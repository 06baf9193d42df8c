"""mgcalc products through the command line: the table and its help."""

from __future__ import annotations

import json

from cli_helpers import assert_one_line_error, run
from contract import PRODUCT_ROW_KEYS
from mgcalc.products import load_products

PRODUCTS = load_products()


def test_products_lists_the_table(runner):
    result = run(runner, "products")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "name", "country"] and len(lines) == len(PRODUCTS) + 1
    data = json.loads(run(runner, "products", "glycerophosphate", "--json").stdout)
    assert {row["id"] for row in data} == {"neomag", "magnesium-4mmol-chewable-uk"}
    assert all(set(row) == PRODUCT_ROW_KEYS for row in data)
    assert_one_line_error(run(runner, "products", "zzz"), "no product matches 'zzz'")


def test_products_has_help_with_an_example(runner):
    result = run(runner, "products", "--help")
    assert result.exit_code == 0 and "mgcalc products neomag" in result.stdout
