"""NIH Dietary Supplement Label Database (DSLD) label records (API v9 and the bulk JSON download).

Fields (knorby/nih-dsld-client ``src/types/label.ts``): ``id``, ``fullName``, ``brandName``,
``servingSizes[]``, ``ingredientRows[]`` with ``name``, ``ingredientGroup``, ``quantity[]``
(``quantity``, ``unit``, ``dailyValueTargetGroup[].percent``), ``forms[]`` (``prefix``, ``name``)
and ``nestedRows[]``. Each magnesium row (with the rows nested under it) becomes one Supplement
Facts line the label reader reads, as the panel prints it: "Magnesium (as magnesium oxide) 225 mg 56%".
"""

from collections.abc import Iterator
from typing import Any

from mgcalc.datasets.common import figure_text, is_excipient, is_magnesium, number
from mgcalc.datasets.record import Figure, Item, Problem, Record, Skip

KIND = "dsld"
LINK = "https://dsld.od.nih.gov/label/{id}"


def looks_like(value: dict[str, Any]) -> bool:
    return "ingredientRows" in value or ("fullName" in value and "id" in value)


def records(value: Any, where: str) -> Iterator[Item]:
    """The magnesium rows of one DSLD label record."""
    if not isinstance(value, dict) or not looks_like(value):
        yield Problem(where, "not a DSLD label record (no ingredientRows)")
        return
    ident = value.get("id")
    if not isinstance(ident, (int, str)) or isinstance(ident, bool) or str(ident) == "":
        yield Problem(where, "a DSLD record without an id")
        return
    rows = value.get("ingredientRows")
    if not isinstance(rows, list):
        yield Problem(where, "a DSLD record whose ingredientRows is not a list", id=str(ident))
        return
    product = _string(value.get("fullName"))
    brand = _string(value.get("brandName"))
    serving = _serving(value.get("servingSizes"))
    found = False
    for row in rows:
        if not isinstance(row, dict):
            yield Problem(where, "an ingredient row that is not an object", id=str(ident))
            continue
        if not _is_magnesium_row(row):
            continue
        found = True
        lines, figures = _lines(row, 0)
        text = "\n".join(([f"Serving Size {serving}"] if serving else []) + lines)
        yield Record(KIND, str(ident), product, brand, f"per {serving}" if serving else None, text,
                     "structured", tuple(figures), link=LINK.format(id=ident), where=where)
    if not found:
        yield Skip(KIND, str(ident), "no magnesium ingredient row", where)


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _is_magnesium_row(row: dict[str, Any]) -> bool:
    """A row of magnesium by its name or DSLD's group; magnesium stearate and the like never."""
    name = _string(row.get("name")) or ""
    group = _string(row.get("ingredientGroup")) or ""
    return not is_excipient(name) and (is_magnesium(name) or is_magnesium(group))


def _serving(sizes: Any) -> str | None:
    if not isinstance(sizes, list) or not sizes or not isinstance(sizes[0], dict):
        return None
    size = sizes[0]
    amount = number(size.get("minQuantity"))
    unit = _string(size.get("unit"))
    if amount is None or unit is None:
        return None
    return f"{figure_text(amount)} {unit}"


def _lines(row: dict[str, Any], depth: int) -> tuple[list[str], list[Figure]]:
    name = _string(row.get("name")) or "Magnesium"
    forms = [f for f in row.get("forms") or [] if isinstance(f, dict) and _string(f.get("name"))]
    if forms:
        prefix = _string(forms[0].get("prefix")) or "as"
        name += f" ({prefix} " + ", ".join(_string(f.get("name")) or "" for f in forms) + ")"
    quantity = next((q for q in row.get("quantity") or [] if isinstance(q, dict)), None)
    amount = number(quantity.get("quantity")) if quantity else None
    unit = _string(quantity.get("unit")) if quantity else None
    percent, operator = _percent(quantity)
    line = name
    if amount is not None and unit and unit.upper() != "NP" and amount > 0:
        line += f" {figure_text(amount)} {unit}"
        if percent is not None:  # DSLD's operator keeps a "<1%" a "<1%", never a bare 1 or 0
            line += f" {'<' if operator == '<' else ''}{figure_text(percent)}%"
    lines = ["  " * depth + line]
    figures = [Figure(_string(row.get("name")) or "Magnesium", amount, unit or "", None, None, percent)]
    if depth < 4:
        for child in row.get("nestedRows") or []:
            if isinstance(child, dict) and is_magnesium(_string(child.get("name")) or ""):
                more, more_figures = _lines(child, depth + 1)
                lines += more
                figures += more_figures
    return lines, figures


def _percent(quantity: dict[str, Any] | None) -> tuple[float | None, str | None]:
    """The first %DV of a quantity, and its operator ('=', '<') as DSLD stores it."""
    if not quantity:
        return None, None
    groups = quantity.get("dailyValueTargetGroup")
    if not isinstance(groups, list):
        return None, None
    for group in groups:
        if isinstance(group, dict) and (value := number(group.get("percent"))) is not None:
            operator = group.get("operator")
            return value, operator.strip() if isinstance(operator, str) else None
    return None, None
