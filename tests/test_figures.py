"""figures.py: one way to print each kind of number (the screens' amounts, the piped figure, a share)."""

import pytest

from mgcalc import figures


@pytest.mark.parametrize(("function", "value", "text"), [
    (figures.amount, 1206.1, "1,206.1"), (figures.amount, 400.0, "400"), (figures.amount, 0.0603, "0.0603"),
    (figures.small, 49.62, "49.62"), (figures.small, 0.081, "0.0810"),
    (figures.hundredths, 4.931, "4.93"), (figures.hundredths, 1000.0, "1,000"),
    (figures.plain, 1.745, "1.745"), (figures.plain, 400.0, "400"), (figures.plain, 0.000603, "0.000603"),
    (figures.plain, 12345678.9, "12345678.9"), (figures.plain, 1e140, "1e+140"),
    (figures.bare, 0.000603, "0.000603"), (figures.bare, 241.3, "241.3"), (figures.bare, 0.0, "0"),
    (figures.piped, 241.34, "241.3"), (figures.piped, 0.0123, "0.0123"),
    (figures.ul_share, 100.04, "100.04"), (figures.ul_share, 99.6, "100"),
    (figures.hours, 0.5, "30 minutes"), (figures.hours, 1.0, "1 hour"), (figures.hours, 2.0, "2 hours"),
])
def test_each_kind_of_number_prints_one_way(function, value, text):
    assert function(value) == text


def test_a_figure_over_a_limit_never_reads_as_the_limit():
    assert figures.beyond(350.3, 350) == "350.3"
    assert figures.beyond(350.001, 350) == "350.001"
    assert figures.deviation(5.04, 5) == "+5.04" and figures.deviation(4.96, 5) == "+5.0"


def test_a_share_of_a_range_of_references_and_a_range_of_amounts():
    assert figures.share(100.0, 400, 420) == "95-100 %"
    assert figures.share(50.0, 400, 400) == "50 %"
    assert figures.mg_range(400, 420) == "400-420 mg" and figures.mg_range(350, 350) == "350 mg"
