"""Named products (Mag-Ox 400, Neomag, Magonate liquid): their units, strength per unit, and counts.

``data/products.csv`` holds one row per product as its label (or SmPC) prints it: the salt and
its weight, the magnesium per unit in mg, mmol or mEq, or both, per ``per`` units (a tablet,
2 tablets, 5 mL). Magnesium per unit is the salt's weight times its formula's percentage when
the label prints the weight (a figure that traces to the formula), else the printed magnesium.
Every printed magnesium figure is checked against the salt on load, within the label's rounding.

The words a person types for a product ("2 tablets Mag-Ox 400", "10 mL Magonate", "Neomag")
are read here, in ``read_product_amount``; the amount grammar of the other commands is left alone.
"""

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mgcalc.errors import FormsTableError, MgcalcError, shown
from mgcalc.figures import hundredths
from mgcalc.forms import Form, close_matches, load_forms, normalize
from mgcalc.preparations import MAGNESIUM_AFTER
from mgcalc.tables import NamedRows, read_table, table_rows
from mgcalc.units import (
    AMOUNT_PATTERN,
    MAGNESIUM_UNITS,
    MASS_UNITS,
    UNIT_WORDS,
    VOLUME_UNITS,
    bounded_mg,
    factor,
    join_amounts,
    magnesium_mg,
    mass_mg,
    parse_weight,
    per_kg,
    to_meq,
    to_mmol,
)

if TYPE_CHECKING:
    from mgcalc.dose import DoseResult

#: Version of the product count (``compound TARGET PRODUCT --json``) and product listing objects.
SCHEMA_VERSION = 1
COLUMNS = ("id", "name", "aliases", "country", "dosage_form", "unit", "per", "form_id", "salt_mg", "magnesium",
           "other_actives", "scored", "route", "use", "valid_from", "valid_to", "grade", "source", "note")
UNITS = ("tablet", "caplet", "capsule", "sachet", "packet", "mL")
COUNTRIES = frozenset(("US", "UK", "IE", "AU", "NZ", "CA", "EU"))
ROUTES = frozenset(("oral", "iv", "im"))
USES = frozenset(("supplement", "laxative", "antacid", "electrolyte"))
#: P: read in the product's own label or SmPC; P-copy: the label's text as another site reproduces
#: it; S: a secondary compendium (Medscape, Lexicomp), shown with every answer that uses the row.
GRADES = {"P": "the product's label or SmPC", "P-copy": "a copy of the product's label text",
          "S": "a secondary source, not the product's own label"}
#: Most units (or mL) one dose may count, and the fewest.
MAX_COUNT = 100.0
#: Relative allowance beside the printed rounding: labels work from older atomic weights
#: (Mg 24.31 or 24.32, O 16.00) and round twice (84.43 mg printed 84.5, then 6.93 mEq).
LABEL_SLACK = 0.003
#: The words a count of a product may carry, and the units each fits.
COUNT_WORDS: dict[str, str] = {
    **dict.fromkeys(("tablet", "tablets", "tab", "tabs", "tbl"), "tablet"),
    **dict.fromkeys(("chewable", "chewables", "chewable tablet", "chewable tablets"), "chewable"),
    **dict.fromkeys(("caplet", "caplets"), "caplet"),
    **dict.fromkeys(("capsule", "capsules", "cap", "caps"), "capsule"),
    **dict.fromkeys(("sachet", "sachets"), "sachet"),
    **dict.fromkeys(("packet", "packets"), "packet"),
    **dict.fromkeys(("scoop", "scoops", "scoopful", "scoopfuls"), "scoop"),
    **dict.fromkeys(("ml", "milliliter", "milliliters", "millilitre", "millilitres"), "mL"),
    **dict.fromkeys(("tsp", "teaspoon", "teaspoons", "teaspoonful", "teaspoonfuls"), "teaspoon"),
}
#: Which count words each unit of the table accepts (a caplet is a tablet; a packet is a sachet).
_FITS = {
    "tablet": {"tablet"}, "caplet": {"caplet", "tablet"}, "capsule": {"capsule"},
    "sachet": {"sachet", "packet"}, "packet": {"packet", "sachet"}, "mL": {"mL", "teaspoon"},
}
_PLURAL = {"tablet": "tablets", "caplet": "caplets", "capsule": "capsules", "sachet": "sachets",
           "packet": "packets", "mL": "mL"}
