"""KMeansSMOTE: SMOTE rows inside kept clusters, exact largest-remainder allocation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE
from scipy.spatial.distance import pdist
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification

from smotekit._selection import largest_remainder
from smotekit.over_sampling._kmeans_smote import (
    KMeansSMOTE,
    cluster_weights,
    default_n_clusters,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs /work/shared/data (benchmarks)")


def load(name):
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_neighbors(X, rows, k):
    """k nearest of ``rows`` for each of them (self excluded by index), ties by index."""
    d = np.square(X[rows][:, None, :] - X[rows][None, :, :]).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(rows.size), d.shape), d), axis=-1)
    return rows[order[:, :k]]


def reference_counts(X, y, labels, label, n, threshold, k):
    """Kept clusters and counts from the paper's formulas, written out directly."""
    kept, sparsity = [], []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        inside = members[y[members] == label]
        if inside.size / members.size >= threshold and inside.size >= k + 1:
            m = inside.size
            exponent = 0.16 * math.log(m, 1.6) ** 1.8
            kept.append(c)
            sparsity.append(pdist(X[inside]).mean() ** exponent / m)
    weights = np.array(sparsity) / np.sum(sparsity)
    return np.array(kept), largest_remainder(weights, n), weights


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=3000, n_features=6, n_informative=4, weights=[0.93], flip_y=0.02, random_state=5
    )


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    sampler = KMeansSMOTE(random_state=0, k_neighbors=3)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


def test_defaults_work_where_imblearn_finds_no_cluster():
    X, y = make_classification(n_samples=10_000, n_features=20, weights=[0.95], random_state=0)
    with pytest.raises(RuntimeError, match="No clusters found"):
        ImbKMeansSMOTE(random_state=0).fit_resample(X, y)
    sampler = KMeansSMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [np.sum(y == 0)] * 2)
    assert sampler.kmeans_estimator_.n_clusters == default_n_clusters(10_000) == 71
    assert sampler.balance_thresholds_[1] == pytest.approx(np.mean(y == 1))
    assert sampler.cluster_balance_threshold_ == "auto"


def test_rows_lie_on_segments_inside_their_cluster(data, fitted):
    X, y = data
    sampler, X_res, _ = fitted
    prov = sampler.provenance_
    s, n, g = prov["seed"].to_numpy(), prov["neighbor"].to_numpy(), prov["gap"].to_numpy()
    labels = sampler.cluster_labels_
    assert np.all(y[s] == 1) and np.all(y[n] == 1)
    np.testing.assert_array_equal(labels[s], labels[n])
    assert np.all((g >= 0) & (g < 1))
    np.testing.assert_allclose(X_res[len(y) :], X[s] + g[:, None] * (X[n] - X[s]), atol=1e-12)
    # a segment between two points of a (convex) Voronoi cell stays in the cell
    np.testing.assert_array_equal(sampler.kmeans_estimator_.predict(X_res[len(y) :]), labels[s])
    # the neighbour is one of the seed's k nearest class rows of the same cluster
    for c in np.unique(labels[s]):
        rows = np.flatnonzero((labels == c) & (y == 1))
        allowed = dict(zip(rows, brute_neighbors(X, rows, 3), strict=True))
        chosen = labels[s] == c
        assert all(b in allowed[a] for a, b in zip(s[chosen], n[chosen], strict=True))
    # rows grouped by cluster, in cluster order
    assert np.all(np.diff(labels[s]) >= 0)


def test_kept_clusters_and_counts_follow_the_formulas(data, fitted):
    X, y = data
    sampler, _, y_res = fitted
    n = sampler.sampling_strategy_[1]
    kept, counts, _ = reference_counts(
        X, y, sampler.cluster_labels_, 1, n, sampler.balance_thresholds_[1], 3
    )
    np.testing.assert_array_equal(sampler.kept_clusters_[1], kept)
    np.testing.assert_array_equal(sampler.cluster_n_samples_[1], counts)
    assert sampler.cluster_n_samples_[1].sum() == n == np.sum(y_res == 1) - np.sum(y == 1)
    per_cluster = np.bincount(
        sampler.cluster_labels_[sampler.provenance_["seed"]], minlength=kept.max() + 1
    )
    np.testing.assert_array_equal(per_cluster[kept], counts)


