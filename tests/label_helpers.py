"""The test data directory of the label tests (tests/data: label lines and panels)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
