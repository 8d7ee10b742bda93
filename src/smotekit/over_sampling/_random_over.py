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


def smoothing_scale(class_rows: Any, shrinkage: float, n_rows: int) -> np.ndarray:
    """Per-feature noise standard deviation of the smoothed bootstrap of one class.

    ``shrinkage * std * (4 / ((d + 2) * n)) ** (1 / (d + 4))``, with ``std`` the
    features' population standard deviations (``ddof=0``) within the class, ``d``
    the number of features and ``n`` the number of rows of all of X: the formula of
    imbalanced-learn, so a tuned ``shrinkage`` carries over.

    Examples
    --------
    >>> rows = np.array([[0.0, 0.0], [2.0, 4.0]])
    >>> smoothing_scale(rows, 1.0, n_rows=10).round(4)
    array([0.6813, 1.3626])
    """
    values = class_rows.toarray() if sparse.issparse(class_rows) else np.asarray(class_rows)
    n_features = values.shape[1]
    bandwidth = (4 / ((n_features + 2) * n_rows)) ** (1 / (n_features + 4))
    return shrinkage * values.std(axis=0, dtype=np.float64) * bandwidth


def random_over_plan(
    task: ClassTask, *, shrinkage: float | None = None, n_rows: int | None = None
) -> ClassPlan:
    """Random over-sampling's plan for one class: rows drawn with replacement.

    Chunk ``j`` draws its rows, then (with ``shrinkage``) their Gaussian noise,
    from ``streams.chunk(j)``.

    Parameters
    ----------
    task : ClassTask
        The class.
    shrinkage : float or None
        Smoothed-bootstrap shrinkage (None: exact copies).
    n_rows : int or None
        Rows of all of X (the bandwidth's ``n``); None: ``task.table.n_rows``.

    Returns
    -------
    ClassPlan
    """
    n_new = task.n_target
    size = task.streams.size(n_new)
    picked = np.empty(size, dtype=np.int64)
    noise = None
    if shrinkage is not None:
        total = n_rows if n_rows is not None else task.table.n_rows
        scale = smoothing_scale(task.numeric(), shrinkage, total)
        noise = np.empty((size, scale.shape[0]), dtype=np.float64)
    for _, start, stop, rng in task.streams.chunks(n_new):
        picked[start:stop] = rng.integers(0, task.size, size=stop - start)
        if noise is not None:
            noise[start:stop] = rng.standard_normal((stop - start, noise.shape[1])) * scale
    batch = SyntheticBatch(task.label, task.rows, picked, gaps=np.zeros(size), noise=noise)
    return ClassPlan(task.label, batch=batch)


class RandomOverSampler(BaseSampler):
    """Over-sample by drawing rows of a class at random, with replacement.

    Without ``shrinkage`` the new rows are exact copies, so any X is accepted
    (strings, categories, missing values).  With ``shrinkage=h`` Gaussian noise is
    added to each copy (smoothed bootstrap, Menardi & Torelli 2014): per feature,
    standard deviation ``h * std * (4 / ((d + 2) * n)) ** (1 / (d + 4))`` with
    ``std`` the feature's population standard deviation (``ddof=0``) in the class,
    ``d`` the number of features and ``n`` the number of rows of X (imbalanced-learn's
    formula); X must then be numeric.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    shrinkage : float, dict or None, default=None
        ``None``: plain copies.  A float ``>= 0`` for every class, or a dict
        ``{label: float}`` naming at least every class of ``sampling_strategy_``.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    sample_indices_ : ndarray of int
        For every output row, the input row it comes from.
    shrinkage_ : dict or None
        The shrinkage of every class of ``sampling_strategy_`` (those that get no
        new rows included) and of any other class a dict ``shrinkage`` names.
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
            for label, value in self.shrinkage.items():
                if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < 0:
                    raise ValueError(
                        f"The shrinkage factor needs to be >= 0. Got {value!r} for class "
                        f"{label!r}: every value of a dict shrinkage must be a float >= 0."
                    )

    def _read_X(self, X: Any) -> Table:
        if self.shrinkage is not None:
            try:
                return numeric_table(X, "RandomOverSampler")
            except (TypeError, ValueError) as error:
                if "non-numeric" not in str(error):
                    raise
                raise type(error)(
                    "When shrinkage is not None, X needs to contain only numerical data to "
                    f"later generate a smoothed bootstrap sample. {error}"
                ) from None
        data, kind = passthrough_rows(X, "RandomOverSampler")
        return Table(np.empty((data.shape[0], 0)), np.empty(0, dtype=np.int64), kind, data)

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self.shrinkage_ = self._shrinkage_per_class()
        self._n_rows = n_rows  # the bandwidth's n: rows of all of X, wherever the plan runs

    def _plan(self, task: ClassTask) -> ClassPlan:
        shrinkage = None if self.shrinkage_ is None else self.shrinkage_[task.label]
        return random_over_plan(task, shrinkage=shrinkage, n_rows=self._n_rows)

    def _synthesize(self, table: Table, batches: list[SyntheticBatch]) -> Any:
        new_rows = [b.seed_rows() for b in batches]
        self.sample_indices_ = np.concatenate([np.arange(table.n_rows), *new_rows])
        if self.shrinkage_ is None:
            return restore_X(take_rows(table.source, self.sample_indices_), table.layout)
        return super()._synthesize(table, batches)

    def _shrinkage_per_class(self) -> dict[Any, float] | None:
        """``shrinkage_``: a factor for every class of ``sampling_strategy_`` (and, from a
        dict, for the other classes it names), as imbalanced-learn."""
        if self.shrinkage is None:
            return None
        if not isinstance(self.shrinkage, Mapping):
            return {c: float(self.shrinkage) for c in self.sampling_strategy_}
        missing = [c for c in self.sampling_strategy_ if c not in self.shrinkage]
        if missing:
            raise ValueError(
                "`shrinkage` should contain a shrinkage factor for each class that will be "
                f"resampled. The missing classes are: {missing}. Name every class of "
                f"sampling_strategy_ ({list(self.sampling_strategy_)}), or pass one float."
            )
        return {c: float(v) for c, v in self.shrinkage.items()}
