"""Edited nearest neighbours on Dask: every targeted row's neighbours, partition against partition.

Partition ``q``'s rows of the cleaned classes are answered by every partition
``p`` (their best rows there, with labels) and the answers merged exactly, so
each row sees its neighbours among all rows, as in memory; Wilson's rule
(:func:`smotekit.under_sampling._edited.edited_keep_mask`) then keeps or drops
it.  That is a search of every targeted row against every row: P x P tasks, the
cost of the in-memory search spread over the workers.  The kept rows come out
grouped by class in label order, as in memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._output import take_rows
from ..under_sampling._edited import edited_keep_mask
from ._graph import Resampled, delayed, get, tree_merge
from ._input import Partitioned
from ._partition import labels_of, partition_answer

__all__ = ["edited_partitions"]


def _targeted(read: tuple[np.ndarray, np.ndarray], targeted: list[Any], offset: int) -> Any:
    """This partition's rows of the cleaned classes: features and global row numbers."""
    numeric, labels = read
    if labels.shape[0] == 0:
        return np.empty((0, 0)), np.empty(0, dtype=np.int64)
    local = np.flatnonzero(np.isin(labels, np.asarray(targeted, dtype=labels.dtype)))
    return np.ascontiguousarray(numeric[local]), local + offset


def _keep(
    read: tuple[np.ndarray, np.ndarray],
    queries: tuple[np.ndarray, np.ndarray],
    answer: Any,
    offset: int,
    kind_sel: str,
) -> np.ndarray:
    """Which rows of this partition the rule keeps (rows of other classes are all kept)."""
    labels = read[1]
    keep = np.ones(labels.shape[0], dtype=bool)
    local = queries[1] - offset
    if local.size:
        keep[local] = edited_keep_mask(answer.labels, labels[local], kind_sel)
    return keep


def _starts(
    keeps: list[np.ndarray], label_parts: list[np.ndarray], order: list[Any]
) -> dict[tuple[int, int], int]:
    """Output row number of the first kept row of class ``c`` in partition ``p``."""
    starts, start = {}, 0
    for c, label in enumerate(order):
        for p, (keep, labels) in enumerate(zip(keeps, label_parts)):
            starts[c, p] = start
            start += int(np.count_nonzero(keep & (labels == label))) if labels.size else 0
    return starts


def _piece(
    x: Any,
    y: Any,
    keep: np.ndarray,
    label: Any,
    key: tuple[int, int],
    starts: dict[tuple[int, int], int],
    offset: int,
    kind: str,
) -> tuple[Any, Any, np.ndarray]:
    """The kept rows of class ``label`` in this partition, numbered as the in-memory output."""
    found = labels_of(y)
    local = np.flatnonzero(keep & (found == label))
    x_out = take_rows(x, local)
    if kind == "frame":
        index = pd.RangeIndex(starts[key], starts[key] + local.shape[0])
        x_out.index = index
        return x_out, y.iloc[local].set_axis(index), local + offset
    return x_out, np.asarray(y)[local], local + offset


def edited_partitions(
    sampler: Any,
    data: Partitioned,
    counts: dict[Any, int],
    part_counts: list[dict[Any, int]],
    targets: dict[Any, int],
    offsets: list[int],
    reads: list[Any],
) -> Resampled:
    """EditedNearestNeighbours' output partitions (lengths known once computed)."""
    targeted, k = list(targets), sampler._k
    keeps = []
    for q, read in enumerate(reads):
        queries = delayed(_targeted)(read, targeted, offsets[q])
        answers = [
            delayed(partition_answer)(
                get(other, 0), get(other, 1), offsets[p], get(queries, 0), get(queries, 1), k
            )
            for p, other in enumerate(reads)
        ]
        keeps.append(
            delayed(_keep)(read, queries, tree_merge(answers, k), offsets[q], sampler.kind_sel)
        )
    order = list(counts)
    starts = delayed(_starts)(keeps, [get(read, 1) for read in reads], order)
    out = Resampled()
    out.sample_indices = []
    for c, label in enumerate(order):
        for p in range(data.n_parts):
            if part_counts[p].get(label, 0) == 0:
                continue
            piece = data.call(p, _piece, keeps[p], label, (c, p), starts, offsets[p], data.kind)
            out.x_parts.append(get(piece, 0))
            out.y_parts.append(get(piece, 1))
            out.sample_indices.append(get(piece, 2))
            out.lengths.append(None)
    return out
