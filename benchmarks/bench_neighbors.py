"""The kNN step alone: scikit-learn's ``NearestNeighbors`` against smotekit's engine.

Two queries, the ones the samplers spend their time in (``docs/benchmarks.md``):

- ``mm``: minority within minority (m x m, self excluded) - SMOTE, and the interpolation
  neighbours of Borderline-1 and ADASYN;
- ``mn``: minority within all rows (m x n) - the DANGER test of BorderlineSMOTE and the
  weights of ADASYN.

scikit-learn runs ``NearestNeighbors(n_neighbors=k + 1).fit(A).kneighbors(Q)`` (self, if
present, removed afterwards by index for the comparison); smotekit runs
``get_backend(name)(n_jobs=None).fit(A).kneighbors(Q, k, exclude=...)``. The data are the
cached ``make_classification`` sets of ``run_benchmarks.py``; m is the minority's size
(about 5 % of n). Both sides are timed in this process, fit included, ``--repeat`` times
(median reported); agreement is recall@k of smotekit's indices against scikit-learn's and the
largest difference of the sorted distances.

Usage (from the repository root)::

    python benchmarks/bench_neighbors.py                 # n=1M (m~50k), d=20 and 100
    python benchmarks/bench_neighbors.py --quick         # n=100k, d=20
    python benchmarks/bench_neighbors.py --modes mm --d 20 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
KnnResult = tuple[np.ndarray, np.ndarray]


class EngineUnavailable(RuntimeError):
    """smotekit's neighbour engine is missing or has an unexpected API."""


