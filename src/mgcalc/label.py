"""Supplement Facts wordings: which amount is the magnesium, which the compound, and what form.

Only parses: the numbers are read by ``units`` and the verdict is ``check``'s. Recognised:

    Magnesium 200 mg (as magnesium citrate 1,250 mg)
    Magnesium 64 mg (as 535 mg magnesium chloride hexahydrate)
    Magnesium (from 1,250 mg magnesium citrate) 200 mg
    Magnesium Citrate 1250 mg providing 200 mg magnesium
    Magnesium (as magnesium oxide) 400 mg          (one amount: the magnesium)
"""

import re
from typing import NamedTuple

from mgcalc.errors import MgcalcError, shown

#: Longest label text accepted.
LABEL_MAX_CHARS = 500
_AMOUNT = r"[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:mg|g|mcg|µg|μg|ug)\b"
_PROVIDING = r"(?:providing|provides|supplying|supplies|yielding|yields|giving|gives|with|equivalent\s+to|=)"
_PATTERNS = [
    # Magnesium 200 mg (as magnesium citrate 1,250 mg) / Magnesium 64 mg (as 535 mg magnesium chloride)
    re.compile(
        rf"magnesium\s*:?\s*(?P<declared>{_AMOUNT})\s*\(\s*(?:as|from)\s+"
        rf"(?:(?P<compound1>{_AMOUNT})\s+(?:of\s+)?)?(?P<form>.+?)(?:\s*,?\s*(?P<compound2>{_AMOUNT}))?\s*\)",
        re.IGNORECASE,
    ),
    # Magnesium (from 1,250 mg magnesium citrate) 200 mg / Magnesium (as magnesium oxide) 400 mg
    re.compile(
        rf"magnesium\s*\(\s*(?:as|from)\s+(?:(?P<compound1>{_AMOUNT})\s+(?:of\s+)?)?(?P<form>.+?)"
        rf"(?:\s*,?\s*(?P<compound2>{_AMOUNT}))?\s*\)\s*:?\s*(?P<declared>{_AMOUNT})",
        re.IGNORECASE,
    ),
    # Magnesium Citrate 1250 mg providing 200 mg magnesium
    re.compile(
        rf"(?P<form>.+?)\s*:?\s*(?P<compound1>{_AMOUNT})\s*,?\s*{_PROVIDING}\s+(?P<declared>{_AMOUNT})"
        rf"\s*(?:of\s+)?(?:elemental\s+)?magnesium",
        re.IGNORECASE,
    ),
]
_NOISE = re.compile(r"[*†‡]|\b[0-9]+\s*%\s*(?:DV|daily\s+value)?|\bDV\b", re.IGNORECASE)


class LabelClaim(NamedTuple):
    """What a label states: declared magnesium, compound weight (None if not printed), form words."""

    declared: str
    compound: str | None
    form: str


def parse_label(text: str) -> LabelClaim:
    """Read one Supplement Facts line; MgcalcError when it matches no known wording."""
    if len(text) > LABEL_MAX_CHARS:
        raise MgcalcError(f"label text is too long ({len(text)} characters; at most {LABEL_MAX_CHARS})")
    cleaned = " ".join(_NOISE.sub(" ", text).split())
    for pattern in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            form = match["form"].strip(" ,;:")
            compound = match["compound1"] or match["compound2"]
            if not form or re.fullmatch(r"(?:elemental\s+)?magnesium", form, re.IGNORECASE):
                break
            return LabelClaim(match["declared"], compound, form)
    raise MgcalcError(
        f"cannot read the label {shown(text)}; write it like 'Magnesium 200 mg (as magnesium citrate 1,250 mg)'"
    )
