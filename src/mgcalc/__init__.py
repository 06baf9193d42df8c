"""mgcalc: elemental magnesium from supplement compound weights.

The library API; the command line lives in ``mgcalc.cli``.

>>> from mgcalc import dose
>>> round(dose("500mg", "citrate").elemental_mg, 1)
80.8
"""

from mgcalc.dose import Component, CompoundResult, DoseResult, compound, dose
from mgcalc.errors import MgcalcError
from mgcalc.forms import Form, load_forms
from mgcalc.preparations import load_preparations
from mgcalc.references import Profile

__version__ = "0.1.0"

__all__ = [
    "Component", "CompoundResult", "DoseResult", "Form", "MgcalcError", "Profile", "__version__", "compound", "dose",
    "load_forms", "load_preparations",
]
