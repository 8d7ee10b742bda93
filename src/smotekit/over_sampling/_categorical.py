"""Categorical columns kept as integer codes: detection, coding, votes, output, exact search.

Shared by :class:`~smotekit.SMOTENC` and :class:`~smotekit.SMOTEN`.  Every
categorical column becomes one column of small non-negative integer *codes*
(``0 .. n_levels - 1``); no one-hot matrix of the data is ever built.  A
:class:`ColumnCodec` turns codes back into the column's own values (pandas
categories and dtypes included), so a synthetic row can only hold values that
occur in the data.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone

from .._containers import InputKind, _cast_column, restore_X
from .._interpolate import copy_rows_into
from .._validation import describe_columns
from ..neighbors._exact import effective_n_jobs

__all__ = [
    "CategoricalBatch",
    "ColumnCodec",
    "EncodedTable",
    "OutputSpec",
    "Resampled",
    "blocked_knn",
    "build_output",
    "categorical_provenance",
    "check_encoder",
    "check_flag",
    "read_table",
    "resolve_categorical_features",
    "vote_modes",
]

# Voter cells per chunk of the vote kernel (bounds its temporaries to a few MB).
_VOTE_CHUNK_CELLS = 1 << 22
# Bytes of one row-major block of synthetic rows assembled before it is copied out.
_OUTPUT_BLOCK_BYTES = 1 << 20
# Working-memory budget of the blocked exact searches, in bytes.
_BLOCK_BYTES = 32 * 2**20


# ---------------------------------------------------------------------- parameters
def check_flag(value: Any, name: str, owner: str) -> None:
    """The standard error unless ``value`` is a bool."""
    if not isinstance(value, bool | np.bool_):
        raise ValueError(
            f"The {name!r} parameter of {owner} must be a bool. Got {value!r} instead."
        )


def check_encoder(value: Any, owner: str) -> None:
    """The standard error unless ``value`` is None or has a ``fit`` method."""
    if value is not None and not hasattr(value, "fit"):
        raise ValueError(
            f"The 'categorical_encoder' parameter of {owner} must be None or an estimator with "
            f"fit and categories_ (such as OneHotEncoder or OrdinalEncoder). Got {value!r} "
            "instead."
        )


# --------------------------------------------------------------------------- codes
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


def _column_label(name: Any) -> str:
    return f"column {name!r}" if not isinstance(name, numbers.Integral) else f"column {name}"


def _missing_error(name: Any, n_missing: int, owner: str) -> ValueError:
    return ValueError(
        f"Categorical {_column_label(name)} contains {n_missing} missing value(s) (NaN/None). "
        f"{owner} cannot vote on a missing category: impute or drop those rows, or pass "
        "missing_as_category=True to treat missing as a category of its own."
    )


def _small_integer_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes of integer-valued numbers in a small range by one ``bincount`` (no sort)."""
    if values.size == 0:
        return None
    if values.dtype.kind == "f":
        if not np.isfinite(values).all():
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
            f"Categorical {_column_label(name)} holds a value that cannot be a category "
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
                f"Categorical {_column_label(name)} has value(s) {describe_columns(list(bad))} "
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
                f"Categorical {_column_label(name)} contains {int(np.isinf(values).sum())} "
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


def _smallest_code_dtype(n_levels: list[int]) -> np.dtype:
    top = max(n_levels, default=1)
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


# ------------------------------------------------------------------ feature choice
def _is_categorical_dtype(dtype: Any) -> bool:
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
                f"{owner}(categorical_features='auto') needs a pandas DataFrame, whose "
                f"category, object, string and bool columns are taken as categorical; got "
                f"{type(X).__name__}. Pass the categorical columns' indices instead."
            )
        return np.flatnonzero([_is_categorical_dtype(d) for d in X.dtypes]).astype(np.int64)
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
                f"range for X with {n_features} features (valid: {-n_features} to "
                f"{n_features - 1})."
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


