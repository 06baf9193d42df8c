"""Does a label add up? Declared magnesium against the compound weight and form it names.

``check`` takes the three figures; ``check_label`` reads label text as printed (a line, or a whole
panel) with ``label`` and ``panel`` and says what can be checked: a verdict (``consistent`` True
or False) or why not (``consistent`` None and a ``reason``), never a guess.
"""

import math
from typing import TYPE_CHECKING, NamedTuple

from mgcalc.dose import resolve_source
from mgcalc.errors import MgcalcError
from mgcalc.forms import Form, Resolution, load_forms
from mgcalc.notes import Note
from mgcalc.references import Profile, daily_value
from mgcalc.units import magnesium_mg, mass_mg

if TYPE_CHECKING:
    from mgcalc.basis import Basis
    from mgcalc.label import Figure, Reading

#: Version of the ``check --json`` object. 2: compound_mg, form_id, expected_mg and consistent
#: may be null (a label read but not checkable); keys forms, reason, per, percent_dv_printed,
#: percent_dv_expected, implied_compound_mg and per_unit added. 3: basis, per_day,
#: other_ingredients and percent_of added; a %DV or %NRV that does not match makes consistent false
#: (with its reason).
CHECK_SCHEMA_VERSION = 3
#: Default tolerance, in percent of the expected figure: labels round the declared magnesium
#: (to whole mg, or to 5 or 10 mg on larger amounts) and often the compound weight too.
DEFAULT_TOLERANCE = 5.0
#: A declared figure this close to the compound weight is the compound weight printed as magnesium.
_MISPRINT_RATIO = 0.9
#: The one US Daily Value before the 2016 label rule (21 CFR 101.9(c)(8)(iv), earlier text).
PRE_2016_DV_MG = 400.0


class PerUnit(NamedTuple):
    """A Supplement Facts serving of several units, and the figures per unit."""

    unit: str
    units: float
    declared_mg: float | None
    compound_mg: float | None
    #: The compound one unit would hold for the declared magnesium, when only that is printed.
    implied_compound_mg: float | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self._asdict())


class PerDay(NamedTuple):
    """The magnesium a day the label's directions allow, against the supplemental upper level."""

    units_low: float | None
    units_high: float
    unit: str
    mg_low: float | None
    mg_high: float
    #: The directions as read ("2 tablets, twice a day") and the text they were read from.
    how: str
    text: str
    upper_level_mg: float | None
    #: Whose upper level ("US UL, 9+ y").
    upper_level: str
    over_upper_level: bool | None

    def as_dict(self) -> dict[str, object]:
        return dict(self._asdict())


class CheckResult(NamedTuple):
    """The verdict on a label, or why it cannot be given (``consistent`` None, ``reason``)."""

    declared_mg: float | None
    compound_mg: float | None
    resolution: Resolution | None
    expected_mg: float | None
    deviation_percent: float | None
    tolerance: float
    consistent: bool | None
    explained_by: tuple[Form, ...]
    issues: tuple[str, ...]
    forms: tuple[Form, ...] = ()
    reason: str | None = None
    per: str | None = None
    percent_dv_printed: float | None = None
    percent_dv_expected: float | None = None
    #: For a label that prints only magnesium: the compound weight it implies (low, high; equal
    #: for one form, all of the richest to all of the poorest form for a blend).
    implied_compound_mg: tuple[float, float] | None = None
    per_unit: PerUnit | None = None
    #: What the figures are for, as the label states it (a ``basis.Basis``), or None.
    basis: "Basis | None" = None
    per_day: PerDay | None = None
    #: Why no daily figure is given though the label prints directions, or None.
    directions_problem: str | None = None
    #: Other ingredients' rows set aside: (name, figures as printed).
    other_ingredients: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: What the printed percentage is of: "DV" (US Daily Value) or "NRV" (EU/UK reference value).
    percent_of: str = "DV"

    def as_dict(self) -> dict[str, object]:
        """The ``check --json`` contract (README); tests pin its exact keys."""
        return {
            "schema_version": CHECK_SCHEMA_VERSION,
            "declared_mg": self.declared_mg,
            "compound_mg": self.compound_mg,
            "form_id": self.resolution.form.id if self.resolution else None,
            "forms": [f.id for f in self.forms],
            "expected_mg": self.expected_mg,
            "deviation_percent": self.deviation_percent,
            "consistent": self.consistent,
            "reason": self.reason,
            "per": self.per,
            "percent_dv_printed": self.percent_dv_printed,
            "percent_dv_expected": self.percent_dv_expected,
            "implied_compound_mg": list(self.implied_compound_mg) if self.implied_compound_mg else None,
            "per_unit": self.per_unit.as_dict() if self.per_unit else None,
            "basis": self.basis.as_dict() if self.basis else None,
            "per_day": self.per_day.as_dict() if self.per_day else None,
            "directions_problem": self.directions_problem,
            "other_ingredients": [{"name": name, "figures": list(figures)} for name, figures in self.other_ingredients],
            "percent_of": self.percent_of,
            "explained_by": [f.id for f in self.explained_by],
            "issues": list(self.issues),
        }


