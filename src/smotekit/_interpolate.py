"""The one kernel that makes synthetic rows: ``x_seed + gap * (x_neighbour - x_seed)``.

Rows are written straight into the preallocated output, a chunk at a time, so the
only temporary is one chunk of neighbour rows; the result does not depend on the
chunk size.  Sparse input stays sparse.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np
from scipy import sparse

__all__ = [
    "copy_rows_into",
    "interpolate_dense_into",
    "interpolate_sparse",
    "needs_wide_arithmetic",
]

_PARALLEL_MIN_BYTES = 32 * 2**20


def _split(n: int, parts: int) -> list[tuple[int, int]]:
    edges = np.linspace(0, n, parts + 1).astype(int)
    return [(int(a), int(b)) for a, b in pairwise(edges) if b > a]


def _run_parallel(n: int, row_bytes: int, n_jobs: int, job) -> None:
    """Run ``job(start, stop)`` over ``range(n)`` in threads when it is worth it."""
    if n_jobs <= 1 or n * row_bytes < _PARALLEL_MIN_BYTES:
        job(0, n)
        return
    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        list(pool.map(lambda bounds: job(*bounds), _split(n, n_jobs)))


def copy_rows_into(X: np.ndarray, out: np.ndarray, n_jobs: int = 1) -> None:
    """``out[:] = X`` in ``n_jobs`` threads (numpy releases the GIL while copying)."""

    def job(start: int, stop: int) -> None:
        out[start:stop] = X[start:stop]

    _run_parallel(X.shape[0], X.shape[1] * X.itemsize, n_jobs, job)


_CHUNK_BYTES = 8 * 2**20


def interpolate_dense_into(
    X: np.ndarray,
    seeds: np.ndarray,
    neighbors: np.ndarray | None,
    gaps: np.ndarray | None,
    out: np.ndarray,
    n_jobs: int = 1,
    *,
    noise: np.ndarray | None = None,
    wide: bool | None = None,
) -> None:
    """Write ``X[seeds] + gaps * (X[neighbors] - X[seeds]) (+ noise)`` into ``out``.

    Values within a factor 4 of the dtype's largest are interpolated overflow-free
    (``wide``): float32 rows in float64 arithmetic, float64 rows as
    ``(1 - gap) * x_seed + gap * x_neighbour``, so a synthetic value is never
    infinite when its seed and neighbour are finite.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
    seeds : ndarray of int of shape (n_new,)
        Row indices into ``X``.
    neighbors : ndarray of int of shape (n_new,) or None
        Row indices into ``X``; None copies the seeds (no interpolation).
    gaps : ndarray of float of shape (n_new,) or None
        Positions on the segments, in [0, 1] (unused without ``neighbors``); a
        negative gap extrapolates beyond the seed, away from the neighbour
        (overflow-free for gaps >= -1 while values are within the factor 4).
    out : ndarray of shape (n_new, n_features)
        Destination, same dtype as ``X``.
    n_jobs : int, default=1
        Threads; the result does not depend on it.
    noise : ndarray of shape (n_new, n_features) or None
        Added to every row, in ``X``'s dtype.
    wide : bool or None
        Use the overflow-free arithmetic; None decides from ``X``'s largest value.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0]])
    >>> out = np.empty((1, 2))
    >>> interpolate_dense_into(X, np.array([0]), np.array([1]), np.array([0.25]), out)
    >>> out
    array([[0.5, 1. ]])
    """

    if wide is None:
        wide = neighbors is not None and needs_wide_arithmetic(X)

    def job(first: int, last: int) -> None:
        step = max(256, _CHUNK_BYTES // max(1, X.shape[1] * X.itemsize))
        for start in range(first, last, step):
            stop = min(start + step, last)
            block = out[start:stop]
            # mode="clip": indices are valid, and "raise" would buffer ``out``.
            np.take(X, seeds[start:stop], axis=0, out=block, mode="clip")
            if neighbors is not None and wide:
                _interpolate_wide(X, block, neighbors[start:stop], gaps[start:stop])
            elif neighbors is not None:
                delta = np.take(X, neighbors[start:stop], axis=0)
                delta -= block
                delta *= gaps[start:stop, None].astype(X.dtype, copy=False)
                block += delta
            if noise is not None:
                block += noise[start:stop].astype(X.dtype, copy=False)

    _run_parallel(seeds.shape[0], X.shape[1] * X.itemsize, n_jobs, job)


def needs_wide_arithmetic(X: np.ndarray) -> bool:
    """Whether differences of rows of ``X`` could overflow its dtype.

    Examples
    --------
    >>> needs_wide_arithmetic(np.array([[3e38, -3e38]], dtype=np.float32))
    True
    """
    if X.size == 0 or X.dtype.kind != "f":
        return False
    return bool(np.abs(X).max() > np.finfo(X.dtype).max / 4)


def _interpolate_wide(
    X: np.ndarray, block: np.ndarray, neighbors: np.ndarray, gaps: np.ndarray
) -> None:
    """``block`` (the seeds) moved towards ``X[neighbors]`` without overflow."""
    gap = gaps[:, None]
    if X.dtype == np.float32:
        seed = block.astype(np.float64)
        seed += gap * (np.take(X, neighbors, axis=0).astype(np.float64) - seed)
        block[:] = seed
        return
    step = np.take(X, neighbors, axis=0) * gap
    block *= 1.0 - gap
    block += step


def interpolate_sparse(
    X: sparse.csr_matrix,
    seeds: np.ndarray,
    neighbors: np.ndarray | None,
    gaps: np.ndarray | None,
    *,
    noise: np.ndarray | None = None,
) -> sparse.csr_matrix:
    """Sparse version of :func:`interpolate_dense_into`, returning CSR rows.

    With ``noise`` the new rows are dense anyway (noise fills every entry).
    """
    if neighbors is None:
        rows = X[seeds]
        if noise is None:
            return sparse.csr_matrix(rows)
        dtype = np.result_type(X.dtype, np.float32)
        return sparse.csr_matrix(rows.toarray().astype(dtype) + noise.astype(dtype))
    gaps = gaps.astype(X.dtype, copy=False)
    seed_rows = sparse.diags(1 - gaps) @ X[seeds]
    neighbor_rows = sparse.diags(gaps) @ X[neighbors]
    out = (seed_rows + neighbor_rows).tocsr()
    out.sort_indices()
    return out