#: Words after a product's strength that say it counts magnesium: a preparation's (preparations.MAGNESIUM_AFTER)
#: and the orders a product name writes them in ("Mg" written so, as the element).
_MAGNESIUM_WORDS = MAGNESIUM_AFTER | frozenset(("mg", "elemental mg", "mg elemental", "magnesium elemental"))
_COUNT = re.compile(r"\s*(?P<num>[0-9]+\s*/\s*[0-9]+|[0-9]+(?:\.[0-9]+)?|½)\s*(?P<rest>.*)$", re.DOTALL)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAME_MAX_CHARS = 100


class Declared(NamedTuple):
    """One magnesium figure as the label prints it ("4 mmol"), and in mg."""

    text: str
    mg: float


class Product(NamedTuple):
    """One row of the products table."""

    id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    dosage_form: str
    unit: str
    per: float
    form: Form
    salt_mg: float | None
    declared: tuple[Declared, ...]
    other_actives: str
    scored: bool
    route: str
    use: str
    valid_from: str
    valid_to: str
    grade: str
    source: str
    note: str

    @property
    def magnesium_per_unit(self) -> float:
        """mg of magnesium in one unit (one tablet, one mL): from the salt when printed, else as printed."""
        if self.salt_mg is not None:
            return self.salt_mg * self.form.percent_elemental / 100 / self.per
        return self.declared[0].mg / self.per

    @property
    def salt_per_unit(self) -> float:
        """mg of the salt in one unit: as printed, or carried by the printed magnesium at the formula's %."""
        if self.salt_mg is not None:
            return self.salt_mg / self.per
        return self.magnesium_per_unit * 100 / self.form.percent_elemental

    @property
    def plural(self) -> str:
        return _PLURAL[self.unit]

    @property
    def label(self) -> str:
        """'Mag-Ox 400 (US tablet)', with the dates of a formulation that changed."""
        dates = f", {self.valid_from or '…'} to {self.valid_to or 'now'}" if self.valid_from or self.valid_to else ""
        return f"{self.name} ({self.country} {self.dosage_form}{dates})"

    def strength_text(self) -> str:
        """The strength as printed: 'magnesium oxide 400 mg (240 mg; 20 mEq magnesium) per tablet'."""
        per = f"{self.per:g} {self.plural}" if self.per != 1 else self.unit
        declared = "; ".join(d.text for d in self.declared)
        if self.salt_mg is None:
            return f"magnesium {declared} (as the {self.form.family}) per {per}"
        said = f" ({declared} magnesium)" if declared else ""
        return f"{self.form.name} {self.salt_mg:g} mg{said} per {per}"

    def basis(self) -> str:
        """How mgcalc counts one unit's magnesium, in words."""
        one = f"{hundredths(self.magnesium_per_unit)} mg magnesium per {self.unit}"
        if self.salt_mg is not None:
            return f"{one} ({hundredths(self.salt_per_unit)} mg {self.form.name} x {self.form.percent_elemental:.2f} %)"
        return f"{one} (as printed: {self.declared[0].text}" + (f" per {self.per:g} {self.plural})"
                                                               if self.per != 1 else ")")

    def grade_note(self) -> str | None:
        """A warning for a row not read in the product's own label."""
        if self.grade == "S":
            return (f"{self.name}: the strength comes from {GRADES['S']} (see 'mgcalc products {self.id} --json'); "
                    "check the product's label")
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "aliases": list(self.aliases), "country": self.country,
            "dosage_form": self.dosage_form, "unit": self.unit, "per": self.per, "form_id": self.form.id,
            "salt_mg": self.salt_mg, "magnesium": [d.text for d in self.declared],
            "magnesium_per_unit_mg": self.magnesium_per_unit, "other_actives": self.other_actives,
            "scored": self.scored, "route": self.route, "use": self.use, "valid_from": self.valid_from or None,
            "valid_to": self.valid_to or None, "grade": self.grade, "source": self.source, "note": self.note,
        }


