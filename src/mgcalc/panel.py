"""Reading label text as printed, a line or a whole panel, in one way through.

text -> lines -> sections (by their headings: ``HEADINGS``) -> the basis phrases of every line
(``basis.find_bases``; read once, in one place, and blanked out) -> the directions (``basis.
read_directions``) -> each section's rows (``rows.rows``: one ingredient a row) -> the magnesium
rows' figures given their roles (``label.read_tokens``) -> one ``Reading``.

A Drug Facts panel prints the compound under "Active ingredient (in each 15 mL)" and the
magnesium under "Other information" ("each 15 mL contains: magnesium 500 mg"); a Supplement Facts
panel gives its serving ("Serving Size 2 Capsules"). Rows of other ingredients are kept (name
and figures) and never lend a figure to magnesium.
"""

import re
import unicodedata

from mgcalc.basis import (
    BASIS_VERBS,
    MEASURES,
    UNIT_WORDS,
    Basis,
    Found,
    daily_limit,
    decided,
    find_bases,
    millilitres,
    read_directions,
)
from mgcalc.errors import MgcalcError, shown
from mgcalc.label import (
    DECIMAL_COMMA,
    THOUSANDS_COMMA,
    Figure,
    Reading,
    Token,
    TokenKind,
    check_size,
    distinct_figures,
    normalize_per,
    read_tokens,
    words,
)
from mgcalc.rows import Row, rows, tokens_of

#: Panel headings (lower case, as a line starts; label_words.csv, kind heading) and what their section
#: holds. active: the compound; other: figures such as "each 15 mL contains: magnesium 500 mg"; facts:
#: Supplement Facts rows; directions: how much a day; skip: nothing a check reads (inactive ingredients
#: print magnesium stearate).
HEADINGS: tuple[tuple[str, str], ...] = tuple(words().basis.get("heading", {}).items())
_HEADING = re.compile(
    r"\s*(?:\d+(?:\.\d+)*\.?\s+)?(?P<name>"
    + "|".join(re.escape(h) for h, _ in sorted(HEADINGS, key=lambda h: -len(h[0])))  # the longest first
    + r")\b(?:\s*/\s*[^\W\d_]+)?\s*(?:\((?P<basis>[^)]*)\))?\s*(?P<colon>:?)\s*(?P<rest>.*)",
    re.IGNORECASE,
)
#: Headings whose text may go on, on the same line, with the section's first row; a directions
#: heading only after its colon ("Directions: take 2 tablets", not "Dosage Form").
_RUN_ON = frozenset({"supplement facts", "active ingredient", "active ingredients", "composition",
                     "other information", "active substance", "nutrition facts"})
#: Column headings of a facts table: not rows ("Amount Per Serving", "% Daily Value", "%NRV").
_TABLE_HEADER = re.compile(
    r"\bamount\s+per\s+serving\b|(?<![\d\s])\s*%\s*daily\s+values?\b|\beach\s+serving\s+contains\b"
    r"|(?<![\d\s])\s*%\s*\*?\s*(?:nrv|ri|vnr|rws)\b"  # a column's heading, not "15% NRV"
    r"|\bper\s+serving\b|\bamount\s+per\b|\bservings?\s+per\s+container\s*:?\s*(?:about\s+)?\d*",
    re.IGNORECASE)
#: Words of a directions line in a section that has no directions heading.
_DIRECTIONS_LINE = re.compile(r"^\s*(?:adults?\b|take\b|chew\b|dissolve\b|mix\b|swallow\b|for\s+adults\b)",
                              re.IGNORECASE)
_SECTION_ROLES = ("active", "other", "facts")
#: A magnesium figure's unit: a directions line with one is read for its figures too.
_FIGURE = re.compile(r"\d\s*(?:mg|g|mmol|meq|mval)\b", re.IGNORECASE)
#: Where a panel's lines break: line ends and bullets, and a heading run into the line before it
#: after a sentence ends or with its colon ("... 500mg). Directions: take 2 tablets twice daily").
_LINE_BREAKS = re.compile(
    r"[\r\n•■●]+|(?<=[.;)])\s+(?=(?:directions|suggested\s+use|recommended\s+use|warnings?|other\s+information"
    r"|inactive\s+ingredients?|other\s+ingredients|adults?\s+(?:take|chew)|take|chew)\b)"
    r"|\s+(?=(?:directions|suggested\s+use|recommended\s+use)\s*:)",
    re.IGNORECASE)


