"""The installed ``mgcalc`` console script, run as a user runs it.

A cross-cutting suite (the installed script, whatever the command): it stays whole rather than
split by module (docs/development.md)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

MGCALC = shutil.which("mgcalc")
pytestmark = pytest.mark.skipif(MGCALC is None, reason="mgcalc is not installed on PATH")


def mgcalc(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MGCALC, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          **kwargs)


def test_the_readme_example_works():
    result = mgcalc("dose", "500mg", "citrate", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["elemental_mg"] == pytest.approx(80.8165, rel=1e-4)


def test_plain_text_when_stdout_is_not_a_terminal():
    result = mgcalc("dose", "500mg", "citrate")
    assert result.returncode == 0 and "\x1b[" not in result.stdout
    assert "Elemental magnesium: 80.8 mg/day" in result.stdout


def test_a_user_error_is_one_line_without_traceback():
    result = mgcalc("dose", "500mg", "citrat")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["mgcalc: error: unknown form 'citrat'; did you mean 'citrate' or "
                                          "'citrate 1:1' or 'citrate 9H2O'?"]


def test_a_closed_pipe_ends_quietly():
    result = subprocess.run(f"'{MGCALC}' forms | head -1", shell=True, capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("id\t")
    assert result.stderr == ""


def test_python_dash_m_works_too():
    import sys

    result = subprocess.run([sys.executable, "-m", "mgcalc", "dose", "1g", "oxide", "-q"], capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "603.04\n")
