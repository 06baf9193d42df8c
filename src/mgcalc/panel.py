"""Reading a whole label panel: US Drug Facts, Supplement Facts, or a composition over several lines.

A Drug Facts panel prints the compound under "Active ingredient (in each 15 mL)" and the
magnesium under "Other information" ("each 15 mL contains: magnesium 500 mg"). The panel is cut
into sections by their headings (data: ``HEADINGS``); the lines of the sections that bear on
magnesium are read with ``label.read_label``, and their figures are paired only on the same
basis. A Supplement Facts panel gives its serving ("Serving Size 2 Capsules"). Text without
headings is read as one statement.
"""

import re

from mgcalc.errors import MgcalcError, shown
from mgcalc.label import (
    BASIS_WORDS,
    Reading,
    check_size,
    distinct_figures,
    normalize_per,
    read_label,
    statement_basis,
    tokenize,
)

#: Panel headings (lower case, as a line starts) and what their section holds. active: the
#: compound; other: figures such as "each 15 mL contains: magnesium 500 mg"; facts: Supplement
#: Facts rows; skip: nothing a check reads (directions print volumes, inactive ingredients
#: magnesium stearate).
HEADINGS: tuple[tuple[str, str], ...] = (
    ("active ingredients", "active"), ("active ingredient", "active"), ("active substances", "active"),
    ("active substance", "active"), ("medicinal ingredients", "active"), ("medicinal ingredient", "active"),
    ("other information", "other"),
    ("supplement facts", "facts"), ("nutrition facts", "facts"), ("composition", "facts"),
    ("purpose", "skip"), ("uses", "skip"), ("use", "skip"), ("warnings", "skip"), ("directions", "skip"),
    ("inactive ingredients", "skip"), ("inactive ingredient", "skip"), ("other ingredients", "skip"),
    ("non-medicinal ingredients", "skip"), ("nonmedicinal ingredients", "skip"), ("excipients", "skip"),
    ("questions", "skip"), ("storage", "skip"), ("drug facts", "skip"), ("principal display panel", "skip"),
    ("package label", "skip"), ("suggested use", "skip"), ("keep out of reach", "skip"),
    ("ask a doctor", "skip"), ("stop use", "skip"), ("do not use", "skip"), ("if pregnant", "skip"),
)
_HEADING = re.compile(
    r"\s*(?P<name>" + "|".join(re.escape(h) for h, _ in HEADINGS)
    + r")\b\s*(?:\((?P<basis>[^)]*)\))?\s*:?\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_SERVING = re.compile(r"serving\s+size\s*:?\s*(?P<size>[^|]*)", re.IGNORECASE)
#: Lines of a Supplement Facts header, read past.
_FACTS_HEADER = re.compile(r"amount\s+per\s+serving|%\s*daily\s+value|each\s+serving\s+contains", re.IGNORECASE)


def read_panel(text: str) -> Reading:
    """Read label text of one or more lines: a panel by its sections, else one statement."""
    check_size(text)
    lines = [line.strip() for line in re.split(r"[\r\n•■]+", text) if line.strip()]
    if len(lines) <= 1:
        return read_label(text.strip())
    sections = _sections(lines)
    serving = _serving(lines)
    if not any(role in ("active", "other", "facts") for role, _, _ in sections):
        body = [line for line in lines if not _SERVING.match(line) and not _FACTS_HEADER.search(line)]
        return read_label(" ".join(body))._replace(serving=serving, per=_per(serving, None))
    readings: list[tuple[str, Reading]] = []
    for role, basis, body in sections:
        if role == "skip" or not body:
            continue
        if role == "active":
            readings.append((role, _with_basis(read_label(" ".join(body)), basis)))
            continue
        section_basis = basis or _section_basis(body)
        for line in body:
            if _SERVING.match(line) or (_FACTS_HEADER.search(line) and "magnes" not in line.lower()):
                continue
            if not _mentions_magnesium(line):
                continue
            readings.append((role, _with_basis(read_label(line), section_basis)))
    if not readings:
        raise MgcalcError(f"cannot read the label {shown(text)}: no line of its panel names magnesium")
    return _combined(readings, serving)


def _sections(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """(role, basis from the heading, lines) for each section; lines before the first heading are skipped."""
    sections: list[tuple[str, str, list[str]]] = []
    for line in lines:
        m = _HEADING.match(line)
        if m and (not m["rest"] or m["name"].lower() in ("supplement facts", "active ingredient",
                                                          "active ingredients", "composition", "other information",
                                                          "active substance")):
            role = dict(HEADINGS)[m["name"].lower()]
            basis = statement_basis(tokenize(m["basis"])) if m["basis"] else ""
            sections.append((role, basis, [m["rest"]] if m["rest"] else []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def _mentions_magnesium(line: str) -> bool:
    return any(t.kind in ("mg", "form", "salt") or (t.kind == "amount" and t.unit == "magnesium")
               for t in tokenize(line))


def _section_basis(lines: list[str]) -> str:
    """'each 15 mL tablespoonful contains:' anywhere in the section is the basis of its figures."""
    for line in lines:
        basis = statement_basis(tokenize(line))
        if basis:
            return basis
    return ""


def _with_basis(reading: Reading, basis: str) -> Reading:
    if reading.per or not basis:
        return reading
    return reading._replace(per=normalize_per(basis))


def _serving(lines: list[str]) -> tuple[float, str] | None:
    """'Serving Size 2 Capsules' -> (2, 'capsule'); 'Serving Size: 2.5 gm' -> (1, 'serving')."""
    for line in lines:
        m = _SERVING.search(line)
        if m:
            words = m["size"].split()
            if len(words) >= 2 and re.fullmatch(r"\d+(?:\.\d+)?", words[0]):
                for word in words[1:3]:
                    unit = BASIS_WORDS.get(word.lower().rstrip(".,"))
                    if unit:
                        return float(words[0]), unit
            return 1.0, "serving"
    return None


def _per(serving: tuple[float, str] | None, per: str | None) -> str | None:
    return "serving" if serving else per


def _combined(readings: list[tuple[str, Reading]], serving: tuple[float, str] | None) -> Reading:
    """One reading for the panel: the magnesium from any section, the compound from the active one,
    paired only when their bases agree."""
    problems = [r.problem for _, r in readings if r.problem]
    notes = tuple(dict.fromkeys(n for _, r in readings for n in r.notes))
    declared = [(r.declared_mg, r.per) for _, r in readings if r.declared_mg is not None]
    compound_readings = [r for role, r in readings if r.compounds and role == "active"] or \
                        [r for _, r in readings if r.compounds]
    source = compound_readings[0] if compound_readings else None
    forms = tuple({f.form.id: f for _, r in readings for f in r.forms}.values())
    from mgcalc.label import Figure

    distinct = distinct_figures([Figure(mg, str(mg), "magnesium", per=per or "") for mg, per in declared])
    if len(distinct) > 1:
        problems.append("the panel prints several figures for magnesium (" +
                        ", ".join(f"{f.mg:g} mg" for f in distinct) + ")")
    bases = {normalize_per(p) for _, p in declared if p}
    if source is not None and source.per:
        bases.add(normalize_per(source.per))
    if len(bases) > 1:
        problems.append("its figures are on different bases (" + ", ".join(sorted(bases)) + ")")
    elif source is not None and not source.per and any(
            r.declared_mg is not None and r.per and r is not source for _, r in readings):
        problems.append("the panel does not say what the compound figure is per, so it cannot be paired with "
                        "the magnesium figure (per " + next(r.per for _, r in readings if r.per) + ")")
    elif source is not None and declared and not bases and len(readings) > 1 \
            and not any(r.declared_mg is not None and r.compounds for _, r in readings):
        problems.append("the panel does not say what its figures are per, so they cannot be paired")
    dv = next((r.percent_dv_printed for _, r in readings if r.percent_dv_printed is not None), None)
    per = next(iter(bases)) if len(bases) == 1 and not problems else None
    return Reading(
        declared_mg=distinct[0].mg if distinct else None,
        compound_mg=source.compound_mg if source else None,
        form=source.form if source else (forms[0] if len(forms) == 1 else None),
        forms=forms,
        compounds=source.compounds if source else (),
        per="serving" if serving and not per else per,
        percent_dv_printed=dv,
        problem="; ".join(dict.fromkeys(problems)) or None,
        notes=notes,
        serving=serving,
    )
