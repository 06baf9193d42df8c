"""The supported Python versions are named the same way in pyproject.toml, the README and .ci/run.

A cross-cutting suite (the packaging and CI metadata): it stays whole rather than
split by module (docs/development.md)."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def classified() -> list[str]:
    prefix = "Programming Language :: Python :: "
    return [c.removeprefix(prefix) for c in PROJECT["classifiers"] if re.fullmatch(r"3\.\d+", c.removeprefix(prefix))]


def test_the_classifiers_start_at_requires_python_and_leave_no_gap():
    versions = classified()
    assert PROJECT["requires-python"] == f">={versions[0]}"
    assert [int(v.split(".")[1]) for v in versions] == list(range(11, 11 + len(versions)))


def test_the_readme_names_the_classified_versions_and_ci_requires_the_oldest_and_newest():
    *older, newest = classified()
    assert f"mgcalc supports Python {', '.join(older)} and {newest}" in README
    assert f"REQUIRED=({older[0]} {newest})" in CI
