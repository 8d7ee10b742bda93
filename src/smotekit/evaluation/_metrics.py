"""Metrics for imbalanced classification, and scikit-learn scorers built from them.

Six metrics, named as in :data:`METRICS`:

* ``roc_auc`` and ``average_precision`` rank the test rows by the estimator's
  score for the minority class (``predict_proba``, else ``decision_function``);
  with more than two classes they are one-vs-rest macro averages.
* ``balanced_accuracy`` and ``g_mean`` (geometric mean of the per-class recalls)
  judge the hard predictions on every class alike.
* ``minority_recall`` and ``minority_f1`` are the recall and F1 of the minority
  class alone.

The minority class is the least frequent label (ties: the larger label), decided
once from the full ``y`` so that every fold uses the same one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    recall_score,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize

__all__ = [
    "METRICS",
    "geometric_mean_score",
    "make_scorers",
    "minority_label",
    "score_estimator",
]

#: Names of the built-in metrics, in report order.
METRICS: tuple[str, ...] = (
    "roc_auc",
    "average_precision",
    "balanced_accuracy",
    "g_mean",
    "minority_recall",
    "minority_f1",
)
_RANKING = frozenset({"roc_auc", "average_precision"})


def minority_label(y: Any) -> Any:
    """The least frequent label of ``y`` (ties broken towards the larger label).

    Parameters
    ----------
    y : array-like of shape (n_samples,)

    Returns
    -------
    label
        A Python scalar (``int``, ``float`` or ``str``), or the label itself.

    Examples
    --------
    >>> minority_label([0, 0, 0, 1, 1])
    1
    >>> minority_label(["a", "b", "b", "c"])
    'c'
    """
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    if labels.size == 0:
        raise ValueError("y is empty: there is no minority class.")
    smallest = np.flatnonzero(counts == counts.min())[-1]
    label = labels[smallest]
    return label.item() if hasattr(label, "item") else label


def geometric_mean_score(y_true: Any, y_pred: Any, *, labels: Any = None) -> float:
    """Geometric mean of the per-class recalls.

    For a binary problem this is ``sqrt(sensitivity * specificity)``.  Classes
    absent from ``y_true`` are left out (their recall is undefined); a class that
    is never predicted correctly makes the score 0.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like or None, default=None
        Classes to include; by default those present in ``y_true``.

    Returns
    -------
    float
        In [0, 1]; NaN when no class is left.

    Examples
    --------
    >>> geometric_mean_score([0, 0, 1, 1], [0, 1, 1, 1])  # recalls 0.5 and 1
    0.7071...
    >>> geometric_mean_score([0, 0, 1, 1], [0, 0, 0, 0])
    0.0
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {y_true.shape} and {y_pred.shape}."
        )
    classes = np.unique(y_true) if labels is None else np.asarray(labels)
    recalls = [np.mean(y_pred[y_true == c] == c) for c in classes if np.any(y_true == c)]
    if not recalls:
        return float("nan")
    return float(np.prod(recalls) ** (1.0 / len(recalls)))


def _ranking_scores(estimator: Any, X: Any, pos_label: Any) -> np.ndarray:
    """Scores for ranking: the minority column (binary) or the class matrix."""
    classes = list(estimator.classes_)
    if hasattr(estimator, "predict_proba"):
        proba = np.asarray(estimator.predict_proba(X))
        return proba[:, classes.index(pos_label)] if len(classes) == 2 else proba
    if hasattr(estimator, "decision_function"):
        decision = np.asarray(estimator.decision_function(X))
        if decision.ndim == 1:
            return decision if pos_label == classes[1] else -decision
        raise ValueError(
            "roc_auc and average_precision with more than two classes need an estimator "
            f"with predict_proba; {type(estimator).__name__} has only decision_function."
        )
    raise ValueError(
        f"roc_auc and average_precision need predict_proba or decision_function; "
        f"{type(estimator).__name__} has neither. Choose other metrics."
    )


