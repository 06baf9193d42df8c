"""The forms table: which magnesium compounds exist and how much magnesium each carries.

(No ``from __future__ import annotations`` here, in references.py, dose.py or cli.py: string
annotations make every NamedTuple field and every typer parameter cost a compile() at start-up.)

The table is data (``data/forms.csv``, shipped inside the package as ``mgcalc/data/forms.csv``).
This module loads and validates it and finds a row from what a person typed: an id, a name,
an alias or a chemical formula (matched by composition, so any correct way of writing a
formula finds its row).
"""

import math
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from typing import Literal, NamedTuple

from mgcalc.errors import FormsTableError, MgcalcError, shown
from mgcalc.tables import optional_number, read_table, table_rows

# stoichiometric: percentage from the formula; declared: set by the maker; range: a pharmacopoeial
# substance with a specified content range (percent_elemental is its midpoint); excipient: not a source.
Kind = Literal["stoichiometric", "declared", "range", "excipient"]
KINDS: tuple[str, ...] = ("stoichiometric", "declared", "range", "excipient")
COLUMNS: tuple[str, ...] = (
    "id", "name", "aliases", "formula", "percent_elemental", "kind", "family", "source", "note",
    "percent_min", "percent_max",
)
_OPTIONAL_COLUMNS = ("percent_min", "percent_max")
_RESOLVED_MAX = 4096
#: Longest form name or formula accepted from a user.
FORM_MAX_CHARS = 100
_HYDRATION_WORDS = ("anhydrous", "hydrate", "h2o")
_FORMULA_TEXT = r"[A-Za-z0-9().·•* ]+"  # compiled on first use
_FORMULA_COUNT_MAX = 999


# Records are NamedTuples: immutable like frozen dataclasses, and about six times cheaper to
# define at import, which every call pays for (see bench/startup.py).


class Form(NamedTuple):
    """One row of the forms table."""

    id: str
    name: str
    aliases: tuple[str, ...]
    formula: str
    percent_elemental: float
    kind: Kind
    family: str
    source: str
    note: str
    percent_min: float | None = None
    percent_max: float | None = None

    @property
    def label(self) -> str:
        """Name, formula and content for people: 'magnesium oxide (MgO, 60.30 % Mg)'."""
        kind = {"declared": ", declared by the maker", "range": ", pharmacopoeial range"}.get(self.kind, "")
        formula = f"{self.formula}, " if self.formula and self.kind != "range" else ""
        return f"{self.name} ({formula}{self.content} Mg{kind})"

    @property
    def content(self) -> str:
        """'16.16 %', or '24.12-26.23 %' for a range row."""
        if self.percent_min is not None and self.percent_max is not None:
            return f"{self.percent_min:.2f}-{self.percent_max:.2f} %"
        return f"{self.percent_elemental:.2f} %"

    def as_dict(self) -> dict[str, object]:
        """The row with the CSV's columns, aliases as a list (the ``forms --json`` contract)."""
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "formula": self.formula,
            "percent_elemental": self.percent_elemental,
            "kind": self.kind,
            "family": self.family,
            "source": self.source,
            "note": self.note,
            "percent_min": self.percent_min,
            "percent_max": self.percent_max,
        }


class Resolution(NamedTuple):
    """A form found from a query, and the other rows a reader may have meant."""

    query: str
    form: Form
    by: Literal["id", "name", "alias", "formula", "computed"]
    #: Other rows of the same family, when the query did not say which hydration state.
    alternatives: tuple[Form, ...] = ()

    def note(self) -> str | None:
        """What a reader should know about how the query was read, or None when it was exact."""
        if self.by == "computed":
            return (
                f"{self.form.formula} is not in the forms table: its {self.form.percent_elemental:.2f} % Mg "
                "was computed from the formula (molmass, standard atomic weights)"
            )
        if self.by == "formula" and clean_formula(self.query) != self.form.formula:
            return (
                f"{shown(self.query)} has the composition of {self.form.name} ({self.form.formula}), so it was "
                f"read as that row ({self.form.percent_elemental:.2f} % Mg, the same for any compound of that "
                "composition)"
            )
        if not self.alternatives:
            return None
        others = "; ".join(f"{f.name} ({f.content})" for f in self.alternatives)
        return (
            f"{shown(self.query)} was read as {self.form.name} "
            f"({self.form.percent_elemental:.2f} % Mg); other forms of {self.form.family}: {others}"
        )


