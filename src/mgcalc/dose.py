"""The calculation: compound weights to elemental magnesium, compared with the references."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from mgcalc.errors import MgcalcError
from mgcalc.figures import beyond
from mgcalc.forms import Form, Resolution
from mgcalc.interactions import Interaction, lookup_all
from mgcalc.limits import LimitCheck, judge, limits_for
from mgcalc.notes import Note
from mgcalc.preparations import AUTHORITY_COUNTRY, FormReading, Preparation, Strength, read_form
from mgcalc.references import AUTHORITIES, Intake, Profile, UpperLevel, daily_value, intake, upper_level
from mgcalc.route import ROUTE_NAMES, USE_NAMES, Comparisons, comparisons, default_use
from mgcalc.units import (
    MAX_MG,
    MIN_MG,
    Amount,
    bounded_mg,
    magnesium_mg,
    parse_amount,
    parse_weight,
    per_kg,
    to_meq,
    to_mmol,
)

if TYPE_CHECKING:
    from mgcalc.products import ProductAmount

#: Version of the ``dose --json`` object; bumped when a key changes meaning or goes away
#: (keys may be added within a version; the README lists them). 2: judged by route and use (issue 31):
#: rda_mg, percent_rda, dv_mg, percent_dv (and for an injection ul_mg, percent_ul, over_ul) null where
#: they do not apply; an interaction's hours may be null (issue 20).
SCHEMA_VERSION = 2
#: Version of the ``compound --json`` object (keys may be added within a version).
COMPOUND_SCHEMA_VERSION = 1
MAX_PER_DAY = 24
_UPPER_NAMES = {"UL": "tolerable upper intake level", "GL": "guidance level", "MAX": "monograph maximum"}
#: What a dose is compared with when nothing says otherwise: a supplement taken by mouth.
ORAL_SUPPLEMENT = comparisons("oral", "supplement")


class Component(NamedTuple):
    """One compound of a dose, with amounts per day."""

    resolution: Resolution
    compound_mg: float
    elemental_mg: float
    #: mL of a liquid per day (None for a solid or a sachet).
    volume_ml: float | None = None
    #: The strength of a liquid or sachet, as read (None for a solid).
    strength: Strength | None = None
    #: Sachets per day, for a strength per sachet.
    sachets: float | None = None
    #: How the form was read (e.g. which country's product a bare preparation name meant).
    notes: tuple[str, ...] = ()
    #: The row of the preparations table the form named, if any.
    preparation: Preparation | None = None
    #: The count of a named product this component is ("2 tablets Mag-Ox 400"), if any.
    product: "ProductAmount | None" = None

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
            "volume_ml": self.volume_ml,
            "strength": None if self.strength is None else self.strength.text,
            "product_id": None if self.product is None else self.product.product.id,
        }


class DoseResult(NamedTuple):
    """A dose per day, its elemental magnesium and how it compares with the references."""

    components: tuple[Component, ...]
    per_day: int
    profile: Profile
    authority: str
    food_mg: float
    elemental_mg: float
    mmol: float
    meq: float
    intake: Intake
    upper: UpperLevel
    percent_rda: float | None
    percent_ul: float | None
    over_ul: bool | None
    percent_dv: float | None
    #: The US label Daily Value for the profile (420 mg; 400 pregnant or lactating; 80 at 1-3 y; 75 at 7-12 months).
    dv_mg: float | None = None
    #: What mgcalc's interactions table says about each drug given with ``with_drugs``.
    interactions: tuple[Interaction, ...] = ()
    #: Body weight in kg (``--weight``), and the dose per kg of it; None when no weight was given.
    weight_kg: float | None = None
    #: What the dose is compared with, by its route and use (route.comparisons).
    comparisons: Comparisons = ORAL_SUPPLEMENT
    #: The dose against each limit its label states (oral maximum daily dose, parenteral limits).
    label_checks: tuple[LimitCheck, ...] = ()

    @property
    def mg_per_kg(self) -> float | None:
        return None if self.weight_kg is None else self.elemental_mg / self.weight_kg

    @property
    def mmol_per_kg(self) -> float | None:
        return None if self.weight_kg is None else self.mmol / self.weight_kg

    @property
    def warnings(self) -> tuple[str, ...]:
        """Over the limit, infants, missing references, how names were read: computed when asked."""
        if self.comparisons.upper == "judge":
            return _warnings(self.components, self.elemental_mg, self.profile, self.intake, self.upper,
                             self.authority)
        found = list(_label_warnings(self))
        for c in self.components:
            found.extend(_form_notes(c.resolution, c.notes))
            if _has_range(c.form):
                found.append(_range_note(c.form, c.compound_mg))
        return tuple(found)

    @property
    def exceeds_limit(self) -> bool:
        """A supplement: over the upper level (or possibly over it, by the top of a content range), or
        any supplement for an infant (none is established under 1 year). Any other dose: over a limit
        its label states."""
        if self.comparisons.upper != "judge":
            return any(check.over for check in self.label_checks)
        infant = self.profile.age is not None and self.profile.age < 1
        return self.over_ul is True or infant or _may_exceed(self.components, self.upper)

    def reference(self) -> dict[str, object]:
        """Which authority's values were used, what kind they are, and their sources."""
        row = self.upper.row
        return {
            "authority": self.authority,
            "name": AUTHORITIES[self.authority],
            "intake_kind": self.intake.measure,
            "intake_source": self.intake.source,
            "upper_kind": row.measure if row else None,
            "upper_source": row.source if row else None,
        }

    def as_dict(self) -> dict[str, object]:
        """The ``--json`` contract (README, 'JSON output'); tests pin its exact keys."""
        return {
            "schema_version": SCHEMA_VERSION,
            "elemental_mg": self.elemental_mg,
            "mmol": self.mmol,
            "meq": self.meq,
            "components": [c.as_dict() for c in self.components],
            "profile": self.profile.as_dict(),
            "rda_mg": self.intake.mg if self.comparisons.intake else None,
            "ul_mg": self.upper.mg if self.comparisons.upper != "none" else None,
            "percent_rda": self.percent_rda,
            "percent_ul": self.percent_ul,
            "over_ul": self.over_ul,
            "percent_dv": self.percent_dv,
            "dv_mg": self.dv_mg,
            "mg_per_kg": self.mg_per_kg,
            "mmol_per_kg": self.mmol_per_kg,
            "reference": self.reference(),
            "warnings": list(self.warnings),
            "interactions": [i.as_dict() for i in self.interactions],
            "route": self.comparisons.route,
            "use": self.comparisons.use,
            "label_limits": [c.as_dict() for c in self.label_checks],
        }


