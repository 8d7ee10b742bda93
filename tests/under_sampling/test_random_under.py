"""RandomUnderSampler: imbalanced-learn's counts, a subset of the rows, any X."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import RandomUnderSampler as ImbRandomUnderSampler
from sklearn.utils._param_validation import InvalidParameterError

from smotekit import RandomUnderSampler

Y = np.array([0] * 50 + [1] * 30 + [2] * 12)
X = np.arange(Y.size * 2, dtype=float).reshape(-1, 2)


@pytest.mark.parametrize(
    "strategy",
    ["auto", "majority", "not minority", "not majority", "all", {0: 20, 2: 5}, lambda y: {1: 7}],
)
@pytest.mark.parametrize("replacement", [False, True])
def test_counts_and_strategy_equal_imbalanced_learns(strategy, replacement):
    ours = RandomUnderSampler(sampling_strategy=strategy, random_state=0, replacement=replacement)
    theirs = ImbRandomUnderSampler(
        sampling_strategy=strategy, random_state=0, replacement=replacement
    )
    X_res, y_res = ours.fit_resample(X, Y)
    _, y_imb = theirs.fit_resample(X, Y)
    assert dict(ours.sampling_strategy_) == dict(theirs.sampling_strategy_)
    np.testing.assert_array_equal(np.bincount(y_res), np.bincount(y_imb))
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    np.testing.assert_array_equal(y_res, Y[ours.sample_indices_])
    # grouped by class in label order, as imbalanced-learn's output
    assert np.all(np.diff(y_res) >= 0)
    if not replacement:
        assert np.unique(ours.sample_indices_).size == ours.sample_indices_.size


def test_float_strategy_for_binary_targets():
    y = np.array([0] * 80 + [1] * 20)
    Xb = np.zeros((100, 1))
    ours = RandomUnderSampler(sampling_strategy=0.5, random_state=0).fit_resample(Xb, y)[1]
    theirs = ImbRandomUnderSampler(sampling_strategy=0.5, random_state=0).fit_resample(Xb, y)[1]
    np.testing.assert_array_equal(np.bincount(ours), np.bincount(theirs))
    with pytest.raises(ValueError, match="more than the 80 that exist"):
        RandomUnderSampler(sampling_strategy=0.2).fit_resample(Xb, y)


def test_any_x_and_its_container_come_back():
    frame = pd.DataFrame(
        {
            "name": [f"r{i}" for i in range(Y.size)],
            "v": np.where(np.arange(Y.size) % 7, 1.0, np.nan),
        }
    )
    out, y_out = RandomUnderSampler(random_state=1).fit_resample(frame, pd.Series(Y, name="t"))
    assert list(out.columns) == ["name", "v"] and y_out.name == "t"
    sampler = RandomUnderSampler(random_state=1).fit(frame, Y)
    assert sampler.sampling_strategy_ == {0: 12, 1: 12}
    strings = np.array([["a", "b"]] * Y.size, dtype=object)
    assert RandomUnderSampler(random_state=0).fit_resample(strings, Y)[0].dtype == object
    assert isinstance(RandomUnderSampler(random_state=0).fit_resample(X.tolist(), Y)[0], list)


def test_same_seed_same_rows_and_different_seeds_differ():
    a = RandomUnderSampler(random_state=3).fit(X, Y)
    a.fit_resample(X, Y)
    b = RandomUnderSampler(random_state=3)
    b.fit_resample(X, Y)
    c = RandomUnderSampler(random_state=4)
    c.fit_resample(X, Y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"sampling_strategy": "minority"}, InvalidParameterError, "'sampling_strategy' parameter"),
        ({"sampling_strategy": {0: 60}}, ValueError, "cannot add rows: class 0 has 50 rows"),
        ({"sampling_strategy": {5: 1}}, ValueError, r"not present in y: \[5\]"),
        ({"replacement": "yes"}, InvalidParameterError, "'replacement' parameter"),
        ({"random_state": -1}, InvalidParameterError, "'random_state' parameter"),
    ],
)
def test_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        RandomUnderSampler(**params).fit_resample(X, Y)
