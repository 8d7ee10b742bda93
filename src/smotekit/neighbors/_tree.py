"""Exact neighbours from scikit-learn's KD-tree, for low-dimensional data."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import KDTree

from .._threads import effective_n_jobs
from ._protocol import Capabilities, check_exclusions

__all__ = ["TreeNeighbors"]


class TreeNeighbors:
    """Exact Euclidean k-nearest neighbours with a KD-tree.

    Fast when the data have few dimensions (roughly ``n_features <= 8``);
    brute force (:class:`ExactNeighbors`) wins above that.  Results follow the
    backend contract: sorted by distance, ties broken by row index, one row per
    query optionally excluded by index.

    Parameters
    ----------
    n_jobs : int or None, default=None
        Accepted for a uniform interface; the tree query runs in one thread.
    leaf_size : int, default=40
        Passed to :class:`sklearn.neighbors.KDTree`.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import TreeNeighbors
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [5.0, 5.0]])
    >>> TreeNeighbors().fit(X).kneighbors(None, 1)[1].ravel()
    array([1, 0, 0, 2])
    """

    exact = True
    capabilities = Capabilities(exact=True, dtypes=("float64",))

    def __init__(self, *, n_jobs: int | None = None, leaf_size: int = 40) -> None:
        self.n_jobs = n_jobs
        self.leaf_size = leaf_size

    def fit(self, X: np.ndarray) -> TreeNeighbors:
        """Build the tree over the rows of ``X``."""
        self._X = np.asarray(X, dtype=np.float64)
        self._tree = KDTree(self._X, leaf_size=self.leaf_size)
        effective_n_jobs(self.n_jobs)
        return self

    def kneighbors(
        self,
        Q: np.ndarray | None,
        n_neighbors: int,
        *,
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Find the ``n_neighbors`` nearest fitted rows of each query row.

        See :meth:`smotekit.neighbors.ExactNeighbors.kneighbors`.
        """
        n_rows = self._X.shape[0]
        if Q is None:
            Q, exclude = self._X, np.arange(n_rows)
        Q = np.asarray(Q, dtype=np.float64)
        exclude = check_exclusions(n_rows, Q.shape[0], n_neighbors, exclude)
        # One extra neighbour covers the excluded row; a second one reveals a tie
        # at the boundary, which is then resolved by index over the tied radius.
        n_ask = min(n_rows, n_neighbors + 2)
        _, ind = self._tree.query(Q, k=n_ask)
        # Canonical float64 distances (as every exact backend computes them),
        # excluded entry moved to the end, rows ordered by (distance, index).
        dist = self._distances(Q, ind)  # squared until the end
        excluded = ind == exclude[:, None]
        dist[excluded] = np.inf
        order = np.lexsort((ind, dist), axis=-1)
        dist = np.take_along_axis(dist, order, axis=1)
        ind = np.take_along_axis(ind, order, axis=1)
        kept = n_ask - excluded.any(axis=1)
        boundary = dist[:, n_neighbors - 1]
        after = np.where(kept > n_neighbors, dist[:, min(n_neighbors, n_ask - 1)], np.inf)
        # A row is settled unless the next candidate (nearly) ties the k-th.
        unsure = (after <= boundary * (1 + 1e-9)) | ((kept <= n_neighbors) & (n_ask < n_rows))
        dist_out = dist[:, :n_neighbors].copy()
        ind_out = ind[:, :n_neighbors].astype(np.int64)
        for i in np.flatnonzero(unsure):
            radius = np.sqrt(boundary[i]) * (1 + 1e-9) + 1e-300
            j_i = self._tree.query_radius(Q[i : i + 1], r=radius)[0]
            j_i = j_i[j_i != exclude[i]]
            d_i = self._distances(Q[i : i + 1], j_i[None, :])[0]
            best = np.lexsort((j_i, d_i))[:n_neighbors]
            dist_out[i], ind_out[i] = d_i[best], j_i[best]
        return np.sqrt(dist_out), ind_out

    def _distances(self, Q: np.ndarray, ind: np.ndarray) -> np.ndarray:
        """Squared Euclidean distances from each query to its candidate rows ``ind``."""
        out = np.empty(ind.shape, dtype=np.float64)
        step = max(1, 2**22 // max(1, ind.shape[1] * Q.shape[1]))
        for a in range(0, Q.shape[0], step):
            diff = self._X[ind[a : a + step]] - Q[a : a + step, None, :]
            out[a : a + step] = np.square(diff).sum(axis=2)
        return out
