"""One-sided selection (Kubat & Matwin, 1997): a one-step condensing, then Tomek links."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from .._table import Table
from ._condensed import _SeededStore
from ._neighborhood import all_rows_neighbors, tomek_link_mask
from ._store import (
    ClassRows,
    condense_per_class,
    deciding_distances,
    dense64,
    minority_label,
    power_of_two_scale,
    resolve_classifier,
    seed_votes,
    votes_needed,
)

__all__ = ["OneSidedSelection", "misclassified_by_seeds", "one_sided_select"]


def misclassified_by_seeds(
    S: np.ndarray,
    M: np.ndarray,
    seeds: np.ndarray,
    *,
    k: int = 1,
    need: int = 1,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """Rows of a class that the k-NN rule over (minority rows, seeds) misclassifies.

    Parameters
    ----------
    S : ndarray of float64 of shape (n_rows, n_features)
        The class's rows.
    M : ndarray of float64 of shape (n_minority, n_features)
        The minority rows.
    seeds : ndarray of int
        Class-local rows in the store (distinct).
    k : int, default=1
        Neighbours voting.
    need : int, default=1
        Votes of the class needed to classify a row as its class (distance ties
        go to the minority rows).
    backend : str or object, default="auto"
        Neighbour backend for the minority search.
    n_jobs : int or None, default=None
        Threads for the minority search.

    Returns
    -------
    ndarray of int
        The misclassified class-local rows other than the seeds, in row order.

    Examples
    --------
    >>> S = np.array([[0.0], [1.0], [5.0], [6.0]])
    >>> misclassified_by_seeds(S, np.array([[3.2]]), np.array([0])).tolist()
    [2, 3]
    """
    scale = power_of_two_scale(S, M)
    if scale != 1.0:
        S, M = S * scale, M * scale
    limit = deciding_distances(S, M, k - need + 1, backend, n_jobs)
    wrong = seed_votes(ClassRows(S), np.asarray(seeds, dtype=np.intp), limit) < need
    wrong[seeds] = False
    return np.flatnonzero(wrong)


def one_sided_select(
    X: Any,
    y: np.ndarray,
    targets: Any,
    condensed: np.ndarray,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """The rows of ``condensed`` left once its Tomek links of targeted classes are removed.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        All rows.
    y : ndarray of shape (n_rows,)
        Labels.
    targets : collection
        The targeted classes.
    condensed : ndarray of int
        The rows kept by the condensing step, in output order.
    backend : str or object, default="auto"
        Neighbour backend.
    n_jobs : int or None, default=None
        Threads.

    Returns
    -------
    ndarray of int
        A subsequence of ``condensed``.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [1.1], [5.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> one_sided_select(X, y, {0}, np.arange(4)).tolist()
    [0, 2, 3]
    """
    condensed = np.asarray(condensed, dtype=np.intp)
    if condensed.size < 2:
        return condensed
    nearest = all_rows_neighbors(X[condensed], 1, backend=backend, n_jobs=n_jobs).indices[:, 0]
    linked = tomek_link_mask(nearest, y[condensed], targets)
    return condensed[~linked]


class OneSidedSelection(_SeededStore):
    """Under-sample by one-sided selection.

    For each targeted class, a store holds every row of the minority class and
    ``n_seeds_S`` rows of the class drawn at random; the class keeps the seeds
    and the rows the store's k-NN rule misclassifies (one step of condensed
    nearest neighbour).  Tomek links among the rows kept are then removed from
    the targeted classes.  Classes not targeted keep every row.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        The classes to select from (imbalanced-learn's cleaning strategies).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the seeds (each class draws from its own stream).
    n_neighbors : int, KNeighborsClassifier or None, default=None
        The rule's neighbours: None is 1-NN; a classifier object is used as given.
    n_seeds_S : int, default=1
        Rows of each class in the store (distinct rows).
    n_jobs : int or None, default=None
        Threads for the neighbour searches.
    neighbors : str or object, default="auto"
        smotekit's neighbour backend (minority searches and Tomek links).

    Attributes
    ----------
    sampling_strategy_ : dict
        The targeted classes.
    estimators_ : list of KNeighborsClassifier
        Per targeted class, the classifier fitted on its store.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.

    Notes
    -----
    Output per class in label order (a selected class gives its seeds, then its
    misclassified rows in row order), less the Tomek links.  A Tomek link's
    nearest neighbour is found excluding the row itself by index, so duplicated
    rows are each other's neighbours.

    References
    ----------
    .. [1] M. Kubat, S. Matwin, "Addressing the curse of imbalanced training
       sets: one-sided selection", ICML 1997, 179-186.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import OneSidedSelection
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X, y)
    >>> np.bincount(y)
    array([450,  50])
    >>> np.bincount(y_res)
    array([433,  50])
    """

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        k, classifier, euclidean = resolve_classifier(
            self.n_neighbors, self.n_jobs, type(self).__name__
        )
        minority = minority_label(y)
        minority_rows = np.flatnonzero(y == minority)
        self.estimators_ = []

        def keep(label: Any, rows: np.ndarray, seeds: np.ndarray) -> np.ndarray:
            store = np.concatenate([minority_rows, rows[seeds]])
            fitted = clone(classifier).fit(table.numeric[store], y[store])
            self.estimators_.append(fitted)
            if label == minority:
                wrong = np.empty(0, dtype=np.intp)  # a one-class store is always right
            elif euclidean:
                wrong = misclassified_by_seeds(
                    dense64(table.numeric[rows]),
                    dense64(table.numeric[minority_rows]),
                    seeds,
                    k=k,
                    need=votes_needed(k, label, minority),
                    backend=self.neighbors,
                    n_jobs=self.n_jobs,
                )
            else:
                others = np.setdiff1d(np.arange(rows.size), seeds)
                wrong = others[fitted.predict(table.numeric[rows[others]]) != label]
            return np.concatenate([seeds, wrong])

        condensed = condense_per_class(y, targets, seed, self.n_seeds_S, keep)
        return one_sided_select(
            table.numeric, y, targets, condensed, backend=self.neighbors, n_jobs=self.n_jobs
        )
