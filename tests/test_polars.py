"""polars in, polars out: every sampler gives a polars DataFrame and Series back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pl = pytest.importorskip("polars")

from smotekit import SMOTE, SMOTEENN, SMOTEN, SMOTENC, RandomUnderSampler  # noqa: E402
from smotekit.utils import all_samplers  # noqa: E402


def frames(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(np.int64)
    data = {
        "a": rng.normal(size=n) + y,
        "b": rng.normal(size=n),
        "count": rng.integers(0, 5, n),
        "town": rng.choice(["x", "y", "z"], n),
    }
    return pl.DataFrame(data), pl.Series("target", y)


def make(cls):
    import inspect

    params = inspect.signature(cls).parameters
    extra = {"random_state": 0} if "random_state" in params else {}
    if cls is SMOTENC:
        extra["categorical_features"] = "auto"  # its 'auto' reads the polars dtypes too
    return cls(**extra)


@pytest.mark.parametrize("name_cls", all_samplers(), ids=lambda nc: nc[0])
def test_polars_round_trip_equals_pandas(name_cls):
    _, cls = name_cls
    X, y = frames()
    if cls is SMOTEN:
        X = X.select(["count", "town"])
    elif cls is not SMOTENC and cls.__name__ not in ("RandomOverSampler", "RandomUnderSampler"):
        X = X.select(["a", "b", "count"])
    X_res, y_res = make(cls).fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.columns == X.columns and X_res.schema == X.schema and y_res.name == "target"
    # the same rows as the pandas path
    X_pd, y_pd = make(cls).fit_resample(X.to_pandas(), y.to_pandas())
    pd.testing.assert_frame_equal(X_res.to_pandas(), X_pd, check_dtype=False)
    np.testing.assert_array_equal(y_res.to_numpy(), y_pd.to_numpy())


def test_numpy_y_stays_numpy_and_feature_names_are_kept():
    X, y = frames()
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X.select(["a", "b"]), y.to_numpy())
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, np.ndarray)
    assert list(sampler.feature_names_in_) == ["a", "b"]
    for cls in (RandomUnderSampler, SMOTEENN):
        X_res, y_res = make(cls).fit_resample(X.select(["a", "b"]), y)
        assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)


def test_a_one_column_polars_frame_y_comes_back_as_one():
    X, y = frames()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X.select(["a", "b"]), y.to_frame())
    assert isinstance(y_res, pl.DataFrame) and y_res.columns == ["target"]
    assert y_res.height == X_res.height
