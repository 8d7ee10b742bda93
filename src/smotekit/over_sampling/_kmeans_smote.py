"""K-Means SMOTE: cluster all the data, then SMOTE inside the clusters where a class is frequent."""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.metrics import pairwise_distances_chunked
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._engine import fitted_neighbors, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import RandomStateLike
from .._recipe import ClassPlan
from .._selection import largest_remainder
from .._table import Table
from ..base import BaseSampler
from ._grouped import grouped_segment_batch

__all__ = [
    "KMeansSMOTE",
    "default_n_clusters",
    "estimator_seed",
    "kmeans_smote_plan",
]


def default_n_clusters(n_rows: int) -> int:
    """smotekit's number of clusters: ``sqrt(n_rows / 2)``, at least 8, at most 256.

    Never more than ``n_rows``.

    Examples
    --------
    >>> default_n_clusters(336), default_n_clusters(100_000), default_n_clusters(5)
    (13, 224, 5)
    """
    return int(min(n_rows, max(8, min(256, math.ceil(math.sqrt(n_rows / 2))))))


def estimator_seed(random_state: RandomStateLike) -> Any:
    """The ``random_state`` handed to a scikit-learn estimator smotekit builds.

    An int, a ``RandomState`` or None is passed as given (as imbalanced-learn
    does, so the same int fits the same clustering or SVM); a ``Generator``,
    which scikit-learn does not accept, is asked for an int.

    Examples
    --------
    >>> estimator_seed(3), estimator_seed(None)
    (3, None)
    """
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**31 - 1))
    return random_state


def _mean_distance(X: Any) -> float:
    """Mean Euclidean distance between distinct rows (pairs i != j), in float64."""
    n = X.shape[0]
    total, start = 0.0, 0
    for block in pairwise_distances_chunked(X, metric="euclidean"):
        rows = np.arange(block.shape[0])
        block[rows, start + rows] = 0.0
        total += float(block.sum(dtype=np.float64))
        start += block.shape[0]
    return total / (n * (n - 1))


def _auto_exponent(n_class_rows: int) -> float:
    """imbalanced-learn's ``density_exponent="auto"`` for a cluster with this many class rows."""
    return 0.16 * math.log(n_class_rows, 1.6) ** 1.8


def cluster_weights(
    mean_distances: np.ndarray, counts: np.ndarray, exponents: np.ndarray
) -> np.ndarray:
    """Shares of the kept clusters: sparsity ``mean_distance ** exponent / count``, normalised.

    Computed in log space (no overflow for large distances or exponents).  A
    zero mean distance (all the cluster's class rows equal) gives sparsity 0
    for a positive exponent, infinity for a negative one; when every sparsity
    is 0, or some are infinite, those clusters share by ``1 / count``.

    Examples
    --------
    >>> cluster_weights(np.array([1.0, 2.0]), np.array([4, 4]), np.array([1.0, 1.0]))
    array([0.33333333, 0.66666667])
    >>> cluster_weights(np.array([0.0, 0.0]), np.array([2, 6]), np.array([2.0, 2.0]))
    array([0.75, 0.25])
    """
    counts = np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_sparsity = np.asarray(exponents) * np.log(mean_distances) - np.log(counts)
    log_sparsity = np.where(np.isnan(log_sparsity), -np.log(counts), log_sparsity)  # 0 ** 0
    infinite = np.isposinf(log_sparsity)
    if infinite.any() or np.all(np.isneginf(log_sparsity)):
        chosen = infinite if infinite.any() else np.ones(counts.size, dtype=bool)
        weights = np.where(chosen, 1.0 / counts, 0.0)
    else:
        weights = np.exp(log_sparsity - log_sparsity.max())
    return weights / weights.sum()


