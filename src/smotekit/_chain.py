"""Run samplers one after another: the helper behind combined samplers (SMOTE + cleaning)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.base import clone

__all__ = ["chain_resample"]


def chain_resample(samplers: Sequence[Any], X: Any, y: Any) -> tuple[Any, Any, list[Any]]:
    """Resample with each sampler in turn, feeding each the previous one's output.

    Parameters
    ----------
    samplers : sequence of samplers
        Each has ``fit_resample``; every one is cloned first, so the given
        objects are never fitted.
    X, y
        The data, in any container the first sampler accepts.

    Returns
    -------
    X_res, y_res
        The last sampler's output (the containers are kept along the chain).
    fitted : list of samplers
        The fitted clones, in order (their fitted attributes describe each step).

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE, RandomUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(100, 2)), np.array([0] * 80 + [1] * 20)
    >>> X_res, y_res, steps = chain_resample(
    ...     [SMOTE(sampling_strategy=0.5, random_state=0), RandomUnderSampler(random_state=0)],
    ...     X, y)
    >>> np.bincount(y_res), [type(s).__name__ for s in steps]
    (array([40, 40]), ['SMOTE', 'RandomUnderSampler'])
    """
    if not samplers:
        raise ValueError("chain_resample needs at least one sampler.")
    fitted = []
    for sampler in samplers:
        step = clone(sampler)
        X, y = step.fit_resample(X, y)
        fitted.append(step)
    return X, y, fitted
