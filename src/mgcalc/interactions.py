"""Medicines and magnesium: how far apart to take them, and which medicines change magnesium levels.

The rules are data (``data/interactions.csv``, shipped as ``mgcalc/data/interactions.csv``),
each row with the label, SmPC or FDA text it comes from. Kinds:

* ``spacing``: magnesium binds the drug in the gut; take them apart by the hours given.
* ``avoid``: the source advises against taking them together even when spaced apart.
* ``affects-magnesium-status``: the drug changes the body's magnesium; ``effect`` says which way
  (``lowers``: mostly urinary loss; ``raises``: the kidneys keep more). No spacing applies, and the
  prescriber decides what to do.

A spacing row may give no hours at all when its source names magnesium, antacids or polyvalent
cations but no interval (the US doxycycline label, for one): its rule then says that the label gives
no interval, and what other authorities give is listed under ``other_sources``, each with its own
source, never as the label's.

Every source carries a ``grade`` (GRADES): how directly mgcalc read it, from the drug's own label
read in full down to a secondary source.

Hours are always from the drug's side: ``hours_before`` is how long at least the DRUG is taken
before the magnesium, ``hours_after`` how long at least after it. Sources that word the rule from
the mineral's side ("take antacids 2 hours before or 4 hours after the drug") are turned round
with ``from_mineral_side`` when the table is written.

A name the table does not hold is ``not-listed``: mgcalc says it does not list the drug, never
that the drug is safe with magnesium. A name that several rows carry (``elvitegravir``, in both
STRIBILD and GENVOYA) gives every one of them: ``find`` and ``lookup_all`` list each, ``lookup``
refuses to pick one.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from mgcalc.errors import FormsTableError, MgcalcError, shown
from mgcalc.tables import optional_number, read_table, table_rows

#: ``schema_version`` of ``mgcalc interactions --json``: 2 since issue 20 (hours may be null; ``grade``,
#: ``effect`` and graded ``other_sources`` added).
SCHEMA_VERSION = 2
KINDS: tuple[str, ...] = ("spacing", "avoid", "affects-magnesium-status")
NOT_LISTED = "not-listed"
#: Which way an ``affects-magnesium-status`` drug moves the body's magnesium.
EFFECTS: tuple[str, ...] = ("lowers", "raises")
#: How directly a source was read, strongest first, with the words the output uses for each.
GRADES: dict[str, str] = {
    "label": "the drug's own label or SmPC, read in full",
    "label-copy": "a full copy of the drug's label or SmPC",
    "fda": "the FDA's own notice (safety communication or label change)",
    "maker-site": "the maker's site, restating the label",
    "magnesium-smpc": "a magnesium product's SmPC",
    "secondary": "read only in a secondary source or a transcription, not in the label itself",
}
#: A spacing row without hours must say so in its rule, in these words.
NO_INTERVAL = "gives no interval"
COLUMNS: tuple[str, ...] = (
    "drug", "brands", "class", "kind", "effect", "hours_before", "hours_after", "rule", "source_title",
    "source_section", "source_url", "source_date", "grade", "wording_basis", "other_sources",
)
_REQUIRED_TEXT = ("drug", "kind", "rule", "source_title", "source_section", "source_url", "source_date",
                  "grade", "wording_basis")
#: Keys of one interaction object in ``--json`` output (README, 'Interactions').
JSON_KEYS: tuple[str, ...] = (
    "query", "drug", "kind", "effect", "hours_before", "hours_after", "rule", "grade", "sources",
    "other_sources",
)
#: Longest drug name accepted from a user.
NAME_MAX_CHARS = 100
_SUGGEST_CUTOFF = 0.75
_SEPARATORS = re.compile(r"[\s\-_]+")


class Source(NamedTuple):
    """Where a rule comes from: document title, section, URL (or DailyMed set id), date and grade."""

    title: str
    section: str
    url: str
    date: str
    grade: str

    def as_dict(self) -> dict[str, object]:
        return {"title": self.title, "section": self.section, "url": self.url, "date": self.date,
                "grade": self.grade}


class OtherSource(NamedTuple):
    """What another authority says (a different rule, or hours where the row's source gives none), with its source."""

    rule: str
    source: Source

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "source": self.source.as_dict()}


class Row(NamedTuple):
    """One row of the interactions table."""

    drug: str
    brands: tuple[str, ...]
    drug_class: str
    kind: str
    effect: str | None
    hours_before: float | None
    hours_after: float | None
    rule: str
    source: Source
    wording_basis: str
    other_sources: tuple[OtherSource, ...]


