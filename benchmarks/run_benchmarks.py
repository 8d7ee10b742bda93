"""Side-by-side benchmark of smotekit against imbalanced-learn (``make bench``).

Usage examples (from the repository root)::

    python benchmarks/run_benchmarks.py                 # n=1M, d=20 and 100, all default samplers
    python benchmarks/run_benchmarks.py --quick         # n=100k, d=20: a smoke run
    python benchmarks/run_benchmarks.py --n 100000 --d 20,100 --samplers smote,ros --repeat 3

See ``docs/benchmarks.md`` and ``--help``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    """Make the repository root importable, then run the harness."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks._harness import main

    return main()


if __name__ == "__main__":
    raise SystemExit(_main())
