"""ClusterCentroids: the requested counts, centres or real rows, the caller's containers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import ClusterCentroids as ImbClusterCentroids
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification

from smotekit.under_sampling._cluster_centroids import ClusterCentroids

DATA = Path("/work/shared/data")
X3, Y3 = make_classification(
    n_samples=300, n_classes=3, n_informative=4, weights=[0.6, 0.3], random_state=0
)


def load(name):
    if not DATA.is_dir():
        pytest.skip(f"{DATA} (the shared benchmark datasets) is not on this machine")
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def kmeans():
    return KMeans(n_clusters=2, random_state=0, n_init=1)


@pytest.mark.parametrize(
    "strategy", ["auto", "all", "majority", {0: 30, 1: 12, 2: 5}, lambda y: {0: 7}]
)
@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_exactly_the_requested_counts(strategy, voting):
    sampler = ClusterCentroids(sampling_strategy=strategy, voting=voting, random_state=0)
    X_res, y_res = sampler.fit_resample(X3, Y3)
    counts = dict(zip(*np.unique(y_res, return_counts=True)))
    for label in np.unique(Y3):
        expected = sampler.sampling_strategy_.get(label, int(np.sum(Y3 == label)))
        assert counts[label] == expected
    assert np.all(np.diff(y_res) >= 0)  # grouped by class in label order
    assert X_res.shape == (y_res.size, X3.shape[1])
    assert not hasattr(sampler, "sample_indices_")


def test_hard_voting_returns_real_rows_of_the_class_nearest_each_centre():
    sampler = ClusterCentroids(voting="hard", estimator=kmeans())
    X_res, y_res = sampler.fit_resample(X3, Y3)
    for row, label in zip(X_res, y_res):
        assert np.any(np.all(X3[Y3 == label] == row, axis=1))
    # the last class clustered: its centres' nearest rows are its output rows
    last = max(sampler.sampling_strategy_)
    rows = X3[Y3 == last]
    centres = sampler.estimator_.cluster_centers_
    d2 = np.square(centres[:, None, :] - rows[None]).sum(axis=2)
    np.testing.assert_array_equal(X_res[y_res == last], rows[np.argmin(d2, axis=1)])


def test_soft_voting_rows_are_the_centres():
    sampler = ClusterCentroids(voting="soft", random_state=3)
    X_res, y_res = sampler.fit_resample(X3, Y3)
    last = max(sampler.sampling_strategy_)
    np.testing.assert_array_equal(X_res[y_res == last], sampler.estimator_.cluster_centers_)
    np.testing.assert_array_equal(X_res[y_res == 2], X3[Y3 == 2])  # the minority unchanged
    assert sampler.voting_ == "soft"
    assert ClusterCentroids().fit(X3, Y3).fit_resample(sparse.csr_matrix(X3), Y3)[0].format == "csr"


@pytest.mark.parametrize("name", ["ecoli", "yeast_me2", "abalone", "wine_quality"])
def test_equals_imbalanced_learn_with_the_same_estimator(name):
    X, y = load(name)
    for voting in ("soft", "hard"):
        ours = ClusterCentroids(estimator=kmeans(), voting=voting).fit_resample(X, y)
        theirs = ImbClusterCentroids(estimator=kmeans(), voting=voting).fit_resample(X, y)
        np.testing.assert_array_equal(ours[1], theirs[1])
        if voting == "soft" or name in ("abalone", "wine_quality"):
            np.testing.assert_array_equal(ours[0], theirs[0])
        else:  # a two-row cluster's centre is equidistant from both: ours takes the first
            assert np.mean(np.all(ours[0] == theirs[0], axis=1)) > 0.9


def test_reproducible_from_random_state_with_the_default_kmeans():
    a = ClusterCentroids(random_state=4).fit_resample(X3, Y3)[0]
    b = ClusterCentroids(random_state=4).fit_resample(X3, Y3)[0]
    c = ClusterCentroids(random_state=5).fit_resample(X3, Y3)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    sampler = ClusterCentroids(random_state=4)
    sampler.fit_resample(X3, Y3)
    assert isinstance(sampler.estimator_, KMeans)
    assert sampler.estimator_.n_clusters == sampler.sampling_strategy_[1]


def test_containers_and_dtypes_come_back():
    ints = np.round(X3 * 10).astype(np.int32)
    out = ClusterCentroids(random_state=0).fit_resample(ints, Y3)[0]
    assert out.dtype == np.int32  # centres rounded into the caller's dtype
    assert ClusterCentroids(random_state=0).fit_resample(X3.astype(np.float32), Y3)[0].dtype == (
        np.float32
    )
    frame = pd.DataFrame({"a": ints[:, 0], "b": X3[:, 1], "c": X3[:, 2] > 0})
    X_df, y_df = ClusterCentroids(random_state=0).fit_resample(frame, pd.Series(Y3, name="t"))
    assert list(X_df.columns) == ["a", "b", "c"] and y_df.name == "t"
    assert list(X_df.dtypes) == list(frame.dtypes)
    np.testing.assert_array_equal(X_df[y_df == 2].to_numpy(), frame[Y3 == 2].to_numpy())
    as_list = ClusterCentroids(random_state=0).fit_resample(X3.tolist(), Y3)[0]
    assert isinstance(as_list, list) and len(as_list) == 3 * int(np.sum(Y3 == 2))
    csr = sparse.csr_matrix(X3)
    for voting in ("soft", "hard"):
        X_sp = ClusterCentroids(random_state=0, voting=voting).fit_resample(csr, Y3)[0]
        assert sparse.issparse(X_sp) and X_sp.shape == (3 * int(np.sum(Y3 == 2)), X3.shape[1])


def test_other_estimators_and_clear_errors():
    sampler = ClusterCentroids(estimator=MiniBatchKMeans(n_init=1, random_state=0))
    _, y_res = sampler.fit_resample(X3, Y3)
    assert np.all(np.bincount(y_res) == np.sum(Y3 == 2))

    class NoClusters(BaseEstimator):
        def fit(self, X, y=None):
            return self

        def predict(self, X):
            return np.zeros(len(X))

    class NoCentres(NoClusters):
        def __init__(self, n_clusters=8):
            self.n_clusters = n_clusters

    with pytest.raises(ValueError, match="exposing a parameter `n_clusters`"):
        ClusterCentroids(estimator=NoClusters()).fit_resample(X3, Y3)
    with pytest.raises(RuntimeError, match="has no cluster_centers_"):
        ClusterCentroids(estimator=NoCentres()).fit_resample(X3, Y3)