class CompoundResult(NamedTuple):
    """How much of a compound delivers a target amount of elemental magnesium."""

    resolution: Resolution
    target_mg: float
    mmol: float
    meq: float
    compound_mg: float
    warnings: tuple[str, ...]
    #: mL of a liquid that holds the target (None for a solid), and sachets for a strength per sachet.
    volume_ml: float | None = None
    strength: Strength | None = None
    sachets: float | None = None
    preparation: Preparation | None = None
    #: Body weight for a target per kg (``0.2mmol/kg``), and that target per kg in mg; else None.
    weight_kg: float | None = None

    def as_dict(self) -> dict[str, object]:
        """The ``compound --json`` contract (README); tests pin its exact keys."""
        form = self.resolution.form
        return {
            "schema_version": COMPOUND_SCHEMA_VERSION,
            "target_mg": self.target_mg,
            "mmol": self.mmol,
            "meq": self.meq,
            "form_id": form.id,
            "form_name": form.name,
            "formula": form.formula,
            "percent_elemental": form.percent_elemental,
            "compound_mg": self.compound_mg,
            "volume_ml": self.volume_ml,
            "strength": None if self.strength is None else self.strength.text,
            "weight_kg": self.weight_kg,
            "warnings": list(self.warnings),
        }


def resolve_source(form: str | Form) -> Resolution:
    """The compound a person names (a preparation or a strength names its compound), refused if it is
    no magnesium source (an excipient)."""
    return read_source(form).resolution


