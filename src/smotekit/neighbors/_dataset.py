"""Exact neighbour graphs of a whole dataset, answering the searches of its subsets (CV folds).

A fold's training rows are a subset ``S`` of the dataset.  If a row's ``K'``
nearest dataset neighbours are listed in ``(distance, index)`` order, its ``k``
nearest within ``S`` are the first ``k`` listed rows that lie in ``S``, provided
at least ``k`` do (a row of ``S`` missing from the list is at least as far as the
list's end, and later in index order).  Rows with fewer are searched again
against ``S`` (the *fallback*).  When ``S`` is not in dataset order (a shuffle
split) the survivors are re-sorted by local index, and a row is served only if
its ``k``-th survivor is strictly nearer than its list's end.  Every exact
backend computes the same float64 distances and breaks ties by index, so the
answers equal the exact search of ``S`` bit for bit.  ``K'`` is the smallest
count keeping ``k`` survivors with probability ``1 - miss_rate`` when each row is
kept with probability ``keep_share``.

Graphs are built lazily: within each class, and among all rows for the rows of
each class (over-samplers only query their own class's rows).  Inside
``with reuse_dataset_neighbors(dataset, rows=train):`` (:mod:`._dataset_reuse`), a
:meth:`~smotekit.neighbors.SearchIndex.query` is answered here when its searched
rows have the content of ``dataset.X[train]`` (or of one class's rows of it), its
queries are rows of those, each excluding itself by index, and its backend is
``"auto"``, ``"exact"`` or ``"tree"``; anything else falls through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.stats import binom

from .._validation import check_numeric_X
from ._exact import ExactNeighbors
from ._graph import NeighborGraph

__all__ = ["ALL_ROWS", "EXACT_BACKENDS", "DatasetNeighbors", "ReuseCounters"]

#: Backend names whose answers are exact (ties by index), and so servable.
EXACT_BACKENDS = ("auto", "exact", "tree")
_QUERY_CHUNK = 65536


class _AllRows:
    """The ``label`` of a subset spanning every class (searched among all rows)."""

    def __repr__(self) -> str:
        return "ALL_ROWS"

    def __reduce__(self) -> str:
        return "ALL_ROWS"


ALL_ROWS = _AllRows()

Fallback = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class ReuseCounters:
    """What dataset-level reuse did.

    Attributes
    ----------
    served : int
        Search requests answered from the dataset graphs.
    served_rows : int
        Query rows answered from the graphs.
    fallback_rows : int
        Query rows searched again against the subset (too few surviving neighbours).
    passed : int
        Requests not recognised (other rows, queries or backend), left to the normal search.
    searches : int
        Dataset-level graph searches run.
    """

    served: int = 0
    served_rows: int = 0
    fallback_rows: int = 0
    passed: int = 0
    searches: int = 0

    def add(self, other: ReuseCounters | dict[str, int]) -> None:
        """Add another set of counters (or their dict) to these."""
        values = other if isinstance(other, dict) else asdict(other)
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + int(value))

    def as_dict(self) -> dict[str, int]:
        """The counters as a plain dict."""
        return asdict(self)


class DatasetNeighbors:
    """Exact neighbour graphs of a whole dataset, built lazily, answering subsets' searches.

    Parameters
    ----------
    X : array-like of shape (n_rows, n_features)
        The dataset as samplers will see its rows (dense and numeric; validated
        as the samplers validate it).
    y : array-like of shape (n_rows,)
        Labels.
    keep_share : float, default=0.5
        Share of rows a subset keeps (the training share of the folds); sets ``K'``.
    miss_rate : float, default=0.01
        Target share of query rows needing a fallback search.
    k_hint : int or None, default=None
        Neighbour count the graphs are first built for (the largest a caller needs),
        so that later, smaller requests need no rebuild.
    n_jobs : int or None, default=None
        Threads of the dataset-level searches.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import ExactNeighbors
    >>> from smotekit.neighbors._dataset import DatasetNeighbors
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(60, 3)), np.repeat([0, 1], 30)
    >>> data = DatasetNeighbors(X, y)
    >>> subset = np.flatnonzero(rng.random(60) < 0.5)
    >>> graph = data.answer(subset, np.arange(subset.size), 3)
    >>> _, ind = ExactNeighbors().fit(X[subset]).kneighbors(None, 3)
    >>> bool(np.array_equal(graph.indices, ind))
    True
    """

    def __init__(
        self,
        X: Any,
        y: Any,
        *,
        keep_share: float = 0.5,
        miss_rate: float = 0.01,
        k_hint: int | None = None,
        n_jobs: int | None = None,
    ) -> None:
        values, _ = check_numeric_X(X, "DatasetNeighbors", accept_sparse=False)
        labels = np.asarray(y)
        if labels.ndim != 1 or labels.shape[0] != values.shape[0]:
            raise ValueError(
                f"y must be 1-D with one label per row of X ({values.shape[0]}); got shape "
                f"{labels.shape}."
            )
        if not 0.0 < keep_share <= 1.0 or not 0.0 < miss_rate < 1.0:
            raise ValueError(
                "keep_share must be in (0, 1] and miss_rate in (0, 1); got "
                f"{keep_share!r} and {miss_rate!r}."
            )
        from ._search import _power_of_two_scale

        self.X, self.y = values, labels
        self.keep_share, self.miss_rate, self.k_hint = keep_share, miss_rate, k_hint
        self.n_jobs = n_jobs
        # Huge data are searched scaled, which a subset may not be alike: not served.
        self.servable = _power_of_two_scale(values) == 1.0
        self.counters = ReuseCounters()
        self._graphs: dict[Any, NeighborGraph] = {}
        self._rows: dict[Any, np.ndarray] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def n_rows(self) -> int:
        """Rows of the dataset."""
        return int(self.X.shape[0])

    def rows_of(self, label: Any) -> np.ndarray:
        """Dataset rows of class ``label`` (all rows for :data:`ALL_ROWS`), ascending."""
        if label is ALL_ROWS:
            return np.arange(self.n_rows)
        found = self._rows.get(label)
        if found is None:
            found = self._rows[label] = np.flatnonzero(self.y == label)
        return found

    def k_prime(self, k: int, available: int) -> int:
        """Neighbours to store per row so that ``k`` survive a subset with ``1 - miss_rate``."""
        if self.keep_share >= 1.0 or k >= available:
            return min(k, available)
        top = min(available, int(np.ceil(4 * k / self.keep_share)) + 64)
        counts = np.arange(k, top + 1)
        ok = np.flatnonzero(binom.cdf(k - 1, counts, self.keep_share) <= self.miss_rate)
        return int(counts[ok[0]]) if ok.size else top

    def graph(self, label: Any, k: int, *, among_all: bool = False) -> NeighborGraph:
        """Nearest neighbours of the rows of class ``label``, at least ``k`` per row.

        Within the class, or (``among_all``) among all rows of the dataset.  Row
        ``i`` of the graph is the ``i``-th row of the class; indices are dataset
        rows; each row's own index is left out (its duplicates are kept).  Built
        on first use and rebuilt for a larger ``k``.
        """
        return self._graph(label, k, among_all)[0]

    def _graph(self, label: Any, k: int, among_all: bool) -> tuple[NeighborGraph, bool]:
        key = ("all" if among_all else "class", label)
        with self._lock:
            found = self._graphs.get(key)
            if found is not None and found.k >= k:
                return found, False
            from ._search import make_backend

            rows = self.rows_of(label)
            searched = self.X if among_all else self.X[rows]
            k_store = self.k_prime(max(k, self.k_hint or 0), searched.shape[0] - 1)
            engine = make_backend("auto", searched.shape[0], searched.shape[1], self.n_jobs)
            engine.fit(searched)
            if among_all:  # only this class's rows query: most samplers ask for no more
                distances, indices = engine.kneighbors(self.X[rows], k_store, exclude=rows)
            else:
                distances, indices = engine.kneighbors(None, k_store)
                indices = rows[indices]
            found = NeighborGraph(distances, indices.astype(np.int64, copy=False), exact=True)
            self._graphs[key] = found
            self.counters.searches += 1
            return found, True

    def answer(
        self,
        subset: Any,
        queries: Any,
        k: int,
        *,
        label: Any = ALL_ROWS,
        fallback: Fallback | None = None,
        counters: ReuseCounters | None = None,
    ) -> NeighborGraph:
        """The exact k nearest rows of ``subset`` for some of its rows, each excluding itself.

        Parameters
        ----------
        subset : array-like of int
            Dataset rows searched, in their local order (local index = position).
        queries : array-like of int
            Local positions of the query rows (each leaves itself out, by index).
        k : int
            Neighbours per query, at most ``len(subset) - 1``.
        label : label or ALL_ROWS, default=ALL_ROWS
            The subset's rows are of this class (served from its within-class
            graph), or of any (:data:`ALL_ROWS`: served from the among-all-rows
            graphs of the query rows' classes).
        fallback : callable or None
            ``fallback(local_queries) -> (distances, local_indices)``: the exact
            search of those queries against the subset; None searches
            ``X[subset]`` with :class:`ExactNeighbors`.
        counters : ReuseCounters or None
            Also counted there (besides :attr:`counters`).

        Returns
        -------
        NeighborGraph
            Local indices, equal to the exact search of ``X[subset]``.
        """
        subset = np.asarray(subset, dtype=np.int64)
        queries = np.asarray(queries, dtype=np.int64)
        self._check_request(subset, queries, k, label)
        local = np.full(self.n_rows, -1, dtype=np.int64)
        local[subset] = np.arange(subset.size)
        ascending = bool(np.all(np.diff(subset) > 0))
        dist = np.empty((queries.size, k), dtype=np.float64)
        ind = np.empty((queries.size, k), dtype=np.int64)
        ok = np.empty(queries.size, dtype=bool)
        if label is ALL_ROWS:
            of_query = self.y[subset[queries]]
            groups = [(c, np.flatnonzero(of_query == c)) for c in np.unique(of_query)]
        else:
            groups = [(label, np.arange(queries.size))]
        built = 0
        for graph_label, positions in groups:
            graph, new = self._graph(graph_label, k, label is ALL_ROWS)
            built += new
            rows = self.rows_of(graph_label)
            complete = graph.k == (self.n_rows if label is ALL_ROWS else rows.size) - 1
            for a in range(0, positions.size, _QUERY_CHUNK):
                mine = positions[a : a + _QUERY_CHUNK]
                at = np.searchsorted(rows, subset[queries[mine]])
                ok[mine], dist[mine], ind[mine] = _survivors(
                    graph.distances[at], local[graph.indices[at]], k, ascending, complete
                )
        missing = np.flatnonzero(~ok)
        if missing.size:
            search_again = fallback or self._default_fallback(subset, k)
            dist[missing], ind[missing] = search_again(queries[missing])
        done = ReuseCounters(1, int(queries.size - missing.size), int(missing.size))
        self.counters.add(done)  # its searches were counted where the graphs were built
        if counters is not None:
            done.searches = built
            counters.add(done)
        return NeighborGraph(dist, ind, exact=True)

    def _check_request(self, subset: np.ndarray, queries: np.ndarray, k: int, label: Any) -> None:
        n = subset.size
        if subset.ndim != 1 or queries.ndim != 1:
            raise ValueError("subset and queries must be 1-D arrays of row indices.")
        if n and (subset.min() < 0 or subset.max() >= self.n_rows):
            raise ValueError(f"subset rows must lie in [0, {self.n_rows}).")
        if n and np.bincount(subset).max() > 1:
            raise ValueError("subset lists a dataset row twice; pass distinct rows.")
        if queries.size and (queries.min() < 0 or queries.max() >= n):
            raise ValueError(f"queries must be positions in the subset, in [0, {n}).")
        if not 1 <= k <= n - 1:
            raise ValueError(f"k must be in [1, {n - 1}] for a subset of {n} rows; got {k}.")
        if label is not ALL_ROWS and not np.all(self.y[subset] == label):
            raise ValueError(f"Every subset row must be of class {label!r} to use its graph.")

    def _default_fallback(self, subset: np.ndarray, k: int) -> Fallback:
        values = self.X[subset]
        engine = ExactNeighbors(n_jobs=self.n_jobs).fit(values)
        return lambda queries: engine.kneighbors(values[queries], k, exclude=queries)


def _survivors(
    distances: np.ndarray, local: np.ndarray, k: int, ascending: bool, complete: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which rows keep k neighbours in the subset, and those (distances, local indices).

    ``distances`` and ``local`` are the rows' dataset lists (local index -1: not
    in the subset).  Rows that do not keep k get zeros, to be searched again.
    """
    member = local >= 0
    count = member.sum(axis=1)
    ok = count >= k
    dist = np.zeros((local.shape[0], k), dtype=np.float64)
    near = np.zeros((local.shape[0], k), dtype=np.int64)
    if ascending:  # local order is dataset order: the lists' order holds
        take = member & (np.cumsum(member, axis=1) <= k)
        take[~ok] = False
        dist[ok], near[ok] = distances[take].reshape(-1, k), local[take].reshape(-1, k)
        return ok, dist, near
    masked = np.where(member, distances, np.inf)
    order = np.lexsort((np.where(member, local, np.iinfo(np.int64).max), masked), axis=-1)
    best = np.take_along_axis(masked, order, axis=1)[:, :k]
    if not complete:  # a row cut off the list may tie the k-th survivor at the list's end
        ok &= best[:, k - 1] < distances[:, -1]
    dist[ok], near[ok] = best[ok], np.take_along_axis(local, order, axis=1)[ok, :k]
    return ok, dist, near
