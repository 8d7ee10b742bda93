"""smotekit.neighbors._dataset and compare's reuse_neighbors: one dataset-level exact graph
answers every fold's neighbour searches, bit for bit, and the comparison's results do not
change."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.preprocessing import StandardScaler

from smotekit import ADASYN, SMOTE, BorderlineSMOTE
from smotekit.evaluation import compare
from smotekit.neighbors import ExactNeighbors, SearchIndex, search
from smotekit.neighbors._dataset import ALL_ROWS, DatasetNeighbors
from smotekit.neighbors._dataset_reuse import reuse_dataset_neighbors


def _data(seed: int, n: int, d: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian rows, rows on a small grid (many tied distances) or duplicated rows."""
    rng = np.random.default_rng(seed)
    if kind == "grid":
        X = rng.integers(0, 3, size=(n, d)).astype(np.float64)
    elif kind == "duplicates":
        base = rng.normal(size=(max(2, n // 4), d))
        X = base[rng.integers(0, base.shape[0], n)]
    else:
        X = rng.normal(size=(n, d))
    return X, (rng.random(n) < 0.35).astype(np.int64)


def _reference(rows: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact engine on the subset itself: what a fold's sampler would get."""
    return ExactNeighbors().fit(rows).kneighbors(rows[queries], k, exclude=queries)


def _assert_same(graph, expected) -> None:
    distances, indices = expected
    assert graph.indices.dtype == np.int64 and graph.distances.dtype == np.float64
    assert np.array_equal(graph.indices, indices)
    assert np.array_equal(graph.distances, distances)  # bit for bit, not approximately


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 160),
    d=st.integers(1, 4),
    kind=st.sampled_from(["normal", "grid", "duplicates"]),
    keep=st.floats(0.2, 1.0),
    shuffled=st.booleans(),
    tight=st.booleans(),
    on=st.sampled_from(["all", 0, 1]),
)
def test_answers_equal_the_exact_search_of_the_subset(seed, n, d, kind, keep, shuffled, tight, on):
    X, y = _data(seed, n, d, kind)
    rng = np.random.default_rng(seed + 1)
    subset = np.flatnonzero(rng.random(n) < keep)
    if on != "all":
        subset = subset[y[subset] == on]
    assume(subset.size >= 2)
    if shuffled:  # local order differs from dataset order (a shuffle split)
        subset = rng.permutation(subset)
    k = int(rng.integers(1, min(subset.size - 1, 8) + 1))
    queries = np.arange(subset.size)
    if rng.random() < 0.5:
        queries = np.sort(rng.choice(subset.size, size=int(rng.integers(1, subset.size + 1))))
    # tight: store exactly k per row, so every row that lost a neighbour falls back
    data = DatasetNeighbors(X, y, keep_share=1.0 if tight else keep, miss_rate=0.05)
    graph = data.answer(subset, queries, k, label=ALL_ROWS if on == "all" else on)
    _assert_same(graph, _reference(X[subset], queries, k))
    assert data.counters.served_rows + data.counters.fallback_rows == queries.size


@pytest.mark.parametrize(
    ("shuffled", "keep_share", "miss_rate"), [(False, 1.0, 0.01), (True, 0.5, 0.5)]
)
def test_rows_with_too_few_survivors_fall_back_to_an_exact_search(shuffled, keep_share, miss_rate):
    X, y = _data(3, 400, 3, "normal")
    rng = np.random.default_rng(4)
    subset = np.flatnonzero(rng.random(400) < 0.5)
    subset = rng.permutation(subset) if shuffled else subset
    # Short lists (K' = k when keep_share is 1): many rows lose neighbours to the held-out half
    data = DatasetNeighbors(X, y, keep_share=keep_share, miss_rate=miss_rate)
    graph = data.answer(subset, np.arange(subset.size), 2)
    _assert_same(graph, _reference(X[subset], np.arange(subset.size), 2))
    assert data.graph(ALL_ROWS, 2).k == data.k_prime(2, 399)
    assert data.counters.fallback_rows > 0 and data.counters.served_rows > 0


def test_ties_at_the_end_of_a_shuffled_subsets_lists_are_searched_again():
    # Every row equal: all distances tie, so a shuffled subset's local order cannot be
    # read off a cut list; only rows whose whole list is kept are served.
    X, y = np.ones((50, 2)), np.zeros(50, dtype=np.int64)
    subset = np.random.default_rng(0).permutation(np.arange(0, 50, 2))
    data = DatasetNeighbors(X, y, keep_share=0.5)
    graph = data.answer(subset, np.arange(subset.size), 3, label=0)
    _assert_same(graph, _reference(X[subset], np.arange(subset.size), 3))
    assert data.counters.fallback_rows == subset.size


@pytest.mark.parametrize("backend", ["auto", "exact", "tree"])
def test_searches_over_the_declared_rows_are_served(backend):
    X, y = _data(0, 300, 3, "grid")
    train = np.flatnonzero(np.random.default_rng(1).random(300) < 0.7)
    X_train, y_train = X[train], y[train]
    minority = np.flatnonzero(y_train == 1)
    danger = np.arange(0, minority.size, 3)  # class-local positions
    requests = [  # the shapes of the samplers' searches (see smotekit._engine)
        (X_train[minority], None, None, 5),  # within class, every row
        (X_train[minority], X_train[minority][danger], danger, 4),  # within class, some rows
        (X_train, X_train[minority], minority, 10),  # a class's rows among all rows
        (X_train, None, None, 3),  # all rows (cleaners)
    ]
    expected = [SearchIndex(R, backend).query(Q, k, exclude=e) for R, Q, e, k in requests]
    data = DatasetNeighbors(X, y, keep_share=0.7)
    with reuse_dataset_neighbors(data, rows=train) as view:
        served = [SearchIndex(R, backend).query(Q, k, exclude=e) for R, Q, e, k in requests]
    for graph, reference in zip(served, expected, strict=True):
        _assert_same(graph, (reference.distances, reference.indices))
    assert view.counters.served == 4 and view.counters.passed == 0
    assert (
        view.counters.searches == 3
    )  # the minority within its class and among all; the majority among all


def test_other_searches_fall_through_to_the_normal_search():
    X, y = _data(0, 200, 3, "normal")
    train = np.arange(0, 200, 2)
    X_train = X[train]
    with reuse_dataset_neighbors(X, y, rows=train) as view:
        search(X_train + 1.0, None, 3)  # not the dataset's rows
        search(X_train, X_train[:5] + 0.5, 3, exclude=np.arange(5))  # queries not its rows
        search(X_train, X_train[:5], 3)  # queries without their exclusion
        search(X_train, None, 3, backend=ExactNeighbors())  # a backend object
        search(X_train[:40], None, 3)  # a prefix, not a class
    assert view.counters.served == 0 and view.counters.passed == 5
    assert view.dataset.counters.searches == 0


def test_a_pickled_dataset_keeps_its_graphs():
    X, y = _data(5, 120, 2, "grid")
    data = DatasetNeighbors(X, y, k_hint=6)
    data.graph(1, 6)
    copy = pickle.loads(pickle.dumps(data))
    subset = np.flatnonzero(y == 1)[::2]
    graph = copy.answer(subset, np.arange(subset.size), 3, label=1)
    _assert_same(graph, _reference(X[subset], np.arange(subset.size), 3))
    assert copy.counters.searches == 1  # the graph came along; nothing was searched again


def test_requests_are_checked():
    X, y = _data(0, 40, 2, "normal")
    data = DatasetNeighbors(X, y)
    with pytest.raises(ValueError, match="twice"):
        data.answer(np.array([1, 1, 2]), np.array([0]), 1)
    with pytest.raises(ValueError, match="k must be in"):
        data.answer(np.arange(5), np.arange(5), 5)
    with pytest.raises(ValueError, match="of class 1"):
        data.answer(np.arange(10), np.arange(10), 2, label=1)
    with pytest.raises(ValueError, match="one label per row"):
        DatasetNeighbors(X, y[:-1])


def _samplers():
    return {
        "smote": SMOTE(random_state=0),
        "borderline1": BorderlineSMOTE(random_state=0),
        "adasyn": ADASYN(random_state=0),
    }


_ARGS = {
    "estimator": LogisticRegression(),
    "scoring": ["roc_auc", "g_mean"],
    "threshold_baseline": False,
}


def _results(frame):
    """Everything but the clock."""
    return frame[[c for c in frame.columns if not c.endswith("_time")]]


@pytest.fixture(scope="module")
def per_fold(data):
    """compare searching every fold (no reuse), 5x2 CV, serial."""
    X, y = data
    return compare(X, y, _samplers(), cv="5x2", n_jobs=1, reuse_neighbors=False, **_ARGS)


def test_compare_with_reuse_gives_the_per_fold_results(data, per_fold):
    X, y = data
    reused = compare(X, y, _samplers(), cv="5x2", n_jobs=1, **_ARGS)  # reuse is the default
    assert _results(reused).equals(_results(per_fold))
    counters = reused.attrs["neighbors"]
    assert counters["reuse"] and counters["passed"] == 0
    assert counters["served"] >= 2 * 10  # SMOTE's and Borderline's searches, every fold
    assert counters["searches"] == 2  # the minority's graph and the all-rows graph, once
    assert reused.attrs["neighbor_searches"] == 0 < per_fold.attrs["neighbor_searches"]
    assert per_fold.attrs["neighbors"] == {"reuse": False}


def test_parallel_folds_are_served_from_graphs_built_once(data, per_fold):
    X, y = data
    reused = compare(X, y, _samplers(), cv="5x2", n_jobs=2, **_ARGS)
    assert _results(reused).equals(_results(per_fold))
    counters = reused.attrs["neighbors"]
    assert counters["searches"] == 2 and counters["served"] >= 2 * 10  # built by the dry run
    assert counters["passed"] == 0


def test_forced_fallbacks_keep_compare_exact(data, per_fold, monkeypatch):
    X, y = data
    monkeypatch.setattr(DatasetNeighbors, "k_prime", lambda self, k, available: min(k, available))
    reused = compare(X, y, _samplers(), cv="5x2", n_jobs=1, **_ARGS)
    assert _results(reused).equals(_results(per_fold))
    assert reused.attrs["neighbors"]["fallback_rows"] > 0


def test_shuffled_training_rows_are_served_exactly(data):
    X, y = data
    cv = StratifiedShuffleSplit(n_splits=3, test_size=0.3, random_state=0)
    assert not np.all(np.diff(next(cv.split(X, y))[0]) > 0)  # train rows are not sorted
    args = {**_ARGS, "cv": cv, "n_jobs": 1}
    reused = compare(X, y, _samplers(), **args)
    assert _results(reused).equals(
        _results(compare(X, y, _samplers(), reuse_neighbors=False, **args))
    )
    assert reused.attrs["neighbors"]["served"] > 0


def test_a_preprocessor_turns_reuse_off(data):
    X, y = data
    results = compare(
        X,
        y,
        {"smote": SMOTE(random_state=0)},
        cv="2x1",
        n_jobs=1,
        preprocessor=StandardScaler(),
        **_ARGS,
    )
    assert results.attrs["neighbors"] == {"reuse": False}
    assert results.attrs["neighbor_searches"] > 0
