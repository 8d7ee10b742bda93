"""``provenance_`` is built on first access: it must still describe the latest fit."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotekit import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE, RandomOverSampler
from smotekit.under_sampling import RandomUnderSampler


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=600, n_features=5, n_informative=3, weights=[0.85], random_state=3
    )
    return X, y


def segment_error(X, X_res, provenance) -> float:
    """Largest distance of a synthetic row from seed + gap * (neighbour - seed)."""
    seed = X[provenance["seed"].to_numpy()]
    neighbor = X[provenance["neighbor"].to_numpy()]
    gap = provenance["gap"].to_numpy()[:, None]
    return float(np.abs(X_res[len(X) :] - (seed + gap * (neighbor - seed))).max())


@pytest.mark.parametrize("make", [SMOTE, BorderlineSMOTE, ADASYN])
def test_provenance_after_a_refit_describes_the_second_fit(data, make):
    X, y = data
    sampler = make(random_state=0)
    sampler.fit_resample(X, y)  # never read: its provenance must not survive the refit
    X2 = X * 3.0 + 1.0
    X_res, _ = sampler.fit_resample(X2, y)
    assert segment_error(X2, X_res, sampler.provenance_) < 1e-9


def test_provenance_read_then_refit_is_replaced(data):
    X, y = data
    sampler = SMOTE(random_state=0)
    sampler.fit_resample(X, y)
    first = sampler.provenance_.copy()
    sampler.set_params(random_state=1)
    X_res, _ = sampler.fit_resample(X, y)
    second = sampler.provenance_
    assert not first.equals(second)
    assert segment_error(X, X_res, second) < 1e-9


def test_provenance_is_built_once_and_is_a_dataframe(data):
    X, y = data
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    table = sampler.provenance_
    assert isinstance(table, pd.DataFrame)
    assert len(table) == len(X_res) - len(X)
    assert sampler.provenance_ is table  # cached, not rebuilt on every access


@pytest.mark.parametrize("read_first", [False, True])
def test_provenance_survives_pickling(data, read_first):
    X, y = data
    sampler = BorderlineSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    if read_first:
        expected = sampler.provenance_
    restored = pickle.loads(pickle.dumps(sampler))
    if not read_first:
        expected = sampler.provenance_
    pd.testing.assert_frame_equal(restored.provenance_, expected)
    assert segment_error(X, X_res, restored.provenance_) < 1e-9


def test_provenance_setter_wins_over_a_pending_table(data):
    X, y = data
    sampler = SMOTE(random_state=0)
    sampler.fit_resample(X, y)
    sampler.provenance_ = None
    assert sampler.provenance_ is None
    sampler.fit_resample(X, y)  # a new fit brings a new table back
    assert isinstance(sampler.provenance_, pd.DataFrame)


def test_provenance_labels_keep_the_label_dtype(data):
    X, y = data
    labels = np.where(y == 1, "fraud", "ok")
    sampler = RandomOverSampler(random_state=0)
    sampler.fit_resample(X, labels)
    assert set(sampler.provenance_["label"]) == {"fraud"}


def test_smotenc_provenance_is_lazy_too(data):
    X, y = data
    X = X.copy()
    X[:, 0] = (X[:, 0] > 0).astype(float)
    sampler = SMOTENC(categorical_features=[0], random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert len(prov) == len(X_res) - len(X)
    continuous = X[:, 1:]
    seed = continuous[prov["seed"].to_numpy()]
    neighbor = continuous[prov["neighbor"].to_numpy()]
    gap = prov["gap"].to_numpy()[:, None]
    assert np.allclose(X_res[len(X) :, 1:], seed + gap * (neighbor - seed))


def test_unfitted_and_under_samplers_have_no_provenance(data):
    X, y = data
    assert not hasattr(SMOTE(), "provenance_")
    with pytest.raises(AttributeError, match="fit_resample of an over-sampler"):
        SMOTE().provenance_  # noqa: B018
    under = RandomUnderSampler(random_state=0)
    under.fit_resample(X, y)
    assert not hasattr(under, "provenance_")
    fitted = SMOTE(random_state=0)
    fitted.fit_resample(X, y)
    assert not hasattr(clone(fitted), "provenance_")
