"""Serving a sampler's searches from a dataset's graphs: the fold runner's side of the reuse.

Inside ``with reuse_dataset_neighbors(dataset, rows=train):`` the engine's
:meth:`~smotekit.neighbors.SearchIndex.query` asks :func:`dataset_graph` first; a
:class:`SubsetView` recognises searches over ``dataset.X[train]`` (or one class's
rows of it) and answers them from :class:`~._dataset.DatasetNeighbors`, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
from scipy import sparse

from ._cache import fingerprint
from ._dataset import ALL_ROWS, EXACT_BACKENDS, DatasetNeighbors, ReuseCounters
from ._graph import NeighborGraph

__all__ = ["SubsetView", "dataset_graph", "reuse_dataset_neighbors"]


class SubsetView:
    """The rows a sampler is about to see: ``dataset.X[rows]``, ``dataset.y[rows]``.

    Made by :func:`reuse_dataset_neighbors`; recognises searches over those rows
    (all of them, or one class's) and answers them from the dataset graphs.

    Attributes
    ----------
    dataset : DatasetNeighbors
    rows : ndarray of int
        Dataset rows, in the order the sampler sees them.
    counters : ReuseCounters
        What was served inside this view.
    """

    def __init__(self, dataset: DatasetNeighbors, rows: Any) -> None:
        self.dataset = dataset
        self.rows = np.asarray(rows, dtype=np.int64).ravel()
        self.counters = ReuseCounters()
        inside = self.rows.size == 0 or (self.rows.min() >= 0 and self.rows.max() < dataset.n_rows)
        distinct = inside and (self.rows.size == 0 or np.bincount(self.rows).max() == 1)
        self.enabled = dataset.servable and distinct
        self._by_size: dict[int, list[tuple[Any, np.ndarray]]] | None = None
        self._prints: dict[int, str] = {}

    def candidates(self, n_rows: int) -> list[tuple[Any, np.ndarray]]:
        """``(label, subset)`` pairs with ``n_rows`` rows: all rows, then each class's."""
        if self._by_size is None:
            self._by_size = {}
            labels = self.dataset.y[self.rows]
            pairs = [(ALL_ROWS, self.rows)]
            pairs += [(c, self.rows[labels == c]) for c in np.unique(labels)]
            for label, subset in pairs:
                self._by_size.setdefault(subset.size, []).append((label, subset))
        return self._by_size.get(n_rows, [])

    def serve(self, index: Any, Q: Any, k: int, exclude: Any) -> NeighborGraph | None:
        """The answer of ``index.query(Q, k, exclude=exclude)``, or None when not servable."""
        X = index.X
        backend = index.backend
        queries = None
        if (
            self.enabled
            and isinstance(backend, str)
            and backend in EXACT_BACKENDS
            and isinstance(X, np.ndarray)
            and X.ndim == 2
            and X.shape[1] == self.dataset.X.shape[1]
            and 1 <= k <= X.shape[0] - 1
        ):
            queries = _self_queries(X, Q, exclude)
        match = self._match(index) if queries is not None else None
        if match is None:
            self.counters.passed += 1
            return None
        label, subset = match

        def search_again(local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return index.engine.kneighbors(X[local], k, exclude=local)

        return self.dataset.answer(
            subset, queries, k, label=label, fallback=search_again, counters=self.counters
        )

    def _match(self, index: Any) -> tuple[Any, np.ndarray] | None:
        pairs = self.candidates(index.X.shape[0])
        if not pairs:
            return None
        if index._fingerprint is None:  # the same lazily computed print SearchIndex keeps
            index._fingerprint = fingerprint(index.X)
        for label, subset in pairs:
            key = id(subset)
            if key not in self._prints:
                self._prints[key] = fingerprint(self.dataset.X[subset])
            if self._prints[key] == index._fingerprint:
                return label, subset
        return None


def _self_queries(X: np.ndarray, Q: Any, exclude: Any) -> np.ndarray | None:
    """Positions of the query rows in X when every query is a row of X excluding itself."""
    if Q is None:
        return np.arange(X.shape[0])
    if exclude is None or sparse.issparse(Q):
        return None
    Q, exclude = np.asarray(Q), np.asarray(exclude)
    if (
        exclude.ndim != 1
        or exclude.dtype.kind not in "iu"
        or Q.shape != (exclude.shape[0], X.shape[1])
    ):
        return None
    if exclude.size and (exclude.min() < 0 or exclude.max() >= X.shape[0]):
        return None
    return exclude.astype(np.int64) if np.array_equal(Q, X[exclude]) else None


_ACTIVE: ContextVar[SubsetView | None] = ContextVar("smotekit_dataset_view", default=None)


def dataset_graph(index: Any, Q: Any, k: int, exclude: Any) -> NeighborGraph | None:
    """Hook of :meth:`SearchIndex.query`: the served answer, or None to search as usual."""
    view = _ACTIVE.get()
    return None if view is None else view.serve(index, Q, k, exclude)


@contextmanager
def reuse_dataset_neighbors(
    data: DatasetNeighbors | Any,
    y: Any = None,
    *,
    rows: Any = None,
    **options: Any,
) -> Iterator[SubsetView]:
    """Answer the searches over ``X[rows]`` (or its classes) from the dataset's graphs.

    Parameters
    ----------
    data : DatasetNeighbors or array-like
        The dataset graphs, or the dataset's ``X`` (then ``y`` is needed and a
        :class:`DatasetNeighbors` is built with ``options``).
    y : array-like or None
        Labels, when ``data`` is ``X``.
    rows : array-like of int or None
        Dataset rows the samplers will see, in their order (a fold's training
        indices); None means all rows.
    **options
        Passed to :class:`DatasetNeighbors` when it is built here.

    Yields
    ------
    SubsetView
        Its ``counters`` say what was served.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> from smotekit.neighbors._dataset import DatasetNeighbors
    >>> from smotekit.neighbors._dataset_reuse import reuse_dataset_neighbors
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(300, 3)), np.array([0] * 240 + [1] * 60)
    >>> data = DatasetNeighbors(X, y, keep_share=0.8)
    >>> train = np.flatnonzero(np.arange(300) % 5 != 0)
    >>> with reuse_dataset_neighbors(data, rows=train) as view:
    ...     _ = SMOTE(random_state=0).fit_resample(X[train], y[train])
    >>> view.counters.served
    1
    """
    if not isinstance(data, DatasetNeighbors):
        if y is None:
            raise ValueError("reuse_dataset_neighbors(X, y): pass y with X.")
        data = DatasetNeighbors(data, y, **options)
    elif y is not None or options:
        raise ValueError("Pass y and options only with X, not with a DatasetNeighbors.")
    view = SubsetView(data, np.arange(data.n_rows) if rows is None else rows)
    token = _ACTIVE.set(view)
    try:
        yield view
    finally:
        _ACTIVE.reset(token)
