"""The shipped products table, loaded once for the products tests."""

from __future__ import annotations

from mgcalc.products import load_products

PRODUCTS = load_products()
