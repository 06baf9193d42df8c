"""The one exception family for everything a user can get wrong, and the exit statuses."""

import enum

#: Longest piece of user text quoted back in an error message.
_SHOWN_MAX = 40


class MgcalcError(Exception):
    """Bad input or data: the CLI prints the message on one line and exits 1."""


class ExitCode(enum.IntEnum):
    """mgcalc's exit statuses, every command's."""

    OK = 0
    #: A user error (MgcalcError), or a batch with an error row.
    ERROR = 1
    #: A usage error: an unknown option, a missing argument.
    USAGE = 2
    #: A check failed: over the upper level (``dose --fail-over-ul``), a label that does not add up,
    #: an infusion or a product's limit exceeded.
    CHECK_FAILED = 3
    #: A label read but not checkable (``check --label``).
    CANNOT_CHECK = 4
    #: Stopped by a signal: this plus the signal's number (130 for SIGINT).
    SIGNAL = 128


class FormsTableError(MgcalcError):
    """The forms or intakes table is malformed; the message names file, line and problem."""


def shown(text: str) -> str:
    """Quote user text for an error message: one line, control characters escaped, bounded."""
    clipped = text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"
    # repr() escapes NUL, newlines and other control characters, so the message stays one line.
    return repr(clipped)
