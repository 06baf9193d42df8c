"""Amounts of substance as people type them, converted by pint.

User text never reaches pint's expression parser (pint issue 1306: ``10**10**10 mg``
hangs it). The number and the unit are validated here first; pint then converts the
validated unit name, from the small definitions file ``units.txt`` shipped beside this
module.
"""

import math
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from mgcalc.errors import MgcalcError, shown

if TYPE_CHECKING:
    import pint

#: Longest amount text accepted ("1,250.5 mg" needs ten characters).
AMOUNT_MAX_CHARS = 64
#: Smallest and largest compound or magnesium mass accepted, in mg (1 µg and 1 kg).
MIN_MG = 0.001
MAX_MG = 1_000_000.0

# Spellings accepted for each unit, mapped to the unit's name in units.txt. Case matters:
# "Mg" would be a megagram, or magnesium, so it is refused rather than guessed.
MASS_UNITS: dict[str, str] = {
    **dict.fromkeys(("mg", "MG", "milligram", "milligrams"), "milligram"),
    **dict.fromkeys(("g", "gram", "grams"), "gram"),
    **dict.fromkeys(("kg", "kilogram", "kilograms"), "kilogram"),
    **dict.fromkeys(("mcg", "MCG", "µg", "μg", "ug", "microgram", "micrograms"), "microgram"),
    **dict.fromkeys(("gr", "grain", "grains"), "grain"),
}
MAGNESIUM_UNITS: dict[str, str] = {
    **dict.fromkeys(("mmol", "millimole", "millimoles"), "millimole_magnesium"),
    **dict.fromkeys(("mEq", "meq", "MEQ", "milliequivalent", "milliequivalents"), "milliequivalent_magnesium"),
}
_NOT_MASS = frozenset(
    ("ml", "mL", "l", "L", "dl", "dL", "tsp", "tbsp", "drop", "drops", "IU", "iu", "%", "cc", "oz")
)

#: Words that are (or look like) a unit: a bare number followed by one is one amount.
UNIT_WORDS = frozenset(MASS_UNITS) | frozenset(MAGNESIUM_UNITS) | _NOT_MASS | {"Mg"}
_BARE_NUMBER = r"[-+−]?[0-9][0-9.,]*(?:[eE][-+]?[0-9]+)?|[-+−]?\.[0-9]+"

_AMOUNT = re.compile(
    r"(?P<sign>[-+−]?)\s*(?P<num>[0-9][0-9.,]*|\.[0-9][0-9.,]*)(?P<exp>[eE][-+]?[0-9]+)?\s*(?P<unit>.*)",
    re.ASCII | re.DOTALL,
)
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
# Patterns needed only for unusual input are compiled on first use (re caches them).
_THOUSANDS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_DECIMAL_COMMA = r"[0-9]+,[0-9]+"


#: (unit, target) pairs whose factors are pre-computed by pint into ``_factors.py``, so that
#: the common path never imports pint (about 100 ms). Regenerate with
#: ``python -c "from mgcalc.units import generate_factors as g; print(g(), end='')" > src/mgcalc/_factors.py``;
#: tests/test_units.py proves the file equal to pint.
PRECOMPUTED: tuple[tuple[str, str], ...] = (
    *((unit, "milligram") for unit in sorted(set(MASS_UNITS.values()) | set(MAGNESIUM_UNITS.values()))),
    ("milligram", "millimole_magnesium"),
    ("milligram", "milliequivalent_magnesium"),
)


@lru_cache(maxsize=1)
def registry() -> "pint.UnitRegistry[float]":
    """The one shared pint registry, built from units.txt (imported on first use)."""
    from importlib import resources

    import pint

    with resources.as_file(resources.files("mgcalc") / "units.txt") as path:
        return pint.UnitRegistry(str(path), cache_folder=None)


