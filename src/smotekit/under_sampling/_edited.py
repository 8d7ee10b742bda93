"""Edited nearest neighbours (Wilson, 1972): drop the rows their neighbourhood disagrees with.

The rule is a pure function of labels (:func:`edited_keep_mask`): a row of a
targeted class stays when all (``kind_sel="all"``) or most (``"mode"``) of its
``k`` nearest other rows share its class.  :func:`edited_nearest_neighbours`
runs it on data (one neighbour search), and the combined samplers and the
neighbourhood cleaning rule reuse both.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.utils._param_validation import StrOptions

from .._engine import fitted_neighbors, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._table import Table
from ..base import BaseSampler
from ..neighbors import NeighborGraph, SearchIndex
from ._neighborhood import all_rows_neighbors, check_enough_rows

__all__ = [
    "EditedNearestNeighbours",
    "edited_keep_mask",
    "edited_nearest_neighbours",
    "first_minority",
    "group_by_class",
    "rows_neighbors",
    "targeted_rows",
]

KIND_SEL = ("all", "mode")


def edited_keep_mask(
    neighbor_labels: np.ndarray, labels: np.ndarray, kind_sel: str = "all"
) -> np.ndarray:
    """Whether each row agrees with its neighbourhood (the edited nearest neighbour rule).

    Parameters
    ----------
    neighbor_labels : ndarray of shape (n_rows, k)
        Labels of every row's ``k`` neighbours.
    labels : ndarray of shape (n_rows,)
        Every row's own label.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: kept when every neighbour has the row's label.  ``"mode"``:
        kept when the most frequent neighbour label is the row's; a tie goes to
        the smallest label (the rule of ``scipy.stats.mode``, which
        imbalanced-learn uses), for labels of any type.

    Returns
    -------
    ndarray of bool of shape (n_rows,)
        True for the rows kept.

    Examples
    --------
    >>> labels = np.array([0, 1, 1])
    >>> neighbors = np.array([[0, 0, 1], [0, 1, 0], [0, 1, 2]])
    >>> edited_keep_mask(neighbors, labels, "all").tolist()
    [False, False, False]
    >>> edited_keep_mask(neighbors, labels, "mode").tolist()  # row 2: a three-way tie -> 0
    [True, False, False]
    """
    neighbor_labels = np.asarray(neighbor_labels)
    labels = np.asarray(labels)
    if kind_sel not in KIND_SEL:
        raise ValueError(f"kind_sel must be one of {KIND_SEL}; got {kind_sel!r}.")
    n_rows = labels.shape[0]
    if n_rows == 0:
        return np.zeros(0, dtype=bool)
    if kind_sel == "all":
        return np.all(neighbor_labels == labels[:, None], axis=1)
    _, codes = np.unique(np.concatenate([labels, neighbor_labels.ravel()]), return_inverse=True)
    own, theirs = codes[:n_rows], codes[n_rows:].reshape(neighbor_labels.shape)
    n_codes = int(codes.max()) + 1
    cells = (np.arange(n_rows)[:, None] * n_codes + theirs).ravel()
    counts = np.bincount(cells, minlength=n_rows * n_codes).reshape(n_rows, n_codes)
    return np.argmax(counts, axis=1) == own  # argmax: the first (smallest) of tied labels


def targeted_rows(y: np.ndarray, targeted: Any) -> np.ndarray:
    """Rows (in row order) whose class is among ``targeted``.

    Examples
    --------
    >>> targeted_rows(np.array([2, 0, 1, 0]), {0: 1}).tolist()
    [1, 3]
    """
    classes = np.asarray(list(targeted), dtype=y.dtype)
    return np.flatnonzero(np.isin(y, classes))


def first_minority(y: np.ndarray) -> Any:
    """The minority label, a tie going to the label that appears first in ``y``.

    (imbalanced-learn's iterative and cleaning-rule samplers count classes with
    ``Counter``, which keeps the order labels are first seen.)

    Examples
    --------
    >>> first_minority(np.array([3, 3, 1, 2, 2, 1, 3]))
    np.int64(1)
    """
    labels, first, counts = np.unique(y, return_index=True, return_counts=True)
    smallest = counts == counts.min()
    return labels[smallest][np.argmin(first[smallest])]


def group_by_class(rows: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``rows`` grouped by class in label order, in row order within a class.

    This is the order of imbalanced-learn's editing samplers' output.

    Examples
    --------
    >>> group_by_class(np.array([0, 1, 2, 3]), np.array([1, 0, 1, 0])).tolist()
    [1, 3, 0, 2]
    """
    rows = np.sort(np.asarray(rows, dtype=np.intp))
    _, codes = np.unique(y[rows], return_inverse=True)
    return rows[np.argsort(codes, kind="stable")]


