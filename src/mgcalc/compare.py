"""One amount of magnesium in every form: how much of each compound delivers it.

Each row is ``dose.compound`` for one form of the table (excipients left out), so the figures
are the ones ``mgcalc compound`` prints; rows come lightest compound first.
"""

from typing import NamedTuple

from mgcalc.dose import compound, compound_weight, upper_level_warning
from mgcalc.errors import MgcalcError, shown
from mgcalc.forms import Form, load_forms, normalize
from mgcalc.references import Profile, upper_level
from mgcalc.units import magnesium_mg, mass_mg, to_meq, to_mmol

#: Version of the ``compare --json`` object (keys may be added within a version).
SCHEMA_VERSION = 1


class CompareRow(NamedTuple):
    """One form and the compound weight of it that delivers the target."""

    form: Form
    compound_mg: float
    #: For a range row (a pharmacopoeial content range): the lightest and heaviest weight the
    #: range implies; None for the other kinds.
    compound_mg_range: tuple[float, float] | None
    #: How many units (tablets, capsules) of ``per_unit_mg`` the weight takes; None without one.
    units_needed: float | None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "form_id": self.form.id,
            "form_name": self.form.name,
            "formula": self.form.formula,
            "percent_elemental": self.form.percent_elemental,
            "kind": self.form.kind,
            "compound_mg": self.compound_mg,
        }
        if self.units_needed is not None:
            data["units_needed"] = self.units_needed
        return data


class CompareResult(NamedTuple):
    """A target amount of magnesium and the rows that deliver it, lightest compound first."""

    target_mg: float
    mmol: float
    meq: float
    rows: tuple[CompareRow, ...]
    family: str | None
    per_unit_mg: float | None
    #: The upper-level warning ``dose`` and ``compound`` give for the same amount (adult, US), if any.
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The ``compare --json`` contract (README); tests pin its exact keys."""
        data: dict[str, object] = {
            "schema_version": SCHEMA_VERSION,
            "target_mg": self.target_mg,
            "mmol": self.mmol,
            "meq": self.meq,
            "forms": [row.as_dict() for row in self.rows],
            "warnings": list(self.warnings),
        }
        if self.per_unit_mg is not None:
            data["per_unit_mg"] = self.per_unit_mg
        return data


def compare(target: str | float, family: str | None = None, per_unit: str | float | None = None) -> CompareResult:
    """Every magnesium source (or one ``family``'s) for ``target``: ``compare("300mg", family="citrate")``.

    ``target`` is as for ``compound``; ``per_unit`` is the weight of one tablet or capsule, to
    count how many of them each row takes.
    """
    target_mg = magnesium_mg(target)
    per_unit_mg = None if per_unit is None else mass_mg(per_unit, what="per-unit weight")
    forms = _sources(family)
    rows = []
    for form in forms:
        weight = compound(target_mg, form).compound_mg
        span = None
        if form.percent_min is not None and form.percent_max is not None:
            span = (compound_weight(target_mg, form.percent_max), compound_weight(target_mg, form.percent_min))
        rows.append(CompareRow(form, weight, span, None if per_unit_mg is None else weight / per_unit_mg))
    rows.sort(key=lambda row: (row.compound_mg, row.form.id))
    return CompareResult(
        target_mg=target_mg,
        mmol=to_mmol(target_mg),
        meq=to_meq(target_mg),
        rows=tuple(rows),
        family=None if family is None else forms[0].family,
        per_unit_mg=per_unit_mg,
        warnings=tuple(w for w in (upper_level_warning(target_mg, upper_level(Profile(), "us"), "us"),) if w),
    )


def _sources(family: str | None) -> list[Form]:
    """The table's magnesium sources, or one family's; MgcalcError naming close families."""
    table = load_forms()
    if family is None:
        return [f for f in table if f.kind != "excipient"]
    key = normalize(family)
    members = [f for f in table if normalize(f.family) == key]
    if not members:
        raise MgcalcError(f"unknown family {shown(family)}; {_family_hint(family, key)}")
    sources = [f for f in members if f.kind != "excipient"]
    if not sources:
        names = ", ".join(f.name for f in members)
        raise MgcalcError(f"family {shown(family)} has no magnesium source ({names}: an excipient)")
    return sources


def _family_hint(family: str, key: str) -> str:
    """Which families the user may have meant: the family of a form so named, then close spellings."""
    import difflib  # only an unknown name needs it

    families = sorted({f.family for f in load_forms() if f.kind != "excipient"})
    close = []
    try:
        close.append(load_forms().resolve(family).form.family)
    except MgcalcError:
        pass
    close += difflib.get_close_matches(key, [normalize(f) for f in families], n=3, cutoff=0.6)
    named = [f for f in dict.fromkeys(close) if f in families][:3]
    if named:
        return "did you mean " + " or ".join(repr(f) for f in named) + "?"
    return "families: " + ", ".join(families)
