"""What a comparison was run on and with: recorded so that a report can be reproduced."""

from __future__ import annotations

import inspect
import platform
from importlib import metadata
from typing import Any

import numpy as np

__all__ = [
    "class_counts",
    "describe",
    "library_versions",
    "parallel_plan",
    "single_threaded",
    "thread_params",
]

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


#: Parameters that set an estimator's threads (scikit-learn, LightGBM, XGBoost, CatBoost).
_THREAD_PARAMS = ("n_jobs", "nthread", "num_threads", "thread_count")


def thread_params(estimator: Any) -> list[str]:
    """The (nested) parameters of ``estimator`` that set how many threads it uses.

    ``n_jobs`` (scikit-learn, LightGBM, XGBoost), ``nthread``, ``num_threads``,
    ``thread_count`` (CatBoost), also inside pipelines and meta-estimators
    (``"step__n_jobs"``).  Estimators whose threads no parameter sets (OpenMP in
    ``HistGradientBoostingClassifier``, BLAS in linear models) are limited with
    ``threadpoolctl.threadpool_limits`` instead.

    Parameters
    ----------
    estimator : object

    Returns
    -------
    list of str

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> thread_params(RandomForestClassifier())
    ['n_jobs']
    """
    if not hasattr(estimator, "get_params"):
        return []
    return [
        key for key in estimator.get_params(deep=True) if key.rpartition("__")[2] in _THREAD_PARAMS
    ]


def _owner(estimator: Any, key: str) -> Any:
    owner = estimator
    for part in key.split("__")[:-1]:
        owner = owner.get_params(deep=False).get(part, owner)
    return owner


def single_threaded(estimator: Any) -> Any:
    """A clone of ``estimator`` that runs on one thread, for folds run in parallel.

    Every parameter of :func:`thread_params` becomes 1, except a scikit-learn ``None``
    (which already means one thread there, and setting some of them warns); for other
    libraries ``None`` often means every core (smotekit's samplers among them), so it
    becomes 1 too.

    Parameters
    ----------
    estimator : object

    Returns
    -------
    object
        A clone (scikit-learn's ``clone``), or ``estimator`` itself when it has no
        thread parameter to set.

    Examples
    --------
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> single_threaded(RandomForestClassifier(n_jobs=-1))
    RandomForestClassifier(n_jobs=1)
    """
    from sklearn.base import clone

    changes = {}
    params = estimator.get_params(deep=True) if hasattr(estimator, "get_params") else {}
    for key in thread_params(estimator):
        value = params[key]
        if value == 1:
            continue
        owner = _owner(estimator, key)
        from_sklearn = inspect.getmodule(type(owner)).__name__.startswith("sklearn")
        if value is None and from_sklearn:
            continue
        changes[key] = 1
    if not changes:
        return estimator
    return clone(estimator).set_params(**changes)
