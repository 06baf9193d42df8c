"""What a label's figures are for: the serving basis, and how many a day its directions allow.

A label states its amounts for one unit ("Each tablet contains"), for a serving of several
("Serving Size 2 Tablets", "2 tablets provide:", "Per 2 caplets", "per daily dose (3 tablets)")
or for a measure ("in each 15 mL"). ``find_bases`` reads every such phrase in a line and returns
them with where they stand, so the panel reader can blank them out before it reads figures;
``decided`` turns all the phrases of one label into one ``Basis`` or a reason why it cannot be
told (two that disagree, a count of zero or past 100). ``read_directions`` reads the dose and how
often from the directions ("take 2 tablets twice daily", "1-3 capsules daily", "up to 4 tablets a
day", "do not take more than 2 tablets in a 24 hour period") and names what it cannot read.

The words are data (rows of ``data/label_words.csv``, read into the tables below): a new wording is
a new row, not a new rule.
"""

import re
import unicodedata
from typing import NamedTuple

from mgcalc.label import words

#: The basis and directions words of ``label_words.csv`` (every language, English included), by kind.
_WORDS = words().basis
#: Dose units and measures as labels print them (lower case, singular and plural) and the unit they name
#: (kinds unit and measure).
UNIT_WORDS: dict[str, str] = {**_WORDS.get("unit", {}), **_WORDS.get("measure", {})}
#: Units that are measures, not counted pieces: a serving of 15 mL is one serving, not 15 units.
MEASURES = frozenset(_WORDS.get("measure", {}).values())
#: Number words labels print for a count (kind number).
NUMBER_WORDS: dict[str, float] = {w: int(n) for w, n in _WORDS.get("number", {}).items()}
#: How often a day, as directions print it (kind times): "twice", "3x", "zweimal".
FREQUENCY_WORDS: dict[str, int] = {w: int(n) for w, n in _WORDS.get("times", {}).items()}
#: Verbs after a count that make it the basis of the figures: "2 tablets provide", "2 gélules contiennent".
BASIS_VERBS: tuple[str, ...] = tuple(_WORDS.get("verb", {}))
#: The most units a serving or a dose can hold before the count is not believable.
COUNT_MAX = 100
_EACH_WORDS: tuple[str, ...] = tuple(_WORDS.get("each", {}))  # "chaque", "je", "cada"
_DAILY_WORDS: tuple[str, ...] = tuple(_WORDS.get("daily", {}))  # "par jour", "täglich"


def _either(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


#: "each", "per", and their words in other languages ("chaque", "je", "cada"), an article after them.
_EACH = rf"(?:each|every|in\s+each|per|{_either(_EACH_WORDS)})(?:\s+(?:un|une|ein|eine|one|1))?"
# a count: "1/2", "1 1/2" (NFKC writes "½" with a fraction slash, U+2044), a decimal, or a number word;
# never the end of a fraction
_SLASH = "[/\u2044]"
_N = (rf"(?<![\d/\u2044.,])(?:\d+\s+\d+\s*{_SLASH}\s*\d+|\d+\s*{_SLASH}\s*\d+|[\u00bd\u00bc\u00be\u2153\u2154]"
      r"|\d+(?:\.\d+)?)|" + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True)))
_U = "|".join(re.escape(w) for w in sorted(UNIT_WORDS, key=len, reverse=True))
_ADJ = (r"(?:(?:level|heaping|rounded|chewable|film-coated|coated|vegetable|vegetarian|vegan|veggie|liquid|mini"
        r"|small|soft|hard|effervescent|delayed-release|enteric-coated|sustained-release)\s+){0,2}")
# "2 tablets", "Two (2) Tablets", "2 Vegetarian Capsules"
_UNIT_AT = rf"(?P<count>{_N})(?:\s*\(\s*\d+\s*\))?\s*{_ADJ}(?P<unit>{_U})(?![\w])"
_SIZE = r"(?:\s*\(\s*(?P<size>\d+(?:\.\d+)?\s*(?:g|gm|grams?|ml|mL)\.?)\s*\))?"

