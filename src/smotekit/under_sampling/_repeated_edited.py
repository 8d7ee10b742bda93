"""Repeated editing (Tomek, 1976): the edited nearest neighbour rule until it settles.

:func:`repeated_editing` applies the rule again and again with ``k``
neighbours (AllKNN, in :mod:`._all_knn`, with 1, 2, ... ``k`` in turn; both run
:func:`iterate_editing`).  Each round sees only the rows left by the previous
one, and both stop early when a class other than the minority falls below
the minority's original size or a class disappears, as imbalanced-learn's.
The neighbourhoods of the remaining rows come from one wide search
(:class:`RemainingNeighbors`), not from a new search every round, and equal
those of a fresh search.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._engine import fitted_neighbors, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._strategy import sampling_targets
from .._table import Table
from ..base import BaseSampler
from ._edited import (
    KIND_SEL,
    EditedNearestNeighbours,
    edited_keep_mask,
    first_minority,
    group_by_class,
)
from ._neighborhood import check_enough_rows
from ._remaining import RemainingNeighbors

__all__ = [
    "EditingRun",
    "RepeatedEditedNearestNeighbours",
    "iterate_editing",
    "repeated_editing",
    "shrunk_or_vanished",
]

# Neighbours stored per row beyond the largest k: a row is searched again only
# when more of its stored neighbours than this are removed.
_EXTRA_WIDTH = 2


@dataclass(frozen=True)
class EditingRun:
    """What an iterative editing kept, and its last round.

    Attributes
    ----------
    sample_indices : ndarray of int
        The rows kept, grouped by class in label order.
    n_iter : int
        Rounds run.
    k : int
        Neighbours of the last round.
    seen : ndarray of int
        The rows the last round edited, in the order it saw them.
    targets : dict
        The classes the last round edited (its ``sampling_strategy_``).
    kept : ndarray of int
        The last round's kept rows, as positions in ``seen``.
    searches : int
        Neighbour searches run.

    Examples
    --------
    >>> run = EditingRun(np.array([2, 0]), 1, 3, np.arange(3), {0: 1}, np.array([2, 0]))
    >>> run.n_iter, run.sample_indices.tolist()
    (1, [2, 0])
    """

    sample_indices: np.ndarray
    n_iter: int
    k: int
    seen: np.ndarray
    targets: dict[Any, int] = field(default_factory=dict)
    kept: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.intp))
    searches: int = 0


def _edit_round(
    neighbors: RemainingNeighbors,
    y: np.ndarray,
    seen: np.ndarray,
    strategy: Any,
    k: int,
    kind_sel: str,
    owner: str,
) -> tuple[np.ndarray, dict[Any, int], np.ndarray]:
    """One editing of the rows ``seen``: (rows left grouped, targets, kept positions)."""
    if seen.size < k + 1:
        raise ValueError(
            f"{owner}: only {seen.size} rows remain after editing, too few for {k} "
            f"neighbours each ({k + 1} rows needed). Use a smaller n_neighbors."
        )
    targets = sampling_targets("clean-sampling", strategy, y[seen])
    ordered = np.sort(seen)
    rows = ordered[np.isin(y[ordered], np.asarray(list(targets), dtype=y.dtype))]
    if rows.size:
        keep = edited_keep_mask(y[neighbors.neighbors(rows, k)], y[rows], kind_sel)
        neighbors.remove(rows[~keep])
    left = group_by_class(neighbors.remaining, y)
    position = np.empty(y.shape[0], dtype=np.intp)
    position[seen] = np.arange(seen.size)
    return left, targets, position[left]


def iterate_editing(
    X: Any,
    y: np.ndarray,
    strategy: Any,
    schedule: list[int],
    kind_sel: str,
    stop: Callable[[np.ndarray, np.ndarray, np.ndarray], bool],
    backend: Any,
    n_jobs: int | None,
    owner: str,
) -> EditingRun:
    """Edit with ``schedule[i]`` neighbours in round ``i`` until ``stop`` says so.

    ``strategy`` is evaluated on the labels left before each round; ``stop``
    is called after each round with the rows it saw and the rows it left;
    ``owner`` is the sampler named in errors.  Returns an :class:`EditingRun`.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [1.1], [5.0], [6.0], [7.0]])
    >>> y = np.array([0, 0, 1, 1, 1, 1])
    >>> never = lambda seen, left, y: False
    >>> run = iterate_editing(X, y, "all", [1, 1], "all", never, "auto", None, "doc")
    >>> run.sample_indices.tolist(), run.n_iter
    ([3, 4, 5], 2)
    """
    neighbors = RemainingNeighbors(X, max(schedule) + _EXTRA_WIDTH, backend, n_jobs)
    seen = np.arange(y.shape[0])
    run = EditingRun(seen, 0, schedule[0], seen)
    for n_iter, k in enumerate(schedule, start=1):
        left, targets, kept = _edit_round(neighbors, y, seen, strategy, k, kind_sel, owner)
        run = EditingRun(left, n_iter, k, seen, targets, kept, neighbors.searches)
        done = stop(seen, left, y)
        seen = left
        if done:
            break
    return run


def shrunk_or_vanished(y: np.ndarray, allow_minority: bool = False) -> Callable[..., bool]:
    """imbalanced-learn's early stop, as a function ``(seen, left, y) -> bool``.

    True when a class of ``y`` is missing from the rows ``left``, or (unless
    ``allow_minority``) a class other than the minority (:func:`first_minority`)
    has fewer rows left than the minority had in ``y``.

    Examples
    --------
    >>> y = np.array([0, 0, 0, 1, 1])
    >>> stop = shrunk_or_vanished(y)
    >>> stop(np.arange(5), np.array([0, 1, 3, 4]), y), stop(np.arange(5), np.array([0, 3, 4]), y)
    (False, True)
    """
    minority = first_minority(y)
    n_minority = int(np.sum(y == minority))
    n_classes = np.unique(y).size

    def stop(seen: np.ndarray, left: np.ndarray, labels: np.ndarray) -> bool:
        classes, counts = np.unique(labels[left], return_counts=True)
        if classes.size < n_classes:
            return True
        return not allow_minority and bool(np.any(counts[classes != minority] < n_minority))

    return stop


def repeated_editing(
    X: Any,
    y: np.ndarray,
    strategy: Any = "auto",
    k: int = 3,
    kind_sel: str = "all",
    max_iter: int = 100,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> EditingRun:
    """Repeated edited nearest neighbours: edit with ``k`` neighbours until it settles.

    A round edits the classes ``strategy`` names among the rows left (the
    rule of :func:`~smotekit.under_sampling._edited.edited_keep_mask`).  It
    stops after a round that removes nothing, after ``max_iter`` rounds, or
    after a round that leaves a class other than the minority smaller than the
    minority's original size or removes a class entirely.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    strategy : str or list, default="auto"
        ``sampling_strategy``, evaluated on the labels left before each round.
    k : int, default=3
        Neighbours per row.
    kind_sel : {"all", "mode"}, default="all"
    max_iter : int, default=100
    backend, n_jobs
        The neighbour backend and its threads.

    Returns
    -------
    EditingRun

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [2.1], [3.0], [4.0], [5.0]])
    >>> y = np.array([0, 0, 1, 0, 1, 1, 1])
    >>> run = repeated_editing(X, y, "all", k=1)
    >>> run.sample_indices.tolist(), run.n_iter  # class 1 fell below 3 rows: stop
    ([0, 1, 5, 6], 1)
    """

    def stop(seen: np.ndarray, left: np.ndarray, labels: np.ndarray) -> bool:
        return left.size == seen.size or shrunk(seen, left, labels)

    shrunk = shrunk_or_vanished(y)
    return iterate_editing(
        X,
        y,
        strategy,
        [k] * max_iter,
        kind_sel,
        stop,
        backend,
        n_jobs,
        "RepeatedEditedNearestNeighbours",
    )


class IterativeEditing(BaseSampler):
    """What repeated editing and AllKNN share: the search, checks and fitted attributes."""

    _sampling_type = "clean-sampling"
    _sample_indices = True

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        name = type(self).__name__
        self._k, self._backend = resolve_k(self.n_neighbors, self.neighbors, "n_neighbors", name)
        check_enough_rows(table.n_rows, self._k, "n_neighbors", name)

    def _run(self, table: Table, y: np.ndarray) -> EditingRun:
        raise NotImplementedError

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        run = self._run(table, y)
        self.nn_ = fitted_neighbors(self._k, table.numeric, self._backend)
        self.enn_ = self._last_editing(run)._adopt_fit(
            table.source, table.numeric[run.seen], run.targets, run.kept
        )
        return run.sample_indices

    def _last_editing(self, run: EditingRun) -> EditedNearestNeighbours:
        return EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy,
            n_neighbors=self.n_neighbors,
            kind_sel=self.kind_sel,
            n_jobs=self.n_jobs,
            neighbors=self.neighbors,
        )


class RepeatedEditedNearestNeighbours(IterativeEditing):
    """Apply the edited nearest neighbour rule again and again, until it settles.

    Every round removes, from the targeted classes, the rows whose
    ``n_neighbors`` nearest remaining rows disagree with them (see
    :class:`EditedNearestNeighbours`); the next round sees only the rows left.
    It stops after a round that removes nothing, after ``max_iter`` rounds, or
    after a round that leaves a class other than the minority smaller than the
    minority was, or removes a class entirely (imbalanced-learn's rules).

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        The classes cleaned, evaluated on the labels left before each round:
        ``"auto"`` (= ``"not minority"``), ``"majority"``, ``"not majority"``,
        ``"all"``, or a list of labels.
    n_neighbors : int or object, default=3
        Neighbours examined per row, or a scikit-learn ``NearestNeighbors``-like
        object used for the search (its ``n_neighbors - 1`` neighbours are
        examined, as in imbalanced-learn).
    max_iter : int, default=100
        Most rounds.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: a row stays only if every neighbour shares its class;
        ``"mode"``: if its class is the most frequent among them.
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend (smotekit's): ``"auto"``, ``"exact"``, ``"tree"``,
        another registered name, or a backend object.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned in the first round.
    nn_ : FittedNeighbors
        imbalanced-learn's neighbour estimator (``n_neighbors = k + 1``), over all rows.
    enn_ : EditedNearestNeighbours
        The last round, as a fitted editing of the rows it saw.
    n_iter_ : int
        Rounds run.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : One round.
    AllKNN : Rounds with 1, 2, ... ``n_neighbors`` neighbours.

    Notes
    -----
    One search, with a few more neighbours than ``n_neighbors``, serves every
    round: a row's nearest remaining rows are read from its stored list, and
    only a row whose list ran out is searched again, among the remaining rows.
    The result equals a fresh search every round.  The output is grouped by
    class in label order, as imbalanced-learn's.

    References
    ----------
    .. [1] I. Tomek, "An experiment with the edited nearest-neighbor rule",
       IEEE Transactions on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import RepeatedEditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> np.bincount(y_res), renn.n_iter_
    (array([840, 102]), 3)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "n_neighbors": K_NEIGHBORS,
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "kind_sel": [StrOptions(set(KIND_SEL))],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        max_iter: int = 100,
        kind_sel: str = "all",
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _run(self, table: Table, y: np.ndarray) -> EditingRun:
        run = repeated_editing(
            table.numeric,
            y,
            self.sampling_strategy,
            self._k,
            self.kind_sel,
            self.max_iter,
            backend=self._backend,
            n_jobs=self.n_jobs,
        )
        self.n_iter_ = run.n_iter
        return run
