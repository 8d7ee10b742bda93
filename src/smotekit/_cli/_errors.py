"""User errors and the one-line messages the command prints on stderr."""

from __future__ import annotations

import sys
import warnings

__all__ = ["PROG", "UsageError", "print_error", "print_warnings"]

#: The command's name, which starts every message.
PROG = "smotekit"


class UsageError(Exception):
    """A user error: reported on one line, exit status 2."""


def print_error(message: str) -> None:
    """Print ``smotekit: error: MESSAGE`` on one line of stderr.

    Parameters
    ----------
    message : str
        Runs of whitespace, newlines included, become single spaces.
    """
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print each caught warning as ``smotekit: warning: MESSAGE`` on one line of stderr.

    Parameters
    ----------
    caught : list of warnings.WarningMessage
        From ``warnings.catch_warnings(record=True)``.
    """
    for w in caught:
        print(f"{PROG}: warning: {' '.join(str(w.message).split())}", file=sys.stderr)
