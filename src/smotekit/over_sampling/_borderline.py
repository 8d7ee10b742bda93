"""Borderline-SMOTE: seeds only from the rows at the class border."""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
from sklearn.utils._param_validation import StrOptions

from .._engine import check_class_size, fitted_neighbors, last_class_rows, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import RandomStateLike
from .._recipe import ClassPlan
from .._selection import DANGER, borderline_categories
from .._table import Table
from ..base import BaseSampler
from ..neighbors._report import agreement_sample, exact_same_class
from ._smote import segment_batch

__all__ = ["BorderlineSMOTE", "NoBorderWarning", "borderline_plan"]


class NoBorderWarning(UserWarning):
    """A class has no DANGER rows, so Borderline-SMOTE generated none for it."""


def borderline_plan(
    task: ClassTask,
    *,
    k: int,
    m: int,
    kind: str = "borderline-1",
    k_backend: Any = "auto",
    m_backend: Any = "auto",
) -> ClassPlan:
    """Borderline-SMOTE's plan for one class (Han et al. 2005).

    The class's rows are labelled from their ``m`` nearest rows of all the data
    (SAFE, DANGER or NOISE); seeds are drawn uniformly from the DANGER rows,
    each new row's neighbour is one of the seed's ``k`` nearest rows of its class
    (``"borderline-1"``) or of all the data (``"borderline-2"``, where a
    neighbour of another class gets a gap ``U[0, 0.5)``).

    Parameters
    ----------
    task : ClassTask
        The class.
    k, m : int
        Neighbours to interpolate with, and to label the rows.
    kind : {"borderline-1", "borderline-2"}
        The variant.
    k_backend, m_backend : str or object
        Passed to the task's neighbour source for each search.

    Returns
    -------
    ClassPlan
        Its diagnostics hold ``danger``: the class-local DANGER rows, and
        ``categories``: every row's SAFE / DANGER / NOISE label.  Without DANGER
        rows there is no batch.
    """
    _, same = task.neighbors.among_all(task, m, backend=m_backend)
    n_other = np.sum(~same, axis=1)
    categories = borderline_categories(n_other, m)
    danger = np.flatnonzero(categories == DANGER)
    diagnostics = {"danger": danger, "categories": categories}
    if danger.size == 0:
        return ClassPlan(task.label, diagnostics=diagnostics)
    if kind == "borderline-1":
        graph = task.neighbors.within_class(task, k, queries=danger, backend=k_backend)
        batch = segment_batch(
            task.label, task.rows, graph, task.n_target, task.streams, seed_pool=danger
        )
        return ClassPlan(task.label, batch=batch, diagnostics=diagnostics)
    graph, same = task.neighbors.among_all(task, k, queries=danger, backend=k_backend)
    ranked = segment_batch(
        task.label, task.rows, graph, task.n_target, task.streams, neighbor_space="all"
    )
    # The batch's seeds index ``danger`` (the graph's rows) until mapped below.
    other = ~same[ranked.seeds, _ranks(graph, ranked.seeds, ranked.neighbors)]
    ranked.gaps = np.where(other, 0.5 * ranked.gaps, ranked.gaps)
    ranked.seeds = danger[ranked.seeds]
    return ClassPlan(task.label, batch=ranked, diagnostics=diagnostics)


def _ranks(graph: Any, rows: np.ndarray, neighbors: np.ndarray) -> np.ndarray:
    """The column of ``neighbors[i]`` in graph row ``rows[i]``."""
    return np.argmax(graph.indices[rows] == neighbors[:, None], axis=1)


