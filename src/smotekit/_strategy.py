"""``sampling_strategy`` in every accepted form -> ``{label: n}``, for each kind of sampler.

The semantics are imbalanced-learn's.  For over-sampling, ``n`` is the number of
rows to generate:

* float (binary targets only): desired ``n_minority / n_majority`` after resampling;
* ``"minority"``: only the smallest class, up to the largest;
* ``"not minority"``, ``"not majority"`` (= ``"auto"``), ``"all"``: those classes,
  each up to the size of the largest;
* dict ``{label: target_count}``: those classes up to those counts;
* callable ``f(y) -> dict``: as a dict.

For under-sampling, ``n`` is the number of rows to keep: a float (binary only) is
the desired ``n_minority / n_majority`` after resampling; ``"majority"``,
``"not minority"`` (= ``"auto"``), ``"not majority"``, ``"all"`` bring those
classes down to the size of the smallest; a dict or callable gives counts no
larger than the class.  For cleaning, only the targeted classes matter: a
string as for under-sampling, or a list of labels (no float, no dict).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "STRING_STRATEGIES",
    "cleaning_targets",
    "over_sampling_targets",
    "sampling_targets",
    "under_sampling_targets",
]

_STRING_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")
# The strings each kind of sampler accepts (imbalanced-learn's sets).
STRING_STRATEGIES = {
    "over-sampling": frozenset(_STRING_STRATEGIES),
    "under-sampling": frozenset({"auto", "majority", "not minority", "not majority", "all"}),
    "clean-sampling": frozenset({"auto", "majority", "not minority", "not majority", "all"}),
}


def _class_counts(y: np.ndarray) -> dict[Any, int]:
    labels, counts = np.unique(y, return_counts=True)
    return {
        label.item() if hasattr(label, "item") else label: int(c)
        for label, c in zip(labels, counts)
    }


def over_sampling_targets(
    sampling_strategy: Any, y: np.ndarray | None, counts: dict[Any, int] | None = None
) -> dict[Any, int]:
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
    counts = _class_counts(y) if counts is None else dict(sorted(counts.items()))
    majority = max(counts.values())
    if callable(sampling_strategy) and not isinstance(sampling_strategy, str):
        sampling_strategy = _call_strategy(sampling_strategy, _labels(y, counts))
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


def _labels(y: np.ndarray | None, counts: dict[Any, int]) -> np.ndarray:
    """The labels a callable strategy sees: ``y``, or (from counts alone) each label
    repeated as often as it occurs, in label order."""
    if y is not None:
        return y
    return np.repeat(np.asarray(list(counts)), list(counts.values()))


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


def _checked_counts(strategy: Mapping[Any, Any], counts: dict[Any, int]) -> dict[Any, int]:
    """The dict's counts as ints, in label order, after checking labels and signs."""
    unknown = [label for label in strategy if label not in counts]
    if unknown:
        raise ValueError(
            f"sampling_strategy names classes not present in y: {unknown}. "
            f"The classes are {list(counts)}."
        )
    for label, wanted in strategy.items():
        if not isinstance(wanted, numbers.Integral) or isinstance(wanted, bool) or wanted < 0:
            raise ValueError(
                f"sampling_strategy[{label!r}] must be a non-negative integer number of "
                f"rows; got {wanted!r}."
            )
    ordered = sorted(strategy.items(), key=lambda item: _order(counts, item[0]))
    return {label: int(wanted) for label, wanted in ordered}


def _from_dict(strategy: Mapping[Any, Any], counts: dict[Any, int]) -> dict[Any, int]:
    targets: dict[Any, int] = {}
    for label, wanted in _checked_counts(strategy, counts).items():
        if wanted < counts[label]:
            raise ValueError(
                f"An over-sampler cannot remove rows: class {label!r} has {counts[label]} "
                f"rows but sampling_strategy asks for {wanted}. Ask for at least "
                f"{counts[label]}, or use an under-sampler."
            )
        targets[label] = int(wanted) - counts[label]
    return dict(sorted(targets.items(), key=lambda item: _order(counts, item[0])))


def _binary_ratio(ratio: float, counts: dict[Any, int]) -> float:
    """The float strategy, after checking the target is binary and the ratio in (0, 1]."""
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
    return ratio


def _from_float(ratio: float, counts: dict[Any, int]) -> dict[Any, int]:
    ratio = _binary_ratio(ratio, counts)
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


def sampling_targets(
    sampling_type: str,
    sampling_strategy: Any,
    y: np.ndarray | None,
    counts: dict[Any, int] | None = None,
) -> dict[Any, int]:
    """``sampling_strategy_`` of a sampler of kind ``sampling_type``.

    Parameters
    ----------
    sampling_type : {"over-sampling", "under-sampling", "clean-sampling"}
        The sampler's ``_sampling_type``.
    sampling_strategy : float, str, dict, list or callable
        The user's parameter.
    y : ndarray or None
        Validated labels (None when ``counts`` is given).
    counts : dict or None
        ``{label: rows}`` instead of ``y``, from an engine that counts the classes
        without holding the labels (a callable strategy then sees the labels
        grouped by class).

    Returns
    -------
    dict
        Over-sampling: rows to generate per class; under-sampling: rows to keep;
        cleaning: the targeted classes (with the minority's size, as
        imbalanced-learn reports it).

    Examples
    --------
    >>> y = np.array([0] * 10 + [1] * 4 + [2] * 2)
    >>> sampling_targets("under-sampling", "auto", y)
    {0: 2, 1: 2}
    """
    if sampling_type == "over-sampling":
        return over_sampling_targets(sampling_strategy, y, counts)
    if sampling_type == "under-sampling":
        return under_sampling_targets(sampling_strategy, y, counts)
    if sampling_type == "clean-sampling":
        return cleaning_targets(sampling_strategy, y, counts)
    raise ValueError(f"Unknown sampling type {sampling_type!r}.")