def read_source(form: str | Form, authority: str = "us") -> FormReading:
    """A FORM (compound, compound with a strength, or preparation), refused if it is no magnesium source."""
    reading = FormReading(Resolution(form.id, form, "id")) if isinstance(form, Form) else read_form(form, authority)
    if reading.form.kind == "excipient":
        raise MgcalcError(f"{reading.form.name} is not a magnesium source: {reading.form.note}")
    return reading


def compound(
    target: str | float, form: str | Form, *, weight: str | float | None = None, authority: str = "us"
) -> CompoundResult:
    """Compound weight that delivers ``target`` magnesium: ``compound("4 mmol", "glycerophosphate")``.

    ``target`` is a mass ("200mg") or an amount of Mg2+ ("4 mmol", "8 mEq"), or a number in mg;
    per kilogram ("0.2mmol/kg") with ``weight`` ("20kg"). For a liquid (``"sulfate 50%"``) the
    result also gives the volume that holds it.
    """
    weight_kg = None if weight is None else _weight(weight)
    per = per_kg(target) if isinstance(target, str) else None
    if per is not None:
        if weight_kg is None:
            raise MgcalcError(f"target {target!r} is per kg of body weight; add the weight, e.g. --weight 20kg")
        target_mg = bounded_mg(magnesium_mg(per, what="target") * weight_kg, what="target")
    else:
        target_mg = magnesium_mg(target)
    reading = read_source(form, authority)
    strength, percent = reading.strength, reading.form.percent_elemental
    measure = None if strength is None else target_mg / strength.magnesium_per_one(reading.form)
    note = reading.resolution.note()
    return CompoundResult(
        resolution=reading.resolution,
        target_mg=target_mg,
        mmol=to_mmol(target_mg),
        meq=to_meq(target_mg),
        compound_mg=compound_weight(target_mg, percent),
        warnings=(*((note,) if note else ()), *reading.notes,
                  *_target_warnings(target_mg, reading.resolution.form, authority, _by_mouth(reading))),
        volume_ml=measure if strength is not None and strength.per_unit == "mL" else None,
        strength=strength,
        sachets=measure if strength is not None and strength.per_unit == "sachet" else None,
        preparation=reading.preparation,
        weight_kg=weight_kg,
    )


def _by_mouth(reading: FormReading) -> bool:
    """Whether the upper level (an intake by mouth) says anything about this form: not for an injection."""
    row = reading.preparation
    return row is None or comparisons(row.route, row.use).upper != "none"


def _target_warnings(target_mg: float, form: Form, authority: str, by_mouth: bool = True) -> tuple[str, ...]:
    """A target above the adult supplemental upper level (taken by mouth), and the spread a content range gives."""
    over = upper_level_warning(target_mg, upper_level(Profile(), authority), authority) if by_mouth else None
    warnings = [] if over is None else [over]
    if form.percent_min is not None and form.percent_max is not None:
        low, high = (compound_weight(target_mg, p) for p in (form.percent_max, form.percent_min))
        warnings.append(
            f"{form.name} contains {form.content} Mg by its monograph, so the target takes {_mg_text(low)}-"
            f"{_mg_text(high)} mg of it; the figure uses the midpoint, {form.percent_elemental:.2f} %"
        )
    return tuple(warnings)


def compound_weight(target_mg: float, percent_elemental: float) -> float:
    """Compound mg that carries ``target_mg`` of magnesium at ``percent_elemental`` % Mg."""
    return target_mg * 100 / percent_elemental


