"""Reading label text as it is printed: first tokens, then the role of each amount.

Only reads: the numbers are converted by ``units`` and the verdict is ``check``'s. The text is
split into typed tokens (amounts with their units, percentages, form names found in the forms
table, the word magnesium, cue words such as "as", "equivalent to", "elemental", other nutrients,
per-basis words). A few named rules then give each amount its role:

- ``unit``: an amount in mmol or mEq counts magnesium (unless another nutrient stands before it:
  "phosphate 5 mmol");
- ``alternate``: "97.2 mg (4 mmol)" is one amount written twice, so it is magnesium;
- ``right``: an amount followed by (of) a subject belongs to it ("84 mg of elemental magnesium",
  "535 mg magnesium chloride"); followed by a dose unit it is that unit's weight ("6.5 g sachet"),
  or, after a form, the form's strength ("Magnesium oxide 400 mg capsules");
- ``left``: an amount after a subject belongs to it ("Magnesium oxide 400 mg"), across a
  bracket that follows the subject ("Magnesium (as magnesium citrate) 200 mg") or a bracket that
  is a row label of its own ("(providing elemental magnesium) | 150mg");
- ``row``: in a table row, a figure after "Magnesium (elemental) from magnesium citrate |" is the
  magnesium; without a cell separator that wording is refused;
- ``bracketed second figure``: "470 mg (48 mg)" is the magnesium only where the text says the
  bracket is calculated as magnesium, a second weight of the salt where it names the hydrate,
  and cannot be told otherwise;
- ``link``: an amount linked by "equivalent to" (or followed by a bracket with the magnesium
  figure) to the magnesium is the compound; "1000mg/5mL as gluconate dihydrate" too;
- other nutrients (calcium, potassium, vitamin B6 ...) and the figures in their brackets are left out.

Whatever the rules leave open is an answer too: ``Reading.problem`` says why the label cannot be
checked, and no figure is guessed. The vocabulary is data (the tables below and the forms table):
a new wording is a new row.
"""

import enum
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mgcalc.errors import MgcalcError, shown

if TYPE_CHECKING:
    from mgcalc.basis import Basis, Directions
    from mgcalc.references import Profile
from mgcalc.forms import Form, Resolution, load_forms, normalize, parse_formula

#: Longest label text accepted (a whole panel fits).
LABEL_MAX_CHARS = 6000

# --- vocabulary -------------------------------------------------------------------------------

#: Cue phrases (lower case) and their role. source: introduces the compound the magnesium comes
#: from; link: joins two figures of the same ingredient; element: the next figure is magnesium
#: itself; as-magnesium: the figure in brackets is calculated as magnesium; hydrate-of: a second
#: weight of the same salt in another hydration state; filler: words between a subject and its
#: figure; per: a basis follows; plus: another ingredient follows. These three tables are data:
#: ``words()`` fills them from ``data/label_words.csv`` (every language, English included) before any
#: text is read.
CUES: dict[str, str] = {}
#: Words for magnesium itself (lower case; "Mg2+" and "Mg++" are matched by the scanner).
MAGNESIUM_WORDS: set[str] = set()
_MAGNESIUM = MAGNESIUM_WORDS
#: Nutrients and ingredients that are not magnesium: their figures are left out.
OTHER_WORDS: set[str] = set()
_OTHER = OTHER_WORDS
#: Words after a salt's name that make it another ingredient ("magnesium aspartate complex"): its
#: magnesium content is the maker's, not the formula's, so its figures are not checked against the salt.
NOT_PURE = frozenset({"complex", "chelate", "blend", "matrix", "compound", "concentrate"})
#: Hydration words and the water count each names.
HYDRATES: dict[str, int] = {
    "anhydrous": 0, "monohydrate": 1, "dihydrate": 2, "trihydrate": 3, "tetrahydrate": 4,
    "pentahydrate": 5, "hexahydrate": 6, "heptahydrate": 7, "octahydrate": 8, "nonahydrate": 9,
}
#: Kinds of ``label_words.csv``: magnesium and other nutrients' names, cue words, NRV markers, salt and
#: hydrate names, the basis and directions words ``basis.py`` reads (unit, measure, number, times, each,
#: verb, daily), the panel headings ``panel.py`` reads (heading, ``means`` the section's role) and the
#: spellings of a figure's unit (amount-unit, ``means`` the unit units.py reads, or volume, other).
WORD_KINDS = ("magnesium", "other", "link", "source", "element", "filler", "hydrate-of", "as-magnesium", "per",
              "plus", "and", "nrv", "salt", "hydrate", "unit", "measure", "number", "times", "each", "verb", "daily",
              "heading", "amount-unit")
#: What a heading's section holds (kind heading, its ``means``): see panel.HEADINGS.
HEADING_ROLES = ("active", "other", "facts", "directions", "skip")
#: The kinds whose ``means`` is a whole number (a count, times a day).
_COUNTING_KINDS = ("number", "times")
#: The kinds that are cue words (their role in the reader, see CUES).
CUE_KINDS = frozenset({"link", "source", "element", "filler", "hydrate-of", "as-magnesium", "per", "plus", "and"})


class Words(NamedTuple):
    """The label words of ``data/label_words.csv`` that other modules read, by what they mean."""

    #: a foreign salt or hydrate word -> its English word ("citrat" -> "citrate")
    english: dict[str, str]
    #: words for the percentage of an EU reference intake (NRV, VNR, RWS ...)
    nrv: frozenset[str]
    #: the basis, directions and heading words by kind: word -> what it means ("comprimé" -> "tablet",
    #: "twice" -> "2", "directions" -> "directions"), in the table's order
    basis: dict[str, dict[str, str]]


def _amount_measure(means: str) -> str | None:
    """What an amount-unit row's unit measures: mass or magnesium (a unit units.py reads), volume, other."""
    from mgcalc.units import MAGNESIUM_UNITS, MASS_UNITS

    if means in MASS_UNITS:
        return "mass"
    if means in MAGNESIUM_UNITS:
        return "magnesium"
    return means if means in ("volume", "other") else None


@lru_cache(maxsize=1)
def words() -> Words:
    """Read ``label_words.csv`` once, add its cue, nutrient and magnesium words to the tables
    above, and return the translations; a FormsTableError names a bad row."""
    from mgcalc.errors import FormsTableError
    from mgcalc.tables import read_table, table_rows

    text, origin = read_table("label_words.csv", "label words")
    english: dict[str, str] = {}
    nrv: set[str] = set()
    basis_words: dict[str, dict[str, str]] = {}
    for line, row in table_rows(text, origin, ("word", "kind", "means", "language", "source")):
        word, kind = row["word"].strip().lower(), row["kind"]
        if not word or kind not in WORD_KINDS or not row["source"].strip():
            raise FormsTableError(f"{origin}:{line}: a word, a kind ({', '.join(WORD_KINDS)}) and a source are needed")
        means = row["means"].strip()
        if (kind in _COUNTING_KINDS and not (means.isascii() and means.isdigit())) or (
                kind == "heading" and means not in HEADING_ROLES):
            wanted = "a whole number" if kind in _COUNTING_KINDS else "one of " + ", ".join(HEADING_ROLES)
            raise FormsTableError(f"{origin}:{line}: {kind} {word!r} means {means!r}; it must mean {wanted}")
        if kind == "magnesium":
            _MAGNESIUM.add(word)
        elif kind == "other":
            _OTHER.add(word)
        elif kind in CUE_KINDS:
            CUES.setdefault(word, kind)
        elif kind == "nrv":
            nrv.add(word)
        elif kind in ("salt", "hydrate"):
            english[word] = means.lower()
        elif kind == "amount-unit":
            measure = _amount_measure(means)
            if measure is None:
                raise FormsTableError(f"{origin}:{line}: amount-unit {word!r} means {means!r}; it must mean a mass "
                                      "or magnesium unit units.py reads (mg, g, mcg, mmol, meq ...), volume or other")
            UNITS[word] = measure
            if measure in ("mass", "magnesium"):
                _SPELLED[word.rstrip(".")] = means
        else:
            basis_words.setdefault(kind, {})[word] = means
            if kind == "unit" and " " not in word:  # "capsules", "gélules", "Kapseln": dose units in a row
                BASIS_WORDS.setdefault(word, means)
    return Words(english, frozenset(nrv), basis_words)


