"""Validate X for the categorical samplers: code the categorical columns, check the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone

from .._containers import InputKind
from .._table import Table
from ._codes import column_label, encode_column, smallest_code_dtype
from ._features import resolve_categorical_features

__all__ = ["categorical_table", "fitted_default_encoder"]


def _as_array(X: Any) -> tuple[np.ndarray, str]:
    if isinstance(X, list | tuple):
        array = np.asarray(X)
        if array.dtype.kind in "US":
            array = np.asarray(X, dtype=object)
        return array, "list"
    return np.asarray(X), "numpy"


def _check_shape(shape: tuple[int, ...], owner: str) -> None:
    if len(shape) != 2:
        raise ValueError(
            f"Expected a 2-D X (n_samples, n_features); got {len(shape)} dimension(s), "
            f"shape {shape}."
        )
    if shape[0] == 0:
        raise ValueError(f"X is empty (shape {shape}): {owner} needs at least one row.")
    if shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={shape}) while a minimum of 1 is required.")


def _continuous_column(values: Any, name: Any, owner: str) -> np.ndarray:
    if pd.api.types.is_complex_dtype(getattr(values, "dtype", None)):
        raise ValueError(
            f"{column_label(name).capitalize()} is complex: {owner} needs real features (the "
            "imaginary parts would be lost); split it into real and imaginary columns first."
        )
    try:
        if isinstance(values, pd.Series) and pd.api.types.is_object_dtype(values.dtype):
            # e.g. pd.DataFrame(object_array): numeric-looking values are numbers
            values = pd.to_numeric(values, errors="raise")
        if isinstance(values, pd.Series):
            if not (
                pd.api.types.is_numeric_dtype(values.dtype)
                or pd.api.types.is_bool_dtype(values.dtype)
            ) or isinstance(values.dtype, pd.CategoricalDtype):
                raise TypeError
            dtype = np.float32 if values.dtype == np.float32 else np.float64
            column = values.to_numpy(dtype=dtype, na_value=np.nan)
        else:
            dtype = values.dtype if values.dtype in (np.float32, np.float64) else np.float64
            column = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError):
        dtype_name = getattr(values, "dtype", "object")
        raise ValueError(
            f"{column_label(name).capitalize()} (dtype {dtype_name}) is not numeric, so {owner} "
            "cannot interpolate it: list it in categorical_features (or use "
            "categorical_features='auto' with a DataFrame)."
        ) from None
    if not np.isfinite(column).all():
        n_bad = int((~np.isfinite(column)).sum())
        raise ValueError(
            f"Continuous {column_label(name)} contains {n_bad} NaN or infinite value(s). "
            "Impute or drop them first, e.g. with sklearn.impute.SimpleImputer."
        )
    return column


def categorical_table(
    X: Any,
    owner: str,
    categorical_spec: Any,
    *,
    missing_as_category: bool = False,
    encoder: Any = None,
) -> Table:
    """Validate ``X`` once: code its categorical columns, check its continuous ones.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_rows, n_features)
    owner : str
        Sampler name, for messages.
    categorical_spec : object
        ``categorical_features`` (see :func:`resolve_categorical_features`), or
        None for "every column".
    missing_as_category : bool, default=False
        Missing categorical values become a category of their own.
    encoder : estimator or None
        A ``categorical_encoder``: cloned, fitted on the categorical columns, and
        its ``categories_`` fix every column's category list.  Its
        ``transform`` is never called.

    Returns
    -------
    Table
        ``numeric`` holds the continuous features (float32 when all are), ``codes``
        the categorical ones.
    """
    if isinstance(X, pd.DataFrame):
        layout = InputKind("pandas", columns=X.columns, column_dtypes=list(X.dtypes))
        source = X
        n_rows, n_features = X.shape
        _check_shape(X.shape, owner)

        def column(j: int) -> Any:
            return X.iloc[:, j]

        names = list(X.columns)
    else:
        if sparse.issparse(X):
            layout = InputKind(
                "sparse", dtype=X.dtype, sparse_class=type(X), sparse_format=X.format
            )
            array = X.toarray()
        else:
            array, kind_name = _as_array(X)
            if array.dtype.kind == "c":
                raise ValueError(f"Complex data not supported: {owner} needs real features.")
            layout = InputKind(kind_name, dtype=array.dtype)
        _check_shape(array.shape, owner)
        n_rows, n_features = array.shape
        source = array

        def column(j: int) -> Any:
            return array[:, j]

        names = list(range(n_features))
    if categorical_spec is None:
        categorical = np.arange(n_features, dtype=np.int64)
    else:
        categorical = resolve_categorical_features(categorical_spec, X, n_features, owner)
    continuous = np.setdiff1d(np.arange(n_features, dtype=np.int64), categorical)
    categories, fitted_encoder = _encoder_categories(encoder, X, categorical, column)
    code_columns, codecs = [], []
    for f, j in enumerate(categorical):
        codes, codec = encode_column(
            column(j),
            names[j],
            owner,
            missing_as_category=missing_as_category,
            categories=None if categories is None else categories[f],
        )
        code_columns.append(codes)
        codecs.append(codec)
    dtype = smallest_code_dtype([c.n_levels for c in codecs])
    codes = np.empty((n_rows, len(codecs)), dtype=dtype)
    for f, column_codes in enumerate(code_columns):
        codes[:, f] = column_codes
    continuous_columns = [_continuous_column(column(j), names[j], owner) for j in continuous]
    numeric = _numeric_part(source, continuous, continuous_columns)
    return Table(
        numeric,
        continuous,
        layout,
        source,
        codes=codes,
        codecs=codecs,
        categorical_columns=categorical,
        encoder=fitted_encoder,
    )


def _encoder_categories(
    encoder: Any, X: Any, categorical: np.ndarray, column: Callable[[int], Any]
) -> tuple[list[np.ndarray] | None, Any]:
    if encoder is None or categorical.size == 0:
        return None, None
    fitted = clone(encoder)
    if isinstance(X, pd.DataFrame):
        fitted.fit(X.iloc[:, categorical])
    else:
        fitted.fit(np.column_stack([column(j) for j in categorical]))
    found = getattr(fitted, "categories_", None)
    if found is None or len(found) != categorical.size:
        raise ValueError(
            "categorical_encoder must have a categories_ attribute with one array per "
            f"categorical feature after fitting (like OneHotEncoder or OrdinalEncoder); "
            f"{type(encoder).__name__} does not."
        )
    return [np.asarray(c) for c in found], fitted


def _numeric_part(source: Any, continuous: np.ndarray, columns: list[np.ndarray]) -> np.ndarray:
    """The continuous features as one (n_rows, n_continuous) float matrix.

    A view of a float array when they are consecutive columns of it (no copy),
    else a new matrix (float32 when every continuous column is float32).
    """
    consecutive = continuous.size and np.array_equal(
        continuous, np.arange(continuous[0], continuous[0] + continuous.size)
    )
    if consecutive and isinstance(source, np.ndarray) and source.dtype in (np.float32, np.float64):
        return source[:, int(continuous[0]) : int(continuous[0]) + continuous.size]
    dtype = np.result_type(*[c.dtype for c in columns]) if columns else np.float64
    numeric = np.empty((source.shape[0], len(columns)), dtype=dtype)
    for f, values in enumerate(columns):
        numeric[:, f] = values
    return numeric


def fitted_default_encoder(encoder: Any, codecs: list[Any]) -> Any:
    """``encoder`` fitted on the categories of ``codecs`` (imbalanced-learn's default encoder).

    The encoder sees every category of every feature once (a few rows, whatever
    the size of the data), so its ``categories_`` are those of the data; smotekit
    never uses it to transform the data.  None when it cannot be fitted on these
    values (e.g. categories of mixed, unorderable types).

    Examples
    --------
    >>> from sklearn.preprocessing import OrdinalEncoder
    >>> from smotekit._categorical import encode_column
    >>> _, codec = encode_column(np.array(["b", "a", "b"], dtype=object), 0, "SMOTEN")
    >>> fitted_default_encoder(OrdinalEncoder(), [codec]).categories_
    [array(['a', 'b'], dtype=object)]
    """
    if not codecs:
        return None
    longest = max(codec.n_levels for codec in codecs)
    rows = np.empty((longest, len(codecs)), dtype=object)
    for f, codec in enumerate(codecs):
        values = np.asarray(codec.lookup, dtype=object)
        rows[:, f] = np.concatenate([values, np.repeat(values[:1], longest - values.size)])
    try:
        return encoder.fit(rows)
    except (TypeError, ValueError):
        return None
