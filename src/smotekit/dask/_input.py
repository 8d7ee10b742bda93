"""What the Dask engine accepts: X and y partitioned along rows, checked before any work.

X is a dask DataFrame or a 2-D dask array chunked along rows only; y a dask
Series (or one-column DataFrame) partitioned like X, or a 1-D dask array
chunked like X.  :func:`read_collections` checks the collections' structure
(no data is read) and gives their partitions as lists of delayed objects; the
partitions' contents are checked where they are read, on the workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Partitioned", "read_collections"]


@dataclass
class Partitioned:
    """X and y as aligned lists of delayed partitions.

    Attributes
    ----------
    kind : {"frame", "array"}
        A dask DataFrame (partitions are pandas DataFrames and Series) or dask
        arrays (partitions are numpy arrays).
    x_parts, y_parts : list of dask.delayed.Delayed
        Partition ``p`` of X and of y.
    x_meta : pandas.DataFrame or numpy.ndarray
        An empty X with the right columns and dtypes.
    y_meta : pandas.Series or numpy.ndarray
        An empty y with the right name and dtype.
    lengths : list of int or None
        Rows per partition when the collections know them (dask arrays).
    x_array, y_array : dask.array.Array or None
        The input arrays themselves (their blocks are the output's first rows).
    y_as_frame : bool
        y came as a one-column DataFrame (and goes back as one).
    parts, split : list of Delayed, (str, object) or None
        X and y read together: one partition holding both, and the column of y
        in it with y's name (``call`` splits them inside each task).
    out_parts : (list of Delayed, list of Delayed) or None
        DataFrames: X's and y's partitions read by their own tasks, for the
        output's original rows.
    late_parts : list of Delayed or None
        X and y read together by other tasks than ``parts``, for the work that
        waits for a gathered class (``call(..., late=True)``): a read shared by
        work before and after a gather would be held in memory across it.
    """

    kind: str
    x_parts: list[Any]
    y_parts: list[Any]
    x_meta: Any
    y_meta: Any
    lengths: list[int] | None = None
    x_array: Any = None
    y_array: Any = None
    y_as_frame: bool = False
    parts: list[Any] | None = None
    split: tuple[str, Any] | None = None
    out_parts: tuple[list[Any], list[Any]] | None = None
    late_parts: list[Any] | None = None

    @property
    def n_parts(self) -> int:
        """Number of partitions."""
        return len(self.parts) if self.parts is not None else len(self.x_parts)

    @property
    def n_features(self) -> int:
        """Number of columns of X."""
        return int(self.x_meta.shape[1])

    def call(self, p: int, func: Any, *args: Any, late: bool = False, **kwargs: Any) -> Any:
        """The delayed ``func(x_p, y_p, *args, **kwargs)`` for partition ``p``.

        X and y read together (one partition holding both) are split inside the
        task, so no partition of X or y is ever held as a task result of its own.
        ``late``: the task waits for a gathered class (it reads ``late_parts``).
        """
        if self.parts is None:
            return _delayed(func)(self.x_parts[p], self.y_parts[p], *args, **kwargs)
        parts = self.late_parts if late and self.late_parts is not None else self.parts
        return _delayed(_on_pair)(func, parts[p], self.split, *args, **kwargs)

    def call_x(self, p: int, func: Any, *args: Any, late: bool = False) -> Any:
        """The delayed ``func(x_p, *args)`` (``late`` as in :meth:`call`)."""
        if self.parts is None:
            return _delayed(func)(self.x_parts[p], *args)
        parts = self.late_parts if late and self.late_parts is not None else self.parts
        return _delayed(_on_x)(func, parts[p], self.split, *args)

    def call_y(self, p: int, func: Any, *args: Any) -> Any:
        """The delayed ``func(y_p, *args)``."""
        if self.parts is None:
            return _delayed(func)(self.y_parts[p], *args)
        return _delayed(_on_y)(func, self.parts[p], self.split, *args)


def _delayed(func: Any) -> Any:
    import dask

    return dask.delayed(func, pure=True)


def _on_pair(func: Any, part: Any, split: tuple[str, Any], *args: Any, **kwargs: Any) -> Any:
    column, name = split
    return func(part.drop(columns=[column]), part[column].rename(name), *args, **kwargs)


def _on_x(func: Any, part: Any, split: tuple[str, Any], *args: Any) -> Any:
    return func(part.drop(columns=[split[0]]), *args)


def _on_y(func: Any, part: Any, split: tuple[str, Any], *args: Any) -> Any:
    return func(part[split[0]].rename(split[1]), *args)


def _dask_modules() -> tuple[Any, Any]:
    try:
        import dask.array as da
        import dask.dataframe as dd
    except ImportError as error:  # pragma: no cover - the extra is missing
        raise ImportError(
            'smotekit.dask needs Dask: pip install "smotekit[dask]" (dask[dataframe] and '
            f"distributed). ({error})"
        ) from None
    return da, dd


def read_collections(X: Any, y: Any) -> Partitioned:
    """Check the structure of ``X`` and ``y`` and split them into aligned partitions.

    Parameters
    ----------
    X : dask DataFrame or dask Array of shape (n_samples, n_features)
    y : dask Series, one-column dask DataFrame or 1-D dask Array of shape (n_samples,)

    Returns
    -------
    Partitioned

    Raises
    ------
    TypeError
        X or y is not a dask collection of a supported kind.
    ValueError
        y is None; a dask array chunked along its columns, with unknown chunk
        sizes, or not 2-D; X and y partitioned differently.
    """
    da, dd = _dask_modules()
    if y is None:
        raise ValueError(
            "The Dask engine needs y: pass the class labels as a dask Series or dask array, "
            "or call smotekit.dask.resample(ddf, target=...) with the label column's name."
        )
    if isinstance(X, dd.DataFrame):
        return _read_frames(X, y, dd)
    if isinstance(X, da.Array):
        return _read_arrays(X, y, da, dd)
    if isinstance(X, pd.DataFrame | np.ndarray):
        raise TypeError(
            f"smotekit.dask.fit_resample needs a dask DataFrame or dask array; got an in-memory "
            f"{type(X).__name__}. Call sampler.fit_resample(X, y) for in-memory data, or wrap it "
            "with dask.dataframe.from_pandas / dask.array.from_array."
        )
    raise TypeError(
        f"smotekit.dask.fit_resample needs X as a dask DataFrame or dask array; got "
        f"{type(X).__name__}."
    )


# Name under which y travels inside X's partitions (never a user's column name).
_TARGET = "__smotekit_target__"


def _co_aligned(X: Any, y: Any) -> bool:
    """Whether X and y derive from one expression (so their partitions match row for row)."""
    try:
        from dask.dataframe.dask_expr._expr import are_co_aligned
    except ImportError:  # pragma: no cover - an older dask
        return False
    try:
        return bool(are_co_aligned(X.expr, y.expr))
    except (AttributeError, TypeError):  # pragma: no cover - legacy collections
        return False


def _read_frames(X: Any, y: Any, dd: Any) -> Partitioned:
    y_as_frame = isinstance(y, dd.DataFrame)
    if y_as_frame:
        if len(y.columns) != 1:
            raise ValueError(
                f"y as a dask DataFrame must have exactly one column; got {len(y.columns)}. "
                "Multilabel and multioutput targets are not supported."
            )
        y = y[y.columns[0]]
    if not isinstance(y, dd.Series):
        raise TypeError(
            f"With X a dask DataFrame, y must be a dask Series partitioned like X; got "
            f"{type(y).__name__}. Use ddf[target] (or smotekit.dask.resample(ddf, target=...))."
        )
    if y.npartitions != X.npartitions:
        raise ValueError(
            f"X and y are partitioned differently: X has {X.npartitions} partitions, y has "
            f"{y.npartitions}. Take both from one DataFrame (X = ddf.drop(columns=target), "
            "y = ddf[target]) or repartition y like X."
        )
    if len(X.columns) == 0:
        raise ValueError("X has 0 feature(s) while a minimum of 1 is required.")
    import dask

    # dask's optimizer may merge the partitions of a narrow read (y alone) but not those of
    # a wide one (X); with that tuning off, every read keeps the collection's partitions.
    with dask.config.set({"optimization.tune.active": False}):
        # The original rows of the output are read by their own tasks: sharing the reads
        # of the counting and gathering passes would keep every partition in memory until
        # the output is written.
        out_x, out_y = list(X.to_delayed()), list(y.to_delayed())
        if _co_aligned(X, y):
            # One read for both X and y, split inside each task that uses them.
            both = X.assign(**{_TARGET: y})
            parts = list(both.to_delayed())
            return Partitioned(
                "frame",
                [],
                [],
                X._meta,
                y._meta,
                y_as_frame=y_as_frame,
                parts=parts,
                split=(_TARGET, y.name),
                out_parts=(out_x, out_y),
                late_parts=list(both.to_delayed(optimize_graph=False)),
            )
        # Separate collections pair up partition by partition, as given (lengths checked).
        x_parts = list(X.to_delayed(optimize_graph=False))
        y_parts = list(y.to_delayed(optimize_graph=False))
    return Partitioned(
        "frame",
        x_parts,
        y_parts,
        X._meta,
        y._meta,
        y_as_frame=y_as_frame,
        out_parts=(out_x, out_y),
    )


def _read_arrays(X: Any, y: Any, da: Any, dd: Any) -> Partitioned:
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D dask array X (n_samples, n_features); got {X.ndim} dimension(s)."
        )
    row_chunks = X.chunks[0]
    if any(np.isnan(c) for c in row_chunks):
        raise ValueError(
            "X has unknown chunk sizes along its rows (e.g. after boolean indexing), so its "
            "rows cannot be numbered: call X.compute_chunk_sizes() first (or X = "
            "X.rechunk(...)) and pass the result."
        )
    if len(X.chunks[1]) > 1:
        raise ValueError(
            f"X is chunked along its columns ({len(X.chunks[1])} column chunks): the Dask "
            "engine partitions rows only, each partition holding whole rows. Use "
            "X.rechunk({1: -1})."
        )
    if X.shape[1] == 0:
        raise ValueError("X has 0 feature(s) while a minimum of 1 is required.")
    if isinstance(y, dd.Series):
        y = y.to_dask_array(lengths=True)
    if not isinstance(y, da.Array):
        raise TypeError(
            f"With X a dask array, y must be a dask array; got {type(y).__name__}. Use "
            "dask.array.from_array(y, chunks=X.chunks[0])."
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got a dask array of shape {y.shape}.")
    if any(np.isnan(c) for c in y.chunks[0]):
        raise ValueError(
            "y has unknown chunk sizes: call y.compute_chunk_sizes() first and pass the result."
        )
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y have different lengths: X has {X.shape[0]} rows but y has "
            f"{y.shape[0]} labels."
        )
    if tuple(y.chunks[0]) != tuple(row_chunks):
        y = y.rechunk((row_chunks,))
    return Partitioned(
        "array",
        list(X.to_delayed().ravel()),
        list(y.to_delayed().ravel()),
        np.empty((0, X.shape[1]), dtype=X.dtype),
        np.empty(0, dtype=y.dtype),
        lengths=[int(c) for c in row_chunks],
        x_array=X,
        y_array=y,
    )
