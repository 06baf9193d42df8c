"""Reference intakes: the intake reference and the supplemental upper level for a person.

The values are data (``data/intakes.csv``, shipped as ``mgcalc/data/intakes.csv``), each row
with its source. Ages are in years; a row covers ``age_from <= age < age_to`` (an empty
``age_to`` means no upper bound). An empty ``mg`` means "not established".

Measures: intake references RDA, AI (US, CA, EU), RNI (UK), RDI (AU/NZ); supplemental
upper levels UL, GL (UK guidance level), MAX (Canadian monograph maximum); DV (US label); NRV (EU and
UK label: the %NRV a panel prints).
"""

import math
from functools import lru_cache
from typing import Literal, NamedTuple

from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.tables import read_table, table_rows

Sex = Literal["female", "male"]
INTAKE_MEASURES = ("RDA", "AI", "RNI", "RDI")
UPPER_MEASURES = ("UL", "GL", "MAX")
#: Authorities and what mgcalc calls them; their values are rows of intakes.csv.
AUTHORITIES: dict[str, str] = {
    "us": "US (IOM 1997, NIH ODS)",
    "eu": "EU (EFSA 2015; SCF 2001)",
    "uk": "UK (COMA 1991; EVM 2003)",
    "au": "Australia and New Zealand (NHMRC 2006)",
    "ca": "Canada (IOM DRIs; Health Canada NHP monograph)",
}
#: Age a profile without --age stands for: an adult (the 19+ rows).
ADULT_AGE = 19.0
MAX_AGE = 125.0
_COLUMNS = ("authority", "measure", "age_from", "age_to", "sex", "state", "mg", "source")


class _ProfileFields(NamedTuple):
    age: float | None
    sex: Sex | None
    pregnant: bool
    lactating: bool


class Profile(_ProfileFields):
    """Who takes the dose. ``age`` None means an adult of unstated age; ``sex`` None, either.

    Validated when made: an impossible profile raises MgcalcError.
    """

    __slots__ = ()

    def __new__(
        cls, age: float | None = None, sex: Sex | None = None, pregnant: bool = False, lactating: bool = False
    ) -> "Profile":
        if age is not None and not (math.isfinite(age) and 0 <= age <= MAX_AGE):
            raise MgcalcError(f"age {age} is outside 0 to {MAX_AGE:g} years")
        if sex not in (None, "female", "male"):
            raise MgcalcError(f"sex {sex!r} is not female or male")
        if pregnant and lactating:
            raise MgcalcError("choose --pregnant or --lactating, not both")
        if (pregnant or lactating) and sex == "male":
            raise MgcalcError("--pregnant and --lactating apply to --sex female")
        return super().__new__(cls, age, sex, pregnant, lactating)

    @property
    def state(self) -> str:
        return "pregnant" if self.pregnant else "lactating" if self.lactating else "none"

    def as_dict(self) -> dict[str, object]:
        return {"age": self.age, "sex": self.sex, "pregnant": self.pregnant, "lactating": self.lactating}


class Row(NamedTuple):
    """One row of the intakes table."""

    authority: str
    measure: str
    age_from: float
    age_to: float
    sex: str
    state: str
    mg: float | None
    source: str

    @property
    def group(self) -> str:
        """A short label for who the row is for, e.g. 'female 19-30 y, pregnant'."""
        upper = "+" if math.isinf(self.age_to) else f"-{self.age_to - 1:g}"
        ages = f"{self.age_from:g}{upper} y" if self.age_from >= 1 else (
            f"{self.age_from * 12:g}-{self.age_to * 12 - 1:g} months"
        )
        who = "" if self.sex == "any" else f"{self.sex} "
        state = "" if self.state in ("none", "any") else f", {self.state}"
        return f"{who}{ages}{state}"


class Intake(NamedTuple):
    """The intake reference (RDA or AI) for a profile.

    ``mg`` is set when the profile settles one value; otherwise ``options`` lists the
    candidate rows (e.g. female and male when no sex is given) and ``mg`` is None.
    """

    mg: float | None
    measure: str | None
    options: tuple[Row, ...]
    source: str | None