def kmeans_smote_plan(
    task: ClassTask,
    *,
    k: int,
    clusters: np.ndarray,
    cluster_sizes: np.ndarray,
    threshold: float,
    density_exponent: float | str = "auto",
    backend: Any = "auto",
) -> ClassPlan:
    """K-Means SMOTE's plan for one class (Last, Douzas and Bacao, 2017).

    A cluster is kept when the class's share of its rows is at least
    ``threshold`` and it holds at least ``k + 1`` rows of the class.  The
    ``task.n_target`` rows are split over the kept clusters by largest
    remainder of their sparsity weights (:func:`cluster_weights`), and each
    cluster's rows are SMOTE rows between its class rows: the seed uniform among
    them, the neighbour one of its ``k`` nearest class rows of the same cluster,
    the gap ``U[0, 1)``.  Rows are grouped by cluster, in cluster order.

    Parameters
    ----------
    task : ClassTask
        The class.
    k : int
        Neighbours per seed.
    clusters : ndarray of int of shape (task.size,)
        Cluster of every class row.
    cluster_sizes : ndarray of int
        Rows of all classes in every cluster (indexed by cluster id).
    threshold : float
        Smallest share of the class in a kept cluster.
    density_exponent : float or "auto"
        Exponent of the mean distance in the sparsity; ``"auto"`` is
        ``0.16 * log_1.6(m) ** 1.8`` for ``m`` class rows in the cluster.
    backend : str or object
        Passed to the task's neighbour source (one search per kept cluster,
        on a task whose rows are the cluster's class rows).

    Returns
    -------
    ClassPlan
        Diagnostics: ``clusters`` (kept ids, ascending), ``counts`` (rows made in
        each) and ``weights``.  Without a kept cluster there is no batch.
    """
    ids, in_class = np.unique(clusters, return_counts=True)
    share = in_class / np.asarray(cluster_sizes)[ids]
    kept = (share >= threshold) & (in_class >= k + 1)
    diagnostics: dict[str, Any] = {"clusters": ids[kept], "shares": share}
    if not kept.any():
        diagnostics.update(counts=np.empty(0, dtype=np.int64), weights=np.empty(0))
        return ClassPlan(task.label, diagnostics=diagnostics)
    members = [np.flatnonzero(clusters == c) for c in ids[kept]]
    X = task.numeric()
    distances = np.array([_mean_distance(X[m]) for m in members])
    sizes = in_class[kept]
    exponents = (
        np.array([_auto_exponent(int(m)) for m in sizes])
        if density_exponent == "auto"
        else np.full(sizes.size, float(density_exponent))
    )
    weights = cluster_weights(distances, sizes, exponents)
    counts = largest_remainder(weights, task.n_target)
    diagnostics.update(counts=counts, weights=weights)
    pool, graphs = [], []
    for rows, n_new in zip(members, counts, strict=True):
        if n_new == 0:
            continue
        cluster_task = dataclasses.replace(task, rows=task.rows[rows])
        graph = task.neighbors.within_class(cluster_task, k, backend=backend)
        pool.append(rows)
        graphs.append(rows[graph.indices])
    starts = np.concatenate([[0], np.cumsum([p.size for p in pool])])
    batch = grouped_segment_batch(
        task.label,
        task.rows,
        np.concatenate(pool),
        np.concatenate(graphs),
        starts,
        counts[counts > 0],
        task.streams,
    )
    return ClassPlan(task.label, batch=batch, diagnostics=diagnostics)


