"""Choosing a backend and running one search: the engine's single entry point."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import (
    KNeighborsClassifier,
    KNeighborsRegressor,
    KNeighborsTransformer,
    NearestNeighbors,
)

from ._cache import active_cache, fingerprint
from ._dataset_reuse import dataset_graph
from ._graph import NeighborGraph
from ._protocol import Capabilities, capabilities_of
from ._registry import get_backend

__all__ = ["KNeighborsAdapter", "SearchIndex", "make_backend", "search"]

# Up to this many features a KD-tree beats brute force on this kind of machine.
_TREE_MAX_FEATURES = 5
_TREE_MIN_ROWS = 5000


def _auto_name(n_rows: int, n_features: int) -> str:
    if n_features <= _TREE_MAX_FEATURES and n_rows >= _TREE_MIN_ROWS:
        return "tree"
    return "exact"


class KNeighborsAdapter:
    """Wrap a scikit-learn style ``NearestNeighbors`` object as a backend.

    The object is cloned, fitted, and asked for one extra neighbour when a row
    must be excluded; the excluded row is then removed *by index* (or, when a
    duplicate hid it, the farthest extra one is dropped).

    Parameters
    ----------
    estimator : object
        Has ``fit(X)`` and ``kneighbors(X, n_neighbors, return_distance=True)``.
    """

    exact = False
    capabilities = Capabilities(exact=False, sparse=True)

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator
        #: scikit-learn's own neighbour estimators find the exact Euclidean neighbours
        #: (brute force, k-d tree and ball tree alike), only their ties may be ordered
        #: otherwise; samplers keep no ``neighbors_report_`` for them.
        self.euclidean_exact = finds_exact_euclidean_neighbors(estimator)

    def fit(self, X: np.ndarray) -> KNeighborsAdapter:
        """Fit a clone of the wrapped estimator on ``X``."""
        try:
            self._fitted = clone(self.estimator)
        except TypeError:
            self._fitted = self.estimator
        self._fitted.fit(X)
        self._n_rows = X.shape[0]
        self._X = X
        return self

    def kneighbors(
        self,
        Q: np.ndarray | None,
        n_neighbors: int,
        *,
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Query the wrapped estimator; see the backend protocol."""
        if Q is None:
            Q, exclude = self._X, np.arange(self._n_rows)
        extra = 0 if exclude is None else 1
        dist, ind = self._fitted.kneighbors(Q, n_neighbors=n_neighbors + extra)
        dist, ind = np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.int64)
        if extra:
            hit = ind == np.asarray(exclude)[:, None]
            hit[~hit.any(axis=1), -1] = True
            keep = ~hit
            n_queries = Q.shape[0]
            dist = dist[keep].reshape(n_queries, n_neighbors)
            ind = ind[keep].reshape(n_queries, n_neighbors)
        return dist, ind


_SKLEARN_NEIGHBORS = (
    NearestNeighbors,
    KNeighborsClassifier,
    KNeighborsRegressor,
    KNeighborsTransformer,
)


def finds_exact_euclidean_neighbors(estimator: Any) -> bool:
    """Whether ``estimator`` is a scikit-learn neighbour estimator with the Euclidean metric.

    All their algorithms are exact; ``metric="euclidean"``, or ``"minkowski"`` with
    ``p=2`` and no ``metric_params``, makes the distance the engine's.  Anything
    else (another library's object, another metric) counts as not exact.
    """
    if not isinstance(estimator, _SKLEARN_NEIGHBORS):
        return False
    params = estimator.get_params()
    if params.get("metric_params"):
        return False
    metric = params.get("metric", "minkowski")
    return metric == "euclidean" or (metric == "minkowski" and params.get("p", 2) == 2)


def make_backend(spec: Any, n_rows: int, n_features: int, n_jobs: int | None = None) -> Any:
    """Build an unfitted backend from a user's ``neighbors`` specification.

    Parameters
    ----------
    spec : str or object
        ``"auto"``, a registered backend name, a backend instance, or a
        scikit-learn style object with ``kneighbors`` (wrapped).
    n_rows, n_features : int
        Size of the set to search (``"auto"`` chooses by them).
    n_jobs : int or None
        Passed to registered backends.
    """
    if isinstance(spec, str):
        name = _auto_name(n_rows, n_features) if spec == "auto" else spec
        return get_backend(name)(n_jobs=n_jobs)
    if hasattr(spec, "kneighbors") and hasattr(spec, "fit"):
        if hasattr(spec, "exact") and not hasattr(spec, "get_params"):
            return spec
        return KNeighborsAdapter(spec)
    raise TypeError(
        "neighbors must be 'auto', a registered backend name, or an object with "
        f"fit and kneighbors methods; got {type(spec).__name__}."
    )