class ProductsTable(NamedRows[Product]):
    """The validated products, indexed by every name each can be called (a name may call several rows)."""

    def find(self, name: str) -> tuple[Product, ...]:
        """Every row called ``name`` (case, spaces, punctuation and a leading 'magnesium' ignored)."""
        if len(name) > _NAME_MAX_CHARS:
            return ()
        return self.find_key(normalize(name))

    def search(self, word: str) -> tuple[Product, ...]:
        needle = normalize(word) or word.casefold()
        return tuple(p for p in self.rows
                     if any(needle in normalize(t) for t in (p.id, p.name, *p.aliases, p.form.id)))

    def close(self, text: str) -> list[str]:
        """Names of the products closest to ``text`` (at most two)."""
        keys = close_matches(normalize(text), self.keys(), n=2, cutoff=0.7)
        return list(dict.fromkeys(self._by_key[k][0].name for k in keys))


def declared_tolerance(text: str, mg: float) -> float:
    """How far (mg) the truth may be from a printed figure: half a unit of its last digit (a whole
    number ending in 0, as '240', may be rounded to tens), plus LABEL_SLACK of it."""
    number = text.split()[0]
    if "." in number:
        step = 10.0 ** -len(number.split(".")[1])
    else:
        step = 10.0 if number.endswith("0") else 1.0
    return step / 2 * (mg / float(number)) + LABEL_SLACK * mg


def _declared(text: str, where: str) -> tuple[Declared, ...]:
    figures = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        match = AMOUNT_PATTERN.fullmatch(part)
        unit = (match["unit"].strip().lower() if match else "")
        if match is None or not (unit == "mg" or unit in MAGNESIUM_UNITS):
            raise FormsTableError(f"{where}: magnesium {part!r} is not a figure in mg, mmol or mEq")
        figures.append(Declared(part, magnesium_mg(part, what="magnesium")))
    return tuple(figures)


