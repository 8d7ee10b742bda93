"""Tomek links on Dask: the rows outside the largest class, their nearest rows, and back.

A Tomek link joins two classes, so one of its ends lies outside the largest
class.  Those rows are gathered (graph tasks) and every partition answers their
nearest other row; the rows of the largest class they point to are fetched and
answered the same way.  That is every nearest neighbour a link can involve, so
the links, and the rows removed, are those of a search over all rows (the
in-memory ``nearest_other_rows`` proves the same shortcut).  The kept rows
stay in their partitions, in row order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._output import take_rows
from ._graph import Resampled, delayed, get, tree_merge
from ._input import Partitioned
from ._partition import PartAnswer, concat_rows, labels_of, partition_answer, read_rows, rows_at

__all__ = ["tomek_partitions"]


def _rows_of_classes(x: Any, y: Any, labels: list[Any], offset: int) -> tuple[Any, np.ndarray]:
    """This partition's rows whose class is in ``labels``, in row order, with global numbers."""
    found = labels_of(y) if x.shape[0] else np.empty(0)
    local = np.flatnonzero(np.isin(found, np.asarray(labels, dtype=found.dtype)))
    return take_rows(x, local), local + offset


def _numeric(reader: Any, gathered: tuple[Any, np.ndarray]) -> np.ndarray:
    if gathered[0].shape[0] == 0:
        return np.empty((0, 0))
    return np.ascontiguousarray(read_rows(reader, gathered[0]).numeric)


def _inside_rows(outside: tuple[Any, np.ndarray], nearest: PartAnswer) -> np.ndarray:
    """Rows of the largest class that a row outside it has as its nearest row."""
    found = np.unique(nearest.indices[:, 0])
    return found[~np.isin(found, outside[1])]


def _removed(
    outside_rows: np.ndarray,
    outside_nearest: PartAnswer,
    outside_labels: np.ndarray,
    inside_rows: np.ndarray,
    inside_nearest: PartAnswer | None,
    targeted: list[Any],
) -> np.ndarray:
    """Sorted global rows of the targeted classes that are in a Tomek link."""
    rows = np.concatenate([outside_rows, inside_rows])
    nearest = outside_nearest.indices[:, 0]
    if inside_nearest is not None:
        nearest = np.concatenate([nearest, inside_nearest.indices[:, 0]])
    order = np.argsort(rows)
    position_of_b = order[np.searchsorted(rows[order], outside_nearest.indices[:, 0])]
    mutual = nearest[position_of_b] == outside_rows
    b_labels = outside_nearest.labels[:, 0]
    linked = mutual & (b_labels != outside_labels)
    targeted_set = np.asarray(targeted, dtype=outside_labels.dtype)
    removed = np.concatenate(
        [
            outside_rows[linked & np.isin(outside_labels, targeted_set)],
            outside_nearest.indices[linked & np.isin(b_labels, targeted_set), 0],
        ]
    )
    return np.unique(removed).astype(np.int64)


def _kept(
    x: Any, y: Any, offset: int, removed: np.ndarray, kind: str
) -> tuple[Any, Any, np.ndarray]:
    """This partition without its removed rows, numbered as the in-memory output."""
    n = x.shape[0]
    lo, hi = np.searchsorted(removed, [offset, offset + n])
    keep = np.setdiff1d(np.arange(n), removed[lo:hi] - offset)
    x_out = take_rows(x, keep)
    if kind == "frame":
        start = offset - lo  # rows kept before this partition
        index = pd.RangeIndex(start, start + keep.shape[0])
        x_out.index = index
        return x_out, y.iloc[keep].set_axis(index), keep + offset
    return x_out, np.asarray(y)[keep], keep + offset


def _answer(reads: list[Any], offsets: list[int], queries: Any, query_rows: Any) -> Any:
    answers = [
        delayed(partition_answer)(get(read, 0), get(read, 1), offsets[p], queries, query_rows, 1)
        for p, read in enumerate(reads)
    ]
    return tree_merge(answers, 1)


def _labels_of_rows(x: Any, y: Any, labels: list[Any]) -> np.ndarray:
    found = labels_of(y) if x.shape[0] else np.empty(0)
    return found[np.isin(found, np.asarray(labels, dtype=found.dtype))]


def tomek_partitions(
    sampler: Any,
    data: Partitioned,
    counts: dict[Any, int],
    targets: dict[Any, int],
    offsets: list[int],
    reads: list[Any],
) -> Resampled:
    """TomekLinks' output partitions (lengths known once computed)."""
    if sum(counts.values()) < 2:
        raise ValueError(
            "TomekLinks needs at least 2 rows (every row's nearest other row); X has "
            f"{sum(counts.values())}."
        )
    largest = max(counts, key=lambda c: counts[c])  # the first of equal counts, as in memory
    others = [c for c in counts if c != largest]
    pieces = [data.call(p, _rows_of_classes, others, offsets[p]) for p in range(data.n_parts)]
    outside = delayed(concat_rows)(pieces)
    outside_labels = delayed(np.concatenate)(
        [data.call(p, _labels_of_rows, others) for p in range(data.n_parts)]
    )
    reader = sampler._read_X
    nearest_out = _answer(reads, offsets, delayed(_numeric)(reader, outside), get(outside, 1))
    inside = delayed(_inside_rows)(outside, nearest_out)
    fetched = delayed(concat_rows)(
        [data.call_x(p, rows_at, offsets[p], inside, late=True) for p in range(data.n_parts)]
    )
    nearest_in = _answer(reads, offsets, delayed(_numeric)(reader, fetched), get(fetched, 1))
    removed = delayed(_removed)(
        get(outside, 1), nearest_out, outside_labels, get(fetched, 1), nearest_in, list(targets)
    )
    out = Resampled()
    out.sample_indices = []
    for p in range(data.n_parts):
        part = data.call(p, _kept, offsets[p], removed, data.kind)
        out.x_parts.append(get(part, 0))
        out.y_parts.append(get(part, 1))
        out.sample_indices.append(get(part, 2))
        out.lengths.append(None)
    return out
