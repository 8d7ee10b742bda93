"""Benchmark data: generated once with ``make_classification`` and cached as ``.npy``.

Every benchmark subprocess loads the same cached bytes with :func:`numpy.load`, so data
generation is never timed and both libraries see identical input.

The module is also a tiny CLI used by the harness to build the cache in a separate process
(so that the harness itself never holds the data)::

    python -m benchmarks._data --n 1000000 --d 20
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
CACHE_DIR = RESULTS_DIR / "cache"

#: Share of the majority class passed to ``make_classification(weights=...)``.
MAJORITY_WEIGHT = 0.95


@dataclass(frozen=True)
class DataSpec:
    """Parameters of one benchmark dataset.

    Parameters
    ----------
    n : int
        Number of rows.
    d : int
        Number of features.
    seed : int, default=0
        ``random_state`` of ``make_classification``.
    dtype : str, default="float64"
        Dtype of the feature matrix as stored in the cache.
    """

    n: int
    d: int
    seed: int = 0
    dtype: str = "float64"

    @property
    def stem(self) -> str:
        """File-name stem that identifies this dataset in the cache."""
        return f"mc_n{self.n}_d{self.d}_w{MAJORITY_WEIGHT}_rs{self.seed}_{self.dtype}"

    def paths(self, cache_dir: Path = CACHE_DIR) -> tuple[Path, Path, Path]:
        """Return the paths of the cached ``X``, ``y`` and metadata files."""
        base = cache_dir / self.stem
        return (
            base.with_name(base.name + "_X.npy"),
            base.with_name(base.name + "_y.npy"),
            base.with_name(base.name + "_meta.json"),
        )

    def make_classification_kwargs(self) -> dict[str, object]:
        """Keyword arguments given to ``sklearn.datasets.make_classification``."""
        return {
            "n_samples": self.n,
            "n_features": self.d,
            "weights": [MAJORITY_WEIGHT],
            "random_state": self.seed,
        }


def _sha256(array: np.ndarray) -> str:
    """SHA-256 of an array's C-order bytes."""
    return hashlib.sha256(np.ascontiguousarray(array).data).hexdigest()


def ensure_dataset(spec: DataSpec, cache_dir: Path = CACHE_DIR) -> dict[str, object]:
    """Generate and cache the dataset unless it is cached already.

    Parameters
    ----------
    spec : DataSpec
        Which dataset.
    cache_dir : Path, default=CACHE_DIR
        Where the ``.npy`` files live (git-ignored).

    Returns
    -------
    meta : dict
        The dataset's metadata: generator arguments, class counts, SHA-256 of ``X`` and ``y``,
        generation time and library versions.
    """
    x_path, y_path, meta_path = spec.paths(cache_dir)
    if x_path.exists() and y_path.exists() and meta_path.exists():
        return json.loads(meta_path.read_text())

    import sklearn
    from sklearn.datasets import make_classification

    cache_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    X, y = make_classification(**spec.make_classification_kwargs())
    X = np.ascontiguousarray(X, dtype=spec.dtype)
    y = np.ascontiguousarray(y, dtype=np.int64)
    seconds = time.perf_counter() - start
    labels, counts = np.unique(y, return_counts=True)
    meta: dict[str, object] = {
        "spec": asdict(spec),
        "generator": "sklearn.datasets.make_classification",
        "generator_kwargs": spec.make_classification_kwargs(),
        "class_counts": {str(int(c)): int(k) for c, k in zip(labels, counts, strict=True)},
        "sha256_X": _sha256(X),
        "sha256_y": _sha256(y),
        "generation_seconds": round(seconds, 3),
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
    }
    # Write to temporary names first so that a crash never leaves a truncated cache entry.
    for path, array in ((x_path, X), (y_path, y)):
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            np.save(fh, array)
        tmp.replace(path)
    tmp_meta = meta_path.with_name(meta_path.name + f".tmp{os.getpid()}")
    tmp_meta.write_text(json.dumps(meta, indent=2))
    tmp_meta.replace(meta_path)
    return meta


def load_dataset(spec: DataSpec, cache_dir: Path = CACHE_DIR) -> tuple[np.ndarray, np.ndarray]:
    """Load a cached dataset fully into memory (generating it first if needed).

    Parameters
    ----------
    spec : DataSpec
        Which dataset.
    cache_dir : Path, default=CACHE_DIR
        Where the ``.npy`` files live.

    Returns
    -------
    X : ndarray of shape (n, d)
        Features, dtype ``spec.dtype``.
    y : ndarray of shape (n,)
        Integer labels (0 = majority, 1 = minority).
    """
    ensure_dataset(spec, cache_dir)
    x_path, y_path, _ = spec.paths(cache_dir)
    # No mmap: the data must be resident before the measurement starts, so that page-ins of
    # the input are never charged to the resampler.
    return np.load(x_path), np.load(y_path)


def main(argv: list[str] | None = None) -> int:
    """Build one cache entry and print its metadata as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    spec = DataSpec(n=args.n, d=args.d, seed=args.seed, dtype=args.dtype)
    print(json.dumps(ensure_dataset(spec, args.cache_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