#: Phrases that set the basis, each with what it says: serving (a serving size), daily (the
#: serving is the day's), statement ("2 tablets provide", "each 15 mL contains", "per 2 caplets").
_VERB = _either(BASIS_VERBS)
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("daily", rf"\b(?:per|in)\s+(?:a\s+|the\s+|one\s+)?daily\s+(?:dose|serving|intake)\s*\(\s*{_UNIT_AT}{_SIZE}"
                  r"\s*\)\s*:?"),
        ("daily", rf"\bdaily\s+(?:dose|serving)\s*:?\s*{_UNIT_AT}{_SIZE}\s*:?"),
        ("daily", rf"\b(?:tagesdosis|tagesportion|dosis\s+diaria|dose\s+giornaliera|dose\s+journali[eè]re"
                  rf"|dawka\s+dzienna)\s*\(\s*{_UNIT_AT}{_SIZE}\s*\)\s*:?"),
        ("serving", rf"\b(?:per|each|one)\s+serving\s*\(\s*{_UNIT_AT}{_SIZE}\s*\)(?:\s+(?:{_VERB})\b)?\s*:?"),
        ("serving", rf"\bper\s+(?P<count>{_N})-(?P<unit>{_U})\s+serving\b\s*:?"),  # "Per 2-tablet serving:"
        ("serving", rf"\bserving\s+size\s*:?\s*{_UNIT_AT}{_SIZE}"),
        ("serving", r"\bserving\s+size\s*:?\s*(?P<size>\d+(?:\.\d+)?\s*(?:g|gm|grams?)\b\.?)"),
        # "each 10 mL teaspoonful contains": a measure and the unit it fills
        ("statement", rf"\b{_EACH}\s+{_UNIT_AT}{_SIZE}(?:\s+(?:{_U})(?![\w]))?"
                      rf"(?:\s+(?:{_VERB})\b)?\s*:?"),
        ("statement", rf"\b{_UNIT_AT}{_SIZE}(?:\s+(?:{_U})(?![\w]))?\s+(?:{_VERB})\b\s*:?"),
        ("statement", rf"\b{_UNIT_AT}{_SIZE}\s*=(?!=)"),  # "2 gélules = 300 mg", "2 tablets = 500 mg"
    ))
#: "Un comprimé contient", "Ein Beutel mit 4 g Pulver ... enthält", "A tablet provides": one unit, by its
#: article, only with the verb that makes it the figures' basis ("eine Kapsel" alone is a direction).
_ARTICLE = re.compile(rf"\b(?:un|une|ein|eine|one|a|an)\s+{_ADJ}(?P<unit>{_U})(?![\w])(?:\s+[^\s.;:]+){{0,10}}?\s+"
                      rf"(?:{_VERB})\b\s*:?", re.IGNORECASE)
#: "Each tablet contains", "per capsule", "in each tablespoonful": one unit, no count printed.
_ONE = re.compile(rf"\b{_EACH}\s+{_ADJ}(?P<unit>{_U})(?![\w])(?:\s+(?:{_VERB})\b)?\s*:?", re.IGNORECASE)


class Basis(NamedTuple):
    """What a label's figures are for: ``units`` of ``unit`` (2 tablet; 15 mL), as read."""

    units: float
    unit: str
    #: The serving's weight or volume where printed: "1 scoop (5 g)" -> "5 g".
    size: str | None
    #: The words it was read from.
    text: str
    #: serving (a serving size), daily (per daily dose), statement (each/per/provide).
    kind: str

    @property
    def several(self) -> bool:
        """A serving of more than one counted unit: the figures are not one unit's."""
        return self.units != 1 and self.unit not in MEASURES

    @property
    def per(self) -> str:
        """The basis as ``check`` has always named it: 'tablet', '15 mL', or 'serving' for several units."""
        if self.several:
            return "serving"
        if self.unit in MEASURES and self.units != 1:
            return f"{self.units:g} {self.unit}"
        return self.unit

    def described(self) -> str:
        count = f"{self.units:g} {self.unit}" + ("s" if self.units != 1 and self.unit not in MEASURES else "")
        size = f" ({self.size})" if self.size else ""
        return f"{count}{size}"

    def as_dict(self) -> dict[str, object]:
        return {"units": self.units, "unit": self.unit, "size": self.size, "kind": self.kind, "text": self.text}


