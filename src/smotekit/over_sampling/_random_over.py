"""Random over-sampling: duplicate rows, optionally with a smoothed bootstrap."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .._containers import InputKind
from .._random import RandomStateLike, child_generator
from .._validation import check_numeric_X
from ..base import BaseSampler
from ._core import SyntheticBatch, class_positions, make_provenance

__all__ = ["RandomOverSampler"]


class RandomOverSampler(BaseSampler):
    """Over-sample by drawing rows of a class at random, with replacement.

    Without ``shrinkage`` the new rows are exact copies, so any X is accepted
    (strings, categories, missing values).  With ``shrinkage=h`` Gaussian noise is
    added to each copy (smoothed bootstrap, Menardi & Torelli 2014): per feature,
    standard deviation ``h * std * (4 / ((d + 2) * m)) ** (1 / (d + 4))`` with
    ``std`` the feature's standard deviation in the class, ``d`` the number of
    features and ``m`` the class size; X must then be numeric.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    shrinkage : float, dict or None, default=None
        ``None``: plain copies.  A float ``>= 0`` for every class, or a dict
        ``{label: float}`` for the classes being over-sampled.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    sample_indices_ : ndarray of int
        For every output row, the input row it comes from.
    shrinkage_ : dict or None
        The shrinkage used per class.
    provenance_ : pandas.DataFrame
        ``label``, ``seed`` (the copied row), ``neighbor`` (-1) and ``gap`` (0).
    n_features_in_ : int
        Number of features seen.

    References
    ----------
    .. [1] G. Menardi, N. Torelli, "Training and assessing classification rules
       with imbalanced data", Data Mining and Knowledge Discovery, 28, 92-122, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import RandomOverSampler
    >>> X = np.arange(20).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([8, 8])
    """

    _sample_indices = True

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        shrinkage: float | Mapping[Any, float] | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self.shrinkage is None
        tags.input_tags.string = self.shrinkage is None
        return tags

    def _validate_params(self) -> None:
        values = (
            self.shrinkage.values() if isinstance(self.shrinkage, Mapping) else [self.shrinkage]
        )
        for value in values:
            if value is None and not isinstance(self.shrinkage, Mapping):
                continue
            if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    "The 'shrinkage' parameter of RandomOverSampler must be None, a float "
                    f">= 0 or a dict of such floats. Got {self.shrinkage!r} instead."
                )

    def _validate_X(self, X: Any) -> tuple[Any, InputKind]:
        if self.shrinkage is not None:
            return check_numeric_X(X, "RandomOverSampler")
        return _any_rows(X)

    def _restore_X(self, X_res: Any, kind: InputKind) -> Any:
        if kind.kind == "passthrough":
            return X_res
        return super()._restore_X(X_res, kind)

    def _fit_resample(
        self, X: Any, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Any, np.ndarray]:
        positions = class_positions(y)
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        self.shrinkage_ = self._shrinkage_per_class(targets)
        batches, noises = [], []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            rng = child_generator(seed, positions[label])
            picked = rows[rng.integers(0, rows.size, size=n_new)]
            batches.append(SyntheticBatch(label, picked, np.full(n_new, -1), np.zeros(n_new)))
            if self.shrinkage_ is not None:
                noises.append(_smoothing_noise(X, rows, n_new, self.shrinkage_[label], rng))
        new_rows = np.concatenate([b.seeds for b in batches]) if batches else np.empty(0, int)
        self.sample_indices_ = np.concatenate([np.arange(_n_rows(X)), new_rows])
        self.provenance_ = make_provenance(batches, y.dtype)
        y_res = np.concatenate([y, y[new_rows]])
        X_res = _take_rows(X, self.sample_indices_)
        if noises:
            X_res = _add_noise(X_res, _n_rows(X), np.concatenate(noises))
        return X_res, y_res

    def _shrinkage_per_class(self, targets: dict[Any, int]) -> dict[Any, float] | None:
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, Mapping):
            missing = [c for c in targets if c not in self.shrinkage]
            unknown = [c for c in self.shrinkage if c not in targets]
            if missing or unknown:
                raise ValueError(
                    "shrinkage as a dict must name exactly the classes being over-sampled "
                    f"{list(targets)}; missing {missing}, not over-sampled {unknown}."
                )
            return {c: float(self.shrinkage[c]) for c in targets}
        return {c: float(self.shrinkage) for c in targets}


def _n_rows(X: Any) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _any_rows(X: Any) -> tuple[Any, InputKind]:
    """Accept any 2-D row container (copies need no numeric features)."""
    if isinstance(X, pd.DataFrame) or sparse.issparse(X):
        data = X
    else:
        data = np.asarray(X) if not isinstance(X, np.ndarray) else X
        if data.ndim != 2:
            raise ValueError(f"Expected a 2-D X (n_samples, n_features); got shape {data.shape}.")
    if _n_rows(data) == 0:
        raise ValueError("X is empty: RandomOverSampler needs at least one row.")
    if data.shape[1] == 0:
        raise ValueError(
            f"X has 0 feature(s) (shape={data.shape}) while a minimum of 1 is required."
        )
    kind = "list" if isinstance(X, list | tuple) else "passthrough"
    return data, InputKind(kind)


def _take_rows(X: Any, indices: np.ndarray) -> Any:
    if isinstance(X, pd.DataFrame):
        return X.iloc[indices].reset_index(drop=True)
    if sparse.issparse(X):
        return X.tocsr()[indices].asformat(X.format)
    if X.dtype.hasobject:
        return np.take(X, indices, axis=0)
    out = np.empty((indices.size, *X.shape[1:]), dtype=X.dtype)
    np.take(X, indices, axis=0, out=out, mode="clip")  # "raise" would buffer ``out``
    return out


def _smoothing_noise(
    X: Any, rows: np.ndarray, n_new: int, shrinkage: float, rng: np.random.Generator
) -> np.ndarray:
    X_class = X[rows].toarray() if sparse.issparse(X) else X[rows]
    n_features = X_class.shape[1]
    bandwidth = (4 / ((n_features + 2) * rows.size)) ** (1 / (n_features + 4))
    scale = shrinkage * X_class.std(axis=0, ddof=1 if rows.size > 1 else 0) * bandwidth
    return rng.standard_normal((n_new, n_features)) * scale


def _add_noise(X_res: Any, n_original: int, noise: np.ndarray) -> Any:
    if sparse.issparse(X_res):
        X_res = X_res.tocsr(copy=True).astype(np.result_type(X_res.dtype, np.float32))
        dense_new = X_res[n_original:].toarray() + noise
        return sparse.vstack([X_res[:n_original], sparse.csr_matrix(dense_new)], format="csr")
    X_res[n_original:] += noise.astype(X_res.dtype, copy=False)
    return X_res
