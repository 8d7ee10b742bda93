"""The output's partitions: original partitions renumbered, and one partition per chunk of new rows.

Chunk ``j`` of a class's synthetic rows (``CHUNK_ROWS`` rows, the random
streams' unit) is made by one task from the class's recipe and the rows it
gathers from, with the same kernel as in memory
(:func:`smotekit._output.synthesize`), so its rows are the in-memory rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._output import synthesize, take_rows
from .._recipe import SyntheticBatch
from .._table import Table
from ._partition import concat_rows, read_rows

__all__ = [
    "needs_wide",
    "renumbered",
    "synthetic_chunk",
    "to_union",
    "union_rows",
    "with_target",
]


def needs_wide(max_abs: float, dtype: Any) -> bool:
    """Whether rows of this magnitude interpolate in wider arithmetic (as in memory)."""
    dtype = np.dtype(dtype)
    return dtype.kind == "f" and max_abs > np.finfo(dtype).max / 4


def renumbered(part: Any, start: int, expected: int | None = None) -> Any:
    """A pandas partition with the global row numbers as its index (the in-memory output's).

    ``expected``: the rows the counting pass saw in this partition (a read that
    gives other rows is an error, never a misnumbered output).
    """
    if expected is not None and part.shape[0] != expected:
        raise ValueError(
            f"A partition read {part.shape[0]} rows where the counting pass read {expected}: "
            "the input changed while it was resampled, or reads of it are not repeatable."
        )
    part = part.copy(deep=False)
    part.index = pd.RangeIndex(start, start + part.shape[0])
    return part


def union_rows(
    reader: Any,
    gathered: tuple[Any, np.ndarray],
    extra: list[tuple[Any, np.ndarray]],
    probe: Any,
) -> tuple[Table, np.ndarray]:
    """A class's rows followed by the rows of other classes its recipe may point at.

    Returns the union's table and its global row numbers.  A recipe whose
    neighbours are rows of all the data (Borderline-SMOTE 2) is renumbered into
    it by :func:`to_union`.
    """
    extra_rows, extra_global = concat_rows(extra)
    union = concat_rows([gathered, (extra_rows, extra_global)])
    return read_rows(reader, union[0], probe), union[1]


def to_union(batch: SyntheticBatch | None, union: tuple[Table, np.ndarray]) -> Any:
    """A recipe with global neighbours, renumbered into the rows of :func:`union_rows`."""
    if batch is None or batch.neighbors is None or batch.neighbor_space == "class":
        return batch
    rows = union[1]
    order = np.argsort(rows, kind="stable")
    position = order[np.searchsorted(rows[order], batch.neighbors)]
    return SyntheticBatch(
        batch.label,
        np.arange(rows.shape[0]),
        batch.seeds,  # class rows come first in the union
        position,
        batch.gaps,
        "class",
        batch.voters,
        batch.codes,
        batch.noise,
    )


def synthetic_chunk(
    table: Table,
    batch: SyntheticBatch | None,
    *,
    kind: str,
    label: Any,
    y_meta: Any,
    x_meta: Any,
    start_index: int,
    wide: bool | None,
    copy_rows: bool,
) -> tuple[Any, Any]:
    """One chunk of a class's new rows, as an output partition of X and of y."""
    n = 0 if batch is None else batch.size
    if n == 0:
        x_chunk = x_meta.iloc[:0] if kind == "frame" else x_meta[:0]
    elif copy_rows:
        x_chunk = take_rows(table.source, batch.seeds)
    else:
        x_chunk = synthesize(table, [batch], include_original=False, wide=wide)
    if kind == "frame":
        x_chunk = renumbered(x_chunk, start_index)
        values = np.full(n, label, dtype=y_meta.to_numpy().dtype)
        y_chunk = pd.Series(values, name=y_meta.name, index=x_chunk.index).astype(y_meta.dtype)
        return x_chunk, y_chunk
    return x_chunk, np.full(n, label, dtype=y_meta.dtype)


def with_target(x: Any, y: Any, target: str, position: int) -> Any:
    """A partition of X with the label column ``target`` put back at ``position``."""
    frame = x.copy(deep=False)
    frame.insert(position, target, y)
    return frame