# ASCII characters a lookup key drops: all but letters, digits and ":" (as in "citrate 1:1").
_ASCII_DROPPED = dict.fromkeys(code for code in range(128) if not (chr(code).isalnum() or chr(code) == ":"))


def normalize(text: str) -> str:
    """The lookup key of a name: case, spaces, punctuation and a leading 'magnesium' ignored."""
    if text.isascii():  # every name in the table, read at each start: one C call, not a loop
        key = text.lower().translate(_ASCII_DROPPED)
    else:
        import unicodedata  # only non-ASCII text needs it

        folded = unicodedata.normalize("NFKC", text).casefold()
        key = "".join(ch for ch in folded if ch.isalnum() or ch == ":")
    return key.removeprefix("magnesium")


class FormsTable:
    """The validated rows, indexed by every name each can be called."""

    def __init__(self, forms: tuple[Form, ...], origin: str, by_key: dict[str, tuple[Form, str, str]]) -> None:
        self.forms = forms
        self.origin = origin
        self._by_key = by_key
        self._resolved: dict[str, Resolution] = {}

    def __iter__(self) -> Iterator[Form]:
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def spellings(self) -> list[str]:
        """Every key a name resolves by (names, aliases and formulas, normalised), for suggestions."""
        return list(self._by_key)

    def by_id(self, form_id: str) -> Form:
        """The row with this exact id (for code and tests)."""
        for form in self.forms:
            if form.id == form_id:
                return form
        raise MgcalcError(f"no form with id {shown(form_id)}")

    def family(self, form: Form) -> tuple[Form, ...]:
        """The other rows of a form's family (other hydration states and salts)."""
        return tuple(f for f in self.forms if f.family == form.family and f is not form)

    def resolve(self, query: str) -> Resolution:
        """Find the row a person means by ``query``; raise MgcalcError saying what would work.

        Found forms are remembered (batch work names the same few forms again and again).
        """
        found = self._resolved.get(query)
        if found is None:
            found = self._resolve(query)
            if len(self._resolved) >= _RESOLVED_MAX:
                self._resolved.clear()
            self._resolved[query] = found
        return found

    def knows(self, query: str) -> bool:
        """Whether ``query`` names a row (as ``resolve`` would find it), without working out the
        suggestions an unknown name gets (the tables' load-time checks ask this for every name)."""
        try:
            return self._found(query) is not None
        except MgcalcError:
            return False

    def _resolve(self, query: str) -> Resolution:
        found = self._found(query)
        if found is None:
            raise MgcalcError(self._unknown(query, normalize(query)))
        return found

    def _found(self, query: str) -> Resolution | None:
        if len(query) > FORM_MAX_CHARS:
            raise MgcalcError(f"form name is too long ({len(query)} characters; at most {FORM_MAX_CHARS})")
        key = normalize(query)
        if not key:
            raise MgcalcError(f"form {shown(query)} names no compound; try e.g. citrate or oxide")
        hit = self._by_key.get(key)
        if hit is not None:
            form, by, _ = hit
            explicit = by == "id" or any(word in key for word in _HYDRATION_WORDS)
            alternatives = () if explicit else self.family(form)
            return Resolution(query, form, by, alternatives)  # type: ignore[arg-type]
        if re.fullmatch(_FORMULA_TEXT, query.strip()) and any(ch.isupper() for ch in query):
            by_formula = self._by_formula(query)
            if by_formula is not None:
                return by_formula
        return None

    def search(self, word: str) -> tuple[Form, ...]:
        """Rows whose id, name, aliases, family or formula contain ``word`` (case ignored)."""
        needle = normalize(word) or word.casefold()
        return tuple(
            f for f in self.forms
            if any(needle in normalize(t) for t in (f.id, f.name, f.family, *f.aliases))
            or needle in f.formula.casefold()
        )

    def _unknown(self, query: str, key: str) -> str:
        matches = close_matches(key, self._by_key, n=8, cutoff=0.6)
        first_per_form: dict[str, str] = {}
        for m in matches:
            form, _, spelling = self._by_key[m]
            first_per_form.setdefault(form.id, spelling)
        spelled = list(first_per_form.values())[:3]
        hint = (
            "did you mean " + " or ".join(repr(s) for s in spelled) + "?"
            if spelled
            else "run 'mgcalc forms' to list the forms"
        )
        return f"unknown form {shown(query)}; {hint}"

    def _by_formula(self, query: str) -> Resolution | None:
        """The row with the formula's composition; else a form computed from the formula."""
        parsed = parse_formula(query)
        if parsed is None:
            return None
        if not parsed.percent_mg:
            raise MgcalcError(f"formula {shown(query)} contains no magnesium")
        form = self._compositions.get(parsed.composition)
        if form is not None:
            return Resolution(query, form, "formula")
        computed = Form(
            id=f"formula:{parsed.text}",
            name=f"{parsed.text} (computed)",
            aliases=(),
            formula=parsed.text,
            percent_elemental=parsed.percent_mg,
            kind="stoichiometric",
            family="computed",
            source="computed from the formula with molmass and standard atomic weights",
            note="not a row of the forms table",
        )
        return Resolution(query, computed, "computed")

    @cached_property
    def _compositions(self) -> dict[frozenset[tuple[str, int]], Form]:
        index: dict[frozenset[tuple[str, int]], Form] = {}
        for form in self.forms:
            composition = formula_composition(form.formula)
            if composition is not None:
                index.setdefault(composition, form)
        return index