class SearchIndex:
    """One backend fitted on a set of rows, answering many queries.

    Samplers that query all rows once per class (Borderline-SMOTE, ADASYN) fit
    the backend once and reuse it.  Inside :func:`reuse_neighbor_graphs`,
    answers are served from (and stored in) the active cache as by
    :func:`search`.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        The rows searched.
    backend : str or object, default="auto"
        See :func:`make_backend`.
    n_jobs : int or None, default=None
        Worker threads for the backend.

    Attributes
    ----------
    fit_seconds : float
        Wall-clock seconds the backend took to fit (0 until it is fitted).
    query_seconds : float
        Wall-clock seconds of the last query's search (0 when it was served
        from the cache).

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import SearchIndex
    >>> index = SearchIndex(np.array([[0.0], [1.0], [5.0]]))
    >>> index.query(np.array([[4.0]]), 1).indices
    array([[2]])
    """

    def __init__(self, X: Any, backend: Any = "auto", n_jobs: int | None = None) -> None:
        if isinstance(backend, str) and backend == "auto" and sparse.issparse(X):
            backend = "exact"
        self.X, self.backend, self.n_jobs = X, backend, n_jobs
        self._engine: Any = None
        self._fingerprint: str | None = None
        self._scale = 1.0
        self.fit_seconds = 0.0
        self.query_seconds = 0.0

    @property
    def engine(self) -> Any:
        """The fitted backend (fitted on first use)."""
        if self._engine is None:
            engine = make_backend(self.backend, self.X.shape[0], self.X.shape[1], self.n_jobs)
            if sparse.issparse(self.X) and not capabilities_of(engine).sparse:
                name = self.backend if isinstance(self.backend, str) else type(engine).__name__
                raise ValueError(
                    f"The neighbour backend {name!r} does not search sparse X (its capabilities "
                    "say so). Use neighbors='auto' or 'exact', or pass X.toarray()."
                )
            self._scale = _power_of_two_scale(self.X)
            start = time.perf_counter()
            self._engine = engine.fit(self.X * self._scale if self._scale != 1.0 else self.X)
            self.fit_seconds = time.perf_counter() - start
        return self._engine

    def query(
        self, Q: np.ndarray | None, n_neighbors: int, *, exclude: np.ndarray | None = None
    ) -> NeighborGraph:
        """k nearest fitted rows of each query row; see :func:`search`."""
        self.query_seconds = 0.0
        cache = active_cache()
        key = None
        if cache is not None and isinstance(self.backend, str):
            if self._fingerprint is None:
                self._fingerprint = fingerprint(self.X)
            key = (self._fingerprint, fingerprint(Q), fingerprint(exclude), self.backend)
            graph = cache.lookup(key, n_neighbors)
            if graph is not None:
                return graph
        k_search = n_neighbors
        if key is not None and cache.hint_k:
            available = self.X.shape[0] - (1 if Q is None or exclude is not None else 0)
            k_search = max(n_neighbors, min(cache.hint_k, available))
        # -- dataset-level reuse (see _dataset_reuse.py): inside reuse_dataset_neighbors, a
        # -- search over a declared subset of a dataset is answered from its exact graphs.
        served = dataset_graph(self, Q, k_search, exclude)
        if served is not None:
            if key is not None:
                cache.store(key, served)
            return served.first(n_neighbors) if k_search > n_neighbors else served
        # -- end of dataset-level reuse
        engine = self.engine
        if Q is not None and self._scale != 1.0:
            Q = Q * self._scale
        start = time.perf_counter()
        distances, indices = engine.kneighbors(Q, k_search, exclude=exclude)
        self.query_seconds = time.perf_counter() - start
        if self._scale != 1.0:
            with np.errstate(over="ignore"):
                distances = distances / self._scale
        graph = NeighborGraph(distances, indices, exact=bool(getattr(engine, "exact", False)))
        if cache is not None:
            cache.searches += 1
            if key is not None:
                cache.store(key, graph)
        return graph.first(n_neighbors) if k_search > n_neighbors else graph


# Beyond this magnitude squared distances overflow float64: such data are searched
# scaled by a power of two (exact, so the neighbours and their order are unchanged).
_HUGE = 2.0**400


def _power_of_two_scale(X: Any) -> float:
    """``2 ** -e`` bringing the largest magnitude of X near ``2 ** 400``, or 1.

    Examples
    --------
    >>> _power_of_two_scale(np.array([[1e200]])) == 2.0 ** -264
    True
    """
    values = X.data if sparse.issparse(X) else np.asarray(X)
    if values.size == 0 or values.dtype.kind != "f":
        return 1.0
    largest = float(np.abs(values).max())
    if not largest > _HUGE:
        return 1.0
    return float(2.0 ** -(int(np.floor(np.log2(largest))) - 400))


def search(
    X: np.ndarray,
    Q: np.ndarray | None,
    n_neighbors: int,
    *,
    exclude: np.ndarray | None = None,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> NeighborGraph:
    """k nearest rows of ``X`` for each query row, as a :class:`NeighborGraph`.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
        The rows searched.
    Q : ndarray of shape (n_queries, n_features) or None
        Query rows; ``None`` queries ``X`` itself, each row excluding itself.
    n_neighbors : int
        Neighbours per query.
    exclude : ndarray of shape (n_queries,) or None
        One row of ``X`` to leave out per query (``-1`` for none).
    backend : str or object, default="auto"
        See :func:`make_backend`.
    n_jobs : int or None, default=None
        Worker threads for the backend.

    Returns
    -------
    NeighborGraph

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import search
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [3.0, 0.0]])
    >>> search(X, None, 1).indices.ravel()
    array([1, 0, 0])
    """
    return SearchIndex(X, backend, n_jobs).query(Q, n_neighbors, exclude=exclude)
