"""Containers in -> the same containers out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from smotekit import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

SAMPLERS = [SMOTE, BorderlineSMOTE, ADASYN, RandomOverSampler]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal(0, 1, (80, 4)), rng.normal(0.8, 1, (20, 4))])
    y = np.array([0] * 80 + [1] * 20)
    return X, y


@pytest.mark.parametrize("make", SAMPLERS, ids=lambda c: c.__name__)
def test_dtypes_kept(data, make):
    X, y = data
    for dtype in (np.float32, np.float64):
        X_res, y_res = make(random_state=0).fit_resample(X.astype(dtype), y.astype(np.int32))
        assert X_res.dtype == dtype and y_res.dtype == np.int32


@pytest.mark.parametrize("make", SAMPLERS, ids=lambda c: c.__name__)
def test_pandas_round_trip_keeps_names_dtypes_and_rounds_integers(data, make):
    X, y = data
    frame = pd.DataFrame(
        {
            "f64": X[:, 0],
            "f32": X[:, 1].astype(np.float32),
            "count": np.round(np.abs(X[:, 2]) * 3).astype(np.int64),
            "small": np.round(np.abs(X[:, 3])).astype(np.int16),
            "flag": X[:, 3] > 0,
            "nullable": pd.array(np.round(np.abs(X[:, 0])).astype(int), dtype="Int64"),
        },
        index=pd.RangeIndex(100, 200),
    )
    target = pd.Series(np.where(y == 1, "fraud", "ok"), name="label", dtype="category")
    X_res, y_res = make(random_state=0).fit_resample(frame, target)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(frame.columns)
    assert list(X_res.dtypes) == list(frame.dtypes)
    assert y_res.name == "label" and y_res.dtype == target.dtype
    assert (y_res.value_counts() == 80).all()
    # original rows unchanged, in order
    pd.testing.assert_frame_equal(
        X_res.iloc[:100].reset_index(drop=True), frame.reset_index(drop=True)
    )
    synthetic = X_res.iloc[100:]
    assert synthetic["count"].between(frame["count"].min(), frame["count"].max()).all()


def test_integer_columns_are_rounded_from_interpolation(data):
    X, y = data
    frame = pd.DataFrame({"a": np.arange(100) * 2, "b": X[:, 1]})
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(frame, y)
    prov = sampler.provenance_
    raw = frame["a"].to_numpy()
    exact = raw[prov["seed"]] + prov["gap"] * (raw[prov["neighbor"]] - raw[prov["seed"]])
    np.testing.assert_array_equal(X_res["a"].iloc[100:].to_numpy(), np.rint(exact))


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csr_array])
@pytest.mark.parametrize("make", SAMPLERS, ids=lambda c: c.__name__)
def test_sparse_in_sparse_out_same_values_as_dense(data, fmt, container, make):
    X, y = data
    Xs = container(np.where(np.abs(X) > 0.7, X, 0)).asformat(fmt)
    X_res, y_res = make(random_state=0).fit_resample(Xs, y)
    assert sparse.issparse(X_res) and X_res.format == fmt
    assert isinstance(X_res, type(Xs))
    X_dense, y_dense = make(random_state=0).fit_resample(Xs.toarray(), y)
    np.testing.assert_allclose(X_res.toarray(), X_dense, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(y_res, y_dense)


@pytest.mark.parametrize("make", SAMPLERS, ids=lambda c: c.__name__)
def test_lists_in_lists_out(data, make):
    X, y = data
    X_res, y_res = make(random_state=0).fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_res, list) and isinstance(y_res, list)
    assert len(X_res) == len(y_res) == 160


def test_string_labels_and_frame_target(data):
    X, y = data
    labels = np.where(y == 1, "rare", "common")
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, labels)
    assert y_res.dtype == labels.dtype and set(y_res) == {"rare", "common"}
    target = pd.DataFrame({"cls": y})
    _, y_frame = SMOTE(random_state=0).fit_resample(X, target)
    assert isinstance(y_frame, pd.DataFrame) and list(y_frame.columns) == ["cls"]


def test_feature_names_are_recorded(data):
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcd"))
    sampler = SMOTE(random_state=0).fit(frame, y)
    assert list(sampler.feature_names_in_) == list("abcd")
    assert list(sampler.get_feature_names_out()) == list("abcd")
    assert sampler.sampling_strategy_ == {1: 60}