class BorderlineSMOTE(BaseSampler):
    """Borderline-SMOTE (Han et al., 2005).

    Each row of a class to over-sample is labelled from its ``m_neighbors``
    nearest neighbours in all of X (itself excluded): NOISE if all are of another
    class, DANGER if at least half (but not all) are, SAFE otherwise.  Seeds are
    drawn uniformly from the DANGER rows only.

    * ``kind="borderline-1"``: the neighbour is one of the seed's ``k_neighbors``
      nearest rows of its own class; gap ``u ~ U[0, 1)``.
    * ``kind="borderline-2"``: the neighbour is one of the seed's ``k_neighbors``
      nearest rows of any class; gap ``u ~ U[0, 1)`` for a same-class neighbour and
      ``u ~ U[0, 0.5)`` for another class's (the new row stays nearer the seed).

    A class without DANGER rows gets no synthetic rows and a
    :class:`NoBorderWarning`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    k_neighbors : int or object, default=5
        Neighbours to interpolate with (or a ``NearestNeighbors``-like object).
    m_neighbors : int or object, default=10
        Neighbours that decide SAFE / DANGER / NOISE (or a ``NearestNeighbors``-like
        object).
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        The variant.
    n_jobs : int or None, default=None
        Threads for the neighbour searches; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend, see :class:`SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows requested}``.
    provenance_ : pandas.DataFrame
        ``label``, ``seed``, ``neighbor`` (indices into the input X), ``gap``.
    in_danger_ : dict
        ``{label: indices (into X) of the class's DANGER rows}`` for every class
        over-sampled (empty arrays included).
    nn_k_, nn_m_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimators (``n_neighbors = k + 1`` and
        ``m + 1``): ``nn_m_`` over all rows, ``nn_k_`` over the last class
        over-sampled (borderline-1) or all rows (borderline-2).
    in_danger_indices : dict
        imbalanced-learn's attribute: the same, for the classes with DANGER rows only.
    neighbors_report_ : dict
        Only when a search ran on a backend that is not exact (e.g.
        ``neighbors="ivf"``): recall and timings of each search (see
        :func:`smotekit.neighbors._report.neighbors_report`) and
        ``danger_agreement``, the share of the measured rows (up to 1000 per
        class, ``agreement_rows``) labelled SAFE / DANGER / NOISE as by exact search.
    n_features_in_ : int
        Number of features seen.

    See Also
    --------
    SMOTE, ADASYN

    References
    ----------
    .. [1] H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: a new over-sampling
       method in imbalanced data sets learning", ICIC 2005, LNCS 3644, 878-887.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([877, 877])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "k_neighbors": K_NEIGHBORS,
        "m_neighbors": K_NEIGHBORS,
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        m_neighbors: Any = 10,
        kind: str = "borderline-1",
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._k_backend = resolve_k(
            self.k_neighbors, self.neighbors, "k_neighbors", "BorderlineSMOTE"
        )
        self._m, self._m_backend = resolve_k(
            self.m_neighbors, self.neighbors, "m_neighbors", "BorderlineSMOTE"
        )
        if self.kind == "borderline-1":
            for label in targets:
                check_class_size(
                    class_sizes[label], self._k, label, "k_neighbors", "BorderlineSMOTE"
                )
        if self._m > n_rows - 1:
            raise ValueError(
                f"m_neighbors={self._m} needs at least {self._m + 1} rows in X; X has "
                f"{n_rows}. Use m_neighbors <= {n_rows - 1}."
            )

    def _plan(self, task: ClassTask) -> ClassPlan:
        plan = borderline_plan(
            task,
            k=self._k,
            m=self._m,
            kind=self.kind,
            k_backend=self._k_backend,
            m_backend=self._m_backend,
        )
        if plan.batch is None:
            warnings.warn(
                f"BorderlineSMOTE: class {task.label!r} has no DANGER rows (no row with at "
                f"least half of its {self._m} nearest neighbours in another class), so no "
                f"synthetic rows were generated for it; {task.n_target} were requested. Use "
                "SMOTE, or a larger m_neighbors.",
                NoBorderWarning,
                stacklevel=4,
            )
        return plan

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        self.in_danger_ = {
            p.label: np.flatnonzero(y == p.label)[p.diagnostics["danger"]] for p in plans
        }
        rows = last_class_rows(plans, y)
        self.nn_m_ = fitted_neighbors(self._m, table.numeric, self._m_backend)
        if rows is None:
            k_rows = None
        elif self.kind == "borderline-1":
            k_rows = table.numeric[rows]
        else:
            k_rows = table.numeric
        self.nn_k_ = fitted_neighbors(self._k, k_rows, self._k_backend)
        self.in_danger_indices = {
            label: rows for label, rows in self.in_danger_.items() if rows.size
        }

    def _neighbors_agreement(
        self, plans: list[ClassPlan], table: Table, y: np.ndarray, random_state: int
    ) -> dict[str, Any]:
        """``danger_agreement``: labels from the approximate m-search vs exact search."""
        agree = measured = 0
        for plan in plans:
            rows = np.flatnonzero(y == plan.label)
            pick = agreement_sample(rows.size, random_state)
            same = exact_same_class(table.numeric, rows[pick], y, plan.label, self._m, self.n_jobs)
            exact = borderline_categories(np.sum(~same, axis=1), self._m)
            agree += int(np.sum(exact == plan.diagnostics["categories"][pick]))
            measured += int(pick.size)
        return {
            "danger_agreement": agree / measured if measured else 1.0,
            "agreement_rows": measured,
        }
