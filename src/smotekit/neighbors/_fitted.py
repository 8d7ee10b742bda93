"""The searches a sampler ran, exposed as fitted ``NearestNeighbors``-like objects.

imbalanced-learn's samplers expose their fitted neighbour estimators (``nn_k_``,
``nn_m_``, ``nn_``).  smotekit's are :class:`FittedNeighbors`: the rows searched,
``n_neighbors = k + 1`` (a row counts itself, as in scikit-learn) and a
``kneighbors`` answered by smotekit's engine, so nothing is searched twice and the
fast engine is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse

from ._graph import NeighborGraph
from ._search import search

__all__ = ["FittedNeighbors"]


class FittedNeighbors:
    """A fitted nearest-neighbour estimator over the rows a sampler searched.

    Parameters
    ----------
    n_neighbors : int
        Neighbours per query, the row itself included (``k + 1``).
    rows : ndarray or sparse matrix of shape (n_rows, n_features)
        The rows searched (as the sampler saw them).
    backend : str or object, default="auto"
        The backend for new queries (see :func:`smotekit.neighbors.search`).
    self_query : callable ``k -> NeighborGraph`` or None
        For non-Euclidean searches (SMOTE-NC, VDM): the graph of the rows
        themselves; new query rows are then not supported.

    Attributes
    ----------
    n_samples_fit_ : int
    n_features_in_ : int

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> nn = FittedNeighbors(2, X)
    >>> nn.kneighbors(return_distance=False)  # each row's nearest other row
    array([[1],
           [0],
           [1]])
    >>> nn.kneighbors(np.array([[2.9]]), return_distance=False)  # itself counts
    array([[2, 1]])
    """

    def __init__(
        self,
        n_neighbors: int,
        rows: Any,
        backend: Any = "auto",
        *,
        self_query: Callable[[int], NeighborGraph] | None = None,
    ) -> None:
        self.n_neighbors = int(n_neighbors)
        self._rows, self._backend, self._self_query = rows, backend, self_query
        self.n_samples_fit_ = int(rows.shape[0])
        self.n_features_in_ = int(rows.shape[1])

    def __repr__(self) -> str:
        return (
            f"FittedNeighbors(n_neighbors={self.n_neighbors}, n_samples_fit={self.n_samples_fit_})"
        )

    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Neighbours of ``X`` among the fitted rows (scikit-learn's semantics).

        ``X=None`` queries the fitted rows, each without itself (``n_neighbors - 1``
        by default); rows of ``X`` count identical fitted rows.
        """
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        if X is None:
            k = k - 1 if n_neighbors is None else k
            if self._self_query is not None:
                graph = self._self_query(k)
            else:
                graph = search(self._rows, None, k, backend=self._backend)
        else:
            if self._self_query is not None:
                raise ValueError(
                    "This neighbour search is under a categorical distance of the fitted rows "
                    "only (SMOTE-NC or VDM); query it with X=None."
                )
            Q = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
            graph = search(self._rows, Q, k, backend=self._backend)
        return (graph.distances, graph.indices) if return_distance else graph.indices

    def kneighbors_graph(
        self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"
    ) -> sparse.csr_matrix:
        """The neighbours as a sparse (n_queries, n_samples_fit) matrix, as scikit-learn's."""
        distances, indices = self.kneighbors(X, n_neighbors, return_distance=True)
        n_queries, k = indices.shape
        data = np.ones(indices.size) if mode == "connectivity" else distances.ravel()
        indptr = np.arange(0, n_queries * k + 1, k)
        return sparse.csr_matrix(
            (data, indices.ravel(), indptr), shape=(n_queries, self.n_samples_fit_)
        )
