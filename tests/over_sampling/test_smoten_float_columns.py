"""SMOTEN refuses measurements stored as floats, and warns about identifier-like columns."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from smotekit import SMOTEN


def categories(n: int = 120, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.array([0] * (n - n // 4) + [1] * (n // 4))
    X = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], n),
            "size": rng.integers(0, 4, n),
            "flag": rng.random(n) < 0.5,
        }
    )
    return X, y


def no_warnings(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def test_a_pandas_float_measurement_is_refused_with_what_to_do():
    X, y = categories()
    X["weight"] = np.random.default_rng(1).normal(70, 10, len(X))
    with pytest.raises(ValueError) as info:
        SMOTEN(random_state=0).fit_resample(X, y)
    message = str(info.value)
    assert "SMOTEN treats every column as categorical" in message
    assert "column 'weight' (dtype float64)" in message
    assert "X['weight'].astype('category')" in message and "SMOTENC" in message
    with pytest.raises(ValueError, match="column 'weight'"):
        SMOTEN().fit(X, y)  # fit validates the same way


def test_float_arrays_and_sparse_matrices_are_refused_too():
    X, y = categories()
    floats = np.column_stack([X["size"].to_numpy(float), np.linspace(0, 1, len(X))])
    with pytest.raises(ValueError, match=r"column 1 \(dtype float64\).*X.astype\(str\)"):
        SMOTEN().fit_resample(floats, y)
    with pytest.raises(ValueError, match="column 1 "):
        SMOTEN().fit_resample(floats.tolist(), y)
    with pytest.raises(ValueError, match="column 1 "):
        SMOTEN().fit_resample(sparse.csr_matrix(floats), y)
    nullable = X.assign(w=pd.array(np.linspace(0, 1, len(X)), dtype="Float64"))
    with pytest.raises(ValueError, match="column 'w' "):
        SMOTEN().fit_resample(nullable, y)


def test_integral_floats_stay_accepted_and_vote_like_integers():
    X, y = categories(seed=2)
    as_float = X.assign(size=X["size"].astype(float))
    res_float, _ = no_warnings(lambda: SMOTEN(random_state=0).fit_resample(as_float, y))
    res_int, _ = SMOTEN(random_state=0).fit_resample(X, y)
    assert res_float["size"].dtype == np.float64
    np.testing.assert_array_equal(res_float["size"].to_numpy(), res_int["size"].to_numpy(float))
    array = X["size"].to_numpy(float)[:, None]
    out, _ = no_warnings(lambda: SMOTEN(random_state=0).fit_resample(array, y))
    assert set(out[:, 0]) <= set(array[:, 0])


def test_declared_categories_are_accepted_whatever_their_values():
    X, y = categories(seed=3)
    values = np.round(np.random.default_rng(3).choice([0.5, 1.25, 2.75], len(X)), 2)
    declared = X.assign(level=pd.Categorical(values))
    res, _ = no_warnings(lambda: SMOTEN(random_state=0).fit_resample(declared, y))
    assert isinstance(res["level"].dtype, pd.CategoricalDtype)
    assert set(res["level"]) <= {0.5, 1.25, 2.75}
    as_text = X.assign(level=values.astype(str))
    res, _ = no_warnings(lambda: SMOTEN(random_state=0).fit_resample(as_text, y))
    assert set(res["level"]) <= {"0.5", "1.25", "2.75"}


def test_missing_values_in_an_integral_float_column_are_still_a_missing_category():
    X, y = categories(seed=4)
    size = X["size"].astype(float)
    size[[3, 9]] = np.nan
    X_res, _ = SMOTEN(random_state=0, missing_as_category=True).fit_resample(X.assign(size=size), y)
    assert set(X_res["size"].dropna()) <= {0.0, 1.0, 2.0, 3.0}


def test_an_identifier_like_column_draws_a_warning_naming_it():
    X, y = categories(n=100, seed=5)
    X["customer"] = [f"c{i}" for i in range(len(X))]
    with pytest.warns(UserWarning, match="column 'customer' has 100 distinct values in 100 rows"):
        SMOTEN(random_state=0).fit_resample(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SMOTEN(random_state=0).fit_resample(X.drop(columns="customer"), y)
    assert not [w for w in caught if "identifier" in str(w.message)]
    tiny = pd.DataFrame({"v": list("abcdefghij")})
    no_warnings(lambda: SMOTEN(k_neighbors=1).fit_resample(tiny, [0] * 6 + [1] * 4))
