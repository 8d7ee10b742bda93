"""One class's plan on a worker: the sampler's own plan function over the class's rows.

The class's rows arrive gathered (:func:`class_table`), or (batched mode) not
at all, only its neighbour graphs.  Either way the plan function is the one the
in-memory engine runs; the neighbour source below answers its queries from the
class's rows and from the merged per-partition answers, exactly as
:class:`smotekit._engine.InMemoryNeighbors` would over all the data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from .._engine import InMemoryNeighbors
from .._plan import ClassTask
from .._random import ClassStreams
from .._recipe import SyntheticBatch, provenance_table
from .._table import Table
from ..neighbors import NeighborGraph
from ._partition import PartAnswer, read_rows

__all__ = ["ClassResult", "RowlessTable", "class_table", "run_class_plan"]


def class_table(reader: Any, gathered: tuple[Any, np.ndarray], probe: Any) -> Table:
    """The validated table of one gathered class (codecs of the whole data)."""
    return read_rows(reader, gathered[0], probe)


@dataclasses.dataclass
class RowlessTable:
    """A class's size without its rows (batched mode: the rows stay in their partitions)."""

    n_rows: int

    @property
    def numeric(self) -> Any:
        raise ValueError(
            "This sampler needs all the rows of the class in one place, which batched mode "
            "avoids; use mode='gather' (with more memory per worker if need be)."
        )


def _graph(answer: PartAnswer, k: int, rows: np.ndarray | None) -> tuple[NeighborGraph, Any]:
    distances, indices, labels = answer.distances, answer.indices, answer.labels
    if rows is not None:
        distances, indices, labels = distances[rows], indices[rows], labels[rows]
    graph = NeighborGraph(np.sqrt(distances[:, :k]), indices[:, :k], exact=True)
    return graph, labels[:, :k]


class GatheredNeighbors:
    """Answers a class's neighbour queries on a worker.

    Parameters
    ----------
    table : Table or RowlessTable
        The class's rows.
    among : PartAnswer or None
        The class's rows' best neighbours among all rows (global numbers), with
        as many columns as the plan's largest among-all query.
    within : PartAnswer or None
        Batched mode: their best neighbours within the class (class-local numbers).
    n_jobs : int or None
        Threads for a search on the gathered rows.
    """

    def __init__(
        self,
        table: Any,
        among: PartAnswer | None,
        within: PartAnswer | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.table, self.among, self.within = table, among, within
        self._memory = InMemoryNeighbors(table, None, n_jobs) if within is None else None

    def within_class(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        metric: Any = None,
        backend: Any = "auto",
    ) -> NeighborGraph:
        """See :class:`smotekit._plan.NeighborSource`."""
        if self._memory is not None:
            return self._memory.within_class(
                task, k, queries=queries, metric=metric, backend=backend
            )
        return _graph(self.within, k, queries)[0]

    def among_all(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        backend: Any = "auto",
    ) -> tuple[NeighborGraph, np.ndarray]:
        """See :class:`smotekit._plan.NeighborSource`."""
        if self.among is None or self.among.indices.shape[1] < k:
            raise AssertionError("the Dask engine computed too few neighbours among all rows")
        graph, labels = _graph(self.among, k, queries)
        return graph, labels == task.label


@dataclasses.dataclass
class ClassResult:
    """A class's plan on the Dask engine.

    Attributes
    ----------
    batch : SyntheticBatch or None
        The recipe, class-local (``rows`` is ``arange(size)``; with
        ``neighbor_space="all"`` the neighbours are global row numbers).
    keep : ndarray or None
        Kept class-local rows (under-samplers).
    global_rows : ndarray of int or None
        Global row number of every row of the class.
    diagnostics : dict
    """

    batch: SyntheticBatch | None
    keep: np.ndarray | None
    global_rows: np.ndarray | None
    diagnostics: dict[str, Any]

    @property
    def size(self) -> int:
        """Synthetic rows made."""
        return 0 if self.batch is None else self.batch.size


def run_class_plan(
    sampler: Any,
    table: Any,
    label: Any,
    position: int,
    n_target: int,
    seed: np.random.SeedSequence | None,
    global_rows: np.ndarray | None,
    among: PartAnswer | None = None,
    within: PartAnswer | None = None,
) -> ClassResult:
    """Run ``sampler``'s plan on one class, as the in-memory engine would."""
    source = GatheredNeighbors(table, among, within, getattr(sampler, "n_jobs", None))
    root = seed if seed is not None else np.random.SeedSequence(0)
    task = ClassTask(
        label=label,
        position=position,
        rows=np.arange(table.n_rows),
        n_target=int(n_target),
        streams=ClassStreams(root, position),
        neighbors=source,
        table=table,
    )
    plan = sampler._plan(task)
    batch = _compact(plan.batch) if plan.batch is not None else None
    return ClassResult(batch, plan.keep, global_rows, plan.diagnostics)


def _narrow(indices: np.ndarray | None) -> np.ndarray | None:
    if indices is None or indices.size == 0 or indices.max() >= np.iinfo(np.int32).max:
        return indices
    return indices.astype(np.int32)


def _compact(batch: SyntheticBatch) -> SyntheticBatch:
    """The recipe with 32-bit row numbers where they fit: it may be the largest object
    of a job (24 bytes per new row become 16) and it travels between workers."""
    return dataclasses.replace(
        batch,
        seeds=_narrow(batch.seeds),
        neighbors=_narrow(batch.neighbors),
        voters=_narrow(batch.voters),
    )


def batch_slice(result: ClassResult, start: int, stop: int) -> SyntheticBatch | None:
    """Rows ``start:stop`` of a class's recipe (None when the class made none)."""
    b = result.batch
    if b is None:
        return None

    def cut(values: np.ndarray | None, axis: int = 0) -> np.ndarray | None:
        if values is None:
            return None
        return values[start:stop] if axis == 0 else values[:, start:stop]

    return SyntheticBatch(
        b.label,
        b.rows,
        b.seeds[start:stop],
        cut(b.neighbors),
        cut(b.gaps),
        b.neighbor_space,
        cut(b.voters, 1),
        cut(b.codes, 1),
        cut(b.noise),
    )


def class_provenance(
    result: ClassResult, start: int, stop: int, label_dtype: Any, n_voters: int, first: int
) -> Any:  # pandas.DataFrame
    """Provenance of a class's new rows ``start:stop``, with global row numbers.

    ``first`` is the number of the first of them among all the new rows (the
    in-memory ``provenance_`` index).
    """
    b = batch_slice(result, start, stop)
    if b is None or b.size == 0:
        return _empty_provenance(label_dtype, n_voters)
    rows = result.global_rows
    neighbors = b.neighbors
    if neighbors is not None and b.neighbor_space == "class":
        neighbors = rows[neighbors]
    mapped = SyntheticBatch(b.label, rows, b.seeds, neighbors, b.gaps, "all", b.voters)
    table = provenance_table([mapped], label_dtype)
    table.index = pd.RangeIndex(first, first + b.size)
    return table


def _empty_provenance(label_dtype: Any, n_voters: int) -> Any:
    empty = np.empty(0, dtype=np.int64)
    voters = np.empty((n_voters, 0), dtype=np.int64) if n_voters else None
    batch = SyntheticBatch(None, empty, empty, empty, np.empty(0), "all", voters)
    return provenance_table([batch], label_dtype)
