"""Exact neighbours under the Value Difference Metric of purely categorical rows.

``VDM(a, b) = sum_f (sum_c |p(c | a_f) - p(c | b_f)|)^2`` (Stanfill & Waltz 1986;
imbalanced-learn's ``ValueDifferenceMetric`` with ``k=1, r=2``), where
``p(c | v)`` is the share of class ``c`` among the rows whose feature ``f`` is ``v``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._blocked import blocked_self_knn
from ._graph import NeighborGraph
from ._protocol import Capabilities
from ._search import search

__all__ = ["VDMNeighbors", "vdm_search", "vdm_tables"]

# Distinct probability rows of a feature up to which its pairwise table is kept.
TABLE_MAX_ROWS = 2048
# ... and up to which the feature joins the GEMM (one-hot of its distinct rows).
GEMM_MAX_ROWS = 256


def vdm_tables(codes: np.ndarray, y_index: np.ndarray, n_levels: list[int]) -> list[np.ndarray]:
    """Class-conditional value frequencies ``p(c | v)`` of every feature.

    Parameters
    ----------
    codes : ndarray of shape (n_rows, n_features)
        Codes of all rows.
    y_index : ndarray of int of shape (n_rows,)
        Class of every row as ``0 .. n_classes - 1``.
    n_levels : list of int
        Number of codes of every feature.

    Returns
    -------
    list of ndarray of shape (n_levels[f], n_classes)
        Row ``v`` of table ``f`` holds ``p(c | x_f = v)`` (zeros for a code that
        never occurs).

    Examples
    --------
    >>> vdm_tables(np.array([[0], [0], [1]]), np.array([0, 1, 1]), [2])[0]
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    n_classes = int(y_index.max()) + 1
    tables = []
    for f, n in enumerate(n_levels):
        flat = codes[:, f].astype(np.int64) * n_classes + y_index
        counts = np.bincount(flat, minlength=n * n_classes).reshape(n, n_classes)
        totals = counts.sum(axis=1, keepdims=True)
        tables.append(counts / np.maximum(totals, 1))
    return tables