def _weight(weight: str | float) -> float:
    return parse_weight(weight) if isinstance(weight, str) else parse_weight(repr(float(weight)))


def component(amount: str | float, form: str | Form, per_day: int = 1, authority: str = "us") -> Component:
    """One compound: ``amount`` as text ("500mg", "15 mL", "1 sachet") or mg; ``form`` a name, formula or row.

    A volume needs a form with a strength (``"hydroxide 400mg/5mL"``) or a preparation
    (``"milk of magnesia"``); a mass of a liquid also gives the volume that holds it.
    """
    reading = read_source(form, authority)
    measured = parse_amount(amount) if isinstance(amount, str) else Amount(bounded_mg(amount), "mass")
    strength, form_row = reading.strength, reading.form
    shown = amount if isinstance(amount, str) else f"{amount!r} mg"
    if measured.kind == "mass":
        if strength is not None and strength.per_unit == "sachet":
            raise MgcalcError(
                f"{form!r} is counted in sachets, and a sachet's weight is not the weight of its salt; "
                "give the number of sachets, e.g. 1 sachet"
            )
        compound_mg = measured.value
        elemental_mg = _elemental(compound_mg, form_row.percent_elemental)
        measure = None if strength is None else compound_mg / strength.compound_per_one(form_row)
    else:
        wanted = "mL" if measured.kind == "volume" else "sachet"
        if strength is None:
            raise MgcalcError(
                f"amount {shown!r} is a {'volume' if wanted == 'mL' else 'number of sachets'}, but {form!r} has no "
                "strength; add it after the form, e.g. 'hydroxide 400mg/5mL', or name a preparation "
                "(mgcalc preparations)"
            )
        if strength.per_unit != wanted:
            said = "a volume (e.g. 15 mL)" if strength.per_unit == "mL" else "a number of sachets (e.g. 1 sachet)"
            raise MgcalcError(f"{form!r} is {strength.text}: give {said}, not {shown!r}")
        measure = measured.value
        elemental_mg = measure * strength.magnesium_per_one(form_row)
        compound_mg = measure * strength.compound_per_one(form_row)
    if measured.kind != "mass" and not MIN_MG <= compound_mg <= MAX_MG:
        raise MgcalcError(
            f"amount {shown!r} of {form!r} holds {compound_mg / 1000:,.10g} g of the compound, outside 1 µg to 1 kg; "
            "check the number and unit"
        )
    daily = None if measure is None else measure * per_day
    volume, sachets = (daily, None) if strength is None or strength.per_unit == "mL" else (None, daily)
    return Component(reading.resolution, compound_mg * per_day, elemental_mg * per_day, volume, strength, sachets,
                     reading.notes, reading.preparation)


def dose(
    amount: str | float,
    form: str | Form,
    *more: str | float | Form,
    per_day: int = 1,
    profile: Profile | None = None,
    food: str | float | None = None,
    authority: str = "us",
    weight: str | float | None = None,
    with_drugs: Sequence[str] = (),
    route: str | None = None,
) -> DoseResult:
    """Elemental magnesium of one compound, or a blend: ``dose("250mg", "oxide", "500mg", "citrate")``.

    Amounts are text with a unit or numbers in mg, or volumes of a liquid (``dose("15 mL",
    "milk of magnesia")``); ``per_day`` multiplies the listed amounts; ``food`` is magnesium
    from food (counts toward the RDA, never the UL); ``authority`` picks the reference values
    (us, eu, uk, au or ca) and the country of a preparation named bare; ``weight`` ("20kg")
    adds the dose per kg of body weight; ``with_drugs`` names medicines taken too, each looked
    up in the interactions table; ``route`` (oral, iv, im) is how a form typed bare is given (a
    preparation's route and use are its row's). The route and use decide what the dose is
    compared with (``mgcalc.route.comparisons``).
    """
    if len(more) % 2:
        raise MgcalcError("amounts and forms come in pairs: AMOUNT FORM [AMOUNT FORM ...]")
    _check_per_day(per_day)
    pairs: Sequence[tuple[object, object]] = [(amount, form), *zip(more[::2], more[1::2], strict=True)]
    components = tuple(component(a, f, per_day, authority) for a, f in pairs)  # type: ignore[arg-type]
    return dose_of(components, per_day, profile, food, authority, weight, with_drugs, route)