def _ranking_metric(name: str, y: np.ndarray, scores: np.ndarray, classes: list, pos: Any) -> float:
    if np.unique(y).size < 2:
        return float("nan")
    if scores.ndim == 1:
        y_pos = y == pos
        if name == "roc_auc":
            return float(roc_auc_score(y_pos, scores))
        return float(average_precision_score(y_pos, scores))
    if name == "roc_auc":
        return float(roc_auc_score(y, scores, multi_class="ovr", average="macro", labels=classes))
    onehot = label_binarize(y, classes=classes)
    present = onehot.any(axis=0)
    return float(average_precision_score(onehot[:, present], scores[:, present], average="macro"))


def _label_metric(name: str, y: np.ndarray, y_pred: np.ndarray, pos: Any) -> float:
    if name == "balanced_accuracy":
        return float(balanced_accuracy_score(y, y_pred))
    if name == "g_mean":
        return geometric_mean_score(y, y_pred)
    if name == "minority_recall":
        return float(recall_score(y, y_pred, labels=[pos], average="macro", zero_division=0))
    return float(f1_score(y, y_pred, labels=[pos], average="macro", zero_division=0))


def check_metrics(metrics: Any) -> list[str]:
    """Validate metric names (None -> all of :data:`METRICS`)."""
    if metrics is None:
        return list(METRICS)
    if isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown or not metrics:
        raise ValueError(
            f"Unknown metric(s) {unknown}; valid metrics are {', '.join(METRICS)}."
            if unknown
            else "No metric given; valid metrics are " + ", ".join(METRICS) + "."
        )
    return metrics


def score_estimator(
    estimator: Any, X: Any, y: Any, metrics: Any = None, *, pos_label: Any
) -> dict[str, float]:
    """Every requested metric of a fitted estimator, predicting only once.

    Parameters
    ----------
    estimator : fitted classifier
        Has ``predict`` and ``classes_`` (and ``predict_proba`` or
        ``decision_function`` for the ranking metrics).
    X, y : test data
    metrics : list of str or None, default=None
        Names from :data:`METRICS`; None computes all.
    pos_label : label
        The minority class.

    Returns
    -------
    dict
        ``{metric: value}``; NaN for a ranking metric when the test labels hold
        one class only.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> score_estimator(clf, X, [0, 0, 1, 1], ["roc_auc", "g_mean"], pos_label=1)
    {'roc_auc': 1.0, 'g_mean': 1.0}
    """
    names = check_metrics(metrics)
    y = np.asarray(y)
    scores: dict[str, float] = {}
    if any(m not in _RANKING for m in names):
        y_pred = np.asarray(estimator.predict(X))
    if any(m in _RANKING for m in names):
        ranking = _ranking_scores(estimator, X, pos_label)
    classes = list(getattr(estimator, "classes_", np.unique(y)))
    for name in names:
        if name in _RANKING:
            scores[name] = _ranking_metric(name, y, ranking, classes, pos_label)
        else:
            scores[name] = _label_metric(name, y, y_pred, pos_label)
    return scores


def make_scorers(
    pos_label: Any, metrics: Any = None
) -> dict[str, Callable[[Any, Any, Any], float]]:
    """scikit-learn scorers ``scorer(estimator, X, y)`` for the metrics.

    Usable as ``scoring=`` in :func:`sklearn.model_selection.cross_validate` or
    ``GridSearchCV``.  Each scorer predicts on its own; :func:`compare` instead
    predicts once per fold for all metrics.

    Parameters
    ----------
    pos_label : label
        The minority class (see :func:`minority_label`).
    metrics : list of str or None, default=None
        Names from :data:`METRICS`; None gives all.

    Returns
    -------
    dict
        ``{metric: scorer}``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    >>> scorers = make_scorers(minority_label(y), ["g_mean", "minority_recall"])
    >>> result = cross_validate(LogisticRegression(), X, y, cv=3, scoring=scorers)
    >>> sorted(k for k in result if k.startswith("test_"))
    ['test_g_mean', 'test_minority_recall']
    """
    names = check_metrics(metrics)

    def make(name: str) -> Callable[[Any, Any, Any], float]:
        def scorer(estimator: Any, X: Any, y: Any) -> float:
            return score_estimator(estimator, X, y, [name], pos_label=pos_label)[name]

        scorer.__name__ = f"{name}_scorer"
        return scorer

    return {name: make(name) for name in names}