#: Units of a dose: "each tablet", "per capsule", "Serving Size 2 Capsules": the one-word dose units of
#: ``label_words.csv`` (kind unit, every language; ``words()`` adds them), and a serving.
BASIS_WORDS: dict[str, str] = dict.fromkeys(("serving", "servings"), "serving")
#: Units a figure on a label can carry, lower case, and what they measure (mass, magnesium, volume,
#: other): the amount-unit rows of label_words.csv, which ``words()`` adds.
UNITS: dict[str, str] = {}
#: Label spellings of a mass or magnesium unit and the spelling units.py reads ("milligramm": "mg").
_SPELLED: dict[str, str] = {}
#: A solid dose unit holding more salt than this is not plausible (a heuristic: the largest
#: common tablets and capsules weigh 1 to 1.5 g in all).
PLAUSIBLE_UNIT_MG = 1500.0
#: Dose units that are solid and counted (a tablet's figures can be split per unit; a volume's cannot).
SOLID_UNITS = frozenset({"tablet", "capsule", "caplet", "softgel", "gummy", "lozenge"})
#: Two figures of magnesium agree when within this fraction (label rounding of mmol and mg).
_AGREE = 0.02

# --- tokens -----------------------------------------------------------------------------------

# A comma before one or two digits can only be a decimal comma ("2,5 µg", "56,3 mg"); before three it
# is a thousands comma ("1,250 mg"), which a text that writes decimal commas makes ambiguous (panel.py).
_NUM = r"(?<![\w.,])(?:\d+,\d{1,2}(?![\d,])|\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\w.])\.\d+"


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    """The token scanner. "500 mg/tablet", "5 mg/drop", "250 mg/chewable": after a slash, any one-word dose
    unit of label_words.csv (and mL, dose) says what the figure is for."""
    words()
    units = sorted((w for w, u in BASIS_WORDS.items() if u != "serving"), key=len, reverse=True)
    per_unit = "|".join(["ml", "dose", *(re.escape(w) for w in units)])
    # a figure's unit: every amount-unit spelling, the longest first ("mgs." before "mg")
    unit = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(UNITS, key=len, reverse=True))
    return re.compile(
        rf"(?P<range>(?:{_NUM})\s*(?:-|–|to)\s*(?:{_NUM})\s*(?:{unit}|%)(?![^\W\d_]))"
        rf"|(?P<amount>(?P<num>{_NUM})\s*(?P<unit>{unit})(?!\w)"
        rf"(?:\s*/\s*(?P<slashn>\d+(?:\.\d+)?)?\s*(?P<slash>{per_unit})\b)?)"
        rf"|(?P<pct>(?P<pnum>{_NUM})\s*%)"
        r"|(?P<ion>\bMg\s*(?:2\s*\+|\+\+))"
        rf"|(?P<bare>{_NUM})"
        r"|(?P<water>[.·•*]\s*(?P<wcount>\d*)\s*H2O\b)"
        r"|(?P<word>[^\W\d_][\w'’+\-]*(?:\.(?!\d))?)"
        r"|(?P<leader>\.{3,}|…+|\s-\s|\s–\s|\|+|\t+)"
        r"|(?P<punct>[()\[\],;:•■=])",
        re.IGNORECASE,
    )


class TokenKind(enum.StrEnum):
    """What a token of label text is (a punctuation token's value is its character)."""

    AMOUNT = "amount"  # a figure with its unit: Token.value in mg (or the count), Token.measure what it measures
    RANGE = "range"  # "100-200 mg": left out, never one figure
    PCT = "pct"  # a percentage: Token.value
    BARE = "bare"  # a number without a unit
    WORD = "word"  # any other word
    MG = "mg"  # magnesium itself (the word in any language, Mg2+)
    FORM = "form"  # a form in the forms table: Token.form
    OTHER = "other"  # another nutrient or ingredient
    SALT = "salt"  # a salt's name the forms table cannot resolve alone
    HYDRATE = "hydrate"  # a hydration word: Token.value the water count
    BASIS = "basis"  # a dose unit (tablet, capsule, sachet): Token.unit its name
    CUE = "cue"  # a cue phrase: Token.role its role (CUES)
    OPEN = "("
    CLOSE = ")"
    OPEN_SQUARE = "["
    CLOSE_SQUARE = "]"
    COMMA = ","
    SEMICOLON = ";"
    COLON = ":"
    SEP = "sep"  # a cell separator or leader dots
    WATER = "water"  # "·7H2O": Token.value the water count
    EOL = "eol"  # the end of a line (rows.py)


#: Brackets that open and close (round or square).
OPENING = (TokenKind.OPEN, TokenKind.OPEN_SQUARE)
CLOSING = (TokenKind.CLOSE, TokenKind.CLOSE_SQUARE)


class Token(NamedTuple):
    """One piece of label text: kind, its text, and what the kind carries."""

    kind: TokenKind
    text: str
    start: int
    value: float = 0.0  # amount: mg (mass or magnesium); pct: the percentage; water: count
    unit: str = ""  # basis: the dose unit's name (tablet, capsule)
    measure: str = ""  # amount: what it measures: mass, magnesium (mmol, mEq), volume, other, unreadable
    role: str = ""  # cue: its role (CUES: source, link, element, filler, per, ...)
    per: str = ""  # amount: "/mL" written after it
    form: Resolution | None = None  # form: the row
    note: str = ""


class Figure(NamedTuple):
    """An amount with the role the rules gave it."""

    mg: float
    text: str
    role: str  # magnesium / compound / other / basis / unknown / range
    form: Resolution | None = None
    per: str = ""
    rule: str = ""


class Reading(NamedTuple):
    """What a label text says, as far as it can be told."""

    declared_mg: float | None
    compound_mg: float | None
    #: The form the compound figure (or, without one, the declared magnesium) belongs to.
    form: Resolution | None
    #: Every magnesium source the text names (several for a blend).
    forms: tuple[Resolution, ...]
    #: Compound figures with their forms (several for a blend with weights, or a salt printed twice).
    compounds: tuple[Figure, ...]
    per: str | None
    percent_dv_printed: float | None
    #: Why the text cannot be checked, or None.
    problem: str | None
    notes: tuple[str, ...]
    #: A Supplement Facts serving: (count, unit), e.g. (2, "capsule"); None when not printed.
    serving: tuple[float, str] | None = None
    #: What the figures are for, as the label states it (``basis.Basis``), or None.
    basis: "Basis | None" = None
    #: Units a day the directions allow (``basis.Directions``), or None.
    directions: "Directions | None" = None
    #: Why the directions give no daily figure (they were printed but could not be read), or None.
    directions_problem: str | None = None
    #: Rows of other ingredients set aside: (name, figures as printed).
    other_ingredients: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: What the printed percentage is of: "DV" (US Daily Value) or "NRV" (EU/UK Nutrient Reference Value).
    percent_of: str = "DV"
    #: Audiences a %DV column names ("% Daily Value for Children 1 through 3 Years of Age"), as profiles.
    audiences: tuple["Profile", ...] = ()


