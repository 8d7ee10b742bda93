"""Resampling beyond one machine: exact, deterministic, on Dask.

``import smotekit.dask as skd`` (``pip install "smotekit[dask]"``), then

* ``skd.fit_resample(sampler, X, y)`` for a dask DataFrame or dask array ``X``
  and a dask Series or array ``y``: lazy ``(X_res, y_res)`` of the same kinds;
* ``skd.resample(ddf, target="label", sampler=...)``: a lazy dask DataFrame
  with the label column in its place.

The contract: ``dask.compute(*skd.fit_resample(s, X, y))`` equals
``s.fit_resample(X.compute(), y.compute())`` row for row (the original rows in
their order, then the new rows grouped by class), for the same seed, whatever
the partitioning, the number of workers, or a worker lost and its tasks
recomputed.  See ``docs/dask.md``.

Samplers stay configuration: the same objects run in memory and here.  The
engine runs SMOTE, BorderlineSMOTE, ADASYN, RandomOverSampler, SMOTENC,
SMOTEN, RandomUnderSampler, TomekLinks and EditedNearestNeighbours.
"""

from __future__ import annotations

from typing import Any

from ._guard import MinorityTooLargeError

__all__ = ["SUPPORTED_SAMPLERS", "MinorityTooLargeError", "fit_resample", "resample"]

SUPPORTED_SAMPLERS = (
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "RandomOverSampler",
    "SMOTENC",
    "SMOTEN",
    "RandomUnderSampler",
    "TomekLinks",
    "EditedNearestNeighbours",
)

_MODES = ("gather", "batched")


def _check_mode(mode: str, max_minority_rows: Any, batch_rows: Any) -> None:
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {list(_MODES)}; got {mode!r}.")
    for name, value in (("max_minority_rows", max_minority_rows), ("batch_rows", batch_rows)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(f"{name} must be None or an int >= 1; got {value!r}.")


def fit_resample(
    sampler: Any,
    X: Any,
    y: Any,
    *,
    mode: str = "gather",
    max_minority_rows: int | None = None,
    batch_rows: int | None = None,
) -> tuple[Any, Any]:
    """Resample dask collections with a smotekit sampler; the result is lazy.

    One pass over the data counts the classes at once (the output's size
    depends on it); everything else is a task graph, computed when the result
    is (``dask.compute(X_res, y_res)``, ``X_res.to_parquet(...)``).

    Parameters
    ----------
    sampler : smotekit sampler
        One of :data:`SUPPORTED_SAMPLERS` (or a subclass).  Its fitted
        attributes are set: ``sampling_strategy_``, ``n_features_in_``,
        ``feature_names_in_`` (DataFrames), ``provenance_`` (a lazy dask
        DataFrame; over-samplers), ``sample_indices_`` (a lazy dask array;
        under-samplers).
    X : dask DataFrame or dask Array of shape (n_samples, n_features)
        Partitioned along rows only (a dask array: one chunk across the columns,
        known chunk sizes).
    y : dask Series or 1-D dask Array of shape (n_samples,)
        Partitioned like X.
    mode : {"gather", "batched"}, default="gather"
        ``"gather"``: each class to over-sample is gathered in one task (as
        graph tasks, recomputable).  ``"batched"``: it never is; its neighbours
        are found a slice of rows at a time against every partition, and each
        chunk of new rows fetches the rows it needs (more passes over the
        data; exact, same output; SMOTE, BorderlineSMOTE, ADASYN and
        RandomOverSampler without shrinkage).
    max_minority_rows : int or None, default=None
        Gather mode's guard: a class with more rows is an error naming batched
        mode.  None: the guard compares what gathering needs with the smallest
        worker's memory limit.
    batch_rows : int or None, default=None
        Batched mode: query rows per slice (default 131072).

    Returns
    -------
    X_resampled : dask DataFrame or dask Array
        The original rows, unchanged and in order (a DataFrame is renumbered
        0 .. n - 1, as in memory), then the new rows grouped by class.
    y_resampled : dask Series or dask Array

    Raises
    ------
    MinorityTooLargeError
        A class too large to gather (a ``ValueError``).
    NotImplementedError
        For a sampler the engine does not run.
    """
    from ._assemble import collections
    from ._driver import resample_partitions
    from ._input import read_collections
    from ._support import support_for

    _check_mode(mode, max_minority_rows, batch_rows)
    data = read_collections(X, y)
    support = support_for(sampler)
    parts = resample_partitions(
        sampler,
        data,
        support,
        mode=mode,
        max_minority_rows=max_minority_rows,
        batch_rows=batch_rows,
    )
    return collections(sampler, data, parts)


def resample(
    ddf: Any,
    *,
    target: str,
    sampler: Any,
    mode: str = "gather",
    max_minority_rows: int | None = None,
    batch_rows: int | None = None,
) -> Any:
    """Resample a dask DataFrame holding its label column; the result is lazy.

    Parameters
    ----------
    ddf : dask DataFrame
        Features and the label column.
    target : str
        Name of the label column.
    sampler : smotekit sampler
        See :func:`fit_resample`.
    mode, max_minority_rows, batch_rows
        See :func:`fit_resample`.

    Returns
    -------
    dask DataFrame
        The resampled rows, with the label column where it was.
    """
    from ._assemble import with_target_column
    from ._input import _dask_modules

    _, dd = _dask_modules()
    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(
            f"smotekit.dask.resample needs a dask DataFrame; got {type(ddf).__name__}. For "
            "dask arrays use smotekit.dask.fit_resample(sampler, X, y)."
        )
    if target not in ddf.columns:
        raise ValueError(
            f"The target column {target!r} is not in the DataFrame; its columns are "
            f"{list(ddf.columns)}. Pass target= the name of the label column."
        )
    position = list(ddf.columns).index(target)
    X_res, y_res = fit_resample(
        sampler,
        ddf.drop(columns=[target]),
        ddf[target],
        mode=mode,
        max_minority_rows=max_minority_rows,
        batch_rows=batch_rows,
    )
    return with_target_column(X_res, y_res, target, position)
