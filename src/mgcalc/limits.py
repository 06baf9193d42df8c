"""The limits product labels and SmPCs state, from ``data/limits.csv``, and a dose judged against them.

Each row is one limit as its label words it: the maximum daily dose of an oral medicine's
directions (a volume in 24 hours, by age), or a parenteral limit (concentration for IV use, rate,
total in 24 hours), with the label's own exceptions quoted, never judged, its source and a grade
(P: the product's own label or SmPC, S: a copy or compendium of the label text). A row applies
to one preparation (its id) or to every preparation of a compound in a country (``form:ID``).
"""

import math
from functools import lru_cache
from typing import NamedTuple

from mgcalc.errors import FormsTableError
from mgcalc.figures import hundredths
from mgcalc.preparations import COUNTRIES
from mgcalc.route import ROUTES
from mgcalc.tables import optional_number, read_table, table_rows
from mgcalc.units import factor

COLUMNS = ("id", "applies_to", "route", "country", "kind", "max", "max_low", "unit", "age_from", "age_to", "who",
           "quote", "exceptions", "source", "grade")
GRADES = {"P": "the product's own label or SmPC", "S": "a copy or compendium of the label text"}
#: Each kind of limit, the units its rows may be written in, and what one of them is in the kind's
#: own measure (mL per 24 h; % w/v of the salt; mg of the salt a minute; mg of the salt per 24 h).
KINDS: dict[str, dict[str, float]] = {
    "daily_volume": {"mL": 1.0, "fl oz": factor("fluid_ounce", "milliliter")},
    "concentration": {"% w/v": 1.0},
    "rate": {"mg/min": 1.0, "g/h": factor("gram", "milligram") / factor("hour", "minute")},
    "daily_mass": {"g": factor("gram", "milligram")},
    # Not a limit: the largest single dose the label names, against which a tenfold order is flagged.
    "usual_dose": {"g": factor("gram", "milligram")},
}
KIND_NAMES = {
    "daily_volume": "maximum daily dose",
    "concentration": "concentration for IV use",
    "rate": "rate",
    "daily_mass": "total in 24 hours",
    "usual_dose": "usual single dose",
}


class Limit(NamedTuple):
    """One limit as the label states it; ``max`` and ``max_low`` in the kind's own measure."""

    id: str
    applies_to: str
    route: str
    country: str
    kind: str
    max: float | None
    max_low: float | None
    unit: str
    age_from: float
    age_to: float
    who: str
    quote: str
    exceptions: str
    source: str
    grade: str

    @property
    def scale(self) -> float:
        """How much of the kind's own measure one ``unit`` is."""
        return KINDS[self.kind][self.unit]

    def printed(self, value: float) -> str:
        """``value`` (in the kind's own measure) in the label's unit: '60 mL', '10 fl oz', '2 g/h'."""
        shown = value / self.scale
        number = hundredths(shown) if shown >= 0.1 else f"{shown:.3g}"
        return f"{number} %" if self.unit == "% w/v" else f"{number} {self.unit}"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "kind": self.kind, "max": None if self.max is None else self.max / self.scale,
            "max_low": None if self.max_low is None else self.max_low / self.scale, "unit": self.unit,
            "who": self.who or None, "quote": self.quote, "exceptions": self.exceptions or None,
            "source": self.source, "grade": self.grade,
        }


class LimitCheck(NamedTuple):
    """A dose against one limit: its figure in the limit's measure (None when the dose alone cannot
    say, e.g. a rate without a duration) and whether it is over (None: cannot tell, or no limit)."""

    limit: Limit
    value: float | None
    over: bool | None

    def as_dict(self) -> dict[str, object]:
        return {
            **self.limit.as_dict(),
            "value": None if self.value is None else self.value / self.limit.scale,
            "over": self.over,
        }


def judge(limit: Limit, value: float | None) -> LimitCheck:
    """``value`` (in the limit's measure) against ``limit``; None when either is missing."""
    over = None if value is None or limit.max is None else value > limit.max
    return LimitCheck(limit, value, over)


def parse_limits(text: str, origin: str) -> tuple[Limit, ...]:
    """Validate CSV text as a limits table; every problem names the file, line and what is wrong."""
    rows = []
    ids: set[str] = set()
    for line, row in table_rows(text, origin, COLUMNS):
        where = f"{origin}:{line}"
        values = {k: (row.get(k) or "").strip() for k in COLUMNS}
        for required in ("id", "applies_to", "route", "country", "kind", "unit", "quote", "source", "grade"):
            if not values[required]:
                raise FormsTableError(f"{where}: empty {required}")
        if values["id"] in ids:
            raise FormsTableError(f"{where}: duplicate id {values['id']!r}")
        ids.add(values["id"])
        kind, unit = values["kind"], values["unit"]
        if kind not in KINDS:
            raise FormsTableError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if unit not in KINDS[kind]:
            raise FormsTableError(f"{where}: unit {unit!r} is not one of {', '.join(KINDS[kind])} for {kind}")
        if values["route"] not in ROUTES:
            raise FormsTableError(f"{where}: route {values['route']!r} is not one of {', '.join(ROUTES)}")
        if values["country"] not in COUNTRIES:
            known = ", ".join(sorted(COUNTRIES))
            raise FormsTableError(f"{where}: country {values['country']!r} is not one of {known}")
        if values["grade"] not in GRADES:
            raise FormsTableError(f"{where}: grade {values['grade']!r} is not one of {', '.join(GRADES)}")
        bounds = "0 to 1,000,000"
        top = optional_number(values, "max", where, low=0, high=1e6, low_open=True, bounds=bounds)
        low = optional_number(values, "max_low", where, low=0, high=1e6, low_open=True, bounds=bounds)
        if low is not None and (top is None or low >= top):
            raise FormsTableError(f"{where}: max_low must be below max")
        age_from = optional_number(values, "age_from", where, low=0, high=125, bounds="0 to 125") or 0.0
        age_to = optional_number(values, "age_to", where, low=0, high=125, bounds="0 to 125")
        if age_to is not None and age_to <= age_from:
            raise FormsTableError(f"{where}: age_to must be above age_from")
        scale = KINDS[kind][unit]
        rows.append(Limit(
            values["id"], values["applies_to"], values["route"], values["country"], kind,
            None if top is None else top * scale, None if low is None else low * scale, unit, age_from,
            math.inf if age_to is None else age_to, values["who"], values["quote"], values["exceptions"],
            values["source"], values["grade"],
        ))
    if not rows:
        raise FormsTableError(f"{origin}: the table has no rows")
    return tuple(rows)


@lru_cache(maxsize=1)
def load_limits() -> tuple[Limit, ...]:
    """The limits table shipped with the package (read once per process)."""
    return parse_limits(*read_table("limits.csv", "limits"))


def limits_for(route: str, country: str | None, form_id: str, preparation_id: str | None,
               age: float | None = None) -> tuple[Limit, ...]:
    """The limits of a preparation (or of a compound in a country) given by ``route``, for a person of
    ``age`` (None: an adult, as elsewhere in mgcalc)."""
    if country is None:
        return ()
    keys = {f"form:{form_id}", *((preparation_id,) if preparation_id else ())}
    years = 125.0 if age is None else age
    return tuple(row for row in load_limits()
                 if row.route == route and row.country == country and row.applies_to in keys
                 and row.age_from <= years < row.age_to)