def dose_of(
    components: tuple[Component, ...],
    per_day: int = 1,
    profile: Profile | None = None,
    food: str | float | None = None,
    authority: str = "us",
    weight: str | float | None = None,
    with_drugs: Sequence[str] = (),
    route: str | None = None,
) -> DoseResult:
    """A dose of components already read (as ``dose`` reads them, or counts of a product), compared
    as its route and use require."""
    _check_per_day(per_day)
    result = by_route(evaluate(components, per_day, profile or Profile(), food, authority), route)
    if weight is not None:
        result = result._replace(weight_kg=_weight(weight))
    if isinstance(with_drugs, str):
        with_drugs = (with_drugs,)
    return result._replace(interactions=lookup_all(tuple(with_drugs))) if with_drugs else result


def route_of(components: Sequence[Component], route: str | None = None) -> Comparisons:
    """The comparisons for a dose: a preparation's route and use are its row's; a form typed bare is
    given by ``route`` (by mouth when None). A dose mixing routes or uses is refused, as each is judged
    by its own rules."""
    found: dict[tuple[str, str], str] = {}
    for c in components:
        named = c.product.product if c.product is not None else None
        row = c.preparation
        if named is not None:  # a named product: its own route and use
            found.setdefault((named.route, named.use), named.name)
        elif row is not None:
            if route is not None and route != row.route:
                raise MgcalcError(
                    f"{row.name!r} ({row.country}) is given {ROUTE_NAMES[row.route]} ({row.route}) by its label; "
                    f"--route {route} does not apply to it"
                )
            found.setdefault((row.route, row.use), row.name)
        else:
            given = route or "oral"
            found.setdefault((given, default_use(given)), c.form.name)
    if len(found) > 1:
        listed = "; ".join(f"{name}: {ROUTE_NAMES[r]}, {USE_NAMES[u]}" for (r, u), name in found.items())
        raise MgcalcError(f"this dose mixes routes or uses ({listed}); each is judged by its own rules: "
                          "give them as separate doses")
    return comparisons(*next(iter(found)))


def by_route(result: DoseResult, route: str | None = None) -> DoseResult:
    """``result`` compared as its route and use require: RDA, %DV and UL only where they apply, and
    the limits the label states."""
    rules = route_of(result.components, route)
    if rules == ORAL_SUPPLEMENT:
        return result
    changed: dict[str, object] = {"comparisons": rules, "label_checks": _label_checks(result, rules)}
    if not rules.intake:
        changed.update(percent_rda=None, percent_dv=None, dv_mg=None)
    if rules.upper == "none":
        changed.update(percent_ul=None, over_ul=None)
    return result._replace(**changed)  # type: ignore[arg-type]


def _country(component: Component, authority: str) -> str | None:
    row = component.preparation
    return row.country if row is not None else AUTHORITY_COUNTRY.get(authority)


def _label_checks(result: DoseResult, rules: Comparisons) -> tuple[LimitCheck, ...]:
    """Each component against the limits its label states that a daily dose can be judged by (the
    maximum daily volume, the total in 24 hours); concentration and rate need an infusion's volume
    and duration (``mgcalc infusion``), so they are listed without a verdict."""
    checks = []
    for c in result.components:
        row = c.preparation
        for limit in limits_for(rules.route, _country(c, result.authority), c.form.id,
                                row.id if row else None, result.profile.age):
            if limit.kind == "usual_dose":  # not a limit (mgcalc infusion flags a tenfold order with it)
                continue
            value = {"daily_volume": c.volume_ml, "daily_mass": c.compound_mg}.get(limit.kind)
            checks.append(judge(limit, value))
    return tuple(checks)


