"""Samplers on the approximate backends: ``neighbors_report_`` and agreement with exact search."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smotekit import ADASYN, SMOTE, BorderlineSMOTE
from smotekit._selection import largest_remainder
from smotekit.evaluation._summary import paired_interval
from smotekit.neighbors._hnsw import HNSWNeighbors
from smotekit.neighbors._ivf import IVFNeighbors
from smotekit.neighbors._report import neighbors_report

SHARED_DATA = (Path(__file__).resolve().parents[2] / "../shared/data").resolve()
AGREEMENT_DATASETS = [
    "abalone",
    "satimage",
    "optical_digits",
    "pen_digits",
    "coil_2000",
    "letter_img",
]
TOP_KEYS = {"backend", "params", "exact", "recall_at_k", "build_seconds", "query_seconds"}
SEARCH_KEYS = {
    "kind",
    "label",
    "backend",
    "params",
    "k",
    "n_rows",
    "n_queries",
    "recall_at_k",
    "recall_queries",
    "build_seconds",
    "query_seconds",
}


@functools.cache
def _shared(name: str) -> tuple[np.ndarray, np.ndarray]:
    path = SHARED_DATA / name / f"{name}.csv.gz"
    if not path.is_file():
        pytest.skip(f"the shared benchmark data are not available at {SHARED_DATA}")
    frame = pd.read_csv(path)
    return frame.drop(columns="target").to_numpy(np.float64), frame["target"].to_numpy()


def _data(n=2000, weights=(0.85,), n_classes=2, seed=0):
    return make_classification(
        n_samples=n,
        n_features=10,
        n_informative=4,
        n_classes=n_classes,
        weights=list(weights),
        flip_y=0.05,
        class_sep=0.8,
        random_state=seed,
    )


class RandomNeighbors:
    """A deliberately bad backend: distinct random rows, with their true distances."""

    exact = False

    def fit(self, X):
        self._X = np.asarray(X, dtype=np.float64)
        return self

    def kneighbors(self, Q, n_neighbors, *, exclude=None):
        X = self._X
        if Q is None:
            Q, exclude = X, np.arange(X.shape[0])
        rng = np.random.default_rng(0)
        ind = np.empty((Q.shape[0], n_neighbors), dtype=np.int64)
        for i in range(Q.shape[0]):
            pool = np.setdiff1d(np.arange(X.shape[0]), [] if exclude is None else [exclude[i]])
            ind[i] = rng.choice(pool, n_neighbors, replace=False)
        dist = np.sqrt(np.square(Q[:, None, :] - X[ind]).sum(axis=-1))
        order = np.lexsort((ind, dist), axis=-1)
        return np.take_along_axis(dist, order, 1), np.take_along_axis(ind, order, 1)


@pytest.mark.parametrize("sampler_type", [BorderlineSMOTE, ADASYN, SMOTE])
@pytest.mark.parametrize("backend", ["ivf", "hnsw"])
def test_report_keys_and_values(sampler_type, backend):
    X, y = _data()
    sampler = sampler_type(random_state=0, neighbors=backend)
    sampler.fit_resample(X, y)
    report = sampler.neighbors_report_
    assert TOP_KEYS <= set(report)
    assert report["backend"] == backend and report["exact"] is False
    assert 0.0 <= report["recall_at_k"] <= 1.0
    assert report["build_seconds"] > 0.0 and report["query_seconds"] > 0.0
    n_minority = int(np.sum(y == 1))
    kinds = [s["kind"] for s in report["searches"]]
    assert kinds == (["within_class"] if sampler_type is SMOTE else ["among_all", "within_class"])
    for entry in report["searches"]:
        assert set(entry) == SEARCH_KEYS
        assert entry["label"] == 1 and 0.0 <= entry["recall_at_k"] <= 1.0
        assert entry["recall_queries"] == min(1000, entry["n_queries"])
    among = report["searches"][0]
    if sampler_type is not SMOTE:
        assert among["n_rows"] == X.shape[0] and among["n_queries"] == n_minority
    if backend == "ivf":
        assert {"n_probe", "n_lists_", "n_probe_"} <= set(report["params"])
    if sampler_type is BorderlineSMOTE:
        assert 0.0 <= report["danger_agreement"] <= 1.0
        assert report["agreement_rows"] == n_minority
    if sampler_type is ADASYN:
        assert 0.0 <= report["weight_agreement"] <= 1.0
        assert report["allocation_l1"] >= 0 and report["agreement_rows"] == n_minority


def test_exact_runs_keep_no_report_and_a_refit_removes_it():
    X, y = _data()
    sampler = BorderlineSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    assert not hasattr(sampler, "neighbors_report_")
    sampler.set_params(neighbors="ivf").fit_resample(X, y)
    assert hasattr(sampler, "neighbors_report_")
    sampler.set_params(neighbors="exact").fit_resample(X, y)
    assert not hasattr(sampler, "neighbors_report_")


@pytest.mark.parametrize("sampler_type", [BorderlineSMOTE, ADASYN])
def test_an_exhaustive_approximate_search_gives_the_exact_output_and_full_agreement(
    sampler_type,
):
    # 2000 rows: IVF's 51 cells are all probed, so its answers are the exact ones.
    X, y = _data()
    exact = sampler_type(random_state=0).fit_resample(X, y)
    approx_sampler = sampler_type(random_state=0, neighbors="ivf")
    approx = approx_sampler.fit_resample(X, y)
    np.testing.assert_array_equal(exact[0], approx[0])
    np.testing.assert_array_equal(exact[1], approx[1])
    report = approx_sampler.neighbors_report_
    assert report["recall_at_k"] == 1.0
    assert report.get("danger_agreement", 1.0) == 1.0
    assert report.get("weight_agreement", 1.0) == 1.0 and report.get("allocation_l1", 0) == 0


def test_a_bad_backend_shows_in_the_report():
    X, y = _data(n=600, weights=(0.7,))
    borderline = BorderlineSMOTE(random_state=0, neighbors=RandomNeighbors())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        borderline.fit_resample(X, y)
    report = borderline.neighbors_report_
    assert report["backend"] == "RandomNeighbors"
    assert report["recall_at_k"] < 0.3
    assert report["danger_agreement"] < 0.8
    adasyn = ADASYN(random_state=0, neighbors=RandomNeighbors())
    adasyn.fit_resample(X, y)
    assert adasyn.neighbors_report_["weight_agreement"] < 0.5
    assert adasyn.neighbors_report_["allocation_l1"] > 0


def test_large_classes_are_measured_on_a_seeded_sample_of_1000_rows():
    X, y = _data(n=5000, weights=(0.6,))
    reports = []
    for _ in range(2):
        sampler = BorderlineSMOTE(random_state=3, neighbors="ivf")
        sampler.fit_resample(X, y)
        reports.append(sampler.neighbors_report_)
    assert reports[0]["agreement_rows"] == 1000
    assert reports[0]["searches"][0]["recall_queries"] == 1000
    for key in ("recall_at_k", "danger_agreement"):
        assert reports[0][key] == reports[1][key]


def test_every_over_sampled_class_is_reported():
    X, y = _data(n=1500, weights=(0.6, 0.25), n_classes=3)
    sampler = ADASYN(random_state=0, neighbors="hnsw")
    sampler.fit_resample(X, y)
    searches = sampler.neighbors_report_["searches"]
    assert sorted({s["label"] for s in searches}) == sorted(sampler.hardness_)
    assert sampler.neighbors_report_["agreement_rows"] == sum(
        int(np.sum(y == label)) for label in sampler.hardness_
    )


def test_report_without_searches_is_an_error():
    with pytest.raises(ValueError, match="at least one search"):
        neighbors_report([])


# ------------------------------------------------------- shared benchmark data
def _danger_agreement(y, exact, approx):
    rows = np.flatnonzero(y == 1)
    return float(np.mean(np.isin(rows, exact.in_danger_[1]) == np.isin(rows, approx.in_danger_[1])))


def _allocation_agreement(exact, approx):
    n_target = exact.sampling_strategy_[1]
    a = largest_remainder(exact.hardness_[1], n_target)
    b = largest_remainder(approx.hardness_[1], n_target)
    return float(np.mean(a == b)), int(np.abs(a - b).sum())


@pytest.mark.parametrize("name", AGREEMENT_DATASETS)
def test_ivf_defaults_agree_with_exact_on_the_benchmark_data(name):
    X, y = _shared(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact_b = BorderlineSMOTE(random_state=0)
        exact_b.fit_resample(X, y)
        approx_b = BorderlineSMOTE(random_state=0, neighbors="ivf")
        approx_b.fit_resample(X, y)
    assert _danger_agreement(y, exact_b, approx_b) >= 0.95
    assert approx_b.neighbors_report_["danger_agreement"] >= 0.95
    assert approx_b.neighbors_report_["recall_at_k"] >= 0.95
    exact_a = ADASYN(random_state=0)
    exact_a.fit_resample(X, y)
    approx_a = ADASYN(random_state=0, neighbors="ivf")
    approx_a.fit_resample(X, y)
    agreement, l1 = _allocation_agreement(exact_a, approx_a)
    assert agreement >= 0.95
    report = approx_a.neighbors_report_
    assert report["weight_agreement"] >= 0.95
    if report["agreement_rows"] == int(np.sum(y == 1)):
        # Every minority row measured: the report's numbers are the direct comparison.
        assert report["weight_agreement"] == agreement and report["allocation_l1"] == l1


@pytest.mark.parametrize("name", AGREEMENT_DATASETS[:5])
def test_hnsw_defaults_agree_on_danger_rows_with_exact(name):
    X, y = _shared(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact = BorderlineSMOTE(random_state=0)
        exact.fit_resample(X, y)
        approx = BorderlineSMOTE(random_state=0, neighbors=HNSWNeighbors())
        approx.fit_resample(X, y)
    assert _danger_agreement(y, exact, approx) >= 0.95
    assert approx.neighbors_report_["recall_at_k"] >= 0.95


def _auc(X, y, sampler, train, test):
    X_res, y_res = sampler.fit_resample(X[train], y[train])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300))
    model.fit(X_res, y_res)
    return roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])


@pytest.mark.parametrize(
    "name, sampler_type, make_backend",
    [
        ("satimage", BorderlineSMOTE, HNSWNeighbors),
        ("wine_quality", ADASYN, HNSWNeighbors),
        ("abalone", BorderlineSMOTE, lambda: IVFNeighbors(n_probe=4)),
        ("letter_img", ADASYN, lambda: IVFNeighbors(n_probe=4)),
        ("pen_digits", BorderlineSMOTE, lambda: HNSWNeighbors(ef_search=16)),
    ],
)
def test_cross_validated_auc_of_approximate_and_exact_search_do_not_differ(
    name, sampler_type, make_backend
):
    X, y = _shared(name)
    folds = RepeatedStratifiedKFold(n_splits=2, n_repeats=5, random_state=0)
    differences, recalls = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for train, test in folds.split(X, y):
            approx = sampler_type(random_state=0, neighbors=make_backend())
            exact = sampler_type(random_state=0)
            differences.append(_auc(X, y, approx, train, test) - _auc(X, y, exact, train, test))
            recalls.append(approx.neighbors_report_["recall_at_k"])
    assert min(recalls) < 1.0  # the search really was approximate
    _, low, high, _ = paired_interval(np.array(differences), 1.0, 0.95)
    assert low <= 0.0 <= high


class _DuckNeighbors:
    """A neighbour object from outside scikit-learn (what imbalanced-learn's checks ask for)."""

    n_neighbors = 6

    def fit(self, X):
        self._inner = NearestNeighbors().fit(X)
        return self

    def kneighbors(self, X, n_neighbors, return_distance=True):
        return self._inner.kneighbors(X, n_neighbors)

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        return self._inner.kneighbors_graph(X, n_neighbors, mode)


@pytest.mark.parametrize(
    "estimator, reported",
    [
        (NearestNeighbors(n_neighbors=6), False),
        (NearestNeighbors(n_neighbors=6, algorithm="kd_tree"), False),
        (NearestNeighbors(n_neighbors=6, metric="euclidean", algorithm="ball_tree"), False),
        (NearestNeighbors(n_neighbors=6, metric="manhattan"), True),
        (NearestNeighbors(n_neighbors=6, p=3), True),
        (_DuckNeighbors(), True),
    ],
    ids=["brute", "kd_tree", "ball_tree", "manhattan", "p3", "duck"],
)
def test_scikit_learns_euclidean_neighbours_are_not_checked_as_approximate(estimator, reported):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 4))
    y = (np.arange(400) < 60).astype(int)
    sampler = SMOTE(random_state=0, k_neighbors=estimator)
    sampler.fit_resample(X, y)
    assert hasattr(sampler, "neighbors_report_") is reported
