"""Requests to results: a row's Request becomes its typed RowResult by the functions ``mgcalc dose``
and ``mgcalc check`` use, through the memos that save real work: each amount read once, one ``Plan``
per form and per_day, doses by their amount as read, declared figures read once. Writes no text and
imports neither csv nor json: ``write.Writer`` turns a RowResult into the output's text.

A compound's mass goes through ``dose.Plan`` (the form read once, then ``dose``'s own arithmetic),
any other amount, and labels, through ``RowEvaluator.compute`` (``dose.dose``, ``check.check_label``);
a declared figure by ``check.agrees``. Tests compare every cached path with the row computed alone.
"""

from functools import partial
from typing import Any

from mgcalc.batch.columns import (
    LABEL_COLUMN,
    Cache,
    Request,
    RowResult,
    Strings,
    read_declared,
    read_per_day,
    read_text,
    remember,
)
from mgcalc.check import agrees, expected_mg, is_consistent
from mgcalc.dose import NotAMass, Plan, dose
from mgcalc.errors import MgcalcError
from mgcalc.references import Profile
from mgcalc.units import magnesium_mg, parse_amount

#: Most amount texts whose reading is remembered.
_MASSES_MAX = 16_384
#: Distinct doses (amount as read, form, per_day) remembered per generation, below the request cache.
_DOSES_MAX = 16_000


class _Dose:
    """A dose worked out once for an amount as read, a form and per_day: its result without a
    declared figure, the magnesium a label should declare per dose (None if the dose is an error
    row), and its result with each verdict, made when first asked for. Requests differing only in
    declared_mg then cost a comparison, and get the same RowResult objects (the writer's memo)."""

    __slots__ = ("agreeing", "disagreeing", "expected_mg", "result")

    def __init__(self, result: RowResult, expected: float | None) -> None:
        self.result = result
        self.expected_mg = expected
        self.agreeing: RowResult | None = None  # the result with consistent true, once made
        self.disagreeing: RowResult | None = None

    def judged(self, consistent: bool) -> RowResult:
        """The result with its ``consistent`` verdict (made once)."""
        if consistent:
            if self.agreeing is None:
                self.agreeing = self.result._replace(consistent=True)
            return self.agreeing
        if self.disagreeing is None:
            self.disagreeing = self.result._replace(consistent=False)
        return self.disagreeing


def _one_line(message: str) -> str:
    return " ".join(message.split())


#: per_day as most files write it.
_DAYS: dict[Any, int] = {"": 1, None: 1, **{str(n): n for n in range(1, 25)}}


def _label_basis(result: Any, unit_mg: float | None) -> tuple[str | None, float | None]:
    """A label row's ``basis`` cell (what its figures are for: "2 tablets", "tablet", "15 mL") and
    ``per_unit_mg`` (the magnesium in one counted unit: a tablet, a capsule; None for a volume)."""
    from mgcalc.basis import MEASURES

    basis = result.basis
    if basis is None:
        return result.per, None
    said = basis.described()
    if unit_mg is None or basis.unit in MEASURES or basis.unit == "serving":
        return said, None
    return said, unit_mg / basis.units


