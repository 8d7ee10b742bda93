"""OneSidedSelection: one condensing step, then the Tomek links of the rows kept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import OneSidedSelection as ImbOSS
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier

from smotekit._engine import class_positions
from smotekit._random import ClassStreams, to_seed_sequence
from smotekit.under_sampling._one_sided import (
    OneSidedSelection,
    misclassified_by_seeds,
    one_sided_select,
)
from smotekit.under_sampling._store import draw_seeds, minority_label, votes_needed

DATA = Path("/work/shared/data")


def load(name):
    if not DATA.is_dir():
        pytest.skip(f"{DATA} (the shared benchmark datasets) is not on this machine")
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_nearest_other(X):
    d2 = np.square(X[:, None, :] - X[None, :, :]).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    return np.array([np.lexsort((np.arange(len(X)), row))[0] for row in d2])


def reference(X, y, targets, seeds_of, k=1):
    """One-sided selection from its definition, brute force, float64."""
    minority = minority_label(y)
    M = X[y == minority]
    parts = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        if label not in targets:
            parts.append(rows)
            continue
        seeds = seeds_of[label]
        wrong = []
        for i in range(rows.size):
            if i in seeds or label == minority:
                continue
            store = np.vstack([M, X[rows[seeds]]])
            d2 = np.square(store - X[rows[i]]).sum(axis=1)
            nearest = np.lexsort((np.arange(len(store)), d2))[:k]
            own = np.sum(nearest >= M.shape[0])
            if not (own > k - own or (own == k - own and label < minority)):
                wrong.append(i)
        parts.append(rows[np.concatenate([seeds, np.array(wrong, dtype=int)])])
    condensed = np.concatenate(parts)
    Xc, yc = X[condensed], y[condensed]
    nearest = brute_nearest_other(Xc)
    linked = (nearest[nearest] == np.arange(len(Xc))) & (yc[nearest] != yc)
    linked &= np.isin(yc, list(targets))
    return condensed[~linked]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n_classes=st.sampled_from([2, 3]),
    k=st.sampled_from([1, 2, 3]),
    grid=st.booleans(),
)
def test_condensing_step_then_tomek_links_as_defined(seed, n_classes, k, grid):
    X, y = make_classification(
        n_samples=120,
        n_features=3,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        weights=[0.6, 0.3][: n_classes - 1],
        flip_y=0.1,
        random_state=seed,
    )
    if grid:
        X = np.round(X)  # ties and duplicates
    sampler = OneSidedSelection(random_state=seed, n_neighbors=k)
    sampler.fit_resample(X, y)
    positions = class_positions(y)
    seeds_of = {
        label: draw_seeds(
            ClassStreams(to_seed_sequence(seed), positions[label]), int(np.sum(y == label)), 1
        )
        for label in sampler.sampling_strategy_
    }
    expected = reference(X, y, sampler.sampling_strategy_, seeds_of, k)
    np.testing.assert_array_equal(sampler.sample_indices_, expected)


def test_no_tomek_link_of_the_condensed_set_survives():
    X, y = make_classification(n_samples=400, weights=[0.85], flip_y=0.1, random_state=7)
    sampler = OneSidedSelection(random_state=0)
    sampler.fit_resample(X, y)
    positions = class_positions(y)
    rows = np.flatnonzero(y == 0)
    seeds = draw_seeds(ClassStreams(to_seed_sequence(0), positions[0]), rows.size, 1)
    wrong = misclassified_by_seeds(X[rows], X[y == 1], seeds)
    condensed = np.concatenate([rows[seeds], rows[wrong], np.flatnonzero(y == 1)])
    removed = np.setdiff1d(condensed, sampler.sample_indices_)
    assert removed.size > 0
    nearest = brute_nearest_other(X[condensed])
    position = {row: i for i, row in enumerate(condensed)}
    for row in removed:  # each removed row is a class-0 end of a Tomek link
        i = position[row]
        j = nearest[i]
        assert y[row] == 0 and nearest[j] == i and y[condensed[j]] == 1


@pytest.mark.parametrize("name", ["ecoli", "yeast_me2", "abalone", "wine_quality", "car_eval_34"])
@pytest.mark.parametrize("k", [1, 3])
def test_equals_imbalanced_learn_given_its_seeds(name, k):
    X, y = load(name)
    theirs = ImbOSS(random_state=0, n_neighbors=k)
    theirs.fit_resample(X, y)
    rng, counts = np.random.RandomState(0), Counter(y)
    minority = minority_label(y)
    parts = []
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        if label not in theirs.sampling_strategy_:
            parts.append(rows)
            continue
        seeds = rng.randint(0, counts[label], size=1)
        need = votes_needed(k, label, minority)
        wrong = misclassified_by_seeds(X[rows], X[y == minority], seeds, k=k, need=need)
        parts.append(rows[np.concatenate([seeds, wrong])])
    ours = one_sided_select(X, y, theirs.sampling_strategy_, np.concatenate(parts))
    np.testing.assert_array_equal(ours, theirs.sample_indices_)


def test_reproducible_and_estimators():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=3, random_state=1)
    a = OneSidedSelection(random_state=2)
    X_a, y_a = a.fit_resample(X, y)
    b = OneSidedSelection(random_state=2)
    b.fit_resample(X, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    np.testing.assert_array_equal(X_a, X[a.sample_indices_])
    assert len(a.estimators_) == len(a.sampling_strategy_)
    assert all(e.n_samples_fit_ == np.sum(y == minority_label(y)) + 1 for e in a.estimators_)
    by_object = OneSidedSelection(random_state=2, n_neighbors=KNeighborsClassifier(1))
    by_object.fit_resample(X, y)
    np.testing.assert_array_equal(by_object.sample_indices_, a.sample_indices_)
    manhattan = OneSidedSelection(
        random_state=2, n_neighbors=KNeighborsClassifier(1, metric="manhattan")
    )
    manhattan.fit_resample(X, y)
    assert manhattan.sample_indices_.size > 0


def test_clear_errors():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.array([0] * 27 + [1] * 3)
    with pytest.raises(ValueError, match="Use n_seeds_S <= 27"):
        OneSidedSelection(n_seeds_S=28).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs a store of at least 6 rows"):
        OneSidedSelection(n_neighbors=6).fit_resample(X, y)
