"""The datasets shipped inside the package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smotekit.datasets import BENCHMARK_DATASETS, BUNDLED_DATASETS, content_sha256, load_dataset

EXPECTED = {"ecoli": (336, 7, 35), "thyroid_sick": (3772, 52, 231), "arrhythmia": (452, 278, 25)}
INFO = {info.name: info for info in BENCHMARK_DATASETS}


def test_bundled_names():
    assert set(BUNDLED_DATASETS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shape_dtype_and_class_counts(name):
    n_samples, n_features, n_minority = EXPECTED[name]
    X, y = load_dataset(name)
    assert X.shape == (n_samples, n_features) and X.dtype == np.float64
    assert y.shape == (n_samples,) and y.dtype == np.int64
    assert X.flags.c_contiguous and X.flags.writeable and y.flags.writeable
    assert set(np.unique(y)) == {-1, 1}
    assert np.count_nonzero(y == 1) == n_minority
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_content_matches_the_catalogue_checksum(name):
    # The bundled files are exact copies of the archive's members (source (A)).
    assert content_sha256(*load_dataset(name)) == INFO[name].sha256
    assert INFO[name].problems(*load_dataset(name)) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_values_and_row_order_equal_the_shared_copy(name, shared_arrays):
    X, y = load_dataset(name)
    X_ref, y_ref = shared_arrays(name)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_as_frame(name):
    X, y = load_dataset(name)
    frame = load_dataset(name, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [f"x{j}" for j in range(X.shape[1])] + ["target"]
    assert (frame.dtypes.iloc[:-1] == np.float64).all()
    assert frame["target"].dtype == np.int64
    np.testing.assert_array_equal(frame.drop(columns="target").to_numpy(), X)
    np.testing.assert_array_equal(frame["target"].to_numpy(), y)


def test_returned_arrays_are_private_copies():
    X, y = load_dataset("ecoli")
    X[:] = 0.0
    y[:] = 0
    X2, y2 = load_dataset("ecoli")
    assert X2.any() and np.count_nonzero(y2 == 1) == 35


@pytest.mark.parametrize("bad", ["ECOLI", "iris", "", 1, None])
def test_unknown_name_lists_the_valid_names(bad):
    with pytest.raises(ValueError, match="Valid names are: 'ecoli', 'thyroid_sick', 'arrhythmia'"):
        load_dataset(bad)


def test_benchmark_name_points_to_fetch_datasets():
    with pytest.raises(ValueError, match=r"use fetch_datasets\(\['webpage'\]\)"):
        load_dataset("webpage")