class ParsedFormula(NamedTuple):
    """A formula as molmass read it: its text, element counts and magnesium mass percentage."""

    text: str
    composition: frozenset[tuple[str, int]]
    percent_mg: float


def formula_composition(text: str) -> frozenset[tuple[str, int]] | None:
    """Element counts of a formula (hydrates written with '.', '·' or '*'), or None if unparsable."""
    parsed = parse_formula(text)
    return None if parsed is None else parsed.composition


#: Elements a formula typed for a magnesium source may contain. molmass reads any element symbol
#: and many abbreviations ("Ac" is actinium, "Gly" a glycine residue, "Cit" citrulline), so a
#: formula with anything else is refused rather than computed. The list covers the compounds
#: sold or dispensed as magnesium sources: organic acid and amino-acid salts (C, H, N, O, S),
#: phosphates (P), halides (F, Cl, Br, I), silicates and borates (Si, B), and the double salts and
#: antacid mixtures with sodium, potassium, calcium, aluminium and zinc (Na, K, Ca, Al, Zn).
FORMULA_ELEMENTS = frozenset(
    ("Mg", "H", "C", "N", "O", "P", "S", "F", "Cl", "Br", "I", "Si", "B", "Na", "K", "Ca", "Al", "Zn")
)
#: What people abbreviate in a formula, and the form they likely mean: the suggestion in a refusal.
FORMULA_ABBREVIATIONS: dict[str, str] = {
    "Ac": "acetate", "OAc": "acetate", "Gly": "glycinate", "Cit": "citrate", "Asp": "aspartate",
    "Glu": "gluconate or glutamate", "Lac": "lactate", "Mal": "malate", "Oro": "orotate", "Tau": "taurate",
    "Thr": "threonate", "Pic": "picolinate", "Fum": "fumarate", "Suc": "succinate", "Asc": "ascorbate",
    "Glp": "pidolate", "Pyr": "pidolate", "Pid": "pidolate", "Gp": "glycerophosphate",
}
_SYMBOL = r"[A-Z][a-z]*"  # an element symbol, or a longer abbreviation: checked against the lists above


def clean_formula(text: str) -> str | None:
    """A formula as molmass takes it: hydrate dots unified, spaces around them and before a hydrate
    count dropped ("MgSO4 · 7 H2O" -> "MgSO4.7H2O"); None when spaces remain (not one formula)."""
    cleaned = re.sub(r"\s*[.·•*]\s*", ".", text.strip())
    cleaned = re.sub(r"(?<![A-Za-z0-9)\]])([0-9]+)\s+(?=H2O\b)", r"\1", cleaned)  # ".7 H2O", " 6 H2O"
    cleaned = re.sub(r"\s+(?=[0-9]*H2O\b)", ".", cleaned)  # "MgCl2 6H2O"
    return None if re.search(r"\s", cleaned) else cleaned


