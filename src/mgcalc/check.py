"""Does a label add up? Declared magnesium against the compound weight and form it names."""

from typing import NamedTuple

from mgcalc.dose import SCHEMA_VERSION, compound, resolve_source
from mgcalc.errors import MgcalcError
from mgcalc.forms import Form, Resolution, load_forms
from mgcalc.units import magnesium_mg, mass_mg

#: Default tolerance, in percent of the expected figure: labels round the declared magnesium
#: (to whole mg, or to 5 or 10 mg on larger amounts) and often the compound weight too.
DEFAULT_TOLERANCE = 5.0
#: A declared figure this close to the compound weight is the compound weight printed as magnesium.
_MISPRINT_RATIO = 0.9


class CheckResult(NamedTuple):
    """The verdict on a label."""

    declared_mg: float
    compound_mg: float
    resolution: Resolution
    expected_mg: float
    deviation_percent: float
    tolerance: float
    consistent: bool
    explained_by: tuple[Form, ...]
    issues: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The ``check --json`` contract (README); tests pin its exact keys."""
        return {
            "schema_version": SCHEMA_VERSION,
            "declared_mg": self.declared_mg,
            "compound_mg": self.compound_mg,
            "form_id": self.resolution.form.id,
            "expected_mg": self.expected_mg,
            "deviation_percent": self.deviation_percent,
            "consistent": self.consistent,
            "explained_by": [f.id for f in self.explained_by],
            "issues": list(self.issues),
        }


def check(declared: str | float, compound_amount: str | float, form: str | Form,
          tolerance: float = DEFAULT_TOLERANCE) -> CheckResult:
    """Check declared magnesium against ``compound_amount`` of ``form``: ``check("64mg", "535mg", "chloride")``."""
    declared_mg, compound_mg, resolution, expected, deviation, consistent = _verdict(
        declared, compound_amount, form, tolerance)
    explained = _explaining(declared_mg, compound_mg, tolerance)
    issues = _issues(declared_mg, compound_mg, resolution, consistent, explained)
    return CheckResult(declared_mg, compound_mg, resolution, expected, deviation, tolerance, consistent,
                       explained, issues)


def is_consistent(declared: str | float, compound_amount: str | float, form: str | Form,
                  tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Only the verdict of ``check``, without the search for explanations (for batch work)."""
    return _verdict(declared, compound_amount, form, tolerance)[-1]


def _verdict(declared: str | float, compound_amount: str | float, form: str | Form,
             tolerance: float) -> tuple[float, float, Resolution, float, float, bool]:
    """Declared and compound mg, the form, expected mg, deviation % and whether it is within tolerance."""
    if not 0 <= tolerance <= 100:
        raise MgcalcError(f"tolerance {tolerance:g} % is outside 0 to 100")
    declared_mg = magnesium_mg(declared, what="declared magnesium")
    compound_mg = mass_mg(compound_amount, what="compound amount")
    resolution = resolve_source(form)
    expected = compound_mg * resolution.form.percent_elemental / 100
    deviation = 100 * (declared_mg - expected) / expected
    return declared_mg, compound_mg, resolution, expected, deviation, abs(deviation) <= tolerance


def check_label(text: str, tolerance: float = DEFAULT_TOLERANCE) -> CheckResult:
    """Check a Supplement Facts line such as 'Magnesium 200 mg (as magnesium citrate 1,250 mg)'."""
    from mgcalc.label import parse_label  # only --label needs the label grammar

    claim = parse_label(text)
    if claim.compound is None:
        needed = compound(claim.declared, claim.form)
        raise MgcalcError(
            f"the label gives only one amount ({claim.declared} magnesium as {claim.form}), so it cannot be "
            f"checked; that much magnesium would need {needed.compound_mg:,.1f} mg {needed.resolution.form.name}"
        )
    return check(claim.declared, claim.compound, claim.form, tolerance)


def _explaining(declared_mg: float, compound_mg: float, tolerance: float) -> tuple[Form, ...]:
    """Every source in the table whose content would give the declared figure within tolerance, closest first."""

    def deviation(form: Form) -> float:
        """Relative distance of the declared figure from the form's content (0 inside a range)."""
        low = form.percent_min if form.percent_min is not None else form.percent_elemental
        high = form.percent_max if form.percent_max is not None else form.percent_elemental
        percent = 100 * declared_mg / compound_mg
        nearest = min(max(percent, low), high)
        return abs(percent - nearest) / nearest

    fits = [form for form in load_forms() if form.kind != "excipient" and deviation(form) <= tolerance / 100]
    return tuple(sorted(fits, key=deviation))


def _names(forms: list[Form]) -> str:
    return "; ".join(f"{f.name} ({f.content})" for f in forms)


def _issues(declared_mg: float, compound_mg: float, resolution: Resolution, consistent: bool,
            explained: tuple[Form, ...]) -> tuple[str, ...]:
    issues = []
    form = resolution.form
    ratio = declared_mg / compound_mg
    richest = max((f for f in load_forms() if f.kind != "excipient"), key=lambda f: f.percent_elemental)
    if ratio >= _MISPRINT_RATIO:
        issues.append(
            f"the declared magnesium ({declared_mg:g} mg) is {'as large as' if ratio >= 1 else 'nearly'} the "
            f"compound weight ({compound_mg:g} mg): the label likely prints the compound weight as magnesium"
        )
    elif ratio * 100 > richest.percent_elemental:
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
