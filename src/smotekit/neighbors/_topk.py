"""The one top-k rule: keep each query's k best candidates under the (distance, index) order.

Every exact search ends here.  The exact engine's candidate pairs, the blocked
metric searches and (later) the Dask reduction of per-partition answers all
select with :func:`top_k_pairs` or merge with :func:`merge_top_k`.  The order
is total (distance first, then the smaller index), so selecting the k best of
a union does not depend on how the union was split: merging is associative and
commutative, and a tree of merges in any shape gives the same graph.
"""

from __future__ import annotations

import numpy as np

from ._graph import NeighborGraph

__all__ = ["merge_top_k", "top_k_pairs"]


def top_k_pairs(
    queries: np.ndarray,
    distances: np.ndarray,
    indices: np.ndarray,
    n_queries: int,
    k: int,
    *,
    squared: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best ``(distance, index)`` candidates of every query, from flat pairs.

    Parameters
    ----------
    queries : ndarray of int of shape (n_pairs,)
        Query of every candidate pair, in ``0 .. n_queries - 1``.
    distances : ndarray of float of shape (n_pairs,)
        Distance of every pair (the canonical, exactly computed value).
    indices : ndarray of int of shape (n_pairs,)
        Candidate row of every pair; a query must not list a row twice.
    n_queries : int
        Number of queries; every one must have at least ``k`` candidates.
    k : int
        Neighbours to keep per query.
    squared : bool, default=True
        Whether ``distances`` are squared (square roots are returned).

    Returns
    -------
    distances : ndarray of float64 of shape (n_queries, k)
        Ascending per query (square-rooted when ``squared``).
    indices : ndarray of int64 of shape (n_queries, k)
        Ties broken by the smaller index.

    Examples
    --------
    >>> d, i = top_k_pairs(np.array([0, 0, 0, 1, 1]), np.array([4.0, 1.0, 1.0, 9.0, 0.0]),
    ...                    np.array([7, 5, 2, 1, 3]), n_queries=2, k=2)
    >>> i
    array([[2, 5],
           [3, 1]])
    >>> d
    array([[1., 1.],
           [0., 3.]])
    """
    order = np.lexsort((indices, distances, queries))
    queries, distances, indices = queries[order], distances[order], indices[order]
    first = np.searchsorted(queries, np.arange(n_queries))
    take = (first[:, None] + np.arange(k)).ravel()
    out_indices = indices[take].reshape(n_queries, k).astype(np.int64, copy=False)
    out_distances = distances[take].reshape(n_queries, k).astype(np.float64, copy=False)
    return (np.sqrt(out_distances) if squared else out_distances), out_indices


def merge_top_k(graphs: list[NeighborGraph], k: int) -> NeighborGraph:
    """The k best neighbours of every query among several graphs of the same queries.

    Each graph answers the same queries over its own rows (e.g. one partition
    of the data each), with indices in one common numbering.  A row listed by
    more than one graph is counted once.

    Parameters
    ----------
    graphs : list of NeighborGraph
        Same number of queries each.
    k : int
        Neighbours to keep; at most the number of distinct candidates per query.

    Returns
    -------
    NeighborGraph
        Exact when every input is.

    Examples
    --------
    >>> a = NeighborGraph(np.array([[1.0, 3.0]]), np.array([[8, 2]]))
    >>> b = NeighborGraph(np.array([[1.0, 2.0]]), np.array([[4, 6]]))
    >>> merge_top_k([a, b], 3).indices
    array([[4, 8, 6]])
    """
    if not graphs:
        raise ValueError("merge_top_k needs at least one graph.")
    n_queries = graphs[0].indices.shape[0]
    if any(g.indices.shape[0] != n_queries for g in graphs):
        raise ValueError("Every graph merged must answer the same queries.")
    distances = np.concatenate([g.distances for g in graphs], axis=1)
    indices = np.concatenate([g.indices for g in graphs], axis=1)
    queries = np.repeat(np.arange(n_queries), indices.shape[1])
    distances, indices = distances.ravel(), indices.ravel()
    order = np.lexsort((distances, indices, queries))
    queries, distances, indices = queries[order], distances[order], indices[order]
    fresh = np.ones(indices.shape[0], dtype=bool)
    fresh[1:] = (indices[1:] != indices[:-1]) | (queries[1:] != queries[:-1])
    per_query = np.bincount(queries[fresh], minlength=n_queries)
    if n_queries and per_query.min() < k:
        raise ValueError(
            f"Cannot keep {k} neighbours: a query has only {int(per_query.min())} distinct "
            "candidates among the graphs merged."
        )
    best_d, best_i = top_k_pairs(
        queries[fresh], distances[fresh], indices[fresh], n_queries, k, squared=False
    )
    return NeighborGraph(best_d, best_i, exact=all(g.exact for g in graphs))
