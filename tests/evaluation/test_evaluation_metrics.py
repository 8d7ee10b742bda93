"""smotekit.evaluation._metrics: the geometric mean, the minority label, scores and scorers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score, roc_auc_score
from sklearn.model_selection import cross_validate
from sklearn.svm import LinearSVC

from smotekit.evaluation import (
    METRICS,
    geometric_mean_score,
    make_scorers,
    minority_label,
    score_estimator,
)


def test_geometric_mean_known_values():
    assert geometric_mean_score([0, 0, 1, 1], [0, 1, 1, 1]) == pytest.approx(np.sqrt(0.5))
    assert geometric_mean_score([0, 1, 2], [0, 1, 2]) == 1.0
    assert geometric_mean_score([0, 0, 1], [1, 1, 1]) == 0.0
    assert np.isnan(geometric_mean_score([0, 0], [0, 0], labels=[5]))


def test_geometric_mean_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        geometric_mean_score([0, 1], [0, 1, 1])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=60).filter(
        lambda pairs: len({t for t, _ in pairs}) == 2
    )
)
def test_geometric_mean_is_root_of_sensitivity_times_specificity(pairs):
    y_true, y_pred = np.array(pairs).T
    sensitivity = recall_score(y_true, y_pred, pos_label=1)
    specificity = recall_score(y_true, y_pred, pos_label=0)
    assert geometric_mean_score(y_true, y_pred) == pytest.approx(np.sqrt(sensitivity * specificity))


def test_minority_label_and_ties():
    assert minority_label([1, 1, -1]) == -1
    assert minority_label([0, 1]) == 1  # tie -> larger label
    with pytest.raises(ValueError, match="empty"):
        minority_label([])


def test_scores_use_the_minority_column_and_decision_function(data):
    X, y = data
    y_flipped = np.where(y == 1, "min", "maj")  # minority sorts first among classes_
    clf = LogisticRegression().fit(X, y_flipped)
    scores = score_estimator(clf, X, y_flipped, ["roc_auc"], pos_label="min")
    proba = clf.predict_proba(X)[:, list(clf.classes_).index("min")]
    assert scores["roc_auc"] == pytest.approx(roc_auc_score(y_flipped == "min", proba))
    svc = LinearSVC().fit(X, y_flipped)
    auc = score_estimator(svc, X, y_flipped, ["roc_auc"], pos_label="min")["roc_auc"]
    assert auc > 0.5


def test_scores_multiclass_and_single_class_test_fold():
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3], random_state=0
    )
    clf = LogisticRegression(max_iter=500).fit(X, y)
    scores = score_estimator(clf, X, y, pos_label=minority_label(y))
    assert set(scores) == set(METRICS)
    assert all(0 <= v <= 1 for v in scores.values())
    one_class = score_estimator(clf, X[y == 0], y[y == 0], ["roc_auc"], pos_label=2)
    assert np.isnan(one_class["roc_auc"])


def test_ranking_metrics_need_scores():
    class HardOnly(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    model = HardOnly().fit([[0], [1]], [0, 1])
    with pytest.raises(ValueError, match="predict_proba or decision_function"):
        score_estimator(model, [[0], [1]], [0, 1], ["roc_auc"], pos_label=1)
    X, y = make_classification(n_samples=90, n_classes=3, n_informative=3, random_state=0)
    with pytest.raises(ValueError, match="more than two classes need an estimator"):
        score_estimator(LinearSVC().fit(X, y), X, y, ["roc_auc"], pos_label=0)


def test_unknown_metric_names():
    with pytest.raises(ValueError, match=r"Unknown metric\(s\) \['accuracy'\]"):
        make_scorers(1, ["accuracy"])
    with pytest.raises(ValueError, match="No metric given"):
        make_scorers(1, [])


def test_scorers_work_in_cross_validate(data):
    X, y = data
    scoring = make_scorers(minority_label(y))
    result = cross_validate(LogisticRegression(), X, y, cv=3, scoring=scoring)
    for name in METRICS:
        assert np.all((result[f"test_{name}"] >= 0) & (result[f"test_{name}"] <= 1))
