"""Turn option values into what the public API takes: strategies, lists, CV, scalers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._errors import UsageError

__all__ = [
    "STRATEGIES",
    "int_list",
    "make_scaler",
    "parse_cv",
    "parse_strategy",
]

#: The named values of ``--strategy`` (``_`` may stand for a space).
STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")


def parse_strategy(text: str, y: pd.Series) -> Any:
    """The ``sampling_strategy`` that ``--strategy`` gives.

    Parameters
    ----------
    text : str
        A name of :data:`STRATEGIES`, a ratio (``0.5``) or counts per class
        (``1:500,2:300`` or ``rare=30``).
    y : Series
        The target column; class names in ``text`` are matched to its labels as text.

    Returns
    -------
    str, float or dict

    Raises
    ------
    UsageError
        For anything else, an unknown class or a count that is not a whole number.

    Examples
    --------
    >>> y = pd.Series(["common", "common", "rare"])
    >>> parse_strategy("not_majority", y), parse_strategy("0.5", y), parse_strategy("rare:9", y)
    ('not majority', 0.5, {'rare': 9})
    """
    text = text.strip()
    if text.replace("_", " ") in STRATEGIES:
        return text.replace("_", " ")
    try:
        return float(text)
    except ValueError:
        pass
    if ":" not in text and "=" not in text:
        raise UsageError(
            f"--strategy {text!r} is not understood; use one of {', '.join(STRATEGIES)}, a "
            "ratio such as 0.5, or target counts such as 1:500,2:300"
        )
    labels = {str(label): label for label in pd.unique(y.dropna())}
    strategy = {}
    for item in text.split(","):
        label, _, count = item.replace("=", ":").partition(":")
        if label.strip() not in labels:
            raise UsageError(
                f"--strategy names the class {label.strip()!r}, which is not in the target "
                f"column; its classes are {', '.join(labels)}"
            )
        try:
            strategy[labels[label.strip()]] = int(count)
        except ValueError:
            raise UsageError(f"--strategy: {count!r} is not a whole number of rows") from None
    return strategy


def int_list(text: str, option: str) -> list[int]:
    """Whole numbers >= 1 separated by commas.

    Parameters
    ----------
    text : str
    option : str
        The option's name, for the message.

    Returns
    -------
    list of int

    Raises
    ------
    UsageError
        For anything else, or no number at all.

    Examples
    --------
    >>> int_list("3,5", "--k")
    [3, 5]
    """
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(
            f"{option} takes whole numbers separated by commas; got {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise UsageError(f"{option} takes whole numbers >= 1; got {text!r}")
    return values


def parse_cv(text: str, seed: int | None = 0) -> Any:
    """The splitter of ``--cv``: ``K`` folds or ``KxR``, see :func:`smotekit.evaluation.check_cv`.

    Parameters
    ----------
    text : str
    seed : int or None, default=0
        Seed of the fold shuffling.

    Returns
    -------
    splitter

    Examples
    --------
    >>> parse_cv("3")
    StratifiedKFold(n_splits=3, random_state=0, shuffle=True)
    """
    from ..evaluation import check_cv

    return check_cv(int(text) if text.isdigit() else text, seed)


def make_scaler(name: str) -> Any:
    """The scaler of ``--scale``: ``"minmax"``, ``"standard"`` or ``"none"`` (None).

    Parameters
    ----------
    name : {"minmax", "standard", "none"}

    Returns
    -------
    transformer or None
    """
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    return {"minmax": MinMaxScaler(), "standard": StandardScaler(), "none": None}[name]
