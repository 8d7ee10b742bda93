"""InstanceHardnessThreshold: cross-validated own-class probabilities and the percentile rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import InstanceHardnessThreshold as ImbIHT
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smotekit.under_sampling._instance_hardness import (
    InstanceHardnessThreshold,
    hardness_threshold_select,
)

DATA = Path("/work/shared/data")
X3, Y3 = make_classification(
    n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3], random_state=0
)


def load(name):
    if not DATA.is_dir():
        pytest.skip(f"{DATA} (the shared benchmark datasets) is not on this machine")
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def imbalanced_learn_folds(estimator, X, y, random_state, n_splits=5):
    """The folds imbalanced-learn draws: its estimator's seeds first, then the splitter's."""
    rng = np.random.RandomState(random_state)
    for _ in [n for n in estimator.get_params() if n.endswith("random_state")]:
        rng.randint(np.iinfo(np.int32).max)
    return list(StratifiedKFold(n_splits, shuffle=True, random_state=rng).split(X, y))


@pytest.mark.parametrize("name", ["ecoli", "yeast_me2", "abalone", "wine_quality", "pen_digits"])
@pytest.mark.parametrize(
    "estimator", [make_pipeline(StandardScaler(), LogisticRegression()), GaussianNB()]
)
def test_equals_imbalanced_learn_given_the_same_estimator_and_folds(name, estimator):
    X, y = load(name)
    y = (y == 1).astype(int)  # imbalanced-learn reads probability columns by label value
    theirs = ImbIHT(estimator=estimator, random_state=0)
    theirs.fit_resample(X, y)
    folds = imbalanced_learn_folds(estimator, X, y, 0)
    ours = InstanceHardnessThreshold(estimator=estimator, cv=folds, random_state=1)
    X_res, _ = ours.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_res, X[theirs.sample_indices_])


@pytest.mark.parametrize("strategy", ["auto", "all", {0: 50, 1: 40}, 0.8])
def test_multiclass_and_strategies_equal_imbalanced_learn(strategy):
    X, y = (X3, Y3) if strategy != 0.8 else (X3[Y3 < 2], Y3[Y3 < 2])
    estimator = GaussianNB()
    theirs = ImbIHT(estimator=estimator, sampling_strategy=strategy, random_state=3)
    theirs.fit_resample(X, y)
    ours = InstanceHardnessThreshold(
        estimator=estimator,
        sampling_strategy=strategy,
        cv=imbalanced_learn_folds(estimator, X, y, 3),
    )
    ours.fit_resample(X, y)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


def test_keeps_the_counts_by_the_percentile_rule():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], [50, 30, 20])
    distinct = rng.permutation(100) / 100.0
    kept = hardness_threshold_select(distinct, y, {0: 20, 1: 7})
    assert np.bincount(y[kept]).tolist() == [20, 7, 20]
    ties = np.round(distinct, 1)
    kept = hardness_threshold_select(ties, y, {0: 20, 1: 7})
    for label, n in ((0, 20), (1, 7)):
        own = ties[y == label]
        threshold = np.percentile(own, (1 - n / own.size) * 100)
        assert np.sum(y[kept] == label) == np.sum(own >= threshold) >= n
    assert np.all(np.diff(kept[y[kept] == 0]) > 0)  # row order


def test_labels_need_not_be_column_positions():
    estimator = LogisticRegression()
    folds = list(StratifiedKFold(4, shuffle=True, random_state=0).split(X3, Y3))
    by_position = InstanceHardnessThreshold(estimator=estimator, cv=folds)
    by_position.fit_resample(X3, Y3)
    names = np.array(["b", "c", "a"])[Y3]  # sorted labels: a (2), b (0), c (1)
    by_name = InstanceHardnessThreshold(estimator=estimator, cv=folds)
    by_name.fit_resample(X3, names)
    np.testing.assert_array_equal(
        np.sort(by_position.sample_indices_), np.sort(by_name.sample_indices_)
    )
    # the probability read for each row is its own class's
    proba = cross_val_predict(estimator, X3, names, cv=folds, method="predict_proba")
    column = np.searchsorted(np.unique(names), names)
    own = proba[np.arange(names.size), column]
    kept = by_name.sample_indices_
    for label in by_name.sampling_strategy_:
        rows = np.flatnonzero(names == label)
        dropped = np.setdiff1d(rows, kept)
        assert own[dropped].max() <= own[np.intersect1d(rows, kept)].min()


def test_reproducible_and_the_estimator_is_seeded():
    forest = RandomForestClassifier(n_estimators=10)
    a = InstanceHardnessThreshold(estimator=forest, random_state=7)
    a.fit_resample(X3, Y3)
    b = InstanceHardnessThreshold(estimator=forest, random_state=7)
    b.fit_resample(X3, Y3)
    c = InstanceHardnessThreshold(estimator=forest, random_state=8)
    c.fit_resample(X3, Y3)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)
    assert isinstance(a.estimator_.random_state, int)
    assert forest.random_state is None  # the caller's estimator is not touched
    default = InstanceHardnessThreshold(random_state=0)
    default.fit_resample(X3[:120], Y3[:120])
    assert isinstance(default.estimator_, RandomForestClassifier)
    assert default.estimator_.n_estimators == 100


def test_splitter_objects_and_clear_errors():
    splitter = KFold(3, shuffle=True, random_state=0)
    sampler = InstanceHardnessThreshold(estimator=GaussianNB(), cv=splitter)
    _, y_res = sampler.fit_resample(X3, Y3)
    assert np.all(np.bincount(y_res) >= np.sum(Y3 == 2))

    class Scorer(BaseEstimator):  # predict_proba, but not a classifier
        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            return np.full((len(X), 2), 0.5)

    with pytest.raises(ValueError, match="must be a classifier with predict_proba"):
        InstanceHardnessThreshold(estimator=Scorer()).fit_resample(X3, Y3)
    y = np.array([0] * 20 + [1] * 3)
    with pytest.raises(ValueError, match="smallest has 3. Use cv <= 3"):
        InstanceHardnessThreshold(estimator=GaussianNB()).fit_resample(np.eye(23), y)
