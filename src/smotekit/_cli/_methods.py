"""The methods of ``--method`` / ``--methods``: their names, and building their samplers.

Every public sampler that :func:`smotekit.utils.all_samplers` finds is a method, named by
its lower-cased class name, so a new sampler is available without editing this module. A
few names predate discovery and stay: ``borderline1`` and ``borderline2`` (one per kind of
:class:`~smotekit.BorderlineSMOTE`) and ``random`` (:class:`~smotekit.RandomOverSampler`);
the class names of those two are aliases of ``borderline1`` and ``random``.
"""

from __future__ import annotations

import inspect
from typing import Any, NamedTuple

from ..utils import all_samplers
from ._errors import UsageError

__all__ = ["Method", "aliases", "build_sampler", "method_name", "methods", "neighbor_param"]

# Classes known under other names than their own: {class name: {method: fixed parameters}}.
# The first method of each is what the lower-cased class name stands for.
_RENAMED: dict[str, dict[str, dict[str, Any]]] = {
    "BorderlineSMOTE": {
        "borderline1": {"kind": "borderline-1"},
        "borderline2": {"kind": "borderline-2"},
    },
    "RandomOverSampler": {"random": {}},
}
_SHORT_ALIASES = {
    "ros": "random",
    "borderline": "borderline1",
    "borderline-1": "borderline1",
    "borderline-2": "borderline2",
    "rus": "randomundersampler",
    "tomek": "tomeklinks",
    "enn": "editednearestneighbours",
    "renn": "repeatededitednearestneighbours",
    "cnn": "condensednearestneighbour",
    "oss": "onesidedselection",
    "ncr": "neighbourhoodcleaningrule",
    "iht": "instancehardnessthreshold",
    "kmeans": "kmeanssmote",
    "svm": "svmsmote",
}
# Named in the help of ``--method`` ("ros = random, borderline = borderline1").
_SHOWN_ALIASES = ("ros", "borderline", "rus", "tomek", "enn", "renn", "cnn", "oss", "ncr", "iht")
# Builds of smotekit once lacked these; the message for them says so.
_OPTIONAL = ("smotenc", "smoten")
# Neighbour-count parameters that ``--k`` sets, in order of preference.
_K_PARAMS = ("k_neighbors", "n_neighbors")


class Method(NamedTuple):
    """A method of the command line.

    Attributes
    ----------
    cls : type
        The sampler class.
    fixed : dict
        Parameters the method fixes (``kind`` for ``borderline1`` and ``borderline2``).
    neighbors : str or None
        The parameter ``--k`` sets (``k_neighbors`` or ``n_neighbors``), or None.
    """

    cls: type
    fixed: dict[str, Any]
    neighbors: str | None


def _parameters(cls: type) -> Any:
    return inspect.signature(cls).parameters


def _neighbor_param(cls: type) -> str | None:
    accepted = _parameters(cls)
    return next((p for p in _K_PARAMS if p in accepted), None)


def methods() -> dict[str, Method]:
    """Every method, ``{name: Method}``, in the order of :func:`~smotekit.utils.all_samplers`.

    Returns
    -------
    dict of str to Method

    Examples
    --------
    >>> table = methods()
    >>> table["adasyn"].neighbors, table["random"].neighbors, table["borderline2"].fixed
    ('n_neighbors', None, {'kind': 'borderline-2'})
    """
    table: dict[str, Method] = {}
    for class_name, cls in all_samplers():
        k_param = _neighbor_param(cls)
        for name, fixed in _RENAMED.get(class_name, {class_name.lower(): {}}).items():
            table[name] = Method(cls, dict(fixed), k_param)
    return table


def aliases() -> dict[str, str]:
    """Other names of methods, ``{alias: method}`` (only those whose method exists).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> aliases()["ros"], aliases()["borderlinesmote"], aliases()["randomoversampler"]
    ('random', 'borderline1', 'random')
    """
    table = methods()
    found = {
        class_name.lower(): next(iter(_RENAMED[class_name]))
        for class_name, _ in all_samplers()
        if class_name in _RENAMED
    }
    found |= _SHORT_ALIASES
    return {alias: name for alias, name in found.items() if name in table}