# --- what a whole text must pass before its figures are trusted ------------------------------------

# "241,3 mg": a comma before one or two digits is a decimal comma (a thousands comma has three).
DECIMAL_COMMA = re.compile(r"(?<![\d,.])\d+,\d{1,2}(?![\d,])")
THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# An ingredient list on the same line as its heading is not read ("Other ingredients: ...").
_NOT_READ = re.compile(r"\b(?:other|inactive)\s+ingredients?\s*:.*$", re.IGNORECASE | re.MULTILINE)
# "<1%": a percentage too small to be checked against a figure.
_BELOW_ONE = re.compile(r"<\s*1\s*%")
# A blend's magnesium figure that is plainly the total: "total", or the whole text is
# "Magnesium 500 mg (as A 400 mg, B 200 mg)" with nothing after the bracket.
_TOTAL = re.compile(r"\btotal\b", re.IGNORECASE)
_MAGNESIUM_AS = re.compile(r"\s*magnesium\b[^()]*\d[^()]*\((?:as|from)\b[^()]*\)[\s.]*", re.IGNORECASE)


def prepared(text: str) -> str:
    """The text to read: an ingredient list printed on its heading's line is left out."""
    return _NOT_READ.sub("", text)


def guarded(text: str, reading: "Reading") -> "Reading":
    """A reading made safe against what the text as a whole says: weighted blends of several
    compounds cannot be checked; a percentage of an EU/UK reference value (NRV, VNR, RWS, RI) is
    checked against that value, not the US DV; "<1%" is not checked."""
    problems = [reading.problem] if reading.problem else []
    notes = list(reading.notes)
    families = {r.form.family for r in reading.forms}
    weighted = {f.form.form.family for f in reading.compounds if f.form is not None}
    total = _TOTAL.search(text) or _MAGNESIUM_AS.fullmatch(text)
    if len(families) > 1 and reading.compound_mg is not None and (weighted != families or not total):
        problems.append("it gives compound weights for a blend of several compounds ("
                        + ", ".join(sorted(families)) + ") without saying plainly that the magnesium figure is "
                        "the total of all of them, each weighed; mgcalc will not guess which figure belongs to which")
    if reading.percent_dv_printed is not None and _BELOW_ONE.search(text):
        notes.append("the percentage printed is '<1%'; it is not checked")
        reading = reading._replace(percent_dv_printed=None)
    elif reading.percent_dv_printed is not None and _nrv_marked(text):
        reading = reading._replace(percent_of="NRV")
    elif reading.percent_dv_printed is not None and re.search(r"\bnutrition\s+facts\b", text, re.IGNORECASE):
        reading = reading._replace(percent_of="DV (Nutrition Facts)")  # its own rounding of a %DV
    if reading.percent_dv_printed is not None:
        reading = reading._replace(audiences=_audiences(text))
    return reading._replace(problem="; ".join(dict.fromkeys(problems)) or None, notes=tuple(notes))


#: %DV columns for an audience other than adults, and a profile of that audience (21 CFR 101.9(c)(8)(iv)).
_AUDIENCES = (
    (re.compile(r"\bchildren\s+1\s*(?:through|to|-)\s*3\b|\bchildren\s+under\s+4\b", re.IGNORECASE), {"age": 2.0}),
    (re.compile(r"\binfants?\b", re.IGNORECASE), {"age": 0.75}),
    (re.compile(r"\bpregnan(?:t|cy)\b|\blactat(?:ing|ion)\b", re.IGNORECASE),
     {"age": 30.0, "sex": "female", "pregnant": True}),
)


def _audiences(text: str) -> tuple["Profile", ...]:
    from mgcalc.references import Profile

    return tuple(Profile(**fields) for pattern, fields in _AUDIENCES if pattern.search(text))


def _nrv_marked(text: str) -> bool:
    """Whether the text says its percentages are of an EU/UK reference value ("%NRV", "VNR", "RWS")."""
    marks = "|".join(re.escape(w) for w in sorted(words().nrv, key=len, reverse=True))
    return re.search(rf"(?<![^\W\d_])(?:{marks})(?![^\W\d_])", text, re.IGNORECASE) is not None


# --- the reader -------------------------------------------------------------------------------


def read_label(text: str) -> Reading:
    """Read one label statement (a line, a sentence or a Supplement Facts row), as a panel of one line
    is read (``panel.read_panel``: its basis phrases read once there, its rows found first)."""
    from mgcalc.panel import read_panel

    return read_panel(text)


def read_tokens(tokens: list["Token"], text: str) -> "Reading":
    """Read the tokens of one statement or one ingredient row (``text`` for messages)."""
    excipients = [t.form.form for t in tokens
                  if t.kind == TokenKind.FORM and t.form and t.form.form.kind == "excipient"]
    sources = [t for t in tokens if t.kind in (TokenKind.MG, TokenKind.SALT) or (t.kind == TokenKind.FORM and t.form
               and t.form.form.kind != "excipient") or (t.kind == TokenKind.AMOUNT and t.measure == "magnesium")]
    if excipients and not sources:
        raise MgcalcError(f"the label {shown(text)} names only {excipients[0].name}, which is not a magnesium "
                          f"source: {excipients[0].note}")
    if not sources:
        raise MgcalcError(
            f"cannot read the label {shown(text)}: it names no magnesium; write it as printed, "
            "e.g. 'Magnesium 200 mg (as magnesium citrate 1,250 mg)'"
        )
    return _roles(tokens)


def check_size(text: str) -> None:
    if len(text) > LABEL_MAX_CHARS:
        raise MgcalcError(f"label text is too long ({len(text)} characters; at most {LABEL_MAX_CHARS})")


def _clean(text: str) -> str:
    """NFKC, symbols dropped (™ ® © * † ‡ §), non-breaking spaces as spaces."""
    folded = unicodedata.normalize("NFKC", text)
    cleaned = re.sub(r"[™®©*†‡§¹²³⁺]", " ", folded).replace("\u00a0", " ")
    cleaned = re.sub(r"(?<=\dmg)(?=[A-Z][a-z])|(?<=\d mg)(?=[A-Z][a-z])", " ", cleaned)  # "2400 mgSaline laxative"
    return _in_english(cleaned)


