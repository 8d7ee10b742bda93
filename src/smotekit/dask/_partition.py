"""What runs on the workers, one partition at a time: pure functions of a partition's rows.

Every function here takes one partition of X (a pandas DataFrame or a numpy
array) and of y, plus small arguments, and returns something small or one
class's rows: a summary (rows, class counts, category values), the rows of
some classes with their global row numbers, the partition's best neighbours
for a set of query rows, or the rows kept by an under-sampler.  Row numbers
are global: partition ``p``'s rows are ``offset_p .. offset_p + len_p - 1``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from .._output import take_rows
from .._table import Table
from .._validation import check_target
from ..neighbors import NeighborGraph, search

__all__ = [
    "PartAnswer",
    "class_pieces",
    "concat_rows",
    "kept_rows",
    "labels_of",
    "partition_answer",
    "read_rows",
    "rows_at",
    "summarize",
    "vdm_counts",
]


def labels_of(y: Any) -> np.ndarray:
    """The labels of a partition of y, validated (one class is fine in one partition)."""
    return check_target(y, min_classes=1)[0]


def n_rows_of(x: Any) -> int:
    """Rows of a partition."""
    return int(x.shape[0])


def read_rows(reader: Any, x: Any, probe: Any = None) -> Table:
    """``reader(x)`` with the codecs of the whole data.

    A categorical column's codes depend on the values the whole column holds;
    ``probe`` holds every one of them (in the order they first appear), so
    reading ``probe`` followed by ``x`` and cutting the probe off gives ``x``
    exactly the codes it has in the whole data.
    """
    if probe is None:
        return reader(x)
    n_probe = int(probe.shape[0])
    table = reader(_concat([probe, x]))
    return dataclasses.replace(
        table, numeric=table.numeric[n_probe:], codes=table.codes[n_probe:], source=x
    )


def _concat(parts: list[Any]) -> Any:
    if isinstance(parts[0], pd.DataFrame):
        return pd.concat(parts, ignore_index=True)
    return np.concatenate(parts, axis=0)


def _distinct(column: Any) -> np.ndarray:
    """Distinct values of a column in order of appearance (missing values included)."""
    if isinstance(column, pd.Series):
        column = column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
        return np.asarray(pd.unique(column.to_numpy(dtype=object)), dtype=object)
    return np.asarray(pd.unique(np.asarray(column, dtype=object)), dtype=object)


def summarize(
    x: Any,
    y: Any,
    reader: Any,
    categorical_columns: list[int],
    part: int,
) -> dict[str, Any]:
    """One partition's summary: its rows, class counts, largest magnitudes, category values.

    ``reader`` validates the partition (the error it raises names the partition).
    """
    n = n_rows_of(x)
    try:
        labels = labels_of(y) if n else np.empty(0)
        if labels.shape[0] != n:
            raise ValueError(
                f"X and y have different lengths in this partition: X has {n} rows but y has "
                f"{labels.shape[0]} labels; partition y like X."
            )
        table = reader(x) if n else None
    except (TypeError, ValueError) as error:
        raise type(error)(f"{error} (partition {part} of the dask collection)") from None
    found, counts = np.unique(labels, return_counts=True) if n else (labels, np.empty(0))
    max_abs: dict[Any, float] = {}
    if table is not None and table.numeric.shape[1] and table.numeric.dtype.kind == "f":
        numeric = table.numeric  # no |x| copy of the partition: the extremes per row
        magnitude = np.maximum(numeric.max(axis=1), -numeric.min(axis=1))
        for label in found:
            max_abs[_plain(label)] = float(magnitude[labels == label].max())
    distinct = []
    for j in categorical_columns:
        column = x.iloc[:, j] if isinstance(x, pd.DataFrame) else x[:, j]
        distinct.append(_distinct(column))
    return {
        "n_rows": n,
        "counts": {_plain(label): int(c) for label, c in zip(found, counts)},
        "max_abs": max_abs,
        "distinct": distinct,
    }


def _plain(label: Any) -> Any:
    return label.item() if isinstance(label, np.generic) else label


def class_pieces(x: Any, y: Any, labels: list[Any], offset: int) -> dict[Any, tuple[Any, Any]]:
    """The rows of each class in ``labels``, with their global row numbers."""
    found = labels_of(y) if n_rows_of(x) else np.empty(0)
    pieces = {}
    for label in labels:
        local = np.flatnonzero(found == label)
        pieces[label] = (take_rows(x, local), local + offset)
    return pieces


def concat_rows(pieces: list[tuple[Any, np.ndarray]]) -> tuple[Any, np.ndarray]:
    """Pieces of rows (in partition order) as one container and its global row numbers."""
    rows = [p[0] for p in pieces]
    return _concat(rows), np.concatenate([p[1] for p in pieces]).astype(np.int64)


def rows_at(x: Any, offset: int, wanted: np.ndarray) -> tuple[Any, np.ndarray]:
    """The rows of this partition among the sorted global row numbers ``wanted``."""
    n = n_rows_of(x)
    lo, hi = np.searchsorted(wanted, [offset, offset + n])
    mine = wanted[lo:hi]
    return take_rows(x, mine - offset), mine


@dataclasses.dataclass
class PartAnswer:
    """Some rows' best neighbours among a set of rows, with the neighbours' labels.

    ``distances`` are squared (the canonical float64 value), so answers from
    different partitions merge exactly; ``labels[i, j]`` is the label of row
    ``indices[i, j]``.  Padding (a query with fewer candidates than others in
    its partition) has distance ``inf`` and index ``-1``.
    """

    distances: np.ndarray
    indices: np.ndarray
    labels: np.ndarray


def _canonical_sq(Q: np.ndarray, X: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Squared distances of query ``i`` to rows ``indices[i]``: numpy's sum of squares."""
    n_queries, k = indices.shape
    out = np.empty((n_queries, k), dtype=np.float64)
    rows = np.repeat(np.arange(n_queries), k)
    flat = indices.ravel()
    step = 1 << 16
    for a in range(0, flat.shape[0], step):
        diff = Q[rows[a : a + step]].astype(np.float64) - X[flat[a : a + step]]
        out.reshape(-1)[a : a + step] = np.square(diff).sum(axis=1)
    return out