def read_panel(text: str) -> Reading:
    """Read label text of one or more lines (see the module's way through)."""
    check_size(text)
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")  # one spelling of "é", of a space
    lines = _serving_size_joined([line.strip() for line in _LINE_BREAKS.split(text) if line.strip()])
    sections = _sections(lines)
    decimal_commas = DECIMAL_COMMA.search(text) is not None
    label_wide: list[Found] = []  # serving sizes: the whole label's
    directions: list[str] = []
    readings: list[tuple[str, Reading]] = []
    others: list[Row] = []
    for role, heading, body in sections:
        if role == "directions":
            directions += body
            # "each 15 mL tablespoonful contains: magnesium 500 mg" printed among the directions
            body = [line for line in body if _names_magnesium(line) and _FIGURE.search(line)
                    and any(f.basis is not None and _leads(f, line) for f in find_bases(line))]
            if not body:
                continue
        if role == "skip":  # a warning's daily limit ("do not take more than 10 tablets in 24 hours")
            directions += [line for line in body if daily_limit(line) is not None]
            continue
        above = [f for f in find_bases(heading) if f.basis is None or f.basis.kind == "statement"]
        segments: list[tuple[list[Found], list[str]]] = [([], [])]  # (its statements, its lines)
        for line in body:
            if _DIRECTIONS_LINE.match(line) and not _names_magnesium(line):
                directions.append(line)
                continue
            phrases = find_bases(line)
            if _serving_directions(line, phrases):
                directions.append(line)
            label_wide += [f for f in phrases if f.basis is not None and f.basis.kind in ("serving", "daily")]
            blanked, start = _TABLE_HEADER.sub(" ", _blank(line, phrases)), 0
            for f in phrases:
                if f.basis is not None and f.basis.kind != "statement":
                    continue
                if _leads(f, line):  # "Each 100 mL contains ...", "One liter has ...": for what follows
                    segments[-1][1].append(blanked[start:f.start])
                    segments.append(([f], []))
                    start = f.end
                else:  # "... 290 mg per 1 fl oz": for the figures before it
                    segments[-1][0].append(f)
            segments[-1][1].append(blanked[start:])
        for i in range(len(segments) - 1, 0, -1):  # "Pour un comprimé pelliculé." after a list: the list's
            statements, segment = segments[i]
            if statements and not any(re.search(r"\d", line) for line in segment):
                segments[i - 1][0].extend(statements)
                statements.clear()
        for statements, segment in segments:
            section_rows = rows(tokens_of(segment))
            others += [r for r in section_rows if r.kind == "other"]
            for group in _magnesium_groups(section_rows):
                tokens = _joined(group)
                reading = read_tokens(tokens, " ".join(r.name for r in group))
                if decimal_commas:
                    reading = _thousands_unclear(reading, tokens)
                readings.append((role, _with_basis(reading, [*above, *statements])))
    if not readings:
        raise _no_magnesium(text, others)
    directions_read, directions_problem = read_directions(directions)
    reading = readings[0][1] if len(readings) == 1 else _combined(readings)
    own = [Found(reading.basis, 0, 0)] if reading.basis is not None else []
    return _with_basis(reading, [*label_wide, *own])._replace(
        directions=directions_read,
        directions_problem=directions_problem,
        other_ingredients=tuple((r.name, r.figures) for r in others if _weighed(r)),
    )


_LEADING = re.compile(r"^(?:in\s+)?(?:each|every)\b|:$|\b(?:" + "|".join(BASIS_VERBS) + r")$", re.IGNORECASE)


def _leads(found: Found, line: str) -> bool:
    """Whether a basis phrase is for what follows it ("Each 100 mL contains", "2 tablets provide:",
    "Per 2 caplets:", one opening its line), not for the figures before it ("... per 2 tablets")."""
    text = found.basis.text if found.basis is not None else ""
    if text.endswith("="):  # "Magnesium: 2 capsules = 300 mg": inside its row
        return False
    before = line[:found.start].strip(" -*.;,")
    return bool(_LEADING.search(text)) or not before or before.endswith(":")


def _on_basis(reading: Reading, per: str) -> tuple[Reading, tuple[str, ...]]:
    """A compound reading per one volume put on the magnesium figure's volume ("30 mg per 100 mL"
    beside "3 mEq per 1000 mL": 300 mg per 1000 mL), by pint; a count basis is never converted."""
    mine, theirs = normalize_per(reading.per or ""), normalize_per(per)
    if mine == theirs:
        return reading, ()
    have, want = millilitres(mine), millilitres(theirs)
    if have is None or want is None:
        return reading, ()
    scale = want / have
    compounds = tuple(f._replace(mg=f.mg * scale, per=theirs) for f in reading.compounds)
    note = (f"the compound is printed per {mine} and the magnesium per {theirs}: the compound is compared per "
            f"{theirs} ({reading.compound_mg or 0:g} mg x {scale:g})")
    return reading._replace(compounds=compounds, per=theirs, compound_mg=None if reading.compound_mg is None
                            else reading.compound_mg * scale), (note,)


