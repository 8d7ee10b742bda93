"""Batched exact mode: a class too large for one worker, never gathered.

The class's rows stay in their partitions (one piece per partition).  Its
neighbour graphs are built a slice of queries at a time: every slice is
answered by every piece (within the class) or every partition (among all
rows), and merged exactly, so no task holds more than one slice, one piece
and the graphs.  The plan then runs on the graphs alone (it needs no rows),
and chunk ``j`` of the new rows fetches from the pieces just the rows its
recipe names.  Same plans, same streams, same kernel: the same rows as in
memory, for more passes over the data.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._recipe import SyntheticBatch
from .._table import Table
from ._class_plan import RowlessTable, plan_once
from ._graph import delayed, get, tree_merge
from ._partition import PartAnswer, concat_rows, partition_answer, read_rows, rows_at
from ._synthetic import needs_wide

__all__ = ["DEFAULT_BATCH_ROWS", "batched_class", "chunk_table"]

# Query rows per slice of the batched search.
DEFAULT_BATCH_ROWS = 1 << 17


def _piece_numeric(reader: Any, piece: tuple[Any, np.ndarray]) -> np.ndarray:
    if piece[0].shape[0] == 0:
        return np.empty((0, 0))
    numeric = read_rows(reader, piece[0]).numeric
    return np.ascontiguousarray(numeric.toarray() if hasattr(numeric, "toarray") else numeric)


def _slice_queries(numerics: list[np.ndarray], firsts: list[int], a: int, b: int) -> np.ndarray:
    """Class rows ``a:b`` (class-local numbers) from the pieces that hold them."""
    parts = []
    for numeric, first in zip(numerics, firsts):
        lo, hi = max(a, first), min(b, first + numeric.shape[0])
        if lo < hi:
            parts.append(numeric[lo - first : hi - first])
    return np.concatenate(parts, axis=0)


def _concat_answers(answers: list[PartAnswer]) -> PartAnswer:
    return PartAnswer(
        np.concatenate([a.distances for a in answers]),
        np.concatenate([a.indices for a in answers]),
        np.concatenate([a.labels for a in answers]),
    )


def _same_labels(numeric: np.ndarray) -> np.ndarray:
    return np.zeros(numeric.shape[0], dtype=np.int8)


def _chunk_wanted(batch: SyntheticBatch | None) -> tuple[np.ndarray, np.ndarray]:
    """Class-local and global rows a chunk's recipe reads."""
    if batch is None:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    local = [batch.seeds]
    outside = np.empty(0, dtype=np.int64)
    if batch.neighbors is not None and batch.neighbor_space == "class":
        local.append(batch.neighbors)
    elif batch.neighbors is not None:
        outside = np.unique(batch.neighbors)
    return np.unique(np.concatenate(local)).astype(np.int64), outside


def _piece_rows(piece: tuple[Any, np.ndarray], first: int, wanted: np.ndarray) -> tuple[Any, Any]:
    from .._output import take_rows

    n = piece[0].shape[0]
    lo, hi = np.searchsorted(wanted, [first, first + n])
    mine = wanted[lo:hi]
    return take_rows(piece[0], mine - first), piece[1][mine - first]


def _chunk_source(
    reader: Any,
    batch: SyntheticBatch | None,
    from_pieces: list[tuple[Any, np.ndarray]],
    from_parts: list[tuple[Any, np.ndarray]] | None,
    global_rows: np.ndarray,
) -> tuple[Table | None, SyntheticBatch | None]:
    """The rows one chunk reads, and its recipe renumbered into them."""
    if batch is None or batch.size == 0:
        return None, batch
    pieces = [p for p in from_pieces if p[0].shape[0]]
    if from_parts:
        pieces += [p for p in from_parts if p[0].shape[0]]
    container, rows = concat_rows(pieces)
    # Rows fetched twice (a class row named as an all-data neighbour) are harmless:
    # renumbering takes the first.
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]

    def position(global_ids: np.ndarray) -> np.ndarray:
        return order[np.searchsorted(sorted_rows, global_ids)]

    seeds = position(global_rows[batch.seeds])
    neighbors = batch.neighbors
    if neighbors is not None:
        neighbors = position(
            global_rows[neighbors] if batch.neighbor_space == "class" else neighbors
        )
    table = read_rows(reader, container)
    local = SyntheticBatch(
        batch.label,
        np.arange(table.n_rows),
        seeds,
        neighbors,
        batch.gaps,
        "class",
        batch.voters,
        batch.codes,
        batch.noise,
    )
    return table, local


