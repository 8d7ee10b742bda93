"""Instance hardness threshold (Smith et al., 2014): drop the rows a classifier finds hardest."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils._param_validation import HasMethods

from .._engine import class_positions
from .._params import N_JOBS, RANDOM_STATE, sampling_strategy_constraint
from .._random import RandomStateLike, child_generator
from .._table import Table
from ..base import BaseSampler

__all__ = ["InstanceHardnessThreshold", "hardness_threshold_select", "own_class_probabilities"]

_SEED_RANGE = np.iinfo(np.int32).max


def own_class_probabilities(
    estimator: Any, X: Any, y: np.ndarray, cv: Any, n_jobs: int | None = None
) -> np.ndarray:
    """Cross-validated probability of every row's own class.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
    X : array-like or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    cv : cross-validation splitter or iterable of (train, test)
    n_jobs : int or None, default=None
        Folds fitted in parallel.

    Returns
    -------
    ndarray of float of shape (n_rows,)
        Column ``position of y[i] among the sorted labels`` of the predictions.

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> y = np.array([3, 3, 3, 7, 7, 7])
    >>> p = own_class_probabilities(GaussianNB(), X, y, cv=3)
    >>> bool(np.all(p > 0.99))
    True
    """
    probabilities = cross_val_predict(estimator, X, y, cv=cv, n_jobs=n_jobs, method="predict_proba")
    columns = np.searchsorted(np.unique(y), y)
    return probabilities[np.arange(y.shape[0]), columns]


def hardness_threshold_select(
    probabilities: np.ndarray, y: np.ndarray, targets: dict[Any, int]
) -> np.ndarray:
    """Rows kept per class: those at or above the class's probability percentile.

    For a class of ``N`` rows keeping ``n``, the threshold is the
    ``(1 - n / N) * 100``-th percentile (linear interpolation) of its rows'
    probabilities of their own class; every row at or above it is kept, so ties
    at the threshold may keep a few more rows than ``n``.

    Parameters
    ----------
    probabilities : ndarray of shape (n_rows,)
        Each row's probability of its own class.
    y : ndarray of shape (n_rows,)
    targets : dict
        ``{label: rows to keep}``.

    Returns
    -------
    ndarray of int
        Grouped by class in label order, in row order.

    Examples
    --------
    >>> p = np.array([0.9, 0.2, 0.6, 0.4, 0.8])
    >>> hardness_threshold_select(p, np.zeros(5, dtype=int), {0: 2}).tolist()
    [0, 4]
    """
    parts = []
    for label in class_positions(y):
        rows = np.flatnonzero(y == label)
        if label in targets:
            own = probabilities[rows]
            threshold = np.percentile(own, (1.0 - (targets[label] / rows.size)) * 100.0)
            rows = rows[own >= threshold]
        parts.append(rows)
    return np.concatenate(parts).astype(np.intp)


def _seed_random_states(estimator: Any, rng: np.random.Generator) -> None:
    """Give every ``random_state`` parameter of ``estimator`` (nested ones too) a seed."""
    names = sorted(
        name
        for name in estimator.get_params(deep=True)
        if name == "random_state" or name.endswith("__random_state")
    )
    if names:
        estimator.set_params(**{name: int(rng.integers(0, _SEED_RANGE)) for name in names})


class InstanceHardnessThreshold(BaseSampler):
    """Under-sample by keeping the rows a classifier finds easiest to classify.

    Every row's probability of its own class is estimated by cross-validation
    (``cross_val_predict`` with ``predict_proba``); each targeted class keeps
    its rows at or above the percentile of those probabilities that leaves the
    number of rows asked for (ties at the threshold are all kept).

    Parameters
    ----------
    estimator : classifier or None, default=None
        Has ``fit`` and ``predict_proba``; None is a
        ``RandomForestClassifier(n_estimators=100)``.  Its ``random_state``
        parameters are seeded from ``random_state``.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class keeps (imbalanced-learn's under-sampling forms).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the estimator and of the folds.
    cv : int, splitter or iterable, default=5
        An int is the number of stratified, shuffled folds; a splitter or an
        iterable of (train, test) indices is used as given.
    n_jobs : int or None, default=None
        Folds (and the default forest's trees) fitted in parallel.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows asked for}`` for the targeted classes.
    estimator_ : classifier
        The (unfitted) estimator cross-validated.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.

    Notes
    -----
    Output per class in label order, in row order.  The probability of a row's
    class is read from the column of that class (labels need not be 0, 1, ...).

    References
    ----------
    .. [1] M. R. Smith, T. Martinez, C. Giraud-Carrier, "An instance level
       analysis of data complexity", Machine Learning 95(2), 225-256, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smotekit import InstanceHardnessThreshold
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> iht = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    >>> X_res, y_res = iht.fit_resample(X, y)
    >>> np.bincount(y_res)
    array([50, 50])
    """

    _sampling_type = "under-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "sampling_strategy": sampling_strategy_constraint("under-sampling"),
        "random_state": RANDOM_STATE,
        "cv": ["cv_object"],
        "n_jobs": N_JOBS,
    }

    def __init__(
        self,
        *,
        estimator: Any = None,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        cv: Any = 5,
        n_jobs: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        if self.estimator is not None and not is_classifier(self.estimator):
            raise ValueError(
                "InstanceHardnessThreshold's estimator must be a classifier with "
                f"predict_proba; got {type(self.estimator).__name__}, which is not a classifier."
            )
        n_splits = 5 if self.cv is None else self.cv
        if isinstance(n_splits, numbers.Integral):
            smallest = int(np.unique(y, return_counts=True)[1].min())
            if n_splits > smallest:
                raise ValueError(
                    f"InstanceHardnessThreshold's cv={n_splits} stratified folds need at "
                    f"least {n_splits} rows in every class; the smallest has {smallest}. "
                    f"Use cv <= {smallest}."
                )

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        # The whole-data stream (key ()): the model's and the folds' seeds.
        rng = child_generator(seed if seed is not None else np.random.SeedSequence(0))
        if self.estimator is None:
            estimator = RandomForestClassifier(n_estimators=100, n_jobs=self.n_jobs)
        else:
            estimator = clone(self.estimator)
        _seed_random_states(estimator, rng)
        self.estimator_ = estimator
        cv = 5 if self.cv is None else self.cv
        if isinstance(cv, numbers.Integral):
            cv = StratifiedKFold(
                n_splits=int(cv), shuffle=True, random_state=int(rng.integers(0, _SEED_RANGE))
            )
        probabilities = own_class_probabilities(estimator, table.numeric, y, cv, self.n_jobs)
        return hardness_threshold_select(probabilities, y, targets)
