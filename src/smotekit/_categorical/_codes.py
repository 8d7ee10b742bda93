"""Categorical columns as small integer codes, and codes back to the column's own values.

Every categorical column becomes one column of non-negative integer *codes*
(``0 .. n_levels - 1``); no one-hot matrix of the data is ever built.  A
:class:`ColumnCodec` turns codes back into the column's values (pandas
categories and dtypes included), so a synthetic row can only hold values that
occur in the data.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import describe_columns

__all__ = ["ColumnCodec", "column_label", "encode_column", "smallest_code_dtype"]


@dataclass
class ColumnCodec:
    """How one categorical column's values map to codes and back.

    Parameters
    ----------
    name : object
        The column's label (DataFrame) or position (arrays), for messages.
    lookup : ndarray of shape (n_levels,)
        ``lookup[code]`` is the value of ``code`` (the missing marker at
        ``missing_code`` when missing values are a category).
    missing_code : int or None
        Code of the missing values, or None when the column has none.
    category_codes : ndarray of int or None
        For a pandas ``category`` column: the pandas code of every code
        (``-1`` for missing).
    """

    name: Any
    lookup: np.ndarray
    missing_code: int | None = None
    category_codes: np.ndarray | None = None

    @property
    def n_levels(self) -> int:
        """Number of distinct codes."""
        return int(self.lookup.shape[0])

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """The column values of ``codes``."""
        return self.lookup[codes]


def column_label(name: Any) -> str:
    return f"column {name!r}" if not isinstance(name, numbers.Integral) else f"column {name}"


def _missing_error(name: Any, n_missing: int, owner: str) -> ValueError:
    return ValueError(
        f"Categorical {column_label(name)} contains {n_missing} missing value(s) (NaN/None). "
        f"{owner} cannot vote on a missing category: impute or drop those rows, or pass "
        "missing_as_category=True to treat missing as a category of its own."
    )


def _small_integer_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes of integer-valued numbers in a small range by one ``bincount`` (no sort)."""
    if values.size == 0:
        return None
    if values.dtype.kind == "f":
        if not np.isfinite(values).all() or np.abs(values).max() > 2.0**53:
            return None
        as_int = values.astype(np.int64)
        if not np.array_equal(as_int, values):
            return None
    else:
        as_int = values.astype(np.int64, copy=False)
    low, high = int(as_int.min()), int(as_int.max())
    if high - low > 1 << 20:
        return None
    shifted = (as_int - low).astype(np.intp, copy=False)
    seen = np.zeros(high - low + 1, dtype=bool)
    seen[shifted] = True
    rank = np.cumsum(seen) - 1
    uniques = (np.flatnonzero(seen) + low).astype(values.dtype)
    return rank[shifted], uniques


def _factorize(values: Any, name: Any, owner: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes (``-1`` for missing) and the sorted (when orderable) distinct values."""
    try:
        try:
            codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
        except TypeError:  # values that cannot be ordered (mixed types)
            codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    except TypeError as error:
        raise TypeError(
            f"Categorical {column_label(name)} holds a value that cannot be a category "
            f"({error}): the argument must be a string or a number (any hashable value)."
        ) from None
    uniques = np.asarray(uniques, dtype=object) if not isinstance(uniques, np.ndarray) else uniques
    return np.asarray(codes), uniques


def encode_column(
    values: Any,
    name: Any,
    owner: str,
    *,
    missing_as_category: bool = False,
    categories: Any = None,
) -> tuple[np.ndarray, ColumnCodec]:
    """Integer codes of one categorical column.

    Parameters
    ----------
    values : ndarray or pandas Series
        The column.
    name : object
        Its label, for messages.
    owner : str
        Sampler name, for messages.
    missing_as_category : bool, default=False
        Give missing values a code of their own instead of raising.
    categories : array-like or None
        A fixed category list (from a ``categorical_encoder``); values outside
        it are an error.  None: the distinct values of the column (sorted when
        they can be ordered; a pandas ``category`` column keeps its categories).

    Returns
    -------
    codes : ndarray of int64 of shape (n_rows,)
    codec : ColumnCodec

    Examples
    --------
    >>> import numpy as np
    >>> codes, codec = encode_column(np.array(["b", "a", "b"], dtype=object), 0, "SMOTEN")
    >>> codes, codec.lookup
    (array([1, 0, 1]), array(['a', 'b'], dtype=object))
    """
    is_category = isinstance(getattr(values, "dtype", None), pd.CategoricalDtype)
    if isinstance(values, pd.Series) and isinstance(values.dtype, np.dtype):
        values = values.to_numpy()
    category_codes = None
    if categories is not None:
        lookup = np.asarray(categories)
        missing = np.asarray(pd.isna(values))
        if missing.any() and lookup.dtype.kind in "fO":
            lookup = lookup[~np.asarray(pd.isna(lookup))]
        codes = np.asarray(pd.Index(lookup).get_indexer(values))
        unknown = (codes < 0) & ~missing
        if unknown.any():
            bad = pd.unique(np.asarray(values, dtype=object)[unknown])
            raise ValueError(
                f"Categorical {column_label(name)} has value(s) {describe_columns(list(bad))} "
                "that are not among the categories of the categorical_encoder; fit it on "
                "data that holds every category, or pass categorical_encoder=None."
            )
        if is_category:
            category_codes = values.cat.categories.get_indexer(lookup)
    elif is_category:
        codes = values.cat.codes.to_numpy().astype(np.int64)
        lookup = np.asarray(values.cat.categories, dtype=object)
        category_codes = np.arange(lookup.shape[0], dtype=np.int64)
    elif isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        missing_rows = np.isnan(values) if values.dtype.kind == "f" else None
        if values.dtype.kind == "f" and np.isinf(values).any():
            raise ValueError(
                f"Categorical {column_label(name)} contains {int(np.isinf(values).sum())} "
                "infinite value(s); replace them (or the column's encoding) first."
            )
        present = values if missing_rows is None else values[~missing_rows]
        found = _small_integer_codes(present)
        if found is None:
            lookup, codes_present = np.unique(present, return_inverse=True)
        else:
            codes_present, lookup = found
        if missing_rows is not None and missing_rows.any():
            codes = np.full(values.shape[0], -1, dtype=np.int64)
            codes[~missing_rows] = codes_present
        else:
            codes = np.asarray(codes_present, dtype=np.int64)
    else:
        codes, lookup = _factorize(values, name, owner)
    missing = codes < 0
    missing_code = None
    if missing.any():
        if not missing_as_category:
            raise _missing_error(name, int(missing.sum()), owner)
        missing_code = int(lookup.shape[0])
        first = int(np.argmax(missing))
        marker = values.iloc[first] if isinstance(values, pd.Series) else values[first]
        if lookup.dtype.kind not in "fO":
            lookup = lookup.astype(object)
        lookup = np.append(lookup, np.asarray([marker], dtype=lookup.dtype))
        codes = np.where(missing, missing_code, codes)
        if category_codes is not None:
            category_codes = np.append(category_codes, -1)
    return codes, ColumnCodec(name, lookup, missing_code, category_codes)


def smallest_code_dtype(n_levels: list[int]) -> np.dtype:
    top = max(n_levels, default=1)
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)