@lru_cache(maxsize=1)
def _foreign() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Patterns for a magnesium salt named in another language (the words of label_words.csv)."""
    vocabulary = words()
    salts = "|".join(re.escape(w) for w in sorted(vocabulary.english, key=len, reverse=True))
    magnesium = "|".join(re.escape(w) for w in sorted(_MAGNESIUM, key=len, reverse=True) if w not in ("mg", "mag."))
    return (
        re.compile(rf"\b(?:{magnesium})-?(?P<salt>{salts})\b", re.IGNORECASE),  # Magnesiumcitrat
        # citrato de magnesio, lactate de magnésium
        re.compile(rf"\b(?P<salt>{salts})\s+(?:de|di|del|du|d')\s*(?:{magnesium})\b", re.IGNORECASE),
        re.compile(rf"\b(?P<salt>{salts})\s+(?:{magnesium})\b", re.IGNORECASE),  # cytrynian magnezu
        re.compile(rf"\b(?:{magnesium})\s+(?P<salt>{salts})\b", re.IGNORECASE),  # Magnesii citras
        re.compile(rf"(?<=\w)[\s-]+(?P<salt>{salts})\b", re.IGNORECASE),  # a hydrate word: "... dihydraté"
    )


def _in_english(text: str) -> str:
    """'Magnesiumcitrat', 'citrato de magnesio', 'cytrynian magnezu' -> 'magnesium citrate': salts named
    in another language, as the forms table names them (the words are data: label_words.csv)."""
    english = words().english
    whole, of, before, after, hydrate = _foreign()

    def salt(m: re.Match[str]) -> str:
        return f"magnesium {english[m['salt'].lower()]}"

    text = after.sub(salt, of.sub(salt, before.sub(salt, whole.sub(salt, text)))) if english else text
    return hydrate.sub(lambda m: " " + english[m["salt"].lower()] if english[m["salt"].lower()] in HYDRATES
                       else m.group(), text)


def tokenize(text: str) -> list[Token]:
    """Typed tokens of a label text (see ``Token``); words are grouped into phrases afterwards."""
    cleaned = _clean(text)
    raw: list[Token] = []
    for m in _scanner().finditer(cleaned):
        kind = m.lastgroup or ""
        piece = m.group(0)
        if kind == "amount":
            raw.append(_amount(m, piece))
        elif kind == "pct":
            raw.append(Token(TokenKind.PCT, piece, m.start(), value=_number(m["pnum"])))
        elif kind == "ion":
            raw.append(Token(TokenKind.MG, piece, m.start()))
        elif kind == "water":
            count = int(m["wcount"]) if m["wcount"] else 1
            raw.append(Token(TokenKind.WATER, piece, m.start(), value=count))
        elif kind == "leader":
            raw.append(Token(TokenKind.SEP, piece, m.start()))
        elif kind == "punct":
            raw.append(Token(TokenKind(piece) if piece in "()[],;:" else TokenKind.SEP, piece, m.start()))
        elif kind == "bare":
            raw.append(Token(TokenKind.BARE, piece, m.start(), value=_number(piece)))
        else:
            raw.append(Token(TokenKind(kind), piece, m.start()))  # word, range
    return _phrases(raw)


def _number(text: str) -> float:
    return float(_plain_number(text))


def _plain_number(text: str) -> str:
    """'2,5' -> '2.5' (a decimal comma); '1,250' -> '1250' (a thousands comma)."""
    return text.replace(",", ".") if DECIMAL_COMMA.fullmatch(text) else text.replace(",", "")


def _amount(m: re.Match[str], piece: str) -> Token:
    from mgcalc.units import parse_magnesium

    unit = re.sub(r"\s+", " ", m["unit"]).lower().rstrip(".")
    note = ""
    if m["unit"] == "Mg":
        note = f"'{piece.strip()}': 'Mg' read as milligrams, as old labels print it"
    kind = UNITS.get(unit) or UNITS.get(unit + ".") or "mass"
    per = ""
    if m["slash"]:
        said = m["slash"].lower()
        name = "mL" if said == "ml" else BASIS_WORDS.get(said, said)  # "chewable": a tablet
        per = f"{_number(m['slashn']):g} {name}" if m["slashn"] else f"/{name}"
    if kind in ("volume", "other"):
        return Token(TokenKind.AMOUNT, piece, m.start(), value=_number(m["num"]), measure=kind, per=per)
    spelled = _SPELLED.get(unit, unit)
    try:
        value = parse_magnesium(f"{_plain_number(m['num'])} {spelled}", what="label amount")
    except MgcalcError as exc:  # "Iron 0mg", "Kalium 2.000 mg": unreadable only where it stands (roles say so)
        return Token(TokenKind.AMOUNT, piece, m.start(), measure="unreadable", note=str(exc))
    return Token(TokenKind.AMOUNT, piece, m.start(), value=value, measure=kind, per=per, note=note)




@lru_cache(maxsize=1)
def _form_index() -> dict[str, Form]:
    """Every name, alias and id of the forms table by its lookup key."""
    index: dict[str, Form] = {}
    for form in load_forms():
        for name in (form.id, form.name, *form.aliases):
            index.setdefault(normalize(name), form)
    return index


_MAX_FORM_WORDS = 6


def _phrases(raw: list[Token]) -> list[Token]:
    """Group words: cue phrases, form names (with hydration words), magnesium, other nutrients, bases."""
    out: list[Token] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if tok.kind != TokenKind.WORD:
            out.append(tok)
            i += 1
            continue
        found = _form_at(raw, i, after=out)
        if found is not None:
            token, i = found
            if i < len(raw) and raw[i].kind == TokenKind.WORD and raw[i].text.lower().rstrip(".") in NOT_PURE:
                # "Magnesium aspartate complex": a maker's ingredient, not the salt the table knows
                token = Token(TokenKind.SALT, f"{token.text} {raw[i].text}", token.start)
                i += 1
            elif out and out[-1].kind == TokenKind.OTHER and " " not in out[-1].text:
                # "Zinc Magnesium Aspartate", "Calcium Magnesium Citrate": a double salt, not the table's
                token = Token(TokenKind.SALT, f"{out.pop().text} {token.text}", token.start)
            out.append(token)
            continue
        cue, n = _cue_at(raw, i)
        if cue is not None:
            out.append(cue)
            i += n
            continue
        low = tok.text.lower()
        low = low if low == "mag." else low.rstrip(".")
        if low.startswith("magnesium-") and re.fullmatch(r"magnesium-[^\W\d_]{4,}", low) \
                and not re.search(_SALT_WORD + "$", low):
            out.append(tok)  # "Magnesium-Diasporal", "Magnesium-Sandoz": a brand, not the element
        elif low in MAGNESIUM_WORDS or low.startswith("magnesium"):
            salt = _unknown_salt(raw, i)
            if salt is not None:
                out.append(salt)
                i += 2
                continue
            out.append(Token(TokenKind.MG, tok.text, tok.start))
        elif low in OTHER_WORDS or low.rstrip("s") in OTHER_WORDS:
            j = i + 1
            if j < len(raw) and raw[j].kind == TokenKind.WORD and re.fullmatch(r"[A-Za-z]\d+", raw[j].text):
                j += 1  # vitamin B6
            while j < len(raw) and raw[j].kind == TokenKind.WORD and re.fullmatch(_SALT_WORD, raw[j].text.lower()):
                j += 1  # pyridoxine hydrochloride, potassium aspartate
            out.append(Token(TokenKind.OTHER, " ".join(t.text for t in raw[i:j]), tok.start))
            i = j
            continue
        elif low in HYDRATES:
            out.append(Token(TokenKind.HYDRATE, tok.text, tok.start, value=HYDRATES[low]))
        elif low in BASIS_WORDS:
            out.append(Token(TokenKind.BASIS, tok.text, tok.start, unit=BASIS_WORDS[low]))
        else:
            out.append(tok)
        i += 1
    return _bracketed_hydrates(out)


def _bracketed_hydrates(tokens: list[Token]) -> list[Token]:
    """'magnesium aspartate (in the form of tetrahydrate)', '(as the dihydrate)': the hydrate the
    bracket names is the salt's, so the form before it is that hydrate's row (or is computed)."""
    for i, tok in enumerate(tokens):
        if tok.kind != "form" or tok.form is None or i + 3 >= len(tokens) or tokens[i + 1].kind != "(":
            continue
        inside = tokens[i + 2:i + 5]
        cue = inside[0].kind == TokenKind.CUE and inside[0].role in ("hydrate-of", "source")
        hydrate = next((t for t in inside[1:] if t.kind == "hydrate"), None)
        close = next((t for t in tokens[i + 2:i + 6] if t.kind == ")"), None)
        if cue and hydrate is not None and close is not None:
            watered = _with_water(tok.form, int(hydrate.value))
            if watered is not None:
                tokens[i] = tok._replace(form=watered, text=f"{tok.text} ({hydrate.text})")
    return tokens


def _cue_at(raw: list[Token], i: int) -> tuple[Token | None, int]:
    for n in (5, 4, 3, 2, 1):
        words = raw[i:i + n]
        if len(words) < n or any(w.kind != TokenKind.WORD for w in words):
            continue
        phrase = " ".join(w.text.lower() for w in words)
        role = CUES.get(phrase)
        if role is None and phrase.endswith(".") and len(phrase) > 3:  # "élément...." read as "élément."
            phrase = phrase.rstrip(".")
            role = CUES.get(phrase)
        if role is not None:
            return Token(TokenKind.CUE, phrase, raw[i].start, role=role), n
    return None, 0


def _form_at(raw: list[Token], i: int, after: list[Token]) -> tuple[Token, int] | None:
    """A form name starting at word ``i``: "magnesium L-lactate dihydrate", "anhydrous Magnesium
    aspartate", "Magnesium aspartate.4H2O", "Mag. Hydroxide"; a bare name ("citrate") only after
    "as" or "from"."""
    start = i
    water: int | None = None
    if raw[i].text.lower() in HYDRATES and i + 1 < len(raw) and _leads_form(raw[i + 1]):
        water = HYDRATES[raw[i].text.lower()]
        i += 1
    word = raw[i]
    low = word.text.lower()
    bare = not (low in MAGNESIUM_WORDS or low.startswith(("magnesium", "mg-", "tri-magnesium", "trimagnesium")))
    if bare:
        previous = after[-1] if after else None
        if previous is None or previous.kind != TokenKind.CUE or previous.role not in ("source", "hydrate-of"):
            return None
        if _head(after[:-1]) == "other":  # Calcium 500 mg (as carbonate 1250 mg): calcium's source
            return None
    best: tuple[Resolution, int, int | None] | None = None
    for n in range(_MAX_FORM_WORDS, 0, -1):
        words = raw[i:i + n]
        if len(words) < n or any(w.kind != TokenKind.WORD for w in words):
            continue
        names = [_spelled(w.text) for w in words]
        count = water
        if names[-1].lower() in HYDRATES and n > 1:
            count = HYDRATES[names[-1].lower()]
        resolution = _lookup(" ".join(names), count)
        if resolution is None and count is not None and names[-1].lower() in HYDRATES:
            resolution = _lookup(" ".join(names[:-1]), count)
        if resolution is not None:
            best = (resolution, n, count)
            break
    if best is None:
        return None
    resolution, n, count = best
    end = i + n
    if end < len(raw) and raw[end].kind == TokenKind.WATER:  # Magnesium aspartate.4H2O
        hydrated = _with_water(resolution, int(raw[end].value))
        if hydrated is not None:
            resolution = hydrated
        end += 1
    text = " ".join(t.text for t in raw[start:end])
    return Token(TokenKind.FORM, text, raw[start].start, form=resolution), end


def _head(before: list[Token]) -> str:
    """The kind of the nearest subject before a cue, across brackets, amounts and separators."""
    for t in reversed(before):
        if t.kind in (TokenKind.MG, TokenKind.FORM, TokenKind.OTHER, TokenKind.SALT):
            return t.kind
        if t.kind in (TokenKind.WORD, TokenKind.SEMICOLON):
            return ""
    return ""


def _leads_form(token: Token) -> bool:
    low = token.text.lower()
    return token.kind == TokenKind.WORD and (low in MAGNESIUM_WORDS or low.startswith("magnesium"))


def _spelled(word: str) -> str:
    low = word.lower()
    if low in ("mag.", "mg"):
        return "magnesium"
    if low.startswith("mg-"):
        return "magnesium " + word[3:]
    return word


def _lookup(text: str, water: int | None) -> Resolution | None:
    """The form a name means, with the water count a hydration word gives (None: not said)."""
    key = normalize(text)
    if not key:
        return None
    form = _form_index().get(key)
    if form is None:
        return None
    explicit = any(w in key for w in ("anhydrous", "hydrate", "h2o"))
    if water is not None and not explicit:
        return _with_water(Resolution(text, form, "name"), water)
    family = () if explicit else load_forms().family(form)
    return Resolution(text, form, "name", family)


def _water_count(form: Form) -> int:
    m = re.search(r"\.(\d*)H2O$", form.formula)
    return (int(m[1]) if m[1] else 1) if m else 0


def _with_water(resolution: Resolution, water: int) -> Resolution | None:
    """The row of the same family with ``water`` waters, or one computed from the formula."""
    base = resolution.form
    if base.kind != "stoichiometric":
        return None
    for form in load_forms():
        if form.family == base.family and form.kind == "stoichiometric" and _water_count(form) == water:
            return Resolution(resolution.query, form, "name")
    anhydrous = base.formula.split(".")[0]
    formula = anhydrous if water == 0 else f"{anhydrous}.{water}H2O"
    parsed = parse_formula(formula)
    if parsed is None or not parsed.percent_mg:
        return None
    computed = Form(f"formula:{parsed.text}", f"{base.family} {formula} (computed)", (), parsed.text,
                    parsed.percent_mg, "stoichiometric", base.family,
                    "computed from the formula with molmass and standard atomic weights", "")
    return Resolution(resolution.query, computed, "computed")


#: A word that names a salt or its hydration ("aspartate", "hydrochloride", "hcl").
_SALT_WORD = r"[a-z\-]{3,}(?:ate|ite|ide)\.?|hcl"


def _unknown_salt(raw: list[Token], i: int) -> Token | None:
    """'magnesium asparaginate': magnesium and a salt name the table does not know."""
    if i + 1 < len(raw) and raw[i + 1].kind == TokenKind.WORD:
        name = raw[i + 1].text.lower()
        if re.fullmatch(r"[a-z\-]{4,}(?:ate|ite|ide)", name) and name not in CUES:
            return Token(TokenKind.SALT, f"{raw[i].text} {raw[i + 1].text}", raw[i].start)
    return None


# --- roles ------------------------------------------------------------------------------------

#: The role of a figure that belongs to a subject of each kind.
_SUBJECT_ROLES = {TokenKind.MG: "magnesium", TokenKind.FORM: "compound", TokenKind.OTHER: "other",
                  TokenKind.SALT: "salt"}
_SUBJECTS = (TokenKind.MG, TokenKind.FORM, TokenKind.OTHER, TokenKind.SALT)
_LEFT_SKIP = (TokenKind.SEP, TokenKind.COLON, TokenKind.HYDRATE, TokenKind.BASIS)


def _roles(tokens: list[Token]) -> Reading:
    notes: list[str] = []
    problems: list[str] = []
    figures: list[Figure] = []
    used_alt: set[int] = set()
    percents: list[tuple[int, Token]] = []
    for i, tok in enumerate(tokens):
        if tok.kind == TokenKind.RANGE:
            subject = _right_subject(tokens, i) or _left_subject(tokens, i)[0]
            if subject is not None and subject.kind in (TokenKind.MG, TokenKind.FORM):
                problems.append(f"it prints a range ({tok.text.strip()}), not one amount")
            continue
        if tok.kind == TokenKind.PCT:
            percents.append((i, tok))
            continue
        if tok.kind == TokenKind.BARE:
            figure = _bare_magnesium(tokens, i)
            if figure is not None:
                figures.append(figure)
                notes.append(f"'{tok.text}' has no unit; read as mg of magnesium")
            continue
        if tok.kind != TokenKind.AMOUNT or i in used_alt:
            continue
        if tok.note:
            notes.append(tok.note)
        if tok.measure == "unreadable":
            problems.append(tok.note)
            continue
        if tok.measure in ("volume", "other"):
            continue
        figure, alt = _role(tokens, i)
        if alt is not None:
            used_alt.add(alt)
        figures.append(figure)
    return _collect(tokens, figures, percents, notes, problems)


def _role(tokens: list[Token], i: int) -> tuple[Figure, int | None]:
    tok = tokens[i]
    per = _basis_after(tokens, i) or tok.per
    alt = _alternate(tokens, i)
    agrees = alt is not None and abs(tokens[alt].value - tok.value) <= _AGREE * tok.value
    before = _left_subject(tokens, i)[0]
    if tok.measure == "magnesium" and before is not None and before.kind == TokenKind.OTHER:  # phosphate 5 mmol
        return Figure(tok.value, tok.text, "other", per=per, rule="left"), None
    if tok.measure == "magnesium":
        if alt is not None and agrees and tokens[alt].measure == "mass":  # "7mEq (84 Mg)": the mg as printed
            return Figure(tokens[alt].value, tokens[alt].text, "magnesium", per=per, rule="alternate"), alt
        return Figure(tok.value, tok.text, "magnesium", per=per, rule="unit"), alt if agrees else None
    if alt is not None and tokens[alt].measure == "magnesium" and agrees:
        return Figure(tok.value, tok.text, "magnesium", per=per, rule="alternate"), alt
    right = _right_subject(tokens, i)
    if right is not None:
        if right.kind == TokenKind.BASIS:
            left = _left_subject(tokens, i)[0]
            if left is not None and left.kind == TokenKind.FORM:  # Magnesium oxide 400 mg capsules
                return Figure(tok.value, tok.text, "compound", form=left.form, per=per or right.unit,
                              rule="strength"), None
            if left is not None and left.kind == TokenKind.MG and tok.measure == "mass":
                # "Magnesium 100 mg tablets": one tablet's magnesium; "Magnesium 100 mg drops": magnesium,
                # for an amount of drops the line does not say
                unit = right.unit if right.unit in SOLID_UNITS else ""
                return Figure(tok.value, tok.text, "magnesium", per=per or unit, rule="strength"), None
            return Figure(tok.value, tok.text, "basis", rule="right"), None
        if right.kind == TokenKind.FORM and _element_between(tokens, i, right):
            return Figure(tok.value, tok.text, "magnesium", form=right.form, per=per, rule="right"), None
        return _figure(tok, right, per, "right"), None
    left, crossed, opened = _left_subject(tokens, i)
    if left is not None and left.kind == TokenKind.AMOUNT:
        return _second_figure(tokens, i, left, per), None
    if left is not None:
        if left.kind == TokenKind.FORM and not opened and _head_is_magnesium(tokens, left) \
                and not _inside_bracket(tokens, tokens.index(left), i):
            if crossed:
                return Figure(tok.value, tok.text, "magnesium", form=left.form, per=per, rule="row"), None
            return Figure(tok.value, tok.text, "unknown", per=per, rule="source"), None
        return _figure(tok, left, per, "left"), None
    source = _as_form_after(tokens, i)
    if source is not None:  # 1000mg/5mL as gluconate dihydrate
        return Figure(tok.value, tok.text, "compound", form=source.form, per=per, rule="as"), None
    if _links_to_magnesium(tokens, i):
        return Figure(tok.value, tok.text, "compound", per=per, rule="link"), None
    if _bracket_head(tokens, i) == "other":  # Calcium 500 mg (as carbonate 1250 mg)
        return Figure(tok.value, tok.text, "other", per=per, rule="bracket"), None
    return Figure(tok.value, tok.text, "unknown", per=per, rule="none"), None


def _bracket_head(tokens: list[Token], i: int) -> str:
    """The kind of subject the bracket around tokens[i] belongs to ('' when none)."""
    depth = 0
    for j in range(i - 1, -1, -1):
        kind = tokens[j].kind
        if kind in (")", "]"):
            depth += 1
        elif kind in ("(", "["):
            if depth == 0:
                return _head(tokens[:j])
            depth -= 1
    return ""


def _figure(tok: Token, subject: Token, per: str, rule: str) -> Figure:
    role = _SUBJECT_ROLES.get(subject.kind, "unknown")
    if subject.kind == TokenKind.FORM and subject.form is not None and subject.form.form.kind == "excipient":
        role = "other"
    return Figure(tok.value, tok.text, role, form=subject.form, per=per, rule=rule)


def _alternate(tokens: list[Token], i: int) -> int | None:
    """'97.2mg (4mmol)', '84.5mg [6.93mEq]', '7mEq (84 Mg)': the same amount in brackets just after."""
    j = i + 1
    if j + 2 < len(tokens) and tokens[j].kind in OPENING and tokens[j + 1].kind == TokenKind.AMOUNT \
            and tokens[j + 2].kind in CLOSING:
        a, b = tokens[i], tokens[j + 1]
        if "magnesium" in (a.measure, b.measure) and a.measure != "volume" and b.measure != "volume":
            return j + 1
    return None


def _right_subject(tokens: list[Token], i: int) -> Token | None:
    """The subject an amount is 'of': '84 mg of elemental magnesium', '535 mg magnesium chloride'."""
    j = i + 1
    if j < len(tokens) and tokens[j].kind in OPENING and _alternate(tokens, i) is not None:
        j += 3
    skipped_words = 0
    after_of = False
    while j < len(tokens):
        t = tokens[j]
        if t.kind == TokenKind.CUE and t.role in ("element", "filler"):
            after_of = after_of or t.text == "of"
            j += 1
            continue
        if (t.kind == TokenKind.SEP and t.text.strip() == ".") or t.kind == TokenKind.HYDRATE:
            j += 1
            continue
        if t.kind in _SUBJECTS or t.kind == TokenKind.BASIS:
            return t
        if after_of and (t.kind == TokenKind.WORD or t.kind == TokenKind.COMMA) and skipped_words < 4:
            skipped_words += 1
            j += 1
            continue
        return None
    return None


def _element_between(tokens: list[Token], i: int, subject: Token) -> bool:
    for t in tokens[i + 1:]:
        if t is subject:
            return False
        if t.kind == TokenKind.CUE and t.role == "element":
            return True
    return False


def _left_subject(tokens: list[Token], i: int) -> tuple[Token | None, bool, bool]:
    """The subject an amount follows, across separators, 'content of', 'per tablet' and brackets.

    Returns the subject (or the amount just before, for a second figure), whether a table cell
    separator was crossed, and whether the amount opens a bracket after its subject.
    """
    j = i - 1
    crossed = opened = False
    steps = 0
    while j >= 0 and steps < 12:
        steps += 1
        t = tokens[j]
        if t.kind in _LEFT_SKIP or (t.kind == TokenKind.CUE and t.role in ("filler", "per", "element")) \
                or t.kind == TokenKind.COMMA:
            if t.kind == TokenKind.COMMA and j > 0 and tokens[j - 1].kind == TokenKind.AMOUNT:
                return None, crossed, opened
            crossed = crossed or (t.kind == TokenKind.SEP and (t.text.strip() in ("|", "…") or "..." in t.text))
            j -= 1
            continue
        if t.kind in CLOSING:
            found = _matching_open(tokens, j)
            if found is None:
                return None, crossed, opened
            label = _row_label(tokens[found + 1:j])
            if label is not None:  # | (providing elemental magnesium) | 150mg |
                return label, crossed, opened
            j = found - 1
            continue
        if t.kind in OPENING:
            opened = True  # the amount opens a bracket: its subject is what the bracket follows
            j -= 1
            continue
        if t.kind in _SUBJECTS or t.kind == TokenKind.AMOUNT:
            return t, crossed, opened
        return None, crossed, opened
    return None, crossed, opened


def _row_label(inside: list[Token]) -> Token | None:
    """A bracket that names magnesium as a row of its own: '(providing elemental magnesium)'."""
    cues = {t.role for t in inside if t.kind == TokenKind.CUE}
    if any(t.kind in (TokenKind.AMOUNT, TokenKind.FORM) for t in inside) or "as-magnesium" in cues:
        return None
    if cues & {"link", "element"}:
        return next((t for t in inside if t.kind == TokenKind.MG), None)
    return None


def _inside_bracket(tokens: list[Token], start: int, end: int) -> bool:
    """Whether tokens[start] and tokens[end] stand inside one bracket ('(as X, ... 777.6 mg)')."""
    depth = 0
    for t in tokens[start + 1:end]:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(t.kind, 0)
        if depth < 0:
            return False
    before = 0
    for t in tokens[:start]:
        before += {"(": 1, "[": 1, ")": -1, "]": -1}.get(t.kind, 0)
    return before > 0


def _matching_open(tokens: list[Token], j: int) -> int | None:
    depth = 0
    while j >= 0:
        if tokens[j].kind in CLOSING:
            depth += 1
        elif tokens[j].kind in OPENING:
            depth -= 1
            if depth == 0:
                return j
        j -= 1
    return None


def _head_is_magnesium(tokens: list[Token], form_token: Token) -> bool:
    """'Magnesium (elemental) from magnesium citrate': the form is the source of a magnesium head."""
    j = tokens.index(form_token) - 1
    if j < 0 or tokens[j].kind != TokenKind.CUE or tokens[j].role != "source":
        return False
    j -= 1
    while j >= 0 and tokens[j].kind in (TokenKind.CLOSE, TokenKind.OPEN):
        if tokens[j].kind == TokenKind.CLOSE:
            found = _matching_open(tokens, j)
            if found is None:
                return False
            j = found - 1
        else:
            j -= 1
    return j >= 0 and tokens[j].kind == TokenKind.MG


def _second_figure(tokens: list[Token], i: int, previous: Token, per: str) -> Figure:
    """'470 mg (48 mg)' and '40 mg 400 mg': whose is the second figure?"""
    tok = tokens[i]
    bracketed = i > 0 and tokens[i - 1].kind in OPENING
    cues = {t.role for t in tokens if t.kind == TokenKind.CUE}
    if bracketed and "as-magnesium" in cues:
        return Figure(tok.value, tok.text, "magnesium", per=per, rule="as-magnesium")
    if bracketed and "hydrate-of" in cues:
        return Figure(tok.value, tok.text, "hydrate-weight", per=per, rule="hydrate-of")
    return Figure(tok.value, tok.text, "unknown", per=per, rule="second figure")


def _bare_magnesium(tokens: list[Token], i: int) -> Figure | None:
    """'400 mg 241.3 Elemental Magnesium': a number without unit just before elemental magnesium."""
    j = i + 1
    if i == 0 or not any(t.kind == TokenKind.AMOUNT for t in tokens[:i]):
        return None
    if j < len(tokens) and tokens[j].kind == TokenKind.CUE and tokens[j].role == "element":
        if j + 1 < len(tokens) and tokens[j + 1].kind == TokenKind.MG:
            return Figure(tokens[i].value, tokens[i].text, "magnesium", rule="unit missing")
    return None


def _as_form_after(tokens: list[Token], i: int) -> Token | None:
    """'1000mg/5mL as gluconate dihydrate': an amount with no subject before it, then as + a form."""
    if i + 2 < len(tokens) and tokens[i + 1].kind == TokenKind.CUE and tokens[i + 1].role == "source" \
            and tokens[i + 2].kind == TokenKind.FORM:
        return tokens[i + 2]
    return None


def _links_to_magnesium(tokens: list[Token], i: int) -> bool:
    """'400mg (equivalent to 240mg elemental magnesium)', '500mg (27mg elemental Mg)': the first
    figure is the compound's."""
    for t in tokens[i + 1:i + 4]:
        if t.kind == TokenKind.CUE and t.role == "link":
            return True
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].kind == TokenKind.WORD and tokens[j].text.lower() == "in" \
            and tokens[j + 1].kind == TokenKind.AMOUNT and tokens[j + 1].measure == "volume":
        j += 2  # 1 g in 10 mL (equivalent to magnesium 4 mmol/10 mL)
    if j < len(tokens) and tokens[j].kind in OPENING:
        end = _matching_close(tokens, j)
        inside = tokens[j + 1:end]
        return any(t.kind == TokenKind.AMOUNT for t in inside) and any(t.kind == TokenKind.MG for t in inside)
    return False


