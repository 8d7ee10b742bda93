"""Shared data and helpers of the Dask engine's tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

dask = __import__("pytest").importorskip("dask")
import dask.array as da  # noqa: E402
import dask.dataframe as dd  # noqa: E402


def numeric_data(n: int = 1500, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Three overlapping classes with exact ties and duplicate rows (integer-valued features)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-4, 5, size=(n, 4)).astype(np.float64)
    y = np.zeros(n, dtype=np.int64)
    y[rng.random(n) < 0.12] = 1
    y[rng.random(n) < 0.05] = 2
    X[y == 1] += 0.5
    X[10:20] = X[9]  # duplicates across classes
    y[10:15] = 1
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["d"] = frame["d"].astype(np.float32)
    return frame, pd.Series(y, name="label")


def mixed_data(n: int = 1200, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """Continuous, pandas categorical, string and small-integer columns; a value seen only once."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.15).astype(np.int64)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n) + y,
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "town": rng.choice(["a", "b", "c", "d", "e"], n, p=[0.4, 0.3, 0.15, 0.1, 0.05]),
            "level": rng.integers(0, 4, n),
            "z": rng.normal(size=n).astype(np.float32),
        }
    )
    frame.loc[n - 1, "town"] = "rare"  # only in the last partition
    return frame, pd.Series(y, name="label")


def as_frames(X: pd.DataFrame, y: pd.Series, npartitions: int) -> tuple:
    return dd.from_pandas(X, npartitions=npartitions), dd.from_pandas(y, npartitions=npartitions)


def as_arrays(X: np.ndarray, y: np.ndarray, chunks: tuple[int, ...]) -> tuple:
    return da.from_array(X, chunks=(chunks, X.shape[1])), da.from_array(y, chunks=(chunks,))


def uneven_chunks(n: int, parts: int, seed: int) -> tuple[int, ...]:
    """``parts`` shuffled chunk sizes summing to ``n`` (some of them tiny)."""
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(np.arange(1, n), size=parts - 1, replace=False))
    sizes = np.diff(np.concatenate([[0], cuts, [n]]))
    return tuple(int(s) for s in rng.permutation(sizes))
