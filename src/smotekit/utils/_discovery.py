"""Find every public sampler class, like scikit-learn's ``all_estimators``."""

from __future__ import annotations

import inspect
from importlib import import_module

__all__ = ["all_samplers"]

# The public namespaces that hold samplers (private modules are not walked: a
# sampler is public when one of these exports it).
_NAMESPACES = ("smotekit.over_sampling", "smotekit.under_sampling", "smotekit.combine")
_KINDS = ("over-sampling", "under-sampling", "clean-sampling")


def all_samplers(type_filter: str | list[str] | None = None) -> list[tuple[str, type]]:
    """Every public sampler of smotekit, as ``(name, class)`` pairs sorted by name.

    Parameters
    ----------
    type_filter : {"over-sampling", "under-sampling", "clean-sampling"}, list of them, or None
        Keep only samplers of these kinds (their ``_sampling_type``); None keeps all.

    Returns
    -------
    list of (str, type)

    Raises
    ------
    ValueError
        For an unknown kind in ``type_filter``.

    Examples
    --------
    >>> from smotekit.utils import all_samplers
    >>> names = [name for name, _ in all_samplers("over-sampling")]
    >>> "SMOTE" in names and "RandomUnderSampler" not in names
    True
    """
    from ..base import BaseSampler

    if type_filter is None:
        kinds = set(_KINDS)
    else:
        kinds = {type_filter} if isinstance(type_filter, str) else set(type_filter)
        unknown = sorted(kinds - set(_KINDS))
        if unknown:
            raise ValueError(
                f"Unknown sampler kind(s) {unknown} in type_filter; choose from {list(_KINDS)}."
            )
    found: dict[str, type] = {}
    for namespace in _NAMESPACES:
        try:
            module = import_module(namespace)
        except ModuleNotFoundError as error:
            if error.name != namespace:
                raise
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseSampler)
                and not inspect.isabstract(obj)
                and not name.startswith("_")
                and getattr(obj, "_sampling_type", None) in kinds
            ):
                found[name] = obj
    return sorted(found.items())
