"""The README and docs/ stay true: every mgcalc command they show runs, every option --help names is
in its command's page, and every JSON key the contract pins is in the reference.

A cross-cutting suite (the documentation against the whole tool): it stays whole rather than
split by module (docs/development.md)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

import contract
from contract import COMPONENT_KEYS, JSON_KEYS
from docs_text import PAGES, README, REFERENCE
from mgcalc import cli

REPO = Path(__file__).resolve().parents[1]
#: The plain blocks of every page (```bash blocks are scripts, run by test_shell.py; ```python the API).
BLOCKS = [block for text in (README, *PAGES.values())
          for lang, block in re.findall(r"```(\w*)\n(.*?)```", text, flags=re.DOTALL) if lang == ""]
#: Each command with the exit status its line documents ("# exit 3: ..."), 0 when none.
EXITS = {
    line.split("#")[0].split("|")[0].strip(): int(m[1]) if (m := re.search(r"#\s*exit (\d)", line)) else 0
    for block in BLOCKS for line in block.splitlines() if line.startswith("mgcalc ")
}
COMMANDS = sorted({
    line.split("#")[0].split("|")[0].strip()  # the mgcalc part of a pipeline
    for block in BLOCKS
    for line in block.splitlines()
    if re.match(r"mgcalc (dose|forms|compound|compare|check|reference|interactions|preparations|serum|infusion"
                r"|products|audit|--)", line)
})
BATCH = sorted({line.strip() for block in BLOCKS for line in block.splitlines()
                if re.match(r"(?:cat \S+ \| )?mgcalc batch ", line.strip())})
#: The page of docs/ that documents each command.
COMMAND_PAGES = {
    "dose": "dose.md", "compound": "compound-compare.md", "compare": "compound-compare.md", "check": "check.md",
    "batch": "batch.md", "forms": "input.md", "preparations": "liquids.md", "products": "products.md",
    "reference": "references.md", "interactions": "interactions.md", "infusion": "infusion.md", "serum": "serum.md",
    "audit": "audit.md",
}


def test_the_readme_is_a_front_page_that_links_every_page():
    assert len(README.splitlines()) <= 150
    for name in PAGES:
        assert f"docs/{name}" in README or f"({name})" in PAGES["README.md"], name


def test_every_option_help_names_is_in_its_commands_page():
    group = typer.main.get_command(cli.app)
    assert set(group.commands) == set(COMMAND_PAGES)  # a new command gets a page
    for name, command in group.commands.items():
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert f"`{option}`" in PAGES[COMMAND_PAGES[name]], (name, option)


def test_every_pinned_json_key_is_in_the_reference():
    keys = set().union(*(value for name, value in vars(contract).items() if name.endswith("_KEYS")))
    missing = sorted(key for key in keys if f"`{key}`" not in REFERENCE and key not in REFERENCE)
    assert not missing, missing


def test_the_readme_shows_commands():
    assert "mgcalc dose 500mg citrate" in COMMANDS and len(COMMANDS) >= 40


@pytest.mark.parametrize("command", COMMANDS)
def test_every_readme_command_runs(runner, command, tmp_path, monkeypatch):
    """Run from a copy of the repository's examples/ (a command may write a file, e.g. --svg)."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, shlex.split(command)[1:])
    assert result.exit_code == EXITS.get(command, 0), (command, result.stderr)
    assert result.stdout


def test_readme_documents_every_json_key():
    for key in JSON_KEYS | COMPONENT_KEYS:
        assert f"`{key}`" in REFERENCE or key in REFERENCE, key


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
