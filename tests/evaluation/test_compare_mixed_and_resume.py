"""compare on mixed tables (categorical samplers, encodings), the tuned-threshold baseline,
cores, and resuming from saved folds."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import MinMaxScaler
from sklearn.tree import DecisionTreeClassifier

from smotekit import SMOTE, SMOTENC, RandomOverSampler
from smotekit.evaluation import compare
from smotekit.evaluation._inputs import parallel_plan
from smotekit.evaluation._threshold import THRESHOLD_METRICS


def _mixed(n=400, seed=0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.12).astype(int)
    X = pd.DataFrame(
        {
            "customer": [f"C{i:05d}" for i in range(n)],
            "tenure": rng.integers(1, 72, n) + 10 * y,
            "spend": rng.normal(50, 10, n) + 8 * y,
            "plan": np.where(rng.random(n) < 0.3 + 0.4 * y, "basic", "premium"),
            "region": pd.Categorical(rng.choice(["n", "s", "e", "w"], n)),
            "paperless": rng.random(n) < 0.5,
        }
    )
    return X.drop(columns="customer"), y


def test_mixed_table_runs_categorical_samplers_and_skips_numeric_ones():
    X, y = _mixed()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = compare(
            X,
            y,
            {"smote": SMOTE(random_state=0), "smotenc": SMOTENC("auto", random_state=0)},
            LogisticRegression(max_iter=500),
            cv="3x1",
            preprocessor=MinMaxScaler(),
        )
    assert set(results["sampler"]) == {"none", "smotenc", "tuned_threshold"}
    notes = " ".join(results.attrs["notes"])
    assert "smote was skipped" in notes and "smotenc handles them" in notes
    assert "one-hot" in notes
    inputs = results.attrs["inputs"]
    assert inputs["categorical_features"] == ["plan", "region", "paperless"]
    smotenc = results[results["sampler"] == "smotenc"]
    assert (smotenc["n_synthetic"] > 0).all()
    assert results["value"].between(0, 1).all()


def test_mixed_table_default_samplers():
    X, y = _mixed(300)
    results = compare(X, y, None, DecisionTreeClassifier(random_state=0), cv="2x1")
    assert list(dict.fromkeys(results["sampler"])) == [
        "none",
        "smotenc",
        "randomoversampler",
        "tuned_threshold",
    ]
    every = X[["plan", "region", "paperless"]]
    results = compare(every, y, None, DecisionTreeClassifier(random_state=0), cv="2x1")
    assert "smoten" in set(results["sampler"])


def test_the_tuned_threshold_baseline_scores_hard_predictions_only(data):
    X, y = data
    results = compare(X, y, [], LogisticRegression(), cv="3x1")
    tuned = results[results["sampler"] == "tuned_threshold"]
    assert set(tuned["metric"]) == set(THRESHOLD_METRICS)
    assert (tuned["n_synthetic"] == 0).all() and (tuned["n_resampled"] == tuned["n_train"]).all()
    # it moves the threshold towards the minority: recall at least that of none, on average
    wide = results.pivot_table(index=["fold"], columns=["sampler", "metric"], values="value")
    assert (
        wide[("tuned_threshold", "minority_recall")].mean()
        >= wide[("none", "minority_recall")].mean()
    )
    off = compare(X, y, [], LogisticRegression(), cv="3x1", threshold_baseline=False)
    assert "tuned_threshold" not in set(off["sampler"]) and off.attrs["tuned_baseline"] is None


def test_no_tuned_baseline_for_three_classes():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    y = np.repeat([0, 1, 2], [160, 50, 30])
    X[y == 1] += 1.5
    results = compare(X, y, [], LogisticRegression(), cv="3x1", scoring=["g_mean"])
    assert set(results["sampler"]) == {"none"}
    assert any("two classes only" in note for note in results.attrs["notes"])


def test_reserved_name_of_the_tuned_baseline(data):
    X, y = data
    with pytest.raises(ValueError, match="reserved for the tuned-threshold baseline"):
        compare(X, y, {"tuned_threshold": SMOTE()}, LogisticRegression(), cv=2)


class _CountingModel(LogisticRegression):
    fits = 0

    def fit(self, X, y, sample_weight=None):
        type(self).fits += 1
        return super().fit(X, y, sample_weight)


def test_resume_skips_the_folds_already_done_and_gives_the_same_results(data):
    X, y = data
    samplers = {"smote": SMOTE(random_state=0), "ros": RandomOverSampler(random_state=0)}
    args = {"cv": "3x2", "n_jobs": 1, "threshold_baseline": False}
    seen = []
    full = compare(X, y, samplers, _CountingModel(), on_fold=seen.append, **args)
    assert len(seen) == 6 and all(len(part) == 3 * 6 for part in seen)
    # An interrupted run saved the first four folds (any order) and half of the fifth.
    saved = pd.concat([seen[3], seen[0], seen[2], seen[1], seen[4].iloc[:5]], ignore_index=True)
    _CountingModel.fits = 0
    resumed = compare(X, y, samplers, _CountingModel(), done=saved, **args)
    assert _CountingModel.fits == 2 * 3  # two folds left, three conditions each
    assert resumed.attrs["inputs"]["folds_reused"] == 4
    pd.testing.assert_frame_equal(
        resumed.drop(columns=["fit_time", "resample_time"]),
        full.drop(columns=["fit_time", "resample_time"]),
    )


def test_resume_refuses_results_of_another_comparison(data):
    X, y = data
    other = compare(X, y, {"smote": SMOTE(random_state=0)}, LogisticRegression(), cv="3x1")
    with pytest.raises(ValueError, match="another comparison"):
        compare(X, y, {"ros": RandomOverSampler()}, LogisticRegression(), cv="3x1", done=other)
    wrong = other.assign(n_test=other["n_test"] + 1)
    with pytest.raises(ValueError, match="other data or folds"):
        compare(X, y, {"smote": SMOTE(random_state=0)}, LogisticRegression(), cv="3x1", done=wrong)


def test_parallel_plan_never_uses_more_cores_than_asked():
    for cores in range(1, 9):
        for n_splits in range(1, 20):
            workers, threads = parallel_plan(cores, n_splits)
            assert workers * threads <= cores
            assert workers == 1 or threads == 1
            assert workers <= max(n_splits, 1)


def test_folds_in_parallel_give_the_serial_results_and_keep_warnings(data):
    X, y = data
    failing = {"bad": SMOTE(k_neighbors=500)}
    args = {"cv": "2x1", "error_score": np.nan, "scoring": ["roc_auc"]}
    with pytest.warns(UserWarning, match="'bad' failed on repeat 0"):
        parallel = compare(X, y, failing, LogisticRegression(), n_jobs=2, **args)
    serial = compare(X, y, failing, LogisticRegression(), n_jobs=1, **args)
    pd.testing.assert_frame_equal(
        parallel.drop(columns=["fit_time", "resample_time"]),
        serial.drop(columns=["fit_time", "resample_time"]),
    )
