"""render.py: the dose screen is laid out from facts worked out once (plain and rich draw the same)."""

from mgcalc.dose import dose


def test_the_plain_dose_screen_is_laid_out_from_the_facts_worked_out_once():
    from mgcalc.render import dose_facts, plain_dose_lines

    facts = dose_facts(dose("2000mg", "oxide"))
    assert facts.elemental == "1,206.1" and facts.over_ul and facts.percent_ul is not None
    assert [over for _, over in facts.warnings].count(True) == 1
    lines = plain_dose_lines(facts)
    assert lines[0] == "2,000 mg magnesium oxide (MgO, 60.30 % Mg) -> 1,206.1 mg magnesium"
    assert "Elemental magnesium: 1,206.1 mg/day (49.62 mmol, 99.24 mEq)" in lines
    assert any(line.startswith("warning: OVER THE UPPER LEVEL: 1206 mg/day") for line in lines)
