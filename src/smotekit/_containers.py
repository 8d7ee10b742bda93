"""Remember the caller's containers and give results back in the same kind.

numpy in -> numpy out (float32 stays float32), list -> list, scipy sparse
(matrix or array, CSR/CSC/...) -> the same class and format, pandas DataFrame ->
DataFrame with the same column names and dtypes (integer and boolean columns
rounded back, since synthetic values fall between integers), pandas sparse
columns -> sparse columns; y as ndarray / list / Series / one-column DataFrame /
one-vs-all indicator matrix -> the same kind and dtype.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "InputKind",
    "TargetKind",
    "cast_column",
    "cast_values",
    "restore_X",
    "restore_y",
    "round_to_integers",
]


@dataclass
class InputKind:
    """How ``X`` arrived, enough to rebuild the same container."""

    kind: str  # "numpy" | "list" | "sparse" | "pandas" | "pandas-sparse" | "passthrough"
    dtype: np.dtype | None = None
    columns: pd.Index | None = None
    column_dtypes: list[Any] = field(default_factory=list)
    sparse_class: type | None = None
    sparse_format: str | None = None


@dataclass
class TargetKind:
    """How ``y`` arrived."""

    kind: str  # "numpy" | "list" | "series" | "frame" | "one-vs-all"
    dtype: np.dtype | None = None
    name: Any = None
    columns: pd.Index | None = None
    classes: np.ndarray | None = None


def restore_X(X_res: Any, spec: InputKind) -> Any:
    """Rebuild the caller's container from the resampled array ``X_res``."""
    if spec.kind == "passthrough":
        return X_res
    if spec.kind == "numpy":
        return X_res.astype(spec.dtype, copy=False) if spec.dtype is not None else X_res
    if spec.kind == "list":
        return np.asarray(X_res).tolist()
    if spec.kind == "sparse":
        out = sparse.csr_matrix(X_res) if not sparse.issparse(X_res) else X_res
        if spec.dtype is not None and np.dtype(spec.dtype).kind in "biu" and out.dtype.kind == "f":
            out = out.copy()
            out.data = cast_values(out.data, np.dtype(spec.dtype))
            out = out.astype(spec.dtype)
            out.eliminate_zeros()
        elif spec.dtype is not None and np.dtype(spec.dtype).kind == "f":
            out = out.astype(spec.dtype, copy=False)
        out = out.asformat(spec.sparse_format)
        if spec.sparse_class is not None and not isinstance(out, spec.sparse_class):
            out = spec.sparse_class(out)
        return out
    if spec.kind == "pandas-sparse":
        coo = sparse.coo_matrix(X_res)
        frame = pd.DataFrame.sparse.from_spmatrix(coo, columns=spec.columns)
        return frame.astype(dict(zip(spec.columns, spec.column_dtypes)))
    if spec.kind == "pandas":  # rows of the caller's own frame (synthetic frames: _output)
        return X_res
    raise AssertionError(f"unknown container kind {spec.kind!r}")


def cast_values(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Interpolated values in a numpy dtype: the one rounding rule of every container.

    Integers are rounded and clipped to the dtype's range (noise or rounding never
    wraps an int8 near 127 to a negative value); booleans are ``values >= 0.5``.

    Examples
    --------
    >>> cast_values(np.array([0.4, 0.6]), np.dtype(bool))
    array([False,  True])
    """
    if dtype.kind == "b":
        return values >= 0.5
    if dtype.kind in "iu":
        return round_to_integers(values, dtype)
    return values.astype(dtype, copy=False)


def cast_column(values: np.ndarray, dtype: Any) -> Any:
    """Cast one numeric column back to its original (numpy or pandas) dtype, as
    :func:`cast_values` does."""
    if isinstance(dtype, np.dtype):
        return cast_values(values, dtype)
    if pd.api.types.is_bool_dtype(dtype):
        return pd.array(values >= 0.5, dtype=dtype)
    if pd.api.types.is_integer_dtype(dtype):
        return pd.array(
            round_to_integers(values, np.dtype(getattr(dtype, "numpy_dtype", dtype))), dtype=dtype
        )
    return pd.array(values, dtype=dtype)


def round_to_integers(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``values`` rounded to the nearest integer and clipped to ``dtype``'s range.

    Examples
    --------
    >>> round_to_integers(np.array([126.7, 130.2, -3.5]), np.dtype(np.int8))
    array([127, 127,  -4], dtype=int8)
    """
    info = np.iinfo(dtype)
    return np.clip(np.rint(values), info.min, info.max).astype(dtype)


def restore_y(y_res: np.ndarray, spec: TargetKind) -> Any:
    """Rebuild the caller's target container from the resampled labels."""
    if spec.kind == "one-vs-all":
        return (y_res[:, None] == spec.classes[None, :]).astype(spec.dtype)
    if spec.kind == "numpy":
        return y_res.astype(spec.dtype, copy=False) if spec.dtype is not None else y_res
    if spec.kind == "list":
        return y_res.tolist()
    if spec.kind == "series":
        return pd.Series(y_res, name=spec.name).astype(spec.dtype)
    if spec.kind == "frame":
        return pd.DataFrame({spec.columns[0]: y_res}, columns=spec.columns).astype(
            {spec.columns[0]: spec.dtype}
        )
    raise AssertionError(f"unknown target kind {spec.kind!r}")