# --------------------------------------------------------------------------- table
@dataclass
class EncodedTable:
    """The validated input of a categorical sampler.

    Attributes
    ----------
    shape : tuple of int
        ``(n_rows, n_features)`` of X.
    categorical, continuous : ndarray of int64
        Feature indices of each kind.
    codes : ndarray of shape (n_rows, n_categorical), unsigned int
        One code column per categorical feature.
    codecs : list of ColumnCodec
    continuous_columns : list of ndarray
        The continuous features as float arrays (views where possible).
    encoder : estimator or None
        The fitted clone of the ``categorical_encoder``, if one was given.
    """

    shape: tuple[int, int]
    categorical: np.ndarray
    continuous: np.ndarray
    codes: np.ndarray
    codecs: list[ColumnCodec]
    continuous_columns: list[np.ndarray] = field(default_factory=list)
    encoder: Any = None

    @property
    def n_levels(self) -> list[int]:
        """Number of codes of every categorical feature."""
        return [c.n_levels for c in self.codecs]

    def continuous_rows(self, rows: np.ndarray) -> np.ndarray:
        """The continuous features of ``rows``, shape (m, n_continuous)."""
        dtype = np.result_type(*[c.dtype for c in self.continuous_columns])
        out = np.empty((rows.shape[0], len(self.continuous_columns)), dtype=dtype)
        for j, column in enumerate(self.continuous_columns):
            out[:, j] = column[rows]
        return out


@dataclass
class OutputSpec:
    """How X arrived: enough to give the resampled data back the same way."""

    kind: str  # "numpy" | "list" | "sparse" | "pandas"
    source: Any
    dtype: Any = None
    sparse_kind: InputKind | None = None


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
    try:
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
            f"{_column_label(name).capitalize()} (dtype {dtype_name}) is not numeric, so {owner} "
            "cannot interpolate it: list it in categorical_features (or use "
            "categorical_features='auto' with a DataFrame)."
        ) from None
    if not np.isfinite(column).all():
        n_bad = int((~np.isfinite(column)).sum())
        raise ValueError(
            f"Continuous {_column_label(name)} contains {n_bad} NaN or infinite value(s). "
            "Impute or drop them first, e.g. with sklearn.impute.SimpleImputer."
        )
    return column


def read_table(
    X: Any,
    owner: str,
    categorical_spec: Any,
    *,
    missing_as_category: bool = False,
    encoder: Any = None,
) -> tuple[EncodedTable, OutputSpec]:
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
    table : EncodedTable
    spec : OutputSpec
    """
    if isinstance(X, pd.DataFrame):
        spec = OutputSpec("pandas", X)
        n_rows, n_features = X.shape
        _check_shape(X.shape, owner)

        def column(j: int) -> Any:
            return X.iloc[:, j]

        names = list(X.columns)
    else:
        if sparse.issparse(X):
            kind = InputKind("sparse", dtype=X.dtype, sparse_class=type(X), sparse_format=X.format)
            array = X.toarray()
            spec = OutputSpec("sparse", array, array.dtype, kind)
        else:
            array, kind_name = _as_array(X)
            if array.dtype.kind == "c":
                raise ValueError(f"Complex data not supported: {owner} needs real features.")
            spec = OutputSpec(kind_name, array, array.dtype)
        _check_shape(array.shape, owner)
        n_rows, n_features = array.shape

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
    dtype = _smallest_code_dtype([c.n_levels for c in codecs])
    codes = np.empty((n_rows, len(codecs)), dtype=dtype)
    for f, column_codes in enumerate(code_columns):
        codes[:, f] = column_codes
    continuous_columns = [_continuous_column(column(j), names[j], owner) for j in continuous]
    table = EncodedTable(
        (int(n_rows), int(n_features)),
        categorical,
        continuous,
        codes,
        codecs,
        continuous_columns,
        fitted_encoder,
    )
    return table, spec


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


# --------------------------------------------------------------------------- votes
def _mode_pairwise(gathered: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Most frequent value of every column of ``gathered`` (voters x rows).

    Every voter counts the voters that agree with it; among the voters with the
    highest count, the ``floor(u * n_tied)``-th is taken.  Each tied value has
    the same number of such voters, so each is equally likely.
    """
    n_voters, n_rows = gathered.shape
    if n_voters == 1:
        return gathered[0].copy()
    dtype = np.int8 if n_voters < 127 else np.int32
    counts = np.ones((n_voters, n_rows), dtype=dtype)
    for a in range(n_voters):
        for b in range(a + 1, n_voters):
            same = gathered[a] == gathered[b]
            counts[a] += same
            counts[b] += same
    tied = counts == counts.max(axis=0)
    target = (u * tied.sum(axis=0)).astype(dtype)
    seen = np.zeros(n_rows, dtype=dtype)
    out = gathered[0].copy()
    for a in range(n_voters):
        np.copyto(out, gathered[a], where=tied[a] & (seen == target))
        seen += tied[a]
    return out


