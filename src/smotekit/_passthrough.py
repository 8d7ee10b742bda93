"""Columns carried through a sampler untouched: IDs, keys, anything not to resample.

:func:`resample_with_passthrough` takes the named columns out of X, runs the
sampler on the rest, and puts them back in their places.  Every output row is
traced to a row of X: its own row for an original (or kept) row, the row that
seeded it for a synthetic one (``provenance_["seed"]``).  The samplers keep
their imbalanced-learn signatures; this is a function around any of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from ._polars import from_polars

__all__ = ["resample_with_passthrough"]

_FILLS = ("seed", "missing")


def _names(passthrough: Any) -> list[Hashable]:
    """The passthrough columns as a list without repeats (one name or an iterable)."""
    if passthrough is None:
        return []
    if isinstance(passthrough, str) or not isinstance(passthrough, Iterable):
        passthrough = [passthrough]
    names: list[Hashable] = []
    for name in passthrough:
        if name not in names:
            names.append(name)
    return names


def _check_request(
    X: pd.DataFrame, y: Any, names: list[Hashable], fill: str, flag_synthetic: Any
) -> None:
    """Every error that can be found before the sampler runs."""
    if fill not in _FILLS:
        raise ValueError(f"fill must be 'seed' or 'missing'; got {fill!r}.")
    if not X.columns.is_unique:
        repeated = sorted({str(c) for c in X.columns[X.columns.duplicated()]})
        raise ValueError(
            f"X has duplicate column names ({', '.join(repeated)}); passthrough needs each "
            "column to have its own name."
        )
    unknown = [name for name in names if name not in X.columns]
    if unknown:
        target = getattr(y, "name", None)
        if target is not None and target in unknown:
            raise ValueError(
                f"passthrough names {target!r}, the target y: the labels are resampled with "
                "the rows, never passed through."
            )
        shown = ", ".join(map(repr, X.columns[:10])) + (" ..." if X.shape[1] > 10 else "")
        raise ValueError(
            f"passthrough names column(s) {', '.join(map(repr, unknown))} that X does not "
            f"have; its columns are {shown}."
        )
    if names and len(names) == X.shape[1]:
        raise ValueError(
            f"passthrough names every column of X ({', '.join(map(repr, names))}): nothing "
            "would be left to resample; pass at least one feature column."
        )
    if flag_synthetic is not None and flag_synthetic in X.columns:
        raise ValueError(
            f"flag_synthetic={flag_synthetic!r} is already a column of X; choose another name."
        )


def _untraceable(sampler: Any, why: str) -> TypeError:
    name = type(sampler).__name__
    return TypeError(
        f"{name} {why}, so its output rows cannot be traced to rows of X and columns cannot "
        "be passed through. Drop those columns instead, or use a sampler that records its "
        "rows: smotekit's over-samplers (provenance_), its under-samplers and cleaners "
        "(sample_indices_), or SMOTEENN / SMOTETomek with smotekit's steps."
    )


def _check_sampler(sampler: Any) -> None:
    """Refuse, before any work, the samplers known to make rows without a source row."""
    if type(sampler).__name__ == "ClusterCentroids":
        raise _untraceable(
            sampler,
            "replaces the rows of the classes it under-samples with new rows (cluster "
            "centres, or their nearest rows, which it does not record)",
        )
    if not hasattr(sampler, "fit_resample"):
        raise TypeError(f"sampler must have a fit_resample method; got {type(sampler).__name__}.")


def _combined_sources(
    sampler: Any, provenance: pd.DataFrame, n_rows: int, n_out: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sources of SMOTEENN / SMOTETomek output rows: the cleaner's kept rows of the
    over-sampler's output (originals first, then synthetic rows in provenance order)."""
    cleaner = getattr(sampler, f"{getattr(sampler, '_cleaner_param', '')}_", None)
    kept = getattr(cleaner, "sample_indices_", None)
    if kept is None:
        raise _untraceable(sampler, "has a cleaning step without sample_indices_")
    kept = np.asarray(kept, dtype=np.intp)
    synthetic = kept >= n_rows
    rows = provenance["output_row"].to_numpy(dtype=np.intp)
    if kept.size != n_out or not np.array_equal(np.flatnonzero(synthetic), rows):
        raise RuntimeError(
            f"{type(sampler).__name__}'s provenance_ does not match its output; please report "
            "this as a bug."
        )
    source = kept.copy()
    source[rows] = provenance["seed"].to_numpy(dtype=np.intp)
    return source, synthetic


