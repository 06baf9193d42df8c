"""Liquids, injections and sachets: strengths as labels print them, and the preparations table.

A FORM may carry a strength after the compound (``"hydroxide 400mg/5mL"``, ``"sulfate 50%"``)
or name a preparation from ``data/preparations.csv`` (``"milk of magnesia"``). A strength is
an amount per volume (or per sachet): the amount is the named compound's weight, or magnesium
when it is given in mmol, mEq or as "mg magnesium". A percentage is % w/v, grams per 100 mL;
% w/w is refused (it needs the liquid's density, which a label rarely prints).

The text is tokenized first, then read by a few named rules (the house habit, see STYLE.md);
pint converts every unit, from units.txt.
"""

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from mgcalc.errors import FormsTableError, MgcalcError, shown
from mgcalc.figures import plain
from mgcalc.forms import Form, Resolution, close_matches, load_forms, normalize
from mgcalc.route import comparisons
from mgcalc.tables import NamedRows, read_table, table_rows
from mgcalc.units import COUNT_UNITS, MAGNESIUM_UNITS, MASS_UNITS, VOLUME_UNITS, factor, read_number

PerUnit = Literal["mL", "sachet"]
#: Longest strength text accepted.
STRENGTH_MAX_CHARS = 64
#: Words after the amount that say it counts magnesium, not the compound ("243 mg magnesium/sachet").
#: (label.MAGNESIUM_WORDS are the words for magnesium in label text, where "mg" may be the element.)
MAGNESIUM_AFTER = frozenset(("magnesium", "elemental", "elemental magnesium", "mg2", "mg2+", "mg++"))
#: Words between the amount and what it is in: "400 mg/5 mL", "1.745 g per fl oz", "1.745 g in 29.6 mL".
SEPARATORS = frozenset(("/", "per", "in"))
#: Most of a compound (or of magnesium) one mL can hold: nothing dissolves or suspends beyond about 2 g/mL.
MAX_PER_ML = 2000.0
#: Most a sachet can hold, in mg.
MAX_PER_SACHET = 100_000.0
#: Qualifiers of a percentage: only w/v (grams per 100 mL) can be read without a density.
_PERCENT_KINDS = {"": "w/v", "wv": "w/v", "w/v": "w/v", "ww": "w/w", "w/w": "w/w", "vv": "v/v", "v/v": "v/v"}
_UNIT_SHOWN = {
    "milligram": "mg", "gram": "g", "kilogram": "kg", "microgram": "µg", "grain": "gr",
    "millimole_magnesium": "mmol", "milliequivalent_magnesium": "mEq",
    "milliliter": "mL", "liter": "L", "metric_teaspoon": "tsp", "metric_tablespoon": "tbsp",
    "fluid_ounce": "fl oz", "sachet": "sachet",
}
_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)|(?P<word>[^\W\d_]+[0-9]*\+*)|(?P<sym>\S))")
# Where a strength starts inside a FORM text: a number, then "%", or unit words and a separator.
_STRENGTH_START = re.compile(
    r"[0-9.][0-9.,]*\s*(?:%|[^\W\d_]+(?:\s+[^\W\d_]+)*\s*(?:/|per\b|in\b))", re.IGNORECASE
)
_AMOUNT_ONLY = re.compile(r"(?P<num>[0-9.][0-9.,]*)\s*(?P<unit>[^\W\d_]+)\s*$")
AUTHORITY_COUNTRY = {"us": "US", "uk": "UK", "au": "AU", "ca": "CA"}
COUNTRIES = frozenset(("US", "UK", "IE", "AU", "NZ", "CA", "EU"))
COLUMNS = ("id", "name", "aliases", "form_id", "strength", "country", "source", "note", "route", "use")


class Strength(NamedTuple):
    """How much is in how much: ``amount_mg`` (of the compound, or of magnesium) per ``per`` mL or sachets."""

    text: str
    amount_mg: float
    of_magnesium: bool
    per: float
    per_unit: PerUnit

    @property
    def per_one(self) -> float:
        """mg of the compound (or of magnesium) in one mL, or in one sachet."""
        return self.amount_mg / self.per

    def compound_per_one(self, form: Form) -> float:
        """mg of the compound in one mL (or sachet)."""
        return self.per_one * 100 / form.percent_elemental if self.of_magnesium else self.per_one

    def magnesium_per_one(self, form: Form) -> float:
        """mg of magnesium in one mL (or sachet)."""
        return self.per_one if self.of_magnesium else self.per_one * form.percent_elemental / 100


