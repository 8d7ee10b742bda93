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

__all__ = [
    "PlannedClass",
    "RowlessTable",
    "class_table",
    "outside_neighbors",
    "plan_once",
    "window_batch",
    "window_provenance",
]


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


class RecordingNeighbors:
    """A neighbour source that keeps every answer it gives, in order."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.records = inner, []

    def within_class(self, task: ClassTask, k: int, **options: Any) -> NeighborGraph:
        """See :class:`smotekit._plan.NeighborSource`."""
        found = self.inner.within_class(task, k, **options)
        self.records.append(("within", k, found))
        return found

    def among_all(self, task: ClassTask, k: int, **options: Any) -> tuple[NeighborGraph, Any]:
        """See :class:`smotekit._plan.NeighborSource`."""
        found = self.inner.among_all(task, k, **options)
        self.records.append(("among", k, found))
        return found


class ReplayNeighbors:
    """Gives back a recorded run's answers, in the order they were asked for.

    A plan is deterministic, so running it again on the same class asks the
    same questions in the same order; the answers need no new search.
    """

    def __init__(self, records: list[tuple[str, int, Any]]) -> None:
        self.records, self.next = records, 0

    def _answer(self, kind: str, k: int) -> Any:
        found_kind, found_k, answer = self.records[self.next]
        if (found_kind, found_k) != (kind, k):  # pragma: no cover - a plan changed its mind
            raise AssertionError("a plan asked other neighbour questions when run again")
        self.next += 1
        return answer

    def within_class(self, task: ClassTask, k: int, **options: Any) -> NeighborGraph:
        """See :class:`smotekit._plan.NeighborSource`."""
        return self._answer("within", k)

    def among_all(self, task: ClassTask, k: int, **options: Any) -> tuple[NeighborGraph, Any]:
        """See :class:`smotekit._plan.NeighborSource`."""
        return self._answer("among", k)


@dataclasses.dataclass
class PlannedClass:
    """A class's plan, run once without making rows: its neighbour answers and outcome.

    Each chunk of the class's new rows then runs the plan again on a window of
    the class's streams (:func:`window_batch`), replaying these answers: no
    task ever holds the recipe of all the class's new rows.

    Attributes
    ----------
    sampler : object
        The configured sampler.
    label, position, n_target, seed
        The class, its stream key, its new rows and the root seed.
    records : list
        The neighbour answers, in the order the plan asked for them.
    global_rows : ndarray of int or None
        Global row number of every row of the class.
    makes_rows : bool
        Whether the plan makes rows at all (Borderline-SMOTE without DANGER rows does not).
    diagnostics : dict
    keep : ndarray of int or None
        Under-samplers: the class-local rows kept.
    """

    sampler: Any
    label: Any
    position: int
    n_target: int
    seed: Any
    records: list[tuple[str, int, Any]]
    global_rows: np.ndarray | None
    makes_rows: bool
    diagnostics: dict[str, Any]
    keep: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Synthetic rows the class makes."""
        return self.n_target if self.makes_rows else 0

    def task(self, table: Any, neighbors: Any, window: tuple[int, int]) -> ClassTask:
        """The plan's view of the class, with streams limited to ``window``."""
        root = self.seed if self.seed is not None else np.random.SeedSequence(0)
        return ClassTask(
            label=self.label,
            position=self.position,
            rows=np.arange(table.n_rows),
            n_target=int(self.n_target),
            streams=ClassStreams(root, self.position).windowed(*window),
            neighbors=neighbors,
            table=table,
        )


def plan_once(
    sampler: Any,
    table: Any,
    label: Any,
    position: int,
    n_target: int,
    seed: np.random.SeedSequence | None,
    global_rows: np.ndarray | None,
    among: PartAnswer | None = None,
    within: PartAnswer | None = None,
) -> PlannedClass:
    """Run ``sampler``'s plan on one class for its neighbour answers, making no row."""
    source = RecordingNeighbors(
        GatheredNeighbors(table, among, within, getattr(sampler, "n_jobs", None))
    )
    planned = PlannedClass(sampler, label, position, n_target, seed, [], global_rows, False, {})
    plan = sampler._plan(planned.task(table, source, (0, 0)))
    planned.records, planned.diagnostics = source.records, plan.diagnostics
    planned.keep = plan.keep
    planned.makes_rows = plan.batch is not None
    return planned


def window_batch(planned: PlannedClass, table: Any, lo: int, hi: int) -> SyntheticBatch | None:
    """The class's new rows ``lo:hi``: its plan on that window, answers replayed."""
    if not planned.makes_rows:
        return None
    plan = planned.sampler._plan(planned.task(table, ReplayNeighbors(planned.records), (lo, hi)))
    return _compact(plan.batch)


def window_provenance(
    planned: PlannedClass,
    table: Any,
    lo: int,
    hi: int,
    label_dtype: Any,
    n_voters: int,
    first: int,
) -> Any:  # pandas.DataFrame
    """Provenance of the class's new rows ``lo:hi``, with global row numbers.

    ``first`` is the number of the first of them among all the new rows (the
    in-memory ``provenance_`` index).
    """
    b = window_batch(planned, table, lo, hi)
    if b is None or b.size == 0:
        return _empty_provenance(label_dtype, n_voters)
    rows = planned.global_rows
    neighbors = b.neighbors
    if neighbors is not None and b.neighbor_space == "class":
        neighbors = rows[neighbors]
    mapped = SyntheticBatch(b.label, rows, b.seeds, neighbors, b.gaps, "all", b.voters)
    out = provenance_table([mapped], label_dtype)
    out.index = pd.RangeIndex(first, first + b.size)
    return out


def outside_neighbors(planned: PlannedClass) -> np.ndarray:
    """Sorted global rows of other classes among the class's answers over all rows."""
    found = [np.unique(answer[0].indices) for kind, _, answer in planned.records if kind == "among"]
    if not found:
        return np.empty(0, dtype=np.int64)
    rows = np.unique(np.concatenate(found))
    return rows[~np.isin(rows, planned.global_rows)].astype(np.int64)


def _empty_provenance(label_dtype: Any, n_voters: int) -> Any:
    empty = np.empty(0, dtype=np.int64)
    voters = np.empty((n_voters, 0), dtype=np.int64) if n_voters else None
    batch = SyntheticBatch(None, empty, empty, empty, np.empty(0), "all", voters)
    return provenance_table([batch], label_dtype)
