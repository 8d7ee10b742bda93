"""The neighbourhood cleaning rule (Laurikkala, 2001): editing, then cleaning around the minority.

Two sets of rows are removed: those the edited nearest neighbour rule removes
(``kind_sel="mode"`` by default), and the rows of the classes cleaned that are
among the ``k`` nearest neighbours of a minority row its own neighbourhood
misclassifies (:func:`cleaned_around_minority`, a pure function of the graph).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval

from .._engine import fitted_neighbors, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._strategy import sampling_targets
from .._table import Table
from ..base import BaseSampler
from ._edited import (
    EditedNearestNeighbours,
    edited_keep_mask,
    first_minority,
    group_by_class,
    rows_neighbors,
    targeted_rows,
)
from ._neighborhood import check_enough_rows

__all__ = ["NeighbourhoodCleaningRule", "classes_to_clean", "cleaned_around_minority"]


def classes_to_clean(y: np.ndarray, targeted: Any, threshold_cleaning: float) -> list[Any]:
    """The targeted classes larger than ``threshold_cleaning`` times the minority.

    The minority is the smallest class (a tie: the label first seen in ``y``);
    the classes come in the order they first appear in ``y``, as in
    imbalanced-learn.

    Examples
    --------
    >>> y = np.array([2, 0, 0, 1, 1, 1, 2, 2, 2])
    >>> classes_to_clean(y, {1: 2, 2: 2}, 0.5)
    [2, 1]
    """
    labels, first, counts = np.unique(y, return_index=True, return_counts=True)
    n_minority = int(np.sum(y == first_minority(y)))
    chosen = []
    for i in np.argsort(first, kind="stable"):
        label = labels[i].item() if hasattr(labels[i], "item") else labels[i]
        if label in targeted and counts[i] > n_minority * threshold_cleaning:
            chosen.append(label)
    return chosen


def cleaned_around_minority(
    y: np.ndarray, minority_rows: np.ndarray, neighbors: np.ndarray, cleaned: Any
) -> np.ndarray:
    """Rows of the ``cleaned`` classes near a minority row its neighbourhood misclassifies.

    A minority row is misclassified when the most frequent label among itself
    and its ``k - 1`` nearest other rows (the ``k`` nearest rows, itself
    included) is not its own; a tie goes to the smallest label, as a uniform
    ``KNeighborsClassifier`` predicts.

    Parameters
    ----------
    y : ndarray of shape (n_rows,)
    minority_rows : ndarray of int of shape (m,)
    neighbors : ndarray of int of shape (m, k)
        The ``k`` nearest other rows of every minority row.
    cleaned : collection
        The classes whose rows may be removed.

    Returns
    -------
    ndarray of int
        The rows to remove, sorted.

    Examples
    --------
    >>> y = np.array([1, 0, 0, 1, 0])
    >>> cleaned_around_minority(y, np.array([0, 3]), np.array([[1, 2], [0, 4]]), [0]).tolist()
    [1, 2]
    """
    own = y[minority_rows]
    votes = np.column_stack([own, y[neighbors[:, : neighbors.shape[1] - 1]]])
    misclassified = ~edited_keep_mask(votes, own, "mode")
    near = np.unique(neighbors[misclassified].ravel())
    return near[np.isin(y[near], np.asarray(list(cleaned), dtype=y.dtype))]


def _search_spec(n_neighbors: Any, neighbors: Any) -> Any:
    """What searches: the neighbours object if one was given, else the backend name."""
    return n_neighbors if hasattr(n_neighbors, "kneighbors") else neighbors


class NeighbourhoodCleaningRule(BaseSampler):
    """Edit the data, then clean the neighbourhood of the misclassified minority rows.

    Removes (1) the rows an edited nearest neighbour rule removes and (2) the
    rows of the classes cleaned that are among the ``n_neighbors`` nearest
    neighbours of a minority row misclassified by its ``n_neighbors`` nearest
    rows (itself included).  A targeted class is cleaned in step 2 only when it
    has more than ``threshold_cleaning`` times as many rows as the minority.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        The classes cleaned: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not majority"``, ``"all"``, or a list of labels, in imbalanced-learn's
        semantics.
    edited_nearest_neighbours : object or None, default=None
        The editing of step 1: an ``EditedNearestNeighbours`` (smotekit's or
        imbalanced-learn's; it is cloned).  None: smotekit's with
        ``kind_sel="mode"``, this ``n_neighbors`` and this ``sampling_strategy``.
    n_neighbors : int or object, default=3
        Neighbourhood size, or a scikit-learn ``NearestNeighbors``-like object
        used for both searches (its ``n_neighbors - 1`` neighbours, as in
        imbalanced-learn).
    threshold_cleaning : float, default=0.5
        A class is cleaned in step 2 when it has more than
        ``threshold_cleaning`` times the minority's rows.
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
    edited_nearest_neighbours_ : object
        The fitted editing of step 1.
    nn_ : FittedNeighbors
        The neighbourhood of step 2 (``n_neighbors`` rows, a row itself
        included), over all rows; queries run on smotekit's engine.
    classes_to_clean_ : list
        The classes cleaned in step 2, in the order they appear in y.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : Step 1 alone.

    Notes
    -----
    The rows kept stay in their original order, as imbalanced-learn's.  With
    the default editing, one neighbour search serves both steps.

    References
    ----------
    .. [1] J. Laurikkala, "Improving identification of difficult small classes
       by balancing class distribution", Artificial Intelligence in Medicine
       (AIME), Springer, 63-66, 2001.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import NeighbourhoodCleaningRule
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = NeighbourhoodCleaningRule().fit_resample(X, y)
    >>> np.bincount(y_res)
    array([807, 102])
    """

    _sampling_type = "clean-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": K_NEIGHBORS,
        "threshold_cleaning": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        edited_nearest_neighbours: Any = None,
        n_neighbors: Any = 3,
        threshold_cleaning: float = 0.5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        name = type(self).__name__
        self._k, self._backend = resolve_k(self.n_neighbors, self.neighbors, "n_neighbors", name)
        check_enough_rows(table.n_rows, self._k, "n_neighbors", name)
        if self.edited_nearest_neighbours is None:
            self._editing = EditedNearestNeighbours(
                sampling_strategy=self.sampling_strategy,
                n_neighbors=self.n_neighbors,
                kind_sel="mode",
                n_jobs=self.n_jobs,
                neighbors=self.neighbors,
            )
        else:
            self._editing = clone(self.edited_nearest_neighbours)

    def _shares_search(self) -> bool:
        """Whether the editing searches as step 2 does (then one search serves both)."""
        editing = self._editing
        if type(editing) is not EditedNearestNeighbours:
            return False
        ours = _search_spec(self.n_neighbors, self.neighbors)
        theirs = _search_spec(editing.n_neighbors, editing.neighbors)
        same_name = isinstance(ours, str) and isinstance(theirs, str) and ours == theirs
        return same_name or ours is theirs

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        X, editing = table.numeric, self._editing
        minority_rows = np.flatnonzero(y == first_minority(y))
        removed = np.ones(y.shape[0], dtype=bool)
        if self._shares_search():
            k_edit, _ = resolve_k(editing.n_neighbors, editing.neighbors, "n_neighbors", "ENN")
            check_enough_rows(table.n_rows, k_edit, "n_neighbors", "EditedNearestNeighbours")
            edit_targets = sampling_targets("clean-sampling", editing.sampling_strategy, y)
            edited = targeted_rows(y, edit_targets)
            neighbors = self._neighbors(X, np.union1d(edited, minority_rows), max(k_edit, self._k))
            near = neighbors(edited)[:, :k_edit]
            removed[:] = False
            removed[edited] = ~edited_keep_mask(y[near], y[edited], editing.kind_sel)
            kept = group_by_class(np.flatnonzero(~removed), y)
            editing._adopt_fit(table.source, X, edit_targets, kept)
        else:
            editing.fit_resample(table.source, y)
            removed[np.asarray(editing.sample_indices_, dtype=np.intp)] = False
            neighbors = self._neighbors(X, minority_rows, self._k)
        around = neighbors(minority_rows)[:, : self._k]
        self.edited_nearest_neighbours_ = editing
        self.classes_to_clean_ = classes_to_clean(y, targets, self.threshold_cleaning)
        removed[cleaned_around_minority(y, minority_rows, around, self.classes_to_clean_)] = True
        self.nn_ = fitted_neighbors(self._k - 1, X, self._backend)
        return np.flatnonzero(~removed)

    def _neighbors(self, X: Any, rows: np.ndarray, k: int) -> Callable[[np.ndarray], np.ndarray]:
        """One search for ``rows``; returns the lookup ``subset of rows -> their k neighbours``."""
        covered, graph = rows_neighbors(X, rows, k, backend=self._backend, n_jobs=self.n_jobs)
        line = np.full(X.shape[0], -1, dtype=np.intp)
        line[covered] = np.arange(covered.size)
        return lambda subset: graph.indices[line[subset]]