def _matching_close(tokens: list[Token], j: int) -> int:
    depth = 0
    for k in range(j, len(tokens)):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(tokens[k].kind, 0)
        if depth == 0:
            return k
    return len(tokens)


def _basis_after(tokens: list[Token], i: int) -> str:
    """'per fl oz', 'per tablet', 'per 1 fl oz (30 mL)' right after an amount."""
    j = i + 1
    if j < len(tokens) and tokens[j].kind == TokenKind.CUE and tokens[j].role == "per":
        return _basis_text(tokens, j + 1)
    if j + 1 < len(tokens) and tokens[j].kind == TokenKind.WORD and tokens[j].text.lower() == "in" \
            and tokens[j + 1].kind == TokenKind.AMOUNT and tokens[j + 1].measure == "volume":
        return _volume_text(tokens[j + 1])  # 2.5 g in 5 mL
    return ""


def _basis_text(tokens: list[Token], j: int) -> str:
    if j < len(tokens) and tokens[j].kind == TokenKind.BARE and j + 1 < len(tokens):
        j += 1
    if j < len(tokens) and tokens[j].kind == TokenKind.BASIS:
        if j + 3 < len(tokens) and tokens[j + 1].kind == TokenKind.OPEN and tokens[j + 2].kind == TokenKind.AMOUNT \
                and tokens[j + 2].measure == "volume" and tokens[j + 3].kind == TokenKind.CLOSE:
            return _volume_text(tokens[j + 2])  # each tablespoon (15 ml)
        return tokens[j].unit
    if j < len(tokens) and tokens[j].kind == TokenKind.AMOUNT and tokens[j].measure == "volume":
        return _volume_text(tokens[j])
    if j < len(tokens) and tokens[j].kind in (TokenKind.WORD, TokenKind.MG) and tokens[j].text.lower() in ("ml", "mg"):
        return "mL" if tokens[j].text.lower() == "ml" else ""
    if j + 1 < len(tokens) and tokens[j].text.lower() == "fl" and tokens[j + 1].text.lower() == "oz":
        return "fl oz"
    return ""


