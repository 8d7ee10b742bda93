"""Nearest neighbours among the rows that remain, kept up to date as rows are removed.

Iterative cleaners (repeated editing, AllKNN) ask, round after round, for the
``k`` nearest rows of each row *among the rows still present*.  Searching again
every round is what makes them slow.  :class:`RemainingNeighbors` searches once
with a wider list (``width`` neighbours) and answers later rounds from it: under
the total ``(distance, index)`` order of an exact search, the first ``k`` rows
of a stored list that are still present *are* the ``k`` nearest remaining rows,
as long as at least ``k`` of them remain.  Only a row whose list ran out is
searched again (among the remaining rows), so the answer always equals a fresh
search of the remaining rows, at a fraction of its cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..neighbors import SearchIndex
from ._edited import rows_neighbors

__all__ = ["RemainingNeighbors"]


class RemainingNeighbors:
    """The k nearest remaining rows of any remaining row, from one wide search.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        All rows (every row remains at first).
    width : int
        Neighbours stored per row (at least the largest ``k`` asked for; more
        makes re-searches rarer).
    backend : str or object, default="auto"
        Neighbour backend (see :func:`smotekit.neighbors.make_backend`).
    n_jobs : int or None, default=None
        Threads for the searches.

    Attributes
    ----------
    searches : int
        Searches run so far.
    rows_searched : int
        Rows whose list was (re)computed on request.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    >>> nn = RemainingNeighbors(X, width=2)
    >>> nn.neighbors(np.array([0, 1]), 2).tolist()
    [[1, 2], [0, 2]]
    >>> nn.remove(np.array([1]))
    >>> nn.neighbors(np.array([0, 2]), 2).tolist()  # row 0's list ran out: searched again
    [[2, 3], [0, 3]]
    """

    def __init__(
        self, X: Any, width: int, backend: Any = "auto", n_jobs: int | None = None
    ) -> None:
        n_rows = int(X.shape[0])
        self.X, self.width, self.backend, self.n_jobs = X, int(width), backend, n_jobs
        self._lists = np.full((n_rows, self.width), -1, dtype=np.intp)
        self._stored = np.zeros(n_rows, dtype=bool)
        # One extra entry, always False: where the padding index -1 points.
        self._alive = np.ones(n_rows + 1, dtype=bool)
        self._alive[-1] = False
        self._full_index: SearchIndex | None = None
        self.searches = 0
        self.rows_searched = 0

    @property
    def remaining(self) -> np.ndarray:
        """The rows still present, in row order."""
        return np.flatnonzero(self._alive[:-1])

    def remove(self, rows: np.ndarray) -> None:
        """Remove ``rows``: they are nobody's neighbour from now on."""
        self._alive[np.asarray(rows, dtype=np.intp)] = False

    def neighbors(self, rows: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` nearest remaining rows of each of ``rows`` (remaining rows).

        Parameters
        ----------
        rows : ndarray of int
            Remaining rows.
        k : int
            Neighbours per row, its own row excluded; at most ``width`` and
            fewer than the number of remaining rows.

        Returns
        -------
        ndarray of int of shape (len(rows), k)
            Nearest first, ties broken by index (exact backends).
        """
        rows = np.asarray(rows, dtype=np.intp)
        if k > self.width:
            raise ValueError(f"{k} neighbours asked of lists of {self.width}.")
        n_remaining = int(self._alive[:-1].sum())
        if n_remaining < k + 1:
            raise ValueError(
                f"Only {n_remaining} rows remain, too few for {k} neighbours each "
                f"({k + 1} rows needed)."
            )
        if not np.all(self._alive[rows]):
            raise ValueError("Neighbours were asked of rows already removed.")
        if rows.size == 0:
            return np.empty((0, k), dtype=np.intp)
        missing = rows[~self._stored[rows]]
        if missing.size:
            self._search(missing)
        lists = self._lists[rows]
        present = self._alive[lists]
        short = present.sum(axis=1) < k
        if short.any():
            self._search(rows[short])
            lists[short] = self._lists[rows[short]]
            present[short] = self._alive[lists[short]]
        take = present & (np.cumsum(present, axis=1) <= k)
        return lists[take].reshape(rows.size, k)

    def _search(self, rows: np.ndarray) -> None:
        """Fresh lists for ``rows`` among the remaining rows (more rows if that is cheaper)."""
        remaining = self.remaining
        width = min(self.width, remaining.size - 1)
        if remaining.size == self._lists.shape[0]:
            if self._full_index is None:
                self._full_index = SearchIndex(self.X, self.backend, self.n_jobs)
            covered, graph = rows_neighbors(self.X, rows, width, index=self._full_index)
            found = graph.indices
        else:
            positions = np.searchsorted(remaining, rows)
            covered, graph = rows_neighbors(
                self.X[remaining], positions, width, backend=self.backend, n_jobs=self.n_jobs
            )
            covered, found = remaining[covered], remaining[graph.indices]
        self._lists[covered] = -1
        self._lists[covered, :width] = found
        self._stored[covered] = True
        self.searches += 1
        self.rows_searched += int(rows.size)
