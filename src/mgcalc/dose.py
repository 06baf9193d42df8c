"""The calculation: compound weights to elemental magnesium, compared with the references."""

from collections.abc import Sequence
from typing import NamedTuple

from mgcalc.errors import MgcalcError
from mgcalc.forms import Form, Resolution, load_forms
from mgcalc.references import Intake, Profile, UpperLevel, intake, upper_level
from mgcalc.units import parse_mass, to_meq, to_mmol

#: Version of the ``dose --json`` object; bumped when a key changes meaning or goes away.
SCHEMA_VERSION = 1
MAX_PER_DAY = 24


class Component(NamedTuple):
    """One compound of a dose, with amounts per day."""

    resolution: Resolution
    compound_mg: float
    elemental_mg: float

    @property
    def form(self) -> Form:
        return self.resolution.form

    def as_dict(self) -> dict[str, object]:
        return {
            "form_id": self.form.id,
            "form_name": self.form.name,
            "formula": self.form.formula,
            "compound_mg": self.compound_mg,
            "percent_elemental": self.form.percent_elemental,
            "elemental_mg": self.elemental_mg,
        }


class DoseResult(NamedTuple):
    """A dose per day, its elemental magnesium and how it compares with the references."""

    components: tuple[Component, ...]
    per_day: int
    profile: Profile
    food_mg: float
    elemental_mg: float
    mmol: float
    meq: float
    intake: Intake
    upper: UpperLevel
    percent_rda: float | None
    percent_ul: float | None
    over_ul: bool | None
    warnings: tuple[str, ...]

    @property
    def exceeds_limit(self) -> bool:
        """Over the UL, or a supplement where no UL is established (infants)."""
        return self.over_ul is True or self.upper.mg is None

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` contract (README, 'JSON output'); tests pin its exact keys."""
        return {
            "schema_version": SCHEMA_VERSION,
            "elemental_mg": self.elemental_mg,
            "mmol": self.mmol,
            "meq": self.meq,
            "components": [c.as_dict() for c in self.components],
            "profile": self.profile.as_dict(),
            "rda_mg": self.intake.mg,
            "ul_mg": self.upper.mg,
            "percent_rda": self.percent_rda,
            "percent_ul": self.percent_ul,
            "over_ul": self.over_ul,
            "warnings": list(self.warnings),
        }


def component(amount: str | float, form: str | Form, per_day: int = 1) -> Component:
    """One compound: ``amount`` as text ("500mg") or mg, ``form`` as a name, formula or row."""
    compound_mg = parse_mass(amount) if isinstance(amount, str) else _mg(amount)
    if isinstance(form, Form):
        resolution = Resolution(form.id, form, "id")
    else:
        resolution = load_forms().resolve(form)
    if resolution.form.kind == "excipient":
        raise MgcalcError(f"{resolution.form.name} is not a magnesium source: {resolution.form.note}")
    daily = compound_mg * per_day
    return Component(resolution, daily, daily * resolution.form.percent_elemental / 100)


def dose(
    amount: str | float,
    form: str | Form,
    *more: str | float | Form,
    per_day: int = 1,
    profile: Profile | None = None,
    food: str | float | None = None,
) -> DoseResult:
    """Elemental magnesium of one compound, or a blend: ``dose("250mg", "oxide", "500mg", "citrate")``.

    Amounts are text with a unit or numbers in mg; ``per_day`` multiplies the listed
    amounts; ``food`` is magnesium from food (counts toward the RDA, never the UL).
    """
    if len(more) % 2:
        raise MgcalcError("amounts and forms come in pairs: AMOUNT FORM [AMOUNT FORM ...]")
    if isinstance(per_day, bool) or not isinstance(per_day, int) or not 1 <= per_day <= MAX_PER_DAY:
        raise MgcalcError(f"per day must be a whole number from 1 to {MAX_PER_DAY}")
    pairs: Sequence[tuple[object, object]] = [(amount, form), *zip(more[::2], more[1::2], strict=True)]
    components = tuple(component(a, f, per_day) for a, f in pairs)  # type: ignore[arg-type]
    return evaluate(components, per_day, profile or Profile(), food)


def evaluate(
    components: tuple[Component, ...],
    per_day: int,
    profile: Profile,
    food: str | float | None = None,
) -> DoseResult:
    """Compare daily components with the profile's RDA and supplemental UL."""
    food_mg = 0.0 if food is None else parse_mass(food, what="food") if isinstance(food, str) else _mg(food)
    elemental = sum(c.elemental_mg for c in components)
    rda = intake(profile)
    upper = upper_level(profile)
    percent_rda = None if rda.mg is None else 100 * (elemental + food_mg) / rda.mg
    percent_ul = None if upper.mg is None else 100 * elemental / upper.mg
    over_ul = None if upper.mg is None else elemental > upper.mg
    return DoseResult(
        components=components,
        per_day=per_day,
        profile=profile,
        food_mg=food_mg,
        elemental_mg=elemental,
        mmol=to_mmol(elemental),
        meq=to_meq(elemental),
        intake=rda,
        upper=upper,
        percent_rda=percent_rda,
        percent_ul=percent_ul,
        over_ul=over_ul,
        warnings=_warnings(components, elemental, profile, rda, upper),
    )


def _warnings(
    components: tuple[Component, ...],
    elemental: float,
    profile: Profile,
    rda: Intake,
    upper: UpperLevel,
) -> tuple[str, ...]:
    warnings = []
    if upper.mg is None:
        warnings.append(
            "no upper level is established under 1 year of age: give magnesium supplements "
            "to infants only under medical supervision"
        )
    elif elemental > upper.mg:
        warnings.append(
            f"OVER THE UPPER LEVEL: {elemental:.0f} mg/day of supplemental magnesium is above "
            f"the {upper.mg:g} mg/day tolerable upper intake level ({upper.row.group}); "
            "diarrhoea and other digestive effects become likely"
        )
    if rda.mg is None and not rda.options and (profile.pregnant or profile.lactating):
        warnings.append(
            f"no {profile.state} RDA is tabulated for age {profile.age:g}; "
            "ask a clinician for the intake to aim at"
        )
    for c in components:
        note = c.resolution.note()
        if note:
            warnings.append(note)
    return tuple(warnings)


def _mg(value: float) -> float:
    """A number already in mg (the Python API), bounded like a typed amount."""
    return parse_mass(f"{value!r}mg") if isinstance(value, (int, float)) else parse_mass(str(value))
