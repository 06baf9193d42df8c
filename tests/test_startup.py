"""What keeps a call fast, pinned structurally (timings are for bench/startup.py, not tests).

Each common call runs in a fresh interpreter through the console script's entry point, with
stdout piped as scripts run it, and must not import the heavy modules it does not need: pint
(its factors are pre-computed), rich (plain text when piped), molmass (formulas only), pydantic
(typer 0.28+ imports it). The entry point freezes what start-up created (mgcalc.__main__), and
a call naming a command builds only that command (cli.app_for).

A cross-cutting suite (what every call imports and builds at start-up): it stays whole rather than
split by module (docs/development.md).
"""

import subprocess
import sys

import pytest
from typer.main import get_command

from mgcalc.cli import app, app_for

COMMANDS = [info.name for info in app.registered_commands]

HEAVY = {"pint", "rich", "molmass", "pydantic", "numpy"}
CALLS = [
    ["dose", "500mg", "citrate"],
    ["dose", "500mg", "citrate", "--json"],
    ["dose", "500 mg", "Magnesium Citrate", "-q", "--age", "30", "--sex", "female", "--food", "100mg"],
    ["dose", "250mg", "oxide", "5 grains", "glycinate", "1,250 mcg", "lactate"],
    ["dose", "15", "mL", "milk", "of", "magnesia", "-q"],
    ["compound", "10mmol", "sulfate 50%", "-q"],
    ["dose", "2", "tablets", "Mag-Ox", "400", "-q"],
    ["compound", "40mEq", "Neomag", "-q"],
    ["dose", "1", "tsp", "Magonate", "-q"],
    ["forms"],
    ["compare", "300mg"],
    ["--help"],
    ["dose", "--help"],
    ["interactions", "Cipro", "furosemide", "ciprofloxacine"],
    ["dose", "500mg", "citrate", "--with", "Cipro"],
]


def after_call(args: list[str], report: str) -> str:
    """Run ``mgcalc ARGS`` through the console script's entry point in a fresh interpreter; when it
    exits, evaluate the expression ``report`` there and return its text."""
    probe = (
        "import atexit, gc, sys\n"
        f"atexit.register(lambda: sys.stderr.write('\\nREPORT ' + str({report})))\n"
        f"sys.argv = ['mgcalc', *{args!r}]\n"
        "from mgcalc.__main__ import main\n"
        "main()\n"
    )
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "100"}  # no FORCE_COLOR / TTY_COMPATIBLE from the caller
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout, done.stderr
    return done.stderr.rpartition("REPORT ")[2]


def modules_after(args: list[str]) -> set[str]:
    return set(after_call(args, "' '.join(sorted({m.split('.')[0] for m in sys.modules}))").split())


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


@pytest.mark.parametrize("args", [["forms"], ["dose", "500mg", "citrate", "--json"], ["--help"]], ids=" ".join)
def test_start_up_objects_are_frozen_and_the_collector_is_on_for_the_command(args):
    """The entry point imports with gc paused, then freezes: typer's classes are out of the collector's
    generations, and the collector runs again for what the command creates."""
    report = "(gc.isenabled(), any(o is sys.modules['typer'].Typer for o in gc.get_objects()), gc.get_freeze_count())"
    enabled, typer_still_collected, frozen = after_call(args, report).strip("()").split(", ")
    assert (enabled, typer_still_collected) == ("True", "False")
    assert int(frozen) > 10_000


@pytest.mark.parametrize("name", COMMANDS)
def test_a_call_naming_a_command_builds_only_that_command(name):
    assert list(get_command(app_for([name, "x"])).commands) == [name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [[], ["--help"], ["-h", "dose"], ["--version"], ["dos", "500mg"], ["Dose"]])
def test_anything_else_gets_the_whole_app(args):
    assert app_for(args) is app


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_built_alone_behaves_as_in_the_whole_app(runner, name):
    for args in ([name, "--help"], [name, "--no-such-option"]):
        alone = runner.invoke(app_for(args), args, prog_name="mgcalc")
        whole = runner.invoke(app, args, prog_name="mgcalc")
        assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_the_cli_format_choices_are_batchs():
    from mgcalc.batch import FORMATS
    from mgcalc.cli import Format

    assert tuple(f.value for f in Format) == FORMATS


def test_a_formula_lookup_still_works_by_importing_molmass_then():
    assert "molmass" in modules_after(["dose", "1g", "MgSO4.7H2O", "-q"])
