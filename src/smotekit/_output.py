"""Turn recipes into the caller's container: original rows first, then the new rows.

One path for every sampler: numeric features come from the one interpolation
kernel (:mod:`smotekit._interpolate`) in the dtype of the table's numeric part,
categorical features from the voted codes, and the original rows are copied from
the caller's own data, so they come back unchanged.  Row-subset samplers
(under-samplers, cleaners, random over-sampling without noise) take rows of
the caller's data instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from ._containers import InputKind, cast_column, cast_values, restore_X
from ._interpolate import (
    copy_rows_into,
    interpolate_dense_into,
    interpolate_sparse,
    needs_wide_arithmetic,
)
from ._recipe import SyntheticBatch
from ._table import Table
from ._threads import effective_n_jobs

__all__ = ["passthrough_rows", "synthesize", "synthetic_labels", "take_rows"]

# Bytes of one row-major block of synthetic rows assembled before it is copied out.
_OUTPUT_BLOCK_BYTES = 1 << 20


def synthetic_labels(y: np.ndarray, batches: list[SyntheticBatch]) -> np.ndarray:
    """``y`` followed by the label of every synthetic row."""
    labels = [np.full(b.size, b.label, dtype=y.dtype) for b in batches]
    return np.concatenate([y, *labels]) if labels else y.copy()


def synthesize(
    table: Table,
    batches: list[SyntheticBatch],
    n_jobs: int | None = None,
    *,
    include_original: bool = True,
    wide: bool | None = None,
) -> Any:
    """The original rows, then every batch's synthetic rows, in the caller's container.

    Parameters
    ----------
    table : Table
        The validated input.
    batches : list of SyntheticBatch
        Recipes, in output order.
    n_jobs : int or None
        Threads for copies and interpolation; the result does not depend on it.
    include_original : bool, default=True
        False: the synthetic rows only (an engine that keeps the original rows
        where they are, such as :mod:`smotekit.dask`, asks for these; dense
        data only).
    wide : bool or None
        Interpolate in wider arithmetic (data near the dtype's overflow); None
        decides from the rows gathered from, as the in-memory path does.

    Returns
    -------
    The caller's container (ndarray, list, sparse matrix or DataFrame).
    """
    threads = effective_n_jobs(n_jobs)
    if table.is_sparse and include_original:
        numeric = table.numeric
        parts = [numeric] + [
            interpolate_sparse(numeric, b.seed_rows(), b.neighbor_rows(), b.gaps, noise=b.noise)
            for b in batches
        ]
        return restore_X(sparse.vstack(parts, format="csr"), table.layout)
    if table.layout.kind == "pandas":
        return _frame(table, batches, threads, include_original, wide)
    out = _array(table, batches, threads, include_original, wide)
    if table.layout.kind == "list":
        return out.tolist()
    if table.layout.kind == "sparse":
        return restore_X(out, table.layout)
    return out


def _gather_source(
    table: Table, batch: SyntheticBatch, wide: bool | None = None
) -> tuple[np.ndarray, Any, Any, bool]:
    """The rows to gather from and the batch's indices into them.

    Interpolation gathers two rows per new row.  For a class-local batch the
    gathers read a compact, C-ordered copy of the class's rows (a few MB that
    stay in cache, whatever the layout of the data) instead of rows scattered
    over all of X.
    """
    numeric = table.numeric
    if batch.neighbor_space == "class" or batch.neighbors is None:
        source = np.ascontiguousarray(numeric[batch.rows])
        seeds, neighbors = batch.seeds, batch.neighbors
    else:
        source = np.ascontiguousarray(numeric)
        seeds, neighbors = batch.seed_rows(), batch.neighbor_rows()
    if wide is None:
        wide = needs_wide_arithmetic(source)
    return source, seeds, neighbors, neighbors is not None and wide


def _numeric_block(
    source: np.ndarray,
    batch: SyntheticBatch,
    seeds: Any,
    neighbors: Any,
    wide: bool,
    first: int,
    last: int,
) -> np.ndarray:
    """Interpolated numeric features of the batch's rows ``first:last``."""
    out = np.empty((last - first, source.shape[1]), dtype=source.dtype)
    interpolate_dense_into(
        source,
        seeds[first:last],
        None if neighbors is None else neighbors[first:last],
        None if batch.gaps is None else batch.gaps[first:last],
        out,
        noise=None if batch.noise is None else batch.noise[first:last],
        wide=wide,
    )
    return out


def _as_slice(index: np.ndarray) -> slice | np.ndarray:
    """A slice for consecutive indices (cheaper to assign through), else the indices."""
    if index.size and np.array_equal(index, np.arange(index[0], index[0] + index.size)):
        return slice(int(index[0]), int(index[0]) + index.size)
    return index


