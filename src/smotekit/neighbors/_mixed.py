"""Exact neighbours under the SMOTE-NC distance (continuous features plus categorical mismatches).

``d(a, b)^2 = ||a_cont - b_cont||^2 + med^2 * #{categorical f : a_f != b_f}``
(Chawla et al. 2002, section 6.1), searched among one class's rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._blocked import blocked_self_knn
from ._graph import NeighborGraph
from ._protocol import Capabilities
from ._search import search

__all__ = ["MixedDistanceNeighbors", "compact_codes", "mixed_embedding", "mixed_search"]

# A categorical feature with at most this many levels among the rows searched is
# embedded as a (scaled) one-hot block for the GEMM search under neighbors="auto"
# or "exact"; more levels switch to the blocked mismatch-count search.
ONE_HOT_MAX_LEVELS = 64


def compact_codes(codes: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Re-number every feature's codes to the levels present in these rows.

    Examples
    --------
    >>> compact_codes(np.array([[5], [2], [5]]))[0].ravel()
    array([1, 0, 1])
    """
    compact = np.empty(codes.shape, dtype=np.int64)
    levels = []
    for f in range(codes.shape[1]):
        seen = np.bincount(codes[:, f]) > 0
        rank = np.cumsum(seen) - 1
        compact[:, f] = rank[codes[:, f]]
        levels.append(int(seen.sum()))
    return compact, levels


def mixed_embedding(
    continuous: np.ndarray, compact: np.ndarray, levels: list[int], median_std: float
) -> np.ndarray:
    """Rows whose squared Euclidean distances are exactly the SMOTE-NC distances.

    Feature ``f`` becomes a one-hot block scaled by ``median_std / sqrt(2)`` (one
    column ``median_std * [code == 1]`` for two levels, none for one).
    """
    m, n_continuous = continuous.shape
    widths = [0 if median_std == 0 or n <= 1 else (1 if n == 2 else n) for n in levels]
    embedded = np.zeros((m, n_continuous + sum(widths)), dtype=np.float64)
    embedded[:, :n_continuous] = continuous
    offset = n_continuous
    rows = np.arange(m)
    for f, width in enumerate(widths):
        if width == 1:
            embedded[:, offset] = median_std * compact[:, f]
        elif width > 1:
            embedded[rows, offset + compact[:, f]] = median_std / np.sqrt(2.0)
        offset += width
    return embedded


class MixedDistanceNeighbors:
    """Exact blocked self-query under the SMOTE-NC distance (any number of levels).

    A GEMM gives the continuous part of a block of queries against every row;
    the mismatch counts are added feature by feature; candidates within the
    rounding bound are refined exactly and cut by the top-k rule.

    Parameters
    ----------
    median_std : float
        The ``med`` of the distance.
    """

    exact = True
    capabilities = Capabilities(
        exact=True, exclusion=False, dtypes=("float64",), self_query_only=True
    )

    def __init__(self, median_std: float) -> None:
        self.median_std = median_std

    def fit(self, continuous: np.ndarray, codes: np.ndarray) -> MixedDistanceNeighbors:
        """Keep the rows searched: continuous features and categorical codes."""
        self._values = np.asarray(continuous, dtype=np.float64)
        self._codes = codes
        return self

    def kneighbors(self, Q: None, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
        """``(distances, indices)`` of every fitted row (self-query only, ``Q=None``)."""
        if Q is not None:
            raise ValueError("MixedDistanceNeighbors answers self-queries only (Q=None).")
        values, codes = self._values, self._codes
        centered = values - values.mean(axis=0)
        squares = np.einsum("ij,ij->i", centered, centered)
        weight = self.median_std * self.median_std
        columns = [np.ascontiguousarray(codes[:, f]) for f in range(codes.shape[1])]
        unit = np.finfo(np.float64).eps * 4 * (values.shape[1] + 4)
        largest = float(squares.max(initial=0.0))

        def block(start: int, stop: int) -> np.ndarray:
            scores = centered[start:stop] @ centered.T
            scores *= -2.0
            scores += squares[start:stop, None]
            scores += squares[None, :]
            for column in columns:
                scores += weight * (column[start:stop, None] != column[None, :])
            return scores

        def pairs(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            diff = values[rows] - values[cols]
            mismatches = (codes[rows] != codes[cols]).sum(axis=1)
            return np.square(diff).sum(axis=1) + weight * mismatches

        def margin(start: int, stop: int) -> np.ndarray:
            return unit * (squares[start:stop] + largest) + 1e-300

        return blocked_self_knn(values.shape[0], n_neighbors, block, pairs, margin=margin)


def mixed_search(
    continuous: np.ndarray,
    codes: np.ndarray,
    median_std: float,
    k: int,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> NeighborGraph:
    """k nearest rows of every row (itself excluded) under the SMOTE-NC distance.

    Parameters
    ----------
    continuous : ndarray of shape (m, n_continuous)
        The rows' continuous features.
    codes : ndarray of shape (m, n_categorical)
        Their categorical codes.
    median_std : float
        The ``med`` of the distance.
    k : int
        Neighbours per row.
    backend : str or object, default="auto"
        ``"auto"`` and ``"exact"`` search the one-hot embedding with the exact
        GEMM engine when every feature has at most 64 levels among the rows,
        else run :class:`MixedDistanceNeighbors` (both exact); any other backend
        searches the embedding (its distances are the SMOTE-NC distances).
    n_jobs : int or None
        Threads of the embedded search.

    Returns
    -------
    NeighborGraph
        Local row indices, nearest first, ties by index (exact backends).

    Examples
    --------
    >>> cont = np.array([[0.0], [0.1], [0.2], [5.0]])
    >>> mixed_search(cont, np.array([[0], [1], [0], [0]]), 1.0, 1).indices.ravel()
    array([2, 0, 0, 2])
    """
    compact, levels = compact_codes(codes)
    exact_choice = isinstance(backend, str) and backend in ("auto", "exact")
    if exact_choice and max(levels, default=1) > ONE_HOT_MAX_LEVELS:
        distances, indices = (
            MixedDistanceNeighbors(median_std).fit(continuous, compact).kneighbors(None, k)
        )
        return NeighborGraph(distances, indices, exact=True)
    embedded = mixed_embedding(continuous, compact, levels, median_std)
    return search(embedded, None, k, backend=backend, n_jobs=n_jobs)