#: pint's names for the volumes a basis or a direction is measured in.
VOLUME_NAMES = {"mL": "milliliter", "teaspoon": "metric_teaspoon", "tablespoon": "metric_tablespoon",
                "fl oz": "fluid_ounce", "L": "liter"}


def millilitres(per: str) -> float | None:
    """The volume a basis names ('100 mL', 'fl oz', 'tablespoon', '1000 mL'), in mL; None for a count."""
    from mgcalc.units import factor

    m = re.fullmatch(r"(?:(?P<count>\d+(?:\.\d+)?)\s*)?(?P<unit>.+?)", per.strip())
    unit = UNIT_WORDS.get(m["unit"].lower()) if m else None
    if m is None or unit not in VOLUME_NAMES:
        return None
    return float(m["count"] or 1) * factor(VOLUME_NAMES[unit], "milliliter")


class Found(NamedTuple):
    """A basis phrase in a line, with where it stands (to be blanked out before figures are read)."""

    basis: Basis | None
    start: int
    end: int
    #: Why the phrase cannot be a basis (a count of zero or past COUNT_MAX), or "".
    problem: str = ""


def _count(text: str) -> float:
    """'2', 'two', '1/2', '1 1/2', '½' as a number."""
    from fractions import Fraction

    low = unicodedata.normalize("NFKC", text.lower()).replace("\u2044", "/")
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low]
    whole, _, part = low.rpartition(" ") if "/" in low else ("", "", low)
    return float((Fraction(whole) if whole.strip() else 0) + Fraction(part.replace(" ", "")))


def _unit(word: str) -> str:
    return UNIT_WORDS[re.sub(r"\s+", " ", word.lower())]


