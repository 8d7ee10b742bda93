"""The chunk-keyed segment batch over groups of seeds.

One job: make a class's synthetic rows on segments from seed candidates cut
into consecutive groups (K-Means SMOTE's clusters, SVM-SMOTE's danger and safe
support vectors), each group making its own number of rows, every chunk of
rows drawing from its own stream.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._random import ClassStreams
from .._recipe import SyntheticBatch

__all__ = ["grouped_segment_batch"]


def grouped_segment_batch(
    label: Any,
    rows: np.ndarray,
    seed_pool: np.ndarray,
    neighbors: np.ndarray,
    group_starts: np.ndarray,
    counts: np.ndarray,
    streams: ClassStreams,
    *,
    gap_scales: np.ndarray | None = None,
) -> SyntheticBatch:
    """Rows on segments from seeds drawn group by group (clusters, danger/safe rows).

    The pool of seed candidates is cut into consecutive groups; group ``g``
    (pool entries ``group_starts[g]`` to ``group_starts[g + 1] - 1``) makes the
    next ``counts[g]`` rows.  Chunk ``j`` of the rows draws from
    ``streams.chunk(j)``, in this order: each row's seed uniformly in its group,
    its neighbour rank uniformly among the ``k`` columns of ``neighbors``, its
    ``u ~ U[0, 1)``; the gap is ``u * gap_scales[g]`` (1: interpolation towards
    the neighbour; negative: extrapolation away from it).

    Parameters
    ----------
    label : object
        The class of the new rows.
    rows : ndarray of int
        The class's rows.
    seed_pool : ndarray of int of shape (n_pool,)
        Class-local seed candidates, grouped.
    neighbors : ndarray of int of shape (n_pool, k)
        Class-local neighbours of every candidate.
    group_starts : ndarray of int of shape (n_groups + 1,)
        Boundaries of the groups in the pool.
    counts : ndarray of int of shape (n_groups,)
        Rows to make from each group (a non-empty group for a positive count).
    streams : ClassStreams
        The class's streams.
    gap_scales : ndarray of float of shape (n_groups,) or None
        Multiplier of every group's gaps; None: 1.

    Returns
    -------
    SyntheticBatch

    Examples
    --------
    >>> from smotekit._random import ClassStreams, to_seed_sequence
    >>> batch = grouped_segment_batch(
    ...     1, np.arange(4), np.arange(4), np.array([[1], [0], [3], [2]]), np.array([0, 2, 4]),
    ...     np.array([3, 2]), ClassStreams(to_seed_sequence(0), 0), gap_scales=np.array([1, -0.5]))
    >>> bool(np.all(batch.seeds[:3] < 2) and np.all(batch.seeds[3:] >= 2))
    True
    """
    group_starts = np.asarray(group_starts, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    sizes = np.diff(group_starts)
    if np.any((counts > 0) & (sizes == 0)):
        raise ValueError("A group with rows to make has no seed candidates.")
    scales = np.ones(counts.size) if gap_scales is None else np.asarray(gap_scales, float)
    n_new = int(counts.sum())
    group_of_row = np.repeat(np.arange(counts.size), counts)
    k = neighbors.shape[1]
    seeds = np.empty(n_new, dtype=np.int64)
    partners = np.empty(n_new, dtype=np.int64)
    gaps = np.empty(n_new, dtype=np.float64)
    for _, start, stop, rng in streams.chunks(n_new):
        group = group_of_row[start:stop]
        position = group_starts[group] + rng.integers(0, sizes[group])
        rank = rng.integers(0, k, size=stop - start)
        gaps[start:stop] = rng.random(stop - start) * scales[group]
        seeds[start:stop] = seed_pool[position]
        partners[start:stop] = neighbors[position, rank]
    return SyntheticBatch(label, rows, seeds, partners, gaps)
