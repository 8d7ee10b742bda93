"""What a comparison was run on and with: recorded so that a report can be reproduced."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from importlib import metadata
from typing import Any

import numpy as np

__all__ = ["class_counts", "describe", "library_versions", "parallel_plan", "single_threaded"]

_LIBRARIES = ("smotekit", "scikit-learn", "numpy", "pandas", "scipy", "imbalanced-learn")


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a comparison's numbers depend on.

    Returns
    -------
    dict
        ``{"python": "3.11.9", "smotekit": ..., ...}``; libraries not installed
        are left out.

    Examples
    --------
    >>> {"python", "numpy", "scikit-learn"} <= set(library_versions())
    True
    """
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def class_counts(y: np.ndarray) -> dict[str, int]:
    """Rows per class, labels as text, in label order.

    Examples
    --------
    >>> class_counts(np.array([1, 0, 0]))
    {'0': 2, '1': 1}
    """
    labels, counts = np.unique(y, return_counts=True)
    return {str(label): int(n) for label, n in zip(labels, counts)}


def describe(model: Any) -> str:
    """A one-line description of an estimator or sampler (its repr without line breaks)."""
    return " ".join(repr(model).split())


def parallel_plan(n_jobs: int | None, n_splits: int) -> tuple[int, int]:
    """How a comparison uses the cores: ``(fold_workers, threads_per_fit)``.

    Folds run in parallel processes, each fit single-threaded, when there are at
    least as many folds as cores; with fewer folds the folds run one after
    another and each fit (estimator, sampler, inner threshold search) gets every
    core.  Either way no more than ``n_jobs`` cores are busy.

    Parameters
    ----------
    n_jobs : int or None
        Cores to use: None or 1 one, -1 all, -2 all but one, ...
    n_splits : int
        Folds of the cross-validation.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> parallel_plan(1, 15)
    (1, 1)
    >>> parallel_plan(4, 15), parallel_plan(4, 2)
    ((4, 1), (1, 4))
    """
    from .._threads import effective_n_jobs

    cores = 1 if n_jobs is None else effective_n_jobs(n_jobs)
    if cores <= 1:
        return 1, 1
    if n_splits >= cores:
        return cores, 1
    return 1, cores


def single_threaded(model: Any, *, replace_none: bool) -> Any:
    """``model`` with every ``n_jobs`` (its own and its nested steps') set to 1.

    Parameters
    ----------
    model : estimator, sampler or None
        Modified in place (pass a clone).
    replace_none : bool
        Also replace ``n_jobs=None``.  joblib reads None as one job, so an
        estimator's None can stay (some, like ``LogisticRegression``, warn when
        ``n_jobs`` is set at all); smotekit's samplers read None as every core.

    Returns
    -------
    The same object.
    """
    if model is None or not hasattr(model, "get_params"):
        return model
    params: Mapping[str, Any] = model.get_params(deep=True)
    update = {
        key: 1
        for key, value in params.items()
        if (key == "n_jobs" or key.endswith("__n_jobs"))
        and value != 1
        and (replace_none or value is not None)
    }
    if update:
        model.set_params(**update)
    return model
