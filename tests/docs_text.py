"""The documentation as the tests read it: the README (a front page) and the reference in docs/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted((REPO / "docs").glob("*.md"))}
#: Everything a reader can find: the README and every page of docs/.
REFERENCE = "\n".join([README, *PAGES.values()])


def page(name: str) -> str:
    """One page of docs/ ('batch.md')."""
    return PAGES[name]
