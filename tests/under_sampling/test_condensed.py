"""CondensedNearestNeighbour: Hart's rule, row by row, and imbalanced-learn's store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import CondensedNearestNeighbour as ImbCNN
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from smotekit._engine import class_positions
from smotekit._random import ClassStreams, to_seed_sequence
from smotekit.under_sampling._condensed import CondensedNearestNeighbour, condense_class
from smotekit.under_sampling._store import draw_seeds, minority_label, votes_needed

DATA = Path("/work/shared/data")


def load(name):
    if not DATA.is_dir():
        pytest.skip(f"{DATA} (the shared benchmark datasets) is not on this machine")
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def knn_says_own_class(x, M, K, k, label, minority):
    """Brute-force k-NN vote over the store (minority rows first; ties by store order)."""
    store = np.vstack([M, K])
    is_minority = np.arange(store.shape[0]) < M.shape[0]
    d2 = np.square(store - x).sum(axis=1)
    nearest = np.lexsort((np.arange(store.shape[0]), d2))[:k]
    own = int(np.sum(~is_minority[nearest]))
    other = k - own
    return own > other or (own == other and label < minority)


def hart_reference(S, M, seeds, k, label, minority):
    kept = list(seeds)
    for i in range(S.shape[0]):
        if i in seeds:
            continue
        if not knn_says_own_class(S[i], M, S[kept], k, label, minority):
            kept.append(i)
    return np.array(kept)


@st.composite
def class_pair(draw):
    n_min = draw(st.integers(1, 8))
    n = draw(st.integers(2, 40))
    d = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):  # integer grid: ties and duplicates, minority ones included
        S, M = rng.integers(0, 3, (n, d)).astype(float), rng.integers(0, 3, (n_min, d)) * 1.0
    else:
        S, M = rng.normal(size=(n, d)), rng.normal(size=(n_min, d)) + 0.5
    n_seeds = draw(st.integers(1, min(3, n)))
    seeds = rng.choice(n, n_seeds, replace=False)
    return S, M, seeds


@settings(max_examples=80, deadline=None)
@given(data=class_pair(), k=st.sampled_from([1, 2, 3, 4]), label=st.sampled_from([0, 2]))
def test_equals_the_row_by_row_pass_of_hart_rule(data, k, label):
    S, M, seeds = data
    if M.shape[0] + seeds.size < k:
        return
    minority = 1
    kept = condense_class(S, M, seeds, k=k, need=votes_needed(k, label, minority))
    np.testing.assert_array_equal(kept, hart_reference(S, M, seeds, k, label, minority))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n_classes=st.sampled_from([2, 3]))
def test_store_classifies_every_removed_row_correctly(seed, n_classes):
    X, y = make_classification(
        n_samples=300,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        weights=[0.6, 0.3][: n_classes - 1],
        flip_y=0.1,
        random_state=seed,
    )
    X = np.round(X, 1)  # ties and duplicates
    sampler = CondensedNearestNeighbour(random_state=seed)
    sampler.fit_resample(X, y)
    kept = sampler.sample_indices_
    minority = minority_label(y)
    M = X[y == minority]
    for label in sampler.sampling_strategy_:
        if label == minority:
            continue
        rows = np.flatnonzero(y == label)
        K = X[np.intersect1d(kept, rows)]
        for i in np.setdiff1d(rows, kept):
            assert knn_says_own_class(X[i], M, K, 1, label, minority)


def test_reproducible_from_random_state_and_seeds_from_class_streams():
    X, y = make_classification(n_samples=400, n_classes=3, n_informative=3, random_state=0)
    y = np.where(y == 2, 1, y)
    y[:20] = 2
    a = CondensedNearestNeighbour(random_state=5)
    a.fit_resample(X, y)
    b = CondensedNearestNeighbour(random_state=5)
    b.fit_resample(X, y)
    c = CondensedNearestNeighbour(random_state=6)
    c.fit_resample(X, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)
    positions = class_positions(y)
    kept_labels = y[a.sample_indices_]
    for label in (0, 1):  # class 2 is the minority
        rows = np.flatnonzero(y == label)
        seed = draw_seeds(ClassStreams(to_seed_sequence(5), positions[label]), rows.size, 1)
        assert a.sample_indices_[kept_labels == label][0] == rows[seed[0]]  # the store's first
    assert len(a.estimators_) == 2
    assert all(isinstance(e, KNeighborsClassifier) for e in a.estimators_)


def imbalanced_learn_seeds(y, random_state, targets):
    rng, counts = np.random.RandomState(random_state), Counter(y)
    return {c: rng.randint(0, counts[c], size=1) for c in np.unique(y) if c in targets}


@pytest.mark.parametrize("name", ["ecoli", "yeast_me2"])
@pytest.mark.parametrize("k", [1, 3])
def test_equals_imbalanced_learn_given_its_seeds(name, k):
    X, y = load(name)
    # The condensed class first: imbalanced-learn then skips no misclassified row.
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    theirs = ImbCNN(random_state=0, n_neighbors=k)
    theirs.fit_resample(X, y)
    seeds = imbalanced_learn_seeds(y, 0, theirs.sampling_strategy_)
    minority = minority_label(y)
    rows = np.flatnonzero(y == -1)
    kept = condense_class(
        X[rows], X[y == minority], seeds[-1], k=k, need=votes_needed(k, -1, minority)
    )
    ours = np.concatenate([rows[kept], np.flatnonzero(y == minority)])
    np.testing.assert_array_equal(ours, theirs.sample_indices_)


def test_classifier_objects():
    X, y = make_classification(n_samples=250, weights=[0.8], flip_y=0.1, random_state=4)
    by_int = CondensedNearestNeighbour(random_state=0, n_neighbors=3)
    by_int.fit_resample(X, y)
    by_object = CondensedNearestNeighbour(random_state=0, n_neighbors=KNeighborsClassifier(3))
    by_object.fit_resample(X, y)
    np.testing.assert_array_equal(by_int.sample_indices_, by_object.sample_indices_)
    # a non-Euclidean rule is asked for its predictions: Hart's consistency under it
    manhattan = KNeighborsClassifier(1, metric="manhattan")
    sampler = CondensedNearestNeighbour(random_state=0, n_neighbors=manhattan)
    sampler.fit_resample(X, y)
    kept = sampler.sample_indices_
    store = sampler.estimators_[0]
    removed = np.setdiff1d(np.flatnonzero(y == 0), kept)
    assert np.all(store.predict(X[removed]) == 0)
    assert sampler.estimators_[0].n_samples_fit_ == kept.size
    with pytest.raises(TypeError, match="must be None, an int or a k-NN classifier"):
        CondensedNearestNeighbour(n_neighbors=NearestNeighbors()).fit_resample(X, y)


def test_sparse_and_frames_give_the_same_rows():
    X, y = make_classification(n_samples=300, weights=[0.85], random_state=0)
    rows = CondensedNearestNeighbour(random_state=1).fit_resample(X, y)[0]
    rows_sparse = CondensedNearestNeighbour(random_state=1).fit_resample(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(rows_sparse[0].toarray(), rows)
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    X_df, _ = CondensedNearestNeighbour(random_state=1).fit_resample(frame, y)
    np.testing.assert_array_equal(X_df.to_numpy(), rows)


def test_targeting_the_minority_keeps_its_seeds_only():
    X, y = make_classification(n_samples=200, weights=[0.8], random_state=3)
    sampler = CondensedNearestNeighbour(random_state=0, sampling_strategy="all", n_seeds_S=2)
    _, y_res = sampler.fit_resample(X, y)
    assert np.sum(y_res == 1) == 2  # a store of one class classifies all of it correctly
    theirs = ImbCNN(random_state=0, sampling_strategy="all", n_seeds_S=2).fit_resample(X, y)[1]
    assert np.sum(theirs == 1) == 2


def test_clear_errors():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.array([0] * 27 + [1] * 3)
    with pytest.raises(ValueError, match="class 0 has 27. Use n_seeds_S <= 27"):
        CondensedNearestNeighbour(n_seeds_S=28).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs a store of at least 5 rows"):
        CondensedNearestNeighbour(n_neighbors=5).fit_resample(X, y)
