"""The label dataset fixtures (tests/data/datasets): DSLD, openFDA and SPL records."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data" / "datasets"
