"""The methods of ``--method`` / ``--methods``: their names, and building their samplers."""

from __future__ import annotations

import inspect
from typing import Any

from ._errors import UsageError

__all__ = ["build_sampler", "method_name", "methods", "neighbor_param"]

_ALIASES = {"ros": "random", "borderline": "borderline1", "borderline-1": "borderline1"}
_ALIASES |= {"borderline-2": "borderline2", "randomoversampler": "random"}


def methods() -> dict[str, tuple[type, dict[str, Any], str | None]]:
    """``{name: (class, fixed parameters, neighbour-count parameter)}``."""
    import smotekit

    table: dict[str, tuple[type, dict[str, Any], str | None]] = {
        "smote": (smotekit.SMOTE, {}, "k_neighbors"),
        "borderline1": (smotekit.BorderlineSMOTE, {"kind": "borderline-1"}, "k_neighbors"),
        "borderline2": (smotekit.BorderlineSMOTE, {"kind": "borderline-2"}, "k_neighbors"),
        "adasyn": (smotekit.ADASYN, {}, "n_neighbors"),
        "random": (smotekit.RandomOverSampler, {}, None),
    }
    for name in ("SMOTENC", "SMOTEN"):
        cls = getattr(smotekit, name, None)
        if cls is not None:
            table[name.lower()] = (cls, {}, "k_neighbors")
    return table


def neighbor_param(method: str) -> str | None:
    """The neighbour-count parameter of a method (see :func:`methods`), or None."""
    return methods()[method][2]


def method_name(text: str) -> str:
    """The method that ``text`` names (case-insensitive; aliases resolved)."""
    name = _ALIASES.get(text.strip().lower(), text.strip().lower())
    table = methods()
    if name not in table:
        hint = " (not available in this installation)" if name in ("smotenc", "smoten") else ""
        raise UsageError(
            f"unknown method {text!r}{hint}; choose from {', '.join(table)} "
            "(aliases: ros = random, borderline = borderline1)"
        )
    return name


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
    """The sampler of ``method`` with the options that apply to it."""
    cls, fixed, k_param = methods()[method]
    params = dict(fixed, sampling_strategy=strategy, random_state=seed)
    accepted = inspect.signature(cls).parameters
    if k is not None:
        if k_param is None:
            raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
        params[k_param] = k
    if m is not None:
        if "m_neighbors" not in accepted:
            raise UsageError(f"--m applies to borderline1 and borderline2 only, not {method}")
        params["m_neighbors"] = m
    if n_jobs is not None and "n_jobs" in accepted:
        params["n_jobs"] = n_jobs
    if "categorical_features" in accepted:
        params["categorical_features"] = categorical or "auto"
    elif categorical:
        raise UsageError(f"--categorical applies to smotenc only, not {method}")
    return cls(**params)
