"""Condensed nearest neighbour (Hart, 1968): keep a store that classifies the rest correctly.

For every targeted class, a store starts with all rows of the minority class
and ``n_seeds_S`` rows of the class drawn at random; the class's rows are then
visited once, in row order, and each row the store's k-NN rule misclassifies is
added to it.  Each pass is between the minority and one class at a time, as in
imbalanced-learn.

A row's k-NN vote among (minority rows, kept rows) only gains votes for its own
class when a row of its class is added, so a row classified correctly stays
so.  The pass therefore never re-asks a settled row: it tracks, for every row
still misclassified, how many kept rows lie strictly nearer than its deciding
minority neighbour, and updates those counts with each block of new kept rows
(one matrix product, exact comparisons; see :func:`closer_than`).  The result
is the row-by-row pass's, exactly.
"""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval

from .._params import N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._random import RandomStateLike
from .._table import Table
from ..base import BaseSampler
from ._store import (
    ClassRows,
    check_store_sizes,
    closer_than,
    condense_per_class,
    count_closer,
    deciding_distances,
    dense64,
    minority_label,
    power_of_two_scale,
    resolve_classifier,
    seed_votes,
    votes_needed,
)

__all__ = ["CondensedNearestNeighbour", "condense_class", "condense_with_classifier"]

# Rows whose vote is settled one after another before the rest are updated at once.
_BLOCK = 1024


def condense_class(
    S: np.ndarray,
    M: np.ndarray,
    seeds: np.ndarray,
    *,
    k: int = 1,
    need: int = 1,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """Hart's condensing of one class against the minority (Euclidean k-NN rule).

    A store holds every minority row ``M`` and the kept rows of the class
    ``S`` (first ``seeds``); a row is classified as its class when at least
    ``need`` of its ``k`` nearest store rows are kept rows (distance ties go to
    the minority rows, which come first in the store).  Each row, in order, is
    kept when the store misclassifies it.

    Parameters
    ----------
    S : ndarray of float64 of shape (n_rows, n_features)
        The class's rows.
    M : ndarray of float64 of shape (n_minority, n_features)
        The minority rows.
    seeds : ndarray of int
        Class-local rows the store starts with (distinct).
    k : int, default=1
        Neighbours voting.
    need : int, default=1
        Votes of the class needed (``k // 2 + 1``, or ``k // 2`` when it wins ties).
    backend : str or object, default="auto"
        Neighbour backend for the minority search.
    n_jobs : int or None, default=None
        Threads for the minority search.

    Returns
    -------
    ndarray of int
        The kept class-local rows: ``seeds`` (in the given order), then the rows
        added, in row order.

    Examples
    --------
    >>> S = np.array([[0.0], [1.0], [5.0], [6.0]])
    >>> M = np.array([[3.2]])
    >>> condense_class(S, M, np.array([0])).tolist()  # 1.0 is nearer 0.0; 5.0 nearer M
    [0, 2]
    """
    n = S.shape[0]
    seeds = np.asarray(seeds, dtype=np.intp)
    scale = power_of_two_scale(S, M)
    if scale != 1.0:
        S, M = S * scale, M * scale
    limit = deciding_distances(S, M, k - need + 1, backend, n_jobs)
    rows = ClassRows(S)
    votes = seed_votes(rows, seeds, limit)
    settled = votes >= need
    settled[seeds] = True
    added: list[np.ndarray] = []
    for b0 in range(0, n, _BLOCK):
        b1 = min(b0 + _BLOCK, n)
        block = b0 + np.flatnonzero(~settled[b0:b1])
        if block.size == 0:
            continue
        inner = closer_than(rows, block, block, limit[block])
        v = votes[block].copy()
        new = []
        pos = 0
        while pos < block.size:
            short = v[pos:] < need
            first = int(np.argmax(short))
            if not short[first]:
                break
            a = pos + first
            new.append(a)
            v[a + 1 :] += inner[a + 1 :, a]
            pos = a + 1
        settled[block] = True
        if not new:
            continue
        new_rows = block[np.asarray(new)]
        added.append(new_rows)
        rest = b1 + np.flatnonzero(~settled[b1:])
        if rest.size:
            votes[rest] += count_closer(rows, rest, new_rows, limit[rest])
            settled[rest[votes[rest] >= need]] = True
    return np.concatenate([seeds, *added]).astype(np.intp)


def condense_with_classifier(
    classifier: Any, S: Any, M: Any, seeds: np.ndarray, label: Any, y_minority: np.ndarray
) -> np.ndarray:
    """:func:`condense_class` for any classifier, refit on the store after each addition.

    Rows the store classifies correctly are settled at once (their class's votes
    only grow), so each addition costs one fit and one prediction of the rows
    still pending.
    """
    n = S.shape[0]
    kept = [int(s) for s in seeds]
    stack = sparse.vstack if sparse.issparse(S) else np.vstack

    def refit() -> None:
        y_kept = np.full(len(kept), label, dtype=y_minority.dtype)
        classifier.fit(stack([M, S[np.asarray(kept)]]), np.concatenate([y_minority, y_kept]))

    settled = np.zeros(n, dtype=bool)
    settled[seeds] = True
    refit()
    pos = 0
    while True:
        pending = pos + np.flatnonzero(~settled[pos:])
        if pending.size == 0:
            break
        correct = classifier.predict(S[pending]) == label
        settled[pending[correct]] = True
        pending = pending[~correct]
        if pending.size == 0:
            break
        i = int(pending[0])  # misclassified by the store as it is now: kept
        kept.append(i)
        settled[i] = True
        refit()
        pos = i + 1
    return np.asarray(kept, dtype=np.intp)


class _SeededStore(BaseSampler):
    """The configuration CondensedNearestNeighbour and OneSidedSelection share.

    Both condense each targeted class into a store seeded with ``n_seeds_S``
    random rows and the minority; they differ in what they keep (``_select``).
    """

    _sampling_type = "clean-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "random_state": RANDOM_STATE,
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
            None,
        ],
        "n_seeds_S": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        n_neighbors: Any = None,
        n_seeds_S: int = 1,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        check_store_sizes(self, y, targets)