def test_cluster_weights_never_divide_by_zero_or_overflow():
    w = cluster_weights(np.array([0.0, 2.0, 3.0]), np.array([5, 4, 3]), np.array([2.0, 2.0, 2.0]))
    assert w[0] == 0 and w.sum() == pytest.approx(1)
    np.testing.assert_allclose(
        cluster_weights(np.zeros(3), np.array([2, 4, 4]), np.full(3, 3.0)), [0.5, 0.25, 0.25]
    )
    np.testing.assert_allclose(
        cluster_weights(np.array([0.0, 1.0]), np.array([3, 3]), np.array([-1.0, -1.0])), [1, 0]
    )
    huge = cluster_weights(np.array([1e200, 2e200]), np.array([3, 3]), np.array([50.0, 50.0]))
    assert np.all(np.isfinite(huge)) and huge.sum() == pytest.approx(1) and huge[1] > huge[0]
    np.testing.assert_allclose(
        cluster_weights(np.zeros(2), np.array([2, 2]), np.zeros(2)), [0.5, 0.5]
    )


def test_duplicate_minority_rows_do_not_divide_by_zero():
    rng = np.random.default_rng(0)
    X = np.vstack(
        [rng.normal(size=(200, 2)), np.tile([[5.0, 5.0]], (15, 1)), np.tile([[-5.0, 5.0]], (10, 1))]
    )
    y = np.array([0] * 200 + [1] * 25)
    kmeans = KMeans(n_clusters=3, n_init=3, random_state=0)
    sampler = KMeansSMOTE(kmeans_estimator=kmeans, cluster_balance_threshold=0.5, random_state=0)
    with np.errstate(divide="raise", invalid="raise"):
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res)[1] == 200 and np.all(np.isfinite(X_res))
    assert sorted(sampler.cluster_n_samples_[1].tolist()) == [70, 105]  # 1/m shares: 15 and 10 rows


def test_no_cluster_kept_raises_runtime_error_naming_the_parameters(data):
    X, y = data
    with pytest.raises(RuntimeError, match="no cluster for class 1.*cluster_balance_threshold"):
        KMeansSMOTE(cluster_balance_threshold=1.5, random_state=0).fit_resample(X, y)
    with pytest.raises(RuntimeError, match="imbalanced-learn|kmeans_estimator"):
        KMeansSMOTE(kmeans_estimator=8, random_state=0).fit_resample(X, y)


def test_int_and_estimator_build_the_clustering_as_imblearn(data):
    X, y = data
    ours = KMeansSMOTE(kmeans_estimator=30, cluster_balance_threshold=0.2, random_state=1)
    theirs = ImbKMeansSMOTE(kmeans_estimator=30, cluster_balance_threshold=0.2, random_state=1)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.cluster_labels_, theirs.kmeans_estimator_.labels_)
    estimator = KMeans(n_clusters=12, n_init=2, random_state=0)
    sampler = KMeansSMOTE(kmeans_estimator=estimator, cluster_balance_threshold=0.1, random_state=0)
    sampler.fit_resample(X, y)
    assert not hasattr(estimator, "labels_") and sampler.kmeans_estimator_.n_clusters == 12


def test_auto_threshold_is_imblearns_with_your_own_clustering(data):
    X, y = data
    sampler = KMeansSMOTE(kmeans_estimator=60, random_state=0)
    try:
        sampler.fit_resample(X, y)
    except RuntimeError:
        pass
    assert sampler.balance_thresholds_[1] == 0.5
    single = KMeansSMOTE(kmeans_estimator=1, random_state=0)
    _, y_res = single.fit_resample(X, y)
    assert single.cluster_balance_threshold_ == -np.inf and np.bincount(y_res)[1] == np.sum(y == 0)
    assert single.kept_clusters_[1].tolist() == [0]


