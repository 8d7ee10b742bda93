"""ADASYN: more synthetic rows where a class is harder to learn."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._engine import check_class_size, fitted_neighbors, last_class_rows, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import RandomStateLike
from .._recipe import ClassPlan
from .._selection import largest_remainder
from .._table import Table
from ..base import BaseSampler
from ..neighbors._report import agreement_sample, exact_same_class
from ._smote import segment_batch

__all__ = ["ADASYN", "NoHardRowsError", "adasyn_plan"]


class NoHardRowsError(ValueError, RuntimeError):
    """No row of a class has a neighbour of another class (ADASYN has nothing to adapt to).

    A ``ValueError`` and a ``RuntimeError`` (imbalanced-learn raises the latter), so code
    catching either keeps working.
    """


def adasyn_plan(task: ClassTask, *, k: int, backend: Any = "auto") -> ClassPlan:
    """ADASYN's plan for one class (He et al. 2008).

    Row ``i``'s hardness ``r_i`` is the share of its ``k`` nearest rows of all
    the data that belong to another class; the new rows are split among the rows
    in proportion to ``r_i`` by the largest-remainder method, and each is
    interpolated towards one of its seed's ``k`` nearest rows of the class.

    Parameters
    ----------
    task : ClassTask
        The class.
    k : int
        Neighbours for the hardness and for interpolation.
    backend : str or object
        Passed to the task's neighbour source.

    Returns
    -------
    ClassPlan
        Its diagnostics hold ``hardness`` (one ``r_i`` per row of the class).

    Raises
    ------
    NoHardRowsError
        If no row of the class has a neighbour of another class (a ``ValueError``
        and a ``RuntimeError``).
    """
    _, same = task.neighbors.among_all(task, k, backend=backend)
    hardness = np.mean(~same, axis=1)
    if not hardness.any():
        raise NoHardRowsError(
            f"ADASYN: no row of class {task.label!r} has a neighbour of another class among "
            f"its {k} nearest, so there is no hard region to adapt to. The classes look "
            "separated: use SMOTE instead."
        )
    counts = largest_remainder(hardness, task.n_target)
    graph = task.neighbors.within_class(task, k, backend=backend)
    seed_local = np.repeat(np.arange(task.size), counts)
    batch = segment_batch(
        task.label, task.rows, graph, task.n_target, task.streams, seed_local=seed_local
    )
    return ClassPlan(task.label, batch=batch, diagnostics={"hardness": hardness})


class ADASYN(BaseSampler):
    """Adaptive Synthetic sampling (He et al., 2008).

    For a class to over-sample, row ``i``'s hardness ``r_i`` is the share of its
    ``n_neighbors`` nearest neighbours in all of X (itself excluded) that belong
    to another class.  The ``G`` new rows are split among the rows in proportion
    to ``r_i`` by the largest-remainder method (so they sum to ``G`` exactly), and
    each is interpolated as in SMOTE towards one of the row's ``n_neighbors``
    nearest neighbours of its own class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    n_neighbors : int or object, default=5
        Neighbours for the hardness ratio and for interpolation (or a
        ``NearestNeighbors``-like object).
    n_jobs : int or None, default=None
        Threads for the neighbour searches; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend, see :class:`SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        ``label``, ``seed``, ``neighbor`` (indices into the input X), ``gap``.
    hardness_ : dict
        ``{label: r_i for every row of the class}``.
    nn_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``), over
        the rows of the last class over-sampled.
    neighbors_report_ : dict
        Only when a search ran on a backend that is not exact (e.g.
        ``neighbors="ivf"``): recall and timings of each search (see
        :func:`smotekit.neighbors._report.neighbors_report`), ``weight_agreement``
        (share of the measured rows, up to 1000 per class, ``agreement_rows``,
        given as many synthetic rows as with exact search) and ``allocation_l1``
        (the sum of the differences over those rows).
    n_features_in_ : int
        Number of features seen.

    Raises
    ------
    NoHardRowsError
        If no row of a class to over-sample has a neighbour of another class
        (the classes are separated; ADASYN has nothing to adapt to: use SMOTE).
        Both a ``ValueError`` and a ``RuntimeError``.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: adaptive synthetic sampling
       approach for imbalanced learning", IJCNN 2008, 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import ADASYN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([898, 898])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "n_neighbors": K_NEIGHBORS,
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        n_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(
            self.n_neighbors, self.neighbors, "n_neighbors", "ADASYN"
        )
        for label in targets:
            check_class_size(class_sizes[label], self._k, label, "n_neighbors", "ADASYN")

    def _plan(self, task: ClassTask) -> ClassPlan:
        return adasyn_plan(task, k=self._k, backend=self._backend)

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        self.hardness_ = {p.label: p.diagnostics["hardness"] for p in plans}
        rows = last_class_rows(plans, y)
        self.nn_ = fitted_neighbors(
            self._k, None if rows is None else table.numeric[rows], self._backend
        )

    def _neighbors_agreement(
        self, plans: list[ClassPlan], table: Table, y: np.ndarray, random_state: int
    ) -> dict[str, Any]:
        """``weight_agreement`` and ``allocation_l1``: allocations vs exact search.

        On a class larger than the sample, the exact allocation is estimated with
        the exact hardness of the sampled rows and the approximate one elsewhere.
        """
        agree = measured = l1 = 0
        for plan in plans:
            rows = np.flatnonzero(y == plan.label)
            pick = agreement_sample(rows.size, random_state)
            hardness = plan.diagnostics["hardness"]
            same = exact_same_class(table.numeric, rows[pick], y, plan.label, self._k, self.n_jobs)
            exact_hardness = hardness.copy()
            exact_hardness[pick] = np.mean(~same, axis=1)
            n_target = int(self.sampling_strategy_[plan.label])
            approx = largest_remainder(hardness, n_target)
            exact = (
                largest_remainder(exact_hardness, n_target)
                if exact_hardness.any()
                else np.zeros_like(approx)
            )
            agree += int(np.sum(approx[pick] == exact[pick]))
            l1 += int(np.abs(approx[pick] - exact[pick]).sum())
            measured += int(pick.size)
        return {
            "weight_agreement": agree / measured if measured else 1.0,
            "allocation_l1": l1,
            "agreement_rows": measured,
        }
