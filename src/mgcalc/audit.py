"""An audit of a whole label dataset: every magnesium record checked as ``check --label`` checks it.

``audit(path)`` reads a DSLD, openFDA or SPL file, directory or zip with ``datasets.Reader``, runs
``check.check_label`` on each record's text, and keeps what the report needs, never the whole
dataset: counts by verdict, by reason, by form, by basis and by format; every inconsistent record
(id, link, figures); every error row; and a histogram of declared / expected magnesium per form
(``histogram_svg`` draws it as an SVG file, with no dependency beyond the standard library).
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Generic, TypeVar
from xml.sax.saxutils import escape

from mgcalc.check import DEFAULT_TOLERANCE, CheckResult, check_label
from mgcalc.datasets import Problem, Reader, Record, Skip
from mgcalc.label import LABEL_MAX_CHARS
from mgcalc.references import Profile

#: Version of the ``audit --json`` object.
AUDIT_SCHEMA_VERSION = 1
#: Error rows kept for the report (all are counted).
ERRORS_KEPT = 1000
#: Histogram of declared / expected: bins of this width from LOW to HIGH, and one bin each side.
BIN_WIDTH = 0.05
LOW, HIGH = 0.5, 1.5
_BINS = round((HIGH - LOW) / BIN_WIDTH)


@dataclass(frozen=True, slots=True)
class Row:
    """One magnesium record's verdict, with what it declared and what mgcalc expects."""

    kind: str
    id: str
    product: str | None
    brand: str | None
    basis: str | None
    link: str | None
    where: str
    text_from: str
    verdict: str
    declared_mg: float | None
    compound_mg: float | None
    form_id: str | None
    percent_dv_printed: float | None
    expected_mg: float | None
    deviation_percent: float | None
    reason: str | None
    issues: tuple[str, ...]
    set_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__} | {"issues": list(self.issues)}


T = TypeVar("T")


class Spilled(Generic[T]):
    """A list that keeps its first ``KEEP`` items in memory and writes the rest to a temporary file
    (pickled), so an audit of a dataset with many inconsistent records holds its memory flat; read
    back in order, as often as needed."""

    KEEP = 1000

    def __init__(self) -> None:
        self._kept: list[T] = []
        self._file: IO[bytes] | None = None
        self._spilled = 0

    def append(self, item: T) -> None:
        if len(self._kept) < self.KEEP:
            self._kept.append(item)
            return
        import pickle
        import tempfile

        if self._file is None:
            self._file = tempfile.TemporaryFile()
        self._file.seek(0, 2)
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += 1

    def __len__(self) -> int:
        return len(self._kept) + self._spilled

    def __bool__(self) -> bool:
        return bool(self._kept)

    def __iter__(self) -> Iterator[T]:
        yield from self._kept
        if self._file is not None:
            import pickle

            self._file.seek(0)
            for _ in range(self._spilled):
                yield pickle.load(self._file)


