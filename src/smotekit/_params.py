"""Declarative parameter constraints, checked by scikit-learn's parameter validation.

Every sampler lists its parameters' accepted values in ``_parameter_constraints``
(imbalanced-learn's constraints for the parameters it shares, plus smotekit's
own); :meth:`smotekit.base.BaseSampler.fit_resample` checks them first, so a
bad value raises scikit-learn's ``InvalidParameterError`` (a ``ValueError`` and
a ``TypeError``) with its standard message, as imbalanced-learn does.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._strategy import STRING_STRATEGIES

__all__ = [
    "K_NEIGHBORS",
    "NEIGHBORS",
    "N_JOBS",
    "RANDOM_STATE",
    "sampling_strategy_constraint",
]


def sampling_strategy_constraint(sampling_type: str) -> list[Any]:
    """The accepted forms of ``sampling_strategy`` for a kind of sampler.

    Examples
    --------
    >>> len(sampling_strategy_constraint("over-sampling"))
    4
    """
    strings = StrOptions(set(STRING_STRATEGIES[sampling_type]))
    if sampling_type == "clean-sampling":
        return [strings, list, callable]
    return [Interval(numbers.Real, 0, 1, closed="right"), strings, Mapping, callable]


RANDOM_STATE: list[Any] = ["random_state", np.random.Generator]
# imbalanced-learn's: an int >= 1 or a scikit-learn NearestNeighbors-like object.
K_NEIGHBORS: list[Any] = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]
N_JOBS: list[Any] = [numbers.Integral, None]
# A registered backend name (checked when it is used) or a backend object.
NEIGHBORS: list[Any] = [str, HasMethods(["fit", "kneighbors"])]
