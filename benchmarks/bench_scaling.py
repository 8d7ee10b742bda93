"""Scaling curve of the minority-within-all-rows search: exact against the approximate backends.

The query is the one Borderline-SMOTE's DANGER test and ADASYN's weights make: every minority
row's ``k`` nearest rows among all ``n`` rows, itself excluded by index.  For each ``n`` (data:
the cached ``make_classification`` sets of ``run_benchmarks.py``, d = 20, about 5 % minority)
and each backend, one fresh subprocess times the index build (``fit``) and the query of all
``m`` minority rows separately.

Exact search costs ``m x n`` distance evaluations; at 10M rows that is hours on two cores, so
the exact backend queries a random sample of ``--exact-queries`` minority rows and its query
time is scaled by ``m / sample`` (exact search costs the same per query row; the table marks
scaled times with ``*``).  The same sample is the ground truth of the approximate backends:
their recall@k and their DANGER agreement (the share of the sampled minority rows whose
SAFE / DANGER / NOISE category, from the other-class count among the k = m_neighbors = 10
neighbours, is the same as with exact search).

Usage (from the repository root)::

    python benchmarks/bench_scaling.py                      # n = 100k ... 10M
    python benchmarks/bench_scaling.py --n 100000,300000    # a quick curve
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import RESULTS_DIR, DataSpec, load_dataset

DEFAULT_SIZES = "100000,300000,1000000,3000000,10000000"
K = 10


def one_case(n: int, d: int, backend: str, sample: int, seed: int) -> dict:
    """Build, query and score one backend at one size (runs in its own process)."""
    from smotekit._selection import borderline_categories
    from smotekit.neighbors import ExactNeighbors, get_backend

    X, y = load_dataset(DataSpec(n, d))
    minority = np.flatnonzero(y == 1)
    m = minority.size
    rng = np.random.default_rng(seed)
    sampled = np.sort(rng.choice(m, size=min(sample, m), replace=False))

    exact = ExactNeighbors().fit(X)
    start = time.perf_counter()
    truth = exact.kneighbors(X[minority[sampled]], K, exclude=minority[sampled])[1]
    exact_sample_s = time.perf_counter() - start
    result: dict = {"n": n, "d": d, "m": int(m), "backend": backend, "sample": int(sampled.size)}
    if backend == "exact":
        result.update(build_s=0.0, query_s=exact_sample_s * m / sampled.size,
                      scaled=sampled.size < m, recall=1.0, danger_agreement=1.0)  # fmt: skip
        return result

    engine = get_backend(backend)(n_jobs=None)
    start = time.perf_counter()
    engine.fit(X)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    found = engine.kneighbors(X[minority], K, exclude=minority)[1]
    query_s = time.perf_counter() - start
    found = found[sampled]
    recall = np.mean([np.intersect1d(a, b).size / K for a, b in zip(found, truth)])

    def categories(indices: np.ndarray) -> np.ndarray:
        return borderline_categories((y[indices] != 1).sum(axis=1), K)

    agreement = float(np.mean(categories(found) == categories(truth)))
    result.update(build_s=build_s, query_s=query_s, scaled=False, recall=float(recall),
                  danger_agreement=agreement)  # fmt: skip
    return result


def run(args: argparse.Namespace) -> list[dict]:
    rows = []
    for n in (int(v) for v in args.n.split(",")):
        for backend in args.backends.split(","):
            command = [sys.executable, __file__, "--one", str(n), backend,
                       "--d", str(args.d), "--exact-queries", str(args.exact_queries)]  # fmt: skip
            print(f"# n={n:,} {backend} ...", flush=True)
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=args.timeout, check=False
                )
            except subprocess.TimeoutExpired:
                rows.append({"n": n, "backend": backend, "error": f"timeout {args.timeout}s"})
                continue
            if done.returncode != 0:
                rows.append({"n": n, "backend": backend, "error": done.stderr.strip()[-300:]})
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print("  ", rows[-1], flush=True)
    return rows


def table(rows: list[dict]) -> str:
    """Markdown table; the speed-up is exact's (build + query) over the backend's."""
    exact_total = {r["n"]: r["build_s"] + r["query_s"] for r in rows if r["backend"] == "exact"
                   and "error" not in r}  # fmt: skip
    lines = [
        "| n | m | backend | build s | query s | total s | speed-up vs exact | recall@10 "
        "| DANGER agreement |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n']:,} | | {r['backend']} | {r['error']} | | | | | |")
            continue
        total = r["build_s"] + r["query_s"]
        star = "*" if r.get("scaled") else ""
        speed = exact_total.get(r["n"], float("nan")) / total
        lines.append(
            f"| {r['n']:,} | {r['m']:,} | {r['backend']} | {r['build_s']:.1f} | "
            f"{r['query_s']:.1f}{star} | {total:.1f}{star} | {speed:.2f}x | "
            f"{r['recall']:.3f} | {r['danger_agreement']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default=DEFAULT_SIZES, help="comma-separated row counts")
    parser.add_argument("--d", type=int, default=20, help="number of features (default 20)")
    parser.add_argument("--backends", default="exact,ivf,hnsw", help="comma-separated names")
    parser.add_argument(
        "--exact-queries", type=int, default=5000,
        help="minority rows the exact search queries (its time is then scaled to m)",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per case")
    parser.add_argument("--seed", type=int, default=0, help="seed of the query sample")
    parser.add_argument("--one", nargs=2, metavar=("N", "BACKEND"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        n, backend = args.one
        print(json.dumps(one_case(int(n), args.d, backend, args.exact_queries, args.seed)))
        return 0
    started = dt.datetime.now(dt.timezone.utc)
    rows = run(args)
    text = table(rows)
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"scaling_{stamp}.json"
    out.write_text(json.dumps({"started": stamp, "rows": rows, "table": text}, indent=2))
    print(f"# written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
