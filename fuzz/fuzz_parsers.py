"""Coverage-guided fuzzing (atheris) of the amount and label parsers.

    pip install atheris
    python fuzz/fuzz_parsers.py amount -max_total_time=600 -timeout=2 /tmp/corpus-amount fuzz/seeds/amount
    python fuzz/fuzz_parsers.py label  -max_total_time=600 -timeout=2 /tmp/corpus-label  fuzz/seeds/label

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
    from mgcalc.units import MAX_MG, MIN_MG, parse_magnesium, parse_mass


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


TARGETS = {"amount": fuzz_amount, "label": fuzz_label}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer options] [corpus dirs]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
