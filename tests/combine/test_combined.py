"""SMOTEENN and SMOTETomek: SMOTE then a cleaner, with smotekit's or imbalanced-learn's steps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from smotekit import SMOTE, SMOTEENN, BorderlineSMOTE, SMOTETomek
from smotekit.under_sampling import EditedNearestNeighbours, TomekLinks

COMBINED = [(SMOTEENN, "enn", EditedNearestNeighbours), (SMOTETomek, "tomek", TomekLinks)]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=600,
        n_features=5,
        weights=[0.8, 0.15],
        n_classes=3,
        n_informative=3,
        class_sep=0.6,
        random_state=3,
    )
    return X, y


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_equals_smote_then_the_cleaner(data, combined, param, cleaner):
    X, y = data
    sampler = combined(random_state=7)
    X_res, y_res = sampler.fit_resample(X, y)
    X_mid, y_mid = SMOTE(random_state=7).fit_resample(X, y)
    alone = cleaner(sampling_strategy="all")
    X_exp, y_exp = alone.fit_resample(X_mid, y_mid)
    np.testing.assert_array_equal(X_res, X_exp)
    np.testing.assert_array_equal(y_res, y_exp)
    assert sampler.sampling_strategy_ == SMOTE(random_state=7).fit(X, y).sampling_strategy_
    assert len(y_res) < len(y_mid), "the cleaner removed nothing on overlapping classes"
    fitted = getattr(sampler, f"{param}_")
    np.testing.assert_array_equal(fitted.sample_indices_, alone.sample_indices_)


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_cleaning_keeps_what_imblearn_keeps_on_the_same_smote_output(
    data, combined, param, cleaner
):
    imb_under = pytest.importorskip("imblearn.under_sampling")
    X, y = data
    X_res, y_res = combined(random_state=0).fit_resample(X, y)
    X_mid, y_mid = SMOTE(random_state=0).fit_resample(X, y)
    theirs = getattr(imb_under, cleaner.__name__)(sampling_strategy="all")
    X_exp, y_exp = theirs.fit_resample(X_mid, y_mid)
    np.testing.assert_array_equal(X_res, X_exp)
    np.testing.assert_array_equal(y_res, y_exp)


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_imblearn_steps_give_imblearns_combined_output(data, combined, param, cleaner):
    imb_over = pytest.importorskip("imblearn.over_sampling")
    imb_under = pytest.importorskip("imblearn.under_sampling")
    imb_combine = pytest.importorskip("imblearn.combine")
    X, y = data
    steps = {
        "smote": imb_over.SMOTE(random_state=1),
        param: getattr(imb_under, cleaner.__name__)(sampling_strategy="all"),
    }
    ours = combined(**steps)
    X_res, y_res = ours.fit_resample(X, y)
    X_exp, y_exp = getattr(imb_combine, combined.__name__)(random_state=1).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_exp)
    np.testing.assert_array_equal(y_res, y_exp)
    assert ours.provenance_ is None  # imbalanced-learn's SMOTE does not report provenance
    assert not hasattr(steps["smote"], "sampling_strategy_"), "the given step was fitted in place"


def test_any_over_sampler_is_a_step_and_the_given_one_is_not_fitted(data):
    X, y = data
    smote = BorderlineSMOTE(random_state=0)
    sampler = SMOTEENN(smote=smote)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(sampler.smote_, BorderlineSMOTE)
    assert not hasattr(smote, "provenance_")
    X_exp, y_exp = EditedNearestNeighbours(sampling_strategy="all").fit_resample(
        *BorderlineSMOTE(random_state=0).fit_resample(X, y)
    )
    np.testing.assert_array_equal(X_res, X_exp)


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_a_step_of_the_wrong_kind_is_a_clear_error(data, combined, param, cleaner):
    X, y = data
    with pytest.raises(TypeError, match="'smote' parameter of .* must be a sampler whose kind"):
        combined(smote=cleaner()).fit_resample(X, y)
    with pytest.raises(TypeError, match=f"'{param}' parameter of .* must be a sampler whose kind"):
        combined(**{param: SMOTE()}).fit_resample(X, y)


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_provenance_describes_the_surviving_synthetic_rows(data, combined, param, cleaner):
    X, y = data
    sampler = combined(random_state=2)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    kept = getattr(sampler, f"{param}_").sample_indices_
    np.testing.assert_array_equal(prov["output_row"], np.flatnonzero(kept >= len(y)))
    assert 0 < len(prov) < len(sampler.smote_.provenance_)
    seed, neighbor = X[prov["seed"]], X[prov["neighbor"]]
    expected = seed + prov["gap"].to_numpy()[:, None] * (neighbor - seed)
    np.testing.assert_allclose(X_res[prov["output_row"]], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_containers_and_dtypes_come_back(data, combined, param, cleaner):
    X, y = data
    frame = pd.DataFrame(X.astype(np.float32), columns=[f"f{i}" for i in range(X.shape[1])])
    target = pd.Series(y, name="label")
    X_res, y_res = combined(random_state=0).fit_resample(frame, target)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(frame.columns)
    assert (X_res.dtypes == np.float32).all()
    assert isinstance(y_res, pd.Series) and y_res.name == "label"


@pytest.mark.parametrize("combined, param, cleaner", COMBINED)
def test_bad_input_is_named(combined, param, cleaner):
    X = np.array([["a", "b"]] * 10, dtype=object)
    with pytest.raises(ValueError, match=combined.__name__):
        combined().fit_resample(X, [0] * 5 + [1] * 5)
    with pytest.raises(ValueError, match="y"):
        combined().fit_resample(np.zeros((10, 2)), [0] * 9)


def test_clone_keeps_the_steps():
    sampler = SMOTEENN(smote=SMOTE(k_neighbors=3), enn=EditedNearestNeighbours(n_neighbors=5))
    twin = clone(sampler)
    assert twin.smote.k_neighbors == 3 and twin.enn.n_neighbors == 5