@dataclass
class Report:
    """What an audit found; counts add up: records = rows + skipped + errors."""

    path: str
    tolerance: float
    formats: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    skips: Counter[str] = field(default_factory=Counter)
    by_form: Counter[str] = field(default_factory=Counter)
    by_basis: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    inconsistent: "Spilled[Row]" = field(default_factory=lambda: Spilled())
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    #: Records that gave at least one row (a record gives a row per magnesium ingredient).
    records_with_rows: int = 0
    _last_where: str | None = None
    #: set id -> (NDC, compound mg) of NDC records, and (record id, compound mg) of labels printing one.
    _ndc: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _labels: dict[str, tuple[str, float]] = field(default_factory=dict)
    #: Each NDC strength set against the label text of the same set id (``finish`` fills it).
    cross_checks: list[dict[str, object]] = field(default_factory=list)
    #: form id -> counts per bin of declared / expected (index 0 below LOW, last above HIGH).
    histogram: dict[str, list[int]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.verdicts.values())

    @property
    def skipped(self) -> int:
        return sum(self.skips.values())

    @property
    def records(self) -> int:
        """Records in: those with magnesium rows, those skipped, and what could not be read."""
        return self.records_with_rows + self.skipped + self.error_count

    @property
    def disagreements(self) -> int:
        return sum(1 for c in self.cross_checks if not c["agree"])

    @property
    def exit_status(self) -> int:
        """3 when any checkable record is inconsistent (or an NDC strength and its label's text disagree),
        else 1 when any input could not be read, else 0."""
        if self.verdicts["inconsistent"] or self.disagreements:
            return 3
        return 1 if self.error_count else 0

    def add(self, row: Row) -> None:
        if row.where != self._last_where:
            self.records_with_rows += 1
            self._last_where = row.where
        self.verdicts[row.verdict] += 1
        self.by_kind[row.kind] += 1
        self.by_form[row.form_id or "(no form)"] += 1
        self.by_basis[basis_kind(row.basis)] += 1
        if row.verdict == "not checkable":
            self.reasons[reason_kind(row.reason)] += 1
        elif row.verdict == "inconsistent":
            self.inconsistent.append(row)
            self.reasons[reason_kind(row.reason)] += 1
        if row.set_id and row.compound_mg:
            if row.kind == "openfda-ndc":
                self._ndc.setdefault(row.set_id, []).append((row.id, row.compound_mg))
            elif row.declared_mg:  # a label text that prints the compound and the magnesium
                self._labels.setdefault(row.set_id, (row.id, row.compound_mg))
        if row.declared_mg and row.expected_mg and row.form_id:
            bins = self.histogram.setdefault(row.form_id, [0] * (_BINS + 2))
            bins[bin_of(row.declared_mg / row.expected_mg)] += 1

    def finish(self) -> None:
        """Set each NDC record's strength against the label text of the same set id, where both were read."""
        for set_id, ndcs in self._ndc.items():
            label = self._labels.get(set_id)
            if label is None:
                continue
            for ndc, compound in ndcs:
                agree = abs(compound - label[1]) <= self.tolerance / 100 * max(compound, label[1])
                self.cross_checks.append({"set_id": set_id, "ndc": ndc, "ndc_compound_mg": compound,
                                          "label_id": label[0], "label_compound_mg": label[1], "agree": agree})

    def as_dict(self, records: bool = True) -> dict[str, object]:
        """The ``audit --json`` contract; tests pin its exact keys."""
        return {
            "schema_version": AUDIT_SCHEMA_VERSION,
            "input": self.path,
            "tolerance": self.tolerance,
            "formats": dict(self.formats),
            "records": self.records,
            "records_with_magnesium": self.records_with_rows,
            "rows": self.rows,
            "skipped": self.skipped,
            "errors": self.error_count,
            "consistent": self.verdicts["consistent"],
            "inconsistent": self.verdicts["inconsistent"],
            "not_checkable": self.verdicts["not checkable"],
            "by_reason": dict(self.reasons.most_common()),
            "by_skip_reason": dict(self.skips.most_common()),
            "by_form": dict(self.by_form.most_common()),
            "by_basis": dict(self.by_basis.most_common()),
            "by_kind": dict(self.by_kind.most_common()),
            "inconsistent_records": [row.as_dict() for row in self.inconsistent] if records else [],
            "cross_checks": self.cross_checks,
            "error_rows": [{"where": e.where, "id": e.id, "message": e.message} for e in self.errors],
            "histogram": {"low": LOW, "high": HIGH, "bin_width": BIN_WIDTH, "forms": self.histogram},
        }


