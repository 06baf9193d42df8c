"""The one exception family for everything a user can get wrong."""

#: Longest piece of user text quoted back in an error message.
_SHOWN_MAX = 40


class MgcalcError(Exception):
    """Bad input or data: the CLI prints the message on one line and exits 1."""


class FormsTableError(MgcalcError):
    """The forms or intakes table is malformed; the message names file, line and problem."""


def shown(text: str) -> str:
    """Quote user text for an error message: one line, control characters escaped, bounded."""
    clipped = text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"
    # repr() escapes NUL, newlines and other control characters, so the message stays one line.
    return repr(clipped)