class RowEvaluator:
    """Turns a row's Request into its RowResult (an error row's result for bad input: never raises).

    Doses are cached by their amount as read (``"500mg"``, ``"500 mg"`` and ``"0.5 g"`` share one),
    form text and per_day: a request new only in its spelling or its declared_mg costs a few
    lookups, not a dose evaluation, and is answered with the same RowResult object as before.
    The request cache above this (a row's fields to its written text) is ``run``'s.
    """

    def __init__(self, profile: Profile, authority: str) -> None:
        self.profile = profile
        self.authority = authority
        self._doses = Cache(_DOSES_MAX)  # (amount as read, form, per_day): its _Dose
        self._strings = Strings()  # equal form texts stored once
        self._masses: dict[str, float | str] = {}  # amount text: its mg, if a mass
        self._plans: dict[tuple[str, int], Plan | str | None] = {}  # (form text, per_day): its plan
        self._declared: dict[str, float | str] = {}  # declared_mg text: its mg, or why it cannot be read

    def result(self, request: Request) -> RowResult:
        """The result of a row's request."""
        amount, form, per_day, declared, _ = request  # a label is read only without an amount (compute)
        if type(amount) is not str or type(form) is not str or not amount or not form or (
                declared is not None and type(declared) is not str):
            # a label, a missing field, a JSON number or list: computed as it stands, not cached below
            try:
                return self.compute(*request)
            except MgcalcError as exc:
                return RowResult.failed(_one_line(str(exc)))
        days = _DAYS.get(per_day) if per_day is None or type(per_day) is str else None  # (the usual spellings)
        if days is None:
            try:
                days = read_per_day(per_day)
            except MgcalcError as exc:
                return RowResult.failed(_one_line(str(exc)))
        mg = self._mass(amount)
        doses = self._doses
        found: _Dose | None = doses.current.get((mg, form, days))
        if found is None:  # from the old generation (promoted), or computed now
            found = doses.miss((mg, self._strings.share(form), days), partial(self._dose_of, amount, mg, form, days))
        if declared is None or declared == "" or found.expected_mg is None:
            return found.result
        declared_mg = self._declared_mg(declared)
        if isinstance(declared_mg, str):
            return RowResult.failed(declared_mg)
        return found.judged(agrees(declared_mg, found.expected_mg))

    def _declared_mg(self, text: str) -> float | str:
        """declared_mg's magnesium in mg, read once per distinct text; or why it cannot be read."""
        found = self._declared.get(text)
        if found is None:
            try:
                found = magnesium_mg(read_declared(text), what="declared magnesium")
            except MgcalcError as exc:
                found = _one_line(str(exc))
            remember(self._declared, text, found, _MASSES_MAX)
        return found

    def _dose_of(self, amount: str, mg: float | str, form: str, days: int) -> _Dose:
        """A dose's result (see _Dose); or, if it cannot be computed, its error row's.
        ``mg`` is the amount as read (``_mass``)."""
        plan = self._plan(form, days) if isinstance(mg, float) else None
        if isinstance(plan, str):
            return _Dose(RowResult.failed(plan), None)
        if plan is not None and isinstance(mg, float):  # a mass of a compound: the plan's arithmetic (dose's)
            daily = plan.daily(mg)
            return _Dose(RowResult(
                "ok", plan.form.id, plan.form.percent_elemental, daily.elemental_mg, daily.mmol, daily.meq,
                daily.over_ul, None, plan.intake.mg, plan.upper.mg, daily.percent_rda, daily.percent_ul,
                daily.percent_dv, None, None, "; ".join(daily.warnings), None),
                expected_mg(daily.compound_mg / days, plan.form))
        found = self._dose(amount, form, days)
        if isinstance(found, str):
            return _Dose(RowResult.failed(_one_line(found)), None)
        result, component = found
        return _Dose(result, expected_mg(component.compound_mg / days, component.form))

    def _plan(self, form: str, days: int) -> Plan | str | None:
        """The plan of a form taken ``days`` times a day, read once; the error of any mass of it,
        when it cannot be read; None for a liquid or a sachet, which dose computes."""
        key = (form, days)
        try:
            return self._plans[key]
        except KeyError:
            pass
        planned: Plan | str | None
        try:
            planned = Plan(form, days, self.profile, self.authority)
        except NotAMass:
            planned = None
        except MgcalcError as exc:  # what dose says of any mass of it (an unknown form costs one suggestion)
            planned = _one_line(str(exc))
        return remember(self._plans, key, planned, _MASSES_MAX)

    def compute(self, amount: Any, form: Any, per_day: Any, declared: Any, label: Any = None) -> RowResult:
        """The one place a row's fields (a Request's) become its RowResult (MgcalcError if bad).

        Without an amount (no such column or key) a ``label`` is read as ``check --label`` reads it.
        """
        if amount is None and label is not None:
            return self._label_values(read_text(label, LABEL_COLUMN), read_per_day(per_day))
        found = self._dose(amount, form, per_day)
        if isinstance(found, str):
            raise MgcalcError(found)
        values, component = found
        if declared in (None, ""):
            return values
        daily_compound_mg = component.compound_mg / read_per_day(per_day)
        consistent = is_consistent(read_declared(declared), daily_compound_mg, component.form)
        return values._replace(consistent=consistent)

    def _dose(self, amount: Any, form: Any, per_day: Any) -> tuple[RowResult, Any] | str:
        """The result of a dose without declared_mg, and its component; or the error message."""
        try:
            amount_text, form_text = read_text(amount, "amount"), read_text(form, "form")
            days = read_per_day(per_day)
            result = dose(self._mass(amount_text), form_text, per_day=days, profile=self.profile,
                          authority=self.authority)
        except MgcalcError as exc:
            return str(exc)
        [component] = result.components
        return RowResult(
            "ok", component.form.id, component.form.percent_elemental, result.elemental_mg, result.mmol,
            result.meq, result.over_ul, None, result.intake.mg, result.upper.mg, result.percent_rda,
            result.percent_ul, result.percent_dv, None, None, "; ".join(result.warnings), None), component

    def _mass(self, text: str) -> float | str:
        """A mass amount's mg, read once per distinct text (the same figure dose reads from the text);
        any other amount, or one that cannot be read, as the text itself, for dose to read and refuse."""
        found = self._masses.get(text)
        if found is None:
            try:
                measured = parse_amount(text)
            except MgcalcError:
                found = text
            else:
                found = measured.value if measured.kind == "mass" else text
            remember(self._masses, text, found, _MASSES_MAX)
        return found

    def _label_values(self, text: str, per_day: int) -> RowResult:
        """A label read as ``check --label`` reads it: the magnesium it provides, and the verdict."""
        from mgcalc.check import check_label
        from mgcalc.references import daily_value, intake, upper_level
        from mgcalc.units import to_meq, to_mmol

        result = check_label(text, profile=self.profile)
        form = result.resolution.form if result.resolution else None
        unit_mg = result.declared_mg if result.declared_mg is not None else result.expected_mg
        daily = None if unit_mg is None else unit_mg * per_day
        rda = intake(self.profile, self.authority).mg
        ul = upper_level(self.profile, self.authority).mg
        dv = daily_value(self.profile)

        def percent(reference: float | None) -> float | None:
            return None if daily is None or not reference else 100 * daily / reference

        notes = [*result.issues, *([result.reason] if result.reason else [])]
        basis, per_unit = _label_basis(result, unit_mg)
        return RowResult(
            "ok", form.id if form else None, form.percent_elemental if form else None, daily,
            None if daily is None else to_mmol(daily), None if daily is None else to_meq(daily),
            None if daily is None or ul is None else daily > ul, result.consistent, rda, ul, percent(rda),
            percent(ul), percent(dv), basis, per_unit, "; ".join(notes), None)