class Preparation(NamedTuple):
    """One row of the preparations table: a product, the compound its strength counts, and the source."""

    id: str
    name: str
    aliases: tuple[str, ...]
    form_id: str
    strength: Strength
    country: str
    source: str
    note: str
    #: How it is given (oral, iv, im) and what for (supplement, laxative, antacid, electrolyte): see route.py.
    route: str = "oral"
    use: str = "supplement"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "aliases": list(self.aliases), "form_id": self.form_id,
            "strength": self.strength.text, "country": self.country, "source": self.source, "note": self.note,
            "route": self.route, "use": self.use,
        }


class FormReading(NamedTuple):
    """A FORM as read: the compound, its strength (None for a solid), the preparation it named, notes."""

    resolution: Resolution
    strength: Strength | None = None
    preparation: Preparation | None = None
    notes: tuple[str, ...] = ()

    @property
    def form(self) -> Form:
        return self.resolution.form


def parse_strength(text: str) -> Strength:
    """Read a strength as labels print it: ``400mg/5mL``, ``50%``, ``1 mmol/mL``, ``1.745 g per fl oz``."""
    if len(text) > STRENGTH_MAX_CHARS:
        raise MgcalcError(f"strength is too long ({len(text)} characters; at most {STRENGTH_MAX_CHARS})")
    where = f"strength {shown(text)}"
    tokens = _tokens(text)
    if not tokens or tokens[0][0] != "num":
        raise MgcalcError(f"{where} does not start with a number; write e.g. 400mg/5mL or 50%")
    value, thousands = read_number(tokens[0][1], what=where)
    rest = tokens[1:]
    read = _percent if rest and rest[0] == ("sym", "%") else _per
    strength = read(where, value, rest)
    limit = MAX_PER_ML if strength.per_unit == "mL" else MAX_PER_SACHET
    if thousands is not None and read(where, thousands, rest).per_one <= limit:
        raise MgcalcError(
            f"{where} is ambiguous: the point may be a thousands separator or a decimal point; "
            f"write {thousands:g} or {plain(value)}"
        )
    if strength.per_one > limit:
        raise MgcalcError(f"{where} is more than any {strength.per_unit} can hold; check the number and unit")
    return strength


def _tokens(text: str) -> list[tuple[str, str]]:
    """Numbers, words and symbols, in order ("400mg/5mL" -> num, word, sym, num, word)."""
    tokens = []
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - the pattern matches any non-space character
            break
        kind = match.lastgroup or "sym"
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


def _percent(where: str, value: float, rest: list[tuple[str, str]]) -> Strength:
    """``50%`` or ``50 % w/v``: grams of the compound per 100 mL."""
    qualifier = "".join(t for _, t in rest[1:]).lower()
    kind = _PERCENT_KINDS.get(qualifier)
    if kind is None:
        raise MgcalcError(f"{where}: after the % mgcalc reads only w/v (grams per 100 mL)")
    if kind != "w/v":
        by = "by weight" if kind == "w/w" else "by volume"
        raise MgcalcError(
            f"{where} is % {kind} ({by}): reading it per mL needs the liquid's density, which mgcalc does not "
            "guess; give the strength per volume as the label restates it, e.g. 275mg/5mL"
        )
    if not 0 < value <= 100:
        raise MgcalcError(f"{where}: a percentage must be above 0 and at most 100")
    amount = value * factor("gram", "milligram")
    return Strength(f"{plain(value)} % w/v", amount, False, 100 * factor("milliliter", "milliliter"), "mL")


def _per(where: str, value: float, rest: list[tuple[str, str]]) -> Strength:
    """``400 mg/5 mL``, ``1 mmol/mL``, ``243 mg magnesium/sachet``: an amount, a separator, what it is in."""
    cut = next((i for i, (_, t) in enumerate(rest) if t.lower() in SEPARATORS), None)
    if cut is None:
        raise MgcalcError(
            f"{where} has no volume; write what the amount is in, e.g. {plain(value)}mg/5mL, or a % w/v"
        )
    words = [t for kind, t in rest[:cut] if kind == "word"]
    if len(words) != cut or not words:
        raise MgcalcError(f"{where}: give a unit after the number, e.g. 400mg/5mL")
    unit_text, of_magnesium = _amount_unit(words, where)
    key = unit_text.lower()
    if unit_text == "Mg":
        raise MgcalcError(f"{where}: 'Mg' is ambiguous (megagram, or magnesium?); write mg for milligrams")
    if key in MAGNESIUM_UNITS:
        unit, of_magnesium = MAGNESIUM_UNITS[key], True
    elif key in MASS_UNITS:
        unit = MASS_UNITS[key]
    else:
        raise MgcalcError(f"{where}: unknown unit {shown(unit_text)}; use mg, g, mcg, mmol or mEq")
    amount = value * factor(unit, "milligram")
    if amount <= 0:
        raise MgcalcError(f"{where} is zero; give an amount above zero")
    count, per_unit, per_name = _denominator(rest[cut + 1:], where)
    per = count * (factor(per_name, "milliliter") if per_unit == "mL" else 1.0)
    said = " magnesium" if of_magnesium and unit not in _MG_UNITS else ""
    shown_count = f"{plain(count)} " if rest[cut + 1:] and rest[cut + 1][0] == "num" else ""
    text = f"{plain(value)} {_UNIT_SHOWN[unit]}{said}/{shown_count}{_UNIT_SHOWN[per_name]}"
    return Strength(text, amount, of_magnesium, per, per_unit)


