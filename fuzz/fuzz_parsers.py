"""Coverage-guided fuzzing (atheris) of the amount, label and liquid (strength, form) parsers.

    pip install atheris
    python fuzz/fuzz_parsers.py amount -max_total_time=600 -timeout=2 /tmp/corpus-amount fuzz/seeds/amount
    python fuzz/fuzz_parsers.py label  -max_total_time=600 -timeout=2 /tmp/corpus-label  fuzz/seeds/label
    python fuzz/fuzz_parsers.py liquid -max_total_time=600 -timeout=2 /tmp/corpus-liquid fuzz/seeds/liquid

Any input may only give a correct result or MgcalcError: another exception, a result that breaks
the invariants below, or an input slower than -timeout seconds is a finding (libFuzzer stops and
writes the input to crash-* / timeout-*).
"""

import math
import sys

import atheris

with atheris.instrument_imports():
    from mgcalc.check import check_label
    from mgcalc.errors import MgcalcError
    from mgcalc.preparations import MAX_PER_ML, MAX_PER_SACHET, parse_strength, read_form
    from mgcalc.units import MAX_MG, MIN_MG, parse_amount, parse_magnesium, parse_mass


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def fuzz_amount(data: bytes) -> None:
    text = _text(data)
    for parse in (parse_mass, parse_magnesium):
        try:
            mg = parse(text)
        except MgcalcError as exc:
            assert "\n" not in str(exc), repr(str(exc))
            continue
        assert math.isfinite(mg) and MIN_MG <= mg <= MAX_MG, (text, mg)


def fuzz_label(data: bytes) -> None:
    text = _text(data)
    try:
        result = check_label(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc), repr(str(exc))
        return
    assert result.declared_mg > 0 and result.compound_mg > 0 and result.expected_mg > 0, text
    assert math.isfinite(result.deviation_percent), text
    assert result.consistent == (abs(result.deviation_percent) <= result.tolerance), text


def fuzz_liquid(data: bytes) -> None:
    """A strength, a FORM that may carry one or name a preparation, and an amount that may be a volume."""
    text = _text(data)
    try:
        strength = parse_strength(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc), repr(str(exc))
    else:
        limit = MAX_PER_ML if strength.per_unit == "mL" else MAX_PER_SACHET
        assert math.isfinite(strength.per_one) and 0 < strength.per_one <= limit, (text, strength)
    try:
        reading = read_form(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc), repr(str(exc))
    else:
        assert reading.strength is None or reading.strength.per_one > 0, (text, reading)
    try:
        amount = parse_amount(text)
    except MgcalcError as exc:
        assert "\n" not in str(exc), repr(str(exc))
    else:
        assert math.isfinite(amount.value) and amount.value > 0, (text, amount)


TARGETS = {"amount": fuzz_amount, "label": fuzz_label, "liquid": fuzz_liquid}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer options] [corpus dirs]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