def rows_neighbors(
    X: Any,
    rows: np.ndarray,
    k: int,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
    index: SearchIndex | None = None,
) -> tuple[np.ndarray, NeighborGraph]:
    """The ``k`` nearest other rows of X for ``rows``, by the cheaper of two searches.

    When ``rows`` are at least half of X and the backend has a symmetric
    self-query (each pair of rows computed once), every row is searched: that
    is cheaper than querying the subset.  Either way each listed row's
    neighbours are the same (exact backends: ties broken by index).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    rows : ndarray of int
        The rows that need neighbours.
    k : int
        Neighbours per row, its own row excluded.
    backend, n_jobs, index
        See :func:`smotekit.under_sampling._neighborhood.all_rows_neighbors`.

    Returns
    -------
    covered : ndarray of int
        The rows searched: ``rows`` itself, or every row of X.
    graph : NeighborGraph
        One line per row of ``covered``.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [3.0], [3.5]])
    >>> covered, graph = rows_neighbors(X, np.array([2]), 1)
    >>> covered.tolist(), graph.indices.tolist()
    ([2], [[3]])
    """
    rows = np.asarray(rows, dtype=np.intp)
    index = index if index is not None else SearchIndex(X, backend, n_jobs)
    n_rows = X.shape[0]
    if rows.size == 0:
        empty = np.empty((0, k))
        return rows, NeighborGraph(empty, empty.astype(np.int64))
    if 2 * rows.size >= n_rows and getattr(index.engine, "symmetric", False):
        return np.arange(n_rows), all_rows_neighbors(X, k, index=index)
    return rows, all_rows_neighbors(X, k, queries=rows, index=index)


