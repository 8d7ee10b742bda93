"""Name the samplers of a comparison: their short names, the defaults, neighbour-count sweeps."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from sklearn.base import clone

__all__ = [
    "BASELINE",
    "check_samplers",
    "default_samplers",
    "k_sweep",
    "max_neighbor_count",
    "sampler_name",
]

#: Name of the no-resampling condition that :func:`~smotekit.evaluation.compare` always includes.
BASELINE = "none"
_K_PARAMS = ("k_neighbors", "m_neighbors", "n_neighbors")


def sampler_name(sampler: Any) -> str:
    """A short lower-case name for a sampler (``"borderline1"`` for Borderline-1).

    Parameters
    ----------
    sampler : sampler or None
        None stands for no resampling.

    Returns
    -------
    str
        The lower-cased class name, the kind of a Borderline-SMOTE without its hyphen,
        or :data:`BASELINE` for None.

    Examples
    --------
    >>> from smotekit import SMOTE, BorderlineSMOTE
    >>> sampler_name(SMOTE()), sampler_name(BorderlineSMOTE(kind="borderline-2"))
    ('smote', 'borderline2')
    >>> sampler_name(None)
    'none'
    """
    if sampler is None:
        return BASELINE
    name = type(sampler).__name__.lower()
    kind = getattr(sampler, "kind", None)
    if name == "borderlinesmote" and isinstance(kind, str):
        return kind.replace("-", "")
    return name


def default_samplers(X: Any = None) -> dict[str, Any]:
    """The samplers :func:`~smotekit.evaluation.compare` runs when given none.

    On a table with categorical columns (string, ``category``, ``bool``): SMOTENC
    (SMOTEN when every feature is categorical) and random over-sampling, both with
    ``random_state=0``.  Otherwise every numeric, neighbour-based over-sampler of
    :func:`smotekit.utils.all_samplers` at its defaults with ``random_state=0``:
    today SMOTE, ADASYN and Borderline-1 (documented in ``docs/evaluation.md``).
    Random over-sampling (no neighbours), the categorical samplers (they need
    categorical features), the samplers that fit a model of their own first
    (SVMSMOTE's SVM, KMeansSMOTE's clustering: pass them by name) and the
    combined samplers (SMOTEENN, SMOTETomek: a cleaning step on top of SMOTE) are
    left out; SMOTE, the reference, comes first, then the others by name.

    Parameters
    ----------
    X : DataFrame, array-like or None, default=None
        The data to compare on; None stands for numeric data.

    Returns
    -------
    dict
        ``{"smote": ..., "adasyn": ..., "borderline1": ...}``.

    Examples
    --------
    >>> list(default_samplers())
    ['smote', 'adasyn', 'borderline1']
    >>> import pandas as pd
    >>> list(default_samplers(pd.DataFrame({"a": [1.0], "b": ["x"]})))
    ['smotenc', 'randomoversampler']
    """
    import inspect

    from ..utils import all_samplers
    from ._mixed import categorical_columns

    categorical = categorical_columns(X)
    if categorical:
        from .. import SMOTEN, SMOTENC, RandomOverSampler

        every = len(categorical) == X.shape[1]
        first = SMOTEN(random_state=0) if every else SMOTENC("auto", random_state=0)
        return {sampler_name(first): first, "randomoversampler": RandomOverSampler(random_state=0)}

    chosen = {}
    for name, cls in all_samplers("over-sampling"):
        parameters = inspect.signature(cls).parameters
        neighbour_based = "k_neighbors" in parameters or "n_neighbors" in parameters
        own_model = any(p.endswith("_estimator") for p in parameters) or "smote" in parameters
        if own_model:
            continue
        required = [p for p in parameters.values() if p.default is inspect.Parameter.empty]
        sampler = cls(random_state=0) if neighbour_based and not required else None
        if sampler is None or sampler.__sklearn_tags__().input_tags.categorical:
            continue
        kind = getattr(sampler, "kind", "")
        key = "borderline" + kind[-1] if kind.startswith("borderline") else name.lower()
        chosen[key] = sampler
    return dict(sorted(chosen.items(), key=lambda item: (item[0] != "smote", item[0])))


def check_samplers(samplers: Any) -> dict[str, Any]:
    """The samplers of a comparison as ``{name: sampler}``, the baseline first.

    Parameters
    ----------
    samplers : dict, iterable of samplers or None
        ``{name: sampler or None}``; a list of samplers, named by :func:`sampler_name`
        (``_2``, ``_3``, ... make repeated names unique); None for
        :func:`default_samplers`.

    Returns
    -------
    dict
        ``{BASELINE: None, name: sampler, ...}``.

    Raises
    ------
    TypeError
        For a single sampler, a name that is not a non-empty string, or an object
        without ``fit_resample``.
    ValueError
        When a sampler is named :data:`BASELINE`.

    Examples
    --------
    >>> from smotekit import SMOTE
    >>> list(check_samplers([SMOTE(), SMOTE()]))
    ['none', 'smote', 'smote_2']
    """
    if samplers is None:
        samplers = default_samplers()
    if not isinstance(samplers, Mapping):
        if hasattr(samplers, "fit_resample") or isinstance(samplers, str):
            raise TypeError(
                "samplers must be a dict {name: sampler} or a list of samplers; "
                f"got a single {type(samplers).__name__}. Wrap it: [sampler]."
            )
        named: dict[str, Any] = {}
        for sampler in samplers:
            base = name = sampler_name(sampler)
            i = 2
            while name in named:
                name, i = f"{base}_{i}", i + 1
            named[name] = sampler
        samplers = named
    out: dict[str, Any] = {BASELINE: None}
    for name, sampler in samplers.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"Sampler names must be non-empty strings; got {name!r}.")
        if name == BASELINE and sampler is not None:
            raise ValueError(
                f"The name {BASELINE!r} is reserved for the no-resampling baseline; "
                f"rename the sampler {type(sampler).__name__}."
            )
        if sampler is not None and not hasattr(sampler, "fit_resample"):
            raise TypeError(
                f"Sampler {name!r} must have a fit_resample method (or be None for no "
                f"resampling); got {type(sampler).__name__}."
            )
        out[name] = sampler
    return out


def max_neighbor_count(samplers: Mapping[str, Any]) -> int | None:
    """The largest integer neighbour count among the samplers' parameters.

    Parameters
    ----------
    samplers : mapping of str to sampler or None
        As returned by :func:`check_samplers`.

    Returns
    -------
    int or None
        The largest ``k_neighbors``, ``m_neighbors`` or ``n_neighbors`` given as an
        integer; None when there is none.

    Examples
    --------
    >>> from smotekit import ADASYN, SMOTE
    >>> max_neighbor_count({"none": None, "a": SMOTE(k_neighbors=3), "b": ADASYN()})
    5
    """
    ks = []
    for sampler in samplers.values():
        if sampler is None or not hasattr(sampler, "get_params"):
            continue
        params = sampler.get_params(deep=False)
        ks += [
            int(params[p])
            for p in _K_PARAMS
            if isinstance(params.get(p), numbers.Integral) and not isinstance(params[p], bool)
        ]
    return max(ks) if ks else None


def k_sweep(sampler: Any, ks: Iterable[int], *, param: str | None = None) -> dict[str, Any]:
    """One copy of ``sampler`` per neighbour count, named ``"<name>(k=<k>)"``.

    Under :func:`~smotekit.evaluation.compare`, every fold searches neighbours once
    with the largest k and serves the other values from that graph, so a sweep costs
    about one run.

    Parameters
    ----------
    sampler : sampler
        The template (cloned; not modified).
    ks : iterable of int
        Neighbour counts.
    param : str or None, default=None
        Parameter to vary; by default ``k_neighbors`` if the sampler has it, else
        ``n_neighbors``.

    Returns
    -------
    dict
        ``{name: sampler}``, ready for ``compare(samplers=...)``.

    Examples
    --------
    >>> from smotekit import SMOTE
    >>> sorted(k_sweep(SMOTE(), [3, 5]))
    ['smote(k=3)', 'smote(k=5)']
    """
    params = sampler.get_params(deep=False)
    if param is None:
        param = next((p for p in ("k_neighbors", "n_neighbors") if p in params), None)
        if param is None:
            raise ValueError(
                f"{type(sampler).__name__} has no k_neighbors or n_neighbors parameter; "
                "pass param= to name the one to vary."
            )
    elif param not in params:
        raise ValueError(f"{type(sampler).__name__} has no parameter {param!r}.")
    ks = list(ks)
    if not ks:
        raise ValueError("ks is empty: give at least one neighbour count.")
    base = sampler_name(sampler)
    return {f"{base}(k={k})": clone(sampler).set_params(**{param: k}) for k in ks}
