"""What every dataset reader yields: a record to check, a counted skip, or a problem (an error row)."""

from dataclasses import dataclass, field

#: The formats a record can come from; "openfda" covers both openFDA label and NDC records.
FORMATS = ("dsld", "openfda", "spl")


@dataclass(frozen=True)
class Figure:
    """A structured figure as the format stores it (DSLD quantity, NDC strength, SPL numerator/denominator)."""

    name: str
    amount: float | None
    unit: str
    per: str | None = None
    #: What the strength is stated for: "ingredient", "moiety" (SPL ACTIM) or None when the format does not say.
    basis_of_strength: str | None = None
    percent_dv: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "amount": self.amount, "unit": self.unit, "per": self.per,
                "basis_of_strength": self.basis_of_strength, "percent_dv": self.percent_dv}


@dataclass(frozen=True)
class Record:
    """One magnesium ingredient of one published record, ready for ``check.check_label``."""

    #: "dsld", "openfda-label", "openfda-ndc" or "spl".
    kind: str
    #: The record's id as its database gives it: DSLD id, "set id v version", product NDC.
    id: str
    product: str | None
    brand: str | None
    #: What the figures are for, in words ("per 15 mL", "per 2 Capsules"), or None.
    basis: str | None
    #: The text the label reader reads: printed text, or the structured figures written out as a line.
    text: str
    #: "printed" (the record's own text) or "structured" (written out from the figures below).
    text_from: str
    figures: tuple[Figure, ...] = ()
    #: Printed text of the same record, checked beside a structured line (SPL sections), or None.
    printed: str | None = None
    link: str | None = None
    #: Where in the input: file (and zip entry), and the record's position.
    where: str = ""
    notes: tuple[str, ...] = field(default=())
    #: The DailyMed set id of the product's label (SPL setId, openFDA set_id or openfda.spl_set_id):
    #: an NDC record's structured strength is compared with the label text of the same set id.
    set_id: str | None = None


@dataclass(frozen=True)
class Skip:
    """A record read whole that has nothing to audit (no magnesium ingredient); counted, not shown as a row."""

    kind: str
    id: str
    reason: str
    where: str = ""


@dataclass(frozen=True)
class Problem:
    """Input that could not be read as a record: one error row."""

    where: str
    message: str
    id: str | None = None


Item = Record | Skip | Problem
