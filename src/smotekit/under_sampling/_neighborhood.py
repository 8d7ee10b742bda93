"""Neighbourhoods among all rows: the one search the cleaning samplers share.

Tomek links, the edited nearest neighbours rules, the neighbourhood cleaning
rule and one-sided selection all ask the same question: for these rows, which
rows of the whole data are nearest (each row excluding itself)?  They ask it
here, through the shared neighbour engine (exact by default, ties broken by
index, any backend the user passes), and then apply their rule to the graph as
a pure function.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from ..neighbors import NeighborGraph, SearchIndex

__all__ = ["all_rows_neighbors", "check_enough_rows", "tomek_link_mask"]


def check_enough_rows(n_rows: int, k: int, parameter: str, owner: str) -> None:
    """A clear error when the data has too few rows for ``k`` neighbours each.

    Parameters
    ----------
    n_rows : int
        Rows of the data searched.
    k : int
        Neighbours per row (its own row excluded).
    parameter : str
        The parameter that set ``k`` (named in the message).
    owner : str
        The sampler (named in the message).

    Raises
    ------
    ValueError
        If ``n_rows < k + 1``.
    """
    if n_rows < k + 1:
        raise ValueError(
            f"{owner} needs {k} neighbours for every row ({parameter}={k}), so at least "
            f"{k + 1} rows; X has {n_rows}. Use {parameter} <= {max(n_rows - 1, 1)}."
        )


def all_rows_neighbors(
    X: Any,
    k: int,
    *,
    queries: np.ndarray | None = None,
    backend: Any = "auto",
    n_jobs: int | None = None,
    index: SearchIndex | None = None,
) -> NeighborGraph:
    """The ``k`` nearest rows of ``X`` for some of its rows, each excluding itself.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        All rows.
    k : int
        Neighbours per query row.
    queries : ndarray of int or None, default=None
        The rows queried (indices into ``X``); None queries every row (the
        engine then uses its symmetric self-search, about half the work).
    backend : str or object, default="auto"
        Neighbour backend (see :func:`smotekit.neighbors.make_backend`).
    n_jobs : int or None, default=None
        Worker threads.
    index : SearchIndex or None, default=None
        An index already fitted on ``X`` (reused across calls).

    Returns
    -------
    NeighborGraph
        Indices into ``X``, nearest first, ties broken by index.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [3.5]])
    >>> all_rows_neighbors(X, 1).indices.ravel()
    array([1, 0, 3, 2])
    >>> all_rows_neighbors(X, 2, queries=np.array([3])).indices
    array([[2, 1]])
    """
    index = index if index is not None else SearchIndex(X, backend, n_jobs)
    if queries is None:
        return index.query(None, k)
    queries = np.asarray(queries, dtype=np.intp)
    rows = X[queries]
    if sparse.issparse(rows):
        rows = rows.toarray()
    return index.query(np.asarray(rows), k, exclude=queries)


def tomek_link_mask(nearest: np.ndarray, y: np.ndarray, targeted: Any) -> np.ndarray:
    """Rows in a Tomek link whose class is targeted.

    Two rows form a Tomek link when each is the other's nearest neighbour and
    their classes differ (Tomek, 1976).

    Parameters
    ----------
    nearest : ndarray of int of shape (n_rows,)
        The nearest other row of every row (ties broken by index).
    y : ndarray of shape (n_rows,)
        Labels.
    targeted : collection
        The classes whose linked rows are flagged (the other end of a link is
        flagged only when its class is targeted too).

    Returns
    -------
    ndarray of bool of shape (n_rows,)

    Examples
    --------
    >>> nearest = np.array([1, 0, 3, 2])
    >>> y = np.array([0, 1, 0, 0])
    >>> tomek_link_mask(nearest, y, {0}).tolist()
    [True, False, False, False]
    """
    nearest = np.asarray(nearest, dtype=np.intp)
    mutual = nearest[nearest] == np.arange(nearest.shape[0])
    linked = mutual & (y[nearest] != y)
    return linked & np.isin(y, np.asarray(list(targeted), dtype=y.dtype))
