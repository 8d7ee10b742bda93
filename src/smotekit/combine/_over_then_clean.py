"""Over-sample, then clean: the shared driver of SMOTEENN and SMOTETomek.

A combined sampler is two samplers run in turn (:func:`smotekit.chain_resample`):
an over-sampler (SMOTE by default) makes the minority rows, a cleaner (ENN or
Tomek links) then removes the rows its rule finds in the balanced data.  The
steps may be smotekit's or imbalanced-learn's objects; they are cloned, never
fitted in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._chain import chain_resample

__all__ = ["check_step", "over_then_clean", "surviving_provenance"]

_OVER = ("over-sampling",)
_CLEAN = ("clean-sampling", "under-sampling")


def check_step(step: Any, parameter: str, owner: str, kinds: tuple[str, ...]) -> None:
    """A clear error when ``step`` is not a sampler of one of ``kinds``.

    Parameters
    ----------
    step : object or None
        The user's step (None: the default one is used).
    parameter : str
        Its parameter name, for the message.
    owner : str
        The combined sampler, for the message.
    kinds : tuple of str
        Accepted ``_sampling_type`` values.

    Raises
    ------
    TypeError
        If ``step`` is not None and is not such a sampler.
    """
    if step is None:
        return
    kind = getattr(step, "_sampling_type", None)
    if not hasattr(step, "fit_resample") or kind not in kinds:
        wanted = " or ".join(kinds)
        raise TypeError(
            f"The {parameter!r} parameter of {owner} must be a sampler whose kind is {wanted} "
            f"(smotekit's or imbalanced-learn's) or None; got {type(step).__name__} "
            f"(kind {kind!r})."
        )


def over_then_clean(over: Any, cleaner: Any, X: Any, y: Any) -> tuple[Any, Any, Any, Any]:
    """Run ``over`` then ``cleaner`` on (X, y).

    Returns
    -------
    X_res, y_res
        The cleaner's output (the caller's containers are kept).
    over_fitted, cleaner_fitted
        The fitted clones.
    """
    X_res, y_res, (over_fitted, cleaner_fitted) = chain_resample([over, cleaner], X, y)
    return X_res, y_res, over_fitted, cleaner_fitted


def surviving_provenance(over: Any, cleaner: Any, n_rows: int) -> pd.DataFrame | None:
    """The provenance of the synthetic rows that the cleaner kept, in output order.

    Parameters
    ----------
    over : fitted over-sampler
        Its ``provenance_`` describes the synthetic rows it made (None when it
        has none, e.g. imbalanced-learn's SMOTE).
    cleaner : fitted cleaner
        Its ``sample_indices_`` are rows of the over-sampler's output.
    n_rows : int
        Rows of the original data (output rows at or after it are synthetic).

    Returns
    -------
    DataFrame or None
        The over-sampler's provenance rows of the survivors, with a column
        ``output_row``: where each one is in the final output.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> over = SimpleNamespace(provenance_=pd.DataFrame({"seed": [0, 1, 2]}))
    >>> cleaner = SimpleNamespace(sample_indices_=np.array([0, 4, 5]))
    >>> surviving_provenance(over, cleaner, 3).to_dict("list")
    {'seed': [1, 2], 'output_row': [1, 2]}
    """
    provenance = getattr(over, "provenance_", None)
    kept = getattr(cleaner, "sample_indices_", None)
    if provenance is None or kept is None:
        return None
    kept = np.asarray(kept)
    synthetic = np.flatnonzero(kept >= n_rows)
    found = provenance.iloc[kept[synthetic] - n_rows].reset_index(drop=True)
    found["output_row"] = synthetic
    return found
