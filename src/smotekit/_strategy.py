"""``sampling_strategy`` in every accepted form -> ``{label: n_new_rows}``.

The semantics are imbalanced-learn's, for over-sampling:

* float (binary targets only): desired ``n_minority / n_majority`` after resampling;
* ``"minority"``: only the smallest class, up to the largest;
* ``"not minority"``, ``"not majority"`` (= ``"auto"``), ``"all"``: those classes,
  each up to the size of the largest;
* dict ``{label: target_count}``: those classes up to those counts;
* callable ``f(y) -> dict``: as a dict.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = ["over_sampling_targets"]

_STRING_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")


def _class_counts(y: np.ndarray) -> dict[Any, int]:
    labels, counts = np.unique(y, return_counts=True)
    return {
        label.item() if hasattr(label, "item") else label: int(c)
        for label, c in zip(labels, counts)
    }


def over_sampling_targets(sampling_strategy: Any, y: np.ndarray) -> dict[Any, int]:
    """Number of rows to generate per class, in imbalanced-learn's semantics.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable
        See the module docstring.
    y : ndarray of shape (n_samples,)
        Validated class labels (at least two classes).

    Returns
    -------
    dict
        ``{label: n_new}`` for every targeted class, sorted by label.

    Raises
    ------
    ValueError
        Unknown string, float with a multiclass target or out of (0, 1], a
        float or dict that would need fewer rows than exist, unknown labels or
        negative counts in a dict.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0] * 10 + [1] * 4 + [2] * 2)
    >>> over_sampling_targets("auto", y)
    {1: 6, 2: 8}
    >>> over_sampling_targets({2: 5}, y)
    {2: 3}
    """
    counts = _class_counts(y)
    majority = max(counts.values())
    if callable(sampling_strategy) and not isinstance(sampling_strategy, str):
        sampling_strategy = _call_strategy(sampling_strategy, y)
    if isinstance(sampling_strategy, str):
        return _from_string(sampling_strategy, counts, majority)
    if isinstance(sampling_strategy, Mapping):
        return _from_dict(sampling_strategy, counts)
    if isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        return _from_float(float(sampling_strategy), counts)
    raise ValueError(
        "sampling_strategy must be a float, one of "
        f"{', '.join(repr(s) for s in _STRING_STRATEGIES)}, a dict or a callable; "
        f"got {sampling_strategy!r}."
    )


def _call_strategy(func: Callable[[np.ndarray], Any], y: np.ndarray) -> Any:
    result = func(y)
    if not isinstance(result, Mapping):
        raise ValueError(
            f"A callable sampling_strategy must return a dict {{label: n_samples}}; "
            f"got {type(result).__name__}."
        )
    return result


def _from_string(name: str, counts: dict[Any, int], majority: int) -> dict[Any, int]:
    if name not in _STRING_STRATEGIES:
        raise ValueError(
            f"Unknown sampling_strategy {name!r}. Use one of "
            f"{', '.join(repr(s) for s in _STRING_STRATEGIES)}, a float, a dict or a callable."
        )
    majority_label = max(counts, key=lambda c: (counts[c], -_order(counts, c)))
    minority_label = min(counts, key=lambda c: (counts[c], _order(counts, c)))
    if name == "minority":
        chosen = [minority_label]
    elif name == "not minority":
        chosen = [c for c in counts if c != minority_label]
    elif name in ("not majority", "auto"):
        chosen = [c for c in counts if c != majority_label]
    else:  # "all"
        chosen = list(counts)
    return {c: majority - counts[c] for c in counts if c in chosen}


def _order(counts: dict[Any, int], label: Any) -> int:
    return list(counts).index(label)


def _from_dict(strategy: Mapping[Any, Any], counts: dict[Any, int]) -> dict[Any, int]:
    unknown = [label for label in strategy if label not in counts]
    if unknown:
        raise ValueError(
            f"sampling_strategy names classes not present in y: {unknown}. "
            f"The classes are {list(counts)}."
        )
    targets: dict[Any, int] = {}
    for label, wanted in strategy.items():
        if not isinstance(wanted, numbers.Integral) or isinstance(wanted, bool) or wanted < 0:
            raise ValueError(
                f"sampling_strategy[{label!r}] must be a non-negative integer number of "
                f"rows; got {wanted!r}."
            )
        if wanted < counts[label]:
            raise ValueError(
                f"An over-sampler cannot remove rows: class {label!r} has {counts[label]} "
                f"rows but sampling_strategy asks for {wanted}. Ask for at least "
                f"{counts[label]}, or use an under-sampler."
            )
        targets[label] = int(wanted) - counts[label]
    return dict(sorted(targets.items(), key=lambda item: _order(counts, item[0])))


def _from_float(ratio: float, counts: dict[Any, int]) -> dict[Any, int]:
    if len(counts) != 2:
        raise ValueError(
            f"A float sampling_strategy is only defined for binary targets; y has "
            f"{len(counts)} classes. Use a dict {{label: n_samples}} or a string."
        )
    if not 0 < ratio <= 1:
        raise ValueError(
            f"A float sampling_strategy is the desired minority/majority ratio and must "
            f"be in (0, 1]; got {ratio}."
        )
    majority_label = max(counts, key=lambda c: (counts[c], -_order(counts, c)))
    minority_label = next(c for c in counts if c != majority_label)
    wanted = int(counts[majority_label] * ratio)
    if wanted < counts[minority_label]:
        raise ValueError(
            f"sampling_strategy={ratio} asks for {wanted} minority rows, fewer than the "
            f"{counts[minority_label]} that exist; an over-sampler cannot remove rows. "
            f"Use a ratio of at least {counts[minority_label] / counts[majority_label]:.4g}."
        )
    return {minority_label: wanted - counts[minority_label]}