def _number(text: str, column: str, where: str, *, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FormsTableError(f"{where}: {column} {text!r} is not a number") from None
    if not low < value <= high:
        raise FormsTableError(f"{where}: {column} {value:g} is outside {low:g} to {high:g}")
    return value


def _row(values: dict[str, str], where: str) -> Product:
    forms = load_forms()
    for required in ("id", "name", "country", "dosage_form", "unit", "per", "form_id", "grade", "source"):
        if not values[required]:
            raise FormsTableError(f"{where}: empty {required}")
    checks = (("unit", UNITS), ("country", COUNTRIES), ("route", ROUTES), ("use", USES), ("grade", GRADES),
              ("scored", ("yes", "no")))
    for column, allowed in checks:
        if values[column] not in allowed:
            raise FormsTableError(f"{where}: {column} {values[column]!r} is not one of {', '.join(sorted(allowed))}")
    for column in ("valid_from", "valid_to"):
        if values[column] and not _DATE.fullmatch(values[column]):
            raise FormsTableError(f"{where}: {column} {values[column]!r} is not a date (YYYY-MM-DD)")
    try:
        form = forms.by_id(values["form_id"])
    except MgcalcError as exc:
        raise FormsTableError(f"{where}: {exc}") from None
    if form.kind == "excipient":
        raise FormsTableError(f"{where}: form {form.id!r} is not a magnesium source")
    per = _number(values["per"], "per", where, low=0, high=1000)
    salt = _number(values["salt_mg"], "salt_mg", where, low=0, high=100_000) if values["salt_mg"] else None
    declared = _declared(values["magnesium"], where)
    if salt is None and not declared:
        raise FormsTableError(f"{where}: give the salt's weight (salt_mg) or the magnesium as printed, or both")
    if salt is not None:
        carried = salt * form.percent_elemental / 100
        for figure in declared:
            if abs(figure.mg - carried) > declared_tolerance(figure.text, figure.mg):
                raise FormsTableError(
                    f"{where}: magnesium {figure.text} ({figure.mg:.1f} mg) does not match {salt:g} mg of "
                    f"{form.name} ({carried:.1f} mg) within the label's rounding"
                )
    first = declared[0] if declared else None
    for figure in declared[1:]:
        assert first is not None
        if abs(figure.mg - first.mg) > declared_tolerance(figure.text, figure.mg) + declared_tolerance(
                first.text, first.mg):
            raise FormsTableError(f"{where}: magnesium {figure.text} does not match {first.text}")
    aliases = tuple(a.strip() for a in values["aliases"].split("|") if a.strip())
    return Product(values["id"], values["name"], aliases, values["country"], values["dosage_form"], values["unit"],
                   per, form, salt, declared, values["other_actives"], values["scored"] == "yes", values["route"],
                   values["use"], values["valid_from"], values["valid_to"], values["grade"], values["source"],
                   values["note"])


def parse_products(text: str, origin: str) -> ProductsTable:
    """Validate CSV text as a products table; every problem names the file, line and what is wrong.

    A name (or alias) may call several rows (Magonate tablets and liquid): they are told apart by
    the unit asked for, or named together. No name may also name a preparation; ``names_a_form``
    finds one that names a form (the forms table may compute a formula, too slow for every call:
    a test runs it).
    """
    from mgcalc.preparations import load_preparations

    preparations = load_preparations()
    rows: list[Product] = []
    by_key: dict[str, list[Product]] = {}
    for line, raw in table_rows(text, origin, COLUMNS):
        where = f"{origin}:{line}"
        values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        product = _row(values, where)
        if any(p.id == product.id for p in rows):
            raise FormsTableError(f"{where}: duplicate id {product.id!r}")
        rows.append(product)
        for spelled in dict.fromkeys((product.name, *product.aliases)):
            if preparations.find(spelled):
                raise FormsTableError(f"{where}: {spelled!r} already names a row of the preparations table")
            key = normalize(spelled)
            if product not in by_key.setdefault(key, []):
                by_key[key].append(product)
    if not rows:
        raise FormsTableError(f"{origin}: the table has no rows")
    return ProductsTable(tuple(rows), {k: tuple(v) for k, v in by_key.items()})


def names_a_form(table: ProductsTable) -> list[str]:
    """Every product name or alias that the forms table also reads (there must be none)."""
    forms, found = load_forms(), []
    for product in table:
        for spelled in (product.name, *product.aliases):
            try:
                forms.resolve(spelled)
            except MgcalcError:
                continue
            found.append(spelled)
    return found


@lru_cache(maxsize=1)
def load_products() -> ProductsTable:
    """The products table shipped with the package (read once per process)."""
    return parse_products(*read_table("products.csv", "products"))


class ProductAmount(NamedTuple):
    """A count of one product's units as typed: '2 tablets Mag-Ox 400' (quantity 2, in the product's unit)."""

    product: Product
    #: Units of the product (tablets, capsules, mL).
    quantity: float
    said: str

    @property
    def magnesium_mg(self) -> float:
        return self.quantity * self.product.magnesium_per_unit

    @property
    def salt_mg(self) -> float:
        return self.quantity * self.product.salt_per_unit

    def text(self) -> str:
        unit = self.product.unit if self.quantity == 1 else self.product.plural
        return f"{hundredths(self.quantity)} {unit} of {self.product.label}"


def read_product_amount(words: list[str]) -> ProductAmount | None:
    """``[COUNT [UNIT]] PRODUCT`` as typed ("Mag-Ox 400", "2 tablets Mag-Ox 400", "10 mL Magonate"),
    or None when the words do not name a product (then they are an amount and a form, read as before).

    A count word that does not fit the product ("2 sachets Mag-Ox 400"), a count of zero or over
    100, or a name that calls several products of different units is a MgcalcError.
    """
    text = " ".join(w.strip() for w in words).strip()
    if not text or len(text) > _NAME_MAX_CHARS:
        return None
    table = load_products()
    rows = table.find(text)
    if rows:
        return _amount(text, 1.0, None, rows, text)
    match = _COUNT.match(text)
    if match is None:
        _refuse_near(text)
        return None
    rest = match["rest"].strip()
    word, name = _count_word(rest)
    rows = table.find(name)
    if not rows:
        _refuse_blend(name)
        if word is not None and word not in ("mL", "teaspoon", "sachet") and not _liquid_or_sachet(name):
            raise _unknown(name, f"{match['num']} {rest[: len(rest) - len(name)].strip()}")
        first = name.split()[0].lower() if name.split() else ""
        if word is None and first not in UNIT_WORDS and first not in VOLUME_UNITS:
            _refuse_near(name)  # "2 Neomagg"; "500mg Neomagg" is an amount and a form, read as before
        return None
    count = _count_value(match["num"], text)
    if word == "teaspoon":
        count *= factor("metric_teaspoon", "milliliter")
    return _amount(name, count, word, rows, text)


def _refuse_blend(name: str) -> None:
    """A product's name followed by more words ("Mag-Ox 400 500mg citrate"): refused, saying why."""
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):
        rows = load_products().find(" ".join(words[:cut]))
        if rows:
            raise MgcalcError(
                f"{shown(' '.join(words[:cut]))} is a product and {shown(' '.join(words[cut:]))} follows it: a dose "
                "of a product is read alone (a blend of a product and other amounts is not); give each separately"
            )