def find_bases(line: str) -> list[Found]:
    """Every basis phrase in a line, first to last, none overlapping."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PHRASES:
        for m in pattern.finditer(line):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(_found(kind, m))
    for m in [*_ONE.finditer(line), *_ARTICLE.finditer(line)]:
        if any(m.start() < end and start < m.end() for start, end in taken):
            continue
        unit = _unit(m["unit"])
        if unit in MEASURES and not re.match(r"(?:in\s+)?(?:each|every)\b", m.group(), re.IGNORECASE):
            continue  # "per mL" after a figure is the figure's own basis (label.py reads it); "Each mL contains" is not
        taken.append((m.start(), m.end()))
        found.append(Found(Basis(1, unit, None, m.group().strip(" :"), "statement"), m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _found(kind: str, m: re.Match[str]) -> Found:
    text = m.group().strip(" :")
    size = m.groupdict().get("size")
    size = size.strip() if size else None
    if "count" not in m.re.groupindex:  # Serving Size 2.5 g: one serving of that weight
        return Found(Basis(1, "serving", size, text, kind), m.start(), m.end())
    count, unit = _count(m["count"]), _unit(m["unit"])
    if kind == "serving" and unit in MEASURES:  # Serving Size 2.5 g, 15 mL: one serving of that much
        return Found(Basis(1, "serving", f"{count:g} {unit}", text, kind), m.start(), m.end())
    if unit == "L":
        count, unit = count * 1000, "mL"
    if not 0 < count <= COUNT_MAX and unit not in MEASURES:
        return Found(None, m.start(), m.end(), f"the serving '{text}' counts {count:g} units, outside 1 to {COUNT_MAX}")
    if count <= 0:
        return Found(None, m.start(), m.end(), f"the serving '{text}' is of {count:g} {unit}")
    return Found(Basis(count, unit, size, text, kind), m.start(), m.end())


def decided(found: list[Found]) -> tuple[Basis | None, str | None]:
    """One basis from every phrase a label prints, or why it cannot be told.

    Phrases that say the same (a serving size of 2 tablets and "2 tablets provide") are one basis;
    a serving of several units beside a statement for one ("Serving Size 1 Tablet" and "per 2
    tablets", or "Each tablet contains" and "Serving Size 2 Tablets") cannot be told apart.
    """
    problems = [f.problem for f in found if f.problem]
    bases = [f.basis for f in found if f.basis is not None]
    if problems:
        return None, problems[0]
    if not bases:
        return None, None
    distinct: list[Basis] = []
    for basis in bases:
        if not any(_same(basis, seen) for seen in distinct):
            distinct.append(basis)
    if len(distinct) > 1:
        said = " and ".join(f"'{b.text}'" for b in distinct)
        return None, f"it states two bases that disagree ({said}): mgcalc will not pick one"
    serving = next((b for b in bases if b.kind in ("serving", "daily") and b.size), None)
    basis = distinct[0]
    return (basis._replace(size=serving.size) if serving and not basis.size else basis), None


def _same(a: Basis, b: Basis) -> bool:
    if a.unit == "serving" or b.unit == "serving":  # "Serving Size 5 g" and "per scoop" say nothing against
        return True
    return a.units == b.units and a.unit == b.unit


# --- directions -----------------------------------------------------------------------------------------


class Directions(NamedTuple):
    """How many units a day the directions allow, as read from them."""

    low: float | None
    high: float
    unit: str
    text: str
    #: How the directions were read ("2 tablets, twice a day").
    how: str


# "1 to 2", "6 à 8", "1 bis 2", and "10 mL to 20 mL" (the unit printed at both ends)
_RANGE = (rf"(?P<low>{_N})\s*(?:(?:{_U})(?![\w])\s*)?(?:-|\u2013|to|or|à|a|bis|do)\s*(?P<high>{_N})")
_DOSE = re.compile(rf"(?:{_RANGE}|(?P<one>{_N}))\s*{_ADJ}(?P<unit>{_U})(?![\w])", re.IGNORECASE)
_FREQ = "|".join(re.escape(w) for w in sorted(FREQUENCY_WORDS, key=len, reverse=True))
_DAY_WORDS = rf"(?:a\s+day|per\s+day|each\s+day|day|daily|{_either(_DAILY_WORDS)})"
#: How often a day, before or after the dose, in the languages of label_words.csv: "twice daily",
#: "1-2 times a day", "3 x daily", "2 x täglich", "Dreimal täglich", "2-mal täglich", "2 fois par jour".
_TIMES = re.compile(
    rf"\b(?P<times>{_FREQ})\s*(?:a|per|each|every)?\s*{_DAY_WORDS}(?![\w])"
    rf"|(?<![\w.,/])(?:(?P<tlow>\d)\s*(?:-|to|bis|à|a)\s*)?(?P<n>\d+)\s*(?:x|\u00d7|-?mal|fois|volte|veces|razy|times)"
    rf"\s*(?:a|per|each|al|au|par)?\s*{_DAY_WORDS}(?![\w])", re.IGNORECASE)
#: A volume of water to take a dose in ("in 250 mL of water"): not a dose.
_VEHICLE = re.compile(r"^\s*(?:of\s+)?(?:water|liquid|fluid|juice|milk)\b", re.IGNORECASE)
_EVERY = re.compile(r"\bevery\s+(?P<hours>\d+)(?:\s*(?:-|to)\s*(?P<hours2>\d+))?\s*hours?\b", re.IGNORECASE)
_DAILY = re.compile(rf"\b(?:{_either(_DAILY_WORDS)}|daily|a\s+day|per\s+day|each\s+day|every\s+day"
                    r"|in\s+(?:a\s+|any\s+)?24[\s-]*(?:hours?|hrs?)\.?(?:\s+period)?|(?:in|within)\s+(?:a\s+|one\s+)?day)\b",
                    re.IGNORECASE)
_UP_TO = re.compile(r"\b(?:up\s+to|not\s+(?:take\s+)?more\s+than|no\s+more\s+than|do\s+not\s+exceed|maximum(?:\s+of)?"
                    r"|max\.?)\s*$", re.IGNORECASE)
_LIMIT_WORDS = re.compile(r"\b(?:up\s+to|not\s+(?:take\s+|use\s+)?more\s+than|no\s+more\s+than|do\s+not\s+exceed"
                          r"|maximum|max\.?)\b", re.IGNORECASE)
_DAILY_DOSE_TABLE = re.compile(r"\bdaily\s+dose\b|\b24[\s-]*hour", re.IGNORECASE)
_ADULT = re.compile(r"\badults?\b|\badultes?\b|\berwachsene\b|\badult[oi]s?\b|\bdoro[sś]li\b"
                    r"|\b(?:1[2-8]|twelve)\s+years\s+(?:of\s+age\s+)?(?:and|or)\s+(?:over|older)\b"
                    r"|\bover\s+1[2-8]\b", re.IGNORECASE)
_CHILD = re.compile(r"\bchild(?:ren)?\b(?!\s+1[2-8])|\bunder\s+\d+", re.IGNORECASE)


def read_directions(lines: list[str]) -> tuple[Directions | None, str | None]:
    """Units a day from a label's directions, or (None, what could not be read).

    Reads the adult directions where they are told apart from children's. A dose without how
    often is a day's dose only where the directions say their doses are daily ("do not exceed the
    maximum recommended daily dose"); otherwise how often is not read, and that is said.
    """
    text = " ".join(lines)
    if not text.strip():
        return None, None
    candidates = [line for line in _sentences(lines) if _DOSE.search(line)]
    if not candidates:
        return None, f"the directions give no dose mgcalc can read: {_clip(text)}"
    adults = [line for line in candidates if _ADULT.search(line)]
    chosen = adults or [line for line in candidates if not _CHILD.search(line)] or candidates
    # a day's limit holds for the adults unless it is a child's line ("children: not more than 4 a day")
    caps = [cap for cap in map(daily_limit, [*chosen, *(c for c in candidates if c not in chosen
                                                        and not _CHILD.search(c))]) if cap is not None]
    doses = [line for line in chosen if not _opens_with_limit(line)]
    if not doses:  # "up to 4 tablets a day", "do not take more than 2 tablets in 24 hours"
        high, unit, line = caps[0]
        return Directions(None, high, unit, line, f"at most {_units(high, high, unit)} a day"), None
    days = [_day_of(line, text, caps) for line in doses]
    read = [day for day in days if isinstance(day, Directions)]
    if not read:
        return None, str(days[0])
    # several sets of directions (an antacid's and a supplement's): the one that allows the most
    return max(read, key=lambda day: day.high), None


def _day_of(line: str, text: str, caps: list[tuple[float, str, str]]) -> "Directions | str":
    """The units a day one line of directions gives (the most of its doses: "1 tablet daily for 2
    weeks, then 2 tablets daily"), or why it cannot be read."""
    doses: list[re.Match[str]] = []
    for d in _DOSE.finditer(line):
        restated = bool(doses) and re.fullmatch(r"\s*\(\s*", line[doses[-1].end():d.start()])  # "2-4 tsp (10-20 mL)"
        if not restated and not _VEHICLE.match(line[d.end():]) and not _UP_TO.search(line[:d.start()]):
            doses.append(d)
    days: list[Directions | str] = []
    for k, dose in enumerate(doses):
        end = doses[k + 1].start() if k + 1 < len(doses) else len(line)
        days.append(_day_of_dose(line, dose, line[:dose.start()] if k == 0 else "", line[dose.end():end], text, caps))
    read = [day for day in days if isinstance(day, Directions)]
    if not read:
        return days[0] if days else f"the directions' dose cannot be read: {_clip(line)}"
    return max(read, key=lambda day: day.high)


def _day_of_dose(line: str, dose: re.Match[str], before: str, after: str, text: str,
                 caps: list[tuple[float, str, str]]) -> "Directions | str":
    low, high, unit = _amounts(dose)
    if not (0 < low <= high) or (unit not in MEASURES and high > COUNT_MAX):
        return f"the directions' dose cannot be read: {_clip(line)}"
    limit = _LIMIT_WORDS.search(after)  # "30 mL, not more than 60 mL in 24 hrs": the limit is not the dose's
    after = after[:limit.start()] if limit else after
    times = _times(after) or _times(before)
    said = _units(low, high, unit)
    if times is not None:
        fewest, most, how = times
        if most < 1:
            return f"the directions' dose cannot be read: {_clip(line)}"
        day = Directions(low * fewest, high * most, unit, line, f"{said}, {how}")
    elif _DAILY.search(after) or _DAILY.search(before):
        day = Directions(low, high, unit, line, f"{said} a day")
    elif caps and caps[0][1] == unit:  # "chew 2-4 tablets as symptoms occur" under "not more than 10 in 24 hours"
        return Directions(low, caps[0][0], unit, line, f"{said} a dose, as needed; at most "
                                                        f"{_units(caps[0][0], caps[0][0], unit)} a day")
    elif _DAILY_DOSE_TABLE.search(text):
        day = Directions(low, high, unit, line, f"{said}, a daily dose as the directions call it")
    else:
        return f"the directions do not say how often: {_clip(line)}"
    for cap, cap_unit, _ in caps[:1]:  # the label's own daily maximum is the day's top, lower or higher
        if cap_unit == unit and cap != day.high:
            day = day._replace(high=cap, low=None if day.low is None else min(day.low, cap),
                               how=f"{day.how}; the label's daily maximum {_units(cap, cap, unit)}")
    return day


def _amounts(dose: re.Match[str]) -> tuple[float, float, str]:
    """(low, high, unit) of a dose match; litres in mL."""
    low, high = _count(dose["low"] or dose["one"]), _count(dose["high"] or dose["one"])
    unit = _unit(dose["unit"])
    return (low * 1000, high * 1000, "mL") if unit == "L" else (low, high, unit)


def _opens_with_limit(line: str) -> bool:
    """Whether the line's first dose is a daily maximum ("do not exceed 8 tablets in 24 hours")."""
    dose = _DOSE.search(line)
    return dose is not None and _UP_TO.search(line[:dose.start()]) is not None


def daily_limit(line: str) -> tuple[float, str, str] | None:
    """'do not take more than 4 tablets in 24 hours' -> (4, 'tablet', the line)."""
    for dose in _DOSE.finditer(line):
        if _UP_TO.search(line[:dose.start()]) and _DAILY.search(line[dose.end():]):
            _, high, unit = _amounts(dose)
            return high, unit, line
    return None


def _times(text: str) -> tuple[int, int, str] | None:
    """(fewest, most, said) times a day: 'twice daily', '1-2 times a day', '2 x täglich', 'every 4 hours'."""
    m = _TIMES.search(text)
    if m:
        word = (m["times"] or "").lower()
        most = FREQUENCY_WORDS.get(word) or int(m["n"])
        fewest = int(m["tlow"]) if m["tlow"] else most
        said = {1: "once a day", 2: "twice a day"}.get(most, f"{most} times a day") if fewest == most \
            else f"{fewest} to {most} times a day"
        return fewest, most, said
    m = _EVERY.search(text)
    if m:
        hours = int(m["hours"])
        if 1 <= hours <= 24:
            return 24 // hours, 24 // hours, f"every {hours} hours (at most {24 // hours} a day)"
    return None


def _units(low: float, high: float, unit: str) -> str:
    """'2 tablets', '1 to 3 capsules', '10 mL'."""
    count = f"{low:g}" if low == high else f"{low:g} to {high:g}"
    return f"{count} {unit}" + ("s" if high != 1 and unit not in MEASURES else "")


def _sentences(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += [s.strip() for s in re.split(r"(?<=[.;])\s+|•|■|●", line) if s.strip()]
    return out


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 80 else text[:80] + "…")
