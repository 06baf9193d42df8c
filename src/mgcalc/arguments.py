"""Command-line words as people type them: which words are amounts and which name the form.

``mgcalc dose 500 mg magnesium citrate 250mg oxide`` is two amounts, each followed by the words
of its form: the form is every word up to the next amount, so a quoted form
(``"chloride hexahydrate"``) and the same words unquoted read the same.
"""

import re
from typing import NamedTuple

from mgcalc.units import (
    AMOUNT_PATTERN,
    DURATION_UNITS,
    UNIT_WORDS,
    VOLUME_UNITS,
    WEIGHT_UNITS,
    is_notation,
    join_amounts,
)

# The text after an amount's number that makes the word an amount: a unit made of letters (known
# or not: an unknown one gets its own message), or nothing (a number without a unit, refused later).
_UNIT_LIKE = re.compile(r"[^\W\d_]+\.?(?: [^\W\d_]+\.?)*")
# A count times an amount ("2 x 250 mg") and a fraction ("1/2 g") are amounts too (units reads or
# refuses them).
_COUNT_OR_FRACTION = re.compile(r"[0-9]+\s*(?:[xX×*]\s*[0-9.]|/\s*[0-9])")
# Words of a form that start with a digit: "6 H2O" (a hydrate count), "1:1", "6-hydrate", "50%".
_HYDRATE = re.compile(r"H2O\b", re.IGNORECASE)
# A number before "mg/mL" or "g/fl" is a liquid's strength, part of its form ("chloride 200 mg/mL").
_STRENGTH_UNIT = re.compile(r"[^\W\d_]+\.?\s*/")


class Segment(NamedTuple):
    """An amount as typed and the form words that follow it ("" when none do)."""

    amount: str
    form: str


def unknown_option(words: list[str]) -> str | None:
    """The first word that looks like an option the command does not have (``-x``, ``--frobnicate``).

    A leading minus before a digit or a point is a negative amount, not an option.
    """
    for word in words:
        if word.startswith("-") and not re.match(r"-\.?[0-9]", word):
            return word
    return None


def is_amount(word: str, following: str = "") -> bool:
    """Whether a word (a number already joined with its unit) starts a new amount."""
    text = word.strip()
    if _COUNT_OR_FRACTION.match(text) or is_notation(text):
        return True
    match = AMOUNT_PATTERN.fullmatch(text)
    if match is None:
        return False
    unit = match["unit"].strip()
    if not unit:
        return not _HYDRATE.match(following) and not _STRENGTH_UNIT.match(following)
    return _UNIT_LIKE.fullmatch(unit) is not None


def segments(words: list[str], positional: int = 1) -> list[Segment]:
    """Each amount with the form words after it.

    The first ``positional`` words are amounts whatever they look like (so that a bad one gets the
    amount's own message: "does not start with a number", "no unit"); after them, a word starts a
    new amount when it looks like one. A number and its unit may be separate words ("500 mg").
    """
    tokens = join_amounts(words)
    found: list[tuple[str, list[str]]] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if i < positional or is_amount(token, following):
            found.append((token, []))
        else:
            found[-1][1].append(token)
    return [Segment(amount, " ".join(form)) for amount, form in found]


#: Unit words that, right after ``--weight N``, are the weight's: body weight units, and every other
#: unit mgcalc knows (``--weight 20 mg`` is then refused as no body weight, never left for an
#: amount before it to take: ``compound 0.5 --weight 3 g oxide`` is not 0.5 g).
_UNIT_AFTER_WEIGHT = frozenset(WEIGHT_UNITS) | UNIT_WORDS | frozenset(VOLUME_UNITS)
_BARE_WEIGHT = re.compile(r"\s*[0-9]+(?:\.[0-9]*)?\s*")
# Options of mgcalc infusion whose number may be followed by its unit as a separate word, the same
# way: "--in 100 mL", "--over 30 min", "--total 20 g".
_UNIT_AFTER = {
    "--weight": _UNIT_AFTER_WEIGHT,
    "--in": frozenset(VOLUME_UNITS) | UNIT_WORDS,
    "--over": frozenset(DURATION_UNITS),
    "--total": UNIT_WORDS,
}


def weight_unit(args: list[str]) -> list[str]:
    """``--weight 20 kg`` typed unquoted: the unit word right after the weight's number belongs to
    the weight (a bare weight is kg, so "44 lb" must not become 44 kg and a stray "lb"); likewise
    ``--in 100 mL``, ``--over 30 min`` and ``--total 20 g``.

    Only the word immediately after ``--weight N`` (or ``--weight=N``) is joined, and only a unit
    word, so nothing else a command line holds is ever moved.
    """
    joined: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":  # what follows is positional
            return joined + args[i:]
        joined.append(word)
        i += 1
        option = word.partition("=")[0]
        units = _UNIT_AFTER.get(option)
        if units is None:
            continue
        if word == option and i < len(args):
            joined.append(args[i])  # its value
            i += 1
        if (i < len(args) and _BARE_WEIGHT.fullmatch(joined[-1].removeprefix(f"{option}="))
                and args[i].strip().lower() in units):
            joined[-1] = f"{joined[-1].strip()} {args[i].strip()}"
            i += 1
    return joined
