"""Serum magnesium in the four units labs report it in, beside a published reference interval.

Labs print serum magnesium in mg/dL (US), mg/L, mmol/L (UK, Europe, Australia) or mEq/L, and
published pages pair ranges across units wrongly. pint converts every figure, from units.txt,
with the molar mass mgcalc uses everywhere (1 mmol Mg2+ = 24.305 mg = 2 mEq).
"""

import re
from typing import NamedTuple

from mgcalc.errors import MgcalcError, shown
from mgcalc.units import factor, read_number

SCHEMA_VERSION = 1
#: The units accepted (lower case, as typed) -> (shown as, key in JSON, the units.txt expression).
UNITS: dict[str, tuple[str, str, str]] = {
    "mg/dl": ("mg/dL", "mg_per_dl", "milligram / deciliter"),
    "mg/l": ("mg/L", "mg_per_l", "milligram / liter"),
    "mmol/l": ("mmol/L", "mmol_per_l", "millimole_magnesium / liter"),
    "meq/l": ("mEq/L", "meq_per_l", "milliequivalent_magnesium / liter"),
    "mval/l": ("mEq/L", "meq_per_l", "milliequivalent_magnesium / liter"),  # German labs' word for mEq
}
_MMOL_PER_L = "millimole_magnesium / liter"
#: Highest serum magnesium accepted, in mmol/L: far above any value a living patient's lab reports
#: (ten times the top of the reference interval is about 9.5).
MAX_MMOL_PER_L = 20.0
#: The reference interval mgcalc shows, with its source (a literal table of one row, as STYLE.md allows).
REFERENCE_LOW_MMOL_PER_L = 0.75
REFERENCE_HIGH_MMOL_PER_L = 0.95
REFERENCE_SOURCE = (
    "NIH Office of Dietary Supplements, Magnesium fact sheet for health professionals "
    "(https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/): normal serum magnesium 0.75-0.95 mmol/L"
)
LABS_NOTE = ("Laboratories set their own reference intervals (by method, age and population); read a result "
             "against the interval printed on its report.")
_VALUE = re.compile(r"\s*(?P<num>[-+\u2212]?[0-9.,]*[0-9.](?:[eE][-+]?[0-9]+)?)\s*(?P<unit>\S.*?)?\s*", re.DOTALL)
_TEXT_MAX = 64


class SerumResult(NamedTuple):
    """A serum magnesium value as typed, in mmol/L, and where it lies against the reference interval."""

    value: float
    unit: str
    mmol_per_l: float

    def converted(self, mmol_per_l: float) -> dict[str, float]:
        """``mmol_per_l`` in each of the four units, keyed as in JSON."""
        return {key: mmol_per_l * factor(_MMOL_PER_L, expression)
                for _shown, key, expression in dict.fromkeys(UNITS.values())}

    @property
    def figures(self) -> dict[str, float]:
        return self.converted(self.mmol_per_l)

    @property
    def position(self) -> str:
        """'below', 'within' or 'above' the reference interval."""
        if self.mmol_per_l < REFERENCE_LOW_MMOL_PER_L:
            return "below"
        return "above" if self.mmol_per_l > REFERENCE_HIGH_MMOL_PER_L else "within"

    def as_dict(self) -> dict[str, object]:
        """The ``serum --json`` contract (README); tests pin its exact keys."""
        low, high = (self.converted(v) for v in (REFERENCE_LOW_MMOL_PER_L, REFERENCE_HIGH_MMOL_PER_L))
        return {
            "schema_version": SCHEMA_VERSION,
            "value": self.value,
            "unit": self.unit,
            **self.figures,
            "reference": {**{key: [low[key], high[key]] for key in low}, "source": REFERENCE_SOURCE},
            "position": self.position,
            "note": LABS_NOTE,
        }


def serum(text: str, unit: str | None = None) -> SerumResult:
    """Read a serum magnesium value, ``serum("1.7 mg/dL")`` or ``serum("1.7", "mg/dL")``; MgcalcError
    for a unit that is not a concentration of magnesium, or a value no lab reports."""
    typed = text if unit is None else f"{text} {unit}"
    if len(typed) > _TEXT_MAX:
        raise MgcalcError(f"serum value is too long ({len(typed)} characters; at most {_TEXT_MAX})")
    match = _VALUE.fullmatch(typed)
    if match is None:
        raise MgcalcError(f"serum value {shown(typed)} does not start with a number; write e.g. 0.8 mmol/L")
    if not match["unit"]:
        raise MgcalcError(f"serum value {shown(typed)} has no unit; add mg/dL, mg/L, mmol/L or mEq/L")
    said = "".join(match["unit"].split()).lower()
    if said not in UNITS:
        raise MgcalcError(f"serum unit {shown(match['unit'])} is not one mgcalc reads; use mg/dL, mg/L, mmol/L "
                          "or mEq/L")
    if match["num"][0] in "-\u2212":
        raise MgcalcError(f"serum value {shown(typed)} is negative; a serum concentration is above zero")
    value, _ = read_number(match["num"].lstrip("+"), what="serum value")
    shown_unit, _key, expression = UNITS[said]
    if value == 0:
        raise MgcalcError(f"serum value {shown(typed)} is zero; no lab reports a serum magnesium of zero")
    mmol = value * factor(expression, _MMOL_PER_L)
    if mmol > MAX_MMOL_PER_L:
        top = MAX_MMOL_PER_L * factor(_MMOL_PER_L, expression)
        also = "" if shown_unit == "mmol/L" else f" = {top:.4g} {shown_unit}"
        raise MgcalcError(
            f"serum value {shown(typed)} is {mmol:.3g} mmol/L, above any value a lab reports (at most "
            f"{MAX_MMOL_PER_L:g} mmol/L{also}); check the number and the unit"
        )
    return SerumResult(value, shown_unit, mmol)
