"""NearMiss: each version's distance rule; imbalanced-learn's rows, in its order."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import NearMiss as ImbNearMiss
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit.neighbors import FittedNeighbors
from smotekit.under_sampling._nearmiss import NearMiss, farthest_distances

DATA = Path("/work/shared/data")


def load(name):
    if not DATA.is_dir():
        pytest.skip(f"{DATA} (the shared benchmark datasets) is not on this machine")
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def reference(X, y, targets, version, k=3, k3=3):
    """NearMiss from its definition: full float64 distance matrices, stable sorts."""
    labels, first, counts = np.unique(y, return_index=True, return_counts=True)
    tied = np.flatnonzero(counts == counts.min())
    minority = labels[tied[np.argmin(first[tied])]]
    M = X[y == minority]

    def dist(A, B):
        return np.sqrt(np.square(A[:, None, :] - B[None, :, :]).sum(axis=2))

    parts = []
    for label in labels:
        rows = np.flatnonzero(y == label)
        if label not in targets:
            parts.append(rows)
            continue
        D = np.sort(dist(X[rows], M), axis=1)
        if version == 1:
            order = np.argsort(D[:, :k].sum(axis=1), kind="stable")
        elif version == 2:
            order = np.argsort(D[:, -k:].sum(axis=1), kind="stable")
        else:
            to_class = dist(M, X[rows])
            near = set()
            for i in range(M.shape[0]):
                ranked = np.lexsort((np.arange(rows.size), to_class[i]))
                near.update(ranked[:k3].tolist())
            candidates = np.array(sorted(near))
            score = D[candidates, :k].sum(axis=1)
            order = candidates[np.argsort(-score, kind="stable")]
        parts.append(rows[order[: targets[label]]])
    return np.concatenate(parts)


@st.composite
def small_data(draw):
    n_min = draw(st.integers(3, 8))
    n_maj = draw(st.integers(n_min + 1, 30))
    n_mid = draw(st.sampled_from([0, n_min + 2]))
    d = draw(st.integers(1, 3))
    grid = draw(st.booleans())  # integer grid: many ties and duplicates
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = n_min + n_maj + n_mid
    X = rng.integers(0, 4, size=(n, d)).astype(float) if grid else rng.normal(size=(n, d))
    y = np.array([1] * n_min + [0] * n_maj + [2] * n_mid)
    return X, y[rng.permutation(n)]


@settings(max_examples=60, deadline=None)
@given(data=small_data(), version=st.sampled_from([1, 2, 3]), k=st.integers(1, 3))
def test_each_version_follows_its_distance_rule(data, version, k):
    X, y = data
    sampler = NearMiss(version=version, n_neighbors=k, n_neighbors_ver3=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # NearMiss-3 may find fewer rows
        sampler.fit_resample(X, y)
    expected = reference(X, y, sampler.sampling_strategy_, version, k=k, k3=2)
    np.testing.assert_array_equal(sampler.sample_indices_, expected)


@pytest.mark.filterwarnings("ignore::UserWarning")  # NearMiss-3 keeps fewer rows on two
@pytest.mark.parametrize(
    "name", ["ecoli", "yeast_me2", "libras_move", "spectrometer", "oil", "us_crime", "abalone"]
)
@pytest.mark.parametrize("version", [1, 2, 3])
def test_keeps_imbalanced_learns_rows_in_its_order(name, version):
    X, y = load(name)
    ours = NearMiss(version=version)
    X_res, y_res = ours.fit_resample(X, y)
    theirs = ImbNearMiss(version=version)
    X_imb, y_imb = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_res, X_imb)
    np.testing.assert_array_equal(y_res, y_imb)


@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize(
    "strategy", ["auto", "all", "not majority", {0: 40, 1: 25, 2: 30}, lambda y: {0: 50}]
)
def test_multiclass_strategies_equal_imbalanced_learns(version, strategy):
    X, y = make_classification(
        n_samples=400, n_classes=3, n_informative=4, weights=[0.5, 0.3], random_state=3
    )
    ours = NearMiss(version=version, sampling_strategy=strategy)
    theirs = ImbNearMiss(version=version, sampling_strategy=strategy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ours.fit_resample(X, y)
        theirs.fit_resample(X, y)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


def test_minority_is_the_first_smallest_class_to_appear():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(70, 2))
    y = np.array([2] * 10 + [0] * 10 + [1] * 50)  # 2 and 0 tie; 2 appears first
    ours = NearMiss(sampling_strategy="all").fit(X, y)
    ours.fit_resample(X, y)
    theirs = ImbNearMiss(sampling_strategy="all")
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    expected = NearestNeighbors(n_neighbors=3).fit(X[y == 2]).kneighbors(X[:5])
    np.testing.assert_allclose(ours.nn_.kneighbors(X[:5])[0], expected[0], rtol=1e-12)


def test_farthest_distances_are_the_sorted_tail_of_all_distances():
    rng = np.random.default_rng(1)
    M, Q = rng.normal(size=(50, 4)) * 1e3 + 5e3, rng.normal(size=(30, 4)) * 1e3 + 5e3
    full = np.sort(np.sqrt(np.square(Q[:, None] - M[None]).sum(axis=2)), axis=1)
    np.testing.assert_array_equal(farthest_distances(M, Q, 7), full[:, -7:])
    np.testing.assert_array_equal(farthest_distances(M, sparse.csr_matrix(Q), 50), full)


def test_sparse_float32_and_frames_give_the_same_rows():
    X, y = make_classification(n_samples=300, weights=[0.85], random_state=0)
    for version in (1, 2, 3):
        base = NearMiss(version=version)
        X_res, _ = base.fit_resample(X, y)
        X_sp, _ = NearMiss(version=version).fit_resample(sparse.csr_matrix(X), y)
        assert sparse.issparse(X_sp)
        np.testing.assert_array_equal(X_sp.toarray(), X_res)
        frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        X_df, y_df = NearMiss(version=version).fit_resample(frame, pd.Series(y, name="t"))
        assert list(X_df.columns) == list(frame.columns) and y_df.name == "t"
        np.testing.assert_array_equal(X_df.to_numpy(), X_res)
        X32, _ = NearMiss(version=version).fit_resample(X.astype(np.float32), y)
        assert X32.dtype == np.float32


def test_fitted_neighbour_attributes():
    X, y = make_classification(n_samples=200, weights=[0.8], random_state=1)
    sampler = NearMiss(version=3, n_neighbors=2, n_neighbors_ver3=4)
    sampler.fit_resample(X, y)
    assert isinstance(sampler.nn_, FittedNeighbors) and sampler.nn_.n_neighbors == 2
    assert sampler.nn_.n_samples_fit_ == int(np.sum(y == 1))
    assert sampler.nn_ver3_.n_neighbors == 4 and sampler.nn_ver3_.n_samples_fit_ == np.sum(y == 0)
    theirs = ImbNearMiss(version=3, n_neighbors=2, n_neighbors_ver3=4).fit(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.nn_.kneighbors(X[:5])[1], theirs.nn_.kneighbors(X[:5])[1])
    one = NearMiss().fit(X, y)
    one.fit_resample(X, y)
    assert not hasattr(one, "nn_ver3_")


def test_neighbour_objects_act_as_their_n_neighbors():
    X, y = make_classification(n_samples=200, weights=[0.8], random_state=2)
    for version in (1, 2, 3):
        by_int = NearMiss(version=version, n_neighbors=2)
        by_int.fit_resample(X, y)
        by_object = NearMiss(
            version=version,
            n_neighbors=NearestNeighbors(n_neighbors=2),
            n_neighbors_ver3=NearestNeighbors(n_neighbors=3),
        )
        by_object.fit_resample(X, y)
        np.testing.assert_array_equal(by_int.sample_indices_, by_object.sample_indices_)


def test_clear_errors_and_the_version_3_warning():
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.array([0] * 36 + [1] * 4)
    with pytest.raises(ValueError, match="minority class 1 has 4. Use n_neighbors <= 4"):
        NearMiss(n_neighbors=5).fit_resample(X, y)
    with pytest.raises(ValueError, match="Use n_neighbors <= 4"):
        NearMiss(version=2, n_neighbors=5).fit_resample(X, y)
    with pytest.raises(ValueError, match="class 0 .*has 36. Use n_neighbors_ver3 <= 36"):
        NearMiss(version=3, n_neighbors_ver3=37).fit_resample(X, y)
    with pytest.warns(UserWarning, match="fewer than the 30 asked for"):
        NearMiss(version=3, n_neighbors_ver3=1, sampling_strategy={0: 30}).fit_resample(X, y)
