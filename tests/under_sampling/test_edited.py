"""EditedNearestNeighbours: Wilson's rule against a brute-force reference and imbalanced-learn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from scipy import sparse
from scipy.stats import mode
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import InvalidParameterError

from smotekit.under_sampling._edited import (
    EditedNearestNeighbours,
    edited_keep_mask,
    edited_nearest_neighbours,
    group_by_class,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs /work/shared/data (benchmarks)")


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_neighbors(X: np.ndarray, k: int) -> np.ndarray:
    """k nearest other rows, float64 direct differences, ties by index."""
    d = np.square(X[:, None, :] - X[None, :, :]).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    index = np.broadcast_to(np.arange(X.shape[0]), d.shape)
    return np.lexsort((index, d), axis=1)[:, :k]


def reference_enn(X, y, targeted, k, kind_sel):
    """The rule written out row by row."""
    nbrs = brute_neighbors(X, k)
    kept = []
    for i in range(y.size):
        labels = y[nbrs[i]]
        if y[i] not in targeted:
            kept.append(i)
        elif kind_sel == "all" and np.all(labels == y[i]):
            kept.append(i)
        elif kind_sel == "mode":
            values, counts = np.unique(labels, return_counts=True)
            if values[np.argmax(counts)] == y[i]:
                kept.append(i)
    return group_by_class(np.array(kept, dtype=np.intp), y)


@st.composite
def labelled_grids(draw, max_rows=40):
    """Small integer grids: many tied distances and duplicate rows, 2 or 3 classes."""
    n = draw(st.integers(6, max_rows))
    n_features = draw(st.integers(1, 3))
    values = draw(st.lists(st.integers(0, 3), min_size=n * n_features, max_size=n * n_features))
    X = np.array(values, dtype=float).reshape(n, n_features)
    n_classes = draw(st.integers(2, 3))
    y = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    if np.unique(y).size < 2:
        y[0] = 1 - y[0] if y[0] < 2 else 0
    return X, y


# ------------------------------------------------------------------ the pure rule
@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), min_size=5, max_size=5), min_size=1, max_size=30),
    st.lists(st.integers(0, 3), min_size=30, max_size=30),
)
def test_mode_rule_breaks_ties_as_scipy_mode(neighbor_rows, own):
    labels = np.array(neighbor_rows)
    own = np.array(own[: labels.shape[0]])
    expected = mode(labels, axis=1, keepdims=False).mode == own
    np.testing.assert_array_equal(edited_keep_mask(labels, own, "mode"), expected)
    np.testing.assert_array_equal(
        edited_keep_mask(labels, own, "all"), np.all(labels == own[:, None], axis=1)
    )


def test_mode_rule_takes_any_label_type():
    labels = np.array([["b", "a", "a"], ["b", "a", "c"], ["c", "c", "b"]], dtype=object)
    own = np.array(["a", "b", "b"], dtype=object)
    assert edited_keep_mask(labels, own, "mode").tolist() == [True, False, False]
    with pytest.raises(ValueError, match="kind_sel must be one of"):
        edited_keep_mask(labels, own, "some")


# ------------------------------------------------------- against the brute force
@settings(max_examples=60, deadline=None)
@given(
    labelled_grids(),
    st.integers(1, 5),
    st.sampled_from(["all", "mode"]),
    st.sampled_from(["auto", "all", "majority", "not majority"]),
)
def test_removes_exactly_the_rows_their_neighbourhood_disagrees_with(data, k, kind_sel, strategy):
    X, y = data
    sampler = EditedNearestNeighbours(sampling_strategy=strategy, n_neighbors=k, kind_sel=kind_sel)
    X_res, y_res = sampler.fit_resample(X, y)
    expected = reference_enn(X, y, set(sampler.sampling_strategy_), k, kind_sel)
    np.testing.assert_array_equal(sampler.sample_indices_, expected)
    np.testing.assert_array_equal(X_res, X[expected])
    np.testing.assert_array_equal(y_res, y[expected])


def test_searching_a_few_rows_or_all_rows_gives_the_same_neighbours():
    # 10 % of the rows targeted: a query of those rows; 90 %: the symmetric self-query.
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, size=(1500, 2)).astype(float)  # ties and duplicates
    y = np.where(rng.random(1500) < 0.1, 1, 0)
    for targeted in ({1: 0}, {0: 0}):
        kept = edited_nearest_neighbours(X, y, targeted, 3, "mode", backend="exact")
        np.testing.assert_array_equal(kept, reference_enn(X, y, set(targeted), 3, "mode"))


# ------------------------------------------------------ imbalanced-learn's rows
CASES = [
    {},
    {"kind_sel": "mode"},
    {"sampling_strategy": "all", "n_neighbors": 5},
    {"sampling_strategy": "all", "kind_sel": "mode", "n_neighbors": 1},
]


# satimage's integer features tie many distances; with these two settings no tie
# decides a row (with the others, imbalanced-learn's GEMM rounding picks among ties).
DATASET_CASES = [
    (name, params) for name in ["ecoli", "abalone", "yeast_me2", "wine_quality"] for params in CASES
] + [("satimage", CASES[0]), ("satimage", CASES[1])]


@needs_data
@pytest.mark.parametrize("name, params", DATASET_CASES, ids=str)
def test_keeps_the_rows_imbalanced_learn_keeps(name, params):
    X, y = load(name)
    ours = EditedNearestNeighbours(**params)
    theirs = ImbENN(**params)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    assert ours.sampling_strategy_ == dict(theirs.sampling_strategy_)


def multiclass(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A benchmark made three-class: its majority split at the median of one feature."""
    X, y = load(name)
    split = X[:, 1] > np.median(X[y == -1, 1])
    return X, np.where(y == 1, 1, np.where(split, 0, 2))


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "yeast_me2", "wine_quality"])
@pytest.mark.parametrize(
    "params",
    [{}, {"sampling_strategy": [0, 1], "kind_sel": "mode"}, {"sampling_strategy": "not majority"}],
    ids=str,
)
def test_multiclass_rows_equal_imbalanced_learns(name, params):
    X, y = multiclass(name)
    ours, theirs = EditedNearestNeighbours(**params), ImbENN(**params)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


