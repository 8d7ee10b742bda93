"""Side-by-side benchmarks of smotekit against imbalanced-learn.

Run ``python benchmarks/run_benchmarks.py --help`` (or ``make bench``); see
``docs/benchmarks.md`` for what is measured and how.
"""