def partition_answer(
    numeric: np.ndarray,
    labels: np.ndarray,
    offset: int,
    queries: np.ndarray,
    query_rows: np.ndarray,
    k: int,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> PartAnswer | None:
    """The ``k`` best rows of this partition (itself excluded) for every query.

    Parameters
    ----------
    numeric : ndarray of shape (n, d)
        The partition's numeric features.
    labels : ndarray of shape (n,)
        Their labels.
    offset : int
        Global number of the partition's first row.
    queries : ndarray of shape (n_queries, d)
        The query rows.
    query_rows : ndarray of int of shape (n_queries,)
        Their global row numbers (a query in this partition excludes itself).
    k : int
        Neighbours to keep per query (fewer when the partition has fewer rows).

    Returns
    -------
    PartAnswer or None
        None for an empty partition.
    """
    n = numeric.shape[0]
    if n == 0:
        return None
    inside = (query_rows >= offset) & (query_rows < offset + n)
    width = min(k, n)
    distances = np.full((queries.shape[0], width), np.inf)
    indices = np.full((queries.shape[0], width), -1, dtype=np.int64)
    for mask, exclude in ((~inside, None), (inside, query_rows[inside] - offset)):
        k_here = min(k, n - (exclude is not None))
        if not mask.any() or k_here < 1:
            continue
        Q = np.ascontiguousarray(queries[mask])
        graph = search(numeric, Q, k_here, exclude=exclude, backend=backend, n_jobs=n_jobs)
        found = np.asarray(graph.indices, dtype=np.int64)
        distances[mask, :k_here] = _canonical_sq(Q, numeric, found)
        indices[mask, :k_here] = found + offset
    local = np.where(indices >= 0, indices - offset, 0)
    return PartAnswer(distances, indices, labels[local])


# Queries merged at a time: a merge's temporaries grow with queries x candidates.
_MERGE_BLOCK = 4096


def merge_answers(answers: list[PartAnswer | None], k: int) -> PartAnswer | None:
    """The ``k`` best of several answers to the same queries (in any order or grouping).

    Associative and commutative: the order is (squared distance, global row
    number), and a row's label travels with it.  None (empty partitions only)
    when no answer has rows.  Queries are merged a block at a time, so the
    temporaries stay a few MB whatever the number of queries.
    """
    from ..neighbors import merge_top_k

    found = [a for a in answers if a is not None]
    if not found:
        return None
    if len(found) == 1 and found[0].indices.shape[1] <= k:
        return found[0]
    n_queries = found[0].indices.shape[0]
    width = min(k, sum(a.indices.shape[1] for a in found))
    distances = np.empty((n_queries, width))
    indices = np.empty((n_queries, width), dtype=np.int64)
    labels = np.empty((n_queries, width), dtype=found[0].labels.dtype)
    for lo in range(0, n_queries, _MERGE_BLOCK):
        hi = min(lo + _MERGE_BLOCK, n_queries)
        merged = merge_top_k(
            [NeighborGraph(a.distances[lo:hi], a.indices[lo:hi]) for a in found], width
        )
        distances[lo:hi], indices[lo:hi] = merged.distances, merged.indices
        candidates = np.concatenate([a.indices[lo:hi] for a in found], axis=1)
        their_labels = np.concatenate([a.labels[lo:hi] for a in found], axis=1)
        rows = np.arange(hi - lo)
        for j in range(width):
            column = np.argmax(candidates == merged.indices[:, j : j + 1], axis=1)
            labels[lo:hi, j] = their_labels[rows, column]
    return PartAnswer(distances, indices, labels)


def kept_rows(
    x: Any,
    y: Any,
    label: Any,
    keep: np.ndarray | None,
    first: int,
    offset: int,
    kind: str,
    start: int,
) -> tuple[Any, Any, np.ndarray]:
    """The rows of class ``label`` an under-sampler keeps from this partition.

    The partition's rows of the class are class-local positions ``first ..``;
    ``keep`` holds those kept (sorted, perhaps repeated), None keeps them all.
    Returns the rows of X and y (a pandas partition numbered from ``start``)
    and their global row numbers.
    """
    found = labels_of(y)
    local = np.flatnonzero(found == label)
    if keep is not None:
        local = local[keep - first]
    x_out = take_rows(x, local)
    if kind == "frame":
        index = pd.RangeIndex(start, start + local.shape[0])
        x_out.index = index
        y_out = y.iloc[local].set_axis(index)
    else:
        y_out = np.asarray(y)[local]
    return x_out, y_out, local + offset


def vdm_counts(
    x: Any, y: Any, reader: Any, probe: Any, classes: list[Any]
) -> list[np.ndarray] | None:
    """Counts of every (code, class) pair of every categorical feature in this partition."""
    if n_rows_of(x) == 0:
        return None
    table = read_rows(reader, x, probe)
    found = labels_of(y)
    index = np.searchsorted(np.asarray(classes), found)
    n_classes = len(classes)
    out = []
    for f, n_levels in enumerate(table.n_levels):
        flat = table.codes[:, f].astype(np.int64) * n_classes + index
        out.append(np.bincount(flat, minlength=n_levels * n_classes).reshape(n_levels, n_classes))
    return out
