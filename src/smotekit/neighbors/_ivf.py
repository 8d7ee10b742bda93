"""Approximate k-nearest neighbours with faiss's inverted-file index (``IndexIVFFlat``).

How it works
------------
k-means (trained on a seeded sample of the rows) splits the space into
``n_lists`` cells; every row is stored in the list of its nearest centroid, and a
query scans the rows of its ``n_probe`` nearest cells only.  The search runs in
float32 on centred data scaled by a power of two; the candidates it returns are
then checked in float64: their distances are recomputed exactly from the
original rows and each query's answer is sorted by ``(distance, index)``, so
the distances are exact for the rows returned and ties follow the engine's
rule.  Only *which* rows are found is approximate (see ``recall``).

The helpers at the end (:func:`import_faiss`, :func:`faiss_threads`,
:class:`Float32View`, :func:`finish_candidates`) are shared with the HNSW
backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .._threads import effective_n_jobs
from ._protocol import Capabilities, check_exclusions

__all__ = ["IVFNeighbors"]

INSTALL_HINT = "pip install 'smotekit[approx]'"
# faiss's own guidance: k-means wants at least 39 training rows per centroid.
_MIN_ROWS_PER_LIST = 39
_TRAIN_ROWS_PER_LIST = 40
# k-means had converged by 10 iterations in our measurements (the same centroids as
# with faiss's default 25), so training stops there.
_KMEANS_ITERATIONS = 10
_LISTS_PER_SQRT_N = 2.0
_DEFAULT_N_PROBE = 96
_PARALLEL_WORK = 10_000


class IVFNeighbors:
    """Approximate Euclidean k-nearest neighbours with an inverted-file index (faiss).

    Needs the optional dependency faiss (``pip install 'smotekit[approx]'``).
    Much faster than exact search on large data (hundreds of thousands of rows
    and more); the price is that a few true neighbours may be missed.

    Parameters
    ----------
    n_lists : int or None, default=None
        Number of k-means cells.  ``None`` uses ``2 * sqrt(n_rows)``, and at
        most one cell per 39 rows (so small data get few cells and are searched
        almost exhaustively).  A value above ``n_rows`` is lowered to it.
    n_probe : int, default=96
        Cells scanned per query (at most ``n_lists``).  More cells: higher
        recall, slower queries.  With the default ``n_lists``, 96 cells gave a
        recall@10 of 0.98-0.99 on 20-feature data of 100 000 and 1 000 000 rows
        (``make_classification``, minority rows queried against all; 64 cells
        gave 0.96).
    train_size : int or None, default=None
        Rows the k-means is trained on (a seeded sample); ``None`` uses
        40 per cell.
    random_state : int or None, default=0
        Seeds the training sample and the k-means; the same seed and data give
        the same index and the same answers.
    n_jobs : int or None, default=None
        faiss threads while training and searching (``None``: every core; one
        for small jobs); the previous faiss setting is restored afterwards.

    Attributes
    ----------
    n_lists_ : int
        Cells of the fitted index.
    n_probe_ : int
        Cells scanned per query.
    train_size_ : int
        Rows the k-means was trained on.

    Notes
    -----
    Distances are exact float64 Euclidean distances of the rows returned,
    recomputed from the original rows; rows are sorted by distance then index.
    A query row whose cells hold fewer than ``n_neighbors`` candidates is
    answered by exact search.  ``exclude`` is honoured by index: one extra
    neighbour is asked for and the excluded row (or, when it was not among
    them, the farthest) is dropped.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors._ivf import IVFNeighbors
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> dist, ind = IVFNeighbors().fit(X).kneighbors(None, 2)
    >>> ind
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    >>> dist[0]
    array([1., 3.])
    """

    exact = False
    capabilities = Capabilities(exact=False)

    def __init__(
        self,
        *,
        n_lists: int | None = None,
        n_probe: int = _DEFAULT_N_PROBE,
        train_size: int | None = None,
        random_state: int | None = 0,
        n_jobs: int | None = None,
    ) -> None:
        import_faiss("IVFNeighbors")
        self.n_lists = n_lists
        self.n_probe = n_probe
        self.train_size = train_size
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: np.ndarray) -> IVFNeighbors:
        """Train the cells on a sample of ``X`` and index every row.

        Parameters
        ----------
        X : ndarray of shape (n_rows, n_features)
            Dense rows; searched in float32, distances recomputed in float64.

        Returns
        -------
        self : IVFNeighbors
        """
        faiss = import_faiss("IVFNeighbors")
        _check_positive("n_probe", self.n_probe)
        for name in ("n_lists", "train_size"):
            if getattr(self, name) is not None:
                _check_positive(name, getattr(self, name))
        X = dense_rows(X, "IVFNeighbors")
        n_rows, n_features = X.shape
        self._X, self._view = X, Float32View.of(X)
        rows32 = self._view.apply(X)
        n_lists = self._resolve_lists(n_rows)
        rng = np.random.default_rng(self.random_state)
        wanted = self.train_size if self.train_size is not None else _TRAIN_ROWS_PER_LIST * n_lists
        train_size = int(min(n_rows, max(wanted, n_lists)))
        train = rows32
        if train_size < n_rows:
            train = rows32[np.sort(rng.choice(n_rows, train_size, replace=False))]
        quantizer = faiss.IndexFlatL2(n_features)
        index = faiss.IndexIVFFlat(quantizer, n_features, n_lists, faiss.METRIC_L2)
        index.cp.seed = int(rng.integers(2**31 - 1))
        index.cp.niter = _KMEANS_ITERATIONS
        # The sample above is the training set: faiss neither subsamples nor warns.
        index.cp.min_points_per_centroid = 1
        index.cp.max_points_per_centroid = -(-train_size // n_lists) + 1
        with faiss_threads(faiss, self.n_jobs, n_rows):
            index.train(train)
            index.add(rows32)
        self._quantizer, self._index = quantizer, index
        self.n_lists_, self.train_size_ = n_lists, train_size
        self.n_probe_ = int(min(self.n_probe, n_lists))
        return self

    def kneighbors(
        self,
        Q: np.ndarray | None,
        n_neighbors: int,
        *,
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Find (approximately) the ``n_neighbors`` nearest fitted rows of each query row.

        Parameters
        ----------
        Q : ndarray of shape (n_queries, n_features) or None
            Query rows.  ``None`` queries the fitted rows, each excluding itself.
        n_neighbors : int
            Number of neighbours to return.
        exclude : ndarray of shape (n_queries,) or None
            Index of one fitted row to leave out per query (``-1``: none).

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors), float64
            Exact Euclidean distances of the rows found, ascending.
        indices : ndarray of shape (n_queries, n_neighbors), int64
            Ties broken by the smaller index.
        """
        faiss = import_faiss("IVFNeighbors")
        X = self._X
        Q, exclude = query_rows(X, Q, n_neighbors, exclude, "IVFNeighbors")
        if Q.shape[0] == 0 or n_neighbors == 0:
            return empty_answer(Q.shape[0], n_neighbors)
        n_ask = candidates_to_ask(X.shape[0], n_neighbors)
        self._index.nprobe = self.n_probe_
        with faiss_threads(faiss, self.n_jobs, 10 * Q.shape[0]):
            _, found = self._index.search(self._view.apply(Q), n_ask)
        return finish_candidates(X, Q, exclude, found, n_neighbors, self.n_jobs)

    def _resolve_lists(self, n_rows: int) -> int:
        if self.n_lists is not None:
            return int(min(self.n_lists, n_rows))
        by_size = round(_LISTS_PER_SQRT_N * np.sqrt(n_rows))
        return int(max(1, min(by_size, n_rows // _MIN_ROWS_PER_LIST)))


# ------------------------------------------------------------ shared helpers
def import_faiss(owner: str) -> Any:
    """The faiss module, or an ImportError that says how to install it."""
    try:
        import faiss
    except ImportError as error:
        raise ImportError(
            f"{owner} needs faiss (the faiss-cpu package), which is not installed. "
            f"Install the approximate-search extra: {INSTALL_HINT}"
        ) from error
    return faiss


@contextmanager
def faiss_threads(faiss: Any, n_jobs: int | None, work: int) -> Iterator[None]:
    """Run faiss with ``n_jobs`` threads, restoring its previous setting after.

    Below ``_PARALLEL_WORK`` rows of ``work`` one thread is used: waking
    OpenMP's threads costs more than such small jobs take.
    """
    previous = faiss.omp_get_max_threads()
    threads = effective_n_jobs(n_jobs) if work >= _PARALLEL_WORK else 1
    faiss.omp_set_num_threads(threads)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def dense_rows(X: Any, owner: str) -> np.ndarray:
    """``X`` as a non-empty 2-D float32 or float64 array of finite values."""
    if sparse.issparse(X):
        raise TypeError(
            f"{owner} searches dense rows only; pass X.toarray(), or use neighbors='exact'."
        )
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{owner} expects a non-empty 2-D array, got shape {X.shape}.")
    return X


def query_rows(
    X: np.ndarray, Q: Any, n_neighbors: int, exclude: Any, owner: str
) -> tuple[np.ndarray, np.ndarray]:
    """Checked query rows and exclusions (``Q=None``: the fitted rows, each excluding itself)."""
    if Q is None:
        Q, exclude = X, np.arange(X.shape[0])
    elif sparse.issparse(Q):
        raise TypeError(f"{owner} searches dense rows only; pass Q.toarray().")
    Q = np.asarray(Q)
    if Q.dtype not in (np.float32, np.float64):
        Q = Q.astype(np.float64)
    if Q.ndim != 2 or Q.shape[1] != X.shape[1]:
        raise ValueError(
            f"{owner}: queries must have shape (n_queries, {X.shape[1]}); got {Q.shape}."
        )
    return Q, check_exclusions(X.shape[0], Q.shape[0], n_neighbors, exclude)


def candidates_to_ask(n_rows: int, n_neighbors: int) -> int:
    """Candidates asked of the index per query: ``2 * n_neighbors + 1`` (at most every row).

    The spares cover the excluded row, and the recomputed exact distances then
    choose the best ``n_neighbors`` among more rows: fewer misses, and ties at
    the k-th distance more often resolved to the smaller index, as exact
    search does.
    """
    return int(min(n_rows, 2 * n_neighbors + 1))


def empty_answer(n_queries: int, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """The answer with no columns or no rows."""
    shape = (n_queries, n_neighbors)
    return np.empty(shape, dtype=np.float64), np.empty(shape, dtype=np.int64)


@dataclass(frozen=True)
class Float32View:
    """The float32 copy the index searches: rows centred, scaled by a power of two.

    Centring keeps float32's precision for data far from the origin; the power
    of two brings the largest centred magnitude near 1 (exact in float64).
    """

    center: np.ndarray
    scale: float

    @classmethod
    def of(cls, X: np.ndarray) -> Float32View:
        """The view fitted to rows ``X``.

        Raises
        ------
        ValueError
            If ``X`` holds NaN or infinite values.
        """
        center = X.mean(axis=0, dtype=np.float64)
        span = max(
            float(np.max(np.abs(X.max(axis=0) - center))),
            float(np.max(np.abs(X.min(axis=0) - center))),
        )
        if not (np.all(np.isfinite(center)) and np.isfinite(span)):
            raise ValueError(
                "X contains NaN or infinite values (or values too large to average); "
                "approximate neighbour search needs finite rows."
            )
        scale = 1.0 if span == 0.0 else float(2.0 ** -np.floor(np.log2(span)))
        return cls(center, scale)

    def apply(self, rows: np.ndarray) -> np.ndarray:
        """``(rows - center) * scale`` as a C-contiguous float32 array."""
        out = np.empty(rows.shape, dtype=np.float32)
        step = 65536
        for a in range(0, rows.shape[0], step):
            part = (rows[a : a + step] - self.center) * self.scale
            out[a : a + step] = part
        return out


def finish_candidates(
    X: np.ndarray,
    Q: np.ndarray,
    exclude: np.ndarray,
    found: np.ndarray,
    n_neighbors: int,
    n_jobs: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The contract's answer from approximate candidates.

    Drops the excluded row and faiss's ``-1`` (no candidate) entries, recomputes
    the candidates' distances exactly in float64 from the original rows, and
    keeps each query's ``n_neighbors`` best by ``(distance, index)``.  Queries
    left with too few candidates are answered by exact search.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
        The fitted rows (original dtype).
    Q : ndarray of shape (n_queries, n_features)
        The query rows (original dtype).
    exclude : ndarray of int of shape (n_queries,)
        Row to leave out per query (``-1``: none).
    found : ndarray of int of shape (n_queries, n_candidates)
        Candidate rows per query (``-1``: none).
    n_neighbors : int
        Neighbours per query.
    n_jobs : int or None
        Threads of the exact fallback.

    Returns
    -------
    distances : ndarray of float64 of shape (n_queries, n_neighbors)
    indices : ndarray of int64 of shape (n_queries, n_neighbors)
    """
    found = np.asarray(found, dtype=np.int64)
    valid = (found >= 0) & (found != exclude[:, None])
    safe = np.where(valid, found, 0)
    n_queries, n_candidates = found.shape
    dist_sq = np.empty(found.shape, dtype=np.float64)
    step = max(1, (1 << 20) // max(1, n_candidates * X.shape[1]))
    for a in range(0, n_queries, step):
        diff = Q[a : a + step, None, :].astype(np.float64) - X[safe[a : a + step]]
        # The canonical float64 distance: numpy's sum of squared differences.
        dist_sq[a : a + step] = np.square(diff).sum(axis=-1)
    dist_sq[~valid] = np.inf
    key = np.where(valid, found, np.iinfo(np.int64).max)
    order = np.lexsort((key, dist_sq), axis=-1)[:, :n_neighbors]
    distances = np.sqrt(np.take_along_axis(dist_sq, order, axis=1))
    indices = np.take_along_axis(found, order, axis=1)
    short = np.flatnonzero(valid.sum(axis=1) < n_neighbors)
    if short.size:
        from ._exact import ExactNeighbors

        exact = ExactNeighbors(n_jobs=n_jobs).fit(X)
        distances[short], indices[short] = exact.kneighbors(
            Q[short], n_neighbors, exclude=exclude[short]
        )
    return distances, indices


def _check_positive(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive int; got {value!r}.")
