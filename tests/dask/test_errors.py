"""Bad input to the Dask engine gets a clear error, before any heavy work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _dask_data import as_arrays, as_frames, numeric_data

dask = pytest.importorskip("dask")
skd = pytest.importorskip("smotekit.dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from smotekit import SMOTE, SMOTENC, AllKNN, RandomOverSampler  # noqa: E402


def test_no_target_column():
    X, y = numeric_data()
    ddf = dd.from_pandas(pd.concat([X, y], axis=1), npartitions=2)
    with pytest.raises(ValueError, match="target column 'class' is not in the DataFrame"):
        skd.resample(ddf, target="class", sampler=SMOTE())


def test_target_with_one_class():
    X, _ = numeric_data()
    y = pd.Series(np.zeros(len(X), dtype=int), name="label")
    with pytest.raises(ValueError, match="more than 1 class; got 1 class"):
        skd.fit_resample(SMOTE(), *as_frames(X, y, 3))


def test_non_numeric_columns_for_smote_fail_before_computing():
    X, y = numeric_data()
    X["town"] = np.where(np.arange(len(X)) % 2, "a", "b")
    dX, dy = as_frames(X, y, 3)
    with pytest.raises(ValueError, match="town"):
        skd.fit_resample(SMOTE(), dX, dy)


def test_unknown_chunk_sizes():
    X, y = numeric_data()
    dX, dy = as_arrays(X.to_numpy(), y.to_numpy(), (500, 500, 500))
    keep = dy >= 0
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        skd.fit_resample(SMOTE(), dX[keep], dy[keep])


def test_chunks_along_columns():
    X, y = numeric_data()
    dX = da.from_array(X.to_numpy(), chunks=(500, 2))
    dy = da.from_array(y.to_numpy(), chunks=500)
    with pytest.raises(ValueError, match=r"rechunk\(\{1: -1\}\)"):
        skd.fit_resample(SMOTE(), dX, dy)


def test_minority_above_the_guard_names_batched_mode():
    X, y = numeric_data()
    with pytest.raises(skd.MinorityTooLargeError, match="mode=.batched."):
        skd.fit_resample(SMOTE(), *as_frames(X, y, 3), max_minority_rows=50)
    # and the error is a ValueError, as the rest of the library's input errors
    assert issubclass(skd.MinorityTooLargeError, ValueError)


def test_batched_mode_refuses_what_it_cannot_do_exactly():
    X, y = numeric_data()
    with pytest.raises(ValueError, match="shrinkage"):
        skd.fit_resample(RandomOverSampler(shrinkage=1.0), *as_frames(X, y, 3), mode="batched")
    mixed = X.assign(town=np.where(np.arange(len(X)) % 2, "a", "b"))
    with pytest.raises(ValueError, match="batched mode"):
        skd.fit_resample(SMOTENC(categorical_features=[4]), *as_frames(mixed, y, 3), mode="batched")


def test_unsupported_sampler_names_those_supported():
    X, y = numeric_data()
    with pytest.raises(NotImplementedError, match="It runs: SMOTE, BorderlineSMOTE"):
        skd.fit_resample(AllKNN(), *as_frames(X, y, 3))


def test_in_memory_input_is_refused_with_the_fix():
    X, y = numeric_data()
    with pytest.raises(TypeError, match="sampler.fit_resample"):
        skd.fit_resample(SMOTE(), X, y)


def test_x_and_y_partitioned_differently():
    X, y = numeric_data()
    with pytest.raises(ValueError, match="partitioned differently"):
        skd.fit_resample(
            SMOTE(), dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=2)
        )


def test_y_missing_and_bad_mode():
    X, y = numeric_data()
    dX, dy = as_frames(X, y, 2)
    with pytest.raises(ValueError, match="needs y"):
        skd.fit_resample(SMOTE(), dX, None)
    with pytest.raises(ValueError, match="mode must be one of"):
        skd.fit_resample(SMOTE(), dX, dy, mode="fast")
    with pytest.raises(ValueError, match="batch_rows"):
        skd.fit_resample(SMOTE(), dX, dy, mode="batched", batch_rows=0)


def test_bad_values_in_a_partition_name_the_partition():
    X, y = numeric_data()
    X.iloc[1400, 0] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*partition 2 of the dask collection"):
        skd.fit_resample(SMOTE(), *as_frames(X, y, 3))


def test_invalid_parameters_raise_sklearn_errors():
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = numeric_data()
    with pytest.raises(InvalidParameterError):
        skd.fit_resample(SMOTE(k_neighbors=0), *as_frames(X, y, 2))


def test_class_too_small_for_k_is_checked_from_counts():
    X, y = numeric_data()
    y = y.where(y != 2, 0)
    y.iloc[:3] = 2
    with pytest.raises(ValueError, match="too few for k_neighbors=5"):
        skd.fit_resample(SMOTE(), *as_frames(X, y, 3))


def test_a_partition_with_one_class_is_fine():
    X, y = numeric_data()
    order = np.argsort(y.to_numpy(), kind="stable")  # partitions of a single class each
    X, y = X.iloc[order].reset_index(drop=True), y.iloc[order].reset_index(drop=True)
    dX, dy = as_frames(X, y, 5)
    X_mem, y_mem = SMOTE(random_state=0).fit_resample(X, y)
    X_res, y_res = dask.compute(*skd.fit_resample(SMOTE(random_state=0), dX, dy))
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


def test_tomek_links_guard_names_the_rows_outside_the_largest_class():
    from smotekit import TomekLinks

    X, y = numeric_data()
    with pytest.raises(skd.MinorityTooLargeError, match="rows outside the largest class"):
        skd.fit_resample(TomekLinks(), *as_frames(X, y, 3), max_minority_rows=10)
