"""A neighbour graph computed once and reused for every smaller k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NeighborGraph"]


@dataclass(frozen=True)
class NeighborGraph:
    """The k nearest neighbours of a set of query rows, sorted by distance.

    Computed once with the largest k a caller needs, it serves every smaller k
    (the first ``k`` columns of an exact graph are the exact k-graph), so a
    sweep over ``k_neighbors`` or several samplers sharing a query costs one
    search.

    Parameters
    ----------
    distances : ndarray of shape (n_queries, k)
        Euclidean distances, ascending per row.
    indices : ndarray of shape (n_queries, k)
        Row indices into the searched set, ties broken by index.
    exact : bool
        Whether the graph came from an exact backend.

    Examples
    --------
    >>> import numpy as np
    >>> g = NeighborGraph(np.array([[1.0, 2.0, 3.0]]), np.array([[4, 7, 1]]), exact=True)
    >>> g.k
    3
    >>> g.first(2).indices
    array([[4, 7]])
    """

    distances: np.ndarray
    indices: np.ndarray
    exact: bool = True

    @property
    def k(self) -> int:
        """Number of neighbours stored per query."""
        return int(self.indices.shape[1])

    def first(self, k: int) -> NeighborGraph:
        """The graph restricted to the ``k`` nearest neighbours.

        Raises
        ------
        ValueError
            If ``k`` exceeds the number of stored neighbours.
        """
        if k > self.k:
            raise ValueError(f"This graph holds {self.k} neighbours per row; asked for {k}.")
        return NeighborGraph(self.distances[:, :k], self.indices[:, :k], self.exact)
