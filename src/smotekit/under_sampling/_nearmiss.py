"""NearMiss (Mani & Zhang, 2003): keep the rows of a class by their distances to the minority."""

from __future__ import annotations

import numbers
import warnings
from typing import Any, ClassVar

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import HasMethods, Interval

from .._engine import class_positions
from .._params import N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._table import Table
from ..base import BaseSampler
from ..neighbors import FittedNeighbors, KNeighborsAdapter, SearchIndex
from ..neighbors._topk import top_k_pairs
from ._store import dense64, minority_label, power_of_two_scale

__all__ = ["NearMiss", "farthest_distances", "nearmiss_select"]

# Query rows densified (sparse X) or compared with every minority row at once.
_QUERY_ROWS = 4096
_BLOCK_VALUES = 1 << 23
_EPS = float(np.finfo(np.float64).eps)
# Columns per group whose maximum bounds the k-th farthest (version 2).
_GROUP = 32


def _nearest(index: SearchIndex, X: Any, rows: np.ndarray, k: int) -> np.ndarray:
    """Distances of rows ``rows`` of ``X`` to their k nearest indexed rows (none excluded)."""
    if not sparse.issparse(X):
        return index.query(np.asarray(X[rows]), k).distances
    parts = [
        index.query(X[rows[a : a + _QUERY_ROWS]].toarray(), k).distances
        for a in range(0, rows.size, _QUERY_ROWS)
    ]
    return np.concatenate(parts) if parts else np.empty((0, k))