def check(declared: str | float, compound_amount: str | float, form: str | Form,
          tolerance: float = DEFAULT_TOLERANCE) -> CheckResult:
    """Check declared magnesium against ``compound_amount`` of ``form``: ``check("64mg", "535mg", "chloride")``."""
    _check_tolerance(tolerance)
    declared_mg = magnesium_mg(declared, what="declared magnesium")
    compound_mg = mass_mg(compound_amount, what="compound amount")
    return _checked(declared_mg, compound_mg, resolve_source(form), tolerance)


def is_consistent(declared: str | float, compound_amount: str | float, form: str | Form,
                  tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Only the verdict of ``check``, without the search for explanations (for batch work)."""
    _check_tolerance(tolerance)
    declared_mg = magnesium_mg(declared, what="declared magnesium")
    compound_mg = mass_mg(compound_amount, what="compound amount")
    return agrees(declared_mg, expected_mg(compound_mg, resolve_source(form).form), tolerance)


def expected_mg(compound_mg: float, form: Form) -> float:
    """The magnesium ``compound_mg`` of ``form`` carries: what a label should declare."""
    return compound_mg * form.percent_elemental / 100


def agrees(declared_mg: float, expected: float, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether a declared figure is within ``tolerance`` % of the expected one (the verdict of check)."""
    return abs(100 * (declared_mg - expected) / expected) <= tolerance


def _check_tolerance(tolerance: float) -> None:
    if not 0 <= tolerance <= 100:
        raise MgcalcError(f"tolerance {tolerance:g} % is outside 0 to 100")


def _checked(declared_mg: float, compound_mg: float, resolution: Resolution, tolerance: float,
             ) -> CheckResult:
    form = resolution.form
    expected = expected_mg(compound_mg, form)
    deviation = 100 * (declared_mg - expected) / expected
    consistent = agrees(declared_mg, expected, tolerance)
    explained = _explaining(declared_mg, compound_mg, tolerance, form.family)
    issues = _issues(declared_mg, compound_mg, resolution, consistent, explained, tolerance)
    return CheckResult(declared_mg, compound_mg, resolution, expected, deviation, tolerance, consistent,
                       explained, issues, forms=(form,))


# --- labels as printed ------------------------------------------------------------------------


def check_label(text: str, tolerance: float = DEFAULT_TOLERANCE, profile: Profile | None = None,
                authority: str = "us") -> CheckResult:
    """Read label text as printed (one line, or a whole panel over several lines) and check it.

    ``check_label("Magnesium Oxide 400mg (241.3mg elemental magnesium)")`` is consistent;
    a label that can be read but not checked comes back with ``consistent`` None and a reason.
    MgcalcError only for text that names no magnesium at all, or bad figures.
    """
    from mgcalc.label import guarded, prepared  # only --label needs the reader
    from mgcalc.panel import read_panel

    _check_tolerance(tolerance)
    text = prepared(text)
    return check_reading(guarded(text, read_panel(text)), tolerance, profile or Profile(), authority)


def check_reading(reading: "Reading", tolerance: float = DEFAULT_TOLERANCE,
                  profile: Profile | None = None, authority: str = "us") -> CheckResult:
    """The verdict on what a label was read to say (see ``label.Reading``): the figures against the
    chemistry, the %DV or %NRV against its reference value, and the day's magnesium by the
    directions against the supplemental upper level."""
    profile = profile or Profile()
    result = _verdict_of(reading, tolerance)
    dv_printed, dv_expected, dv_issues, dv_agrees = _percent_dv(
        reading.percent_dv_printed, reading.declared_mg, profile, reading.percent_of)
    for audience in reading.audiences if dv_agrees is False else ():  # "% Daily Value for Children 1-3"
        named = _percent_dv(reading.percent_dv_printed, reading.declared_mg, audience, reading.percent_of)
        if named[3]:
            dv_printed, dv_expected, dv_issues, dv_agrees = named[0], named[1], (
                f"the %DV printed is worked out against the Daily Value for the audience the panel names "
                f"({audience.state if audience.state not in ('none', 'any') else f'age {audience.age:g}'})",), True
            break
    if dv_agrees is False and result.consistent is not False:
        result = result._replace(consistent=False, reason=dv_issues[-1])
    per_day = _per_day(reading, result, profile, authority)
    issues = (*reading.notes, *result.issues, *dv_issues)
    if per_day is not None and per_day.over_upper_level:
        issues = (*issues, _over(per_day))
    return result._replace(
        forms=tuple(r.form for r in reading.forms) or result.forms,
        per=reading.per,
        percent_dv_printed=dv_printed,
        percent_dv_expected=dv_expected,
        issues=tuple(dict.fromkeys(issues)),
        per_unit=_per_unit(reading, result),
        basis=reading.basis,
        per_day=per_day,
        directions_problem=reading.directions_problem,
        other_ingredients=reading.other_ingredients,
        percent_of=reading.percent_of,
    )


def _over(day: PerDay) -> str:
    return Note.over(f"OVER THE UPPER LEVEL: the directions ({day.how}) give up to {day.mg_high:.0f} mg magnesium "
                     f"a day, above the {day.upper_level} of {day.upper_level_mg:g} mg/day for supplemental magnesium")


# --- per day by the directions ------------------------------------------------------------------



def _per_day(reading: "Reading", result: CheckResult, profile: Profile, authority: str) -> PerDay | None:
    """The day's magnesium by the label's directions (None where they are not printed or not read,
    or are in a unit the figures are not given for)."""
    from mgcalc.basis import VOLUME_NAMES as _VOLUMES
    from mgcalc.references import upper_level
    from mgcalc.units import factor

    directions, basis = reading.directions, reading.basis
    if basis is None and reading.per:  # "Magnesium 133 mg per tablet": the figure's own basis
        from mgcalc.basis import UNIT_WORDS, Basis

        unit = UNIT_WORDS.get(reading.per.lower())
        basis = Basis(1, unit, None, reading.per, "statement") if unit else None
    magnesium = result.declared_mg if result.declared_mg is not None else result.expected_mg
    if directions is None or basis is None or magnesium is None:
        return None
    if basis.unit == directions.unit and basis.unit not in _VOLUMES:
        per_unit = magnesium / basis.units
    elif basis.unit in _VOLUMES and directions.unit in _VOLUMES:
        per_unit = magnesium / (basis.units * factor(_VOLUMES[basis.unit], _VOLUMES[directions.unit]))
    else:
        return None
    upper = upper_level(profile, authority)
    row = upper.row
    who = f"{authority.upper()} {row.measure}, {row.group}" if row else authority.upper()
    low = None if directions.low is None else directions.low * per_unit
    high = directions.high * per_unit
    return PerDay(directions.low, directions.high, directions.unit, low, high, directions.how, directions.text,
                  upper.mg, who, None if upper.mg is None else high > upper.mg)


def _uncheckable(reading: "Reading", tolerance: float, reason: str, *, expected: float | None = None,
                 implied: tuple[float, float] | None = None, issues: tuple[str, ...] = ()) -> CheckResult:
    resolution = reading.form
    return CheckResult(reading.declared_mg, reading.compound_mg, resolution, expected, None, tolerance, None, (),
                       issues, reason=reason, implied_compound_mg=implied)


def _verdict_of(reading: "Reading", tolerance: float) -> CheckResult:
    if reading.problem:
        return _uncheckable(reading, tolerance, Note.cannot_check(reading.problem))
    declared = reading.declared_mg
    compounds = [c for c in reading.compounds if c.role in ("compound", "hydrate-weight")]
    forms = reading.forms
    if declared is None and not compounds:
        what = _form_names(forms) or "magnesium"
        return _uncheckable(reading, tolerance, f"the label names {what} but prints no amount")
    if declared is None:
        return _compound_only(reading, compounds, tolerance)
    if not compounds:
        return _magnesium_only(reading, declared, tolerance)
    missing = [c for c in compounds if c.form is None]
    if missing:
        return _uncheckable(reading, tolerance, Note.cannot_check(
            f"the compound weighed {missing[0].text.strip()} is not named, or is not a form in the table"))
    weighed = _weighed(compounds)
    if len({form.family for _, form in weighed}) > 1:
        return _blend_with_weights(declared, weighed, tolerance)
    results = [_checked(declared, c.mg, c.form, tolerance) for c in compounds if c.form]
    first = results[0]
    if len(results) == 1 and first.consistent is False:
        return _hydrate_unsaid(reading, first, compounds[0], tolerance) or first
    if len(results) > 1 and not all(r.consistent for r in results):
        # the salt printed twice: every weight must carry the declared magnesium
        failed = next(r for r in results if not r.consistent)
        return first._replace(consistent=False, issues=(*first.issues, *failed.issues, (
            f"the second weight of the salt ({failed.compound_mg or 0:g} mg) "
            f"carries {failed.expected_mg or 0:.1f} mg magnesium")))
    return first


def _hydrate_unsaid(reading: "Reading", result: CheckResult, compound: "Figure", tolerance: float,
                    ) -> CheckResult | None:
    """A label that names its salt without its hydrate ("lactato de magnesio", "magnesium citrate"),
    whose figures fit another hydrate of that salt: it cannot be told misprinted, so it cannot be
    checked (the reason names both readings); None when no other hydrate fits."""
    resolution = compound.form
    if resolution is None or not resolution.alternatives or result.declared_mg is None:
        return None
    fits = [form for form in resolution.alternatives
            if agrees(result.declared_mg, expected_mg(compound.mg, form), tolerance)]
    if not fits:
        return None
    read = resolution.form
    return result._replace(consistent=None, deviation_percent=None, reason=Note.cannot_check(
        f"the label names {resolution.query.rstrip('.')!r} without saying which of its forms "
        f"(hydrate or salt); as {read.name} "
        f"({read.content}) its {compound.mg:g} mg carries {result.expected_mg or 0:.1f} mg magnesium, not "
        f"{result.declared_mg:g} mg, but as {fits[0].name} ({fits[0].content}) it carries "
        f"{expected_mg(compound.mg, fits[0]):.1f} mg"))


def _weighed(compounds: "list[Figure]") -> "list[tuple[Figure, Form]]":
    """The compound figures whose form is known, with the form."""
    return [(c, c.form.form) for c in compounds if c.form is not None]


def _form_names(forms: "tuple[Resolution, ...]") -> str:
    return ", ".join(r.form.name for r in forms)


def _compound_only(reading: "Reading", compounds: "list[Figure]", tolerance: float) -> CheckResult:
    weighed = _weighed(compounds)
    if len({form.family for _, form in weighed}) == 1 and len(compounds) > 1:
        weights = " and ".join(f"{c.mg:g} mg" for c in compounds)
        return _uncheckable(reading, tolerance, Note.cannot_check(
            f"the label prints the salt twice ({weights}: anhydrous and hydrated weight) but no figure for magnesium"))
    if not weighed:
        return _uncheckable(reading, tolerance, Note.cannot_check("the compound is not a form in the table"))
    carried = sum(c.mg * form.percent_elemental / 100 for c, form in weighed)
    if len(weighed) > 1:
        return _uncheckable(reading, tolerance, (
            f"the label prints no figure for magnesium; its compounds carry {carried:.1f} mg magnesium"),
            expected=carried)
    c, form = weighed[0]
    return _uncheckable(reading, tolerance, (
        f"the label prints only the compound ({c.mg:g} mg {form.name}); that carries "
        f"{carried:.1f} mg magnesium, a figure the label would have to print"), expected=carried,
        issues=_note(c.form))


def _note(resolution: Resolution | None) -> tuple[str, ...]:
    note = resolution.note() if resolution else None
    return (note,) if note else ()


def _magnesium_only(reading: "Reading", declared: float, tolerance: float) -> CheckResult:
    forms = reading.forms
    if not forms:
        return _uncheckable(reading, tolerance, (
            f"the label prints the magnesium ({declared:g} mg) but names no compound in the forms table, "
            "so it cannot be checked"))
    needs = [declared * 100 / r.form.percent_elemental for r in forms]
    low, high = min(needs), max(needs)
    if len(forms) > 1:
        return _uncheckable(reading, tolerance, (
            f"a blend of {_form_names(forms)}: it cannot be checked without the weight of each; "
            f"{declared:g} mg magnesium takes {low:,.0f} mg (all {_richest(forms).name}) to {high:,.0f} mg "
            f"(all {_poorest(forms).name}) of compound"), implied=(low, high))
    from mgcalc.label import PLAUSIBLE_UNIT_MG, SOLID_UNITS

    form = forms[0]
    issues = list(_note(form))
    unit = reading.per if reading.per in SOLID_UNITS else None
    if reading.serving and reading.serving[1] in SOLID_UNITS:
        unit, low = reading.serving[1], low / reading.serving[0]
    if unit and low > PLAUSIBLE_UNIT_MG:
        issues.append(
            f"{low:,.0f} mg of {form.form.name} per {unit} is more than a {unit} holds: the label most likely "
            f"prints the compound weight as magnesium")
    return _uncheckable(reading, tolerance, (
        f"the label prints only the magnesium ({declared:g} mg as {form.form.name}); that takes "
        f"{high:,.1f} mg of {form.form.name}, a figure the label would have to print"),
        implied=(high, high), issues=tuple(issues))


def _richest(forms: "tuple[Resolution, ...]") -> Form:
    return max((r.form for r in forms), key=lambda f: f.percent_elemental)


def _poorest(forms: "tuple[Resolution, ...]") -> Form:
    return min((r.form for r in forms), key=lambda f: f.percent_elemental)


def _blend_with_weights(declared: float, weighed: "list[tuple[Figure, Form]]", tolerance: float) -> CheckResult:
    """A blend that prints each salt's weight: the magnesium they carry together."""
    expected = sum(c.mg * form.percent_elemental / 100 for c, form in weighed)
    deviation = 100 * (declared - expected) / expected
    consistent = abs(deviation) <= tolerance
    parts = " + ".join(f"{c.mg:g} mg {form.name}" for c, form in weighed)
    issues = () if consistent else (f"{parts} carry {expected:.1f} mg magnesium, not {declared:g} mg",)
    return CheckResult(declared, sum(c.mg for c, _ in weighed), weighed[0][0].form, expected, deviation, tolerance,
                       consistent, (), issues)


def _per_unit(reading: "Reading", result: CheckResult) -> PerUnit | None:
    if not reading.serving or reading.serving[0] == 1:
        return None
    count, unit = reading.serving
    implied = result.implied_compound_mg
    return PerUnit(unit, count,
                   None if result.declared_mg is None else result.declared_mg / count,
                   None if result.compound_mg is None else result.compound_mg / count,
                   None if implied is None or implied[0] != implied[1] else implied[0] / count)


# --- %DV ----------------------------------------------------------------------------------------


def _percent_dv(printed: float | None, declared: float | None, profile: Profile, of: str = "DV",
                ) -> tuple[float | None, float | None, tuple[str, ...], bool | None]:
    """The percentage printed, the one expected, what to say, and whether they agree (None: not
    checked), within the rounding the rules allow: a US %DV against today's Daily Value for the
    audience (or the pre-2016 400 mg, said so); an EU/UK %NRV against the NRV of 375 mg, rounded
    either way to a whole percent (the regulation sets no rounding rule for it)."""
    if of == "NRV":
        from mgcalc.references import nutrient_reference_value

        reference: float | None = nutrient_reference_value().mg
        name = "EU/UK nutrient reference value"
    else:
        reference, name = daily_value(profile), "Daily Value"
        of = of if of == "DV (Nutrition Facts)" else "DV"
    if declared is None or reference is None or printed is None:
        return printed, None, (), None
    exact = 100 * declared / reference
    expected = label_percent(exact)
    either_way = {float(math.floor(exact)), float(math.ceil(exact))} if of == "NRV" else set()
    allowed = _roundings(exact, printed) | either_way
    if of == "DV (Nutrition Facts)":
        allowed.add(_nutrition_facts_percent(exact))
    if printed in allowed:
        return printed, expected, (), True
    if of != "NRV" and reference != PRE_2016_DV_MG and printed in _roundings(100 * declared / PRE_2016_DV_MG, printed):
        return printed, expected, (
            f"the %DV printed ({printed:g} %) is computed against the pre-2016 Daily Value of 400 mg; against "
            f"today's {reference:g} mg, {declared:g} mg is {expected:g} %",), True
    return printed, expected, (
        f"the %{of.split()[0]} printed ({printed:g} %) does not match: {declared:g} mg is {expected:g} % of the {name} "
        f"({reference:g} mg)",), False


def label_percent(exact: float) -> float:
    """A %DV as a Supplement Facts panel prints it: the nearest whole percent (below 1 %, one decimal)."""
    return float(math.floor(exact + 0.5)) if exact >= 1 else math.floor(exact * 10 + 0.5) / 10


def _roundings(exact: float, printed: float) -> set[float]:
    """The ways a panel may print ``exact`` %: a Supplement Facts panel the nearest whole percent
    (21 CFR 101.36(b)(2)(iii)) or as many decimals as the printed figure has; a Nutrition Facts
    panel, for vitamins and minerals, the nearest 2 % up to 10 %, 5 % up to 50 % and 10 % above
    (21 CFR 101.9(c)(8)(iii))."""
    decimals = len(f"{printed:g}".partition(".")[2])
    return {label_percent(exact), float(round(math.floor(exact * 10 ** decimals + 0.5) / 10 ** decimals, decimals))}


def _nutrition_facts_percent(exact: float) -> float:
    """A %DV as a Nutrition Facts panel prints a mineral's (21 CFR 101.9(c)(8)(iii))."""
    step = 2 if exact <= 10 else 5 if exact <= 50 else 10
    return float(step * math.floor(exact / step + 0.5))


# --- explanations -----------------------------------------------------------------------------


def _explaining(declared_mg: float, compound_mg: float, tolerance: float, family: str | None = None,
                ) -> tuple[Form, ...]:
    """Every source in the table whose content would give the declared figure within tolerance:
    the label's own family first, then the closest."""

    def deviation(form: Form) -> float:
        """Relative distance of the declared figure from the form's content (0 inside a range)."""
        low = form.percent_min if form.percent_min is not None else form.percent_elemental
        high = form.percent_max if form.percent_max is not None else form.percent_elemental
        percent = 100 * declared_mg / compound_mg
        nearest = min(max(percent, low), high)
        return abs(percent - nearest) / nearest

    fits = [form for form in load_forms() if form.kind != "excipient" and deviation(form) <= tolerance / 100]
    return tuple(sorted(fits, key=lambda f: (f.family != family, deviation(f))))


def _names(forms: list[Form]) -> str:
    return "; ".join(f"{f.name} ({f.content})" for f in forms)


def _issues(declared_mg: float, compound_mg: float, resolution: Resolution, consistent: bool,
            explained: tuple[Form, ...], tolerance: float = DEFAULT_TOLERANCE) -> tuple[str, ...]:
    issues = []
    form = resolution.form
    ratio = declared_mg / compound_mg
    richest = max((f for f in load_forms() if f.kind != "excipient"), key=lambda f: f.percent_elemental)
    if ratio >= _MISPRINT_RATIO:
        issues.append(
            f"the declared magnesium ({declared_mg:g} mg) is {'as large as' if ratio >= 1 else 'nearly'} the "
            f"compound weight ({compound_mg:g} mg): the label likely prints the compound weight as magnesium"
        )
    elif ratio * 100 > richest.percent_elemental * (1 + tolerance / 100):
        # within the tolerance it is label rounding (84.5 mg from 140 mg oxide is 60.36 %)
        issues.append(
            f"{ratio * 100:.1f} % magnesium is more than any compound carries "
            f"({richest.name}, the richest, is {richest.percent_elemental:.2f} %)"
        )
    if not consistent and explained:
        same_family = [f for f in explained if f.family == form.family]
        others = [f for f in explained if f.family != form.family]
        if same_family:
            issues.append(
                f"the figures fit another form of {form.family} (hydration state, salt or maker's ingredient): "
                f"{_names(same_family)}"
            )
        if others:
            issues.append(f"the figures {'also ' if same_family else ''}fit other compounds: {_names(others)}")
    if explained and all(f.kind in ("declared", "range") for f in explained):
        issues.append(
            "only a non-stoichiometric (declared-content or range) ingredient explains the declared figure: "
            + ", ".join(f.name for f in explained)
            + "; check the ingredient's specification"
        )
    if not consistent and not explained and ratio < _MISPRINT_RATIO:
        issues.append("no form in the table explains the declared figure")
    note = resolution.note()
    if note:
        issues.append(note)
    return tuple(issues)
