"""One SMOTENC or SMOTEN case in this process, measured exactly like ``_one_case``.

Used by ``bench_before_after.py`` (``benchmarks/_before_after.py``) for the categorical
samplers. The data are those of ``bench_categorical.py`` (its generators are reused), built
once per (kind, n) into the harness's cache directory by a separate process::

    python -m benchmarks._categorical_case --build --kind smotenc --n 1000000

and loaded by every case process::

    python -m benchmarks._categorical_case --kind smotenc --n 1000000

The case process speaks the protocol of :mod:`benchmarks._one_case` (``BENCH_JSON`` lines, a
``start`` event right before ``fit_resample`` and a ``result`` event after it), so the
harness's :func:`benchmarks._runner.run_child_measured` runs it with the same timeout and
contention bookkeeping, and its result has the same keys (``seconds``, ``peak_delta_kib``,
``process_peak_kib``, ...). ``smotekit`` is imported from whatever ``PYTHONPATH`` puts first.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._cases import SAMPLER_RANDOM_STATE
from benchmarks._data import CACHE_DIR
from benchmarks._one_case import emit, measure_fit_resample, threadpool_summary

#: kind -> (class name in smotekit, number of features of bench_categorical's generator)
KINDS: dict[str, tuple[str, int]] = {"smotenc": ("SMOTENC", 20), "smoten": ("SMOTEN", 20)}


def paths(kind: str, n: int, cache_dir: Path = CACHE_DIR) -> tuple[Path, Path, Path]:
    """Cached ``X``, ``y`` and metadata files of one categorical dataset."""
    base = cache_dir / f"categorical_{kind}_n{n}"
    return (
        base.with_name(base.name + "_X.npy"),
        base.with_name(base.name + "_y.npy"),
        base.with_name(base.name + "_meta.json"),
    )


def build(kind: str, n: int, cache_dir: Path = CACHE_DIR) -> dict[str, Any]:
    """Generate and cache the dataset (``bench_categorical``'s generators) unless cached."""
    x_path, y_path, meta_path = paths(kind, n, cache_dir)
    if x_path.exists() and y_path.exists() and meta_path.exists():
        return json.loads(meta_path.read_text())
    from benchmarks.bench_categorical import make_smoten_data, make_smotenc_data

    start = time.perf_counter()
    if kind == "smotenc":
        X, y, categorical = make_smotenc_data(n)
        digest = hashlib.sha256(np.ascontiguousarray(X).data).hexdigest()
    else:
        X, y = make_smoten_data(n)
        categorical = None
        digest = hashlib.sha256("\x1f".join(X.ravel().tolist()).encode()).hexdigest()
    y = np.ascontiguousarray(y, dtype=np.int64)
    labels, counts = np.unique(y, return_counts=True)
    meta = {
        "kind": kind,
        "n": n,
        "d": X.shape[1],
        "generator": f"benchmarks.bench_categorical.make_{kind}_data",
        "categorical_features": categorical,
        "dtype": str(X.dtype),
        "class_counts": {str(int(c)): int(k) for c, k in zip(labels, counts, strict=True)},
        "sha256_X": digest,
        "sha256_y": hashlib.sha256(y.data).hexdigest(),
        "generation_seconds": round(time.perf_counter() - start, 3),
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Temporary names first, so that a crash never leaves a truncated cache entry.
    for path, array in ((x_path, X), (y_path, y)):
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            np.save(fh, array, allow_pickle=array.dtype == object)
        tmp.replace(path)
    tmp_meta = meta_path.with_name(meta_path.name + f".tmp{os.getpid()}")
    tmp_meta.write_text(json.dumps(meta, indent=2))
    tmp_meta.replace(meta_path)
    return meta


def check_output(X: np.ndarray, X_res: Any, y_res: Any) -> dict[str, Any]:
    """Sanity checks on the resampled output (after the timing; object arrays allowed)."""
    X_res = np.asarray(X_res)
    y_res = np.asarray(y_res)
    n = X.shape[0]
    labels, counts = np.unique(y_res, return_counts=True)
    return {
        "shape_out": list(X_res.shape),
        "dtype_out": str(X_res.dtype),
        "n_new": int(X_res.shape[0] - n),
        "class_counts_out": {str(int(c)): int(k) for c, k in zip(labels, counts, strict=True)},
        "originals_first": bool(X_res.shape[0] >= n and np.array_equal(X_res[:n], X)),
        "output_bytes": int(X_res.nbytes + y_res.nbytes),
    }


def run_case(kind: str, n: int, cache_dir: Path, rss_method: str) -> dict[str, Any]:
    """Import, load, measure one ``fit_resample`` (same order as ``_one_case.run_case``)."""
    class_name, _ = KINDS[kind]
    start = time.perf_counter()
    import smotekit

    sampler_cls = getattr(smotekit, class_name)
    import_seconds = time.perf_counter() - start

    x_path, y_path, meta_path = paths(kind, n, cache_dir)
    meta = json.loads(meta_path.read_text())
    start = time.perf_counter()
    X = np.load(x_path, allow_pickle=meta["dtype"] == "object")
    y = np.load(y_path)
    load_seconds = time.perf_counter() - start

    params: dict[str, Any] = {"random_state": SAMPLER_RANDOM_STATE}
    if kind == "smotenc":
        params["categorical_features"] = meta["categorical_features"]
    sampler = sampler_cls(**params)
    gc.collect()

    measured, X_res, y_res = measure_fit_resample(sampler, X, y, rss_method)
    return {
        "lib": "smotekit",
        "module": "smotekit",
        "module_file": smotekit.__file__,
        "class": f"{sampler_cls.__module__}.{sampler_cls.__qualname__}",
        "library_version": getattr(smotekit, "__version__", None),
        "sampler": kind,
        "params": {k: v for k, v in params.items()},
        "n": n,
        "d": int(X.shape[1]),
        "dtype": str(X.dtype),
        "import_seconds": import_seconds,
        "load_seconds": load_seconds,
        **measured,
        "threadpools": threadpool_summary(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        **check_output(X, X_res, y_res),
    }


def main(argv: list[str] | None = None) -> int:
    """Build the cache entry (``--build``, prints its metadata) or run one case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", required=True, choices=sorted(KINDS))
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--rss-method", default="auto", choices=["auto", "vmhwm", "psutil"])
    parser.add_argument("--build", action="store_true", help="build the cached data and exit")
    args = parser.parse_args(argv)
    if args.build:
        print(json.dumps(build(args.kind, args.n, args.cache_dir)))
        return 0
    if not paths(args.kind, args.n, args.cache_dir)[2].exists():
        print("data not cached: run with --build first", file=sys.stderr)
        return 2
    emit("result", run_case(args.kind, args.n, args.cache_dir, args.rss_method))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
