"""The README stays true: every mgcalc command it shows runs, and its JSON table matches."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from contract import COMPONENT_KEYS, JSON_KEYS
from mgcalc import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```\n(.*?)```", README, flags=re.DOTALL)
COMMANDS = sorted({
    line.split("#")[0].split("|")[0].strip()  # the mgcalc part of a pipeline
    for block in BLOCKS
    for line in block.splitlines()
    if re.match(r"mgcalc (dose|forms|compound|compare|check|reference|interactions|preparations|serum|infusion"
                r"|products|--)", line)
})
BATCH = sorted({line.strip() for block in BLOCKS for line in block.splitlines() if "mgcalc batch" in line})


def test_the_readme_shows_commands():
    assert "mgcalc dose 500mg citrate" in COMMANDS and len(COMMANDS) >= 8


@pytest.mark.parametrize("command", COMMANDS)
def test_every_readme_command_runs(runner, command):
    result = runner.invoke(cli.app, shlex.split(command)[1:])
    assert result.exit_code == 0, (command, result.stderr)
    assert result.stdout


def test_readme_documents_every_json_key():
    for key in JSON_KEYS | COMPONENT_KEYS:
        assert f"`{key}`" in README or key in README, key


def test_readme_install_and_test_commands_are_what_ci_runs():
    assert "pip install . && mgcalc dose 500mg citrate" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in README and "pip install '.[test]' && pytest" in ci


@pytest.mark.parametrize("command", BATCH)
def test_every_readme_batch_command_runs_on_the_shipped_examples(runner, command, tmp_path, monkeypatch):
    """Run from a copy of the repository's examples/, as a user in a checkout would."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    feed, _, mgcalc_part = command.rpartition("| ")
    stdin = (tmp_path / feed.split()[1]).read_text() if feed.startswith("cat ") else None
    result = runner.invoke(cli.app, shlex.split(mgcalc_part)[1:], input=stdin)
    assert result.exit_code == 0, (command, result.stderr)
    assert "no errors" in result.stderr


def test_the_readme_sample_output_is_what_mgcalc_prints(runner):
    sample = next(b for b in BLOCKS if b.startswith("500 mg trimagnesium dicitrate")).splitlines()
    actual = runner.invoke(cli.app, ["dose", "500mg", "citrate"]).stdout.splitlines()
    assert len(sample) == len(actual)
    for shown, real in zip(sample, actual, strict=True):
        assert real == shown or (shown.endswith(" ...") and real.startswith(shown.removesuffix(" ...")))