_MG_UNITS = frozenset(("millimole_magnesium", "milliequivalent_magnesium"))


def _amount_unit(words: list[str], where: str) -> tuple[str, bool]:
    """The unit word of the amount, and whether the words after it say it counts magnesium."""
    unit, *after = words
    if not after:
        return unit, False
    said = " ".join(after).lower()
    if said in MAGNESIUM_AFTER:
        return unit, True
    raise MgcalcError(f"{where}: {shown(' '.join(words))} is not a unit mgcalc reads; use e.g. mg, mmol or mEq")


def _denominator(rest: list[tuple[str, str]], where: str) -> tuple[float, PerUnit, str]:
    """What the amount is in: '5 mL', 'mL', 'fl oz', 'sachet' -> (how many, mL or sachet, unit name)."""
    count = 1.0
    if rest and rest[0][0] == "num":
        count, _ = read_number(rest[0][1], what=where)
        rest = rest[1:]
    if count <= 0:
        raise MgcalcError(f"{where}: what the amount is in is zero; give e.g. 5mL")
    said = " ".join(t for _, t in rest).lower().replace(" .", ".")
    if said in COUNT_UNITS:
        return count, "sachet", "sachet"
    name = VOLUME_UNITS.get(said)
    if name is None:
        if said in ("oz", "ounce", "ounces"):
            raise MgcalcError(f"{where}: oz may be a weight; write fl oz for a fluid ounce")
        raise MgcalcError(
            f"{where}: {shown(said) if said else 'nothing'} after the / is not a volume; "
            "use mL, L, tsp, tbsp or fl oz (or sachet)"
        )
    return count, "mL", name


def split_strength(text: str) -> tuple[str, str] | None:
    """A FORM text split into (compound words, strength), or None when it carries no strength."""
    for match in re.finditer(r"(?:^|(?<=\s))[0-9.]", text):
        if _STRENGTH_START.match(text, match.start()):
            return text[: match.start()].strip(), text[match.start():].strip()
    lone = _AMOUNT_ONLY.search(text)
    if lone and (lone["unit"].lower() in MASS_UNITS or lone["unit"].lower() in MAGNESIUM_UNITS):
        amount = text[lone.start():].strip()
        raise MgcalcError(
            f"strength {shown(amount)} has no volume; write what it is in, e.g. {lone['num']}{lone['unit']}/5mL, "
            "or a % w/v"
        )
    return None


class PreparationsTable(NamedRows[Preparation]):
    """The validated preparations, indexed by every name each can be called (several rows may share one)."""

    def find(self, name: str) -> tuple[Preparation, ...]:
        """Every row called ``name`` (case, spaces, punctuation and a leading 'magnesium' ignored)."""
        return self.find_key(normalize(name))

    def search(self, word: str) -> tuple[Preparation, ...]:
        needle = normalize(word) or word.casefold()
        return tuple(p for p in self.rows if any(needle in normalize(t) for t in (p.id, p.name, *p.aliases)))


def parse_preparations(text: str, origin: str) -> PreparationsTable:
    """Validate CSV text as a preparations table; every problem names the file, line and what is wrong."""
    forms = load_forms()
    rows: list[Preparation] = []
    by_key: dict[str, list[Preparation]] = {}
    ids: set[str] = set()
    for line, row in table_rows(text, origin, COLUMNS):
        where = f"{origin}:{line}"
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        for required in ("id", "name", "form_id", "strength", "country", "source", "route", "use"):
            if not values[required]:
                raise FormsTableError(f"{where}: empty {required}")
        if values["id"] in ids:
            raise FormsTableError(f"{where}: duplicate id {values['id']!r}")
        ids.add(values["id"])
        try:
            form = forms.by_id(values["form_id"])
            strength = parse_strength(values["strength"])
        except MgcalcError as exc:
            raise FormsTableError(f"{where}: {exc}") from None
        if form.kind == "excipient":
            raise FormsTableError(f"{where}: form {form.id!r} is not a magnesium source")
        if values["country"] not in COUNTRIES:
            known = ", ".join(sorted(COUNTRIES))
            raise FormsTableError(f"{where}: country {values['country']!r} is not one of {known}")
        try:
            comparisons(values["route"], values["use"])
        except MgcalcError as exc:
            raise FormsTableError(f"{where}: {exc}") from None
        aliases = tuple(a.strip() for a in values["aliases"].split("|") if a.strip())
        preparation = Preparation(values["id"], values["name"], aliases, form.id, strength, values["country"],
                                  values["source"], values["note"], values["route"], values["use"])
        rows.append(preparation)
        for spelled in {values["name"], *aliases}:
            key = normalize(spelled)
            if forms.knows(spelled):
                raise FormsTableError(f"{where}: {spelled!r} already names a row of the forms table")
            by_key.setdefault(key, []).append(preparation)
    if not rows:
        raise FormsTableError(f"{origin}: the table has no rows")
    return PreparationsTable(tuple(rows), {k: tuple(v) for k, v in by_key.items()})


