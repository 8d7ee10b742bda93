"""Under-sampling on Dask: each class's kept rows, class by class, in row order."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._engine import class_positions
from ._class_plan import RowlessTable, plan_once
from ._graph import Resampled, get
from ._input import Partitioned

__all__ = ["under_sample"]


def under_sample(
    sampler: Any,
    data: Partitioned,
    counts: dict[Any, int],
    part_counts: list[dict[Any, int]],
    targets: dict[Any, int],
    seed: Any,
    offsets: list[int],
) -> Resampled:
    """An under-sampler's output: each class's kept rows, class by class, in row order."""
    from ._partition import kept_rows

    positions = class_positions(np.asarray(list(counts)))
    out = Resampled()
    out.sample_indices = []
    start = 0
    for label, size in counts.items():
        keep = None
        if label in targets:
            planned = plan_once(
                sampler, RowlessTable(size), label, positions[label], targets[label], seed, None
            )
            keep = np.asarray(planned.keep, dtype=np.int64)
        first = 0
        for p in range(data.n_parts):
            n_here = part_counts[p].get(label, 0)
            if n_here == 0:
                continue
            mine = None
            if keep is not None:
                lo, hi = np.searchsorted(keep, [first, first + n_here])
                mine = keep[lo:hi]
            n_out = n_here if mine is None else int(mine.shape[0])
            if n_out:
                part = data.call(p, kept_rows, label, mine, first, offsets[p], data.kind, start)
                out.x_parts.append(get(part, 0))
                out.y_parts.append(get(part, 1))
                out.sample_indices.append(get(part, 2))
                out.lengths.append(n_out)
                start += n_out
            first += n_here
    return out