class VDMNeighbors:
    """Exact blocked VDM self-query for any number of classes.

    Feature ``f`` maps every row to its distinct probability row ``u`` and has a
    table ``T_f[u, w]`` of squared VDM terms.  For features with few distinct
    rows, ``sum_f T_f[u_f, w_f]`` of a block of queries against all rows is one
    GEMM of ``[T_f[u_f, :]]_f`` with the one-hot matrix of ``w``; other features
    add table look-ups (or, with very many distinct rows, direct L1 sums).  The
    block's rounding is bounded and candidates are refined by the exact sums in
    feature order, ties broken by index.

    Parameters
    ----------
    tables : list of ndarray
        :func:`vdm_tables` of the whole data.
    """

    exact = True
    capabilities = Capabilities(exact=True, exclusion=False, dtypes=(), self_query_only=True)

    def __init__(self, tables: list[np.ndarray]) -> None:
        self.tables = tables

    def fit(self, codes: np.ndarray) -> VDMNeighbors:
        """Keep the codes of the rows searched."""
        self._codes = codes
        return self

    def kneighbors(self, Q: None, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
        """``(distances, indices)`` of every fitted row (self-query only, ``Q=None``)."""
        if Q is not None:
            raise ValueError("VDMNeighbors answers self-queries only (Q=None).")
        codes, tables = self._codes, self.tables
        m = codes.shape[0]
        left, right, lookups, gathered, direct = [], [], [], [], []
        bound = 0.0
        for f, table in enumerate(tables):
            distinct, inverse = np.unique(table[codes[:, f]], axis=0, return_inverse=True)
            inverse = inverse.ravel()
            if distinct.shape[0] > TABLE_MAX_ROWS:
                direct.append((distinct, inverse))
                bound += 4.0 * distinct.shape[0]
                continue
            squares = np.square(np.abs(distinct[:, None, :] - distinct[None, :, :]).sum(axis=2))
            bound += float(squares.max(initial=0.0))
            lookups.append((squares, inverse))
            if distinct.shape[0] <= GEMM_MAX_ROWS:
                left.append(squares[inverse])
                right.append(np.eye(distinct.shape[0])[inverse])
            else:
                gathered.append((squares, inverse))
        queries = np.hstack(left) if left else None
        one_hot = np.hstack(right) if right else None
        depth = (queries.shape[1] if queries is not None else 0) + len(tables) + 4
        rounding = 4.0 * depth * np.finfo(np.float64).eps * bound

        def block(start: int, stop: int) -> np.ndarray:
            if queries is not None:
                scores = queries[start:stop] @ one_hot.T
            else:
                scores = np.zeros((stop - start, m))
            for squares, inverse in gathered:
                scores += squares[inverse[start:stop]][:, inverse]
            for distinct, inverse in direct:
                query, rows = distinct[inverse[start:stop]], distinct[inverse]
                scores += np.square(np.abs(query[:, None, :] - rows[None, :, :]).sum(axis=2))
            return scores

        def pairs(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            total = np.zeros(rows.shape[0])
            for squares, inverse in lookups:
                total += squares[inverse[rows], inverse[cols]]
            for distinct, inverse in direct:
                total += np.square(
                    np.abs(distinct[inverse[rows]] - distinct[inverse[cols]]).sum(axis=1)
                )
            return total

        def margin(start: int, stop: int) -> np.ndarray:
            return np.full(stop - start, rounding)

        n_classes = tables[0].shape[1]
        per_row = 8 * m * (3 + (n_classes if direct else 0))
        return blocked_self_knn(m, n_neighbors, block, pairs, margin=margin, bytes_per_row=per_row)


def vdm_search(
    codes: np.ndarray,
    tables: list[np.ndarray],
    k: int,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> NeighborGraph:
    """k nearest rows of every row (itself excluded) under the VDM.

    Parameters
    ----------
    codes : ndarray of shape (m, n_features)
        Codes of the rows searched (one class).
    tables : list of ndarray
        :func:`vdm_tables` of the whole data.
    k : int
        Neighbours per row.
    backend : str or object, default="auto"
        With two classes ``sum_c |p(c|v) - p(c|w)| = 2 |p(1|v) - p(1|w)|``, so the
        VDM is the squared Euclidean distance of the embedding ``e_f(v) = 2 p(1|v)``
        and any backend searches it.  With more classes the VDM is no Euclidean
        distance of any embedding: only ``"auto"`` or ``"exact"`` (the exact
        :class:`VDMNeighbors`) apply, and another choice is an error.
    n_jobs : int or None
        Threads of the embedded search.

    Returns
    -------
    NeighborGraph
        Local row indices, nearest first, ties broken by index (exact search).

    Raises
    ------
    ValueError
        For a backend other than ``"auto"``/``"exact"`` with more than two classes.

    Examples
    --------
    >>> codes = np.array([[0], [1], [2], [0]])
    >>> tables = [np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])]
    >>> vdm_search(codes, tables, 1).indices.ravel()
    array([3, 2, 1, 0])
    """
    n_classes = tables[0].shape[1] if tables else 2
    if n_classes == 2:
        embedded = np.column_stack([2.0 * table[codes[:, f], 1] for f, table in enumerate(tables)])
        return search(embedded, None, k, backend=backend, n_jobs=n_jobs)
    if not (isinstance(backend, str) and backend in ("auto", "exact")):
        name = backend if isinstance(backend, str) else type(backend).__name__
        raise ValueError(
            f"neighbors={name!r} cannot search the Value Difference Metric of a target with "
            f"{n_classes} classes: it is not a Euclidean distance of any embedding, so only "
            "smotekit's exact blocked VDM search applies. Use neighbors='auto' or 'exact' "
            "(or a binary target)."
        )
    distances, indices = VDMNeighbors(tables).fit(codes).kneighbors(None, k)
    return NeighborGraph(distances, indices, exact=True)