class Interaction(NamedTuple):
    """What mgcalc's table says about one drug a person named (``row`` None: not listed)."""

    query: str
    row: Row | None
    suggestion: str | None = None

    @property
    def kind(self) -> str:
        return self.row.kind if self.row else NOT_LISTED

    @property
    def drug(self) -> str | None:
        return self.row.drug if self.row else None

    @property
    def effect(self) -> str | None:
        """``lowers`` or ``raises`` for an ``affects-magnesium-status`` row, else None."""
        return self.row.effect if self.row else None

    @property
    def grade(self) -> str | None:
        """How directly the row's own source was read (a GRADES key); None when not listed."""
        return self.row.source.grade if self.row else None

    @property
    def hours_before(self) -> float | None:
        return self.row.hours_before if self.row else None

    @property
    def hours_after(self) -> float | None:
        return self.row.hours_after if self.row else None

    @property
    def rule(self) -> str:
        if self.row:
            return self.row.rule
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        return (f"mgcalc's table does not list {shown(self.query)}{hint}; that does not mean it is safe "
                "with magnesium: ask a pharmacist.")

    @property
    def sources(self) -> tuple[Source, ...]:
        return (self.row.source,) if self.row else ()

    @property
    def other_sources(self) -> tuple[OtherSource, ...]:
        return self.row.other_sources if self.row else ()

    def as_dict(self) -> dict[str, object]:
        """One object of the ``interactions`` list in ``--json`` output; keys are JSON_KEYS."""
        return {
            "query": self.query,
            "drug": self.drug,
            "kind": self.kind,
            "effect": self.effect,
            "hours_before": _json_number(self.hours_before),
            "hours_after": _json_number(self.hours_after),
            "rule": self.rule,
            "grade": self.grade,
            "sources": [s.as_dict() for s in self.sources],
            "other_sources": [o.as_dict() for o in self.other_sources],
        }


class InteractionsTable(NamedTuple):
    """The validated table and its lookup index (normalized generic and brand names)."""

    rows: tuple[Row, ...]
    origin: str
    #: lookup key -> every (row, name as the table spells it) carrying that name, in table order.
    by_name: dict[str, tuple[tuple[Row, str], ...]]

    def find(self, name: str) -> tuple[Interaction, ...]:
        """Every row a generic or brand name names, case-insensitively; an unknown name is one not-listed."""
        query = _checked_name(name)
        key = normalize(query)
        found = self.by_name.get(key) or self.by_name.get(_SALT_WORDS.sub("", key).strip())
        if found:
            return tuple(Interaction(query, row) for row, _ in found)
        return (Interaction(query, None, self._suggestion(query)),)

    def lookup(self, name: str) -> Interaction:
        """The one row a name names; a name that several rows carry is refused (use ``find``)."""
        found = self.find(name)
        if len(found) > 1:
            drugs = ", ".join(shown(i.drug or "") for i in found)
            raise MgcalcError(f"{shown(found[0].query)} names {len(found)} rows ({drugs}); "
                              "lookup_all or find gives each of them")
        return found[0]

    def _suggestion(self, query: str) -> str | None:
        import difflib  # only for names the table does not hold

        match = difflib.get_close_matches(normalize(query), list(self.by_name), n=1, cutoff=_SUGGEST_CUTOFF)
        return self.by_name[match[0]][0][1] if match else None


# Salt and hydrate words after a drug's name name the same drug: "ciprofloxacin hydrochloride".
_SALT_WORDS = re.compile(
    r"(?:\s+(?:hydrochloride|hcl|sodium|potassium|calcium|magnesium|mesylate|hyclate|monohydrate|dihydrate|"
    r"trihydrate|sulfate|sulphate|phosphate|maleate|fumarate|tartrate|succinate|acetate|besylate|"
    r"lactate|citrate|hydrobromide|monosodium|disodium|olamine|delayed release|extended release|er|dr|xr))+$"
)


