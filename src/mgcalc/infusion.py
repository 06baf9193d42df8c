"""An IV order as a pharmacist checks it: dose, concentration, rate and 24-hour total against the label.

``infusion("4g", "magnesium sulfate", into="100mL", over="30min")`` gives the salt and the
magnesium (mg, mmol, mEq), the concentration (% w/v, mg/mL, mmol/mL), the rate (mg of salt a
minute, mmol an hour, mL an hour), per kg with a weight, and each limit the label or SmPC states
(``data/limits.csv``) with its source and whether the order is within it. An order ten times the
largest usual single dose the label names is flagged on its own: the errors ISMP reports with
magnesium sulfate are unit errors of that size (mEq read as mL or g).
"""

import re
from typing import NamedTuple

from mgcalc.dose import component, read_source
from mgcalc.errors import MgcalcError, shown
from mgcalc.forms import Form
from mgcalc.limits import Limit, LimitCheck, judge, limits_for
from mgcalc.preparations import AUTHORITY_COUNTRY, FormReading, Preparation, load_preparations
from mgcalc.units import (
    DURATION_UNITS,
    MAGNESIUM_UNITS,
    factor,
    parse_amount,
    parse_magnesium,
    parse_mass,
    parse_weight,
    read_number,
    to_meq,
    to_mmol,
)

SCHEMA_VERSION = 1
#: Largest infusion volume accepted, in mL (5 L).
MAX_VOLUME_ML = 5000.0
#: Longest infusion accepted, in hours.
MAX_HOURS = 24.0
#: An order this many times the label's largest usual single dose is flagged.
TENFOLD = 10.0
MAX_PER_DAY = 24
_DURATION = re.compile(r"\s*(?P<num>[-+\u2212]?[0-9.,]*[0-9.](?:[eE][-+]?[0-9]+)?)\s*(?P<unit>[^\W\d_]*)\s*")
_MAGNESIUM_UNIT = re.compile(r"[0-9.]\s*(?P<unit>[^\W\d_]+)\s*$")


class Infusion(NamedTuple):
    """One IV order: the dose, the volume it is infused in, how long, and the label's limits."""

    reading: FormReading
    salt_mg: float
    elemental_mg: float
    #: mL of the injection itself (None for a salt named bare, whose own volume is unknown).
    drug_volume_ml: float | None
    #: mL it is diluted in (``--in``), None when infused as it is.
    diluent_ml: float | None
    volume_ml: float
    minutes: float | None
    weight_kg: float | None
    per_day: int
    #: Salt in 24 hours, in mg: ``--total``, or the order times ``--per-day``.
    total_mg: float
    total_given: bool
    country: str | None
    checks: tuple[LimitCheck, ...]
    usual: Limit | None
    notes: tuple[str, ...]

    @property
    def form(self) -> Form:
        return self.reading.form

    @property
    def preparation(self) -> Preparation | None:
        return self.reading.preparation

    @property
    def mmol(self) -> float:
        return to_mmol(self.elemental_mg)

    @property
    def meq(self) -> float:
        return to_meq(self.elemental_mg)

    @property
    def mg_per_ml(self) -> float:
        """mg of the salt per mL of what is infused."""
        return self.salt_mg / self.volume_ml

    @property
    def percent_w_v(self) -> float:
        """Grams of the salt per 100 mL."""
        return self.mg_per_ml / factor("gram", "milligram") * 100

    @property
    def mmol_per_ml(self) -> float:
        return self.mmol / self.volume_ml

    @property
    def meq_per_ml(self) -> float:
        return self.meq / self.volume_ml

    @property
    def rate_mg_per_min(self) -> float | None:
        return None if self.minutes is None else self.salt_mg / self.minutes

    @property
    def rate_mmol_per_h(self) -> float | None:
        return None if self.minutes is None else self.mmol / self.minutes * factor("hour", "minute")

    @property
    def rate_ml_per_h(self) -> float | None:
        return None if self.minutes is None else self.volume_ml / self.minutes * factor("hour", "minute")

    @property
    def tenfold(self) -> bool:
        """Ten times or more the largest usual single dose the label names."""
        return self.usual is not None and self.usual.max is not None and self.salt_mg >= TENFOLD * self.usual.max

    @property
    def over(self) -> bool:
        """Over any limit the label states, or a tenfold order: exit status 3."""
        return self.tenfold or any(check.over for check in self.checks)

    def per_kg(self, value: float) -> float | None:
        return None if self.weight_kg is None else value / self.weight_kg

    def as_dict(self) -> dict[str, object]:
        """The ``infusion --json`` contract (README); tests pin its exact keys."""
        usual = self.usual
        return {
            "schema_version": SCHEMA_VERSION,
            "form_id": self.form.id,
            "form_name": self.form.name,
            "preparation": None if self.preparation is None else self.preparation.id,
            "country": self.country,
            "salt_mg": self.salt_mg,
            "elemental_mg": self.elemental_mg,
            "mmol": self.mmol,
            "meq": self.meq,
            "drug_volume_ml": self.drug_volume_ml,
            "diluent_ml": self.diluent_ml,
            "volume_ml": self.volume_ml,
            "percent_w_v": self.percent_w_v,
            "mg_per_ml": self.mg_per_ml,
            "mmol_per_ml": self.mmol_per_ml,
            "meq_per_ml": self.meq_per_ml,
            "minutes": self.minutes,
            "rate_mg_per_min": self.rate_mg_per_min,
            "rate_mmol_per_h": self.rate_mmol_per_h,
            "rate_ml_per_h": self.rate_ml_per_h,
            "weight_kg": self.weight_kg,
            "salt_mg_per_kg": self.per_kg(self.salt_mg),
            "mg_per_kg": self.per_kg(self.elemental_mg),
            "mmol_per_kg": self.per_kg(self.mmol),
            "per_day": self.per_day,
            "total_24h_mg": self.total_mg,
            "limits": [check.as_dict() for check in self.checks],
            "usual_dose": None if usual is None else {**usual.as_dict(), "times": self.salt_mg / (usual.max or 1)},
            "tenfold": self.tenfold,
            "over": self.over,
            "warnings": list(self.notes),
        }


