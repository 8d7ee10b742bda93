"""The seam between samplers and engines: what a plan sees of one class.

A *plan* is a pure function ``plan(task, **config) -> ClassPlan``.  The
:class:`ClassTask` gives it one class's rows (through ``table`` and ``rows``),
the number of rows to make or keep, the class's random streams and a
:class:`NeighborSource` that answers its neighbour queries.  The in-memory
engine (:mod:`smotekit._engine`) builds tasks over the whole data; another
engine (Dask) builds them over one gathered class and answers the queries its
own way; a test can answer them from a precomputed graph.  All give the same
rows, because the plan and its streams are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ._random import ClassStreams
from .neighbors import NeighborGraph

__all__ = ["ClassTask", "MixedMetric", "NeighborSource", "VDMMetric"]


@dataclass(frozen=True)
class MixedMetric:
    """The SMOTE-NC distance with this ``median_std`` (continuous + categorical mismatches)."""

    median_std: float


@dataclass(frozen=True)
class VDMMetric:
    """The Value Difference Metric with these class-conditional tables."""

    tables: list[np.ndarray]


class NeighborSource(Protocol):
    """Answers a plan's neighbour queries (exact engines: ties broken by index)."""

    def within_class(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        metric: MixedMetric | VDMMetric | None = None,
        backend: Any = "auto",
    ) -> NeighborGraph:
        """k nearest rows of the class for class rows ``queries`` (all if None), self excluded.

        Indices are class-local (positions in ``task.rows``).  ``metric`` None is
        the Euclidean distance of the numeric features.
        """
        ...

    def among_all(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        backend: Any = "auto",
    ) -> tuple[NeighborGraph, np.ndarray]:
        """k nearest rows of all the data for class rows ``queries`` (all if None), self excluded.

        Returns the graph (indices into all rows) and, of the same shape,
        whether each neighbour belongs to the task's class.
        """
        ...


@dataclass
class ClassTask:
    """One class, as a plan sees it.

    Attributes
    ----------
    label : object
        The class.
    position : int
        Its position among the sorted labels (its random streams' key).
    rows : ndarray of int
        Its rows, as indices into ``table``.
    n_target : int
        Rows to generate (over-samplers) or to keep (under-samplers).
    streams : ClassStreams
        Its random streams.
    neighbors : NeighborSource
        Answers its neighbour queries.
    table : object
        The data: a :class:`~smotekit._table.Table` or anything with ``numeric``
        and ``codes`` arrays indexed by ``rows``.
    """

    label: Any
    position: int
    rows: np.ndarray
    n_target: int
    streams: ClassStreams
    neighbors: NeighborSource
    table: Any

    @property
    def size(self) -> int:
        """Number of rows of the class."""
        return int(self.rows.shape[0])

    def numeric(self) -> Any:
        """The class's numeric features, shape (size, n_numeric)."""
        return self.table.numeric[self.rows]

    def codes(self) -> np.ndarray:
        """The class's categorical codes, shape (size, n_categorical)."""
        return self.table.codes[self.rows]
