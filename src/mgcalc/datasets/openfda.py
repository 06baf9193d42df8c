"""openFDA ``drug/label`` (label text sections) and ``drug/ndc`` (the NDC directory) records.

Told apart by their fields: an NDC record has ``product_ndc`` and ``active_ingredients[{name,
strength}]`` (strengths such as ``400 mg/1``, ``1200 mg/15mL``, ``1.745 g/29.6mL``); a label record
has text sections (``active_ingredient``, ``description``, ...) and ``set_id``/``version``.
An NDC strength is structured: it is written out as one line ("Each 15 mL contains: Magnesium
Hydroxide 1200 mg") for the label reader. A label's text is read as printed.
"""

import re
from collections.abc import Iterator
from typing import Any

from mgcalc.datasets.common import figure_text, is_magnesium, text_of, title
from mgcalc.datasets.record import Figure, Item, Problem, Record, Skip

LABEL = "openfda-label"
NDC = "openfda-ndc"
NDC_LINK = 'https://api.fda.gov/drug/ndc.json?search=product_ndc:"{ndc}"'
SET_LINK = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
#: The sections a label's magnesium figures are printed in: OTC Drug Facts, then Rx labels.
_FIGURE_SECTIONS = ("active_ingredient", "description", "spl_unclassified_section")
_DIRECTIONS = "dosage_and_administration"
_LABEL_FIELDS = frozenset({"set_id", "spl_product_data_elements", "active_ingredient", "effective_time",
                           "package_label_principal_display_panel", "description", "indications_and_usage"})
_STRENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*/\s*([0-9]+(?:\.[0-9]+)?)?\s*([A-Za-z]*)\s*$")


def is_ndc(value: dict[str, Any]) -> bool:
    return "product_ndc" in value and "active_ingredients" in value


def is_label(value: dict[str, Any]) -> bool:
    return not is_ndc(value) and bool(_LABEL_FIELDS & value.keys())


def looks_like(value: dict[str, Any]) -> bool:
    return is_ndc(value) or is_label(value)


def records(value: Any, where: str) -> Iterator[Item]:
    if not isinstance(value, dict) or not looks_like(value):
        yield Problem(where, "not an openFDA drug/label or drug/ndc record (no product_ndc, set_id or sections)")
    elif is_ndc(value):
        yield from _ndc(value, where)
    else:
        yield from _label(value, where)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() or None if isinstance(value, str) else None


def _ndc(value: dict[str, Any], where: str) -> Iterator[Item]:
    ndc = _first(value.get("product_ndc"))
    if ndc is None:
        yield Problem(where, "an NDC record without a product_ndc")
        return
    ingredients = value.get("active_ingredients")
    if not isinstance(ingredients, list):
        yield Problem(where, "an NDC record whose active_ingredients is not a list", id=ndc)
        return
    form = (_first(value.get("dosage_form")) or "").lower()
    found = False
    for ingredient in ingredients:
        name = _first(ingredient.get("name")) if isinstance(ingredient, dict) else None
        if name is None or not is_magnesium(name):
            continue
        found = True
        strength = _first(ingredient.get("strength")) or ""
        match = _STRENGTH.match(strength)
        if match is None:
            yield Problem(where, f"strength {strength!r} of {name} is not AMOUNT UNIT/AMOUNT [UNIT], "
                                 "e.g. '400 mg/1'", id=ndc)
            continue
        amount, unit, per_amount, per_unit = float(match[1]), match[2], match[3] or "1", match[4]
        per = f"{per_amount} {per_unit}" if per_unit else per_amount
        if per_unit:
            basis, each = f"per {per}", f"Each {per} contains:"
        else:
            unit_word = form.split(",")[0] or "unit"
            basis = f"per {per} {unit_word}"
            each = f"Each {unit_word} contains:" if per_amount == "1" else f"Each {per} {unit_word} contains:"
        text = f"{each} {title(name)} {figure_text(amount)} {unit}"
        openfda = value.get("openfda") if isinstance(value.get("openfda"), dict) else None
        yield Record(NDC, ndc, _first(value.get("brand_name")), _first(value.get("labeler_name")), basis, text,
                     "structured", (Figure(name, amount, unit, per),), link=NDC_LINK.format(ndc=ndc), where=where,
                     set_id=_first(openfda.get("spl_set_id")) if openfda else None)
    if not found:
        yield Skip(NDC, ndc, "no magnesium active ingredient", where)


def _label(value: dict[str, Any], where: str) -> Iterator[Item]:
    set_id = _first(value.get("set_id"))
    version = _first(str(value["version"]) if isinstance(value.get("version"), (str, int)) else None)
    ident = f"{set_id} v{version}" if set_id and version else set_id or _first(value.get("id"))
    openfda: dict[str, Any] = value["openfda"] if isinstance(value.get("openfda"), dict) else {}
    product = _first(openfda.get("brand_name")) or _first(value.get("brand_name"))
    brand = _first(openfda.get("manufacturer_name"))
    link = SET_LINK.format(set_id=set_id) if set_id else None
    if ident is None:
        ident = f"(no set_id: {product or 'unnamed'})"
    section = next((s for s in _FIGURE_SECTIONS if _mentions_magnesium(text_of(value.get(s)))), None)
    if section is None:
        yield Skip(LABEL, ident, "no magnesium in the label's active ingredient or description", where)
        return
    text = text_of(value.get(section))
    directions = text_of(value.get(_DIRECTIONS))
    if section == "active_ingredient" and directions:
        text += "\n" + directions
    yield Record(LABEL, ident, product, brand, None, text, "printed", link=link, where=where,
                 notes=(f"read from the {section} section",), set_id=set_id or _first(openfda.get("spl_set_id")))


def _mentions_magnesium(text: str) -> bool:
    """Magnesium named as something other than an excipient ('magnesium stearate' alone does not count)."""
    return any(is_magnesium(m[0]) for m in re.finditer(r"magnes\w*(?:\s+\w+)?", text, re.IGNORECASE))