def batched_class(
    sampler: Any,
    reads: list[Any],
    pieces: list[Any],
    offsets: list[int],
    label: Any,
    position: int,
    n_target: int,
    seed: Any,
    k_among: int,
    class_max_abs: float,
    wide_all: bool,
    numeric_dtype: Any,
    support: Any,
    batch_rows: int | None,
    part_counts: list[dict[Any, int]],
) -> tuple[Any, Any, bool]:
    """One class in batched mode: ``(planned, sources, wide)``.

    ``planned`` is the class's :class:`PlannedClass` (delayed); ``sources`` what
    :func:`chunk_table` fetches each chunk's rows from; ``wide`` the
    interpolation's arithmetic, decided from the rows in memory would gather from.
    """
    if getattr(sampler, "shrinkage_", None) is not None:
        raise ValueError(
            "RandomOverSampler with shrinkage needs each class's standard deviations from all "
            "its rows in one task; use mode='gather'."
        )
    step = int(batch_rows or DEFAULT_BATCH_ROWS)
    class_pieces = [get(piece, label) for piece in pieces]
    sizes = [pc.get(label, 0) for pc in part_counts]
    firsts = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
    m = firsts[-1]
    numerics = [delayed(_piece_numeric)(sampler._read_X, p) for p in class_pieces]
    global_rows = delayed(_joined_rows)(class_pieces)
    k_within = support.within(sampler)
    within_slices, among_slices = [], []
    for a in range(0, m, step):
        b = min(a + step, m)
        holders = [i for i in range(len(sizes)) if sizes[i] and firsts[i] < b and firsts[i + 1] > a]
        queries = delayed(_slice_queries)(
            [numerics[i] for i in holders], [firsts[i] for i in holders], a, b
        )
        local_ids = np.arange(a, b, dtype=np.int64)
        if k_within:
            answers = [
                delayed(partition_answer)(
                    numerics[i],
                    delayed(_same_labels)(numerics[i]),
                    firsts[i],
                    queries,
                    local_ids,
                    k_within,
                )
                for i in range(len(sizes))
                if sizes[i]
            ]
            within_slices.append(tree_merge(answers, k_within))
        if k_among:
            query_rows = delayed(operator.getitem)(global_rows, slice(a, b))
            answers = [
                delayed(partition_answer)(
                    get(read, 0), get(read, 1), offsets[p], queries, query_rows, k_among
                )
                for p, read in enumerate(reads)
            ]
            among_slices.append(tree_merge(answers, k_among))
    within = delayed(_concat_answers)(within_slices) if within_slices else None
    among = delayed(_concat_answers)(among_slices) if among_slices else None
    planned = delayed(plan_once)(
        sampler, RowlessTable(m), label, position, n_target, seed, global_rows, among, within
    )
    wide = wide_all if support.all_space(sampler) else needs_wide(class_max_abs, numeric_dtype)
    return planned, (class_pieces, firsts, global_rows), wide


def _joined_rows(pieces: list[tuple[Any, np.ndarray]]) -> np.ndarray:
    return np.concatenate([p[1] for p in pieces]).astype(np.int64)


def chunk_table(
    sampler: Any,
    data: Any,
    sources: tuple[list[Any], list[int], Any],
    offsets: list[int],
    chunk_batch: Any,
    all_space: bool,
) -> tuple[Any, Any]:
    """The delayed (table, renumbered batch) of one chunk in batched mode."""
    class_pieces, firsts, global_rows = sources
    wanted = delayed(_chunk_wanted)(chunk_batch)
    local_wanted = get(wanted, 0)
    from_pieces = [
        delayed(_piece_rows)(piece, firsts[i], local_wanted)
        for i, piece in enumerate(class_pieces)
        if firsts[i + 1] > firsts[i]
    ]
    from_parts = None
    if all_space:
        from_parts = [
            data.call_x(p, rows_at, offsets[p], get(wanted, 1), late=True)
            for p in range(data.n_parts)
        ]
    resolved = delayed(_chunk_source)(
        sampler._read_X, chunk_batch, from_pieces, from_parts, global_rows
    )
    return get(resolved, 0), get(resolved, 1)