@lru_cache(maxsize=1)
def load_preparations() -> PreparationsTable:
    """The preparations table shipped with the package (read once per process)."""
    return parse_preparations(*read_table("preparations.csv", "preparations"))


def read_form(text: str, authority: str = "us") -> FormReading:
    """Read a FORM: a compound, a compound with a strength, or a preparation; MgcalcError if none.

    A plain compound name is looked up first, as before liquids existed; then the preparations
    table; then a compound followed by a strength.
    """
    forms = load_forms()
    try:
        return FormReading(forms.resolve(text))
    except MgcalcError as exc:
        unknown = exc
    rows = load_preparations().find(text) if len(text) <= STRENGTH_MAX_CHARS * 2 else ()
    if rows:
        preparation, notes = choose(text, rows, authority)
        resolution = Resolution(text, forms.by_id(preparation.form_id), "id")
        return FormReading(resolution, preparation.strength, preparation, notes)
    split = split_strength(text) if len(text) <= STRENGTH_MAX_CHARS * 2 else None
    if split is None or not split[0]:
        raise _with_preparations(unknown, text)
    name, strength_text = split
    try:
        resolution = forms.resolve(name)
    except MgcalcError:
        # A preparation's name with a strength of its own ("milk of magnesia 415mg/5mL"): its compound.
        named = {row.form_id for row in load_preparations().find(name)}
        if len(named) != 1:
            raise
        resolution = Resolution(name, forms.by_id(named.pop()), "id")
    return FormReading(resolution, parse_strength(strength_text))


def _with_preparations(unknown: MgcalcError, text: str) -> MgcalcError:
    """The forms table's 'unknown form' message, or one naming a preparation the text is close to."""
    from mgcalc.products import load_products  # products are named in the same message

    table = load_preparations()
    close = close_matches(normalize(text), table.keys(), n=2, cutoff=0.75)
    near = [table.find_key(key)[0].name for key in close] + load_products().close(text)
    if not near:
        return unknown
    names = " or ".join(repr(name) for name in dict.fromkeys(near))
    return MgcalcError(f"unknown form, preparation or product {shown(text)}; did you mean {names}?")


def choose(text: str, rows: tuple[Preparation, ...], authority: str) -> tuple[Preparation, tuple[str, ...]]:
    """The row a name means: the authority's country's (else the US one), and a note naming the others."""
    country = AUTHORITY_COUNTRY.get(authority, "US")
    picked = [r for r in rows if r.country == country] or [r for r in rows if r.country == "US"]
    if not picked and len({r.country for r in rows}) == 1:
        picked = list(rows)
    if not picked or len({_content(r) for r in picked}) > 1:
        listed = "; ".join(f"{r.name} ({r.country}, {r.strength.text})" for r in (picked or rows))
        raise MgcalcError(
            f"{shown(text)} names preparations of different strengths: {listed}; name one, "
            "or give the compound and its strength, e.g. 'hydroxide 2400mg/10mL'"
        )
    chosen = picked[0]
    others = [r for r in rows if _content(r) != _content(chosen)]
    if not others:
        return chosen, ()
    listed = "; ".join(f"{r.country} {r.strength.text}" for r in others)
    codes = sorted(code for code, country in AUTHORITY_COUNTRY.items() if country in {r.country for r in others})
    hint = f"use --authority {'/'.join(codes)} or give the strength" if codes else "give the strength"
    return chosen, (
        f"{shown(text)} was read as the {chosen.country} product, {chosen.strength.text}; elsewhere it is {listed}"
        f" ({hint})",
    )


def _content(row: Preparation) -> tuple[str, bool, str, float]:
    """What a row delivers per mL or sachet, so that rows equal but for wording count as one."""
    return row.form_id, row.strength.of_magnesium, row.strength.per_unit, round(row.strength.per_one, 9)

