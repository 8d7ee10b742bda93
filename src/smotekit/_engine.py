"""The in-memory engine: one driver loop that runs a sampler's plan on every class.

``run_plans`` builds one :class:`~smotekit._plan.ClassTask` per targeted class
(label order), answers its neighbour queries with :class:`InMemoryNeighbors`
and collects the plans' results; the sampler sets its fitted attributes from
them after the loop and :mod:`smotekit._output` turns the recipes into rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import InvalidParameterError

from ._plan import ClassTask, MixedMetric, VDMMetric
from ._random import ClassStreams
from ._recipe import ClassPlan
from .neighbors import (
    FittedNeighbors,
    KNeighborsAdapter,
    NeighborGraph,
    SearchIndex,
    mixed_search,
)
from .neighbors import vdm_search as _vdm_search
from .neighbors._report import SearchRecord

__all__ = [
    "InMemoryNeighbors",
    "check_class_size",
    "class_positions",
    "fitted_neighbors",
    "last_class_rows",
    "resolve_k",
    "run_plans",
]


def class_positions(y: np.ndarray) -> dict[Any, int]:
    """Position of each label among the sorted labels (the key of its random streams)."""
    return {
        label.item() if hasattr(label, "item") else label: i for i, label in enumerate(np.unique(y))
    }


def resolve_k(
    k_neighbors: Any, neighbors: Any, parameter: str = "k_neighbors", owner: str = ""
) -> tuple[int, Any]:
    """Number of neighbours and backend from ``k_neighbors`` and ``neighbors``.

    An int ``k_neighbors`` uses the ``neighbors`` backend.  A scikit-learn style
    object (imbalanced-learn's convention) is used as the backend, with
    ``k = n_neighbors - 1`` since its own row is among its neighbours.
    """
    if hasattr(k_neighbors, "kneighbors"):
        n_neighbors = getattr(k_neighbors, "n_neighbors", None)
        if n_neighbors is None:
            raise ValueError(f"A {parameter} object must have an n_neighbors attribute.")
        if int(n_neighbors) < 2:
            raise InvalidParameterError(
                f"The {parameter!r} parameter of {owner or 'the sampler'} must be an int in "
                "the range [1, inf) or an object implementing 'kneighbors' whose n_neighbors "
                f"is at least 2 (its own row is among its neighbours). Got an object with "
                f"n_neighbors={n_neighbors!r} instead."
            )
        return int(n_neighbors) - 1, KNeighborsAdapter(k_neighbors)
    return int(k_neighbors), neighbors


def check_class_size(n_rows: int, k: int, label: Any, parameter: str, owner: str) -> None:
    """A clear error when a class is too small for ``k`` neighbours."""
    label = label.item() if isinstance(label, np.generic) else label
    if n_rows < k + 1:
        fix = (
            f"use {parameter} <= {n_rows - 1}"
            if n_rows > 1
            else "it needs at least 2 rows; use RandomOverSampler for it, or drop it from "
            "sampling_strategy"
        )
        raise ValueError(
            f"Class {label!r} has {n_rows} row(s), too few for {parameter}={k}: each of its "
            f"rows needs {k} neighbours of the same class ({k + 1} rows in all). {fix}."
        )


def fitted_neighbors(k: int, rows: Any, backend: Any, **options: Any) -> Any:
    """imbalanced-learn's fitted neighbour attribute: ``n_neighbors = k + 1`` over ``rows``.

    ``rows`` None (nothing was searched) gives an unfitted scikit-learn
    ``NearestNeighbors(n_neighbors=k + 1)``, as imbalanced-learn leaves it.
    """
    if rows is None:
        from sklearn.neighbors import NearestNeighbors

        return NearestNeighbors(n_neighbors=k + 1)
    return FittedNeighbors(k + 1, rows, backend, **options)


def last_class_rows(plans: list[Any], y: np.ndarray) -> np.ndarray | None:
    """Rows of the last class a plan ran on (imbalanced-learn's estimators end fitted on it)."""
    return np.flatnonzero(y == plans[-1].label) if plans else None


def _dense(rows: Any) -> np.ndarray:
    return rows.toarray() if sparse.issparse(rows) else rows


class InMemoryNeighbors:
    """Neighbour queries over data held in this process.

    A backend fitted on all rows is kept and reused for every class (keyed by
    the backend specification), so Borderline-SMOTE and ADASYN fit it once.

    Parameters
    ----------
    table : Table
        The data.
    y : ndarray
        Labels of all rows.
    n_jobs : int or None
        Threads for the searches.

    Attributes
    ----------
    searches : list of SearchRecord
        The Euclidean searches answered by a backend that is not exact, in the
        order they ran (what the sampler's ``neighbors_report_`` is made of).
    """

    def __init__(self, table: Any, y: np.ndarray, n_jobs: int | None = None) -> None:
        self.table, self.y, self.n_jobs = table, y, n_jobs
        self._indexes: dict[int, tuple[Any, SearchIndex]] = {}
        self.searches: list[SearchRecord] = []

    def within_class(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        metric: MixedMetric | VDMMetric | None = None,
        backend: Any = "auto",
    ) -> NeighborGraph:
        """See :class:`smotekit._plan.NeighborSource`."""
        if isinstance(metric, MixedMetric):
            self._self_query_only(queries, "the SMOTE-NC distance")
            graph = mixed_search(
                task.numeric(),
                task.codes(),
                metric.median_std,
                k,
                backend=backend,
                n_jobs=self.n_jobs,
            )
            return graph
        if isinstance(metric, VDMMetric):
            self._self_query_only(queries, "the VDM")
            return _vdm_search(task.codes(), metric.tables, k, backend=backend, n_jobs=self.n_jobs)
        X = task.numeric()
        Q = None if queries is None else _dense(X[queries])
        index = SearchIndex(X, backend, self.n_jobs)
        graph = index.query(Q, k, exclude=queries)
        self._record("within_class", task, X, Q, queries, graph, backend, index, index.fit_seconds)
        return graph

    def among_all(
        self,
        task: ClassTask,
        k: int,
        *,
        queries: np.ndarray | None = None,
        backend: Any = "auto",
    ) -> tuple[NeighborGraph, np.ndarray]:
        """See :class:`smotekit._plan.NeighborSource`."""
        numeric = self.table.numeric
        if k > numeric.shape[0] - 1:
            raise ValueError(
                f"{k} neighbours among all rows need at least {k + 1} rows; X has "
                f"{numeric.shape[0]}. Use at most {numeric.shape[0] - 1}."
            )
        rows = task.rows if queries is None else task.rows[queries]
        index = self._index(backend)
        fitted_before = index.fit_seconds
        Q = _dense(numeric[rows])
        graph = index.query(Q, k, exclude=rows)
        built = index.fit_seconds - fitted_before
        self._record("among_all", task, numeric, Q, rows, graph, backend, index, built)
        return graph, self.y[graph.indices] == task.label

    def _record(
        self,
        kind: str,
        task: ClassTask,
        X: Any,
        Q: np.ndarray | None,
        exclude: np.ndarray | None,
        graph: NeighborGraph,
        backend: Any,
        index: SearchIndex,
        built: float,
    ) -> None:
        """Keep a search for the report when its backend is not exact (exact ones: nothing)."""
        if graph.exact or getattr(index._engine, "euclidean_exact", False):
            return
        self.searches.append(
            SearchRecord(
                kind=kind,
                label=task.label,
                X=X,
                Q=Q,
                exclude=exclude,
                indices=graph.indices,
                spec=backend,
                engine=index._engine,
                build_seconds=built,
                query_seconds=index.query_seconds,
            )
        )

    def _index(self, backend: Any) -> SearchIndex:
        key = id(backend)
        found = self._indexes.get(key)
        if found is None:
            found = (backend, SearchIndex(self.table.numeric, backend, self.n_jobs))
            self._indexes[key] = found
        return found[1]

    @staticmethod
    def _self_query_only(queries: np.ndarray | None, what: str) -> None:
        if queries is not None:
            raise ValueError(f"Searches under {what} are self-queries of the whole class.")


def run_plans(
    plan: Callable[[ClassTask], ClassPlan],
    table: Any,
    y: np.ndarray,
    targets: dict[Any, int],
    seed: np.random.SeedSequence | None,
    *,
    n_jobs: int | None = None,
    source: Any = None,
) -> list[ClassPlan]:
    """Run ``plan`` on every targeted class, in label order.

    Parameters
    ----------
    plan : callable ``ClassTask -> ClassPlan``
        The sampler's plan with its configuration bound.
    table : Table
        The validated data.
    y : ndarray
        Labels.
    targets : dict
        ``{label: rows to make or keep}`` (``sampling_strategy_``).
    seed : numpy.random.SeedSequence or None
        Root of the random streams (None for deterministic samplers).
    n_jobs : int or None
        Threads for the neighbour searches.
    source : NeighborSource or None
        Answers neighbour queries; default :class:`InMemoryNeighbors`.

    Returns
    -------
    list of ClassPlan
    """
    source = source if source is not None else InMemoryNeighbors(table, y, n_jobs)
    positions = class_positions(y)
    root = seed if seed is not None else np.random.SeedSequence(0)
    plans = []
    for label, n_target in targets.items():
        rows = np.flatnonzero(y == label)
        task = ClassTask(
            label=label,
            position=positions[label],
            rows=rows,
            n_target=int(n_target),
            streams=ClassStreams(root, positions[label]),
            neighbors=source,
            table=table,
        )
        plans.append(plan(task))
    return plans
