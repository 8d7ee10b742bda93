"""smotekit.evaluation: metrics, compare (no leakage, shared neighbour searches), summarize,
plots and reports."""

from __future__ import annotations

import sys
import warnings
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score, roc_auc_score
from sklearn.model_selection import KFold, RepeatedStratifiedKFold, StratifiedKFold, cross_validate
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from smotekit import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.evaluation import (
    METRICS,
    check_cv,
    compare,
    geometric_mean_score,
    k_sweep,
    make_scorers,
    minority_label,
    plot_quality,
    plot_resampling,
    plot_scores,
    sampler_name,
    score_estimator,
    summarize,
    synthetic_quality,
    write_report,
)
from smotekit.evaluation._compare import RESULT_COLUMNS
from smotekit.neighbors import _search

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240, n_features=5, weights=[0.85], class_sep=0.8, random_state=3
    )
    return X, y


# ------------------------------------------------------------------------------ metrics


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


# ------------------------------------------------------------------------------ compare


def test_compare_returns_tidy_results(data):
    X, y = data
    results = compare(
        X, y, [SMOTE(random_state=0), ADASYN(random_state=0)], LogisticRegression(), cv="3x2"
    )
    assert list(results.columns) == list(RESULT_COLUMNS)
    assert list(dict.fromkeys(results["sampler"])) == ["none", "smote", "adasyn"]
    assert len(results) == 3 * 6 * len(METRICS)
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
    compare(X_id, y, {"spy": _Spy()}, _SpyModel(), cv=cv, scoring=["g_mean"])
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


def test_sampler_names_are_made_unique(data):
    X, y = data
    results = compare(
        X,
        y,
        [SMOTE(random_state=0), SMOTE(random_state=1), None],
        LogisticRegression(),
        cv=2,
        scoring="roc_auc",
    )
    assert list(dict.fromkeys(results["sampler"])) == [
        "none",
        "smote",
        "smote_2",
    ]  # None is the baseline
    assert sampler_name(BorderlineSMOTE()) == "borderline1"
    assert sampler_name(RandomOverSampler()) == "randomoversampler"


# ----------------------------------------------------------------------------- cv specs


def test_check_cv_forms():
    assert isinstance(check_cv(None), RepeatedStratifiedKFold)
    assert check_cv(None).get_n_splits() == 15
    cv = check_cv("2x5", random_state=3)
    assert cv.n_repeats == 5 and cv.get_n_splits() == 10 and cv.random_state == 3
    assert check_cv(" 2 X 4 ").get_n_splits() == 8
    assert isinstance(check_cv(4), StratifiedKFold) and check_cv(4).n_splits == 4
    splitter = KFold(3)
    assert check_cv(splitter) is splitter


@pytest.mark.parametrize(
    ("cv", "error", "match"),
    [
        ("3y5", ValueError, "not of the form 'KxR'"),
        ("1x3", ValueError, "not of the form 'KxR'"),
        ("5x0", ValueError, "not of the form 'KxR'"),
        (1, ValueError, "at least 2 folds"),
        (2.5, TypeError, "cv must be None, an int"),
    ],
)
def test_check_cv_rejects(cv, error, match):
    with pytest.raises(error, match=match):
        check_cv(cv)


# ------------------------------------------------------------- shared neighbour searches


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
    results = compare(X, y, samplers, LogisticRegression(), cv="3x1", scoring=["roc_auc"])
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
    results = compare(X, y, samplers, LogisticRegression(), cv="2x1", scoring=["roc_auc"])
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


def test_k_sweep_builds_named_copies():
    sweep = k_sweep(ADASYN(random_state=0), [2, 4])
    assert list(sweep) == ["adasyn(k=2)", "adasyn(k=4)"]
    assert [s.n_neighbors for s in sweep.values()] == [2, 4]
    assert k_sweep(BorderlineSMOTE(), [7], param="m_neighbors")["borderline1(k=7)"].m_neighbors == 7


