"""Random under-sampling: keep a random subset of each targeted class."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._output import passthrough_rows
from .._params import RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask
from .._random import RandomStateLike
from .._recipe import ClassPlan
from .._table import Table
from ..base import BaseSampler

__all__ = ["RandomUnderSampler", "random_under_plan"]


def random_under_plan(task: ClassTask, *, replacement: bool = False) -> ClassPlan:
    """Random under-sampling's plan for one class: ``task.n_target`` rows kept at random.

    The rows are drawn from the class-level stream (``streams.selection()``),
    without replacement unless ``replacement``, and kept in row order.

    Parameters
    ----------
    task : ClassTask
        The class; ``n_target`` is the number of rows to keep.
    replacement : bool, default=False
        Draw with replacement (a row may be kept more than once).

    Returns
    -------
    ClassPlan
        ``keep`` holds the class-local rows kept, sorted.

    Examples
    --------
    >>> from smotekit._plan import ClassTask
    >>> from smotekit._random import ClassStreams, to_seed_sequence
    >>> task = ClassTask(0, 0, np.arange(10), 4, ClassStreams(to_seed_sequence(0), 0), None, None)
    >>> plan = random_under_plan(task)
    >>> plan.keep.size, bool(np.all(np.diff(plan.keep) > 0))
    (4, True)
    """
    rng = task.streams.selection()
    if replacement:
        keep = rng.integers(0, task.size, size=task.n_target)
    else:
        keep = rng.choice(task.size, size=task.n_target, replace=False)
    return ClassPlan(task.label, keep=np.sort(keep))


class RandomUnderSampler(BaseSampler):
    """Under-sample the targeted classes by keeping rows drawn at random.

    Any X is accepted (strings, categories, missing values): rows are only
    selected, never changed.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class keeps; the forms and meaning are
        imbalanced-learn's for under-sampling: a float (binary targets) is the
        desired ``n_minority / n_majority`` after resampling; ``"majority"``,
        ``"not minority"`` (= ``"auto"``), ``"not majority"``, ``"all"`` bring those
        classes down to the size of the smallest; a dict ``{label: n_samples}``
        or a callable ``y -> dict`` gives the counts.
    random_state : int, RandomState, Generator or None, default=None
        Seed of all randomness; each class draws from its own child stream.
    replacement : bool, default=False
        Whether rows are drawn with replacement.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows kept}`` for the targeted classes.
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : Over-sample by drawing rows with replacement.

    Notes
    -----
    The output is grouped by class in label order (as imbalanced-learn's); within
    a class the rows kept stay in their original order.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import RandomUnderSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([2, 2])
    """

    _sampling_type = "under-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("under-sampling"),
        "random_state": RANDOM_STATE,
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        replacement: bool = False,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _read_X(self, X: Any) -> Table:
        data, kind = passthrough_rows(X, "RandomUnderSampler")
        return Table(np.empty((data.shape[0], 0)), np.empty(0, dtype=np.int64), kind, data)

    def _plan(self, task: ClassTask) -> ClassPlan:
        return random_under_plan(task, replacement=bool(self.replacement))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags
