"""One container layer and one interpolation kernel for numeric, mixed and categorical data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smotekit import SMOTE, SMOTEN, SMOTENC, BorderlineSMOTE
from smotekit.neighbors import ExactNeighbors, TreeNeighbors


def mixed_frame(n=400, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=n).astype(dtype),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "b": rng.normal(size=n).astype(dtype),
            "size": rng.integers(0, 4, n),
        }
    )
    y = (rng.random(n) < 0.2).astype(int)
    return frame, y


def test_float32_dataframe_and_float32_array_give_bit_identical_smotenc_rows():
    frame, y = mixed_frame()
    codes = frame.assign(colour=frame["colour"].cat.codes).to_numpy(dtype=np.float32)
    from_frame = SMOTENC(categorical_features=[1, 3], random_state=0).fit_resample(frame, y)[0]
    from_array = SMOTENC(categorical_features=[1, 3], random_state=0).fit_resample(codes, y)[0]
    assert from_frame["a"].dtype == np.float32 and from_array.dtype == np.float32
    for j, name in [(0, "a"), (2, "b")]:
        np.testing.assert_array_equal(from_frame[name].to_numpy(), from_array[:, j])
    n = frame.shape[0]
    colours = np.asarray(frame["colour"].cat.categories)
    np.testing.assert_array_equal(
        from_frame["colour"].to_numpy()[n:], colours[from_array[n:, 1].astype(int)]
    )
    np.testing.assert_array_equal(from_frame["size"].to_numpy(), from_array[:, 3])


def test_mixed_frame_keeps_dtypes_and_original_rows():
    frame, y = mixed_frame(dtype=np.float64)
    out = SMOTENC(categorical_features="auto", random_state=0).fit_resample(frame, y)[0]
    assert list(out.dtypes) == list(frame.dtypes)
    pd.testing.assert_frame_equal(out.iloc[: len(frame)], frame)


def test_integer_and_bool_columns_of_a_numeric_frame_come_back_rounded():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {"x": rng.normal(size=200), "count": rng.integers(0, 9, 200), "flag": rng.random(200) < 0.5}
    )
    y = np.array([0] * 160 + [1] * 40)
    out = SMOTE(random_state=0).fit_resample(frame, y)[0]
    assert list(out.dtypes) == list(frame.dtypes)
    pd.testing.assert_frame_equal(out.iloc[:200], frame)
    assert out["count"].between(0, 8).all()


def test_smoten_multiclass_refuses_a_backend_that_cannot_apply():
    rng = np.random.default_rng(0)
    X = rng.choice(["a", "b", "c"], size=(300, 3)).astype(object)
    y = rng.choice(3, size=300, p=[0.6, 0.3, 0.1])
    with pytest.raises(ValueError, match=r"neighbors='tree' cannot search the Value Difference"):
        SMOTEN(neighbors="tree", random_state=0).fit_resample(X, y)
    SMOTEN(neighbors="exact", random_state=0).fit_resample(X, y)
    y2 = (y > 0).astype(int)  # two classes: the VDM is Euclidean, any backend applies
    a = SMOTEN(neighbors="tree", random_state=0).fit_resample(X, y2)[0]
    b = SMOTEN(neighbors="exact", random_state=0).fit_resample(X, y2)[0]
    np.testing.assert_array_equal(a, b)


class CountingTree(TreeNeighbors):
    """A backend that records how it is used."""

    fits = 0
    queries = 0

    def fit(self, X):
        CountingTree.fits += 1
        return super().fit(X)

    def kneighbors(self, Q, n_neighbors, *, exclude=None):
        CountingTree.queries += 1
        return super().kneighbors(Q, n_neighbors, exclude=exclude)


def test_smotenc_many_levels_honours_an_explicit_backend():
    """More than 64 levels: "auto" runs the blocked search, an explicit choice is used."""
    rng = np.random.default_rng(3)
    n = 300
    X = np.column_stack([rng.normal(size=(n, 2)), rng.integers(0, 90, n)])
    y = (rng.random(n) < 0.4).astype(int)
    CountingTree.fits = CountingTree.queries = 0
    chosen = SMOTENC(categorical_features=[2], neighbors=CountingTree(), random_state=0)
    X_tree = chosen.fit_resample(X, y)[0]
    assert CountingTree.fits == 1
    X_auto = SMOTENC(categorical_features=[2], random_state=0).fit_resample(X, y)[0]
    np.testing.assert_array_equal(X_tree, X_auto)  # both exact: the same rows


def test_a_backend_fitted_on_all_rows_is_reused_across_classes():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(600, 3))
    y = rng.choice(4, size=600, p=[0.55, 0.2, 0.15, 0.1])
    CountingTree.fits = CountingTree.queries = 0
    sampler = BorderlineSMOTE(kind="borderline-2", neighbors=CountingTree(), random_state=0)
    X_res = sampler.fit_resample(X, y)[0]
    assert CountingTree.fits == 1  # m-search and k-search of every class share one fit
    assert CountingTree.queries == 2 * 3
    reference = BorderlineSMOTE(kind="borderline-2", neighbors=ExactNeighbors(), random_state=0)
    np.testing.assert_array_equal(X_res, reference.fit_resample(X, y)[0])
