"""smotekit.evaluation._compare: compare resamples inside the training folds only and shares
neighbour searches within a fold."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from smotekit import ADASYN, SMOTE, BorderlineSMOTE
from smotekit.evaluation import METRICS, compare, k_sweep
from smotekit.evaluation._compare import RESULT_COLUMNS
from smotekit.neighbors import _search


def test_compare_returns_tidy_results(data):
    X, y = data
    results = compare(
        X, y, [SMOTE(random_state=0), ADASYN(random_state=0)], LogisticRegression(), cv="3x2"
    )
    assert list(results.columns) == list(RESULT_COLUMNS)
    samplers = ["none", "smote", "adasyn", "tuned_threshold"]
    assert list(dict.fromkeys(results["sampler"])) == samplers
    # the tuned-threshold baseline is scored on the 4 metrics of hard predictions only
    assert len(results) == 3 * 6 * len(METRICS) + 6 * 4
    assert sorted(set(zip(results["repeat"], results["fold"]))) == [
        (r, f) for r in range(2) for f in range(3)
    ]
    assert results["value"].between(0, 1).all()
    none = results[results["sampler"] == "none"]
    assert (none["n_synthetic"] == 0).all() and (none["resample_time"] < 0.01).all()
    smote = results[results["sampler"] == "smote"]
    minority = smote["n_train"] - 2 * (smote["n_train"] - smote["n_synthetic"]) // 2
    assert (smote["n_synthetic"] > 0).all() and (minority > 0).all()
    assert results.attrs["baseline"] == "none" and results.attrs["pos_label"] == 1


def test_compare_runs_cleaners_under_samplers_and_combined_samplers(data):
    from smotekit import SMOTEENN, NearMiss, TomekLinks

    X, y = data
    results = compare(
        X,
        y,
        {"tomek": TomekLinks(), "nearmiss": NearMiss(), "smoteenn": SMOTEENN(random_state=0)},
        LogisticRegression(),
        cv="3x1",
    )
    by = results.groupby("sampler")
    assert (by["n_synthetic"].min() >= 0).all()
    assert by["n_synthetic"].max()[["none", "tomek", "nearmiss"]].eq(0).all()
    assert by["n_synthetic"].min()["smoteenn"] > 0
    rows = results.set_index("sampler")
    assert (rows.loc["none", "n_resampled"] == rows.loc["none", "n_train"]).all()
    assert (rows.loc["tomek", "n_resampled"] <= rows.loc["tomek", "n_train"]).all()
    assert (rows.loc["nearmiss", "n_resampled"] < rows.loc["nearmiss", "n_train"]).all()


class _Spy:
    """Records the rows it sees (a class attribute, since compare clones it)."""

    seen: ClassVar[list[np.ndarray]] = []

    def __init__(self, *, random_state=0):
        self.random_state = random_state

    def get_params(self, deep=True):
        return {"random_state": self.random_state}

    def set_params(self, **params):
        self.__dict__.update(params)
        return self

    def fit_resample(self, X, y):
        _Spy.seen.append(np.asarray(X)[:, 0].copy())
        return X, y


class _SpyModel(ClassifierMixin, BaseEstimator):
    fitted: ClassVar[list[np.ndarray]] = []
    predicted: ClassVar[list[np.ndarray]] = []

    def fit(self, X, y):
        _SpyModel.fitted.append(np.asarray(X)[:, 0].copy())
        self.model_ = DecisionTreeClassifier(random_state=0).fit(X[:, 1:], y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        _SpyModel.predicted.append(np.asarray(X)[:, 0].copy())
        return self.model_.predict(X[:, 1:])

    def predict_proba(self, X):
        return self.model_.predict_proba(X[:, 1:])


def test_compare_resamples_inside_training_folds_only(data):
    X, y = data
    ids = np.arange(len(y), dtype=float)
    X_id = np.column_stack([ids, X])
    _Spy.seen.clear(), _SpyModel.fitted.clear(), _SpyModel.predicted.clear()
    cv = StratifiedKFold(3, shuffle=True, random_state=1)
    compare(
        X_id,
        y,
        {"spy": _Spy()},
        _SpyModel(),
        cv=cv,
        scoring=["g_mean"],
        n_jobs=1,
        threshold_baseline=False,
    )
    splits = list(cv.split(X_id, y))
    assert len(_Spy.seen) == 3
    for (train, test), seen in zip(splits, _Spy.seen):
        assert set(seen) == set(train) and not set(seen) & set(test)
    for i, (_, test) in enumerate(splits):
        for fitted in _SpyModel.fitted[2 * i : 2 * i + 2]:  # none and spy
            assert not set(fitted) & set(test)
        for predicted in _SpyModel.predicted[2 * i : 2 * i + 2]:
            assert np.array_equal(np.sort(predicted), np.sort(test))


def test_compare_preprocessor_is_fitted_on_the_training_fold(data):
    X, y = data
    X = X * 1000 + 5

    class Check:
        def fit_resample(self, X, y):
            assert X.min() >= -1e-12 and X.max() <= 1 + 1e-12  # scaled by the fold's scaler
            return X, y

        def get_params(self, deep=True):
            return {}

    from sklearn.preprocessing import MinMaxScaler

    compare(X, y, {"check": Check()}, LogisticRegression(), cv=3, preprocessor=MinMaxScaler())


def test_compare_accepts_dataframes_and_string_labels(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])], index=np.arange(5, 245))
    labels = np.where(y == 1, "rare", "common")
    results = compare(
        frame,
        labels,
        {"smote": SMOTE(random_state=0)},
        LogisticRegression(),
        cv=3,
        scoring=["minority_recall"],
    )
    assert results.attrs["pos_label"] == "rare"
    assert results["value"].notna().all()


def test_compare_default_samplers_and_estimator(data):
    X, y = data
    results = compare(X, y, cv=2, scoring="roc_auc")
    assert list(dict.fromkeys(results["sampler"])) == ["none", "smote", "adasyn", "borderline1"]


def test_compare_in_parallel_equals_sequential(data):
    X, y = data
    args = (X, y, {"smote": SMOTE(random_state=0)}, LogisticRegression())
    one = compare(*args, cv="3x1", scoring=["roc_auc"])
    two = compare(*args, cv="3x1", scoring=["roc_auc"], n_jobs=2)
    assert np.array_equal(one["value"], two["value"])


@pytest.mark.parametrize(
    ("samplers", "error", "match"),
    [
        ({"none": SMOTE()}, ValueError, "reserved for the no-resampling baseline"),
        ({"x": LogisticRegression()}, TypeError, "must have a fit_resample method"),
        (SMOTE(), TypeError, r"Wrap it: \[sampler\]"),
        ({"": SMOTE()}, TypeError, "non-empty strings"),
    ],
)
def test_compare_rejects_bad_samplers(data, samplers, error, match):
    X, y = data
    with pytest.raises(error, match=match):
        compare(X, y, samplers, LogisticRegression(), cv=2)


def test_compare_rejects_bad_inputs(data):
    X, y = data
    est = LogisticRegression()
    with pytest.raises(TypeError, match="classifier with fit and predict"):
        compare(X, y, [], object())
    with pytest.raises(ValueError, match="X has 240 rows but y has 10 labels"):
        compare(X, y[:10], [], est)
    with pytest.raises(ValueError, match="single class"):
        compare(X, np.zeros(len(y)), [], est)
    with pytest.raises(ValueError, match="y must be 1-D"):
        compare(X, y[:, None], [], est)
    with pytest.raises(ValueError, match="error_score must be 'raise' or a number"):
        compare(X, y, [], est, error_score="ignore")


def test_compare_error_score(data):
    X, y = data
    failing = {"adasyn": ADASYN(n_neighbors=500)}  # more neighbours than minority rows
    with pytest.raises(ValueError, match="too few for n_neighbors=500"):
        compare(X, y, failing, LogisticRegression(), cv=2)
    with pytest.warns(UserWarning, match=r"'adasyn' failed on repeat 0, fold \d \(ValueError"):
        results = compare(X, y, failing, LogisticRegression(), cv=2, error_score=np.nan)
    assert results.loc[results["sampler"] == "adasyn", "value"].isna().all()
    assert results.loc[results["sampler"] == "none", "value"].notna().all()


@pytest.fixture
def search_log(monkeypatch):
    """Every neighbour search actually run: (rows searched, whether Q is None, k)."""
    log = []
    real = _search.make_backend

    def counting(spec, n_rows, n_features, n_jobs=None):
        engine = real(spec, n_rows, n_features, n_jobs)
        original = engine.kneighbors

        def kneighbors(Q, k, *, exclude=None):
            log.append((n_rows, Q is None, k))
            return original(Q, k, exclude=exclude)

        engine.kneighbors = kneighbors
        return engine

    monkeypatch.setattr(_search, "make_backend", counting)
    return log


def test_k_sweep_searches_the_minority_once_per_fold(data, search_log):
    X, y = data
    samplers = k_sweep(SMOTE(random_state=0), [3, 5, 7, 9])
    # Per-fold searches (reuse_neighbors=True serves them all from one dataset graph).
    results = compare(
        X, y, samplers, LogisticRegression(), cv="3x1", scoring=["roc_auc"], n_jobs=1,
        reuse_neighbors=False,
    )  # fmt: skip
    n_minority_train = {int(n) for n in results["n_train"]}  # (fold sizes differ by one)
    assert len(search_log) == 3  # one search per fold serves k = 3, 5, 7 and 9
    assert all(q_is_none and k == 9 for _, q_is_none, k in search_log)
    assert all(rows < min(n_minority_train) / 4 for rows, _, _ in search_log)  # minority only
    assert results.attrs["neighbor_searches"] == 3
    assert results.attrs["neighbor_hits"] == 9


def test_samplers_share_queries_within_a_fold(data, search_log):
    X, y = data
    samplers = {
        "smote": SMOTE(random_state=0),
        "adasyn": ADASYN(random_state=0),
        "borderline1": BorderlineSMOTE(random_state=0),
    }
    results = compare(
        X, y, samplers, LogisticRegression(), cv="2x1", scoring=["roc_auc"], n_jobs=1,
        reuse_neighbors=False,
    )  # fmt: skip
    # Per fold: minority-in-minority (SMOTE; ADASYN's interpolation reuses it), minority-in-all
    # (ADASYN's hardness and Borderline's m-neighbours share it), danger-in-minority (Borderline).
    assert len(search_log) == 2 * 3
    assert results.attrs["neighbor_hits"] == 2 * 2
    minority_in_minority = [entry for entry in search_log if entry[1]]
    assert len(minority_in_minority) == 2  # once per fold, for SMOTE and ADASYN together


def test_shared_searches_do_not_change_the_results(data):
    X, y = data
    args = {"estimator": LogisticRegression(), "cv": "3x1", "scoring": ["roc_auc", "g_mean"]}
    swept = compare(X, y, k_sweep(SMOTE(random_state=0), [3, 9]), **args)
    alone = compare(X, y, {"smote(k=3)": SMOTE(random_state=0, k_neighbors=3)}, **args)
    pick = swept[swept["sampler"] == "smote(k=3)"].reset_index(drop=True)
    mine = alone[alone["sampler"] == "smote(k=3)"].reset_index(drop=True)
    assert np.array_equal(pick["value"], mine["value"])
    assert np.array_equal(pick["n_synthetic"], mine["n_synthetic"])