class UpperLevel(NamedTuple):
    """The supplemental upper level for a profile.

    ``mg`` is None where the authority establishes none (``row`` says so, with its source) or
    where mgcalc holds no value of that authority for the age (``row`` is None).
    """

    mg: float | None
    row: Row | None


def _number(text: str, where: str, column: str, *, empty: float | None) -> float | None:
    if not text.strip():
        if empty is None and column != "mg":
            raise FormsTableError(f"{where}: empty {column}")
        return empty
    try:
        value = float(text)
    except ValueError:
        raise FormsTableError(f"{where}: {column} {text!r} is not a number") from None
    if math.isnan(value) or value < 0:
        raise FormsTableError(f"{where}: {column} {text!r} must be a number >= 0")
    return value


def parse_intakes(text: str, origin: str) -> tuple[Row, ...]:
    """Validate CSV text as an intakes table."""
    rows = []
    for line, record in table_rows(text, origin, _COLUMNS):
        where = f"{origin}:{line}"
        age_from = _number(record["age_from"], where, "age_from", empty=None)
        age_to = _number(record["age_to"], where, "age_to", empty=math.inf)
        assert age_from is not None and age_to is not None
        if age_to <= age_from:
            raise FormsTableError(f"{where}: age_to must be above age_from")
        rows.append(
            Row(
                authority=record["authority"].strip(),
                measure=record["measure"].strip(),
                age_from=age_from,
                age_to=age_to,
                sex=record["sex"].strip(),
                state=record["state"].strip(),
                mg=_number(record["mg"], where, "mg", empty=None),
                source=record["source"].strip(),
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def load_intakes() -> tuple[Row, ...]:
    """The intakes table shipped with the package (read once per process)."""
    return parse_intakes(*read_table("intakes.csv", "intakes"))


def check_authority(authority: str) -> str:
    """The authority code, or MgcalcError naming the known ones."""
    if authority not in AUTHORITIES:
        raise MgcalcError(f"unknown authority {authority!r}; use one of {', '.join(AUTHORITIES)}")
    return authority


def _matching(profile: Profile, measures: tuple[str, ...], authority: str) -> list[Row]:
    """Rows for the profile; an unknown age means the adult rows, an unknown sex both sexes."""
    state_ok = {"any", profile.state}
    result = []
    for row in load_intakes():
        if row.authority != authority or row.measure not in measures or row.state not in state_ok:
            continue
        if profile.age is None:
            if row.age_from < ADULT_AGE and not row.age_from <= ADULT_AGE < row.age_to:
                continue
        elif not row.age_from <= profile.age < row.age_to:
            continue
        if profile.sex is not None and row.sex not in ("any", profile.sex):
            continue
        result.append(row)
    return result


@lru_cache(maxsize=256)
def intake(profile: Profile, authority: str = "us") -> Intake:
    """The intake reference that applies to ``profile``; several options when it does not settle one."""
    rows = _matching(profile, INTAKE_MEASURES, check_authority(authority))
    if not rows:
        return Intake(None, None, (), None)
    values = {row.mg for row in rows}
    first = rows[0]
    if len(values) == 1:
        return Intake(first.mg, first.measure, tuple(rows), first.source)
    return Intake(None, first.measure, tuple(rows), first.source)


@lru_cache(maxsize=256)
def upper_level(profile: Profile, authority: str = "us") -> UpperLevel:
    """The supplemental upper level for ``profile`` (the adult one when age is not given)."""
    rows = _matching(profile, UPPER_MEASURES, check_authority(authority))
    if not rows:
        return UpperLevel(None, None)
    # Where an unknown age spans several rows, the adult rows share one value.
    return UpperLevel(rows[-1].mg, rows[-1])


@lru_cache(maxsize=1)
def nutrient_reference_value() -> Row:
    """The EU/UK nutrient reference value a panel's %NRV is worked out against (one value for all)."""
    return next(row for row in load_intakes() if row.authority == "eu" and row.measure == "NRV")


@lru_cache(maxsize=256)
def daily_value(profile: Profile) -> float | None:
    """The US Supplement Facts Daily Value for the profile (adults and children 4+), else None."""
    rows = _matching(profile, ("DV",), "us")
    return rows[-1].mg if rows else None