class KMeansSMOTE(BaseSampler):
    """K-Means SMOTE (Last, Douzas and Bacao, 2017).

    All of X is clustered; for every class to over-sample, the clusters where
    the class is frequent enough (its share of the cluster's rows at least the
    balance threshold) and that hold at least ``k_neighbors + 1`` of its rows
    are kept.  Each kept cluster gets a part of the class's synthetic rows
    proportional to its sparsity ``mean_distance ** density_exponent / m`` (the
    mean Euclidean distance between its ``m`` class rows), split by largest
    remainder so the parts add up exactly; inside a cluster the rows are SMOTE's,
    between class rows of that cluster (the segment stays in the cluster's
    Voronoi cell, so the clustering assigns the new row to the same cluster).

    Defaults that work on ordinary data (imbalanced-learn's raise "No clusters
    found" on, e.g., 10 000 rows with a 5 % minority):

    * ``kmeans_estimator=None``: ``MiniBatchKMeans`` with
      ``n_clusters = clip(ceil(sqrt(n_rows / 2)), 8, 256)`` (imbalanced-learn:
      8 clusters whatever the data);
    * ``cluster_balance_threshold="auto"`` with ``kmeans_estimator=None``: the
      class's share of all rows (a cluster is kept where the class is at least as
      frequent as in the whole data, which some cluster always is).

    With a ``kmeans_estimator`` of your own (an int or an estimator),
    ``"auto"`` is imbalanced-learn's rule: half the class's share of the rows to
    generate (0.5 for a binary target).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the synthetic rows (each class and chunk its own stream), and
        the ``random_state`` of the default ``MiniBatchKMeans``.
    k_neighbors : int or object, default=2
        Neighbours per seed within its cluster (or a ``NearestNeighbors``-like object).
    n_jobs : int or None, default=None
        Threads for the neighbour searches; ``None`` uses every core.
    kmeans_estimator : int, estimator or None, default=None
        None: smotekit's ``MiniBatchKMeans`` (above); an int: ``MiniBatchKMeans(
        n_clusters=kmeans_estimator, random_state=random_state)``; an estimator: a
        clone of it, fitted on X.
    cluster_balance_threshold : "auto" or float, default="auto"
        Smallest share of the class in a kept cluster (above).  Ignored (every
        cluster kept) with a single cluster.
    density_exponent : "auto" or float, default="auto"
        The exponent of the mean distance; ``"auto"`` is imbalanced-learn's
        ``0.16 * log_1.6(m) ** 1.8`` for ``m`` class rows in the cluster.
    neighbors : str or object, default="auto"
        Neighbour backend, see :class:`SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        ``label``, ``seed``, ``neighbor`` (indices into the input X), ``gap``.
    kmeans_estimator_ : estimator
        The fitted clustering.
    cluster_labels_ : ndarray of int
        Cluster of every input row.
    cluster_balance_threshold_ : float or "auto"
        As imbalanced-learn: the parameter, or ``-inf`` with a single cluster.
    balance_thresholds_ : dict
        ``{label: the threshold used for the class}``.
    kept_clusters_, cluster_n_samples_ : dict
        ``{label: kept cluster ids}`` and ``{label: rows made in each}``.
    nn_k_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``),
        over the class rows of the last cluster used.
    n_features_in_ : int
        Number of features seen.

    Raises
    ------
    RuntimeError
        When no cluster is kept for a class (the error names the parameters to change).

    See Also
    --------
    SMOTE, SVMSMOTE

    Notes
    -----
    The clustering is fitted once (imbalanced-learn refits it for every class).
    imbalanced-learn gives each cluster ``ceil(n_samples * weight)`` rows, so it
    can make more rows than requested; here the total is exact.

    References
    ----------
    .. [1] F. Last, G. Douzas, F. Bacao, "Oversampling for imbalanced learning
       based on k-means and SMOTE", arXiv:1711.00837, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import KMeansSMOTE
    >>> X, y = make_classification(n_samples=2000, weights=[0.95], random_state=0)
    >>> X_res, y_res = KMeansSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([1890, 1890])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "k_neighbors": K_NEIGHBORS,
        "n_jobs": N_JOBS,
        "kmeans_estimator": [
            HasMethods(["fit", "predict"]),
            Interval(numbers.Integral, 1, None, closed="left"),
            None,
        ],
        "cluster_balance_threshold": [StrOptions({"auto"}), numbers.Real],
        "density_exponent": [StrOptions({"auto"}), numbers.Real],
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 2,
        n_jobs: int | None = None,
        kmeans_estimator: Any = None,
        cluster_balance_threshold: Any = "auto",
        density_exponent: Any = "auto",
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent
        self.neighbors = neighbors

    def _clustering(self, n_rows: int) -> Any:
        from sklearn.cluster import MiniBatchKMeans

        seed = estimator_seed(self.random_state)
        if self.kmeans_estimator is None:
            return MiniBatchKMeans(n_clusters=default_n_clusters(n_rows), random_state=seed)
        if isinstance(self.kmeans_estimator, numbers.Integral):
            if self.kmeans_estimator > n_rows:
                raise ValueError(
                    f"kmeans_estimator={self.kmeans_estimator} clusters need at least as many "
                    f"rows; X has {n_rows}. Use kmeans_estimator <= {n_rows}."
                )
            return MiniBatchKMeans(n_clusters=int(self.kmeans_estimator), random_state=seed)
        return clone(self.kmeans_estimator)

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(
            self.k_neighbors, self.neighbors, "k_neighbors", "KMeansSMOTE"
        )
        estimator = self._clustering(table.n_rows)
        if hasattr(estimator, "fit_predict"):
            labels = estimator.fit_predict(table.numeric)
        else:
            labels = estimator.fit(table.numeric).predict(table.numeric)
        self.kmeans_estimator_ = estimator
        self.cluster_labels_ = np.asarray(labels, dtype=np.int64)
        if self.cluster_labels_.size and self.cluster_labels_.min() < 0:
            raise ValueError(
                "The kmeans_estimator labelled some rows as noise (label -1); KMeansSMOTE "
                "needs every row in a cluster. Use a clustering without a noise label."
            )
        self._sizes = np.bincount(self.cluster_labels_)
        single = getattr(estimator, "n_clusters", None) == 1
        self.cluster_balance_threshold_ = -np.inf if single else self.cluster_balance_threshold
        total = sum(targets.values())
        self.balance_thresholds_ = {}
        for label, n_samples in targets.items():
            if single:
                threshold = -np.inf
            elif self.cluster_balance_threshold != "auto":
                threshold = float(self.cluster_balance_threshold)
            elif self.kmeans_estimator is None:
                threshold = float(np.mean(y == label))
            else:
                threshold = n_samples / total / 2
            self.balance_thresholds_[label] = threshold

    def _plan(self, task: ClassTask) -> ClassPlan:
        clusters = self.cluster_labels_[task.rows]
        plan = kmeans_smote_plan(
            task,
            k=self._k,
            clusters=clusters,
            cluster_sizes=self._sizes,
            threshold=self.balance_thresholds_[task.label],
            density_exponent=self.density_exponent,
            backend=self._backend,
        )
        if plan.batch is None:
            threshold = self.balance_thresholds_[task.label]
            best = plan.diagnostics["shares"].max()
            raise RuntimeError(
                f"KMeansSMOTE found no cluster for class {task.label!r}: a cluster is used "
                f"when the class is at least {threshold:.3g} of its rows "
                f"(cluster_balance_threshold) and it holds at least {self._k + 1} rows of "
                f"the class (k_neighbors={self._k}); the class's largest share in a cluster "
                f"is {best:.3g}. Lower cluster_balance_threshold, use more clusters "
                "(kmeans_estimator), or leave both at their defaults."
            )
        return plan

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        self.kept_clusters_ = {p.label: p.diagnostics["clusters"] for p in plans}
        self.cluster_n_samples_ = {p.label: p.diagnostics["counts"] for p in plans}
        rows = None
        if plans:
            last = plans[-1]
            used = last.diagnostics["clusters"][last.diagnostics["counts"] > 0]
            class_rows = np.flatnonzero(y == last.label)
            rows = class_rows[self.cluster_labels_[class_rows] == used[-1]]
        self.nn_k_ = fitted_neighbors(
            self._k, None if rows is None else table.numeric[rows], self._backend
        )
