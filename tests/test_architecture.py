"""The library never loads the CLI stack, and a --json call never loads rich.

A cross-cutting suite (the import graph of the whole package): it stays whole rather than
split by module (docs/development.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import resources

LIBRARY = [
    "mgcalc", "mgcalc.dose", "mgcalc.forms", "mgcalc.units", "mgcalc.references", "mgcalc.errors", "mgcalc.check",
    "mgcalc.label", "mgcalc.tables", "mgcalc.arguments", "mgcalc.compare", "mgcalc.interactions",
    "mgcalc.preparations", "mgcalc.panel", "mgcalc.batch", "mgcalc.files", "mgcalc.products",
]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys; print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_library_imports_no_typer_rich_or_click():
    code = "; ".join(f"import {m}" for m in LIBRARY) + "; mgcalc.dose('500mg', 'citrate')"
    assert not loaded_after(code) & {"typer", "rich", "click"}


def test_json_and_quiet_calls_do_not_load_rich():
    for flag in ("--json", "-q"):
        code = (
            "from mgcalc.cli import app\n"
            f"app(['dose', '500mg', 'citrate', '{flag}'], standalone_mode=False)"
        )
        assert "rich" not in loaded_after(code), flag


def test_only_cli_imports_typer_and_nothing_imports_rich_at_module_level():
    package = resources.files("mgcalc")
    for module in package.iterdir():
        if not module.name.endswith(".py"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        top = {
            alias.name.split(".")[0]
            for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
        }
        assert "rich" not in top, module.name
        if module.name != "cli.py":
            assert not top & {"typer", "click"}, module.name