def _label_warnings(result: DoseResult) -> list[str]:
    """Over a label's limit, the label's 'ask a doctor', or no label limit held for this dose."""
    found: list[str] = []
    for check in result.label_checks:
        limit = check.limit
        if check.over:
            assert check.value is not None and limit.max is not None
            who = f" for {limit.who}" if limit.who else ""
            found.append(Note.over(f"OVER THE LABEL'S LIMIT: {limit.printed(check.value)} is above the "
                                   f"{limit.printed(limit.max)} {_LIMIT_WORDS[limit.kind]} its label states{who} "
                                   f"({limit.source})"))
        elif limit.max is None:
            found.append(f"the label gives no maximum for this age: {limit.quote} ({limit.source})")
    rules = result.comparisons
    if not result.label_checks:
        what = "maximum daily dose" if rules.label_daily else "parenteral limits"
        found.append(f"mgcalc holds no {what} from the label of this product; ask a pharmacist")
    return found


_LIMIT_WORDS = {"daily_volume": "a day", "daily_mass": "in 24 hours", "concentration": "for IV use",
                "rate": "rate"}


def _check_per_day(per_day: object) -> None:
    if isinstance(per_day, bool) or not isinstance(per_day, int) or not 1 <= per_day <= MAX_PER_DAY:
        raise MgcalcError(f"per day must be a whole number from 1 to {MAX_PER_DAY}")


def evaluate(
    components: tuple[Component, ...],
    per_day: int,
    profile: Profile,
    food: str | float | None = None,
    authority: str = "us",
) -> DoseResult:
    """Compare daily components with the profile's intake reference and supplemental upper level."""
    food_mg = 0.0 if food is None else magnesium_mg(food, what="food", zero=True)
    elemental = sum(c.elemental_mg for c in components)
    rda = intake(profile, authority)
    upper = upper_level(profile, authority)
    dv = daily_value(profile)
    mmol, meq, percent_rda, percent_ul, over_ul, percent_dv = _compared(elemental, food_mg, rda.mg, upper.mg, dv)
    return DoseResult(
        components=components,
        per_day=per_day,
        profile=profile,
        authority=authority,
        food_mg=food_mg,
        elemental_mg=elemental,
        mmol=mmol,
        meq=meq,
        intake=rda,
        upper=upper,
        percent_rda=percent_rda,
        percent_ul=percent_ul,
        over_ul=over_ul,
        percent_dv=percent_dv,
        dv_mg=dv,
    )


def _elemental(compound_mg: float, percent_elemental: float) -> float:
    """Magnesium in ``compound_mg`` of a compound that is ``percent_elemental`` % Mg."""
    return compound_mg * percent_elemental / 100


def _compared(
    elemental: float, food_mg: float, rda_mg: float | None, ul_mg: float | None, dv_mg: float | None
) -> tuple[float, float, float | None, float | None, bool | None, float | None]:
    """mmol, mEq, % of the RDA (food included), % of the UL, over the UL, and % DV of a daily dose."""
    return (
        to_mmol(elemental),
        to_meq(elemental),
        None if rda_mg is None else 100 * (elemental + food_mg) / rda_mg,
        None if ul_mg is None else 100 * elemental / ul_mg,
        None if ul_mg is None else elemental > ul_mg,
        None if dv_mg is None else 100 * elemental / dv_mg,
    )


class Daily(NamedTuple):
    """A mass of one compound taken per day, as a Plan computes it (the figures ``dose`` gives)."""

    compound_mg: float
    elemental_mg: float
    mmol: float
    meq: float
    percent_rda: float | None
    percent_ul: float | None
    over_ul: bool | None
    percent_dv: float | None
    warnings: tuple[str, ...]


class NotAMass(MgcalcError):
    """A Plan of a form with a strength (a liquid, a sachet): dose computes those."""