def _thousands_unclear(reading: Reading, tokens: list[Token]) -> Reading:
    """In a text that writes decimal commas, '1,250 mg' may be 1250 mg or 1.25 mg: its row cannot be read."""
    for tok in tokens:
        number = THOUSANDS_COMMA.match(tok.text) if tok.kind == TokenKind.AMOUNT else None
        if number is not None:
            plain = number.group().replace(",", "")
            point = number.group().replace(",", ".", 1).replace(",", "")
            problem = (f"'{tok.text.strip()}' may be {plain} or {point} (the label writes decimal commas "
                       "elsewhere); mgcalc will not pick one")
            return reading._replace(problem="; ".join(filter(None, (reading.problem, problem))))
    return reading


def _weighed(row: Row) -> bool:
    """A row of another ingredient worth naming: one with an amount in a unit ("Zinc 15 mg")."""
    return any(t.kind == TokenKind.AMOUNT for t in row.tokens)


def _serving_size_joined(lines: list[str]) -> list[str]:
    """'Serving Size' on a line of its own and '2 Tablets' on the next are one line."""
    out: list[str] = []
    for line in lines:
        if out and re.fullmatch(r"serving\s+size\s*:?", out[-1], re.IGNORECASE):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _sections(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """(role, heading's bracket, lines) for each section. Lines before the first heading form a
    section of their own ("facts") unless a later heading names the actives or the facts, as a Drug
    Facts panel does after its product name."""
    sections: list[tuple[str, str, list[str]]] = [("facts", "", [])]
    for line in lines:
        m = _HEADING.match(line)
        role = dict(HEADINGS)[m["name"].lower()] if m else ""
        if m and m["rest"] and m["colon"] and role == "skip":
            continue  # "Inactive ingredients: ...", "Hilfsstoffe: ...": that line only, never read
        if m and (not m["rest"] or m["name"].lower() in _RUN_ON or (role != "facts" and m["colon"])):
            sections.append((role, m["basis"] or "", [m["rest"]] if m["rest"] else []))
        else:
            sections[-1][2].append(line)
    if any(role in _SECTION_ROLES for role, _, _ in sections[1:]):
        lead = sections[0][2]
        sections[0] = ("skip", "", [line for line in lead if not re.match(r"\s*serving\s+size", line, re.I)])
        for line in lead:  # a serving size printed above the heading still counts
            if re.match(r"\s*serving\s+size", line, re.IGNORECASE):
                sections.append(("facts", "", [line]))
    return sections


def _blank(line: str, phrases: list[Found]) -> str:
    """The line with its basis phrases replaced by spaces (their numbers are not figures)."""
    for f in reversed(phrases):
        line = line[:f.start] + " " * (f.end - f.start) + line[f.end:]
    return line


def _serving_directions(line: str, phrases: list[Found]) -> bool:
    """'Serving Size: 1 tablet twice daily': the serving line is also a direction."""
    return any(f.basis is not None and f.basis.kind == "serving" for f in phrases) and bool(
        re.search(r"\b(?:once|twice|three\s+times|\d\s+times|daily|a\s+day|per\s+day)\b", line, re.IGNORECASE))


def _names_magnesium(line: str) -> bool:
    return bool(re.search(r"\bmagnes|\bmg\s*(?:2\+|\+\+)", line, re.IGNORECASE))


def _magnesium_groups(section_rows: list[Row]) -> list[list[Row]]:
    """Runs of magnesium rows (with the rows of bare figures that follow them): each run is read as
    one statement, so a compound and its magnesium printed on two rows still pair."""
    groups: list[list[Row]] = []
    current: list[Row] = []
    for row in section_rows:
        if row.kind == "magnesium" or (row.kind == "figures" and current):
            current.append(row)
        elif row.kind == "text" and current:
            continue
        else:
            if current:
                groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _joined(group: list[Row]) -> list[Token]:
    """The rows' tokens as one statement; a row that opens with its own name is fenced off (";") so
    that no figure of the row before takes that name for its own ("... 1863 mg. / Magnesium-...")."""
    out: list[Token] = []
    for row in group:
        if out and row.tokens[0].kind in (TokenKind.MG, TokenKind.FORM, TokenKind.SALT):
            out.append(Token(TokenKind.SEMICOLON, ";", -1))
        out += row.tokens
    return out


def _no_magnesium(text: str, others: list[Row]) -> MgcalcError:
    excipient = next((t.form.form for r in others for t in r.tokens
                      if t.kind == TokenKind.FORM and t.form is not None and t.form.form.kind == "excipient"), None)
    if excipient is not None:
        return MgcalcError(f"the label {shown(text)} names only {excipient.name}, which is not a magnesium "
                           f"source: {excipient.note}")
    return MgcalcError(
        f"cannot read the label {shown(text)}: it names no magnesium; write it as printed, "
        "e.g. 'Magnesium 200 mg (as magnesium citrate 1,250 mg)'"
    )


def _with_basis(reading: Reading, found: list[Found]) -> Reading:
    """The reading with the basis its phrases state, decided in one place (``basis.decided``);
    a figure with a basis of its own ("1200 mg/15 mL") must agree with it."""
    basis, problem = decided(found)
    problems = [reading.problem] if reading.problem else []
    if problem:
        problems.append(problem)
    per = reading.per
    own = UNIT_WORDS.get(normalize_per(per).lower()) if per else None  # "500 mg/capsule": one unit's
    if basis is not None and basis.several and own == basis.unit:
        # a serving of 2 capsules, figures printed per capsule: the figures are one capsule's
        basis = Basis(1, own, None, f"{per} (each figure's own)", "statement")
    elif basis is not None and basis.several and own is not None and own not in MEASURES:
        problems.append(f"its figures are per {own} beside a serving of {basis.described()}")
    if basis is not None:
        if per and per != "serving" and normalize_per(per) != normalize_per(basis.per) and not basis.several:
            problems.append(f"its figures are on different bases ({per}, {basis.per})")
        per = basis.per
    serving = (basis.units, basis.unit) if basis is not None and basis.several else None
    if basis is not None and basis.unit == "serving":
        serving = (1.0, "serving")
    return reading._replace(basis=basis, per=None if problem else per, serving=serving,
                            problem="; ".join(dict.fromkeys(problems)) or None)


def _combined(readings: list[tuple[str, Reading]]) -> Reading:
    """One reading from several magnesium rows apart (sections, or rows with others between):
    the magnesium from any, the compound from the active section first, paired only on one basis."""
    problems = [r.problem for _, r in readings if r.problem]
    notes = tuple(dict.fromkeys(n for _, r in readings for n in r.notes))
    declared = [(r.declared_mg, r.per) for _, r in readings if r.declared_mg is not None]
    compound_readings = [r for role, r in readings if r.compounds and role == "active"] or \
                        [r for _, r in readings if r.compounds]
    source = compound_readings[0] if compound_readings else None
    forms = tuple({f.form.id: f for _, r in readings for f in r.forms}.values())
    distinct = distinct_figures([Figure(mg, str(mg), "magnesium", per=per or "") for mg, per in declared])
    if len(distinct) > 1:
        problems.append("the panel prints several figures for magnesium (" +
                        ", ".join(f"{f.mg:g} mg" for f in distinct) + ")")
    if len(compound_readings) > 1:
        problems.append("the panel prints several magnesium compounds' weights in rows apart")
    bases = {normalize_per(p) for _, p in declared if p}
    if source is not None and source.per and len(bases) == 1:
        source, note = _on_basis(source, next(iter(bases)))
        notes = (*notes, *note)
    if source is not None and source.per:
        bases.add(normalize_per(source.per))
    if len(bases) > 1:
        problems.append("its figures are on different bases (" + ", ".join(sorted(bases)) + ")")
    elif source is not None and not source.per and any(
            r.declared_mg is not None and r.per and r is not source for _, r in readings):
        problems.append("the panel does not say what the compound figure is per, so it cannot be paired with "
                        "the magnesium figure (per " + next(r.per for _, r in readings if r.per) + ")")
    elif source is not None and declared and not bases \
            and not any(r.declared_mg is not None and r.compounds for _, r in readings):
        problems.append("the panel does not say what its figures are per, so they cannot be paired")
    dv = next((r.percent_dv_printed for _, r in readings if r.percent_dv_printed is not None), None)
    per = next(iter(bases)) if len(bases) == 1 and not problems else None
    stated = [r.basis for _, r in readings if r.basis is not None]
    basis = stated[0] if stated and per and decided([Found(b, 0, 0) for b in stated])[1] is None else None
    return Reading(
        declared_mg=distinct[0].mg if distinct else None,
        compound_mg=source.compound_mg if source else None,
        form=source.form if source else (forms[0] if len(forms) == 1 else None),
        forms=forms,
        compounds=source.compounds if source else (),
        per=per,
        percent_dv_printed=dv,
        problem="; ".join(dict.fromkeys(problems)) or None,
        notes=notes,
        basis=basis,
    )
