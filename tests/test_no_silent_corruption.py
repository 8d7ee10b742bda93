"""Inputs that used to be corrupted silently: refused, or given back exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import InvalidParameterError

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
)
from smotekit.over_sampling._adasyn import NoHardRowsError

rng = np.random.default_rng(0)
Y = np.array([0] * 45 + [1] * 15)


def test_duplicate_column_names_keep_the_original_rows():
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "a", "b"])
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0, shrinkage=1.0)):
        out = sampler.fit_resample(X, Y)[0]
        assert list(out.columns) == ["a", "a", "b"]
        np.testing.assert_array_equal(out.iloc[:60].to_numpy(), X.to_numpy())


def test_integer_columns_are_clipped_to_their_range_not_wrapped():
    X = pd.DataFrame({"small": np.full(60, 126, dtype=np.int8), "x": rng.normal(size=60)})
    X.loc[45:, "small"] = 127
    out = RandomOverSampler(random_state=0, shrinkage=50.0).fit_resample(X, Y)[0]
    assert out["small"].dtype == np.int8
    assert out["small"].min() >= -128 and (out["small"].iloc[60:] >= 0).all()
    assert out["small"].iloc[60:].max() == 127  # clipped, not wrapped


def test_complex_columns_are_refused_everywhere():
    X = pd.DataFrame({"z": rng.normal(size=60) + 1j, "x": rng.normal(size=60)})
    with pytest.raises(ValueError, match=r"complex column\(s\) 'z'"):
        SMOTE().fit_resample(X, Y)
    from scipy import sparse

    with pytest.raises(ValueError, match="Complex data not supported"):
        SMOTE().fit_resample(sparse.csr_matrix(X[["z"]].to_numpy()), Y)
    with pytest.raises(ValueError, match="Complex data not supported"):
        SMOTE().fit_resample(X.to_numpy(), Y)
    mixed = X.assign(c=rng.integers(0, 3, 60))
    with pytest.raises(ValueError, match="is complex"):
        SMOTENC(categorical_features=["c"]).fit_resample(mixed, Y)


def test_a_list_with_mixed_int_and_str_columns_comes_back_unchanged():
    X = [[i, f"s{i % 3}"] for i in range(60)]
    for sampler in (RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0)):
        out = sampler.fit_resample(X, Y)[0]
        assert all(isinstance(row[0], int) and isinstance(row[1], str) for row in out)
        indices = sampler.sample_indices_
        assert out == [X[i] for i in indices]


@pytest.mark.parametrize(
    "make, parameter",
    [
        (lambda nn: SMOTE(k_neighbors=nn), "k_neighbors"),
        (lambda nn: ADASYN(n_neighbors=nn), "n_neighbors"),
        (lambda nn: BorderlineSMOTE(m_neighbors=nn), "m_neighbors"),
        (lambda nn: SMOTENC(categorical_features=[1], k_neighbors=nn), "k_neighbors"),
    ],
)
def test_a_neighbours_object_with_one_neighbour_is_refused(make, parameter):
    X = np.column_stack([rng.normal(size=60), rng.integers(0, 3, 60)])
    with pytest.raises(InvalidParameterError, match=f"'{parameter}' parameter .* n_neighbors=1"):
        make(NearestNeighbors(n_neighbors=1)).fit_resample(X, Y)


def test_adasyn_without_hard_rows_raises_both_value_and_runtime_error():
    X = np.vstack([rng.normal(size=(45, 2)), rng.normal(size=(15, 2)) + 50])
    for error in (ValueError, RuntimeError, NoHardRowsError):
        with pytest.raises(error, match="no row of class 1 has a neighbour of another class"):
            ADASYN().fit_resample(X, Y)


def test_borderline_exposes_imbalanced_learns_in_danger_indices():
    X = np.vstack([rng.normal(size=(45, 2)), rng.normal(size=(15, 2)) * 0.5])
    y = np.array([0] * 45 + [1] * 15)
    y3 = np.concatenate([y, [2] * 20])
    X3 = np.vstack([X, rng.normal(size=(20, 2)) + 100])  # class 2 far away: no DANGER rows
    sampler = BorderlineSMOTE(random_state=0, k_neighbors=3)
    with pytest.warns(UserWarning, match="class 2 has no DANGER rows"):
        sampler.fit_resample(X3, y3)
    assert set(sampler.in_danger_) == {1, 2} and sampler.in_danger_[2].size == 0
    assert set(sampler.in_danger_indices) == {1}
    np.testing.assert_array_equal(sampler.in_danger_indices[1], sampler.in_danger_[1])


def test_imbalanced_learns_key_phrases_are_in_the_messages():
    X = np.column_stack([rng.normal(size=60), rng.integers(0, 3, 60)])
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        SMOTE().fit_resample(X, np.zeros(60))
    with pytest.raises(ValueError, match="all features must be in"):
        SMOTENC(categorical_features=[5]).fit_resample(X, Y)
    with pytest.raises(ValueError, match="not designed to work only with categorical features"):
        SMOTENC(categorical_features=[0, 1]).fit_resample(X, Y)
    with pytest.raises(ValueError, match="should be a pandas.DataFrame"):
        SMOTENC(categorical_features="auto").fit_resample(X, Y)


def test_smoten_warns_on_sparse_input():
    from scipy import sparse
    from sklearn.exceptions import DataConversionWarning

    from smotekit import SMOTEN

    X = sparse.csr_matrix(rng.integers(0, 3, size=(60, 2)).astype(float))
    with pytest.warns(DataConversionWarning, match="sparse matrix to SMOTEN"):
        out = SMOTEN(random_state=0).fit_resample(X, Y)[0]
    assert sparse.issparse(out) and out.shape == (90, 2)


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint8, np.float16, np.bool_])
def test_numpy_dtypes_are_kept(dtype):
    values = rng.integers(0, 2 if dtype == np.bool_ else 100, size=(60, 3))
    X = values.astype(dtype)
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0, shrinkage=3.0)):
        out = sampler.fit_resample(X, Y)[0]
        assert out.dtype == X.dtype, type(sampler).__name__
        np.testing.assert_array_equal(out[:60], X)  # originals exactly
    imb_like = SMOTE(random_state=0).fit_resample(X.astype(float), Y)[0][60:]
    if dtype not in (np.float16, np.bool_):
        info = np.iinfo(dtype)
        expected = np.clip(np.rint(imb_like), info.min, info.max).astype(dtype)
        np.testing.assert_array_equal(SMOTE(random_state=0).fit_resample(X, Y)[0][60:], expected)


def test_integer_sparse_matrices_are_kept():
    from scipy import sparse

    X = sparse.random(60, 4, density=0.5, random_state=0, format="csr", dtype=float)
    X.data = np.ceil(X.data * 10)
    X = X.astype(np.int32)
    out = SMOTE(random_state=0).fit_resample(X, Y)[0]
    assert sparse.issparse(out) and out.dtype == np.int32 and out.format == "csr"
    np.testing.assert_array_equal(out[:60].toarray(), X.toarray())


def test_fitted_neighbour_estimators_as_imbalanced_learn_exposes_them():
    from imblearn.over_sampling import ADASYN as ImbADASYN
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE

    X = rng.normal(size=(200, 3))
    y = np.array([0] * 150 + [1] * 50)
    X[160:170] = X[:10] + 0.01  # some overlap, so ADASYN has hard rows
    pairs = [
        (SMOTE(random_state=0), ImbSMOTE(random_state=0), ["nn_k_"]),
        (BorderlineSMOTE(random_state=0), ImbBorderlineSMOTE(random_state=0), ["nn_k_", "nn_m_"]),
        (ADASYN(random_state=0), ImbADASYN(random_state=0), ["nn_"]),
    ]
    for ours, theirs, names in pairs:
        ours.fit_resample(X, y)
        theirs.fit_resample(X, y)
        for name in names:
            mine, imb = getattr(ours, name), getattr(theirs, name)
            assert mine.n_neighbors == imb.n_neighbors, name
            assert mine.n_samples_fit_ == imb.n_samples_fit_, name
            q = X[:7]
            np.testing.assert_array_equal(
                mine.kneighbors(q, return_distance=False), imb.kneighbors(q, return_distance=False)
            )
            np.testing.assert_allclose(mine.kneighbors(q)[0], imb.kneighbors(q)[0])
            graph = mine.kneighbors_graph(q)
            assert graph.shape == (7, mine.n_samples_fit_) and graph.sum() == 7 * mine.n_neighbors
    nc = SMOTENC(categorical_features=[3], random_state=0)
    nc.fit_resample(np.column_stack([X, rng.integers(0, 3, 200)]), y)
    assert nc.nn_k_.n_neighbors == 6
    assert nc.nn_k_.kneighbors(return_distance=False).shape == (50, 5)


def test_smotenc_converts_numeric_object_columns_of_a_dataframe():
    values = np.empty((60, 3), dtype=object)
    values[:, 0] = rng.normal(size=60)
    values[:, 1] = rng.choice(["a", "b"], 60)
    values[:, 2] = rng.integers(0, 5, 60)
    frame = pd.DataFrame(values)  # every column has object dtype
    sampler = SMOTENC(categorical_features=[1], random_state=0)
    out = sampler.fit_resample(frame, Y)[0]
    np.testing.assert_array_equal(sampler.continuous_features_, [0, 2])
    assert set(out.iloc[60:, 1]) <= {"a", "b"}
    new = out.iloc[60:, 0].astype(float)
    assert new.between(float(values[:, 0].min()), float(values[:, 0].max())).all()
    with pytest.raises(ValueError, match="Column 1 .* is not numeric"):
        SMOTENC(categorical_features=[2]).fit_resample(frame, Y)


def test_float32_rows_near_the_largest_value_never_interpolate_to_inf():
    X = (rng.choice([-1.0, 1.0], size=(60, 3)) * 3.3e38).astype(np.float32)
    for sampler in (
        SMOTE(random_state=0, k_neighbors=3),
        SMOTENC(categorical_features=[2], random_state=0, k_neighbors=3),
    ):
        out = sampler.fit_resample(X, Y)[0]
        assert out.dtype == np.float32 and np.isfinite(out).all()
        assert out.min() >= X.min() and out.max() <= X.max()
    X64 = rng.choice([-1.0, 1.0], size=(60, 3)) * 1.7e308
    out = SMOTE(random_state=0, k_neighbors=3).fit_resample(X64, Y)[0]
    assert np.isfinite(out).all()


@pytest.mark.parametrize("backend", ["exact", "tree"])
def test_huge_values_are_searched_exactly(backend):
    base = rng.normal(size=(60, 3))
    small = SMOTE(random_state=0, neighbors=backend)
    small.fit_resample(base, Y)
    huge = SMOTE(random_state=0, neighbors=backend)
    X_huge = huge.fit_resample(base * 2.0**700, Y)[0]  # ~5e210: squares overflow float64
    assert np.isfinite(X_huge).all()
    for column in ("seed", "neighbor", "gap"):
        np.testing.assert_array_equal(huge.provenance_[column], small.provenance_[column])
    adasyn = ADASYN(random_state=0, neighbors=backend).fit(base, Y)
    adasyn.fit_resample(base * 2.0**700, Y)
    reference = ADASYN(random_state=0, neighbors=backend)
    reference.fit_resample(base, Y)
    np.testing.assert_array_equal(adasyn.hardness_[1], reference.hardness_[1])
