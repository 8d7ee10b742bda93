"""Which features are categorical: ``categorical_features`` in every accepted form."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe_columns

__all__ = ["is_categorical_dtype", "resolve_categorical_features"]


def is_categorical_dtype(dtype: Any) -> bool:
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or isinstance(dtype, pd.StringDtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def resolve_categorical_features(spec: Any, X: Any, n_features: int, owner: str) -> np.ndarray:
    """Indices of the categorical features named by ``categorical_features``.

    Parameters
    ----------
    spec : "auto", array-like of int, of str, or of bool
        ``"auto"`` (pandas ``category``, ``object``, ``string`` and ``bool``
        columns of a DataFrame), positions (negative ones count from the end),
        column names (DataFrame only), or a boolean mask of length ``n_features``.
    X : object
        The input (its columns, if a DataFrame).
    n_features : int
        Number of features of X.
    owner : str
        Sampler name, for messages.

    Returns
    -------
    ndarray of int64, sorted

    Examples
    --------
    >>> import numpy as np
    >>> resolve_categorical_features([2, -1], np.zeros((3, 5)), 5, "SMOTENC")
    array([2, 4])
    """
    columns = X.columns if isinstance(X, pd.DataFrame) else None
    if isinstance(spec, str) and spec == "auto":
        if columns is None:
            raise ValueError(
                f"When categorical_features='auto', the input data should be a pandas.DataFrame: "
                f"{owner}(categorical_features='auto') needs a pandas DataFrame, whose "
                f"category, object, string and bool columns are taken as categorical; got "
                f"{type(X).__name__}. Pass the categorical columns' indices instead."
            )
        return np.flatnonzero([is_categorical_dtype(d) for d in X.dtypes]).astype(np.int64)
    if isinstance(spec, str | numbers.Integral) or np.ndim(spec) == 0:
        spec = [spec]
    items = list(spec)
    if not items:
        return np.empty(0, dtype=np.int64)
    if all(isinstance(v, bool | np.bool_) for v in items):
        if len(items) != n_features:
            raise ValueError(
                f"categorical_features as a boolean mask must have one entry per feature "
                f"({n_features}); got {len(items)}."
            )
        return np.flatnonzero(items).astype(np.int64)
    if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in items):
        index = np.asarray(items, dtype=np.int64)
        bad = index[(index < -n_features) | (index >= n_features)]
        if bad.size:
            raise ValueError(
                f"categorical_features has index(es) {describe_columns(bad.tolist())} out of "
                f"range: all features must be in [0, {n_features - 1}] (or, counted from the "
                f"end, down to {-n_features}) for X with {n_features} features."
            )
        index = np.where(index < 0, index + n_features, index)
    elif all(isinstance(v, str) for v in items):
        if columns is None:
            raise ValueError(
                f"categorical_features names columns ({describe_columns(items)}), which needs "
                f"a pandas DataFrame; got {type(X).__name__}. Pass indices instead."
            )
        unknown = [v for v in items if v not in columns]
        if unknown:
            raise ValueError(
                f"categorical_features names column(s) {describe_columns(unknown)} that X does "
                f"not have; X's columns are {describe_columns(list(columns), 10)}."
            )
        index = np.asarray([columns.get_loc(v) for v in items], dtype=np.int64)
    else:
        raise ValueError(
            "categorical_features must be 'auto', or a list of column indices, of column "
            f"names, or a boolean mask; got {spec!r}."
        )
    values, counts = np.unique(index, return_counts=True)
    if (counts > 1).any():
        raise ValueError(
            "categorical_features lists feature(s) "
            f"{describe_columns(values[counts > 1].tolist())} more than once."
        )
    return values
