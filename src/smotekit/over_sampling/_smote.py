"""SMOTE: synthetic rows on segments between a class's rows and their neighbours."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.utils._param_validation import StrOptions

from .._engine import check_class_size, fitted_neighbors, last_class_rows, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import ClassStreams, RandomStateLike
from .._recipe import ClassPlan, SyntheticBatch
from .._selection import uniform_seed_counts
from .._table import Table
from ..base import BaseSampler
from ..neighbors import NeighborGraph

__all__ = ["SMOTE", "segment_batch", "smote_plan"]


def segment_batch(
    label: Any,
    rows: np.ndarray,
    graph: NeighborGraph,
    n_new: int,
    streams: ClassStreams,
    *,
    seed_pool: np.ndarray | None = None,
    seed_local: np.ndarray | None = None,
    neighbor_space: str = "class",
) -> SyntheticBatch:
    """Rows on segments from a seed to one of its graph neighbours, chosen uniformly.

    Chunk ``j`` of the ``n_new`` rows draws from ``streams.chunk(j)``: the seeds
    (uniformly from ``seed_pool``, unless ``seed_local`` fixes them), then the
    neighbour ranks, then the gaps ``U[0, 1)``.  Streams with a window make
    only the window's rows.

    Parameters
    ----------
    label : object
        The class of the new rows.
    rows : ndarray of int
        The class's rows.
    graph : NeighborGraph
        Row ``i`` holds the neighbours of seed candidate ``i`` (of ``seed_pool``).
    n_new : int
        Rows to make.
    streams : ClassStreams
        The class's streams.
    seed_pool : ndarray of int or None
        Class-local rows that may seed, one per graph row; None: every row.
    seed_local : ndarray of int or None
        Fixed positions (in the pool) of every new row's seed.
    neighbor_space : {"class", "all"}
        What the graph's indices index.

    Returns
    -------
    SyntheticBatch
    """
    pool_size = graph.indices.shape[0]
    first, last = streams.span(n_new)
    seeds = np.empty(last - first, dtype=np.int64)
    neighbors = np.empty(last - first, dtype=np.int64)
    gaps = np.empty(last - first, dtype=np.float64)
    for _, start, stop, rng in streams.chunks(n_new):
        size = stop - start
        local = (
            seed_local[first + start : first + stop]
            if seed_local is not None
            else rng.integers(0, pool_size, size)
        )
        rank = rng.integers(0, graph.k, size=size)
        gaps[start:stop] = rng.random(size)
        seeds[start:stop] = local
        neighbors[start:stop] = graph.indices[local, rank]
    if seed_pool is not None:
        seeds = seed_pool[seeds]
    return SyntheticBatch(label, rows, seeds, neighbors, gaps, neighbor_space)


def smote_plan(
    task: ClassTask,
    *,
    k: int,
    seed_selection: str = "random",
    backend: Any = "auto",
) -> ClassPlan:
    """SMOTE's plan for one class (Chawla et al. 2002).

    Each new row's seed is a row of the class (drawn uniformly with replacement,
    or every row ``G // m`` or one more times with ``seed_selection="uniform"``,
    from the class-level stream), its neighbour one of the seed's ``k`` nearest
    rows of the class, chosen uniformly, and its gap ``U[0, 1)``.

    Parameters
    ----------
    task : ClassTask
        The class.
    k : int
        Neighbours per seed.
    seed_selection : {"random", "uniform"}
        How seeds are chosen.
    backend : str or object
        Passed to the task's neighbour source.

    Returns
    -------
    ClassPlan
    """
    graph = task.neighbors.within_class(task, k, backend=backend)
    seed_local = None
    if seed_selection == "uniform":
        counts = uniform_seed_counts(task.size, task.n_target, task.streams.selection())
        seed_local = np.repeat(np.arange(task.size), counts)
    batch = segment_batch(
        task.label, task.rows, graph, task.n_target, task.streams, seed_local=seed_local
    )
    return ClassPlan(task.label, batch=batch)


class SMOTE(BaseSampler):
    """Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002).

    For every class to over-sample, each synthetic row is
    ``x_s + u * (x_nn - x_s)``: a seed row ``x_s`` of the class, one of its
    ``k_neighbors`` nearest neighbours ``x_nn`` within the class (the row itself
    excluded by index), and a gap ``u ~ U[0, 1)``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class should have after resampling; the forms and
        meaning are imbalanced-learn's (float: minority/majority ratio for binary
        targets; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"``,
        ``"auto"``; dict ``{label: n_samples}``; callable ``y -> dict``).
    random_state : int, RandomState, Generator or None, default=None
        Seed of all randomness; each class, and each chunk of its synthetic
        rows, draws from its own child stream (see :mod:`smotekit._random`).
    k_neighbors : int or object, default=5
        Neighbours per seed, or a scikit-learn ``NearestNeighbors``-like object
        (its ``n_neighbors - 1`` neighbours are used, as in imbalanced-learn).
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend: ``"auto"`` (KD-tree for few features, else exact
        blocked brute force), ``"exact"``, ``"tree"``, another registered name,
        or a backend object (see :mod:`smotekit.neighbors`).
    seed_selection : {"random", "uniform"}, default="random"
        ``"random"`` draws every seed uniformly with replacement (as
        imbalanced-learn); ``"uniform"`` gives every row ``G // m`` or one more
        synthetic rows (the paper's scheme; lower variance).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        One row per synthetic row, in output order: ``label``, ``seed`` and
        ``neighbor`` (row indices into the input X) and ``gap``.
    nn_k_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``), over
        the rows of the last class over-sampled; queries run on smotekit's engine.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    BorderlineSMOTE : Seeds only at the class border.
    ADASYN : More synthetic rows where the class is hardest to learn.
    RandomOverSampler : Duplicates rows instead of interpolating.

    Notes
    -----
    The output holds the original rows unchanged and in their order, then the
    synthetic rows grouped by class.  For pandas input, integer and boolean
    columns are rounded back to their dtype (a synthetic value between 2 and 3
    becomes 2 or 3).  Results are identical for any ``n_jobs``.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", Journal of Artificial
       Intelligence Research, 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> np.bincount(y)
    array([898, 102])
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([898, 898])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "k_neighbors": K_NEIGHBORS,
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
        "seed_selection": [StrOptions({"random", "uniform"})],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
        seed_selection: str = "random",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors
        self.seed_selection = seed_selection

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(self.k_neighbors, self.neighbors, "k_neighbors", "SMOTE")
        for label in targets:
            check_class_size(class_sizes[label], self._k, label, "k_neighbors", "SMOTE")

    def _plan(self, task: ClassTask) -> ClassPlan:
        return smote_plan(
            task, k=self._k, seed_selection=self.seed_selection, backend=self._backend
        )

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        rows = last_class_rows(plans, y)
        self.nn_k_ = fitted_neighbors(
            self._k, None if rows is None else table.numeric[rows], self._backend
        )