class Plan:
    """A dose of one compound, ``per_day`` times a day, for a profile: what does not depend on the
    amount (the form read, the references found, the notes on the form) worked out once, so that
    ``daily(mg)`` costs the arithmetic. It computes with the functions ``dose`` uses (tests compare
    the two), for work that repeats one form with many amounts, as batch does.
    """

    def __init__(self, form: str | Form, per_day: int = 1, profile: Profile | None = None,
                 authority: str = "us") -> None:
        """MgcalcError as ``dose`` raises it for this form and per_day, whatever the amount (NotAMass
        for a liquid or sachet, which dose computes)."""
        _check_per_day(per_day)
        self.reading = reading = read_source(form, authority)
        if reading.strength is not None:
            raise NotAMass(f"{form!r} is a liquid or sachet: Plan takes a compound's mass only; use dose()")
        self.form = reading.form
        self.per_day = per_day
        self.profile = profile = profile or Profile()
        self.authority = authority
        self.intake = intake(profile, authority)
        self.upper = upper_level(profile, authority)
        self.dv = daily_value(profile)
        self._notes = tuple(_form_notes(reading.resolution, reading.notes))
        self._range = _has_range(self.form)
        self._top = self.form.percent_max if self.form.percent_max is not None else self.form.percent_elemental
        self._quiet: tuple[str, ...] | None = None  # the warnings of an amount that adds none of its own

    def daily(self, mg: float) -> Daily:
        """``mg`` of the compound per dose (a number of mg, checked as ``dose`` checks it)."""
        mg = bounded_mg(mg)
        compound_mg = mg * self.per_day
        elemental = _elemental(mg, self.form.percent_elemental) * self.per_day
        mmol, meq, percent_rda, percent_ul, over_ul, percent_dv = _compared(
            elemental, 0.0, self.intake.mg, self.upper.mg, self.dv)
        return Daily(compound_mg, elemental, mmol, meq, percent_rda, percent_ul, over_ul, percent_dv,
                     self._warnings(elemental, compound_mg))

    def _warnings(self, elemental: float, compound_mg: float) -> tuple[str, ...]:
        highest = _elemental(compound_mg, self._top)
        upper = self.upper.mg
        # Below every limit (the Canadian 350 mg claim line included), the warnings are the same for any amount.
        quiet = (not self._range and upper is not None and self.upper.row is not None and elemental <= upper
                 and highest <= upper and elemental <= 350 and (self.profile.age is None or self.profile.age >= 1))
        if quiet and self._quiet is not None:
            return self._quiet
        warnings = _reference_warnings(elemental, highest, self.profile, self.intake, self.upper, self.authority)
        warnings.extend(self._notes)
        if self._range:
            warnings.append(_range_note(self.form, compound_mg))
        if quiet:
            self._quiet = tuple(warnings)
        return tuple(warnings)


def _warnings(
    components: tuple[Component, ...],
    elemental: float,
    profile: Profile,
    rda: Intake,
    upper: UpperLevel,
    authority: str,
) -> tuple[str, ...]:
    warnings = _reference_warnings(elemental, _highest(components), profile, rda, upper, authority)
    for c in components:
        warnings.extend(_form_notes(c.resolution, c.notes))
        if _has_range(c.form):
            warnings.append(_range_note(c.form, c.compound_mg))
    return tuple(warnings)


