"""``python -m smotekit``: the command line (see :mod:`smotekit.cli`)."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