def test_k_sweep_rejects():
    with pytest.raises(ValueError, match="has no k_neighbors or n_neighbors parameter"):
        k_sweep(RandomOverSampler(), [1, 2])
    with pytest.raises(ValueError, match="has no parameter 'q'"):
        k_sweep(SMOTE(), [1], param="q")
    with pytest.raises(ValueError, match="ks is empty"):
        k_sweep(SMOTE(), [])


# ---------------------------------------------------------------------------- summarize


def _frame(values: dict[str, list[float]], n_train=80, n_test=20, metric="roc_auc"):
    rows = [
        (s, f // 2, f % 2, metric, v, 0.1, 0.01, n_train, n_test, 0)
        for s, vals in values.items()
        for f, v in enumerate(vals)
    ]
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def test_summarize_matches_the_corrected_t_test():
    from scipy import stats

    base = [0.70, 0.75, 0.72, 0.78]
    other = [0.74, 0.80, 0.73, 0.83]
    summary = summarize(_frame({"none": base, "smote": other}))
    row = summary.set_index("sampler").loc["smote"]
    d = np.subtract(other, base)
    se = d.std(ddof=1) * np.sqrt(1 / 4 + 20 / 80)
    half = stats.t.ppf(0.975, 3) * se
    assert row["diff"] == pytest.approx(d.mean())
    assert row["diff_low"] == pytest.approx(d.mean() - half)
    assert row["diff_high"] == pytest.approx(d.mean() + half)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(d.mean() / se, 3))
    assert row["mean"] == pytest.approx(np.mean(other)) and row["n"] == 4
    plain = summarize(_frame({"none": base, "smote": other}), correction=None)
    plain_row = plain.set_index("sampler").loc["smote"]
    assert plain_row["diff_high"] - plain_row["diff_low"] < row["diff_high"] - row["diff_low"]
    assert summary.set_index("sampler").loc["none", "diff"] == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=12))
def test_summarize_identical_samplers_differ_by_zero(values):
    summary = summarize(_frame({"none": values, "copy": values}))
    row = summary.set_index("sampler").loc["copy"]
    assert row["diff"] == 0 and row["p_value"] == 1.0
    assert 0 <= row["ci_low"] <= row["mean"] + 1e-12 and row["ci_high"] <= 1


def test_summarize_groups_by_dataset():
    a = _frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]}).assign(dataset="a")
    b = _frame({"none": [0.9, 0.8], "smote": [0.7, 0.6]}).assign(dataset="b")
    summary = summarize(pd.concat([a, b]))
    assert list(summary["dataset"]) == ["a", "a", "b", "b"]
    diffs = summary[summary["sampler"] == "smote"]["diff"].to_numpy()
    assert diffs == pytest.approx([0.1, -0.2])


def test_summarize_rejects():
    results = _frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    with pytest.raises(ValueError, match=r"baseline 'raw' is not among the samplers"):
        summarize(results, baseline="raw")
    with pytest.raises(ValueError, match=r"lack the column\(s\) \['value'\]"):
        summarize(results.drop(columns="value"))
    with pytest.raises(ValueError, match="correction must be one of"):
        summarize(results, correction="bonferroni")
    with pytest.raises(ValueError, match=r"confidence must be in \(0, 1\)"):
        summarize(results, confidence=95)


def test_summarize_single_fold_has_no_interval():
    summary = summarize(_frame({"none": [0.5], "smote": [0.6]}))
    assert summary["ci_low"].isna().all() and summary["diff_low"].isna().all()


# -------------------------------------------------------------------------------- plots


def test_plot_resampling_2d_draws_classes_and_synthetic_rows():
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.array([0] * 50 + [1] * 10)
    X_res, y_res = SMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)
    fig = plot_resampling(X, y, X_res, y_res, title="t")
    before, after = fig.axes
    assert len(before.collections) == 2  # one scatter per class
    assert len(after.collections) == 3  # plus the synthetic minority rows
    assert after.collections[2].get_offsets().shape == (40, 2)
    assert before.get_xlabel() == "x0"
    assert "before: 0: 50, 1: 10" == before.get_title()


