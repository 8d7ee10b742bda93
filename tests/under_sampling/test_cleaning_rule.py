"""NeighbourhoodCleaningRule: the rule written out, one search, and imbalanced-learn's rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import NeighbourhoodCleaningRule as ImbNCR
from imblearn.utils import check_sampling_strategy
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import InvalidParameterError

import smotekit.under_sampling._cleaning_rule as cleaning_rule
from smotekit.under_sampling._cleaning_rule import NeighbourhoodCleaningRule
from smotekit.under_sampling._edited import EditedNearestNeighbours

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs /work/shared/data (benchmarks)")


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_neighbors(X: np.ndarray, k: int) -> np.ndarray:
    """k nearest other rows: float64 direct differences, ties by index."""
    d = np.square(X[:, None, :] - X[None, :, :]).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    return np.lexsort((np.broadcast_to(np.arange(X.shape[0]), d.shape), d), axis=1)[:, :k]


def most_frequent(labels: np.ndarray):
    values, counts = np.unique(labels, return_counts=True)
    return values[np.argmax(counts)]  # a tie: the smallest label


def reference_ncr(X, y, strategy, k, threshold):
    """Laurikkala's rule as imbalanced-learn runs it, row by row, on brute-force neighbours."""
    near = brute_neighbors(X, k)
    targeted = check_sampling_strategy(strategy, y, "clean-sampling")
    removed = set()
    for i in range(y.size):  # step 1: editing, kind_sel="mode"
        if y[i] in targeted and most_frequent(y[near[i]]) != y[i]:
            removed.add(i)
    stats = Counter(y)
    minority = min(stats, key=stats.get)
    cleaned = [c for c, n in stats.items() if c in targeted and n > stats[minority] * threshold]
    for i in np.flatnonzero(y == minority):  # step 2: around misclassified minority rows
        votes = np.concatenate([[y[i]], y[near[i, : k - 1]]])
        if most_frequent(votes) != y[i]:
            removed.update(j for j in near[i] if y[j] in cleaned)
    return np.array([i for i in range(y.size) if i not in removed], dtype=np.intp), cleaned


@st.composite
def labelled_grids(draw):
    """Integer grids: tied distances and duplicate rows, 2 or 3 classes."""
    n = draw(st.integers(8, 40))
    n_features = draw(st.integers(1, 3))
    values = draw(st.lists(st.integers(0, 3), min_size=n * n_features, max_size=n * n_features))
    y = np.array(draw(st.lists(st.sampled_from([0, 0, 0, 1, 1, 2]), min_size=n, max_size=n)))
    if np.unique(y).size < 2:
        y[: n // 3] = (y[0] + 1) % 3
    return np.array(values, dtype=float).reshape(n, n_features), y


@settings(max_examples=60, deadline=None)
@given(
    labelled_grids(),
    st.integers(1, 5),
    st.sampled_from(["auto", "all", "not majority"]),
    st.sampled_from([0.5, 0.01, 1.5]),
)
def test_removes_what_the_rule_says(data, k, strategy, threshold):
    X, y = data
    sampler = NeighbourhoodCleaningRule(
        sampling_strategy=strategy, n_neighbors=k, threshold_cleaning=threshold
    )
    X_res, y_res = sampler.fit_resample(X, y)
    expected, cleaned = reference_ncr(X, y, strategy, k, threshold)
    np.testing.assert_array_equal(sampler.sample_indices_, expected)
    np.testing.assert_array_equal(X_res, X[expected])
    assert sampler.classes_to_clean_ == cleaned


def test_one_search_serves_both_steps(monkeypatch):
    calls = []
    original = cleaning_rule.rows_neighbors

    def counted(*args, **kwargs):
        calls.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(cleaning_rule, "rows_neighbors", counted)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=500) > 1.2).astype(int)
    default = NeighbourhoodCleaningRule()
    default.fit_resample(X, y)
    assert calls == [3]
    calls.clear()
    wider = NeighbourhoodCleaningRule(
        edited_nearest_neighbours=EditedNearestNeighbours(n_neighbors=5)
    )
    wider.fit_resample(X, y)
    assert calls == [5]  # the editing's 5 neighbours and the rule's 3, from one search
    calls.clear()
    theirs = NeighbourhoodCleaningRule(edited_nearest_neighbours=ImbENN(n_neighbors=5))
    theirs.fit_resample(X, y)
    assert calls == [3]  # imbalanced-learn's editing runs its own search
    np.testing.assert_array_equal(wider.sample_indices_, theirs.sample_indices_)
    assert isinstance(theirs.edited_nearest_neighbours_, ImbENN)
    assert default.nn_.n_neighbors == 3
    assert default.edited_nearest_neighbours_.kind_sel == "mode"
    assert default.edited_nearest_neighbours_.nn_.n_neighbors == 4