def _refuse_near(name: str) -> None:
    """A name that is no form or preparation but close to a product's: refused, naming the product."""
    if not load_products().close(name):
        return
    from mgcalc.preparations import read_form

    try:
        read_form(name)
    except MgcalcError:
        raise _unknown(name, "") from None


def _liquid_or_sachet(name: str) -> bool:
    """Whether ``name`` is a preparation or a compound with a strength (the other grammar reads those)."""
    from mgcalc.preparations import read_form

    try:
        return read_form(name).strength is not None
    except MgcalcError:
        return False


def _count_word(rest: str) -> tuple[str | None, str]:
    """The count word at the start of ``rest`` (two words first: "chewable tablets"), and the name after it."""
    parts = rest.split()
    for size in (2, 1):
        said = " ".join(parts[:size]).lower().rstrip(".")
        if len(parts) > size and said in COUNT_WORDS:
            return COUNT_WORDS[said], " ".join(parts[size:])
    glued = re.match(r"(?i)(ml|tsp)\s*(.+)$", rest)  # "10mL Magonate" arrives as "mL Magonate"
    if glued and glued[1].lower() in COUNT_WORDS:
        return COUNT_WORDS[glued[1].lower()], glued[2]
    return None, rest


def _count_value(number: str, text: str) -> float:
    if number == "½":
        return 0.5
    if "/" in number:
        top, bottom = (int(n) for n in number.split("/"))
        if bottom == 0:
            raise MgcalcError(f"count {shown(number)} divides by zero; give e.g. 1 or 0.5")
        return top / bottom
    return float(number)


def _amount(name: str, count: float, word: str | None, rows: tuple[Product, ...], text: str) -> ProductAmount:
    fitting = [r for r in rows if word is None or _fits(word, r)]
    if not fitting:
        comes = "; ".join(f"{r.label} comes as {r.plural}" for r in rows)
        example = rows[0].plural if count != 1 or rows[0].unit == "mL" else rows[0].unit
        raise MgcalcError(
            f"{shown(text)}: {comes}, not {_word_shown(word)}; give e.g. {hundredths(max(count, 1))} {example} {name}"
        )
    if len(fitting) > 1:
        listed = "; ".join(f"{r.label}: {r.strength_text()}" for r in fitting)
        units = " or ".join(sorted({r.plural for r in fitting}))
        raise MgcalcError(f"{shown(name)} names {len(fitting)} products: {listed}; say which, with a count "
                          f"in {units} (e.g. 1 {fitting[0].unit} {name}) or the full name")
    product = fitting[0]
    _check_count(count, product, text)
    return ProductAmount(product, count, text)