def infusion(
    amount: str,
    form: str,
    *,
    into: str | None = None,
    over: str | None = None,
    weight: str | None = None,
    per_day: int = 1,
    total: str | None = None,
    authority: str = "us",
) -> Infusion:
    """An IV order: ``amount`` of the salt (``4g``), of magnesium (``16 mmol``, ``32 mEq``) or a volume of
    an injection (``8mL``); ``into`` the volume it is diluted in; ``over`` how long it runs (``30min``,
    ``1.5 h``). MgcalcError for an oral product, a salt that mgcalc knows no injection of, and volumes
    or durations that are zero, negative or absurd (over 5 L, over 24 hours)."""
    reading = read_source(form, authority)
    _check_injectable(reading, form)
    salt_mg, elemental_mg, drug_ml = _dose(amount, form, reading, authority)
    diluent = None if into is None else _volume(into)
    if diluent is None and drug_ml is None:
        raise MgcalcError(f"give the volume {shown(form)} is infused in, e.g. --in 100mL")
    volume = (diluent or 0.0) + (drug_ml or 0.0)
    if volume > MAX_VOLUME_ML:
        raise MgcalcError(f"the infusion would be {volume:,.0f} mL, over {MAX_VOLUME_ML:,.0f} mL; check --in")
    minutes = None if over is None else duration_minutes(over)
    weight_kg = None if weight is None else parse_weight(weight)
    if isinstance(per_day, bool) or not 1 <= per_day <= MAX_PER_DAY:
        raise MgcalcError(f"--per-day must be a whole number from 1 to {MAX_PER_DAY}")
    if total is not None and per_day != 1:
        raise MgcalcError("give --per-day or --total, not both")
    total_mg = salt_mg * per_day if total is None else parse_mass(total, what="--total")
    if total_mg < salt_mg * (1 - 1e-9):
        raise MgcalcError(f"--total {shown(total or '')} is less than this one order "
                          f"({salt_mg / 1000:g} g of the salt)")
    row = reading.preparation
    country = row.country if row is not None else AUTHORITY_COUNTRY.get(authority)
    checks, usual = [], None
    for limit in limits_for("iv", country, reading.form.id, row.id if row else None):
        if limit.kind == "usual_dose":
            usual = limit
            continue
        value = {"concentration": salt_mg / volume / factor("gram", "milligram") * 100,
                 "rate": None if minutes is None else salt_mg / minutes,
                 "daily_mass": total_mg}.get(limit.kind)
        checks.append(judge(limit, value))
    notes = list(_notes(reading))
    if not checks:
        notes.append(f"mgcalc holds no IV limits from a label for {reading.form.name}"
                     f"{'' if country is None else f' ({country})'}; ask a pharmacist")
    if drug_ml is None and diluent is not None:
        notes.append(f"{reading.form.name} was given as a weight, so its own volume is not counted: the "
                     f"concentration is per {diluent:g} mL")
    return Infusion(reading, salt_mg, elemental_mg, drug_ml, diluent, volume, minutes, weight_kg, per_day, total_mg,
                    total is not None, country, tuple(checks), usual, tuple(notes))