class CondensedNearestNeighbour(_SeededStore):
    """Under-sample by condensed nearest neighbour (Hart's rule).

    For each targeted class, a store holds every row of the minority class and
    ``n_seeds_S`` rows of the class drawn at random; the class's rows are then
    visited in order and each one the store's k-NN rule misclassifies is added
    to it.  The class keeps its store rows.  Classes not targeted keep every row.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        The classes to condense (imbalanced-learn's cleaning strategies:
        ``"auto"`` = ``"not minority"``, ``"majority"``, ``"not majority"``,
        ``"all"``, a list of labels, or a callable ``y -> dict``).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the store's first rows (each class draws from its own stream).
    n_neighbors : int, KNeighborsClassifier or None, default=None
        The rule's neighbours: None is 1-NN; a classifier object is used as
        given (a Euclidean, uniform-weight one is evaluated exactly without
        refitting it).
    n_seeds_S : int, default=1
        Rows of each class the store starts with (distinct rows).
    n_jobs : int or None, default=None
        Threads for the neighbour searches.
    neighbors : str or object, default="auto"
        smotekit's neighbour backend for the searches among the minority rows.

    Attributes
    ----------
    sampling_strategy_ : dict
        The targeted classes.
    estimators_ : list of KNeighborsClassifier
        Per targeted class, the classifier fitted on its final store.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.

    Notes
    -----
    Output per class in label order; a condensed class gives its first rows,
    then the rows added, in row order.  The store's rows compared with the
    minority are its own class's only (one class at a time).  Among equally
    near rows the minority's come first (they come first in the store), and a
    tied vote goes to the smaller label, as in scikit-learn's k-NN classifier.
    Sparse X is densified one class at a time.

    References
    ----------
    .. [1] P. Hart, "The condensed nearest neighbor rule", IEEE Transactions on
       Information Theory 14(3), 515-516, 1968.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import CondensedNearestNeighbour
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> cnn = CondensedNearestNeighbour(random_state=0)
    >>> X_res, y_res = cnn.fit_resample(X, y)
    >>> np.bincount(y)
    array([450,  50])
    >>> np.bincount(y_res)
    array([105,  50])
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
            if label == minority:
                kept = seeds  # a store of one class classifies all its rows correctly
            elif euclidean:
                kept = condense_class(
                    dense64(table.numeric[rows]),
                    dense64(table.numeric[minority_rows]),
                    seeds,
                    k=k,
                    need=votes_needed(k, label, minority),
                    backend=self.neighbors,
                    n_jobs=self.n_jobs,
                )
            else:
                kept = condense_with_classifier(
                    clone(classifier),
                    table.numeric[rows],
                    table.numeric[minority_rows],
                    seeds,
                    label,
                    y[minority_rows],
                )
            store = np.concatenate([minority_rows, rows[kept]])
            self.estimators_.append(clone(classifier).fit(table.numeric[store], y[store]))
            return kept

        return condense_per_class(y, targets, seed, self.n_seeds_S, keep)