def _volume_text(tok: Token) -> str:
    unit = re.sub(r"[\d.,\s]", "", tok.text).lower()
    if "oz" in unit:
        return "fl oz" if tok.value == 1 else f"{tok.value:g} fl oz"
    return f"{tok.value:g} mL"


def _collect(tokens: list[Token], figures: list[Figure], percents: list[tuple[int, Token]],
             notes: list[str], problems: list[str]) -> Reading:
    forms = _forms(tokens)
    magnesium = [f for f in figures if f.role == "magnesium"]
    if not magnesium:  # "(25mg as magnesium oxide)" alone: the magnesium supplied as it, or the oxide's weight?
        figures = [f._replace(role="unknown") if f.rule == "as" else f for f in figures]
    compounds = [f for f in figures if f.role in ("compound", "hydrate-weight")]
    unknown = [f for f in figures if f.role == "unknown"]
    salts = [t for t in tokens if t.kind == TokenKind.SALT]
    if salts:
        problems.append(f"{shown(salts[0].text)} is not a compound in the forms table, so its figures "
                        "cannot be told apart from magnesium")
    if unknown:
        problems.append(f"cannot tell whether {unknown[0].text.strip()} is the magnesium or the compound")
    magnesium = distinct_figures(magnesium)
    sources = _forms(tokens)
    if len(magnesium) == 2 and len(sources) == 1 and not compounds and magnesium[0].mg > magnesium[1].mg \
            and _linked(tokens, magnesium[0], magnesium[1]):
        # "Magnesium (as citrate) 618.43 mg, equivalent to magnesium (Mg2+) 100 mg": the first figure,
        # linked to a smaller magnesium figure, is the weight of the salt its row names
        compounds = [magnesium[0]._replace(role="compound", form=sources[0], rule="linked")]
        magnesium = magnesium[1:]
    if len(magnesium) > 1:
        problems.append("it prints several figures for magnesium (" +
                        ", ".join(f.text.strip() for f in magnesium) + ")")
    declared = magnesium[0] if len(magnesium) == 1 else None  # several: none is shown as the label's
    bases = {f.per for f in [*magnesium, *compounds] if f.per}  # a figure's own ("1200 mg/15 mL", "per tablet")
    per = next(iter(bases)) if len(bases) == 1 else None
    if len({normalize_per(b) for b in bases}) > 1:
        problems.append("its figures are on different bases (" + ", ".join(sorted(bases)) + ")")
    hydrate_weights = [f for f in compounds if f.role == "hydrate-weight"]
    weights = [f for f in compounds if f.role == "compound"]
    # a hydrate-weight is a second weight of the compound just before it, in the form the text names
    if hydrate_weights and weights:
        named = [r for r in forms if _water_named(r)]
        form = named[-1] if named else None
        compounds = [*weights, *(f._replace(form=form) for f in hydrate_weights)]
    form = _main_form(compounds, forms)
    compound_mg = compounds[0].mg if compounds else None
    if compounds and compounds[0].form is None and len(forms) == 1:
        compounds[0] = compounds[0]._replace(form=forms[0])
    dv = _percent_dv(tokens, percents, declared)
    return Reading(
        declared_mg=declared.mg if declared else None,
        compound_mg=_compound_total(compounds) if compounds else compound_mg,
        form=form,
        forms=forms,
        compounds=tuple(compounds),
        per=normalize_per(per) if per else None,
        percent_dv_printed=dv,
        problem="; ".join(dict.fromkeys(problems)) or None,
        notes=tuple(dict.fromkeys(notes)),
    )