def upper_level_warning(supplemental_mg: float, upper: UpperLevel, authority: str,
                        highest: float | None = None) -> str | None:
    """The one warning for magnesium over the supplemental upper level, shared by dose, compound,
    compare and batch; None when ``supplemental_mg`` (mg/day) is within it or none is established.

    ``highest`` is what the top of content ranges would give (USP carbonate, trisilicate): over
    the level by it alone, the dose MAY BE over.
    """
    if upper.mg is None or upper.row is None:
        return None
    if supplemental_mg > upper.mg:
        return Note.over(
            f"OVER THE UPPER LEVEL: {beyond(supplemental_mg, upper.mg)} mg/day of supplemental magnesium is "
            f"above the {upper.mg:g} mg/day {_UPPER_NAMES[upper.row.measure]} "
            f"({authority.upper()}, {upper.row.group}); digestive effects such as diarrhoea become likely"
        )
    if highest is not None and highest > upper.mg:
        return (
            f"MAY BE OVER THE UPPER LEVEL: with the top of its content range this dose gives up to "
            f"{beyond(highest, upper.mg)} mg/day of supplemental magnesium, above the {upper.mg:g} mg/day "
            f"{_UPPER_NAMES[upper.row.measure]} ({authority.upper()}, {upper.row.group})"
        )
    return None


def _reference_warnings(
    elemental: float, highest: float, profile: Profile, rda: Intake, upper: UpperLevel, authority: str
) -> list[str]:
    """Warnings from the references: over (or possibly over, by ``highest``, the top of content
    ranges) the upper level, infants, references mgcalc does not hold."""
    warnings = []
    age = "an adult" if profile.age is None else f"age {profile.age:g}"
    if profile.age is not None and profile.age < 1:
        warnings.append(
            "no upper level is established under 1 year of age: give magnesium supplements "
            "to infants only under medical supervision"
        )
    elif (over := upper_level_warning(elemental, upper, authority, highest)) is not None:
        warnings.append(over)
    elif upper.mg is None and upper.row is not None:
        warnings.append(f"no {authority.upper()} upper level is established for {age} ({upper.row.source})")
    elif upper.row is None:
        warnings.append(f"mgcalc holds no {authority.upper()} upper level for {age}; try --authority us")
    if not rda.options:
        if profile.pregnant or profile.lactating:
            warnings.append(f"no {profile.state} intake reference is tabulated for {age}; ask a clinician")
        else:
            warnings.append(f"mgcalc holds no {authority.upper()} intake reference for {age}; try --authority us")
    if authority == "ca" and upper.row is not None and upper.row.measure == "MAX" and elemental > 350:
        warnings.append("in Canada an adult product above 350 mg/day needs a specific claim (NHP monograph)")
    return warnings


def _form_notes(resolution: Resolution, notes: tuple[str, ...]) -> list[str]:
    """What a reader should know about how a form was read, whatever the amount."""
    found = []
    note = resolution.note()
    if note:
        found.append(note)
    found.extend(notes)
    form = resolution.form
    if form.kind == "declared":
        found.append(f"{form.name}: {form.percent_elemental:.2f} % Mg is declared by the maker ({form.source})")
    return found


def _has_range(form: Form) -> bool:
    return form.kind == "range" and form.percent_min is not None and form.percent_max is not None


def _range_note(form: Form, compound_mg: float) -> str:
    """The spread of magnesium in ``compound_mg`` of a form with a content range."""
    assert form.percent_min is not None and form.percent_max is not None
    low, high = (compound_mg * p / 100 for p in (form.percent_min, form.percent_max))
    return (
        f"{form.name} contains {form.content} Mg by its monograph, so {_mg_text(compound_mg)} mg gives "
        f"{_mg_text(low)}-{_mg_text(high)} mg; the figures use the midpoint, {form.percent_elemental:.2f} %"
    )


def _highest(components: tuple[Component, ...]) -> float:
    """Magnesium per day with every range form at the top of its content range."""
    return sum(c.compound_mg * (c.form.percent_max if c.form.percent_max is not None else c.form.percent_elemental)
               / 100 for c in components)


def _may_exceed(components: tuple[Component, ...], upper: UpperLevel) -> bool:
    """Whether the top of a range form's content would take the dose over the upper level."""
    return upper.mg is not None and _highest(components) > upper.mg




def _mg_text(mg: float) -> str:
    return f"{mg:,.1f}".removesuffix(".0")