def write_json(report: Report, out: IO[str]) -> None:
    """``report.as_dict()`` as indented JSON, its inconsistent records written one at a time (a
    dataset with many of them is never one list in memory)."""
    import json

    whole = report.as_dict(records=False)
    head, _, tail = json.dumps(whole, indent=2, ensure_ascii=False).partition('"inconsistent_records": []')
    out.write(head + '"inconsistent_records": [')
    for n, row in enumerate(report.inconsistent):
        item = json.dumps(row.as_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        out.write(("," if n else "") + "\n    " + item)
    out.write(("\n  ]" if report.inconsistent else "]") + tail + "\n")


def bin_of(ratio: float) -> int:
    if not math.isfinite(ratio) or ratio < LOW:
        return 0
    if ratio >= HIGH:
        return _BINS + 1
    return 1 + min(_BINS - 1, int((ratio - LOW) / BIN_WIDTH + 1e-9))


_FIGURES = re.compile(r"\([^()]*\)|'[^']*'|\d[\d.,]*\s*(?:mg|g|mcg|µg|%|mmol|mEq|mL)?")


def reason_kind(reason: str | None) -> str:
    """A reason without its figures, so that the same reason on many records counts as one."""
    if not reason:
        return "(none)"
    head = reason.split(";")[0].split(":")[0]
    return " ".join(_FIGURES.sub("…", head).split())


def basis_kind(basis: str | None) -> str:
    """'per 15 mL' as 'per … mL': what kind of unit a record's figures are for."""
    if not basis:
        return "(not stated)"
    return " ".join(re.sub(r"\d[\d.,]*", "…", basis.lower()).split())


def check_record(record: Record, tolerance: float = DEFAULT_TOLERANCE, profile: Profile | None = None,
                 authority: str = "us") -> Row:
    """One record's row: its text checked as ``check --label`` checks it, and its printed text beside it."""
    result = _checked(record.text, tolerance, profile, authority)
    issues = tuple(record.notes) + result.issues
    if record.printed is not None:
        printed = _checked(record.printed, tolerance, profile, authority)
        disagreement = _disagreement(result, printed, tolerance)
        if disagreement:
            return _row(record, printed, "inconsistent", disagreement, issues + printed.issues)
        if printed.consistent is not None or result.consistent is None:
            return _row(record, printed, _verdict(printed), printed.reason,
                        (*issues, "the printed section was checked; the structured strength agrees"))
    return _row(record, result, _verdict(result), result.reason, issues)


def _checked(text: str, tolerance: float, profile: Profile | None, authority: str) -> CheckResult:
    from mgcalc.errors import MgcalcError

    if len(text) > LABEL_MAX_CHARS:
        text = text[:LABEL_MAX_CHARS]
    try:
        return check_label(text, tolerance, profile, authority)
    except MgcalcError as exc:
        return CheckResult(None, None, None, None, None, tolerance, None, (), (), reason=str(exc))


def _verdict(result: CheckResult) -> str:
    if result.consistent is None:
        return "not checkable"
    return "consistent" if result.consistent else "inconsistent"


def _disagreement(structured: CheckResult, printed: CheckResult, tolerance: float) -> str | None:
    for name, a, b in (("compound weight", structured.compound_mg, printed.compound_mg),
                       ("magnesium", structured.declared_mg, printed.declared_mg)):
        if a is not None and b is not None and abs(a - b) > tolerance / 100 * max(a, b):
            return f"the structured strength gives {a:g} mg of {name}, the printed text {b:g} mg"
    return None


def _row(record: Record, result: CheckResult, verdict: str, reason: str | None, issues: tuple[str, ...]) -> Row:
    return Row(record.kind, record.id, record.product, record.brand, record.basis, record.link, record.where,
               record.text_from, verdict, result.declared_mg, result.compound_mg,
               result.resolution.form.id if result.resolution else None, result.percent_dv_printed,
               result.expected_mg, result.deviation_percent, reason, issues, record.set_id)


def audit(path: str, input_format: str | None = None, tolerance: float = DEFAULT_TOLERANCE,
          profile: Profile | None = None, authority: str = "us",
          each: Callable[[Row | Skip | Problem], None] | None = None) -> Report:
    """Read every record under ``path`` and check it; ``each`` sees every row, skip and error as it comes."""
    reader = Reader(path, input_format)
    report = Report(path, tolerance)
    for item in reader:
        if isinstance(item, Record):
            row = check_record(item, tolerance, profile, authority)
            report.add(row)
            if each:
                each(row)
            continue
        if isinstance(item, Skip):
            report.skips[item.reason] += 1
        else:
            report.error_count += 1
            if len(report.errors) < ERRORS_KEPT:
                report.errors.append(item)
        if each:
            each(item)
    report.formats = reader.formats
    report.finish()
    return report


def histogram_svg(report: Report) -> str:
    """The declared / expected histogram, one row of bars per form, as a standalone SVG document."""
    forms = sorted(report.histogram)
    width, bar_w, label_w, row_h, top = 760, 14, 220, 90, 50
    height = top + max(1, len(forms)) * row_h + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11">',
             '<text x="10" y="20" font-size="14">'
             f'{escape(f"mgcalc audit: declared / expected magnesium, {report.path}")}</text>',
             f'<text x="10" y="36">Bins of {BIN_WIDTH:g}; the first and last bins hold everything below {LOW:g} and '
             f'at or above {HIGH:g}. 1.0 means the label adds up exactly.</text>']
    if not forms:
        parts.append(f'<text x="10" y="{top + 20}">No record printed both magnesium and a figure mgcalc could '
                     "expect it from.</text>")
    for i, form in enumerate(forms):
        bins = report.histogram[form]
        peak = max(bins) or 1
        base = top + (i + 1) * row_h - 20
        parts.append(f'<text x="10" y="{base - 30}">{escape(form)} ({sum(bins)})</text>')
        for j, count in enumerate(bins):
            x = label_w + j * bar_w
            h = round(55 * count / peak)
            near = j and j <= _BINS and abs(LOW + (j - 0.5) * BIN_WIDTH - 1) <= DEFAULT_TOLERANCE / 100 + BIN_WIDTH / 2
            colour = "#3b7d3b" if near else "#b03a2e"
            if count:
                parts.append(f'<rect x="{x}" y="{base - h}" width="{bar_w - 2}" height="{h}" fill="{colour}">'
                             f"<title>{count}</title></rect>")
        parts.append(f'<line x1="{label_w}" y1="{base}" x2="{label_w + (_BINS + 2) * bar_w}" y2="{base}" '
                     'stroke="#555"/>')
        for tick in (LOW, 1.0, HIGH):
            x = label_w + (1 + round((tick - LOW) / BIN_WIDTH)) * bar_w
            parts.append(f'<text x="{x - 6}" y="{base + 13}">{tick:g}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)