def _fits(word: str, product: Product) -> bool:
    if word == "chewable":
        return product.unit == "tablet" and "chewable" in product.dosage_form
    return word in _FITS[product.unit]


def _word_shown(word: str | None) -> str:
    return {"mL": "mL", "teaspoon": "teaspoons"}.get(word or "", f"{word}s")


def _check_count(count: float, product: Product, text: str) -> None:
    if not 0 < count <= MAX_COUNT:
        raise MgcalcError(f"count {hundredths(count)} in {shown(text)} is outside what one dose takes; give more than "
                          f"0 and at most {MAX_COUNT:g} {product.plural}")
    if product.unit == "mL" or count == int(count):
        return
    if product.scored and (count * 2) == int(count * 2):
        return
    halves = " or a half" if product.scored else ""
    why = "" if product.scored else f" ({product.name}'s label does not say it may be halved)"
    raise MgcalcError(f"{shown(text)}: give a whole number{halves} of {product.plural}{why}")


def _unknown(name: str, counted: str) -> MgcalcError:
    """A name that is no product: the nearest products, then the forms table's own nearest names."""
    near = [repr(n) for n in load_products().close(name)]
    try:
        load_forms().resolve(name)
    except MgcalcError as exc:  # the forms table's message ends "did you mean 'a' or 'b'?" when it has one
        forms_said = str(exc).partition("did you mean ")[2].removesuffix("?")
    else:
        if counted:
            return MgcalcError(
                f"{shown(name)} is a compound, not a named product, so {counted} has no known weight; give the "
                f"compound's weight (e.g. 500mg {name}), or name a product (mgcalc products)"
            )
        forms_said = ""
    said = " or ".join([*near, *([forms_said] if forms_said else [])])
    hint = f"; did you mean {said}?" if said else "; see mgcalc products and mgcalc forms"
    return MgcalcError(f"unknown product {'' if counted else 'or form '}{shown(name)}{hint}")


def product_dose(amount: ProductAmount, *, per_day: int = 1, **options: object) -> "DoseResult":
    """The dose of a count of a product, ``per_day`` times a day, as ``dose`` computes any dose
    (``options``: profile, food, authority, weight, with_drugs, as for ``dose``)."""
    from mgcalc.dose import Component, dose_of
    from mgcalc.forms import Resolution

    product = amount.product
    notes = [n for n in (product.grade_note(),) if n]
    if product.other_actives:
        notes.append(f"{product.name} also contains {product.other_actives}")
    if product.salt_mg is None:
        percent = product.form.percent_elemental
        notes.append(f"{product.name}'s label prints no salt weight: the {hundredths(amount.salt_mg)} mg of "
                     f"{product.form.name} is what the printed magnesium makes at {percent:.2f} %")
    volume = amount.quantity * per_day if product.unit == "mL" else None
    component = Component(Resolution(product.id, product.form, "id"), amount.salt_mg * per_day,
                          amount.magnesium_mg * per_day, volume, None, None, tuple(notes), None,
                          amount._replace(quantity=amount.quantity * per_day))
    return dose_of((component,), per_day, **options)  # type: ignore[arg-type]


def product_target(words: list[str]) -> tuple[str, tuple[Product, ...]] | None:
    """``TARGET PRODUCT`` ("40mEq Mag-Ox 400"): the target text and the rows the rest names, or None."""
    tokens = join_amounts([w for w in words if w.strip()])
    if len(tokens) < 2:
        return None
    name = " ".join(tokens[1:])
    rows = load_products().find(name)
    if not rows:
        _refuse_near(name)
    return (tokens[0], rows) if rows else None


