"""What keeps a call fast, pinned structurally (timings are for bench/startup.py, not tests).

Each common call runs in a fresh interpreter with stdout piped, as scripts run it, and must
not import the heavy modules it does not need: pint (its factors are pre-computed), rich
(plain text when piped), molmass (formulas only), pydantic (typer 0.28+ imports it).
"""

import subprocess
import sys
from importlib import resources

import pytest

from mgcalc import units

HEAVY = {"pint", "rich", "molmass", "pydantic", "numpy"}
CALLS = [
    ["dose", "500mg", "citrate"],
    ["dose", "500mg", "citrate", "--json"],
    ["dose", "500 mg", "Magnesium Citrate", "-q", "--age", "30", "--sex", "female", "--food", "100mg"],
    ["dose", "250mg", "oxide", "5gr", "glycinate", "1,250 mcg", "lactate"],
    ["forms"],
    ["--help"],
    ["dose", "--help"],
]


def modules_after(args: list[str]) -> set[str]:
    probe = (
        "import sys\n"
        "from mgcalc.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='mgcalc')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "100"}  # no FORCE_COLOR / TTY_COMPATIBLE from the caller
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout, done.stderr
    return set(done.stderr.rpartition("MODULES ")[2].split())


@pytest.mark.parametrize("args", CALLS, ids=" ".join)
def test_common_calls_do_not_import_heavy_modules(args):
    assert not modules_after(args) & HEAVY


@pytest.mark.parametrize("args", [["dose", "500mg", "citrate"], ["dose", "500mg", "citrate", "-q"], ["forms"]])
def test_a_plain_call_does_not_import_what_only_other_commands_need(args):
    """json (for --json), the batch machinery and the label grammar load only when used."""
    assert "json" not in modules_after(args)
    probe = "import sys\nfrom mgcalc.cli import app\nprint(sorted(m for m in sys.modules if m.startswith('mgcalc')))"
    names = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "mgcalc.batch" not in names and "mgcalc.label" not in names


def test_the_cli_format_choices_are_batchs():
    from mgcalc.batch import FORMATS
    from mgcalc.cli import Format

    assert tuple(f.value for f in Format) == FORMATS


def test_a_formula_lookup_still_works_by_importing_molmass_then():
    assert "molmass" in modules_after(["dose", "1g", "MgSO4.7H2O", "-q"])


def test_precomputed_factors_equal_pint():
    """_factors.py is what pint computes from units.txt, pair for pair, to the last bit."""
    from mgcalc._factors import FACTORS

    assert set(FACTORS) == set(units.PRECOMPUTED)
    for (unit, target), value in FACTORS.items():
        assert value == units.pint_factor(unit, target), (unit, target)


def test_every_unit_a_user_can_type_is_precomputed():
    wanted = {(unit, "milligram") for unit in {*units.MASS_UNITS.values(), *units.MAGNESIUM_UNITS.values()}}
    assert wanted <= set(units.PRECOMPUTED)


def test_shipped_factors_file_is_the_generators_output():
    shipped = (resources.files("mgcalc") / "_factors.py").read_text(encoding="utf-8")
    assert shipped == units.generate_factors(), "regenerate _factors.py (see units.PRECOMPUTED)"
