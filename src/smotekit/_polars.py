"""polars in, polars out: the one conversion at the boundary.

Samplers work on pandas and NumPy.  A polars DataFrame (and a polars Series for
y) is converted to pandas when ``fit_resample`` starts and the results are
converted back when it returns, so polars users get polars back, with their
column names and dtypes (strings, categoricals, integers) round-tripped through
Arrow.  polars is never imported unless the caller passed a polars object.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["from_polars"]


def _is_polars(obj: Any, kind: str) -> bool:
    module = sys.modules.get("polars")
    return module is not None and isinstance(obj, getattr(module, kind))


def from_polars(X: Any, y: Any) -> tuple[Any, Any, Callable[[Any, Any], tuple[Any, Any]]]:
    """``(X, y)`` as pandas where they were polars, and the function that converts back.

    Examples
    --------
    >>> import numpy as np
    >>> X, y, back = from_polars(np.zeros((2, 1)), [0, 1])
    >>> back(X, y)[1]
    [0, 1]
    """
    x_polars = _is_polars(X, "DataFrame")
    y_polars = _is_polars(y, "Series") or _is_polars(y, "DataFrame")
    if not (x_polars or y_polars):
        return X, y, lambda a, b: (a, b)
    import polars as pl

    if x_polars:
        X = X.to_pandas()
    if y_polars:
        y = y.to_pandas()

    def back(X_res: Any, y_res: Any) -> tuple[Any, Any]:
        if x_polars:
            X_res = pl.from_pandas(X_res)
        if y_polars:
            y_res = pl.from_pandas(y_res)
        return X_res, y_res

    return X, y, back
