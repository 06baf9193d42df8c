"""Amounts of substance as people type them, converted by pint.

User text never reaches pint's expression parser (pint issue 1306: ``10**10**10 mg``
hangs it). The number and the unit are validated here first; pint then converts the
validated unit name, from the small definitions file ``units.txt`` shipped beside this
module.
"""

import math
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple, NoReturn

from mgcalc.errors import MgcalcError, shown
from mgcalc.figures import plain

if TYPE_CHECKING:
    import pint

#: Longest amount text accepted ("1,250.5 mg" needs ten characters).
AMOUNT_MAX_CHARS = 64
#: Smallest and largest compound or magnesium mass accepted, in mg (1 µg and 1 kg).
MIN_MG = 0.001
MAX_MG = 1_000_000.0

# Spellings accepted for each unit (lower case: a unit is looked up case-insensitively, as labels
# print "MG", "Gm" or "Milligrams"), mapped to the unit's name in units.txt. Two spellings are
# refused instead of guessed: "Mg" written just so (megagram, or magnesium?) and, in any case,
# "gr" (grain or gram? ISMP lists it as an error-prone abbreviation; see AMBIGUOUS_UNITS).
MASS_UNITS: dict[str, str] = {
    **dict.fromkeys(("mg", "milligram", "milligrams", "milligramme", "milligrammes"), "milligram"),
    **dict.fromkeys(("g", "gm", "gram", "grams", "gramme", "grammes"), "gram"),
    **dict.fromkeys(("kg", "kilogram", "kilograms"), "kilogram"),
    **dict.fromkeys(("mcg", "µg", "μg", "ug", "microgram", "micrograms"), "microgram"),
    **dict.fromkeys(("grain", "grains"), "grain"),
}
MAGNESIUM_UNITS: dict[str, str] = {
    **dict.fromkeys(("mmol", "millimole", "millimoles"), "millimole_magnesium"),
    # "mval" (Millival) is how German labels write mEq.
    **dict.fromkeys(("meq", "milliequivalent", "milliequivalents", "mval"), "milliequivalent_magnesium"),
}
#: Unit spellings two conventions read differently: refused with both readings spelled out.
AMBIGUOUS_UNITS: dict[str, str] = {
    "gr": "'gr' is read as grains by some and as grams by others (ISMP lists it as error-prone); "
    "write {num} grains or {num} g",
}
#: Volumes, for amounts of a liquid and for strengths ("400 mg/5 mL"). The spoons are the metric
#: 5 mL and 15 mL that labels print ("in each 5 mL tsp"), not the US customary 4.93 and 14.79 mL;
#: the fluid ounce is the US one (29.5735 mL), as US labels use it.
VOLUME_UNITS: dict[str, str] = {
    **dict.fromkeys(("ml", "ml.", "milliliter", "milliliters", "millilitre", "millilitres", "cc"), "milliliter"),
    **dict.fromkeys(("l", "liter", "liters", "litre", "litres"), "liter"),
    **dict.fromkeys(("tsp", "tsp.", "teaspoon", "teaspoons", "teaspoonful", "teaspoonfuls"), "metric_teaspoon"),
    **dict.fromkeys(
        ("tbsp", "tbsp.", "tablespoon", "tablespoons", "tablespoonful", "tablespoonfuls"), "metric_tablespoon"
    ),
    **dict.fromkeys(("fl oz", "floz", "fl. oz", "fl. oz.", "fluid ounce", "fluid ounces"), "fluid_ounce"),
}
#: Counted units a strength may be given per ("243 mg magnesium/sachet"); an amount of them is a count.
COUNT_UNITS: dict[str, str] = dict.fromkeys(("sachet", "sachets"), "sachet")
#: Body weight, for doses per kilogram.
WEIGHT_UNITS: dict[str, str] = {
    **dict.fromkeys(("kg", "kilogram", "kilograms"), "kilogram"),
    **dict.fromkeys(("g", "gram", "grams"), "gram"),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), "pound"),
}
#: Durations, for how long an infusion runs.
DURATION_UNITS: dict[str, str] = {
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hour"),
}
#: Smallest and largest volume accepted as an amount, in mL (1 µL and 10 L).
MIN_ML = 0.001
MAX_ML = 10_000.0
#: Lightest and heaviest body weight accepted, in kg.
MIN_KG = 0.2
MAX_KG = 650.0
_NOT_MASS = frozenset(("dl", "cl", "drop", "drops", "iu", "%", "oz", "fl")) | frozenset(VOLUME_UNITS)

