"""Notes with a kind: a warning or a verdict's reason is text (what JSON, batch and the plain
screen print, unchanged), and also carries what kind of note it is, so nothing parses the text back.

    >>> reason = Note.cannot_check("the compound is not a form in the table")
    >>> reason, reason.kind, reason.detail
    ('cannot be checked: the compound is not a form in the table', <Kind.CANNOT_CHECK: 'cannot be checked'>,
     'the compound is not a form in the table')
"""

import enum


class Kind(enum.Enum):
    """What a note says."""

    #: Anything else: a caution, a hint, a reason.
    PLAIN = "plain"
    #: Over a limit (the upper level, a label's maximum): drawn as an alarm.
    OVER = "over"
    #: A label read but not checkable: ``detail`` says why.
    CANNOT_CHECK = "cannot be checked"


class Note(str):
    """A note's text, with its ``kind`` and its ``detail`` (the text without what the kind says)."""

    kind: Kind
    detail: str

    def __new__(cls, text: str, kind: Kind = Kind.PLAIN, detail: str | None = None) -> "Note":
        note = super().__new__(cls, text)
        note.kind = kind
        note.detail = text if detail is None else detail
        return note

    @classmethod
    def over(cls, text: str) -> "Note":
        """A warning that an amount is over a limit."""
        return cls(text, Kind.OVER)

    @classmethod
    def cannot_check(cls, detail: str) -> "Note":
        """Why a label cannot be checked: ``cannot be checked: <detail>``."""
        return cls(f"{Kind.CANNOT_CHECK.value}: {detail}", Kind.CANNOT_CHECK, detail)


def kind_of(text: str) -> Kind:
    """A note's kind; PLAIN for text that is not a Note."""
    return text.kind if isinstance(text, Note) else Kind.PLAIN


def detail_of(text: str) -> str:
    """A note's detail; the text itself for text that is not a Note."""
    return text.detail if isinstance(text, Note) else text
