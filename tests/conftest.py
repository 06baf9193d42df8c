"""Shared fixtures. Tests import the *installed* mgcalc (src/ is not on sys.path)."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from helpers import DATASETS as DATA
from mgcalc.forms import FormsTable, load_forms

# A per-example deadline guards against hangs (a pathological regex, a runaway parse). It is
# generous: a first example may import pint or molmass on a loaded CI machine.
settings.register_profile("mgcalc", deadline=timedelta(seconds=2))
settings.load_profile("mgcalc")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def table() -> FormsTable:
    return load_forms()


@pytest.fixture
def records_dir(tmp_path):
    """The fixtures' record files without their README (a README in a dataset directory is an error row)."""
    target = tmp_path / "records"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("README.md"))
    return target
