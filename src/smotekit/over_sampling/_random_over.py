"""Random over-sampling: duplicate rows, optionally with a smoothed bootstrap."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval

from .._containers import restore_X
from .._output import passthrough_rows, take_rows
from .._params import RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import RandomStateLike
from .._recipe import ClassPlan, SyntheticBatch
from .._table import Table, numeric_table
from ..base import BaseSampler

__all__ = ["RandomOverSampler", "random_over_plan", "smoothing_scale"]


def smoothing_scale(class_rows: Any, shrinkage: float) -> np.ndarray:
    """Per-feature noise standard deviation of the smoothed bootstrap of one class.

    ``shrinkage * std * (4 / ((d + 2) * m)) ** (1 / (d + 4))`` with ``std`` the
    features' standard deviations in the class (``ddof=1``; 0 for one row),
    ``d`` the number of features and ``m`` the class size.
    """
    values = class_rows.toarray() if sparse.issparse(class_rows) else np.asarray(class_rows)
    m, n_features = values.shape
    bandwidth = (4 / ((n_features + 2) * m)) ** (1 / (n_features + 4))
    return shrinkage * values.std(axis=0, ddof=1 if m > 1 else 0) * bandwidth


def random_over_plan(task: ClassTask, *, shrinkage: float | None = None) -> ClassPlan:
    """Random over-sampling's plan for one class: rows drawn with replacement.

    Chunk ``j`` draws its rows, then (with ``shrinkage``) their Gaussian noise,
    from ``streams.chunk(j)``.

    Parameters
    ----------
    task : ClassTask
        The class.
    shrinkage : float or None
        Smoothed-bootstrap shrinkage (None: exact copies).

    Returns
    -------
    ClassPlan
    """
    n_new = task.n_target
    picked = np.empty(n_new, dtype=np.int64)
    noise = None
    if shrinkage is not None:
        scale = smoothing_scale(task.numeric(), shrinkage)
        noise = np.empty((n_new, scale.shape[0]), dtype=np.float64)
    for _, start, stop, rng in task.streams.chunks(n_new):
        picked[start:stop] = rng.integers(0, task.size, size=stop - start)
        if noise is not None:
            noise[start:stop] = rng.standard_normal((stop - start, noise.shape[1])) * scale
    batch = SyntheticBatch(task.label, task.rows, picked, gaps=np.zeros(n_new), noise=noise)
    return ClassPlan(task.label, batch=batch)


class RandomOverSampler(BaseSampler):
    """Over-sample by drawing rows of a class at random, with replacement.

    Without ``shrinkage`` the new rows are exact copies, so any X is accepted
    (strings, categories, missing values).  With ``shrinkage=h`` Gaussian noise is
    added to each copy (smoothed bootstrap, Menardi & Torelli 2014): per feature,
    standard deviation ``h * std * (4 / ((d + 2) * m)) ** (1 / (d + 4))`` with
    ``std`` the feature's standard deviation in the class, ``d`` the number of
    features and ``m`` the class size; X must then be numeric.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    shrinkage : float, dict or None, default=None
        ``None``: plain copies.  A float ``>= 0`` for every class, or a dict
        ``{label: float}`` for the classes being over-sampled.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    sample_indices_ : ndarray of int
        For every output row, the input row it comes from.
    shrinkage_ : dict or None
        The shrinkage used per class.
    provenance_ : pandas.DataFrame
        ``label``, ``seed`` (the copied row), ``neighbor`` (-1) and ``gap`` (0).
    n_features_in_ : int
        Number of features seen.

    References
    ----------
    .. [1] G. Menardi, N. Torelli, "Training and assessing classification rules
       with imbalanced data", Data Mining and Knowledge Discovery, 28, 92-122, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import RandomOverSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([8, 8])
    """

    _sampling_type = "over-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "shrinkage": [Interval(numbers.Real, 0, None, closed="left"), dict, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        shrinkage: float | Mapping[Any, float] | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self.shrinkage is None
        tags.input_tags.string = self.shrinkage is None
        return tags

    def _check_params(self) -> None:
        if isinstance(self.shrinkage, Mapping):
            for value in self.shrinkage.values():
                if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < 0:
                    raise ValueError(
                        "The 'shrinkage' parameter of RandomOverSampler must be None, a float "
                        f">= 0 or a dict of such floats. Got {self.shrinkage!r} instead."
                    )

    def _read_X(self, X: Any) -> Table:
        if self.shrinkage is not None:
            return numeric_table(X, "RandomOverSampler")
        data, kind = passthrough_rows(X, "RandomOverSampler")
        return Table(np.empty((data.shape[0], 0)), np.empty(0, dtype=np.int64), kind, data)

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        self.shrinkage_ = self._shrinkage_per_class(targets)

    def _plan(self, task: ClassTask) -> ClassPlan:
        shrinkage = None if self.shrinkage_ is None else self.shrinkage_[task.label]
        return random_over_plan(task, shrinkage=shrinkage)

    def _synthesize(self, table: Table, batches: list[SyntheticBatch]) -> Any:
        new_rows = [b.seed_rows() for b in batches]
        self.sample_indices_ = np.concatenate([np.arange(table.n_rows), *new_rows])
        if self.shrinkage_ is None:
            return restore_X(take_rows(table.source, self.sample_indices_), table.layout)
        return super()._synthesize(table, batches)

    def _shrinkage_per_class(self, targets: dict[Any, int]) -> dict[Any, float] | None:
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, Mapping):
            missing = [c for c in targets if c not in self.shrinkage]
            unknown = [c for c in self.shrinkage if c not in targets]
            if missing or unknown:
                raise ValueError(
                    "shrinkage as a dict must name exactly the classes being over-sampled "
                    f"{list(targets)}; missing {missing}, not over-sampled {unknown}."
                )
            return {c: float(self.shrinkage[c]) for c in targets}
        return {c: float(self.shrinkage) for c in targets}