def test_plot_resampling_projects_high_dimensional_data(data):
    X, y = data
    fig = plot_resampling(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    assert fig.axes[0].get_xlabel().startswith("PC1 (")
    one = plot_resampling(X[:, :1], y, *SMOTE(random_state=0).fit_resample(X[:, :1], y))
    assert one.axes[0].get_xlabel() == "x0"


def test_plot_resampling_rejects_under_sampled_data(data):
    X, y = data
    with pytest.raises(ValueError, match="fewer rows"):
        plot_resampling(X, y, X[:10], y[:10])


def test_plot_scores_one_panel_per_dataset():
    a = _frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]}).assign(dataset="a")
    b = _frame({"none": [0.9, 0.8], "smote": [0.7, 0.6]}).assign(dataset="b")
    fig = plot_scores(pd.concat([a, b]))
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["none", "smote"]
    assert len(fig.axes[0].get_lines()) > 0  # boxes and the baseline line
    with pytest.raises(ValueError, match="No 'g_mean' scores"):
        plot_scores(a, "g_mean")


def test_plot_quality_for_several_samplers(data):
    X, y = data
    quality = {}
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0)):
        quality[sampler_name(sampler)] = synthetic_quality(X, y, *sampler.fit_resample(X, y))
    fig = plot_quality(quality)
    assert len(fig.axes) == 3
    assert len(fig.axes[1].patches) == 3  # real + two samplers, one class
    assert len(fig.axes[2].patches) == 2 * X.shape[1]
    with pytest.raises(TypeError, match="SyntheticQuality or a dict"):
        plot_quality({})


def test_plots_explain_how_to_install_matplotlib(monkeypatch, data):
    X, y = data
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install smotekit\[plot\]"):
        plot_resampling(X, y, X, y)


def test_figure_renders_to_png(tmp_path, data):
    X, y = data
    fig = plot_resampling(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    fig.savefig(tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------- report


def test_write_report_markdown_and_html(tmp_path, data):
    X, y = data
    results = compare(X, y, [SMOTE(random_state=0)], LogisticRegression(), cv="3x1")
    quality = synthetic_quality(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    paths = write_report(results, tmp_path / "out", quality=quality)
    md = paths["markdown"].read_text()
    page = paths["html"].read_text()
    assert "| smote |" in md and "Paired difference against 'none'" in md
    assert "![scores_roc_auc](figures/scores_roc_auc.png)" in md
    assert (tmp_path / "out" / "figures" / "quality.png").exists()
    assert page.count("data:image/png;base64,") == 2
    assert "<table>" in page and "Nadeau-Bengio" in page
    assert not [p for p in (tmp_path / "out").rglob(".*")]  # no temporary files left


def test_write_report_is_atomic(tmp_path, monkeypatch):
    results = _frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    paths = write_report(results, tmp_path, figures=None, title="first")
    before = paths["markdown"].read_text()

    class Broken:
        def savefig(self, *args, **kwargs):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_report(results, tmp_path, figures={"bad": Broken()}, title="second")
    assert paths["markdown"].read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report.html", "report.md"]


def test_write_report_custom_tables_and_bad_figures(tmp_path):
    results = _frame({"none": [0.5, 0.6, 0.55], "smote": [0.9, 0.95, 0.92]})
    paths = write_report(
        results,
        tmp_path,
        figures=None,
        tables={"Extra": pd.DataFrame({"a": [1]})},
        notes=["Hello | world"],
    )
    md = paths["markdown"].read_text()
    assert "## Extra" in md and "Hello | world" in md
    assert "**+0.373 [" in md  # the difference excludes 0: bold
    with pytest.raises(ValueError, match="figures must be a dict, 'auto' or None"):
        write_report(results, tmp_path, figures="all")


def test_interval_table():
    from smotekit.evaluation._report import interval_table

    summary = summarize(_frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]}))
    table = interval_table(summary)
    assert list(table.columns) == ["sampler", "roc_auc [95% CI]", "difference vs none"]
    assert table["difference vs none"].iloc[0] == ""
    assert table["difference vs none"].iloc[1].startswith("+0.100 [")
    with pytest.raises(ValueError, match="No 'g_mean' rows in the summary"):
        interval_table(summary, "g_mean")


def test_write_report_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    results = _frame({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = write_report(results, tmp_path)
    assert "install matplotlib" in paths["markdown"].read_text()
