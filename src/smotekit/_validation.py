"""Validate ``X`` and ``y`` once, at the public boundary, with errors that say what to do."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils.multiclass import type_of_target

from ._containers import InputKind, TargetKind

__all__ = ["check_numeric_X", "check_target", "describe_columns"]

_NUMERIC_HINT = (
    "use SMOTENC for mixed numeric and categorical features, SMOTEN for all-categorical "
    "features, or encode them as numbers first"
)


def check_target(
    y: Any, n_rows: int | None = None, *, min_classes: int = 2
) -> tuple[np.ndarray, TargetKind]:
    """Validate class labels and remember their container.

    Parameters
    ----------
    y : array-like, pandas Series / one-column DataFrame, or one-vs-all indicator
        The class labels.
    n_rows : int or None
        Number of rows of ``X``; a different length is an error.
    min_classes : int, default=2
        Fewer classes is an error (1 for one partition of a larger y).

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    kind : TargetKind
    """
    if y is None:
        raise ValueError(
            "This sampler requires y to be passed, but the target y is None: pass the class labels."
        )
    if isinstance(y, pd.Series):
        kind = TargetKind("series", dtype=y.dtype, name=y.name)
        labels = y.to_numpy()
    elif isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"y as a DataFrame must have exactly one column; got {y.shape[1]}. "
                "Multilabel and multioutput targets are not supported."
            )
        kind = TargetKind("frame", dtype=y.dtypes.iloc[0], columns=y.columns)
        labels = y.iloc[:, 0].to_numpy()
    else:
        kind = TargetKind("list" if isinstance(y, list | tuple) else "numpy")
        labels = np.asarray(y)
        if kind.kind == "numpy":
            kind.dtype = labels.dtype
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels.ravel()
        elif labels.ndim == 2:
            labels, kind = _one_vs_all_labels(labels)
        elif labels.ndim != 1:
            raise ValueError(f"y must be 1-D; got an array of shape {labels.shape}.")
    if n_rows is not None and labels.shape[0] != n_rows:
        raise ValueError(
            f"X and y have different lengths: X has {n_rows} rows but y has "
            f"{labels.shape[0]} labels."
        )
    if labels.dtype.kind == "f" and np.isnan(labels).any():
        raise ValueError(f"y contains {int(np.isnan(labels).sum())} NaN label(s); drop those rows.")
    if labels.dtype.kind == "O" and pd.isna(labels).any():
        n_missing = int(pd.isna(labels).sum())
        raise ValueError(f"y contains {n_missing} missing label(s); drop those rows.")
    target_type = type_of_target(labels, input_name="y")
    if target_type not in ("binary", "multiclass"):
        raise ValueError(
            f"Unknown label type: {target_type!r}. A sampler needs class labels "
            "(binary or multiclass), not continuous values; bin a regression target first."
        )
    if min_classes > 1 and np.unique(labels).size < 2:
        raise one_class_error(labels[0])
    return labels, kind


def one_class_error(label: Any) -> ValueError:
    """The error for a target with one class only."""
    return ValueError(
        "The target 'y' needs to have more than 1 class; got 1 class instead: "
        f"y has one class only ({_plain(label)!r}): a sampler needs at least two "
        "classes to balance."
    )


def _one_vs_all_labels(indicator: np.ndarray) -> tuple[np.ndarray, TargetKind]:
    is_indicator = np.isin(indicator, (0, 1)).all()
    if not is_indicator or not (indicator.sum(axis=1) == 1).all():
        raise ValueError(
            "Multilabel and multioutput targets are not supported: y must be 1-D class "
            f"labels (or a one-vs-all indicator with one 1 per row); got shape {indicator.shape}."
        )
    classes = np.arange(indicator.shape[1])
    kind = TargetKind("one-vs-all", dtype=indicator.dtype, classes=classes)
    return indicator.argmax(axis=1), kind


def _plain(value: Any) -> Any:
    """numpy scalars as Python scalars, so messages read ``1``, not ``np.int64(1)``."""
    return value.item() if isinstance(value, np.generic) else value


def describe_columns(columns: list[Any], limit: int = 5) -> str:
    """A short, quoted list of column names for error messages."""
    shown = ", ".join(repr(_plain(c)) for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def check_numeric_X(
    X: Any, sampler: str, *, accept_sparse: bool = True
) -> tuple[np.ndarray | sparse.csr_matrix, InputKind]:
    """Validate a numeric feature matrix and remember its container.

    Parameters
    ----------
    X : array-like, pandas DataFrame, or scipy sparse matrix/array
    sampler : str
        Name used in error messages.
    accept_sparse : bool
        Whether sparse input is accepted.

    Returns
    -------
    X : ndarray (float32 or float64) or scipy.sparse.csr_matrix
    kind : InputKind
    """
    if isinstance(X, pd.DataFrame):
        values, kind = _frame_values(X, sampler)
    elif sparse.issparse(X):
        if not accept_sparse:
            raise TypeError(f"{sampler} does not accept sparse X; pass X.toarray().")
        if X.dtype.kind == "c":
            raise ValueError(
                f"Complex data not supported: {sampler} needs real numeric features (the "
                "imaginary parts would be lost)."
            )
        kind = InputKind("sparse", dtype=X.dtype, sparse_class=type(X), sparse_format=X.format)
        dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
        values = sparse.csr_matrix(X, dtype=dtype)
        values.sum_duplicates()
    else:
        kind = InputKind("list" if isinstance(X, list | tuple) else "numpy")
        values = _dense_values(X, sampler)
        if kind.kind == "numpy":
            kind.dtype = values.dtype
    _check_shape(values, sampler)
    _check_finite(values, kind)
    return values, kind


def _dense_values(X: Any, sampler: str) -> np.ndarray:
    array = np.asarray(X)
    if array.dtype.kind in "OUSV":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(
                f"X contains non-numeric values (dtype {array.dtype}: {error}); {sampler} needs "
                f"numeric features: {_NUMERIC_HINT}."
            ) from None
    elif array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {sampler} needs real numeric features.")
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    return array


def _frame_values(X: pd.DataFrame, sampler: str) -> tuple[Any, InputKind]:
    dtypes = list(X.dtypes)
    if X.shape[1] and all(isinstance(d, pd.SparseDtype) for d in dtypes):
        kind = InputKind("pandas-sparse", columns=X.columns, column_dtypes=dtypes)
        values = sparse.csr_matrix(X.sparse.to_coo(), dtype=np.float64)
        return values, kind
    complex_columns = [c for c, d in zip(X.columns, dtypes) if pd.api.types.is_complex_dtype(d)]
    if complex_columns:
        raise ValueError(
            f"X has complex column(s) {describe_columns(complex_columns)}: {sampler} needs real "
            "numeric features (the imaginary parts would be lost); split them into real and "
            "imaginary columns first."
        )
    bad = [c for c, d in zip(X.columns, dtypes) if not _is_numeric_dtype(d)]
    if bad:
        kinds = sorted({str(X[c].dtype) for c in bad})
        raise ValueError(
            f"X has non-numeric column(s) {describe_columns(bad)} (dtype {', '.join(kinds)}); "
            f"{sampler} needs numeric features: {_NUMERIC_HINT}."
        )
    all_float32 = bool(dtypes) and all(d == np.float32 for d in dtypes)
    dtype = np.float32 if all_float32 else np.float64
    values = X.to_numpy(dtype=dtype, na_value=np.nan)
    kind = InputKind("pandas", columns=X.columns, column_dtypes=dtypes)
    return values, kind


def _is_numeric_dtype(dtype: Any) -> bool:
    if isinstance(dtype, pd.SparseDtype):
        dtype = dtype.subtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_complex_dtype(dtype):
        return False
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _check_shape(X: Any, sampler: str) -> None:
    if X.ndim == 1:
        raise ValueError(
            f"Expected a 2-D X (n_samples, n_features); got a 1-D array of shape {X.shape}. "
            "Reshape it with X.reshape(-1, 1) for a single feature, or X.reshape(1, -1) "
            "for a single sample."
        )
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D X (n_samples, n_features); got {X.ndim} dimensions, shape {X.shape}."
        )
    if X.shape[0] == 0:
        raise ValueError(f"X is empty (shape {X.shape}): {sampler} needs at least one row.")
    if X.shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")


def _check_finite(X: Any, kind: InputKind) -> None:
    data = X.data if sparse.issparse(X) else X
    finite = np.isfinite(data)
    if finite.all():
        return
    n_nan = int(np.isnan(data).sum())
    n_inf = int((~finite).sum()) - n_nan
    what = " and ".join(
        p for p in (f"{n_nan} NaN" if n_nan else "", f"{n_inf} infinite" if n_inf else "") if p
    )
    where = ""
    if not sparse.issparse(X):
        bad_columns = np.flatnonzero(~finite.all(axis=0))
        names = list(kind.columns[bad_columns]) if kind.columns is not None else list(bad_columns)
        where = f" in column(s) {describe_columns(names)}"
    raise ValueError(
        f"X contains {what} value(s){where}. Impute or drop them first, e.g. with "
        "sklearn.impute.SimpleImputer."
    )