def farthest_distances(M: Any, Q: Any, k: int) -> np.ndarray:
    """Exact distances from each query row to its ``k`` farthest rows of ``M``, ascending.

    Squared distances come from a float64 matrix product on centred rows; every
    pair within its rounding bound of the k-th largest is recomputed exactly
    (numpy's sum of squared differences, the engine's canonical value).

    Parameters
    ----------
    M : ndarray or sparse matrix of shape (n_rows, n_features)
    Q : ndarray or sparse matrix of shape (n_queries, n_features)
    k : int
        At most ``n_rows``.

    Returns
    -------
    ndarray of float64 of shape (n_queries, k)

    Examples
    --------
    >>> M = np.array([[0.0], [1.0], [5.0]])
    >>> farthest_distances(M, np.array([[0.0], [4.0]]), 2)
    array([[1., 5.],
           [3., 4.]])
    """
    M = dense64(M)
    scale = power_of_two_scale(M, Q.data if sparse.issparse(Q) else np.asarray(Q))
    M = M * scale
    centre = M.mean(axis=0)
    Mc = M - centre
    m_sq = np.einsum("ij,ij->i", Mc, Mc)
    tau = 8.0 * (M.shape[1] + 8) * _EPS
    n_m = M.shape[0]
    # Columns in `groups` interleaved groups (column j in group j % n_groups) whose
    # maxima bound the k-th largest from below; padding columns are -inf.
    n_groups = max(k, -(-n_m // _GROUP))
    width = -(-n_m // n_groups)
    pad = n_groups * width - n_m
    minus_2m = np.vstack([-2.0 * Mc, np.zeros((pad, M.shape[1]))])
    shift = np.concatenate([m_sq, np.full(pad, -np.inf)])
    step = max(1, min(_QUERY_ROWS, _BLOCK_VALUES // max(1, n_m)))
    out = np.empty((Q.shape[0], k))
    for a in range(0, Q.shape[0], step):
        block = dense64(Q[a : a + step]) * scale
        Qc = block - centre
        q_sq = np.einsum("ij,ij->i", Qc, Qc)
        t = Qc @ minus_2m.T  # d2 - |q|^2 up to rounding: the same order per query
        t += shift
        grouped = t.reshape(t.shape[0], width, n_groups)
        maxima = grouped.max(axis=1)
        # k maxima are k distinct entries: their k-th largest <= the row's k-th largest
        bound = np.partition(maxima, n_groups - k, axis=1)[:, n_groups - k]
        floor = bound - 2.0 * tau * (q_sq + m_sq.max() + 1e-300)
        r, g = np.nonzero(maxima >= floor[:, None])
        p, i = np.nonzero(grouped[r, :, g] >= floor[r, None])
        rows, cols = r[p], i * n_groups + g[p]
        exact = np.square(block[rows] - M[cols]).sum(axis=1)
        # the k largest exact values: the k smallest of their negatives
        neg, _ = top_k_pairs(rows, -exact, cols, block.shape[0], k, squared=False)
        out[a : a + block.shape[0]] = np.sqrt(-neg[:, ::-1])
    return out / scale if scale != 1.0 else out


def _score(distances: np.ndarray, k: int) -> np.ndarray:
    """The sum of the last ``k`` distances of each row (ascending, so summed in that order)."""
    return np.sum(distances[:, -k:], axis=1)


def nearmiss_select(
    X: Any,
    y: np.ndarray,
    targets: dict[Any, int],
    *,
    version: int = 1,
    k: int = 3,
    k3: int = 3,
    backend: Any = "auto",
    backend3: Any = None,
    n_jobs: int | None = None,
) -> tuple[np.ndarray, Any]:
    """The rows NearMiss keeps, grouped by class in label order.

    * version 1: the rows whose ``k`` nearest minority rows are nearest on
      average (the smallest sum of those ``k`` distances);
    * version 2: the rows whose ``k`` farthest minority rows are nearest on
      average;
    * version 3: among the rows that are one of the ``k3`` nearest rows of
      their class for some minority row, those whose ``k`` nearest minority
      rows are farthest on average (possibly fewer rows than asked).

    A row's distances count its own row when its class is the minority's.
    Ties in the average keep row order (a stable sort).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    targets : dict
        ``{label: rows to keep}``.
    version : {1, 2, 3}, default=1
    k, k3 : int, default=3
        ``n_neighbors`` and ``n_neighbors_ver3``.
    backend : str or object, default="auto"
        Neighbour backend of the searches among the minority rows.
    backend3 : str, object or None, default=None
        Version 3's backend for the searches in the class (None: ``backend``).
    n_jobs : int or None, default=None
        Threads.

    Returns
    -------
    indices : ndarray of int
        Kept rows: a targeted class's in the order of selection, others in row order.
    last_rows : ndarray of int or None
        Rows of the last targeted class (what version 3's search was fitted on).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [9.0], [10.0]])
    >>> y = np.array([0, 0, 0, 1, 1])
    >>> nearmiss_select(X, y, {0: 2}, k=1)[0].tolist()
    [2, 1, 3, 4]
    """
    minority = minority_label(y)
    minority_rows = np.flatnonzero(y == minority)
    index = SearchIndex(X[minority_rows], backend, n_jobs)
    parts, last_rows = [], None
    for label in class_positions(y):
        rows = np.flatnonzero(y == label)
        if label not in targets:
            parts.append(rows)
            continue
        n_keep = int(targets[label])
        if version == 1:
            order = np.argsort(_score(_nearest(index, X, rows, k), k), kind="stable")
        elif version == 2:
            if isinstance(backend, str):
                far = farthest_distances(X[minority_rows], X[rows], k)
            else:
                far = _nearest(index, X, rows, minority_rows.size)
            order = np.argsort(_score(far, k), kind="stable")
        else:
            own = SearchIndex(X[rows], backend if backend3 is None else backend3, n_jobs)
            candidates = np.unique(_nearest_indices(own, X, minority_rows, k3))
            score = _score(_nearest(index, X, rows[candidates], k), k)
            order = candidates[np.argsort(-score, kind="stable")]
            if order.size < n_keep:
                warnings.warn(
                    f"NearMiss-3 found {order.size} rows of class {label!r} among the "
                    f"{k3} nearest of some minority row, fewer than the {n_keep} asked for; "
                    "all of them are kept. Use a larger n_neighbors_ver3.",
                    UserWarning,
                    stacklevel=4,
                )
        parts.append(rows[order[:n_keep]])
        last_rows = rows
    return np.concatenate(parts).astype(np.intp), last_rows


def _nearest_indices(index: SearchIndex, X: Any, rows: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k nearest indexed rows of each of rows ``rows`` of ``X``."""
    if not sparse.issparse(X):
        return index.query(np.asarray(X[rows]), k).indices
    return np.concatenate(
        [
            index.query(X[rows[a : a + _QUERY_ROWS]].toarray(), k).indices
            for a in range(0, rows.size, _QUERY_ROWS)
        ]
    )


def _resolve(n_neighbors: Any, neighbors: Any) -> tuple[int, Any]:
    """``(k, backend)``: an int uses ``neighbors``; an object is its own backend."""
    if hasattr(n_neighbors, "kneighbors"):
        k = getattr(n_neighbors, "n_neighbors", None)
        if k is None:
            raise ValueError("A NearMiss neighbours object must have an n_neighbors attribute.")
        return int(k), KNeighborsAdapter(n_neighbors)
    return int(n_neighbors), neighbors


class NearMiss(BaseSampler):
    """Under-sample each targeted class by its rows' distances to the minority class.

    * ``version=1`` keeps the rows whose ``n_neighbors`` nearest minority rows
      are nearest on average;
    * ``version=2`` keeps the rows whose ``n_neighbors`` farthest minority rows
      are nearest on average;
    * ``version=3`` first keeps, for every minority row, its
      ``n_neighbors_ver3`` nearest rows of the class, then among them the rows
      whose ``n_neighbors`` nearest minority rows are farthest on average (it
      may keep fewer rows than asked, with a warning).

    Deterministic: no ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class keeps (imbalanced-learn's under-sampling forms,
        see :class:`RandomUnderSampler`).
    version : {1, 2, 3}, default=1
        The NearMiss variant.
    n_neighbors : int or object, default=3
        Minority neighbours averaged over (or a ``NearestNeighbors``-like
        object, used to search the minority rows).
    n_neighbors_ver3 : int or object, default=3
        Version 3's neighbours of each minority row in the class (or an object).
    n_jobs : int or None, default=None
        Threads for the neighbour searches.
    neighbors : str or object, default="auto"
        smotekit's neighbour backend (exact by default).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows kept}`` for the targeted classes.
    nn_ : FittedNeighbors
        The search over the minority rows (``n_neighbors`` neighbours).
    nn_ver3_ : FittedNeighbors
        Version 3 only: the search over the last targeted class's rows.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.

    Notes
    -----
    The minority class is the smallest (the first to appear in ``y`` among
    equally small ones).  Output per class in label order; a targeted class's
    rows come in the order of selection (best first), as imbalanced-learn's.
    Distances are exact; ties in the average keep row order.

    References
    ----------
    .. [1] I. Mani, I. Zhang, "kNN approach to unbalanced data distributions: a
       case study involving information extraction", ICML 2003 Workshop on
       Learning from Imbalanced Datasets.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import NearMiss
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = NearMiss(version=2).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([50, 50])
    """

    _sampling_type = "under-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("under-sampling"),
        "version": [Interval(numbers.Integral, 1, 3, closed="both")],
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "n_neighbors_ver3": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        version: int = 1,
        n_neighbors: Any = 3,
        n_neighbors_ver3: Any = 3,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        self._k, self._backend = _resolve(self.n_neighbors, self.neighbors)
        self._k3, self._backend3 = _resolve(self.n_neighbors_ver3, self.neighbors)
        minority = minority_label(y)
        n_minority = int(np.sum(y == minority))
        if self.version in (1, 3) and self._k > n_minority:
            raise ValueError(
                f"NearMiss-{self.version} averages over n_neighbors={self._k} minority rows, "
                f"but the minority class {minority!r} has {n_minority}. Use n_neighbors <= "
                f"{n_minority}."
            )
        if self.version == 2 and self._k > n_minority:
            raise ValueError(
                f"NearMiss-2 averages over the n_neighbors={self._k} farthest minority rows, "
                f"but the minority class {minority!r} has {n_minority}. Use n_neighbors <= "
                f"{n_minority}."
            )
        if self.version == 3:
            for label in targets:
                size = int(np.sum(y == label))
                if self._k3 > size:
                    raise ValueError(
                        f"NearMiss-3 takes n_neighbors_ver3={self._k3} rows of class {label!r} "
                        f"near each minority row, but the class has {size}. Use "
                        f"n_neighbors_ver3 <= {size}."
                    )

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        X = table.numeric
        indices, last_rows = nearmiss_select(
            X,
            y,
            targets,
            version=self.version,
            k=self._k,
            k3=self._k3,
            backend=self._backend,
            backend3=self._backend3,
            n_jobs=self.n_jobs,
        )
        minority_rows = np.flatnonzero(y == minority_label(y))
        self.nn_ = FittedNeighbors(self._k, X[minority_rows], self._backend)
        if self.version == 3 and last_rows is not None:
            self.nn_ver3_ = FittedNeighbors(self._k3, X[last_rows], self._backend3)
        return indices
