"""DailyMed Structured Product Labeling (HL7 SPL) XML documents.

Element names as FDA's own SPL documents use them (FDA/openfda ``openfda/spl/tests/data/*.xml``):
``document/setId@root``, ``versionNumber@value``; each ``manufacturedProduct`` with its ``code``
(NDC), ``name``, ``formCode@displayName`` and ``ingredient``s: ``@classCode`` ACTIB (the strength is
the ingredient's), ACTIM (the strength is the active moiety's), IACT (inactive), ``quantity/
numerator@value,@unit`` over ``denominator@value,@unit``, ``ingredientSubstance/name`` and
``activeMoiety/activeMoiety/name``. The structured strength is written out as one line for the
label reader; the OTC active ingredient or description section is checked beside it.

The XML is untrusted: defusedxml refuses any DTD, so no entity expands and no external entity is
ever read.
"""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import IO

from mgcalc.datasets.common import figure_text, is_magnesium, number, title
from mgcalc.datasets.record import Figure, Item, Problem, Record, Skip

KIND = "spl"
NS = "{urn:hl7-org:v3}"
LINK = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
#: Largest SPL document read, in bytes (DailyMed's run to a few MB).
XML_MAX = 64 << 20
#: LOINC codes of the sections the magnesium figures are printed in: OTC active ingredient, description.
_SECTIONS = ("55106-9", "34089-3")
_BASIS = {"ACTIB": "ingredient", "ACTIM": "moiety", "ACTIR": "reference"}


def records(raw: IO[bytes], where: str) -> Iterator[Item]:
    import defusedxml.ElementTree as SafeTree  # type: ignore[import-untyped]
    from defusedxml import DefusedXmlException

    data = raw.read(XML_MAX + 1)
    if len(data) > XML_MAX:
        yield Problem(where, f"an XML document larger than {XML_MAX >> 20} MB")
        return
    try:
        root = SafeTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        yield Problem(where, f"XML with a DTD or entities is refused, not expanded ({type(exc).__name__})")
        return
    except ElementTree.ParseError as exc:
        yield Problem(where, f"not well-formed XML, or cut short: {exc}")
        return
    if root.tag != f"{NS}document":
        yield Problem(where, f"not an SPL document (root element {root.tag.split('}')[-1]!r}, not 'document')")
        return
    set_id = _attr(root.find(f"{NS}setId"), "root")
    version = _attr(root.find(f"{NS}versionNumber"), "value")
    base = f"{set_id} v{version}" if set_id and version else set_id or "(no setId)"
    link = LINK.format(set_id=set_id) if set_id else None
    printed = _printed(root)
    found = False
    for product in root.iter(f"{NS}manufacturedProduct"):
        ingredients = product.findall(f"{NS}ingredient")
        if not ingredients:
            continue
        ndc = _attr(product.find(f"{NS}code"), "code")
        name = _text(product.find(f"{NS}name"))
        form = (_attr(product.find(f"{NS}formCode"), "displayName") or "unit").lower()
        for ingredient in ingredients:
            record = _ingredient(ingredient, form)
            if record is None:
                continue
            found = True
            if isinstance(record, str):
                yield Problem(where, record, id=base)
                continue
            text, figure, basis = record
            ident = f"{base} {ndc}" if ndc else base
            yield Record(KIND, ident, name, None, basis, text, "structured", (figure,), printed=printed,
                         link=link, where=where, set_id=set_id)
    if not found:
        yield Skip(KIND, base, "no magnesium active ingredient", where)


def _attr(element: ElementTree.Element | None, name: str) -> str | None:
    value = element.get(name) if element is not None else None
    return value.strip() or None if value else None


def _text(element: ElementTree.Element | None) -> str | None:
    if element is None:
        return None
    return " ".join("".join(element.itertext()).split()) or None


def _ingredient(ingredient: ElementTree.Element, form: str) -> tuple[str, Figure, str] | str | None:
    """A magnesium active ingredient's line, figure and basis; a message when its strength is unreadable."""
    basis_of = _BASIS.get(ingredient.get("classCode", ""))
    substance = ingredient.find(f"{NS}ingredientSubstance")
    name = _text(substance.find(f"{NS}name")) if substance is not None else None
    if basis_of is None or name is None or not is_magnesium(name):
        return None
    moiety = _text(substance.find(f"{NS}activeMoiety/{NS}activeMoiety/{NS}name")) if substance is not None else None
    numerator = ingredient.find(f"{NS}quantity/{NS}numerator")
    denominator = ingredient.find(f"{NS}quantity/{NS}denominator")
    amount = number(_attr(numerator, "value"))
    unit = _attr(numerator, "unit")
    per_amount = number(_attr(denominator, "value")) or 1.0
    per_unit = _attr(denominator, "unit") or "1"
    if amount is None or unit is None:
        return f"{name}: no readable strength (quantity/numerator value and unit)"
    if per_unit == "1":
        per = f"{figure_text(per_amount)} {form}"
        each = f"Each {form} contains:" if per_amount == 1 else f"Each {per} contains:"
    else:
        per = f"{figure_text(per_amount)} {per_unit}"
        each = f"Each {per} contains:"
    if basis_of == "moiety" and moiety:
        line = f"{each} {title(moiety)} {figure_text(amount)} {unit} (as {title(name).lower()})"
    else:
        line = f"{each} {title(name)} {figure_text(amount)} {unit}"
    return line, Figure(name, amount, unit, per, basis_of), f"per {per}"


def _printed(root: ElementTree.Element) -> str | None:
    for code in _SECTIONS:
        for section in root.iter(f"{NS}section"):
            if _attr(section.find(f"{NS}code"), "code") == code:
                text = _text(section.find(f"{NS}text"))
                if text and "magnes" in text.lower():
                    heading = _text(section.find(f"{NS}title")) or ""
                    return f"{heading}\n{text}".strip()
    return None