@cache
def factor(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is, as pint computes it (pre-computed, or cached per pair)."""
    from mgcalc._factors import FACTORS

    found = FACTORS.get((unit, target))
    return found if found is not None else pint_factor(unit, target)


def pint_factor(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is, computed by pint now."""
    return float(registry().Quantity(1.0, unit).to(target).magnitude)


def generate_factors() -> str:
    """The source of ``_factors.py``: every PRECOMPUTED pair, computed by pint."""
    lines = [
        '"""Unit factors computed by pint from units.txt by mgcalc.units.generate_factors(); do not edit."""',
        "",
        "FACTORS: dict[tuple[str, str], float] = {",
        *(f"    ({unit!r}, {target!r}): {pint_factor(unit, target)!r}," for unit, target in PRECOMPUTED),
        "}",
    ]
    return "\n".join(lines) + "\n"


def to_mmol(mg: float) -> float:
    """Millimoles of Mg2+ in ``mg`` milligrams of magnesium."""
    return mg * factor("milligram", "millimole_magnesium")


def to_meq(mg: float) -> float:
    """Milliequivalents of Mg2+ in ``mg`` milligrams of magnesium."""
    return mg * factor("milligram", "milliequivalent_magnesium")


@lru_cache(maxsize=4096)
def parse_mass(text: str, *, what: str = "amount") -> float:
    """Read a mass such as ``500mg``, ``0.5 g``, ``1,250 mg``, ``500 µg`` or ``5gr``; return mg."""
    value, unit = _split(text, what)
    if unit not in MASS_UNITS:
        raise MgcalcError(_unit_problem(text, unit, what))
    return _bounded(value * factor(MASS_UNITS[unit], "milligram"), text, what)


@lru_cache(maxsize=4096)
def parse_magnesium(text: str, *, what: str = "target") -> float:
    """Read an amount of magnesium: a mass, or ``4 mmol`` / ``8 mEq`` of Mg2+; return mg."""
    value, unit = _split(text, what)
    if unit in MAGNESIUM_UNITS:
        return _bounded(value * factor(MAGNESIUM_UNITS[unit], "milligram"), text, what)
    if unit not in MASS_UNITS:
        raise MgcalcError(_unit_problem(text, unit, what, magnesium=True))
    return _bounded(value * factor(MASS_UNITS[unit], "milligram"), text, what)


def mass_mg(value: str | float, *, what: str = "amount") -> float:
    """A compound mass typed as text ("500mg") or given as a number of mg (the Python API), in mg."""
    return parse_mass(value, what=what) if isinstance(value, str) else bounded_mg(value, what=what)


def magnesium_mg(value: str | float, *, what: str = "target") -> float:
    """An amount of magnesium as text ("4 mmol", "200mg") or a number of mg (the Python API), in mg."""
    return parse_magnesium(value, what=what) if isinstance(value, str) else bounded_mg(value, what=what)


def join_amounts(tokens: list[str]) -> list[str]:
    """Join a bare number with the unit word after it: ["500", "mg", "citrate"] -> ["500 mg", "citrate"].

    Lets ``mgcalc dose 500 mg citrate`` work unquoted, as people type it.
    """
    joined: list[str] = []
    for token in tokens:
        if joined and token.strip() in UNIT_WORDS and re.fullmatch(_BARE_NUMBER, joined[-1].strip(), re.ASCII):
            joined[-1] = f"{joined[-1]} {token}"
        else:
            joined.append(token)
    return joined


def _split(text: str, what: str) -> tuple[float, str]:
    """Validate the number of an amount and return it with the unit text that follows."""
    if len(text) > AMOUNT_MAX_CHARS:
        raise MgcalcError(f"{what} is too long ({len(text)} characters; at most {AMOUNT_MAX_CHARS})")
    stripped = text.strip()
    if not stripped:
        raise MgcalcError(f"{what} is empty; give a number and a unit, e.g. 500mg")
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        raise MgcalcError(f"{what} {shown(text)} does not start with a number; write e.g. 500mg")
    num, unit = match["num"], match["unit"].strip()
    if match["sign"] in ("-", "−"):
        raise MgcalcError(f"{what} {shown(text)} is negative; give an amount above zero")
    if _PLAIN.fullmatch(num) is None:
        if re.fullmatch(_THOUSANDS, num, re.ASCII):
            num = num.replace(",", "")
        elif re.fullmatch(_DECIMAL_COMMA, num, re.ASCII):
            raise MgcalcError(
                f"{what} {shown(text)} has a decimal comma; write {num.replace(',', '.')} with a point"
            )
        else:
            raise MgcalcError(
                f"{what} {shown(text)} is not a number mgcalc can read; write digits with a decimal "
                "point and optional thousands commas, e.g. 1,250.5 mg"
            )
    if unit[:1].isdigit():
        raise MgcalcError(
            f"{what} {shown(text)} has a space inside the number; write 1000 mg or 1,000 mg"
        )
    value = float(num + (match["exp"] or ""))
    if not math.isfinite(value):
        raise MgcalcError(f"{what} {shown(text)} is not a finite number")
    if not unit:
        raise MgcalcError(f"{what} {shown(text)} has no unit; add one, e.g. {num}mg")
    return value, unit


def _unit_problem(text: str, unit: str, what: str, *, magnesium: bool = False) -> str:
    """The message for a unit that is not accepted here, saying what would be."""
    wanted = "mg, g, mcg (µg), gr" + (", mmol or mEq" if magnesium else "")
    if unit == "Mg":
        return f"{what} {shown(text)}: 'Mg' is ambiguous (megagram, or magnesium?); write mg for milligrams"
    if unit in MAGNESIUM_UNITS:
        return (
            f"{what} {shown(text)}: {unit} counts magnesium, not the weight of a compound; "
            f"give the compound's weight in {wanted}"
        )
    if unit in _NOT_MASS or "/" in unit:
        return f"{what} {shown(text)}: {shown(unit)} is not a mass; use {wanted}"
    return f"{what} {shown(text)}: unknown unit {shown(unit)}; use {wanted}"


def bounded_mg(value: float, *, what: str = "amount") -> float:
    """A number already in mg (the Python API), checked like a typed amount."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MgcalcError(f"{what} {value!r} is not a number of mg")
    if not math.isfinite(value):
        raise MgcalcError(f"{what} {value!r} is not a finite number")
    if value < 0:
        raise MgcalcError(f"{what} {value!r} is negative; give an amount above zero")
    return _bounded(float(value), f"{value!r} mg", what)


def _bounded(mg: float, text: str, what: str) -> float:
    """Refuse zero and amounts outside what a dose can sensibly be (1 µg to 1 kg)."""
    if mg == 0:
        raise MgcalcError(f"{what} {shown(text)} is zero; give an amount above zero")
    if not MIN_MG <= mg <= MAX_MG:
        raise MgcalcError(f"{what} {shown(text)} is outside 1 µg to 1 kg; check the number and unit")
    return mg
