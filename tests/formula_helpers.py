"""Molar masses and magnesium percentages worked out from element counts with molmass's atomic weights
(no formula parsing): the oracle of the formula tests."""

from molmass import ELEMENTS

MG = ELEMENTS["Mg"].mass


def molar_mass(counts: dict[str, int]) -> float:
    """Molar mass from element counts with molmass's atomic weights (no formula parsing)."""
    return sum(ELEMENTS[symbol].mass * n for symbol, n in counts.items())


def percent_mg(counts: dict[str, int]) -> float:
    return 100 * counts.get("Mg", 0) * MG / molar_mass(counts)


SULFATE_7 = percent_mg({"Mg": 1, "S": 1, "O": 11, "H": 14})  # MgSO4·7H2O


CHLORIDE_6 = percent_mg({"Mg": 1, "Cl": 2, "H": 12, "O": 6})  # MgCl2·6H2O
