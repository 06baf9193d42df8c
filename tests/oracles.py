"""Oracles: the arithmetic worked out independently of mgcalc's own code, from element counts with
molmass's atomic weights, molmass's formula parser and pint's default registry."""

from __future__ import annotations

import pint
from molmass import ELEMENTS, Formula

MG = ELEMENTS["Mg"].mass


def molar_mass(counts: dict[str, int]) -> float:
    """Molar mass from element counts with molmass's atomic weights (no formula parsing)."""
    return sum(ELEMENTS[symbol].mass * n for symbol, n in counts.items())


def percent_mg(counts: dict[str, int]) -> float:
    return 100 * counts.get("Mg", 0) * MG / molar_mass(counts)


SULFATE_7 = percent_mg({"Mg": 1, "S": 1, "O": 11, "H": 14})  # MgSO4·7H2O
CHLORIDE_6 = percent_mg({"Mg": 1, "Cl": 2, "H": 12, "O": 6})  # MgCl2·6H2O

DEFAULT = pint.UnitRegistry()
FL_OZ_ML = DEFAULT.Quantity(1, "fluid_ounce").to("milliliter").magnitude
MG_PER_MMOL = 24.305  # IUPAC abridged standard atomic weight of Mg, as units.txt defines mmol


def mg_fraction(formula: str) -> float:
    """Mass fraction of magnesium in a formula, by molmass (hydrate water included)."""
    composition = Formula(formula.replace("·", ".")).composition()
    return composition["Mg"].fraction