class ProductCount(NamedTuple):
    """How many units of a product (or of a salt of a given unit weight) deliver a target."""

    target_mg: float
    product: Product | None
    form: Form | None
    magnesium_per_unit: float
    unit: str
    basis: str
    warnings: tuple[str, ...]

    @property
    def units(self) -> float:
        return self.target_mg / self.magnesium_per_unit

    @property
    def step(self) -> float:
        """The smallest count that can be taken: 1, a half for a scored tablet, or 0.1 mL."""
        if self.unit == "mL":
            return 0.1
        return 0.5 if self.product is not None and self.product.scored else 1.0

    @property
    def whole_count(self) -> float:
        """The count nearest the target (whole, a half where the tablet is scored), at least one step."""
        steps = math.floor(self.units / self.step + 0.5)  # a tie rounds up, not to even
        return max(round(steps * self.step, 6), self.step)

    @property
    def whole_count_mg(self) -> float:
        return self.whole_count * self.magnesium_per_unit

    def as_dict(self) -> dict[str, object]:
        """The ``compound TARGET PRODUCT --json`` contract (README); tests pin its exact keys."""
        return {
            "schema_version": SCHEMA_VERSION,
            "target_mg": self.target_mg,
            "mmol": to_mmol(self.target_mg),
            "meq": to_meq(self.target_mg),
            "product_id": None if self.product is None else self.product.id,
            "product_name": None if self.product is None else self.product.name,
            "form_id": None if self.form is None else self.form.id,
            "unit": self.unit,
            "magnesium_per_unit_mg": self.magnesium_per_unit,
            "basis": self.basis,
            "units": self.units,
            "whole_count": self.whole_count,
            "whole_count_mg": self.whole_count_mg,
            "whole_count_mmol": to_mmol(self.whole_count_mg),
            "whole_count_meq": to_meq(self.whole_count_mg),
            "grade": None if self.product is None else self.product.grade,
            "source": None if self.product is None else self.product.source,
            "warnings": list(self.warnings),
        }


def target_mg(target: str | float, weight: str | None = None) -> float:
    """A target in mg of magnesium: "40mEq", or per kg ("0.2mmol/kg") with a body ``weight`` ("20kg")."""
    per = per_kg(target) if isinstance(target, str) else None
    if per is None:
        return magnesium_mg(target)
    if weight is None:
        raise MgcalcError(f"target {shown(str(target))} is per kg of body weight; add the weight, e.g. --weight 20kg")
    return bounded_mg(magnesium_mg(per, what="target") * parse_weight(weight), what="target")


def count_for(target: str | float, rows: tuple[Product, ...], name: str = "", weight: str | None = None,
              authority: str = "us") -> ProductCount:
    """Units of a product that deliver ``target`` ("40mEq"): ``count_for("24mmol", find("Neomag"))``;
    a target per kg ("0.2mmol/kg") needs ``weight`` ("20kg"). A target over the ``authority``'s adult
    upper level is warned of, as ``compound`` warns of it for a form."""
    from mgcalc.dose import _target_warnings

    wanted = target_mg(target, weight)
    if len(rows) > 1:
        listed = "; ".join(f"{r.label}: {r.strength_text()}" for r in rows)
        raise MgcalcError(f"{shown(name or rows[0].name)} names {len(rows)} products: {listed}; name one by its "
                          "full name (mgcalc products)")
    product = rows[0]
    notes = [n for n in (product.grade_note(),) if n]
    if product.other_actives:
        notes.append(f"{product.name} also contains {product.other_actives}")
    notes += _target_warnings(wanted, product.form, authority)
    return ProductCount(wanted, product, product.form, product.magnesium_per_unit, product.unit, product.basis(),
                        tuple(notes))


