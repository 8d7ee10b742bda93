"""synthetic_quality on constructed data whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import SMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.evaluation import NEAR_COPY_THRESHOLD, SyntheticQuality, synthetic_quality


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (150, 3)), rng.normal(6, 1, (30, 3))])
    y = np.array([0] * 150 + [1] * 30)
    return X, y


def _append(X, y, rows, labels):
    return np.vstack([X, rows]), np.concatenate([y, labels])


def test_exact_copies_are_not_novel(blobs):
    X, y = blobs
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    quality = synthetic_quality(X, y, X_res, y_res)
    summary = quality.summary.iloc[0]
    assert summary["label"] == 1 and summary["n_synthetic"] == 120
    assert summary["near_copy_share"] == 1.0
    assert summary["median_relative_distance"] == 0.0
    assert summary["overlap_share"] == 0.0
    assert (quality.rows["distance"] == 0).all() and quality.rows["near_copy"].all()


def test_rows_inside_the_other_class_overlap_completely(blobs):
    X, y = blobs
    majority = X[y == 0][:40]
    X_res, y_res = _append(X, y, majority + 1e-3, np.ones(40, dtype=int))
    quality = synthetic_quality(X, y, X_res, y_res)
    summary = quality.summary.iloc[0]
    assert summary["overlap_share"] == 1.0
    assert quality.rows["overlap"].all()
    assert (quality.rows["nearest_label"] == 0).all()
    assert summary["real_overlap_share"] == 0.0  # the real blobs are well apart


def test_well_spread_rows_are_novel(blobs):
    X, y = blobs
    minority = X[y == 1]
    midpoints = (minority[:-1] + minority[1:]) / 2  # between pairs of real rows
    X_res, y_res = _append(X, y, midpoints, np.ones(len(midpoints), dtype=int))
    summary = synthetic_quality(X, y, X_res, y_res).summary.iloc[0]
    assert summary["near_copy_share"] < 0.2
    assert summary["median_relative_distance"] > 0.2


def test_feature_distances_known_cases(blobs):
    X, y = blobs
    same = X[y == 1]  # the class's own rows once more: identical distributions
    q_same = synthetic_quality(X, y, *_append(X, y, same, np.ones(30, dtype=int)))
    assert np.allclose(q_same.features["ks"], 0)
    assert np.allclose(q_same.features["wasserstein"], 0)
    shifted = same + 100.0  # far outside the class: disjoint distributions
    q_far = synthetic_quality(X, y, *_append(X, y, shifted, np.ones(30, dtype=int)))
    assert np.allclose(q_far.features["ks"], 1)
    stds = X[y == 1].std(axis=0)
    assert q_far.features["wasserstein"].to_numpy() == pytest.approx(100 / stds)
    assert q_far.summary.iloc[0]["max_ks"] == 1.0


def test_provenance_rebuilds_the_same_rows(blobs):
    X, y = blobs
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    from_rows = synthetic_quality(X, y, X_res, y_res, provenance=sampler.provenance_)
    from_provenance = synthetic_quality(X, y, provenance=sampler.provenance_)
    pd.testing.assert_frame_equal(
        from_rows.rows.drop(columns=["distance", "relative_distance"]),
        from_provenance.rows.drop(columns=["distance", "relative_distance"]),
    )
    assert np.allclose(from_rows.rows["distance"], from_provenance.rows["distance"])
    assert {"seed", "neighbor", "gap"} <= set(from_rows.rows.columns)
    assert "seed" not in synthetic_quality(X, y, X_res, y_res).rows


def test_dataframe_feature_names_and_several_classes():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(120, 2)), columns=["height", "width"])
    y = np.repeat([0, 1, 2], [80, 25, 15])
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    quality = synthetic_quality(X, y, X_res, y_res)
    assert list(quality.summary["label"]) == [1, 2]
    assert set(quality.features["feature"]) == {"height", "width"}
    assert len(quality.features) == 4
    assert "SyntheticQuality(near_copy=0.05, drift_threshold=0.1)" in repr(quality)
    assert isinstance(quality, SyntheticQuality)


def test_threshold_changes_the_near_copy_share(blobs):
    X, y = blobs
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    strict = synthetic_quality(X, y, X_res, y_res, near_copy=0.0)
    loose = synthetic_quality(X, y, X_res, y_res, near_copy=10.0)
    assert strict.summary.iloc[0]["near_copy_share"] == 0.0
    assert loose.summary.iloc[0]["near_copy_share"] == 1.0
    assert synthetic_quality(X, y, X_res, y_res).near_copy == NEAR_COPY_THRESHOLD


def test_no_synthetic_rows(blobs):
    X, y = blobs
    quality = synthetic_quality(X, y, X, y)
    assert quality.rows.empty and quality.summary.empty


def test_duplicated_real_rows_do_not_zero_the_spacing():
    X = np.array([[0.0, 0], [0, 0], [0, 0], [1, 0], [3, 0], [10, 10], [11, 10], [10, 11]])
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0])
    X_res, y_res = _append(X, y, np.array([[0.5, 0.0]]), np.array([1]))
    summary = synthetic_quality(X, y, X_res, y_res).summary.iloc[0]
    assert summary["spacing"] == 1.5  # spacings 0, 0, 0, 1, 2: median of the positive ones
    assert summary["median_relative_distance"] == pytest.approx(0.5 / 1.5)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6))
def test_smote_output_properties(blobs, seed, k):
    X, y = blobs
    sampler = SMOTE(random_state=seed, k_neighbors=k)
    X_res, y_res = sampler.fit_resample(X, y)
    quality = synthetic_quality(X, y, X_res, y_res, provenance=sampler.provenance_)
    rows = quality.rows
    seeds = X[rows["seed"].to_numpy()]
    synthetic = X_res[len(X) :]
    # The nearest real row is at most as far as the seed the row was made from.
    assert np.all(rows["distance"] <= np.linalg.norm(synthetic - seeds, axis=1) + 1e-9)
    assert (rows["relative_distance"] >= 0).all()
    summary = quality.summary.iloc[0]
    for column in ("overlap_share", "near_copy_share", "mean_ks", "max_ks"):
        assert 0 <= summary[column] <= 1


def test_borderline_rows_overlap_more_than_smote_rows():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(1.5, 1, (40, 2))])
    y = np.array([0] * 300 + [1] * 40)
    shares = {}
    for sampler in (SMOTE(random_state=0), BorderlineSMOTE(random_state=0)):
        quality = synthetic_quality(X, y, *sampler.fit_resample(X, y))
        shares[type(sampler).__name__] = quality.summary.iloc[0]["overlap_share"]
    assert shares["BorderlineSMOTE"] > shares["SMOTE"]


# --------------------------------------------------------------------------- bad inputs


def test_rejects_results_that_do_not_start_with_X(blobs):
    X, y = blobs
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="do not start with the rows of X"):
        synthetic_quality(X, y, X_res[::-1], y_res[::-1])
    with pytest.raises(ValueError, match="do not start with the rows of X"):
        synthetic_quality(X, y, X[:10], y[:10])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "Give the resampled data"),
        ({"X_res": "X"}, "Give both X_res and y_res"),
        ({"near_copy": -1}, "near_copy must be a number >= 0"),
    ],
)
def test_rejects_missing_or_bad_arguments(blobs, kwargs, match):
    X, y = blobs
    kwargs = {k: (X if v == "X" else v) for k, v in kwargs.items()}
    with pytest.raises(ValueError, match=match):
        synthetic_quality(X, y, **kwargs)


def test_rejects_inconsistent_shapes(blobs):
    X, y = blobs
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="X_res has 2 features but X has 3"):
        synthetic_quality(X, y, X_res[:, :2], y_res)
    with pytest.raises(ValueError, match="but y_res has 10"):
        synthetic_quality(X, y, X_res, y_res[:10])
    with pytest.raises(ValueError, match="provenance has 5 rows but there are 120"):
        synthetic_quality(X, y, X_res, y_res, provenance=sampler.provenance_.head(5))
    with pytest.raises(ValueError, match="one label per row of X"):
        synthetic_quality(X, y[:5], X_res, y_res)
    with pytest.raises(ValueError, match="X must be 2-D"):
        synthetic_quality(X[:, 0], y, provenance=sampler.provenance_)
    bad = sampler.provenance_.assign(seed=10_000)
    with pytest.raises(ValueError, match="provenance refers to rows outside X"):
        synthetic_quality(X, y, provenance=bad)


def test_rejects_non_numeric_and_non_finite(blobs):
    X, y = blobs
    frame = pd.DataFrame({"a": X[:, 0], "colour": "red"})
    # A string column is categorical unless categorical_features leaves it out
    # (mixed tables: tests/evaluation/test_quality_categorical.py).
    with pytest.raises(TypeError, match=r"non-numeric column\(s\) \['colour'\]"):
        synthetic_quality(frame, y, frame, y, categorical_features=[])
    with pytest.raises(TypeError, match="must hold numeric values"):
        synthetic_quality(np.array([["a", "b"]] * len(y)), y, X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN or infinite values"):
        synthetic_quality(X_nan, y, X_nan, y)
