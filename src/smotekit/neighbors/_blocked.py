"""Exact k-nearest-neighbour self-queries for distances given by block and pair functions.

For metrics that are not a Euclidean distance of some embedding (the SMOTE-NC
distance with many levels, the multiclass Value Difference Metric), a search
takes a block of query rows at a time: a (possibly rounded) block of distances
to every row, a per-query bound on its rounding, then the exact distance of
every candidate within twice that bound of the k-th smallest, and the top-k
rule of :mod:`smotekit.neighbors._topk`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._topk import top_k_pairs

__all__ = ["blocked_self_knn"]

# Working-memory budget of one block of distances, in bytes.
_BLOCK_BYTES = 32 * 2**20


def blocked_self_knn(
    n_rows: int,
    k: int,
    block_distances: Callable[[int, int], np.ndarray],
    pair_distances: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    margin: Callable[[int, int], np.ndarray] | None = None,
    bytes_per_row: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest rows of every row among all others, by blocks of queries.

    Parameters
    ----------
    n_rows : int
        Number of rows (queries and candidates are the same rows).
    k : int
        Neighbours per row (self excluded by index).
    block_distances : callable ``(start, stop) -> ndarray (stop - start, n_rows)``
        Squared distances of query rows ``start:stop`` to every row, possibly
        rounded (by at most ``margin``).
    pair_distances : callable ``(queries, rows) -> ndarray``
        The exact squared distances of the given pairs (the canonical value).
    margin : callable ``(start, stop) -> ndarray`` or None
        Per-query bound on the rounding of ``block_distances``; None: exact.
    bytes_per_row : int or None
        Memory of one query row of the block (default ``16 * n_rows``).

    Returns
    -------
    distances : ndarray of shape (n_rows, k)
        Euclidean (square-rooted) distances, ascending.
    indices : ndarray of shape (n_rows, k)
        Ties broken by index.

    Examples
    --------
    >>> x = np.array([0.0, 1.0, 3.0])
    >>> square = lambda a, b: np.square(x[a:b, None] - x[None, :])
    >>> pairs = lambda r, c: np.square(x[r] - x[c])
    >>> blocked_self_knn(3, 1, square, pairs)[1].ravel()
    array([1, 0, 1])
    """
    per_row = bytes_per_row or 16 * n_rows
    block = int(max(1, min(n_rows, _BLOCK_BYTES // max(per_row, 1))))
    distances = np.empty((n_rows, k))
    indices = np.empty((n_rows, k), dtype=np.int64)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        local = np.arange(stop - start)
        scores = block_distances(start, stop)
        scores[local, local + start] = np.inf
        kth = np.partition(scores, k - 1, axis=1)[:, k - 1]
        if margin is not None:
            kth = kth + 2.0 * margin(start, stop)
        rows, cols = np.nonzero(scores <= kth[:, None])
        keep = rows + start != cols
        rows, cols = rows[keep], cols[keep]
        exact = pair_distances(rows + start, cols)
        distances[start:stop], indices[start:stop] = top_k_pairs(rows, exact, cols, stop - start, k)
    return distances, indices