def neighbor_param(method: str) -> str | None:
    """The neighbour-count parameter of a method, or None when it has no neighbours.

    Parameters
    ----------
    method : str
        A name from :func:`methods`.

    Returns
    -------
    str or None

    Examples
    --------
    >>> neighbor_param("smote"), neighbor_param("random")
    ('k_neighbors', None)
    """
    return methods()[method].neighbors


def describe() -> str:
    """The methods and the main aliases, for messages and help.

    Returns
    -------
    str

    Examples
    --------
    >>> "smote" in describe() and "ros = random" in describe()
    True
    """
    names = ", ".join(methods())
    shown = [f"{a} = {n}" for a, n in aliases().items() if a in _SHOWN_ALIASES]
    return f"{names} (aliases: {', '.join(shown)})" if shown else names


def method_name(text: str) -> str:
    """The method that ``text`` names (case-insensitive; aliases resolved).

    Parameters
    ----------
    text : str
        A method or an alias, e.g. ``"SMOTE"``, ``"ros"``.

    Returns
    -------
    str
        A key of :func:`methods`.

    Raises
    ------
    UsageError
        For an unknown name; the message lists the methods.

    Examples
    --------
    >>> method_name(" ROS"), method_name("BorderlineSMOTE"), method_name("adasyn")
    ('random', 'borderline1', 'adasyn')
    """
    key = text.strip().lower()
    name = aliases().get(key, key)
    if name not in methods():
        hint = " (not available in this installation)" if name in _OPTIONAL else ""
        raise UsageError(f"unknown method {text!r}{hint}; choose from {describe()}")
    return name


def _which_accept(parameter: str) -> str:
    names = [name for name, m in methods().items() if parameter in _parameters(m.cls)]
    if not names:
        return "no method"
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def build_sampler(
    method: str,
    *,
    strategy: Any = "auto",
    seed: int | None = 0,
    k: int | None = None,
    m: int | None = None,
    n_jobs: int | None = None,
    categorical: list[str] | None = None,
) -> Any:
    """The sampler of ``method`` with the options that apply to it.

    Parameters
    ----------
    method : str
        A name from :func:`methods`.
    strategy : str, float or dict, default="auto"
        ``sampling_strategy``.
    seed : int or None, default=0
        ``random_state``, for samplers that take one.
    k : int or None, default=None
        The neighbour count (:func:`neighbor_param`); None keeps the default.
    m : int or None, default=None
        ``m_neighbors``; None keeps the default.
    n_jobs : int or None, default=None
        ``n_jobs``, for samplers that take it.
    categorical : list of str or None, default=None
        ``categorical_features`` (None: ``"auto"``), for samplers that take it.

    Returns
    -------
    sampler

    Raises
    ------
    UsageError
        When ``k``, ``m`` or ``categorical`` is given to a method without that parameter.

    Examples
    --------
    >>> build_sampler("borderline2", k=3)
    BorderlineSMOTE(k_neighbors=3, kind='borderline-2', random_state=0)
    """
    cls, fixed, k_param = methods()[method]
    accepted = _parameters(cls)
    params = dict(fixed, sampling_strategy=strategy)
    if "random_state" in accepted:
        params["random_state"] = seed
    if k is not None:
        if k_param is None:
            raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
        params[k_param] = k
    if m is not None:
        if "m_neighbors" not in accepted:
            raise UsageError(f"--m applies to {_which_accept('m_neighbors')} only, not {method}")
        params["m_neighbors"] = m
    if n_jobs is not None and "n_jobs" in accepted:
        params["n_jobs"] = n_jobs
    if "categorical_features" in accepted:
        params["categorical_features"] = categorical or "auto"
    elif categorical:
        raise UsageError(
            f"--categorical applies to {_which_accept('categorical_features')} only, not {method}"
        )
    return cls(**params)
