"""The "no resampling, tuned threshold" baseline: move the decision threshold instead of the data.

Resampling shifts a classifier's scores towards the minority class, so at the
default threshold (0.5 of ``predict_proba``) it predicts the minority more often:
recall, balanced accuracy and G-mean rise.  Choosing the threshold of the
unresampled model does the same without synthetic rows.  This baseline is that
model: scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`
around the estimator, the threshold chosen by an inner cross-validation on the
training fold only (the test fold never informs it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

__all__ = [
    "THRESHOLD_METRICS",
    "THRESHOLD_OBJECTIVE",
    "TUNED_BASELINE",
    "threshold_baseline_problem",
    "tuned_threshold_model",
]

#: Name of the tuned-threshold baseline in the results of :func:`compare`.
TUNED_BASELINE = "tuned_threshold"
#: The metric whose value on the inner folds picks the threshold.
THRESHOLD_OBJECTIVE = "balanced_accuracy"
#: Metrics of hard predictions, which depend on the threshold (the others rank scores).
THRESHOLD_METRICS = ("balanced_accuracy", "g_mean", "minority_recall", "minority_f1")
_INNER_FOLDS = 3


def threshold_baseline_problem(estimator: Any, y: np.ndarray) -> str | None:
    """Why the tuned-threshold baseline cannot run here, or None when it can.

    Parameters
    ----------
    estimator : classifier
    y : ndarray
        All labels.

    Returns
    -------
    str or None
        A sentence for the report's notes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> threshold_baseline_problem(LogisticRegression(), np.array([0, 1, 2])) is None
    False
    """
    if np.unique(y).size != 2:
        return (
            f"The {TUNED_BASELINE!r} baseline was left out: a decision threshold exists for "
            "two classes only."
        )
    if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
        return (
            f"The {TUNED_BASELINE!r} baseline was left out: {type(estimator).__name__} has "
            "neither predict_proba nor decision_function, so it has no threshold to move."
        )
    counts = np.unique(y, return_counts=True)[1]
    if counts.min() < 2 * _INNER_FOLDS:
        return (
            f"The {TUNED_BASELINE!r} baseline was left out: the minority class has "
            f"{counts.min()} rows, too few for the {_INNER_FOLDS}-fold inner search."
        )
    return None


def tuned_threshold_model(estimator: Any, *, n_jobs: int | None, random_state: int | None) -> Any:
    """``estimator`` with its decision threshold tuned on the training data it is fitted on.

    The threshold maximizes :data:`THRESHOLD_OBJECTIVE` over a stratified
    3-fold cross-validation of the training rows; the estimator is then refitted
    on all of them (scikit-learn's ``TunedThresholdClassifierCV``).

    Parameters
    ----------
    estimator : classifier
        Cloned.
    n_jobs : int or None
        Inner folds run in parallel.
    random_state : int or None
        Shuffling of the inner folds.

    Returns
    -------
    TunedThresholdClassifierCV
        Unfitted.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> tuned_threshold_model(LogisticRegression(), n_jobs=None, random_state=0).scoring
    'balanced_accuracy'
    """
    return TunedThresholdClassifierCV(
        clone(estimator),
        scoring=THRESHOLD_OBJECTIVE,
        cv=StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=random_state),
        n_jobs=n_jobs,
    )