def _array(
    table: Table,
    batches: list[SyntheticBatch],
    threads: int,
    include_original: bool = True,
    wide: bool | None = None,
) -> np.ndarray:
    source = table.source
    dtype = source.dtype
    if table.numeric_columns.size and dtype.kind in "US":
        dtype = np.dtype(object)
    n_features = table.n_features
    n_rows = table.n_rows if include_original else 0
    out = np.empty((n_rows + sum(b.size for b in batches), n_features), dtype=dtype)
    if include_original and dtype == source.dtype:
        copy_rows_into(source, out[:n_rows], threads)
    elif include_original:
        out[:n_rows] = source
    direct = table.categorical_columns.size == 0 and dtype == table.numeric.dtype
    numeric_columns = _as_slice(table.numeric_columns)
    step = max(1, _OUTPUT_BLOCK_BYTES // max(1, n_features * out.itemsize))
    start = n_rows
    for batch in batches:
        source, seeds, neighbors, wide_rows = _gather_source(table, batch, wide)
        if direct:
            interpolate_dense_into(
                source,
                seeds,
                neighbors,
                batch.gaps,
                out[start : start + batch.size],
                threads,
                noise=batch.noise,
                wide=wide_rows,
            )
            start += batch.size
            continue
        for first in range(0, batch.size, step):
            last = min(first + step, batch.size)
            block = out[start + first : start + last]
            if table.numeric_columns.size:
                values = _numeric_block(source, batch, seeds, neighbors, wide_rows, first, last)
                block[:, numeric_columns] = (
                    cast_values(values, dtype) if dtype.kind in "biu" else values
                )
            for f, j in enumerate(table.categorical_columns):
                block[:, j] = table.codecs[f].decode(batch.codes[f, first:last])
        start += batch.size
    return out


def _frame(
    table: Table,
    batches: list[SyntheticBatch],
    threads: int,
    include_original: bool = True,
    wide: bool | None = None,
) -> pd.DataFrame:
    X = table.source
    n_numeric = table.numeric_columns.size
    new_numeric = []
    for b in batches if n_numeric else []:
        source, seeds, neighbors, wide_rows = _gather_source(table, b, wide)
        new_numeric.append(_numeric_block(source, b, seeds, neighbors, wide_rows, 0, b.size))
    numeric = (
        np.concatenate(new_numeric)
        if new_numeric
        else np.empty((0, n_numeric), dtype=table.numeric.dtype)
    )
    role = dict.fromkeys(range(table.n_features), None)
    role.update({int(j): ("numeric", f) for f, j in enumerate(table.numeric_columns)})
    role.update({int(j): ("categorical", f) for f, j in enumerate(table.categorical_columns)})
    columns = {}
    for j in range(table.n_features):
        original = X.iloc[:, j]
        dtype = original.dtype
        kind, f = role[j]
        if kind == "numeric":
            new = cast_column(numeric[:, f], dtype)
            columns[j] = _joined(original, new) if include_original else _alone(new, dtype)
            continue
        codec = table.codecs[f]
        codes = (
            np.concatenate([b.codes[f] for b in batches]).astype(np.int64)
            if batches
            else np.empty(0, dtype=np.int64)
        )
        if codec.category_codes is not None:
            old = table.codes[:, f].astype(np.int64) if include_original else codes[:0]
            all_codes = codec.category_codes[np.concatenate([old, codes])]
            columns[j] = pd.Categorical.from_codes(all_codes, dtype=dtype)
        else:
            new = pd.Series(codec.decode(codes), dtype=dtype)
            columns[j] = _joined(original, new) if include_original else new
    frame = pd.DataFrame(columns, copy=False)
    frame.columns = X.columns
    return frame


def _alone(new: Any, dtype: Any) -> Any:
    """New values of one column, in the column's dtype."""
    if isinstance(dtype, np.dtype) and not isinstance(new, pd.Series):
        return np.asarray(new, dtype=dtype)
    return new if isinstance(new, pd.Series) else pd.Series(new, dtype=dtype)


def _joined(original: pd.Series, new: Any) -> Any:
    """An original column followed by its new values, in the column's dtype."""
    if isinstance(original.dtype, np.dtype) and not isinstance(new, pd.Series):
        return np.concatenate([original.to_numpy(), np.asarray(new, dtype=original.dtype)])
    added = new if isinstance(new, pd.Series) else pd.Series(new, dtype=original.dtype)
    return pd.concat([original.reset_index(drop=True), added], ignore_index=True)


# ------------------------------------------------------------------- row subsets
def passthrough_rows(X: Any, owner: str) -> tuple[Any, InputKind]:
    """Accept any 2-D row container (copies and subsets need no numeric features).

    Returns
    -------
    data : ndarray, DataFrame or sparse matrix
    kind : InputKind
        ``"passthrough"`` (or ``"list"``): rows are given back in X's own container.
    """
    if isinstance(X, pd.DataFrame) or sparse.issparse(X):
        data = X
    elif isinstance(X, list | tuple):
        # An object array keeps every value as given (numpy would turn the ints of a
        # mixed int/str list into strings); .tolist() gives them back unchanged.
        data = np.empty((len(X), len(X[0]) if len(X) else 0), dtype=object)
        try:
            data[:] = X
        except ValueError:
            data = np.asarray(X, dtype=object)
    else:
        data = np.asarray(X) if not isinstance(X, np.ndarray) else X
        if data.ndim != 2:
            raise ValueError(f"Expected a 2-D X (n_samples, n_features); got shape {data.shape}.")
    if data.shape[0] == 0:
        raise ValueError(f"X is empty: {owner} needs at least one row.")
    if data.shape[1] == 0:
        raise ValueError(
            f"X has 0 feature(s) (shape={data.shape}) while a minimum of 1 is required."
        )
    kind = "list" if isinstance(X, list | tuple) else "passthrough"
    return data, InputKind(kind)


def take_rows(X: Any, indices: np.ndarray) -> Any:
    """Rows ``indices`` of X, in X's container (a DataFrame gets a fresh RangeIndex)."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[indices].reset_index(drop=True)
    if sparse.issparse(X):
        return X.tocsr()[indices].asformat(X.format)
    if X.dtype.hasobject:
        return np.take(X, indices, axis=0)
    out = np.empty((indices.size, *X.shape[1:]), dtype=X.dtype)
    np.take(X, indices, axis=0, out=out, mode="clip")  # "raise" would buffer ``out``
    return out