def edited_nearest_neighbours(
    X: Any,
    y: np.ndarray,
    targeted: Any,
    k: int = 3,
    kind_sel: str = "all",
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """The rows the edited nearest neighbour rule keeps (``sample_indices_``).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    targeted : collection
        The classes edited (``sampling_strategy_``); other classes keep every row.
    k : int, default=3
        Neighbours of every row (its own row excluded, by index).
    kind_sel : {"all", "mode"}, default="all"
        See :func:`edited_keep_mask`.
    backend, n_jobs
        The neighbour backend and its threads.

    Returns
    -------
    ndarray of int
        The rows kept, grouped by class in label order.

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [5.0], [5.1]])
    >>> y = np.array([0, 0, 1, 0, 1, 1])
    >>> edited_nearest_neighbours(X, y, {0: 2}, k=1).tolist()
    [0, 1, 2, 4, 5]
    """
    rows = targeted_rows(y, targeted)
    if rows.size == 0:
        return group_by_class(np.arange(y.shape[0]), y)
    check_enough_rows(y.shape[0], k, "n_neighbors", "EditedNearestNeighbours")
    covered, graph = rows_neighbors(X, rows, k, backend=backend, n_jobs=n_jobs)
    indices = graph.indices if covered.size == rows.size else graph.indices[rows]
    keep = np.ones(y.shape[0], dtype=bool)
    keep[rows] = edited_keep_mask(y[indices], y[rows], kind_sel)
    return group_by_class(np.flatnonzero(keep), y)


class EditedNearestNeighbours(BaseSampler):
    """Clean the targeted classes of the rows their nearest neighbours disagree with.

    A row of a targeted class is removed when any (``kind_sel="all"``) or
    most (``kind_sel="mode"``) of its ``n_neighbors`` nearest other rows, of all
    the data, belong to another class (Wilson's editing rule, one class against
    the rest).

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        The classes cleaned: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not majority"``, ``"all"``, or a list of labels, in imbalanced-learn's
        semantics.
    n_neighbors : int or object, default=3
        Neighbours examined per row, or a scikit-learn ``NearestNeighbors``-like
        object used for the search (its ``n_neighbors - 1`` neighbours are
        examined, as in imbalanced-learn).
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: a row stays only if every neighbour shares its class;
        ``"mode"``: if its class is the most frequent among them (a tie goes to
        the smallest label, as ``scipy.stats.mode``).
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend (smotekit's): ``"auto"``, ``"exact"``, ``"tree"``,
        another registered name, or a backend object.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (with the minority's size, as imbalanced-learn
        reports it).
    nn_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``),
        over all rows; queries run on smotekit's engine.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    RepeatedEditedNearestNeighbours : Edit until nothing changes.
    AllKNN : Edit with 1, 2, ... ``n_neighbors`` neighbours in turn.
    NeighbourhoodCleaningRule : Editing plus cleaning around the minority.

    Notes
    -----
    The output is grouped by class in label order, in row order within a class,
    as imbalanced-learn's.  A row's own index is excluded from its neighbours,
    so an exact duplicate counts as a neighbour.  Any label type works with
    ``kind_sel="mode"`` (imbalanced-learn's needs numeric labels).

    References
    ----------
    .. [1] D. Wilson, "Asymptotic properties of nearest neighbor rules using
       edited data", IEEE Transactions on Systems, Man, and Cybernetics, 2(3),
       408-421, 1972.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> np.bincount(y)
    array([898, 102])
    >>> X_res, y_res = EditedNearestNeighbours().fit_resample(X, y)
    >>> np.bincount(y_res)
    array([849, 102])
    """

    _sampling_type = "clean-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "n_neighbors": K_NEIGHBORS,
        "kind_sel": [StrOptions(set(KIND_SEL))],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        kind_sel: str = "all",
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(
            self.n_neighbors, self.neighbors, "n_neighbors", type(self).__name__
        )
        check_enough_rows(n_rows, self._k, "n_neighbors", type(self).__name__)

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        kept = edited_nearest_neighbours(
            table.numeric,
            y,
            targets,
            self._k,
            self.kind_sel,
            backend=self._backend,
            n_jobs=self.n_jobs,
        )
        self.nn_ = fitted_neighbors(self._k, table.numeric, self._backend)
        return kept

    def _adopt_fit(
        self, X: Any, seen: Any, targets: dict[Any, int], kept: np.ndarray
    ) -> EditedNearestNeighbours:
        """Take the fitted state of an editing computed elsewhere (no new search).

        Samplers that run this rule inside their own loop (repeated editing,
        AllKNN, the cleaning rule) expose their last editing as a fitted
        ``EditedNearestNeighbours``: ``X`` is the caller's data (feature names),
        ``seen`` the numeric rows that editing saw, ``targets`` its
        ``sampling_strategy_`` and ``kept`` its ``sample_indices_`` (into ``seen``).
        """
        self._check_all_params()
        self._k, self._backend = resolve_k(
            self.n_neighbors, self.neighbors, "n_neighbors", type(self).__name__
        )
        self._record_features(X)
        self.sampling_strategy_ = dict(targets)
        self.nn_ = fitted_neighbors(self._k, seen, self._backend)
        self.sample_indices_ = np.asarray(kept, dtype=np.intp)
        return self