def normalize(name: str) -> str:
    """Lookup key: case-folded, with spaces, hyphens and underscores as single spaces."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


def from_mineral_side(mineral_before: float | None, mineral_after: float | None) -> tuple[float | None, float | None]:
    """(hours_before, hours_after) from the drug's side, for a rule worded from the mineral's side.

    "Take the antacid at least 2 hours before or 4 hours after the drug" means the drug comes at
    least 4 hours before or at least 2 hours after the antacid: the two figures swap places.
    """
    return mineral_after, mineral_before


def lookup(name: str) -> Interaction:
    """``lookup("Cipro")``: the table's rule for one drug (generic or brand name).

    A name that several rows carry raises MgcalcError; ``lookup_all`` lists each of them.
    """
    return load_interactions().lookup(name)


def lookup_all(names: list[str] | tuple[str, ...]) -> tuple[Interaction, ...]:
    """The Interactions of each name, in order: one per row the name names, or one not-listed."""
    table = load_interactions()
    return tuple(i for n in names for i in table.find(n))


def _checked_name(name: str) -> str:
    if not isinstance(name, str):
        raise MgcalcError(f"a drug name must be text, not {type(name).__name__}")
    query = " ".join(name.split())
    if not query:
        raise MgcalcError("give a drug name, e.g. ciprofloxacin or Cipro")
    if len(query) > NAME_MAX_CHARS:
        raise MgcalcError(f"drug name {shown(query)} is longer than {NAME_MAX_CHARS} characters")
    return query


def _json_number(hours: float | None) -> float | int | None:
    if hours is None:
        return None
    return int(hours) if hours.is_integer() else hours


@lru_cache(maxsize=1)
def load_interactions() -> InteractionsTable:
    """The packaged interactions table, validated (cached)."""
    text, origin = read_table("interactions.csv", "interactions")
    return parse_interactions(text, origin)


def parse_interactions(text: str, origin: str = "<interactions>") -> InteractionsTable:
    """Validate CSV text as an interactions table; every problem names the file, line and what is wrong."""
    rows: list[Row] = []
    by_name: dict[str, tuple[tuple[Row, str], ...]] = {}
    drugs: set[str] = set()
    for line, record in table_rows(text, origin, COLUMNS):
        where = f"{origin}:{line}"
        row = _row(record, where)
        if normalize(row.drug) in drugs:
            raise FormsTableError(f"{where}: drug {row.drug!r} already has a row; give each row its own drug name")
        drugs.add(normalize(row.drug))
        rows.append(row)
        keys: set[str] = set()
        for spelled in (row.drug, *row.brands):
            key = normalize(spelled)
            if key in keys:
                raise FormsTableError(f"{where}: name {spelled!r} already names the row for {row.drug!r}")
            keys.add(key)
            # A name two rows carry (a generic in two combination brands) names both: lookups list each.
            by_name[key] = (*by_name.get(key, ()), (row, spelled))
    if not rows:
        raise FormsTableError(f"{origin}: the table has no rows")
    return InteractionsTable(tuple(rows), origin, by_name)


def _row(record: dict[str, str], where: str) -> Row:
    values = {k: (record.get(k) or "").strip() for k in COLUMNS}
    for column in _REQUIRED_TEXT:
        if not values[column]:
            raise FormsTableError(f"{where}: empty {column}: every row needs its rule and its source")
    for column, value in values.items():
        if "\n" in value or "\r" in value:
            raise FormsTableError(f"{where}: {column} spans several lines; keep it to one")
    kind = values["kind"]
    if kind not in KINDS:
        raise FormsTableError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    before, after = (_hours(values, column, where) for column in ("hours_before", "hours_after"))
    if kind == "spacing" and before is None and after is None and NO_INTERVAL not in values["rule"]:
        raise FormsTableError(f"{where}: a spacing row without hours_before or hours_after must say in its "
                              f"rule that the source {NO_INTERVAL}")
    if kind != "spacing" and (before is not None or after is not None):
        raise FormsTableError(f"{where}: a {kind} row gives no hours")
    effect = values["effect"] or None
    if kind == "affects-magnesium-status" and effect not in EFFECTS:
        raise FormsTableError(f"{where}: an affects-magnesium-status row needs effect "
                              f"{' or '.join(EFFECTS)}, not {effect!r}")
    if kind != "affects-magnesium-status" and effect is not None:
        raise FormsTableError(f"{where}: only an affects-magnesium-status row has an effect (a {kind} row has none)")
    return Row(
        drug=values["drug"],
        brands=tuple(b.strip() for b in values["brands"].split("|") if b.strip()),
        drug_class=values["class"],
        kind=kind,
        effect=effect,
        hours_before=before,
        hours_after=after,
        rule=values["rule"],
        source=Source(values["source_title"], values["source_section"], values["source_url"], values["source_date"],
                      _grade(values["grade"], where)),
        wording_basis=values["wording_basis"],
        other_sources=_other_sources(values["other_sources"], where),
    )


def _grade(grade: str, where: str) -> str:
    if grade not in GRADES:
        raise FormsTableError(f"{where}: grade {grade!r} is not one of {', '.join(GRADES)}")
    return grade


def _hours(values: dict[str, str], column: str, where: str) -> float | None:
    return optional_number(values, column, where, low=0, high=72, noun="a number of hours", bounds="0 to 72 hours")


def _other_sources(text: str, where: str) -> tuple[OtherSource, ...]:
    """``rule | title | section | url | date | grade`` entries, separated by ``||``."""
    entries = []
    for entry in (e.strip() for e in text.split("||")):
        if not entry:
            continue
        fields = [f.strip() for f in entry.split(" | ")]
        if len(fields) != 6 or not all(fields):
            raise FormsTableError(
                f"{where}: other_sources entry {entry[:40]!r}... needs rule | title | section | url | date | grade"
            )
        rule, title, section, url, date, grade = fields
        entries.append(OtherSource(rule, Source(title, section, url, date, _grade(grade, where))))
    return tuple(entries)
