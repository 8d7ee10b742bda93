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
from ._class_plan import ClassResult
from ._partition import concat_rows, read_rows

__all__ = [
    "needed_rows",
    "needs_wide",
    "renumbered",
    "source_rows",
    "synthetic_chunk",
    "with_target",
]


def needs_wide(max_abs: float, dtype: Any) -> bool:
    """Whether rows of this magnitude interpolate in wider arithmetic (as in memory)."""
    dtype = np.dtype(dtype)
    return dtype.kind == "f" and max_abs > np.finfo(dtype).max / 4


def renumbered(part: Any, start: int) -> Any:
    """A pandas partition with the global row numbers as its index (the in-memory output's)."""
    part = part.copy(deep=False)
    part.index = pd.RangeIndex(start, start + part.shape[0])
    return part


def source_rows(
    reader: Any,
    gathered: tuple[Any, np.ndarray],
    table: Table,
    result: ClassResult,
    extra: list[tuple[Any, np.ndarray]] | None,
    probe: Any,
) -> tuple[Table, ClassResult]:
    """The rows a class's new rows are made from, and its recipe indexing them.

    A recipe whose neighbours are rows of all the data (Borderline-SMOTE 2)
    also needs those rows (``extra``, gathered from their partitions): they
    are appended to the class's rows and the recipe renumbered into the union.
    """
    batch = result.batch
    if batch is None or batch.neighbor_space == "class" or batch.neighbors is None:
        return table, result
    extra_rows, extra_global = concat_rows(extra)
    union = concat_rows([gathered, (extra_rows, extra_global)])
    union_table = read_rows(reader, union[0], probe)
    order = np.argsort(union[1], kind="stable")
    position = order[np.searchsorted(union[1][order], batch.neighbors)]
    renumbered_batch = SyntheticBatch(
        batch.label,
        np.arange(union_table.n_rows),
        batch.seeds,
        position,
        batch.gaps,
        "class",
        batch.voters,
        batch.codes,
        batch.noise,
    )
    return union_table, ClassResult(renumbered_batch, None, result.global_rows, result.diagnostics)


def needed_rows(result: ClassResult) -> np.ndarray:
    """Sorted global rows outside the class that a recipe interpolates towards."""
    batch = result.batch
    if batch is None or batch.neighbor_space == "class" or batch.neighbors is None:
        return np.empty(0, dtype=np.int64)
    found = np.unique(batch.neighbors)
    return found[~np.isin(found, result.global_rows)]


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