#: Words that are (or look like) a unit, lower case: a bare number followed by one is one amount.
UNIT_WORDS = (
    frozenset(MASS_UNITS) | frozenset(MAGNESIUM_UNITS) | _NOT_MASS | frozenset(AMBIGUOUS_UNITS) | frozenset(COUNT_UNITS)
)
_BARE_NUMBER = r"[-+−]?[0-9][0-9.,]*(?:[eE][-+]?[0-9]+)?|[-+−]?\.[0-9]+"

#: An amount as typed: sign, number, exponent and the unit text after it (read further by _split).
AMOUNT_PATTERN = re.compile(
    r"(?P<sign>[-+−]?)\s*(?P<num>[0-9][0-9.,]*|\.[0-9][0-9.,]*)(?P<exp>[eE][-+]?[0-9]+)?\s*(?P<unit>.*)",
    re.ASCII | re.DOTALL,
)
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
# Patterns needed only for unusual input are compiled on first use (re caches them).
_THOUSANDS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_DECIMAL_COMMA = r"[0-9]+,[0-9]+"


#: (unit, target) pairs whose factors are pre-computed by pint into ``unit_factors.py``, so that
#: the common path never imports pint (about 100 ms). Regenerate with
#: ``python -c "from mgcalc.units import generate_factors as g; print(g(), end='')" > src/mgcalc/unit_factors.py``;
#: tests/test_units.py proves the file equal to pint.
PRECOMPUTED: tuple[tuple[str, str], ...] = (
    *((unit, "milligram") for unit in sorted(set(MASS_UNITS.values()) | set(MAGNESIUM_UNITS.values()))),
    ("milligram", "millimole_magnesium"),
    ("milligram", "milliequivalent_magnesium"),
    *((unit, "milliliter") for unit in sorted(set(VOLUME_UNITS.values()))),
    *((unit, "kilogram") for unit in sorted(set(WEIGHT_UNITS.values()))),
    ("hour", "minute"),
)


@lru_cache(maxsize=1)
def registry() -> "pint.UnitRegistry[float]":
    """The one shared pint registry, built from units.txt (imported on first use)."""
    from importlib import resources

    import pint

    with resources.as_file(resources.files("mgcalc") / "units.txt") as path:
        return pint.UnitRegistry(str(path), cache_folder=None)


