"""Bad input gets a clear error naming the problem, never a NumPy traceback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from smotekit import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

rng = np.random.default_rng(0)
X_OK = rng.normal(size=(60, 3))
Y_OK = np.array([0] * 45 + [1] * 15)
NUMERIC_SAMPLERS = [SMOTE, BorderlineSMOTE, ADASYN]


@pytest.mark.parametrize("make", NUMERIC_SAMPLERS)
@pytest.mark.parametrize(
    "X, y, message",
    [
        (
            np.where(np.arange(180).reshape(60, 3) == 7, np.nan, X_OK),
            Y_OK,
            r"X contains 1 NaN value\(s\) in column\(s\) 1",
        ),
        (
            np.where(np.arange(180).reshape(60, 3) == 7, np.inf, X_OK),
            Y_OK,
            r"X contains 1 infinite value\(s\)",
        ),
        (X_OK, np.zeros(60), r"y has one class only \(0\.0\).*at least two classes"),
        (X_OK, Y_OK[:50], "X has 60 rows but y has 50 labels"),
        (X_OK[:, 0], Y_OK, "Expected a 2-D X.*got a 1-D array.*reshape"),
        (X_OK.reshape(60, 3, 1), Y_OK, "Expected a 2-D X.*got 3 dimensions"),
        (np.empty((0, 3)), np.empty(0), "X is empty"),
        (X_OK, np.linspace(0, 1, 60), "Unknown label type: 'continuous'"),
        (X_OK, rng.integers(0, 2, size=(60, 3)), "Multilabel and multioutput"),
        (np.array([["a", "b"]] * 60, dtype=object), Y_OK, "non-numeric values.*SMOTENC.*SMOTEN"),
        (X_OK, np.where(np.arange(60) == 3, np.nan, Y_OK.astype(float)), r"y contains 1 NaN"),
    ],
)
def test_bad_data(make, X, y, message):
    with pytest.raises(ValueError, match=message):
        make().fit_resample(X, y)


@pytest.mark.parametrize("make", NUMERIC_SAMPLERS)
def test_object_columns_in_frames_point_to_smotenc(make):
    frame = pd.DataFrame({"a": X_OK[:, 0], "colour": ["red", "blue", "green"] * 20})
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) 'colour'.*SMOTENC"):
        make().fit_resample(frame, Y_OK)
    frame["colour"] = frame["colour"].astype("category")
    with pytest.raises(ValueError, match=r"'colour' \(dtype category\).*SMOTEN"):
        make().fit_resample(frame, Y_OK)


@pytest.mark.parametrize(
    "strategy, message",
    [
        ("most", "'sampling_strategy' parameter of SMOTE must be a float in the range"),
        (0.1, r"asks for 4 minority rows, fewer than the 15 that exist"),
        (1.5, r"'sampling_strategy' parameter of SMOTE must be a float in the range \(0.0, 1.0\]"),
        ({0: 45, 7: 30}, r"classes not present in y: \[7\]"),
        ({1: -3}, "must be a non-negative integer"),
        ({1: 10}, "cannot remove rows: class 1 has 15 rows but sampling_strategy asks for 10"),
        (lambda y: [1, 2], "must return a dict"),
        ([0, 1], "'sampling_strategy' parameter of SMOTE must be .* Got \\[0, 1\\] instead"),
    ],
)
def test_bad_sampling_strategy(strategy, message):
    with pytest.raises(ValueError, match=message):
        SMOTE(sampling_strategy=strategy).fit_resample(X_OK, Y_OK)


def test_float_strategy_needs_binary_target():
    y = np.array([0] * 30 + [1] * 20 + [2] * 10)
    with pytest.raises(ValueError, match="only defined for binary targets; y has 3 classes"):
        SMOTE(sampling_strategy=0.8).fit_resample(X_OK, y)


@pytest.mark.parametrize("value", [0, -1, 2.5, "5", True])
def test_bad_k(value):
    """scikit-learn's InvalidParameterError (a ValueError and a TypeError), as imbalanced-learn."""
    must = r"must be an int in the range \[1, inf\) or an object implementing 'kneighbors'"
    for make, name in [(SMOTE, "k_neighbors"), (ADASYN, "n_neighbors")]:
        with pytest.raises(
            InvalidParameterError, match=f"'{name}' parameter of {make.__name__} {must}"
        ):
            make(**{name: value}).fit_resample(X_OK, Y_OK)
    with pytest.raises((ValueError, TypeError), match="'m_neighbors' parameter of BorderlineSMOTE"):
        BorderlineSMOTE(m_neighbors=value).fit_resample(X_OK, Y_OK)


def test_too_few_minority_rows_for_k_says_which_class_and_what_works():
    y = np.array([0] * 56 + [1] * 4)
    with pytest.raises(
        ValueError, match=r"Class 1 has 4 row\(s\), too few for k_neighbors=5.*k_neighbors <= 3"
    ):
        SMOTE().fit_resample(X_OK, y)
    y = np.array([0] * 59 + [1])
    with pytest.raises(ValueError, match=r"Class 1 has 1 row\(s\).*RandomOverSampler"):
        SMOTE().fit_resample(X_OK, y)


def test_other_bad_parameters():
    with pytest.raises(
        InvalidParameterError, match="'kind' parameter of BorderlineSMOTE must be a str among"
    ):
        BorderlineSMOTE(kind="borderline-3").fit_resample(X_OK, Y_OK)
    with pytest.raises(InvalidParameterError, match="'seed_selection' parameter of SMOTE"):
        SMOTE(seed_selection="stratified").fit_resample(X_OK, Y_OK)
    with pytest.raises(ValueError, match="Unknown neighbour backend 'faster'"):
        SMOTE(neighbors="faster").fit_resample(X_OK, Y_OK)
    with pytest.raises(
        InvalidParameterError, match="'random_state' parameter of SMOTE must be an int"
    ):
        SMOTE(random_state="seed").fit_resample(X_OK, Y_OK)
    with pytest.raises(ValueError, match="Expected a 2-D X"):
        RandomOverSampler().fit_resample(X_OK[:, 0], Y_OK)


def test_no_partial_output_on_error():
    """An error in one class leaves no fitted provenance from a previous call."""
    sampler = SMOTE(random_state=0)
    sampler.fit_resample(X_OK, Y_OK)
    y_bad = np.array([0] * 40 + [1] * 16 + [2] * 4)
    with pytest.raises(ValueError, match="Class 2 has 4 row"):
        sampler.fit_resample(X_OK, y_bad)
