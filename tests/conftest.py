"""Shared fixtures. Tests import the *installed* mgcalc (src/ is not on sys.path)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mgcalc.forms import FormsTable, load_forms


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def table() -> FormsTable:
    return load_forms()
