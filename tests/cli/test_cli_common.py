"""What every command shares: one-line user errors (exit 1), usage errors (exit 2), --version, --help
with an example, shell completion, and form words typed unquoted."""

from __future__ import annotations

import pytest

from cli_helpers import assert_one_line_error, run
from mgcalc.cli import app
from oracles import CHLORIDE_6


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "500mg", "citrat"], "unknown form 'citrat'; did you mean 'citrate'"),
        (["dose", "500", "citrate"], "add one, e.g. 500mg"),
        (["dose", "1,5g", "citrate"], "decimal comma"),
        (["dose", "500Mg", "citrate"], "ambiguous"),
        (["dose", "0mg", "citrate"], "zero"),
        (["dose", "500mg", "stearate"], "lubricant"),
        (["dose", "500mg", "citrate", "--sex", "male", "--pregnant"], "--sex female"),
        (["dose", "500mg", "citrate", "--food", "lots"], "food"),
        (["dose", "500mg", "NaCl"], "no magnesium"),
        (["forms", "zzzz"], "no form matches"),
    ],
)
def test_user_errors_are_one_line_on_stderr_with_status_1(runner, args, fragment):
    assert_one_line_error(run(runner, *args), fragment)


@pytest.mark.parametrize(
    "args",
    [
        ["dose", "500mg"],
        ["dose", "500mg", "citrate", "--per-day", "0"],
        ["dose", "500mg", "citrate", "--per-day", "x"],
        ["dose", "500mg", "citrate", "--sex", "other"],
        ["dose", "500mg", "citrate", "--json", "-q"],
        ["dose", "500mg", "citrate", "--bogus"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_version(runner):
    import mgcalc

    result = run(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, f"mgcalc {mgcalc.__version__}\n")


@pytest.mark.parametrize("command", [[], ["dose"], ["forms"], ["reference"], ["compound"], ["compare"], ["check"]])
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, *command, "--help", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Example: mgcalc" in result.stdout


def test_completion_is_offered(runner):
    assert "--install-completion" in run(runner, "--help", env={"COLUMNS": "120"}).stdout


def test_form_words_unquoted_in_compound_and_check(runner):
    result = runner.invoke(app, ["compound", "200", "mg", "magnesium", "chloride", "hexahydrate", "-q"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(200 * 100 / CHLORIDE_6, abs=0.01)
    result = runner.invoke(app, ["check", "64mg", "535mg", "magnesium", "chloride", "hexahydrate", "-q"])
    assert result.exit_code == 0 and float(result.stdout) == pytest.approx(535 * CHLORIDE_6 / 100, abs=0.01)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "500mg", "citrate", "-x"], "No such option: -x"),
        (["dose", "500mg", "citrate", "--frobnicate"], "No such option: --frobnicate"),
        (["dose", "500mg"], "'500mg' has no form after it"),
        (["dose", "citrate", "500mg"], "'citrate' is not an amount; give AMOUNT FORM, amount first"),
        (["compound", "200mg", "oxide", "300mg", "citrate"], "give one TARGET FORM"),
        (["check", "64mg", "chloride"], "DECLARED COMPOUND_AMOUNT FORM"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(runner, args, fragment):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mgcalc: error: ")
    assert fragment in result.stderr


def test_quiet_never_prints_zero_for_a_dose(runner):
    result = runner.invoke(app, ["dose", "1mcg", "oxide", "-q"])
    assert result.stdout == "0.000603\n"  # 0.001 mg x 60.30 %
    result = runner.invoke(app, ["compound", "1mcg", "oxide", "-q"])
    assert float(result.stdout) == pytest.approx(0.001 * 100 / 60.30, rel=1e-2) and result.stdout != "0\n"