def foreign_symbol(cleaned: str) -> tuple[str, str] | None:
    """The first symbol of a formula outside FORMULA_ELEMENTS, and what it is, or None.

    What it is: an element outside the list, or an abbreviation (one of molmass's groups, or a
    common one); "" for a symbol that is neither, which makes the text no formula (the caller then
    treats it as an unknown name).
    """
    from molmass import ELEMENTS, GROUPS  # formulas are rare: import on first use

    for symbol in re.findall(_SYMBOL, cleaned):
        if symbol in FORMULA_ELEMENTS:
            continue
        if symbol in ELEMENTS:
            return symbol, f"is {ELEMENTS[symbol].name.lower()} here, an element no magnesium supplement contains"
        if symbol in GROUPS or symbol in FORMULA_ABBREVIATIONS:
            return symbol, "is no element symbol (molmass would read it as an abbreviation)"
        return symbol, ""
    return None


def parse_formula(text: str) -> ParsedFormula | None:
    """Parse a formula with molmass; None if it is not one. MgcalcError for a symbol outside the
    allowed elements (FORMULA_ELEMENTS), an abbreviation, or absurd counts."""
    if len(text) > FORM_MAX_CHARS:
        return None
    cleaned = clean_formula(text)
    if cleaned is None or "[" in cleaned or "]" in cleaned:
        return None
    if re.search(r"\.[0-9]*\.[0-9]", cleaned):
        # molmass would read "MgCl2.1.5H2O" as MgCl2 . 1 . 5H2O, the pentahydrate
        raise MgcalcError(
            f"formula {shown(text)} has a decimal hydrate count; mgcalc reads whole counts only: name the "
            "form, or write the formula for whole units, e.g. (MgCl2)2.3H2O for MgCl2.1.5H2O"
        )
    if re.search(r"(?:^|\.)[0-9]*H20(?:$|\.)", cleaned):
        raise MgcalcError(f"formula {shown(text)} has H20 (twenty hydrogens); did you mean H2O, water, with the "
                          "letter O?")
    foreign = foreign_symbol(cleaned)
    if foreign is not None:
        symbol, what = foreign
        if not what:
            return None
        meant = FORMULA_ABBREVIATIONS.get(symbol)
        hint = f"did you mean {meant}? Name the form instead, e.g. '{meant.split()[0]}'" if meant else (
            "write the formula with element symbols only, or name the form ('mgcalc forms' lists them)"
        )
        raise MgcalcError(f"formula {shown(text)}: {symbol!r} {what}; {hint}")
    glued = re.search(r"(?<=[A-Za-z)])[0-9]+(?=H2O$)", cleaned)
    if glued:
        raise MgcalcError(
            f"formula {shown(text)}: the count before H2O runs into the one before it ({glued.group()}); "
            "separate the water of hydration with a dot, e.g. MgSO4.7H2O"
        )
    if any(len(n) > 3 for n in re.findall(r"[0-9]+", cleaned)):
        raise MgcalcError(f"formula {shown(text)} has a count above {_FORMULA_COUNT_MAX}; check the formula")
    from molmass import ELEMENTS, Formula, FormulaError  # formulas are rare: import on first use

    # The hydrate dot is read here, not by molmass: molmass 2026.1 reads "MgC4H2O4.4H2O" (fumarate
    # tetrahydrate) as 1 C and 96 H. Each dot-free part is parsed alone and counted N times.
    totals: dict[str, int] = {}
    try:
        for part in cleaned.split("."):
            match = re.fullmatch(r"([0-9]*)(.+)", part)
            if match is None:
                return None
            times = int(match[1] or 1)
            for symbol, item in Formula(match[2]).composition().items():
                totals[symbol] = totals.get(symbol, 0) + times * int(item.count)
        mass = sum(ELEMENTS[symbol].mass * n for symbol, n in totals.items())  # KeyError: an isotope ("1H")
    except (FormulaError, ValueError, KeyError, IndexError, ArithmeticError, RecursionError):
        return None
    percent = 100 * totals.get("Mg", 0) * ELEMENTS["Mg"].mass / mass if mass else 0.0
    return ParsedFormula(cleaned, frozenset(totals.items()), percent)


