"""How long ``smotekit compare`` takes on a realistic mixed table, against the forest it trains.

The case of issue #11: a 50,000-row churn table (string, bool, integer and float
columns, an ID column, 3 % positives), 5-fold CV repeated 3 times, four samplers and
scikit-learn's ``RandomForestClassifier(n_estimators=100)`` at compare's defaults
(every core).  The yardstick is one forest fit per fold and sampler: the time of one
single-threaded fit of the same encoded forest on one unresampled training fold,
times folds x samplers.  Target: compare's wall time within 4x of it on 2 cores.
The same comparison with ``n_jobs=1`` (the old serial default) runs too, for the
speed-up of the parallel default.  Both runs, and the yardstick, happen in this one
process, one after another::

    python benchmarks/bench_compare.py              # 50k rows, 5x3 (about 10-20 minutes)
    python benchmarks/bench_compare.py --rows 5000 --cv 3x1 --skip-serial   # a quick look

Results go to ``benchmarks/results/compare_latest.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"


def churn_table(n_rows: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A churn-like mixed table with 3 % positives and an ID column (left out by compare)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n_rows) < 0.03).astype(int)
    plan = np.where(
        rng.random(n_rows) < 0.3 + 0.34 * y, "basic", rng.choice(["plus", "pro"], n_rows)
    )
    X = pd.DataFrame(
        {
            "customer_id": [f"C{i:07d}" for i in range(n_rows)],
            "tenure_months": rng.integers(1, 72, n_rows) - 8 * y,
            "monthly_charge": rng.normal(65, 20, n_rows) + 9 * y,
            "total_charge": rng.gamma(2.0, 900, n_rows),
            "support_calls": rng.poisson(1.2 + 1.1 * y),
            "plan": plan,
            "region": pd.Categorical(
                rng.choice(["north", "south", "east", "west", "centre"], n_rows)
            ),
            "contract": rng.choice(["monthly", "yearly", "two-year"], n_rows, p=[0.5, 0.3, 0.2]),
            "paperless": rng.random(n_rows) < 0.55 + 0.15 * y,
            "autopay": rng.random(n_rows) < 0.5,
        }
    )
    return X, y


def samplers() -> dict:
    from smotekit import SMOTENC, RandomOverSampler, RandomUnderSampler

    return {
        "smotenc": SMOTENC("auto", random_state=0),
        "smotenc_k10": SMOTENC("auto", k_neighbors=10, random_state=0),
        "randomoversampler": RandomOverSampler(random_state=0),
        "randomundersampler": RandomUnderSampler(random_state=0),
    }


def forest_fit_seconds(X: pd.DataFrame, y: np.ndarray, cv: str, repeats: int = 3) -> float:
    """Median single-threaded fit time of the encoded forest on the first training fold."""
    from sklearn.base import clone
    from sklearn.ensemble import RandomForestClassifier

    from smotekit.evaluation._cv import check_cv, cv_splits
    from smotekit.evaluation._mixed import encoding_pipeline

    _, _, train, _ = cv_splits(check_cv(cv, 0), X, y)[0]
    model = encoding_pipeline(RandomForestClassifier(n_estimators=100, random_state=0), X)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        clone(model).fit(X.iloc[train], y[train])
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def run_compare(X: pd.DataFrame, y: np.ndarray, cv: str, n_jobs: int | None) -> tuple[float, dict]:
    from smotekit.evaluation import compare

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(X, y, samplers(), cv=cv, n_jobs=n_jobs)
    return time.perf_counter() - start, results.attrs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--cv", default="5x3")
    parser.add_argument("--skip-serial", action="store_true", help="leave out the n_jobs=1 run")
    args = parser.parse_args()
    X, y = churn_table(args.rows)
    X = X.drop(columns="customer_id")  # what compare's CLI leaves out by itself
    folds, repeats = (int(v) for v in args.cv.lower().split("x"))
    n_splits = folds * repeats
    n_samplers = len(samplers())
    fit_s = forest_fit_seconds(X, y, args.cv)
    yardstick = fit_s * n_splits * n_samplers
    parallel_s, attrs = run_compare(X, y, args.cv, n_jobs=-1)
    serial_s = None if args.skip_serial else run_compare(X, y, args.cv, n_jobs=1)[0]
    row = {
        "rows": args.rows,
        "positives": int(y.sum()),
        "cv": args.cv,
        "samplers": n_samplers,
        "cores": len(os.sched_getaffinity(0)),
        "one_forest_fit_s": round(fit_s, 2),
        "yardstick_s": round(yardstick, 1),
        "compare_s": round(parallel_s, 1),
        "ratio_to_yardstick": round(parallel_s / yardstick, 2),
        "target_ratio": 4.0,
        "serial_compare_s": None if serial_s is None else round(serial_s, 1),
        "parallel_speedup": None if serial_s is None else round(serial_s / parallel_s, 2),
        "parallel_plan": attrs["inputs"]["parallel"],
        "timing_parts_s": attrs["timing"],
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    lines = [
        "| rows | CV | samplers | one forest fit | yardstick (fit x folds x samplers) | compare "
        "(all cores) | ratio | target | compare, n_jobs=1 | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {args.rows:,} | {args.cv} | {n_samplers} | {fit_s:.2f} s | {yardstick:.0f} s | "
        f"{parallel_s:.0f} s | {row['ratio_to_yardstick']:.2f}x | <= 4x | "
        f"{'-' if serial_s is None else f'{serial_s:.0f} s'} | "
        f"{'-' if serial_s is None else f'{serial_s / parallel_s:.2f}x'} |",
    ]
    table = "\n".join(lines)
    print(table)
    print(f"parts (s, summed over folds): {attrs['timing']}; {attrs['inputs']['parallel']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "compare_latest.md").write_text(table + "\n")
    (RESULTS / "compare_latest.json").write_text(json.dumps(row, indent=1) + "\n")


if __name__ == "__main__":
    main()