# ------------------------------------------------------ imbalanced-learn's rows
def multiclass(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A benchmark made three-class: its majority split at the median of one feature."""
    X, y = load(name)
    split = X[:, 1] > np.median(X[y == -1, 1])
    return X, np.where(y == 1, 1, np.where(split, 0, 2))


CASES = [
    {},
    {"sampling_strategy": "all", "n_neighbors": 5},
    {"threshold_cleaning": 12.0},
    {"edited_nearest_neighbours": "imblearn"},
    {"edited_nearest_neighbours": "smotekit"},
]


def both(params: dict) -> tuple[NeighbourhoodCleaningRule, ImbNCR]:
    editing = params.get("edited_nearest_neighbours")
    if editing is None:
        return NeighbourhoodCleaningRule(**params), ImbNCR(**params)
    ours = EditedNearestNeighbours if editing == "smotekit" else ImbENN
    return (
        NeighbourhoodCleaningRule(edited_nearest_neighbours=ours(n_neighbors=5, kind_sel="all")),
        ImbNCR(edited_nearest_neighbours=ImbENN(n_neighbors=5, kind_sel="all")),
    )


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "abalone", "yeast_me2", "us_crime", "spectrometer"])
@pytest.mark.parametrize("params", CASES, ids=str)
def test_keeps_the_rows_imbalanced_learn_keeps(name, params):
    X, y = load(name)
    ours, theirs = both(params)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    assert ours.classes_to_clean_ == theirs.classes_to_clean_
    np.testing.assert_array_equal(
        ours.edited_nearest_neighbours_.sample_indices_,
        theirs.edited_nearest_neighbours_.sample_indices_,
    )


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "spectrometer", "us_crime"])
@pytest.mark.parametrize(
    "params",
    [{}, {"sampling_strategy": [0, 2], "n_neighbors": 4}, {"sampling_strategy": "all"}],
    ids=str,
)
def test_multiclass_rows_equal_imbalanced_learns(name, params):
    X, y = multiclass(name)
    ours, theirs = NeighbourhoodCleaningRule(**params), ImbNCR(**params)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    assert ours.classes_to_clean_ == theirs.classes_to_clean_


@pytest.mark.parametrize(
    "neighbors", [NearestNeighbors(n_neighbors=4), NearestNeighbors(n_neighbors=6)]
)
def test_neighbours_objects_count_as_in_imbalanced_learn(neighbors):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] + 0.7 * rng.normal(size=400) > 1.0).astype(int)
    ours, theirs = NeighbourhoodCleaningRule(n_neighbors=neighbors), ImbNCR(n_neighbors=neighbors)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    assert ours.nn_.n_neighbors == theirs.nn_.n_neighbors


def test_labels_containers_and_errors():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 2))
    y = (X[:, 0] + 0.5 * rng.normal(size=300) > 1.0).astype(int)
    base = NeighbourhoodCleaningRule()
    base.fit_resample(X, y)
    assert np.all(np.diff(base.sample_indices_) > 0)  # original order
    names = np.array(["common", "rare"], dtype=object)[y]
    frame = pd.DataFrame(X, columns=["a", "b"])
    X_res, y_res = NeighbourhoodCleaningRule().fit_resample(frame, pd.Series(names))
    np.testing.assert_array_equal(X_res.to_numpy(), X[base.sample_indices_])
    np.testing.assert_array_equal(y_res.to_numpy(), names[base.sample_indices_])
    with pytest.raises(ValueError, match="at least 6 rows; X has 5"):
        NeighbourhoodCleaningRule(n_neighbors=5).fit_resample(X[:5], np.array([0, 1, 0, 1, 0]))
    with pytest.raises(InvalidParameterError, match="'threshold_cleaning' parameter"):
        NeighbourhoodCleaningRule(threshold_cleaning=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'edited_nearest_neighbours' parameter"):
        NeighbourhoodCleaningRule(edited_nearest_neighbours="enn").fit_resample(X, y)
