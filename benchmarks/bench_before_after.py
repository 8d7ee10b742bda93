"""Two smotekit versions side by side in one run: is the change slower than the noise?

Runs the ``make bench`` cases (SMOTE, BorderlineSMOTE, ADASYN, RandomOverSampler on the
harness's cached data) plus SMOTENC and SMOTEN (``bench_categorical.py``'s data) for a
"before" and an "after" checkout, each run in a fresh subprocess with that checkout's ``src``
first on ``PYTHONPATH``, the two versions interleaved per case, ``--repeat`` runs each. Prints
a markdown table (median times, after/before ratio, spread of each version's repeats, peak
RSS) and writes it to ``benchmarks/results/before_after_latest.{md,json}``. Times are
reported, never asserted.

Usage examples (from the repository root)::

    git worktree add ../wt-before b8e8139                      # the 'before' checkout, once
    python benchmarks/bench_before_after.py                    # n=500k, d=20,100 + smotenc/smoten
    python benchmarks/bench_before_after.py --quick            # n=100k, d=20: a smoke run
    python benchmarks/bench_before_after.py --before ../wt-before --after . --repeat 5
    python benchmarks/bench_before_after.py --n 1000000 --d 20 --samplers smote,ros

See ``--help`` and ``docs/benchmarks.md`` (what is measured and how).
"""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    """Make the repository root importable, then run the comparison."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks._before_after import main

    return main()


if __name__ == "__main__":
    raise SystemExit(_main())
