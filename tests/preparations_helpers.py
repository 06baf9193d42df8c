"""Oracles for the liquids and sachets tests: pint's default registry, molmass and the preparations table."""

from __future__ import annotations

import pint
from molmass import Formula

from mgcalc.preparations import load_preparations

DEFAULT = pint.UnitRegistry()


FL_OZ_ML = DEFAULT.Quantity(1, "fluid_ounce").to("milliliter").magnitude


MG_PER_MMOL = 24.305  # IUPAC abridged standard atomic weight of Mg, as units.txt defines mmol


def mg_fraction(formula: str) -> float:
    """Mass fraction of magnesium in a formula, by molmass (hydrate water included)."""
    composition = Formula(formula.replace("·", ".")).composition()
    return composition["Mg"].fraction


ROWS = list(load_preparations())
