"""Numbers as mgcalc prints them, one function per idea (the screens, the warnings, the piped figure).

Every printed figure passes through one of these, so the same quantity reads the same everywhere.
"""

import math


def amount(mg: float) -> str:
    """An amount for people: one decimal (none when it is .0), thousands commas, three digits below 1 mg."""
    return f"{mg:,.1f}".removesuffix(".0") if mg >= 1 else f"{mg:.3g}"


def small(value: float) -> str:
    """mmol, mEq or a small percentage for people: two decimals, three significant digits below 1
    (0.081, not 0.08)."""
    return f"{value:.2f}" if value >= 1 else f"{value:#.3g}"


def plain(value: float) -> str:
    """A number as a label or a message writes it: up to six decimals, no trailing zeros, every digit
    of a figure a label could print (1.745, 400, 0.000603, 12345678.9; 1e+140 when absurdly large)."""
    return f"{value:.6f}".rstrip("0").rstrip(".") if value < 1e15 else f"{value:g}"


def hundredths(value: float) -> str:
    """Two decimals at most, no trailing zeros, thousands commas: 4.93, 15, 1,000."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def bare(mg: float) -> str:
    """A number for ``$(...)``: two decimals (three significant digits below 1), no trailing zeros.

    Never an exponent, and never 0 for an amount that is not zero: 1 µg of oxide prints 0.000603.
    """
    decimals = 2 if mg >= 1 or mg <= 0 else 2 - math.floor(math.log10(mg))
    return f"{mg:.{decimals}f}".rstrip("0").rstrip(".")


def piped(value: float) -> str:
    """A figure in a line a script reads: one decimal, more below 10 so a small amount never reads as 0.0."""
    return f"{value:.1f}" if value >= 10 else bare(value)


def beyond(value: float, limit: float, decimals: int = 0) -> str:
    """``value`` with enough decimals to differ from ``limit`` as shown: 350.3, not 350, above 350."""
    shown = f"{value:.{decimals}f}"
    while value != limit and shown == f"{limit:.{decimals}f}" and decimals < 6:
        decimals += 1
        shown = f"{value:.{decimals}f}"
    return shown


def ul_share(percent: float) -> str:
    """A share of the upper level that never reads 100 for a dose over it (100.1, not 100)."""
    return beyond(percent, 100) if percent > 100 else f"{percent:.0f}"


def share(pct_of_lo: float, lo: float, hi: float) -> str:
    """'26 %', or '25-26 %' for a range of references."""
    low, high = f"{pct_of_lo * lo / hi:.0f}", f"{pct_of_lo:.0f}"
    return f"{high} %" if low == high else f"{low}-{high} %"


def mg_range(lo: float, hi: float) -> str:
    """'400 mg', or '400-420 mg' for a range."""
    return f"{lo:g} mg" if lo == hi else f"{lo:g}-{hi:g} mg"


def deviation(deviation: float, tolerance: float) -> str:
    """The deviation in percent with one decimal, or more (up to six) where one decimal would put it
    on the other side of the tolerance than the verdict (+5.04 % is over 5 %; +5.0 % is not)."""
    within = abs(deviation) <= tolerance
    for decimals in range(1, 7):
        text = f"{deviation:+.{decimals}f}"
        if (abs(float(text)) <= tolerance) == within:
            return text
    return text


def hours(hours: float) -> str:
    """A time in minutes below an hour, else in hours: 30 minutes, 1 hour, 2 hours."""
    if hours < 1:
        return f"{hours * 60:g} minutes"
    return f"{hours:g} hour" + ("" if hours == 1 else "s")