def _linked(tokens: list[Token], first: Figure, second: Figure) -> bool:
    """Whether a link cue ("equivalent to", "providing") stands between two figures."""
    texts = [t.text for t in tokens]
    try:
        start, end = texts.index(first.text), texts.index(second.text)
    except ValueError:
        return False
    return any(t.kind == TokenKind.CUE and t.role == "link" for t in tokens[start + 1:end])


def normalize_per(per: str) -> str:
    """'/mL', 'mL' and '1 mL' are one basis; '/tablet' and 'tablet' too."""
    text = per.lstrip("/").removeprefix("1 ")
    return "mL" if text.lower() == "ml" else text


def _water_named(resolution: Resolution) -> bool:
    return any(w in resolution.query.lower() for w in HYDRATES) or "h2o" in resolution.query.lower()


def distinct_figures(figures: list[Figure]) -> list[Figure]:
    """Magnesium figures with the same amount written twice (mg and mmol) counted once."""
    out: list[Figure] = []
    for f in figures:
        if not any(abs(f.mg - g.mg) <= _AGREE * max(f.mg, g.mg) for g in out):
            out.append(f)
    return out


def _forms(tokens: list[Token]) -> tuple[Resolution, ...]:
    """Every magnesium source named (excipients and repeats left out)."""
    seen: dict[str, Resolution] = {}
    for t in tokens:
        if t.kind == TokenKind.FORM and t.form is not None and t.form.form.kind != "excipient":
            seen.setdefault(t.form.form.id, t.form)
    return tuple(seen.values())


def _main_form(compounds: list[Figure], forms: tuple[Resolution, ...]) -> Resolution | None:
    with_form = [f.form for f in compounds if f.form is not None]
    if with_form:
        return with_form[0]
    return forms[0] if len(forms) == 1 else None


def _compound_total(compounds: list[Figure]) -> float:
    """The compound figure: the first one (a salt printed twice), or the sum of a blend's weights."""
    families = {f.form.form.family for f in compounds if f.form is not None}
    if len(families) > 1:
        return sum(f.mg for f in compounds if f.role == "compound")
    return compounds[0].mg


def _percent_dv(tokens: list[Token], percents: list[tuple[int, Token]], declared: Figure | None) -> float | None:
    """A %DV: a percentage marked DV, or the percentage after the magnesium figure in a row."""
    for i, tok in percents:
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is not None and after.kind == TokenKind.WORD and after.text.lower() in ("dv", "daily"):
            return tok.value
    if declared is None:
        return None
    for i, tok in percents:
        before = [t for t in tokens[:i] if t.kind == TokenKind.AMOUNT]
        if before and before[-1].text == declared.text:
            return tok.value
    return None