def timed(fn: Callable[[], KnnResult], repeat: int) -> tuple[float, list[float], KnnResult]:
    """Run ``fn`` ``repeat`` times; return the median seconds, all times and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), times, result


def sklearn_knn(A: np.ndarray, Q: np.ndarray, k: int, self_index: np.ndarray | None) -> KnnResult:
    """scikit-learn: ``k + 1`` neighbours, then each query's own row removed by index.

    Parameters
    ----------
    A : ndarray of shape (n_a, d)
        Rows searched.
    Q : ndarray of shape (n_q, d)
        Query rows.
    k : int
        Neighbours wanted per query (excluding the query's own row).
    self_index : ndarray of shape (n_q,) or None
        Row of ``A`` that is the query itself (removed from the answer), or None.

    Returns
    -------
    distances, indices : ndarray of shape (n_q, k)
    """
    from sklearn.neighbors import NearestNeighbors

    dist, ind = NearestNeighbors(n_neighbors=k + 1).fit(A).kneighbors(Q)
    if self_index is None:
        return dist[:, :k], ind[:, :k]
    keep = ind != self_index[:, None]
    # Rows where self was not among the k + 1 (exact duplicates): drop the last column.
    keep[keep.all(axis=1), -1] = False
    return dist[keep].reshape(len(Q), k), ind[keep].reshape(len(Q), k)


def smotekit_engine(name: str) -> tuple[Any, str]:
    """Build smotekit's backend ``name``; raise :class:`EngineUnavailable` with the reason.

    Returns
    -------
    backend : object
        Unfitted backend with ``fit`` and ``kneighbors``.
    exclusion : {"exclude", "exclude_self"}
        Which self-exclusion keyword its ``kneighbors`` takes.
    """
    src = str(REPO_ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        from smotekit.neighbors import get_backend
    except ImportError as exc:
        raise EngineUnavailable(f"cannot import smotekit.neighbors.get_backend ({exc})") from exc
    try:
        backend = get_backend(name)(n_jobs=None)
    except (ValueError, ImportError, TypeError) as exc:
        raise EngineUnavailable(f"get_backend({name!r})(n_jobs=None) failed: {exc}") from exc
    if not (hasattr(backend, "fit") and hasattr(backend, "kneighbors")):
        raise EngineUnavailable(f"backend {name!r} has no fit/kneighbors")
    params = inspect.signature(backend.kneighbors).parameters
    for keyword in ("exclude", "exclude_self"):
        if keyword in params:
            return backend, keyword
    raise EngineUnavailable(
        f"backend {name!r}.kneighbors{inspect.signature(backend.kneighbors)} takes neither "
        "'exclude' nor 'exclude_self'"
    )


def smotekit_knn(
    name: str, A: np.ndarray, Q: np.ndarray, k: int, self_index: np.ndarray | None
) -> KnnResult:
    """smotekit: ``k`` neighbours of each query, its own row excluded by index if given."""
    backend, keyword = smotekit_engine(name)
    backend.fit(A)
    if self_index is None:
        return backend.kneighbors(Q, k)
    if keyword == "exclude":
        return backend.kneighbors(Q, k, exclude=self_index)
    if Q is A:  # exclude_self=True means "the query is the fitted data itself"
        return backend.kneighbors(Q, k, exclude_self=True)
    raise EngineUnavailable("this engine cannot exclude self for queries that are a subset")


def agreement(ref: KnnResult, got: KnnResult) -> dict[str, float]:
    """Recall@k of ``got``'s indices against ``ref``'s, and the largest distance difference."""
    (d_ref, i_ref), (d_got, i_got) = ref, got
    hits = sum(len(np.intersect1d(a, b)) for a, b in zip(i_ref, i_got, strict=True))
    return {
        "recall_at_k": hits / i_ref.size,
        "max_abs_distance_diff": float(
            np.max(np.abs(np.sort(d_ref, axis=1) - np.sort(d_got, axis=1)))
        ),
    }


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows of the dataset")
    parser.add_argument("--d", default="20,100", help="comma-separated feature counts")
    parser.add_argument("--modes", default="mm,mn", help="mm (m x m), mn (m x n) or both")
    parser.add_argument(
        "--m",
        type=int,
        default=None,
        help="use only the first M minority rows as queries (default: all)",
    )
    parser.add_argument("--k", type=int, default=5, help="neighbours for mm (SMOTE: 5)")
    parser.add_argument(
        "--k-all",
        type=int,
        default=10,
        help="neighbours for mn (BorderlineSMOTE's m_neighbors: 10)",
    )
    parser.add_argument("--backend", default="exact", help="smotekit backend name")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--quick", action="store_true", help="n=100000, d=20")
    parser.add_argument(
        "--skip-sklearn", action="store_true", help="time smotekit only (no agreement check)"
    )
    return parser


def run_one(args: argparse.Namespace, d: int, mode: str) -> dict[str, Any]:
    """Time both sides on one (d, mode) and check agreement."""
    from benchmarks._data import DataSpec, load_dataset

    X, y = load_dataset(DataSpec(n=args.n, d=d, dtype=args.dtype))
    minority = np.flatnonzero(y == np.bincount(y).argmin())[: args.m]
    X_min = np.ascontiguousarray(X[minority])
    if mode == "mm":
        A, Q, k, self_index = X_min, X_min, args.k, np.arange(len(minority))
    else:
        A, Q, k, self_index = X, X_min, args.k_all, minority
    row: dict[str, Any] = {"d": d, "mode": mode, "queries": len(Q), "rows": len(A), "k": k}
    if not args.skip_sklearn:
        row["sklearn_s"], row["sklearn_runs"], ref = timed(
            lambda: sklearn_knn(A, Q, k, self_index), args.repeat
        )
    try:
        row["smotekit_s"], row["smotekit_runs"], got = timed(
            lambda: smotekit_knn(args.backend, A, Q, k, self_index), args.repeat
        )
    except EngineUnavailable as exc:
        row["smotekit_error"] = str(exc)
        return row
    if not args.skip_sklearn:
        row.update(agreement(ref, got))
        row["speedup"] = row["sklearn_s"] / row["smotekit_s"]
    return row


def format_row(row: dict[str, Any]) -> str:
    """One markdown table row."""
    shape = f"{row['queries']} x {row['rows']}"
    if "smotekit_error" in row:
        smk, ratio, recall, ddist = "n/a", "n/a", "n/a", "n/a"
    else:
        smk = f"{row['smotekit_s']:.3f}"
        ratio = f"{row['speedup']:.2f}x" if "speedup" in row else "-"
        recall = f"{row['recall_at_k']:.5f}" if "recall_at_k" in row else "-"
        ddist = f"{row['max_abs_distance_diff']:.1e}" if "recall_at_k" in row else "-"
    skl = f"{row['sklearn_s']:.3f}" if "sklearn_s" in row else "-"
    return (
        f"| {row['d']} | {row['mode']} | {shape} | {row['k']} | {skl} | {smk} | {ratio} |"
        f" {recall} | {ddist} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the kNN comparison and write ``results/neighbors_<time>.{md,json}``."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    args = build_parser().parse_args(argv)
    dims = [20] if args.quick else [int(v) for v in args.d.split(",")]
    if args.quick:
        args.n = 100_000
    modes = [m.strip() for m in args.modes.split(",")]
    if set(modes) - {"mm", "mn"}:
        raise SystemExit("--modes takes mm, mn or mm,mn")
    try:
        smotekit_engine(args.backend)
    except EngineUnavailable as exc:
        print(
            f"smotekit's neighbour engine is not usable yet: {exc}\n"
            "Expected smotekit.neighbors.get_backend(name)(n_jobs=None) with fit(X) and "
            "kneighbors(Q, k, exclude=...). Only scikit-learn will be timed.",
            flush=True,
        )

    from threadpoolctl import threadpool_info

    started = dt.datetime.now(dt.timezone.utc).astimezone()
    header = (
        "| d | mode | queries x rows | k | sklearn s | smotekit s | speed (skl/smk) |"
        " recall@k | max abs dist diff |\n|---|---|---|---|---|---|---|---|---|"
    )
    print(header, flush=True)
    rows = []
    for d in dims:
        for mode in modes:
            row = run_one(args, d, mode)
            rows.append(row)
            print(format_row(row), flush=True)
    errors = sorted({r["smotekit_error"] for r in rows if "smotekit_error" in r})
    notes = [
        f"Measured {started:%Y-%m-%d %H:%M %Z}; n={args.n}, {args.dtype}, "
        f"backend {args.backend!r}, median of {args.repeat} run(s), fit included."
    ]
    notes += [f"smotekit unavailable: {e}" for e in errors]
    markdown = "\n".join([header, *map(format_row, rows), "", *(f"- {n}" for n in notes), ""])
    for note in notes:
        print(f"- {note}")

    out = REPO_ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"neighbors_{started:%Y%m%d_%H%M%S}"
    (out / f"{stem}.md").write_text(markdown)
    report = {
        "started": started.isoformat(),
        "options": vars(args),
        "rows": rows,
        "threadpools": [
            {"owner": Path(i["filepath"]).parent.name}
            | {k: v for k, v in i.items() if k != "filepath"}
            for i in threadpool_info()
        ],
    }
    (out / f"{stem}.json").write_text(json.dumps(report, indent=2))
    print(f"Wrote {out / stem}.md and .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