@cache
def factor(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is, as pint computes it (pre-computed, or cached per pair)."""
    from mgcalc.unit_factors import FACTORS

    found = FACTORS.get((unit, target))
    return found if found is not None else pint_factor(unit, target)


def pint_factor(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is, computed by pint now."""
    return float(registry().Quantity(1.0, unit).to(target).magnitude)


def generate_factors() -> str:
    """The source of ``unit_factors.py``: every PRECOMPUTED pair, computed by pint."""
    lines = [
        '"""Unit factors computed by pint from units.txt by mgcalc.units.generate_factors(); do not edit."""',
        "",
        "FACTORS: dict[tuple[str, str], float] = {",
        *(f"    ({unit!r}, {target!r}): {pint_factor(unit, target)!r}," for unit, target in PRECOMPUTED),
        "}",
    ]
    return "\n".join(lines) + "\n"


def to_mmol(mg: float) -> float:
    """Millimoles of Mg2+ in ``mg`` milligrams of magnesium."""
    return mg * factor("milligram", "millimole_magnesium")


def to_meq(mg: float) -> float:
    """Milliequivalents of Mg2+ in ``mg`` milligrams of magnesium."""
    return mg * factor("milligram", "milliequivalent_magnesium")


@lru_cache(maxsize=4096)
def parse_mass(text: str, *, what: str = "amount") -> float:
    """Read a mass such as ``500mg``, ``0.5 g``, ``1,250 mg``, ``500 µg`` or ``2 x 250 mg``; return mg."""
    return _read(text, what, magnesium=False)


@lru_cache(maxsize=4096)
def parse_magnesium(text: str, *, what: str = "target") -> float:
    """Read an amount of magnesium: a mass, or ``4 mmol`` / ``8 mEq`` of Mg2+; return mg."""
    return _read(text, what, magnesium=True)


def mass_mg(value: str | float, *, what: str = "amount") -> float:
    """A compound mass typed as text ("500mg") or given as a number of mg (the Python API), in mg."""
    return parse_mass(value, what=what) if isinstance(value, str) else bounded_mg(value, what=what)


def magnesium_mg(value: str | float, *, what: str = "target", zero: bool = False) -> float:
    """An amount of magnesium as text ("4 mmol", "200mg") or a number of mg (the Python API), in mg.

    ``zero`` accepts an amount of zero (``--food 0mg``: no magnesium from food).
    """
    if zero and _is_zero(value):
        return 0.0
    return parse_magnesium(value, what=what) if isinstance(value, str) else bounded_mg(value, what=what)


def _is_zero(value: str | float) -> bool:
    if isinstance(value, str):
        match = AMOUNT_PATTERN.fullmatch(value.strip())
        return bool(match and not match["sign"] and re.fullmatch(r"0*\.?0*", match["num"]) and match["unit"])
    return not isinstance(value, bool) and value == 0


def join_amounts(tokens: list[str]) -> list[str]:
    """Join a bare number with the unit word after it: ["500", "mg", "citrate"] -> ["500 mg", "citrate"].

    Lets ``mgcalc dose 500 mg citrate`` work unquoted, as people type it; a count before an amount
    is joined too (["2", "x", "250 mg"] -> ["2 x 250 mg"]).
    """
    joined: list[str] = []
    for token in tokens:
        word = token.strip()
        if joined and (word.lower() in UNIT_WORDS or _unit_per(word)) and _JOINABLE.fullmatch(joined[-1].strip()):
            joined[-1] = f"{joined[-1]} {token}"
        elif (word.lower() in ("kg", "kilogram") and len(joined) >= 2 and joined[-1].strip().lower() in ("/", "per")
              and _with_unit(joined[-2])):  # "0.2 mmol / kg": per kg of body weight, in three words
            per = joined.pop()
            joined[-1] = f"{joined[-1]} {per} {token}"
        elif joined and word.lower() in ("oz", "oz.") and _FLUID.fullmatch(joined[-1].strip()):
            joined[-1] = f"{joined[-1]} {token}"  # "1 fl" + "oz": a fluid ounce is two words
        elif len(joined) >= 2 and joined[-1].strip() in _TIMES and _COUNT.fullmatch(joined[-2].strip()):
            times = joined.pop()
            joined[-1] = f"{joined[-1]} {times} {token}"
        elif joined and _COUNT_TIMES.fullmatch(joined[-1].strip()) and word[:1].isdigit():
            joined[-1] = f"{joined[-1]} {token}"
        elif _times_after(joined, word):
            times = joined.pop() if joined[-1].strip() in _TIMES else ""
            joined[-1] = " ".join(part for part in (joined[-1], times, token) if part)
        else:
            joined.append(token)
    return joined


def _times_after(joined: list[str], word: str) -> bool:
    """Whether ``word`` ends "250 mg x 2" (after "250 mg" and "x") or is "x2" after "250 mg": a count
    after the unit, read as the same product as "2 x 250 mg"."""
    if re.fullmatch(r"[xX×][0-9]{1,3}", word):
        return bool(joined) and _with_unit(joined[-1])
    return (len(joined) >= 2 and joined[-1].strip() in _TIMES and _COUNT.fullmatch(word) is not None
            and _with_unit(joined[-2]))


def _with_unit(text: str) -> bool:
    """Whether ``text`` is a number with a known unit ("0.2 mmol")."""
    match = AMOUNT_PATTERN.fullmatch(text.strip())
    return match is not None and match["unit"].strip().lower() in UNIT_WORDS


def _unit_per(word: str) -> bool:
    """A unit over something, as one word: "mmol/kg" (per kg of body weight, read), "mmol/lb" or
    "mg/5mL" (joined all the same, so that what reads it says what is wrong, or sees a strength)."""
    unit, slash, _ = word.lower().partition("/")
    return bool(slash) and unit.strip() in UNIT_WORDS


_TIMES = ("x", "X", "×")
_FLUID = re.compile(rf"(?:{_BARE_NUMBER})\s*fl\.?", re.IGNORECASE)
_COUNT = re.compile(r"[0-9]{1,3}", re.ASCII)
_COUNT_TIMES = re.compile(r"[0-9]{1,3}\s*[xX×]")
_JOINABLE = re.compile(rf"{_BARE_NUMBER}|[0-9]+/[0-9]+|[0-9]{{1,3}}\s*[xX×]\s*(?:{_BARE_NUMBER})")
# "2 x 250 mg": a whole count (of tablets, capsules, ...) times an amount.
_COUNT_OF = re.compile(r"(?P<count>[0-9]+)\s*[xX×*]\s*(?P<rest>[0-9.].*)", re.DOTALL)
_FRACTION = re.compile(r"(?P<num>[0-9]+)\s*/\s*(?P<den>[0-9]+)\s*(?P<unit>[^0-9/]*)", re.ASCII)
# "250 mg x 2": an amount with its unit, then times a whole count; read as "2 x 250 mg" (the same product).
_TIMES_AFTER = re.compile(r"(?P<rest>[0-9.].*?[^\W\d_]\.?)\s*[xX×*]\s*(?P<count>[0-9]+)", re.DOTALL)
_HEXADECIMAL = re.compile(r"\s*[-+]?0[xX][0-9a-fA-F]")
#: Largest count in "N x AMOUNT".
COUNT_MAX = 100
# A point before exactly three digits, after 1-3 digits that do not start with 0: "1.250" is 1.25 with
# a decimal point and 1250 with a thousands point (as much of Europe writes it).
_POINT_GROUP = r"[1-9][0-9]{0,2}\.[0-9]{3}"
_POINT_GROUPS = r"[0-9]{1,3}(?:\.[0-9]{3}){2,}(?:,[0-9]+)?"


def _read(text: str, what: str, *, magnesium: bool) -> float:
    """Parse an amount typed by a person into mg (of compound or of magnesium); refuse what is unclear."""
    if len(text) > AMOUNT_MAX_CHARS:
        raise MgcalcError(f"{what} is too long ({len(text)} characters; at most {AMOUNT_MAX_CHARS})")
    count, rest = _count(text, what)
    value, unit, thousands = _split(rest, what, text)
    name = _unit_name(text, unit, what, value, magnesium=magnesium)
    per_unit = factor(name, "milligram") * count
    if thousands is not None and MIN_MG <= thousands * per_unit <= MAX_MG:
        _ambiguous_point(text, what, value, thousands, unit)
    return _bounded(value * per_unit, text, what)


def _ambiguous_point(text: str, what: str, value: float, thousands: float, unit: str) -> NoReturn:
    raise MgcalcError(
        f"{what} {shown(text)} is ambiguous: the point may be a thousands separator or a decimal point; "
        f"write {thousands:g} {unit} or {plain(value)} {unit}"
    )


def _said_unit(unit: str) -> str:
    """A unit as typed, to repeat in a message's suggestion: mg when it is empty or not one short line."""
    unit = unit.strip()
    return unit if unit and unit.isprintable() and len(unit) <= 12 else "mg"


def _count(text: str, what: str) -> tuple[int, str]:
    """Split "2 x 250 mg" (or "250 mg x 2") into (2, "250 mg"); plain amounts are (1, text).
    Fractions, hexadecimal and digits other than ASCII are refused."""
    _refuse_notation(text, what)
    stripped = text.strip()
    fraction = _FRACTION.fullmatch(stripped)
    if fraction:
        from fractions import Fraction  # only a fraction needs it

        den = int(fraction["den"])
        unit = _said_unit(fraction["unit"])
        if den == 0:
            raise MgcalcError(f"{what} {shown(text)} divides by zero; write a decimal, e.g. 0.5 {unit}")
        exact = Fraction(int(fraction["num"]), den)
        twos_fives = exact.denominator
        for prime in (2, 5):
            while twos_fives % prime == 0:
                twos_fives //= prime
        decimal = plain(float(exact)) if twos_fives == 1 else f"{float(exact):.3f}"
        wording = f"write {decimal} {unit}" if twos_fives == 1 else f"write a decimal, e.g. {decimal} {unit}"
        raise MgcalcError(f"{what} {shown(text)} is a fraction; {wording}")
    times = _COUNT_OF.fullmatch(stripped) or _TIMES_AFTER.fullmatch(stripped)
    if times is None:
        return 1, text
    count = int(times["count"])
    if not 1 <= count <= COUNT_MAX:
        raise MgcalcError(f"{what} {shown(text)}: the count {count} is outside 1 to {COUNT_MAX}")
    return count, times["rest"]


def is_notation(word: str) -> bool:
    """Whether a command-line word is an amount in a notation that ``_count`` reads or refuses with
    its own message: times a count after the unit ("250 mg x 2"), digits other than ASCII (full-width
    or Arabic-Indic 500, a fraction sign such as one half) or hexadecimal ("0x1F4mg")."""
    text = word.strip()
    return bool(_TIMES_AFTER.fullmatch(text) or _HEXADECIMAL.match(text) or _foreign_number(text[:1]))


def _foreign_number(char: str) -> bool:
    """A character that is a digit or a number but not ASCII: a full-width or Arabic-Indic digit, a
    superscript, a fraction sign such as one half (U+00BD)."""
    import unicodedata

    return not char.isascii() and unicodedata.numeric(char, None) is not None


def _refuse_notation(text: str, what: str) -> None:
    """MgcalcError for a number mgcalc does not read, saying what to write instead: hexadecimal,
    digits other than ASCII (full-width, Arabic-Indic, superscript), a vulgar fraction (½)."""
    if _HEXADECIMAL.match(text):
        raise MgcalcError(f"{what} {shown(text)} is hexadecimal, which mgcalc does not read; "
                          "write the amount in decimal digits, e.g. 500mg")
    if text.isascii() or not any(_foreign_number(char) for char in text):
        return
    import unicodedata
    from fractions import Fraction

    ascii_text, fraction = "", None
    for char in text:
        digit = unicodedata.digit(char, None)
        if digit is not None:
            ascii_text += str(digit)
        elif _foreign_number(char):  # a fraction such as ½ or ⅓
            whole = re.search(r"[0-9]*\s*$", ascii_text)
            assert whole is not None
            ascii_text = ascii_text[: whole.start()]
            part = Fraction(unicodedata.numeric(char)).limit_denominator(1000)
            fraction = Fraction(int(whole.group().strip() or 0)) + part
            ascii_text += "\ue000"
        else:  # an Arabic decimal or thousands sign, a full-width letter; else the character as typed (µ)
            folded = {"\u066b": ".", "\u066c": ","}.get(char, unicodedata.normalize("NFKC", char))
            ascii_text += folded if folded.isascii() else char
    if fraction is not None:
        exact = fraction.denominator == 2 ** _power(fraction.denominator, 2) * 5 ** _power(fraction.denominator, 5)
        decimal = plain(float(fraction)) if exact else f"{float(fraction):.3f}"
        written = ascii_text.replace("\ue000", decimal).strip()
        written = written if written.isprintable() else f"{decimal} with its unit"
        wording = f"write {written}" if exact else f"write a decimal, e.g. {written}"
        raise MgcalcError(f"{what} {shown(text)} is a fraction; {wording}")
    suggestion = ascii_text.strip()
    suggestion = suggestion if suggestion.isprintable() and suggestion else "500mg"
    raise MgcalcError(f"{what} {shown(text)} has digits other than ASCII 0-9; write it with ASCII digits: "
                      f"{suggestion}")


def _power(number: int, prime: int) -> int:
    """How many times ``prime`` divides ``number``."""
    times = 0
    while number % prime == 0:
        number //= prime
        times += 1
    return times


def _split(text: str, what: str, original: str) -> tuple[float, str, float | None]:
    """Validate the number of an amount: (value, unit text, value read with a thousands point or None)."""
    stripped = text.strip()
    if not stripped:
        raise MgcalcError(f"{what} is empty; give a number and a unit, e.g. 500mg")
    match = AMOUNT_PATTERN.fullmatch(stripped)
    if match is None:
        raise MgcalcError(f"{what} {shown(original)} does not start with a number; write e.g. 500mg")
    num, unit = match["num"], match["unit"].strip()
    if match["sign"] in ("-", "−"):
        raise MgcalcError(f"{what} {shown(original)} is negative; give an amount above zero")
    thousands = None
    if _PLAIN.fullmatch(num) is None:
        if re.fullmatch(_THOUSANDS, num, re.ASCII):
            num = num.replace(",", "")
        elif re.fullmatch(_POINT_GROUPS, num, re.ASCII):
            raise MgcalcError(
                f"{what} {shown(original)} uses points as thousands separators; write "
                f"{num.replace('.', '').replace(',', '.')} {_said_unit(unit)}"
            )
        elif re.fullmatch(_DECIMAL_COMMA, num, re.ASCII):
            raise MgcalcError(
                f"{what} {shown(original)} has a decimal comma; write {num.replace(',', '.')} with a point"
            )
        else:
            raise MgcalcError(
                f"{what} {shown(original)} is not a number mgcalc can read; write digits with a decimal "
                "point and optional thousands commas, e.g. 1,250.5 mg"
            )
    elif not match["exp"] and re.fullmatch(_POINT_GROUP, num, re.ASCII):
        thousands = float(num.replace(".", ""))
    if unit[:1].isdigit():
        raise MgcalcError(
            f"{what} {shown(original)} has a space inside the number; write 1000 mg or 1,000 mg"
        )
    value = float(num + (match["exp"] or ""))
    if not math.isfinite(value):
        raise MgcalcError(f"{what} {shown(original)} is not a finite number")
    if not unit:
        raise MgcalcError(f"{what} {shown(original)} has no unit; add one, e.g. {num}mg")
    return value, unit, thousands


def _unit_name(text: str, unit: str, what: str, value: float, *, magnesium: bool) -> str:
    """The units.txt name of a unit as typed (case ignored); MgcalcError saying what would be right."""
    key = unit.lower()
    if unit != "Mg":
        if key in MASS_UNITS:
            return MASS_UNITS[key]
        if magnesium and key in MAGNESIUM_UNITS:
            return MAGNESIUM_UNITS[key]
        if key in AMBIGUOUS_UNITS:
            raise MgcalcError(f"{what} {shown(text)}: " + AMBIGUOUS_UNITS[key].format(num=plain(value)))
    raise MgcalcError(_unit_problem(text, unit, what, magnesium=magnesium))


def _unit_problem(text: str, unit: str, what: str, *, magnesium: bool = False) -> str:
    """The message for a unit that is not accepted here, saying what would be."""
    wanted = "mg, g, mcg (µg), grains" + (", mmol or mEq" if magnesium else "")
    key = unit.lower()
    if unit == "Mg":
        return f"{what} {shown(text)}: 'Mg' is ambiguous (megagram, or magnesium?); write mg for milligrams"
    if key in MAGNESIUM_UNITS:
        return (
            f"{what} {shown(text)}: {unit} counts magnesium, not the weight of a compound; "
            f"give the compound's weight in {wanted}"
        )
    if key in _NOT_MASS or "/" in unit:
        return f"{what} {shown(text)}: {shown(unit)} is not a mass; use {wanted}"
    return f"{what} {shown(text)}: unknown unit {shown(unit)}; use {wanted}"


def bounded_mg(value: float, *, what: str = "amount") -> float:
    """A number already in mg (the Python API), checked like a typed amount."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MgcalcError(f"{what} {value!r} is not a number of mg")
    if not math.isfinite(value):
        raise MgcalcError(f"{what} {value!r} is not a finite number")
    if value < 0:
        raise MgcalcError(f"{what} {value!r} is negative; give an amount above zero")
    return _bounded(float(value), f"{value!r} mg", what)


def _bounded(mg: float, text: str, what: str) -> float:
    """Refuse zero and amounts outside what a dose can sensibly be (1 µg to 1 kg)."""
    if mg == 0:
        raise MgcalcError(f"{what} {shown(text)} is zero; give an amount above zero")
    if not MIN_MG <= mg <= MAX_MG:
        raise MgcalcError(f"{what} {shown(text)} is outside 1 µg to 1 kg; check the number and unit")
    return mg


class Amount(NamedTuple):
    """An amount of a compound or a preparation: mg of the compound, mL of a liquid, or sachets."""

    value: float
    kind: Literal["mass", "volume", "count"]


@lru_cache(maxsize=4096)
def parse_amount(text: str, *, what: str = "amount") -> Amount:
    """Read a mass (``500mg``), a volume (``15 mL``, ``1 tsp``, ``1 fl oz``) or a count (``1 sachet``)."""
    if len(text) > AMOUNT_MAX_CHARS:
        raise MgcalcError(f"{what} is too long ({len(text)} characters; at most {AMOUNT_MAX_CHARS})")
    count, rest = _count(text, what)
    value, unit, thousands = _split(rest, what, text)
    key = " ".join(unit.lower().split())
    if key in VOLUME_UNITS:
        per_unit = factor(VOLUME_UNITS[key], "milliliter") * count
        if thousands is not None and MIN_ML <= thousands * per_unit <= MAX_ML:
            _ambiguous_point(text, what, value, thousands, unit)
        return Amount(_within(value * per_unit, text, what, (MIN_ML, MAX_ML), "1 µL to 10 L"), "volume")
    if key in COUNT_UNITS:
        return Amount(_within(value * count, text, what, (0.01, COUNT_MAX), f"0.01 to {COUNT_MAX}"), "count")
    if key in ("oz", "oz.", "ounce", "ounces"):
        raise MgcalcError(f"{what} {shown(text)}: oz may be a weight; write fl oz for a fluid ounce")
    return Amount(_read(text, what, magnesium=False), "mass")


def parse_weight(text: str, *, what: str = "weight") -> float:
    """Body weight in kg: ``20kg``, ``44 lb``, or a bare number of kg (``--weight 20``)."""
    stripped = text.strip()
    if len(stripped) > AMOUNT_MAX_CHARS:
        raise MgcalcError(f"{what} is too long ({len(stripped)} characters; at most {AMOUNT_MAX_CHARS})")
    if _PLAIN.fullmatch(stripped):
        value, name = float(stripped), "kilogram"
    else:
        value, unit, _ = _split(stripped, what, text)
        name = WEIGHT_UNITS.get(unit.lower(), "")
        if not name:
            raise MgcalcError(f"{what} {shown(text)}: {shown(unit)} is not a body weight unit; use kg or lb")
    kg = value * factor(name, "kilogram")
    if kg == 0:
        raise MgcalcError(f"{what} {shown(text)} is zero; give the body weight, e.g. 20kg")
    if not MIN_KG <= kg <= MAX_KG:
        raise MgcalcError(f"{what} {shown(text)} is outside {MIN_KG:g} to {MAX_KG:g} kg; check the number and unit")
    return kg


_PER_KG = re.compile(r"(?P<amount>.+?)\s*(?:/|\bper\b)\s*(?:kg|kilogram)\s*", re.IGNORECASE | re.DOTALL)


def per_kg(text: str) -> str | None:
    """The amount of ``0.2mmol/kg`` (``0.2mmol``), or None when the text is not per kilogram."""
    match = _PER_KG.fullmatch(text.strip())
    return match["amount"] if match else None


def read_number(text: str, *, what: str) -> tuple[float, float | None]:
    """A number inside a strength, by the rules of amounts: (value, value with a thousands point or None)."""
    value, _, thousands = _split(f"{text} mg", what, text)
    return value, thousands


def _within(value: float, text: str, what: str, bounds: tuple[float, float], said: str) -> float:
    if value == 0:
        raise MgcalcError(f"{what} {shown(text)} is zero; give an amount above zero")
    if not bounds[0] <= value <= bounds[1]:
        raise MgcalcError(f"{what} {shown(text)} is outside {said}; check the number and unit")
    return value
