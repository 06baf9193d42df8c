"""Which comparisons a dose gets, by its route (oral, iv, im) and use (supplement, laxative, ...).

The RDA and the supplemental upper level are intake references for magnesium taken by mouth:
the RDA for nutrition, the UL for supplements and medicines, its endpoint diarrhoea. Neither
says anything about an injection, and a laxative is taken for the very effect the UL guards
against. So one function, ``comparisons``, decides for every caller (preparations, products,
bare forms with ``--route``) what a dose of a given route and use is compared with.
"""

from typing import Literal, NamedTuple

from mgcalc.errors import MgcalcError

ROUTES = ("oral", "iv", "im")
USES = ("supplement", "laxative", "antacid", "electrolyte")
ROUTE_NAMES = {"oral": "by mouth", "iv": "intravenous", "im": "intramuscular"}
USE_NAMES = {"supplement": "supplement", "laxative": "laxative", "antacid": "antacid",
             "electrolyte": "electrolyte replacement"}
#: How the supplemental upper level enters: the verdict (over it or not), a figure shown for
#: what it is (not a verdict), or not at all.
UpperRole = Literal["judge", "show", "none"]


class Comparisons(NamedTuple):
    """What a dose of one route and use is compared with."""

    route: str
    use: str
    #: The RDA (or AI) and the US label Daily Value.
    intake: bool
    #: The supplemental upper level: judged, shown for what it is, or left out.
    upper: UpperRole
    #: The maximum daily dose of the product's own label directions (oral medicines).
    label_daily: bool
    #: The label's or SmPC's parenteral limits: concentration, rate, totals in 24 hours.
    parenteral: bool

    @property
    def parenteral_route(self) -> bool:
        return self.route in ("iv", "im")


def comparisons(route: str, use: str) -> Comparisons:
    """The comparisons for a dose given by ``route`` for ``use``; MgcalcError for words outside the vocabulary.

    - oral supplement: RDA and %DV, and the supplemental UL as the verdict;
    - oral laxative, antacid or electrolyte replacement: the label's own maximum daily dose is the
      limit; the UL is shown for what it is (the intake by mouth at which diarrhoea begins), never
      hidden and never the verdict; no RDA;
    - iv or im, whatever the use: neither RDA nor UL; the label's parenteral limits.
    """
    check_route(route)
    if use not in USES:
        raise MgcalcError(f"use {use!r} is not one of {', '.join(USES)}")
    if route in ("iv", "im"):
        return Comparisons(route, use, intake=False, upper="none", label_daily=False, parenteral=True)
    if use == "supplement":
        return Comparisons(route, use, intake=True, upper="judge", label_daily=False, parenteral=False)
    return Comparisons(route, use, intake=False, upper="show", label_daily=True, parenteral=False)


def check_route(route: str) -> str:
    if route not in ROUTES:
        raise MgcalcError(f"route {route!r} is not one of {', '.join(ROUTES)}")
    return route


def default_use(route: str) -> str:
    """The use of a form typed bare: a supplement by mouth, electrolyte replacement by injection."""
    return "supplement" if check_route(route) == "oral" else "electrolyte"