def close_matches(word: str, possibilities: Iterable[str], n: int, cutoff: float) -> list[str]:
    """``difflib.get_close_matches(word, possibilities, n, cutoff)``, the same answer, sooner.

    difflib's ratio counts the characters of matching blocks, a common subsequence, so it never
    exceeds rapidfuzz's Indel ratio (the longest common subsequence): keeping only possibilities
    whose Indel ratio reaches the cutoff changes no answer. It takes an unknown name from about
    90-700 us to 5-35 us (batch files of product names: bench/batch.py).
    """
    import difflib

    from rapidfuzz import fuzz, process

    near = [m for m, _, _ in process.extract(word, list(possibilities), scorer=fuzz.ratio,
                                             score_cutoff=cutoff * 100 - 0.1, limit=None)]
    return difflib.get_close_matches(word, near, n=n, cutoff=cutoff) if near else []


def parse_table(text: str, origin: str) -> FormsTable:
    """Validate CSV text as a forms table; every problem names the file, line and what is wrong."""
    forms: list[Form] = []
    by_key: dict[str, tuple[Form, str, str]] = {}
    required = [c for c in COLUMNS if c not in _OPTIONAL_COLUMNS]
    for line, row in table_rows(text, origin, required):
        where = f"{origin}:{line}"
        form = _form(row, where)
        forms.append(form)
        for by, spelled in [("id", form.id), ("name", form.name)] + [("alias", a) for a in form.aliases]:
            key = normalize(spelled)
            if not key:
                raise FormsTableError(f"{where}: {by} {spelled!r} is empty after normalizing")
            earlier = by_key.get(key)
            if earlier is not None and earlier[0] is not form:
                raise FormsTableError(
                    f"{where}: duplicate {by} {spelled!r}: already names row {earlier[0].id!r}"
                )
            if earlier is None:
                by_key[key] = (form, by, spelled)
    if not forms:
        raise FormsTableError(f"{origin}: the table has no rows")
    return FormsTable(tuple(forms), origin, by_key)


def _form(row: dict[str, str], where: str) -> Form:
    values = {k: (row.get(k) or "").strip() for k in COLUMNS}
    for required in ("id", "name", "percent_elemental", "kind", "family", "source"):
        if not values[required]:
            raise FormsTableError(f"{where}: empty {required}")
    try:
        percent = float(values["percent_elemental"])
    except ValueError:
        raise FormsTableError(
            f"{where}: percent_elemental {values['percent_elemental']!r} is not a number"
        ) from None
    if not (math.isfinite(percent) and 0 < percent <= 100):
        raise FormsTableError(f"{where}: percent_elemental {percent} is outside (0, 100]")
    if values["kind"] not in KINDS:
        raise FormsTableError(f"{where}: kind {values['kind']!r} is not one of {', '.join(KINDS)}")
    if values["kind"] == "stoichiometric" and not values["formula"]:
        raise FormsTableError(f"{where}: a stoichiometric row needs a formula")
    bounds = [_percent(values, column, where) for column in ("percent_min", "percent_max")]
    if values["kind"] == "range":
        low, high = bounds
        if low is None or high is None or not low <= percent <= high:
            raise FormsTableError(f"{where}: a range row needs percent_min <= percent_elemental <= percent_max")
    elif bounds != [None, None]:
        raise FormsTableError(f"{where}: only a range row has percent_min and percent_max")
    aliases = tuple(a.strip() for a in values["aliases"].split("|") if a.strip())
    return Form(
        id=values["id"],
        name=values["name"],
        aliases=aliases,
        formula=values["formula"],
        percent_elemental=percent,
        kind=values["kind"],  # type: ignore[arg-type]
        family=values["family"],
        source=values["source"],
        note=values["note"],
        percent_min=bounds[0],
        percent_max=bounds[1],
    )


def _percent(values: dict[str, str], column: str, where: str) -> float | None:
    """An optional percentage column: None when empty, else a number in (0, 100]."""
    return optional_number(values, column, where, low=0, high=100, low_open=True, bounds="(0, 100]")


@lru_cache(maxsize=1)
def load_forms() -> FormsTable:
    """The forms table shipped with the package (read once per process)."""
    return parse_table(*read_table("forms.csv", "forms"))