def _check_injectable(reading: FormReading, typed: str) -> None:
    """An oral product is refused; so is a salt typed bare that no injection in mgcalc's table is of."""
    row = reading.preparation
    if row is not None:
        if row.route == "oral":
            raise MgcalcError(f"{row.name!r} ({row.country}) is taken by mouth, not infused; mgcalc infusion takes an "
                              "injection (see 'mgcalc preparations sulfate')")
        return
    injectable = {p.form_id for p in load_preparations() if p.route in ("iv", "im")}
    if reading.form.id not in injectable:
        names = ", ".join(sorted({p.name for p in load_preparations() if p.route == "iv"})[:3])
        raise MgcalcError(f"mgcalc knows no injection of {reading.form.name} ({shown(typed)}); infusions are of the "
                          f"salts of its injections, e.g. {names}")


def _dose(amount: str, form: str, reading: FormReading, authority: str) -> tuple[float, float, float | None]:
    """(mg of the salt, mg of magnesium, mL of the injection or None) of the amount ordered."""
    said = _MAGNESIUM_UNIT.search(amount)
    if said and said["unit"].lower() in MAGNESIUM_UNITS:
        magnesium = parse_magnesium(amount, what="amount")
        salt = magnesium * 100 / reading.form.percent_elemental
        part = component(salt, form, 1, authority)
    else:
        if parse_amount(amount).kind == "count":
            raise MgcalcError(f"amount {shown(amount)} counts sachets; an infusion is a weight, mmol, mEq or mL")
        part = component(amount, form, 1, authority)
    return part.compound_mg, part.elemental_mg, part.volume_ml


def _volume(text: str) -> float:
    measured = parse_amount(text, what="--in")
    if measured.kind != "volume":
        raise MgcalcError(f"--in {shown(text)} is not a volume; give e.g. --in 100mL")
    if measured.value > MAX_VOLUME_ML:
        raise MgcalcError(f"--in {shown(text)} is over {MAX_VOLUME_ML / 1000:g} L; check the number and unit")
    return measured.value


def duration_minutes(text: str) -> float:
    """``30min``, ``30 minutes``, ``1.5 h``, ``2 hours`` in minutes; above zero and at most 24 hours."""
    match = _DURATION.fullmatch(text) if len(text) <= 64 else None
    if match is None:
        raise MgcalcError(f"--over {shown(text)} is not a duration; give e.g. --over 30min or --over 2h")
    unit = DURATION_UNITS.get(match["unit"].lower())
    if unit is None:
        raise MgcalcError(f"--over {shown(text)} needs a unit of time: min or h, e.g. --over 30min")
    if match["num"][0] in "-\u2212":
        raise MgcalcError(f"--over {shown(text)} is negative; give how long the infusion runs, e.g. 30min")
    value, _ = read_number(match["num"].lstrip("+"), what="--over")
    minutes = value * (factor("hour", "minute") if unit == "hour" else 1.0)
    if minutes <= 0:
        raise MgcalcError(f"--over {shown(text)} is zero; give how long the infusion runs, e.g. 30min")
    if minutes > MAX_HOURS * factor("hour", "minute"):
        raise MgcalcError(f"--over {shown(text)} is over {MAX_HOURS:g} hours; give one infusion's duration")
    return minutes


def _notes(reading: FormReading) -> list[str]:
    found = []
    note = reading.resolution.note()
    if note:
        found.append(note)
    found.extend(reading.notes)
    return found
