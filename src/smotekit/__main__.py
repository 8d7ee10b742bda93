"""``python -m smotekit``: the command line (see :mod:`smotekit.cli`).

Ctrl-C while the command is still importing its modules ends it quietly with status 130,
not with a traceback of the imports.
"""

from __future__ import annotations


def _run() -> int:
    """Import the command line and run it; 130, quietly, if interrupted while importing.

    Returns
    -------
    int
        The exit status of :func:`smotekit.cli.main`, or 130.
    """
    try:
        from .cli import main
    except KeyboardInterrupt:
        return 130
    return main()


if __name__ == "__main__":
    raise SystemExit(_run())
