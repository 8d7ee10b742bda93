"""Cross-validation splitters: the ``"KxR"`` shorthand and the (repeat, fold) of every split."""

from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

__all__ = ["check_cv", "cv_splits"]

_CV_RE = re.compile(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$")


def check_cv(cv: Any, random_state: int | None = 0) -> Any:
    """The splitter for ``cv``.

    Parameters
    ----------
    cv : None, int, str or splitter
        ``None``: stratified 5-fold repeated 3 times (``"5x3"``).  An int ``K``:
        stratified K-fold, shuffled.  A string ``"KxR"``: stratified ``K``-fold
        repeated ``R`` times (``"5x3"`` is 5 folds, 3 repeats).  Anything with a
        ``split`` method is used as given.
    random_state : int or None, default=0
        Seed of the shuffling.

    Returns
    -------
    splitter

    Raises
    ------
    ValueError
        For fewer than 2 folds or a string not of the form ``"KxR"``.
    TypeError
        For anything else that is not a splitter.

    Examples
    --------
    >>> check_cv("5x3")
    RepeatedStratifiedKFold(n_repeats=3, n_splits=5, random_state=0)
    >>> check_cv(4)
    StratifiedKFold(n_splits=4, random_state=0, shuffle=True)
    """
    if cv is None:
        return RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=random_state)
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds; got {cv}.")
        return StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=random_state)
    if isinstance(cv, str):
        match = _CV_RE.match(cv)
        if match is None or int(match.group(1)) < 2 or int(match.group(2)) < 1:
            raise ValueError(
                f"cv={cv!r} is not of the form 'KxR' (K >= 2 folds repeated R >= 1 times, "
                "e.g. '5x3')."
            )
        folds, repeats = int(match.group(1)), int(match.group(2))
        return RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=random_state)
    if hasattr(cv, "split"):
        return cv
    raise TypeError(
        f"cv must be None, an int, a string 'KxR' or a splitter with a split method; "
        f"got {type(cv).__name__}."
    )


def cv_splits(cv: Any, X: Any, y: np.ndarray) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Every split of ``cv`` as ``(repeat, fold, train, test)``.

    Parameters
    ----------
    cv : splitter
        From :func:`check_cv`; its ``n_repeats`` (1 if absent) groups the splits.
    X : array-like of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Returns
    -------
    list of (int, int, ndarray, ndarray)

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0, 1] * 4)
    >>> [(r, f) for r, f, _, _ in cv_splits(check_cv("2x2"), np.zeros((8, 1)), y)]
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    pairs = list(cv.split(X, y))
    n_repeats = getattr(cv, "n_repeats", 1)
    per_repeat = max(1, len(pairs) // n_repeats) if isinstance(n_repeats, int) else len(pairs)
    return [(i // per_repeat, i % per_repeat, train, test) for i, (train, test) in enumerate(pairs)]