def _row_sources(sampler: Any, n_rows: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """For every output row of a fitted sampler: the row of X it comes from, and whether it
    is synthetic (the row of X is then its seed)."""
    provenance = getattr(sampler, "provenance_", None)
    if isinstance(provenance, pd.DataFrame) and "seed" in provenance.columns:
        if "output_row" in provenance.columns:
            return _combined_sources(sampler, provenance, n_rows, n_out)
        n_new = len(provenance)
        if n_out != n_rows + n_new:
            raise RuntimeError(
                f"{type(sampler).__name__} returned {n_out} rows for {n_rows} rows and "
                f"{n_new} synthetic rows in provenance_; please report this as a bug."
            )
        source = np.concatenate(
            [np.arange(n_rows, dtype=np.intp), provenance["seed"].to_numpy(dtype=np.intp)]
        )
        return source, np.arange(n_out) >= n_rows
    kept = getattr(sampler, "sample_indices_", None)
    if kept is not None and len(kept) == n_out:
        kept = np.asarray(kept, dtype=np.intp)
        if getattr(sampler, "_sampling_type", None) == "over-sampling":
            # e.g. imbalanced-learn's RandomOverSampler: the originals, then the copies
            return kept, np.arange(n_out) >= n_rows
        return kept, np.zeros(n_out, dtype=bool)
    raise _untraceable(
        sampler,
        "exposes neither provenance_ (the seed of every synthetic row) nor sample_indices_ "
        "(the source of every output row)",
    )


def _nullable_dtype(dtype: Any) -> Any:
    """A dtype that holds a missing value and every value of ``dtype``."""
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return dtype  # category, Int64, boolean, string, ... hold missing values already
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return f"{'U' if np.dtype(dtype).kind == 'u' else ''}Int{np.dtype(dtype).itemsize * 8}"
    return dtype  # float (NaN), datetime (NaT), object (NaN)


def _carried(column: pd.Series, source: np.ndarray, missing: np.ndarray | None) -> pd.Series:
    """The column's values at ``source`` (missing where ``missing``), in the column's dtype."""
    values = column.iloc[source].reset_index(drop=True)
    if missing is not None and missing.any():
        values = values.astype(_nullable_dtype(values.dtype)).mask(missing)
    return values


def resample_with_passthrough(
    sampler: Any,
    X: Any,
    y: Any,
    passthrough: Any,
    *,
    fill: str = "seed",
    flag_synthetic: Hashable | None = None,
) -> tuple[Any, Any]:
    """Resample ``X`` without the ``passthrough`` columns, then put them back untouched.

    The sampler sees only the other columns (an ID is neither a distance nor a
    vote).  Each output row gets the passthrough values of the row of X it comes
    from: an original or kept row its own, a synthetic row those of the row that
    seeded it (``sampler.provenance_["seed"]``), or missing values with
    ``fill="missing"``.  The columns come back in their original positions.

    Parameters
    ----------
    sampler : sampler
        Any smotekit sampler (fitted in place, as by its ``fit_resample``, so its
        ``provenance_`` and ``sample_indices_`` are there to read afterwards), or an
        imbalanced-learn sampler with ``sample_indices_`` (e.g. RandomUnderSampler).
    X : pandas.DataFrame or polars.DataFrame
        Features, the passthrough columns included.
    y : array-like of shape (n_samples,)
        Class labels.
    passthrough : str or list of str
        The column(s) to carry through.
    fill : {"seed", "missing"}, default="seed"
        What synthetic rows hold in the passthrough columns: the seed row's value,
        or a missing value.  With ``"missing"`` a column's dtype becomes one that
        holds it: integers become pandas' nullable ``Int64`` (same width, ``UInt``
        for unsigned), ``bool`` becomes ``boolean``; floats hold NaN, datetimes NaT,
        ``category`` keeps its categories, other extension dtypes stay.  Columns of
        samplers that make no rows keep their dtype.
    flag_synthetic : str or None, default=None
        Name of a ``bool`` column added last: True on synthetic rows.

    Returns
    -------
    X_resampled : same container as X
        The sampler's output with the passthrough columns in their places (and the
        flag column).
    y_resampled : same container as y

    Raises
    ------
    ValueError
        For an unknown column, the target's name, every column of X, a
        ``flag_synthetic`` that is already a column, or another ``fill``.
    TypeError
        For X without named columns, or a sampler whose rows cannot be traced:
        ClusterCentroids (it makes new rows), or one that exposes neither
        ``provenance_`` nor ``sample_indices_`` (imbalanced-learn's SMOTE; SMOTEENN
        or SMOTETomek given imbalanced-learn's SMOTE step).

    Notes
    -----
    SMOTEENN and SMOTETomek are traced exactly: the cleaner's ``sample_indices_``
    are rows of the over-sampler's output, which are the original rows then the
    synthetic rows of ``provenance_``.  Under-samplers and cleaners make no rows:
    each output row is ``X.iloc[sample_indices_]``.  The copies of
    ``RandomOverSampler`` are synthetic rows whose seed is the copied row.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from smotekit import SMOTE, resample_with_passthrough
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"id": range(100, 130), "a": rng.normal(size=30),
    ...                   "b": rng.normal(size=30)})
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> sampler = SMOTE(k_neighbors=3, random_state=0)
    >>> X_res, y_res = resample_with_passthrough(sampler, X, y, "id",
    ...                                          flag_synthetic="is_synthetic")
    >>> list(X_res.columns), len(X_res)
    (['id', 'a', 'b', 'is_synthetic'], 48)
    >>> new = X_res[X_res["is_synthetic"]]
    >>> bool((new["id"].to_numpy() == X["id"].to_numpy()[sampler.provenance_["seed"]]).all())
    True
    """
    X, y, back = from_polars(X, y)
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            "passthrough needs X as a pandas or polars DataFrame (columns are named); got "
            f"{type(X).__name__}."
        )
    names = _names(passthrough)
    _check_request(X, y, names, fill, flag_synthetic)
    _check_sampler(sampler)
    features = X.drop(columns=names)
    X_res, y_res = sampler.fit_resample(features, y)
    if not isinstance(X_res, pd.DataFrame):
        X_res = pd.DataFrame(X_res, columns=features.columns)
    source, synthetic = _row_sources(sampler, len(X), len(X_res))
    result = X_res.copy()
    missing = synthetic if fill == "missing" else None
    for name in sorted(names, key=X.columns.get_loc):
        values = _carried(X[name], source, missing).set_axis(result.index)
        result.insert(X.columns.get_loc(name), name, values)
    if flag_synthetic is not None:
        result[flag_synthetic] = synthetic
    return back(result, y_res)
