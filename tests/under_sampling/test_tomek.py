"""TomekLinks: mutual nearest neighbours of different classes, and imbalanced-learn's rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import TomekLinks as ImbTomekLinks
from scipy import sparse

from smotekit.under_sampling._tomek import TomekLinks, nearest_other_rows, tomek_links

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs /work/shared/data (benchmarks)")


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_nearest(X: np.ndarray) -> np.ndarray:
    """Every row's nearest other row: float64 direct differences, ties by index."""
    d = np.square(X[:, None, :] - X[None, :, :]).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    return np.array([np.lexsort((np.arange(d.shape[1]), row))[0] for row in d])


@st.composite
def labelled_grids(draw):
    """Integer grids: tied distances and duplicate rows, 2 or 3 classes, balanced or
    with a large majority (then only the other rows and their partners are searched)."""
    n = draw(st.integers(2, 60))
    n_features = draw(st.integers(1, 3))
    values = draw(st.lists(st.integers(0, 4), min_size=n * n_features, max_size=n * n_features))
    classes = draw(st.sampled_from([[0, 1, 2], [0] * 10 + [1, 2]]))
    y = np.array(draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n)))
    return np.array(values, dtype=float).reshape(n, n_features), y


@settings(max_examples=80, deadline=None)
@given(labelled_grids(), st.sampled_from(["auto", "all", "majority", "not majority"]))
def test_removes_every_targeted_row_in_a_link_and_no_other(data, strategy):
    X, y = data
    if np.unique(y).size < 2:
        y = y.copy()
        y[0] = (y[0] + 1) % 3
    sampler = TomekLinks(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(X, y)
    nearest = brute_nearest(X)
    targeted = set(sampler.sampling_strategy_)
    removed = np.setdiff1d(np.arange(y.size), sampler.sample_indices_)
    for i in range(y.size):
        j = nearest[i]
        in_link = nearest[j] == i and y[j] != y[i]
        assert (i in removed) == (in_link and y[i] in targeted), (i, j)
    assert np.all(np.diff(sampler.sample_indices_) > 0)  # original order
    np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])


def test_searching_only_the_rows_outside_the_majority_finds_the_same_links():
    rng = np.random.default_rng(7)
    X = rng.integers(0, 6, size=(3000, 2)).astype(float)  # many ties and duplicates
    y = np.where(rng.random(3000) < 0.08, 1, 0)
    y[rng.random(3000) < 0.04] = 2
    nearest = nearest_other_rows(X, y)
    full = brute_nearest(X)
    for i in range(y.size):
        j = full[i]
        in_link = full[j] == i and y[j] != y[i]
        assert in_link == (nearest[nearest[i]] == i and y[nearest[i]] != y[i])
    assert not np.array_equal(nearest, full)  # most majority rows were never searched


def test_identical_rows_of_two_classes_are_a_link():
    # imbalanced-learn takes the second of the two nearest rows as the nearest
    # other row, which can be the row itself when a duplicate exists.
    X = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0], [5.0, 6.0], [9.0, 9.0], [9.0, 8.0]])
    y = np.array([0, 1, 0, 0, 0, 0])
    sampler = TomekLinks(sampling_strategy="all")
    sampler.fit_resample(X, y)
    assert sampler.sample_indices_.tolist() == [2, 3, 4, 5]
    assert tomek_links(X, y, [0]).tolist() == [1, 2, 3, 4, 5]


# ------------------------------------------------------ imbalanced-learn's rows
def multiclass(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A benchmark made three-class: its majority split at the median of one feature."""
    X, y = load(name)
    split = X[:, 1] > np.median(X[y == -1, 1])
    return X, np.where(y == 1, 1, np.where(split, 0, 2))


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "abalone", "yeast_me2", "satimage", "wine_quality"])
@pytest.mark.parametrize("strategy", ["auto", "all", [1], [-1, 1]], ids=str)
def test_keeps_the_rows_imbalanced_learn_keeps(name, strategy):
    X, y = load(name)
    ours, theirs = TomekLinks(sampling_strategy=strategy), ImbTomekLinks(sampling_strategy=strategy)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    assert ours.sampling_strategy_ == dict(theirs.sampling_strategy_)


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "yeast_me2", "abalone"])
@pytest.mark.parametrize("strategy", ["auto", "not majority", [0, 2]], ids=str)
def test_multiclass_rows_equal_imbalanced_learns(name, strategy):
    X, y = multiclass(name)
    ours, theirs = TomekLinks(sampling_strategy=strategy), ImbTomekLinks(sampling_strategy=strategy)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


# ------------------------------------------------------------- inputs and errors
def test_containers_and_backends_give_the_same_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=400) > 1).astype(int)
    base = TomekLinks()
    base.fit_resample(X, y)
    assert base.sample_indices_.size < y.size
    for X_in, backend in ((sparse.csr_matrix(X), "auto"), (X, "tree"), (X, "exact")):
        other = TomekLinks(neighbors=backend, n_jobs=1)
        other.fit_resample(X_in, y)
        np.testing.assert_array_equal(other.sample_indices_, base.sample_indices_)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    X_res, y_res = TomekLinks().fit_resample(frame, pd.Series(y, name="t"))
    assert list(X_res.columns) == ["a", "b", "c"] and y_res.name == "t"
    np.testing.assert_array_equal(X_res.to_numpy(), X[base.sample_indices_])


def test_clear_errors():
    with pytest.raises(ValueError, match="at least 2 rows"):
        tomek_links(np.zeros((1, 2)), np.array([0]), [0])
    with pytest.raises(ValueError, match="sampling_strategy"):
        TomekLinks(sampling_strategy=0.5).fit_resample(np.zeros((4, 2)), np.array([0, 0, 1, 1]))