def test_a_neighbours_object_is_used_for_the_search():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=300) > 1).astype(int)
    for nn in (NearestNeighbors(n_neighbors=4), NearestNeighbors(n_neighbors=6, p=1)):
        ours = EditedNearestNeighbours(n_neighbors=nn).fit(X, y)
        ours.fit_resample(X, y)
        theirs = ImbENN(n_neighbors=nn)
        theirs.fit_resample(X, y)
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    default = EditedNearestNeighbours().fit(X, y)
    default.fit_resample(X, y)
    assert default.nn_.n_neighbors == 4
    assert default.nn_.kneighbors(X[:2], return_distance=False).shape == (2, 4)


# ------------------------------------------------------------- inputs and errors
def test_containers_backends_and_labels():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0.8).astype(int)
    base = EditedNearestNeighbours(kind_sel="mode")
    base.fit_resample(X, y)
    for X_in, backend in (
        (sparse.csr_matrix(X), "auto"),
        (X, "tree"),
        (X.astype(np.float32), "auto"),
    ):
        other = EditedNearestNeighbours(kind_sel="mode", neighbors=backend)
        other.fit_resample(X_in, y)
        np.testing.assert_array_equal(other.sample_indices_, base.sample_indices_)
    X32 = X.astype(np.float32)
    on32, on64 = EditedNearestNeighbours(), EditedNearestNeighbours()
    on32.fit_resample(X32, y)
    on64.fit_resample(X32.astype(np.float64), y)
    np.testing.assert_array_equal(on32.sample_indices_, on64.sample_indices_)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    names = np.array(["no", "yes"], dtype=object)[y]
    X_res, y_res = EditedNearestNeighbours(kind_sel="mode").fit_resample(frame, pd.Series(names))
    assert list(X_res.columns) == ["a", "b", "c"]
    np.testing.assert_array_equal(X_res.to_numpy(), X[base.sample_indices_])
    np.testing.assert_array_equal(y_res.to_numpy(), names[base.sample_indices_])


@pytest.mark.parametrize(
    "params, X, error, match",
    [
        ({"n_neighbors": 3}, np.zeros((3, 2)), ValueError, "at least 4 rows; X has 3"),
        ({"kind_sel": "most"}, np.zeros((6, 2)), InvalidParameterError, "'kind_sel' parameter"),
        ({"n_neighbors": 0}, np.zeros((6, 2)), InvalidParameterError, "'n_neighbors' parameter"),
        ({"sampling_strategy": 0.5}, np.zeros((6, 2)), InvalidParameterError, "sampling_strategy"),
        ({"sampling_strategy": [7]}, np.zeros((6, 2)), ValueError, "not present in y"),
    ],
)
def test_clear_errors(params, X, error, match):
    y = np.array([0, 1, 0, 1, 0, 0])[: X.shape[0]]
    with pytest.raises(error, match=match):
        EditedNearestNeighbours(**params).fit_resample(X, y)