def test_fitted_attributes_and_reproducibility(data, fitted):
    X, y = data
    sampler, X_res, _ = fitted
    assert sampler.nn_k_.n_neighbors == 4
    last = sampler.kept_clusters_[1][sampler.cluster_n_samples_[1] > 0][-1]
    assert sampler.nn_k_.n_samples_fit_ == np.sum((sampler.cluster_labels_ == last) & (y == 1))
    again = KMeansSMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(X_res, again)
    other = KMeansSMOTE(random_state=1, k_neighbors=3).fit_resample(X, y)[0]
    assert not np.array_equal(X_res, other)


def test_multiclass_exact_counts():
    X, y = make_classification(n_samples=2000, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.7, 0.2, 0.1], flip_y=0.01, random_state=3)  # fmt: skip
    sampler = KMeansSMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert set(np.bincount(y_res)) == {np.sum(y == 0)}
    for label, threshold in sampler.balance_thresholds_.items():
        assert threshold == pytest.approx(np.mean(y == label))


# ----------------------------------------------------------- against imbalanced-learn
def _compare_with_imblearn(X, y, n_clusters, threshold):
    params = dict(cluster_balance_threshold=threshold, random_state=0)
    kmeans = MiniBatchKMeans(n_clusters=n_clusters, random_state=0)
    ours = KMeansSMOTE(kmeans_estimator=kmeans, **params)
    theirs = ImbKMeansSMOTE(kmeans_estimator=kmeans, **params)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    labels = theirs.kmeans_estimator_.labels_
    np.testing.assert_array_equal(ours.cluster_labels_, labels)
    new = theirs.kmeans_estimator_.predict(X_theirs[len(y) :])
    for label in ours.sampling_strategy_:
        n = ours.sampling_strategy_[label]
        kept, _, weights = reference_counts(X, y, labels, label, n, threshold, 2)
        made = np.bincount(new[y_theirs[len(y) :] == label], minlength=n_clusters)
        np.testing.assert_array_equal(ours.kept_clusters_[label], np.flatnonzero(made))
        ceil = np.ceil(n * weights).astype(int)  # imblearn's rounding
        np.testing.assert_array_equal(made[kept], ceil)
        counts = ours.cluster_n_samples_[label]
        assert counts.sum() == n and np.all((ceil - counts >= 0) & (ceil - counts <= 1))


def test_same_clusters_and_counts_as_imblearn_synthetic():
    X, y = make_classification(n_samples=2500, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.6, 0.25, 0.15], flip_y=0.02, random_state=8)  # fmt: skip
    _compare_with_imblearn(X, y, n_clusters=20, threshold=0.1)


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "abalone", "yeast_me2", "pen_digits", "satimage"])
def test_same_clusters_and_counts_as_imblearn_benchmarks(name):
    X, y = load(name)
    _compare_with_imblearn(X, y, n_clusters=30, threshold=float(np.mean(y == 1)))


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "oil", "car_eval_4", "wine_quality", "letter_img"])
def test_defaults_work_on_benchmarks(name):
    X, y = load(name)
    _, y_res = KMeansSMOTE(random_state=0).fit_resample(X, y)
    assert np.sum(y_res == 1) == np.sum(y == -1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 500), weights=st.lists(st.floats(0, 1e6), min_size=1, max_size=12))
def test_largest_remainder_allocation_is_exact(n, weights):
    weights = np.array(weights)
    if weights.sum() == 0:
        weights[0] = 1.0
    shares = largest_remainder(weights / weights.sum(), n)
    assert shares.sum() == n and np.all(shares >= 0)
    assert np.all(np.abs(shares - n * weights / weights.sum()) < 1)