def count_per_unit(target: str | float, form_text: str, per_unit: str, weight: str | None = None,
                   authority: str = "us") -> ProductCount:
    """Units of a form of a given strength per unit that deliver ``target``: ``per_unit`` is the salt's
    weight per unit ("400mg") or the magnesium in it ("4 mmol Mg", "240 mg magnesium", "20 mEq")."""
    from mgcalc.dose import _target_warnings, read_source

    wanted = target_mg(target, weight)
    reading = read_source(form_text)
    if reading.strength is not None:
        raise MgcalcError(f"{shown(form_text)} has a strength of its own; --per-unit is for a solid compound")
    form = reading.form
    amount, of_magnesium = _per_unit_text(per_unit)
    if of_magnesium:
        per = magnesium_mg(amount, what="per-unit magnesium")
        basis = f"{hundredths(per)} mg magnesium per unit (as given: {per_unit.strip()})"
    else:
        salt = mass_mg(amount, what="per-unit weight")
        per = salt * form.percent_elemental / 100
        basis = (f"{hundredths(per)} mg magnesium per unit ({hundredths(salt)} mg {form.name} x "
                 f"{form.percent_elemental:.2f} %)")
    note = reading.resolution.note()
    warnings = ((note,) if note else ()) + _target_warnings(wanted, form, authority)
    return ProductCount(wanted, None, form, per, "unit", basis, warnings)


def _per_unit_text(text: str) -> tuple[str, bool]:
    """'4 mmol Mg' -> ('4 mmol', True); '400mg' -> ('400mg', False); '20 mEq' -> ('20 mEq', True)."""
    words = text.split()
    for size in (2, 1):
        tail = " ".join(words[-size:]).lower()
        if len(words) > size and tail in _MAGNESIUM_WORDS and (tail != "mg" or words[-1] == "Mg"):
            return " ".join(words[:-size]), True
    match = AMOUNT_PATTERN.fullmatch(text.strip())
    unit = match["unit"].strip().lower() if match else ""
    if unit in MAGNESIUM_UNITS:
        return text, True
    if match is not None and unit not in MASS_UNITS:
        raise MgcalcError(f"--per-unit {shown(text)}: give the salt's weight (400mg) or the magnesium in one unit "
                          "(4 mmol Mg, 20 mEq, 240 mg magnesium)")
    return text, False


def check_reading(words: list[str]) -> tuple[str, str, Form] | None:
    """What ``check`` checks for a product: ``PRODUCT`` alone is its own label (the first printed
    magnesium figure against the printed salt), ``DECLARED COMPOUND_AMOUNT PRODUCT`` the product's
    salt; None when the words name no product."""
    tokens = join_amounts([w for w in words if w.strip()])
    for leading in (0, 2):
        if len(tokens) <= leading:
            continue
        name = " ".join(tokens[leading:])
        rows = load_products().find(name)
        if not rows:
            continue
        if len(rows) > 1 and len({(r.form.id, r.salt_mg, r.declared, r.per) for r in rows}) > 1:
            listed = "; ".join(f"{r.label}: {r.strength_text()}" for r in rows)
            raise MgcalcError(f"{shown(name)} names {len(rows)} products: {listed}; name one (mgcalc products)")
        product = rows[0]
        if leading:
            return tokens[0], tokens[1], product.form
        if product.salt_mg is None or not product.declared:
            missing = "no salt weight" if product.salt_mg is None else "no magnesium"
            raise MgcalcError(f"{product.label} prints {missing}: there is nothing on its label to check against; "
                              f"give DECLARED COMPOUND_AMOUNT {product.name} to check other figures")
        return product.declared[0].text, f"{product.salt_mg:g} mg", product.form
    return None


def counts_for(target: str | float, names: list[str]) -> tuple[ProductCount, ...]:
    """``compare TARGET --product A --product B``: the count of each product for one target."""
    table, counted = load_products(), []
    for name in names:
        rows = table.find(name)
        if not rows:
            _refuse_near(name)
            raise MgcalcError(f"unknown product {shown(name)}; see mgcalc products")
        counted.append(count_for(target, rows, name))
    return tuple(counted)