def _mode_counting(gathered: np.ndarray, n_levels: int, u: np.ndarray) -> np.ndarray:
    """As :func:`_mode_pairwise`, by counting every level (for many voters, few levels)."""
    n_rows = gathered.shape[1]
    flat = (gathered.astype(np.int64) + (np.arange(n_rows) * n_levels)).ravel()
    counts = np.bincount(flat, minlength=n_rows * n_levels).reshape(n_rows, n_levels)
    tied = counts == counts.max(axis=1, keepdims=True)
    target = (u * tied.sum(axis=1)).astype(np.int64)
    level = np.argmax(np.cumsum(tied, axis=1) > target[:, None], axis=1)
    return level.astype(gathered.dtype)


def vote_modes(
    class_codes: np.ndarray, voters: np.ndarray, n_levels: list[int], rng: np.random.Generator
) -> np.ndarray:
    """Per feature, the most frequent code among each synthetic row's voters.

    Parameters
    ----------
    class_codes : ndarray of shape (m, n_categorical)
        Codes of the class's rows.
    voters : ndarray of int of shape (n_voters, n_new)
        For every synthetic row (column), the class-local rows that vote.
    n_levels : list of int
        Number of codes of every feature.
    rng : numpy.random.Generator
        Breaks ties: among the most frequent values, each is equally likely.
        One ``rng.random(n_new)`` draw per feature, in feature order.

    Returns
    -------
    ndarray of shape (n_categorical, n_new), dtype of ``class_codes``

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[0], [1], [1], [2]], dtype=np.uint8)
    >>> voters = np.array([[1, 2, 3], [0, 1, 2]]).T
    >>> vote_modes(codes, voters, [3], np.random.default_rng(0))
    array([[1, 1]], dtype=uint8)
    """
    n_voters, n_new = voters.shape
    out = np.empty((class_codes.shape[1], n_new), dtype=class_codes.dtype)
    chunk = max(1, _VOTE_CHUNK_CELLS // max(n_voters, 1))
    for f in range(class_codes.shape[1]):
        u = rng.random(n_new)
        column = np.ascontiguousarray(class_codes[:, f])
        counting = n_voters * (n_voters - 1) // 2 > 8 * n_levels[f] + 64
        for start in range(0, n_new, chunk):
            stop = min(start + chunk, n_new)
            gathered = column[voters[:, start:stop]]
            if counting:
                out[f, start:stop] = _mode_counting(gathered, n_levels[f], u[start:stop])
            else:
                out[f, start:stop] = _mode_pairwise(gathered, u[start:stop])
    return out


# -------------------------------------------------------------------------- output
@dataclass
class CategoricalBatch:
    """The recipe of one class's synthetic rows (indices local to ``rows``).

    Continuous features of row ``i`` are ``c[seeds[i]] + gaps[i] *
    (c[neighbors[i]] - c[seeds[i]])`` with ``c = continuous``; categorical
    feature ``f`` has code ``codes[f, i]``, voted by the rows ``voters[:, i]``.
    """

    label: Any
    rows: np.ndarray
    seeds: np.ndarray
    voters: np.ndarray
    codes: np.ndarray
    neighbors: np.ndarray | None = None
    gaps: np.ndarray | None = None
    continuous: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of synthetic rows."""
        return int(self.seeds.shape[0])

    def continuous_block(self, start: int, stop: int) -> np.ndarray:
        """Interpolated continuous features of synthetic rows ``start:stop``."""
        base = self.continuous[self.seeds[start:stop]]
        step = self.continuous[self.neighbors[start:stop]]
        step -= base
        step *= self.gaps[start:stop, None].astype(base.dtype, copy=False)
        base += step
        return base

    def continuous_values(self, j: int) -> np.ndarray:
        """Interpolated values of the ``j``-th continuous feature, float64."""
        column = self.continuous[:, j].astype(np.float64)
        start = column[self.seeds]
        start += self.gaps * (column[self.neighbors] - start)
        return start


@dataclass
class Resampled:
    """What a categorical sampler's ``_fit_resample`` hands to its ``_restore_X``."""

    table: EncodedTable
    batches: list[CategoricalBatch]


def categorical_provenance(batches: list[CategoricalBatch], label_dtype: Any) -> pd.DataFrame:
    """Provenance table: ``label, seed, neighbor, gap, voter_0 .. voter_{V-1}``.

    ``neighbor`` is -1 and ``gap`` NaN for rows made by voting only (SMOTEN).
    """
    n_voters = max((b.voters.shape[0] for b in batches), default=0)

    def join(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        if not parts:
            return np.empty(0, dtype=dtype)
        return np.concatenate(parts).astype(dtype, copy=False)

    data = {
        "label": join([np.full(b.size, b.label) for b in batches], label_dtype),
        "seed": join([b.rows[b.seeds] for b in batches], np.int64),
        "neighbor": join(
            [
                b.rows[b.neighbors] if b.neighbors is not None else np.full(b.size, -1)
                for b in batches
            ],
            np.int64,
        ),
        "gap": join(
            [b.gaps if b.gaps is not None else np.full(b.size, np.nan) for b in batches], np.float64
        ),
    }
    for v in range(n_voters):
        data[f"voter_{v}"] = join([b.rows[b.voters[v]] for b in batches], np.int64)
    return pd.DataFrame(data, copy=False)


def _as_slice(index: np.ndarray) -> slice | np.ndarray:
    """A slice for consecutive indices (cheaper to assign through), else the indices."""
    if index.size and np.array_equal(index, np.arange(index[0], index[0] + index.size)):
        return slice(int(index[0]), int(index[0]) + index.size)
    return index


def _numeric_cast(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype.kind == "b":
        return values >= 0.5
    if dtype.kind in "iu":
        return np.rint(values).astype(dtype)
    return values.astype(dtype, copy=False)


def build_output(
    table: EncodedTable, spec: OutputSpec, batches: list[CategoricalBatch], n_jobs: int | None
) -> Any:
    """Original rows, then every batch's synthetic rows, in the caller's container."""
    if spec.kind == "pandas":
        return _build_frame(table, spec.source, batches)
    source = spec.source
    dtype = source.dtype
    if table.continuous.size and dtype.kind in "US":
        dtype = np.dtype(object)
    n_rows, n_features = table.shape
    n_new = sum(b.size for b in batches)
    out = np.empty((n_rows + n_new, n_features), dtype=dtype)
    if dtype == source.dtype:
        copy_rows_into(source, out[:n_rows], effective_n_jobs(n_jobs))
    else:
        out[:n_rows] = source
    step = max(1, _OUTPUT_BLOCK_BYTES // max(1, n_features * out.itemsize))
    continuous = _as_slice(table.continuous)
    start = n_rows
    for batch in batches:
        for first in range(0, batch.size, step):
            last = min(first + step, batch.size)
            block = out[start + first : start + last]
            if table.continuous.size:
                values = batch.continuous_block(first, last)
                block[:, continuous] = (
                    _numeric_cast(values, dtype) if dtype.kind in "biu" else values
                )
            for f, j in enumerate(table.categorical):
                block[:, j] = table.codecs[f].decode(batch.codes[f, first:last])
        start += batch.size
    if spec.kind == "list":
        return out.tolist()
    if spec.kind == "sparse":
        return restore_X(out, spec.sparse_kind)
    return out


def _build_frame(table: EncodedTable, X: pd.DataFrame, batches: list[CategoricalBatch]) -> Any:
    kinds = dict.fromkeys(table.continuous.tolist(), "continuous")
    kinds.update({j: f for f, j in enumerate(table.categorical.tolist())})
    columns = []
    for j in range(table.shape[1]):
        original = X.iloc[:, j].reset_index(drop=True)
        dtype = original.dtype
        role = kinds[j]
        if role == "continuous":
            jj = int(np.searchsorted(table.continuous, j))
            parts = [b.continuous_values(jj) for b in batches]
            new = _cast_column(np.concatenate(parts) if parts else np.empty(0), dtype)
        else:
            codec = table.codecs[role]
            codes = np.concatenate([b.codes[role] for b in batches]) if batches else []
            codes = np.asarray(codes, dtype=np.int64)
            if codec.category_codes is not None:
                old = table.codes[:, role].astype(np.int64)
                all_codes = codec.category_codes[np.concatenate([old, codes])]
                columns.append(pd.Categorical.from_codes(all_codes, dtype=dtype))
                continue
            new = codec.decode(codes)
        added = pd.Series(new, dtype=dtype) if not isinstance(new, pd.Series) else new
        columns.append(pd.concat([original, added], ignore_index=True))
    frame = pd.concat([pd.Series(c) for c in columns], axis=1, ignore_index=True)
    frame.columns = X.columns
    return frame


# ----------------------------------------------------------------- exact search
def blocked_knn(
    n_rows: int,
    k: int,
    block_distances: Callable[[int, int], np.ndarray],
    pair_distances: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    margin: Callable[[int, int], np.ndarray] | None = None,
    bytes_per_row: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest rows of every row among all others, by blocks of queries.

    Parameters
    ----------
    n_rows : int
        Number of rows (queries and candidates are the same rows).
    k : int
        Neighbours per row (self excluded by index).
    block_distances : callable ``(start, stop) -> ndarray (stop - start, n_rows)``
        Squared distances of query rows ``start:stop`` to every row, possibly
        rounded (by at most ``margin``).
    pair_distances : callable ``(queries, rows) -> ndarray``
        The exact squared distances of the given pairs (the canonical value).
    margin : callable ``(start, stop) -> ndarray`` or None
        Per-query bound on the rounding of ``block_distances``; None: exact.
    bytes_per_row : int or None
        Memory of one query row of the block (default ``16 * n_rows``).

    Returns
    -------
    distances : ndarray of shape (n_rows, k)
        Euclidean (square-rooted) distances, ascending.
    indices : ndarray of shape (n_rows, k)
        Ties broken by index.
    """
    per_row = bytes_per_row or 16 * n_rows
    block = int(max(1, min(n_rows, _BLOCK_BYTES // max(per_row, 1))))
    distances = np.empty((n_rows, k))
    indices = np.empty((n_rows, k), dtype=np.int64)
    for start in range(0, n_rows, block):
        stop = min(start + block, n_rows)
        local = np.arange(stop - start)
        scores = block_distances(start, stop)
        scores[local, local + start] = np.inf
        kth = np.partition(scores, k - 1, axis=1)[:, k - 1]
        if margin is not None:
            kth = kth + 2.0 * margin(start, stop)
        rows, cols = np.nonzero(scores <= kth[:, None])
        rows = rows + start
        keep = rows != cols
        rows, cols = rows[keep], cols[keep]
        exact = pair_distances(rows, cols)
        order = np.lexsort((cols, exact, rows))
        rows, cols, exact = rows[order], cols[order], exact[order]
        first = np.searchsorted(rows, np.arange(start, stop))
        take = (first[:, None] + np.arange(k)).ravel()
        indices[start:stop] = cols[take].reshape(-1, k)
        distances[start:stop] = np.sqrt(exact[take]).reshape(-1, k)
    return distances, indices
