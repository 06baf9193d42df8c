"""Small helpers the readers share: is a name magnesium's dose, and figures written as text."""

import math
import re

_MAGNESIUM = re.compile(r"magnes", re.IGNORECASE)
#: Excipients that carry magnesium but are never the magnesium dose (lubricants, flow agents).
_EXCIPIENT = re.compile(r"stearate|silicate(?!.*tri)|aluminometasilicate", re.IGNORECASE)


def is_magnesium(name: str) -> bool:
    """A name of a magnesium ingredient that could be the dose (magnesium stearate is not)."""
    return bool(_MAGNESIUM.search(name)) and not _EXCIPIENT.search(name)


def is_excipient(name: str) -> bool:
    return bool(_EXCIPIENT.search(name))


def number(value: object) -> float | None:
    """A finite number from a JSON or XML value, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def figure_text(amount: float) -> str:
    """A figure as a label prints it: no trailing .0, no exponent."""
    text = f"{amount:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def title(name: str) -> str:
    """'MAGNESIUM OXIDE' as 'Magnesium Oxide' (databases shout; the reader does not care, people do)."""
    return name.title() if name.isupper() else name


def text_of(value: object) -> str:
    """A string field, or the strings of a list field joined by new lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(v for v in value if isinstance(v, str))
    return ""