def _labels_by_size(counts: dict[Any, int]) -> tuple[Any, Any]:
    """(majority, minority) labels; ties go to the first label in sorted order."""
    majority = max(counts, key=lambda c: (counts[c], -_order(counts, c)))
    minority = min(counts, key=lambda c: (counts[c], _order(counts, c)))
    return majority, minority


def _chosen_for_removal(name: str, counts: dict[Any, int], kind: str) -> list[Any]:
    allowed = sorted(STRING_STRATEGIES[kind])
    if name not in STRING_STRATEGIES[kind]:
        raise ValueError(
            f"sampling_strategy={name!r} cannot be used with an {kind.split('-')[0]}-sampler "
            f"(it would add rows); use one of {allowed}, a dict or a callable."
        )
    majority, minority = _labels_by_size(counts)
    if name == "majority":
        return [majority]
    if name in ("not minority", "auto"):
        return [c for c in counts if c != minority]
    if name == "not majority":
        return [c for c in counts if c != majority]
    return list(counts)


def under_sampling_targets(
    sampling_strategy: Any, y: np.ndarray | None, counts: dict[Any, int] | None = None
) -> dict[Any, int]:
    """Number of rows to keep per targeted class, in imbalanced-learn's semantics.

    Raises
    ------
    ValueError
        A string meant for over-sampling, a float with a multiclass target or
        one that would need more rows than exist, unknown labels, negative
        counts or counts above a class's size in a dict.

    Examples
    --------
    >>> y = np.array([0] * 10 + [1] * 4 + [2] * 2)
    >>> under_sampling_targets("majority", y), under_sampling_targets({0: 5}, y)
    ({0: 2}, {0: 5})
    """
    counts = _class_counts(y) if counts is None else dict(sorted(counts.items()))
    smallest = min(counts.values())
    if callable(sampling_strategy) and not isinstance(sampling_strategy, str):
        sampling_strategy = _call_strategy(sampling_strategy, _labels(y, counts))
    if isinstance(sampling_strategy, str):
        chosen = _chosen_for_removal(sampling_strategy, counts, "under-sampling")
        return {c: smallest for c in counts if c in chosen}
    if isinstance(sampling_strategy, Mapping):
        targets = _checked_counts(sampling_strategy, counts)
        for label, wanted in targets.items():
            if wanted > counts[label]:
                raise ValueError(
                    f"An under-sampler cannot add rows: class {label!r} has {counts[label]} "
                    f"rows but sampling_strategy asks for {wanted}. Ask for at most "
                    f"{counts[label]}, or use an over-sampler."
                )
        return targets
    if isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        ratio = _binary_ratio(float(sampling_strategy), counts)
        _, minority = _labels_by_size(counts)
        other = next(c for c in counts if c != minority)
        wanted = int(counts[minority] / ratio)
        if wanted > counts[other]:
            raise ValueError(
                f"sampling_strategy={ratio} asks for {wanted} majority rows, more than the "
                f"{counts[other]} that exist; an under-sampler cannot add rows. Use a "
                f"ratio of at least {counts[minority] / counts[other]:.4g}."
            )
        return {other: wanted}
    raise ValueError(
        "sampling_strategy must be a float, one of "
        f"{sorted(STRING_STRATEGIES['under-sampling'])}, a dict or a callable; "
        f"got {sampling_strategy!r}."
    )


def cleaning_targets(
    sampling_strategy: Any, y: np.ndarray | None, counts: dict[Any, int] | None = None
) -> dict[Any, int]:
    """The classes a cleaning sampler may remove rows from, in imbalanced-learn's semantics.

    Raises
    ------
    ValueError
        A float or a dict (a cleaner cannot be told how many rows to keep), a
        string meant for over-sampling, or unknown labels in a list.

    Examples
    --------
    >>> y = np.array([0] * 10 + [1] * 4 + [2] * 2)
    >>> cleaning_targets("auto", y), cleaning_targets([1], y)
    ({0: 2, 1: 2}, {1: 2})
    """
    counts = _class_counts(y) if counts is None else dict(sorted(counts.items()))
    smallest = min(counts.values())
    if isinstance(sampling_strategy, str):
        chosen = _chosen_for_removal(sampling_strategy, counts, "clean-sampling")
        return {c: smallest for c in counts if c in chosen}
    if isinstance(sampling_strategy, list | tuple | np.ndarray):
        unknown = [c for c in sampling_strategy if c not in counts]
        if unknown:
            raise ValueError(
                f"sampling_strategy names classes not present in y: {unknown}. "
                f"The classes are {list(counts)}."
            )
        return {c: smallest for c in counts if c in list(sampling_strategy)}
    raise ValueError(
        "A cleaning sampler removes the rows its rule finds, so sampling_strategy cannot "
        f"be a number or a dict of counts; got {sampling_strategy!r}. Give a string among "
        f"{sorted(STRING_STRATEGIES['clean-sampling'])} or a list of the classes to clean."
    )
