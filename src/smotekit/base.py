"""The sampler template: validate once -> resample arrays -> restore the caller's containers."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils import InputTags, Tags, TargetTags

from ._containers import InputKind, restore_X, restore_y
from ._random import to_seed_sequence
from ._strategy import over_sampling_targets
from ._validation import check_numeric_X, check_target

__all__ = ["BaseSampler", "SamplerTags", "check_positive_int"]


@dataclass(slots=True)
class SamplerTags:
    """Sampler-specific tags (read by imbalanced-learn's sampler checks).

    Parameters
    ----------
    sample_indices : bool, default=False
        Whether the sampler exposes ``sample_indices_`` after fitting.
    """

    sample_indices: bool = False


@dataclass(slots=True)
class _SamplerInputTags(InputTags):
    dataframe: bool = True


@dataclass(slots=True)
class _SamplerEstimatorTags(Tags):
    sampler_tags: SamplerTags | None = field(default_factory=SamplerTags)


def check_positive_int(value: Any, name: str, owner: str, *, allow_object: bool = False) -> None:
    """Raise the standard error unless ``value`` is an int >= 1.

    Parameters
    ----------
    value : object
        The parameter's value.
    name, owner : str
        Parameter and class names for the message.
    allow_object : bool
        Also accept an object with a ``kneighbors`` method.
    """
    if allow_object and hasattr(value, "kneighbors"):
        return
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1:
        return
    also = " or an object with a kneighbors method" if allow_object else ""
    raise ValueError(
        f"The {name!r} parameter of {owner} must be an int >= 1{also}. Got {value!r} instead."
    )


class BaseSampler(OneToOneFeatureMixin, BaseEstimator):
    """Base class of every smotekit sampler (not for direct use).

    ``fit_resample`` validates ``X`` and ``y`` once, turns ``sampling_strategy``
    into ``sampling_strategy_ = {label: n_new}``, converts ``random_state`` into a
    seed sequence, calls the subclass's ``_fit_resample(X, y, seed)`` on plain
    arrays, and gives the result back in the caller's containers.  Subclasses only
    implement ``_fit_resample`` (and, if needed, ``_validate_params`` and
    ``_validate_X``).
    """

    _estimator_type = "sampler"
    _sampling_type = "over-sampling"
    _sample_indices = False

    def __init__(self, sampling_strategy: Any = "auto") -> None:
        self.sampling_strategy = sampling_strategy

    def fit(self, X: Any, y: Any) -> BaseSampler:
        """Check the inputs and compute ``sampling_strategy_``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : object
        """
        self._validate_params()
        X_arr, _ = self._validate_X(X)
        y_arr, _ = check_target(y, X_arr.shape[0])
        self._record_features(X)
        self.sampling_strategy_ = over_sampling_targets(self.sampling_strategy, y_arr)
        return self

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Feature matrix.
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Unused; accepted for pipeline compatibility.

        Returns
        -------
        X_resampled : same container as X, shape (n_samples_new, n_features)
            The original rows, unchanged and in their order, then the new rows.
        y_resampled : same container as y, shape (n_samples_new,)
        """
        self._validate_params()
        X_arr, x_kind = self._validate_X(X)
        y_arr, y_kind = check_target(y, X_arr.shape[0])
        self._record_features(X)
        self.sampling_strategy_ = over_sampling_targets(self.sampling_strategy, y_arr)
        seed = to_seed_sequence(self.random_state)
        X_res, y_res = self._fit_resample(X_arr, y_arr, seed)
        return self._restore_X(X_res, x_kind), restore_y(y_res, y_kind)

    # ----------------------------------------------------------------- hooks
    def _validate_params(self) -> None:
        """Check constructor parameters (overridden by samplers that have some)."""

    def _validate_X(self, X: Any) -> tuple[Any, InputKind]:
        return check_numeric_X(X, type(self).__name__)

    def _restore_X(self, X_res: Any, kind: InputKind) -> Any:
        return restore_X(X_res, kind)

    def _fit_resample(
        self, X: Any, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Any, np.ndarray]:
        raise NotImplementedError

    # --------------------------------------------------------------- helpers
    def _record_features(self, X: Any) -> None:
        self.n_features_in_ = int(np.shape(X)[1]) if hasattr(X, "shape") else len(X[0])
        columns = getattr(X, "columns", None)
        if columns is not None and all(isinstance(c, str) for c in columns):
            self.feature_names_in_ = np.asarray(columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def __sklearn_tags__(self) -> Tags:
        base = super().__sklearn_tags__()
        return _SamplerEstimatorTags(
            estimator_type="sampler",
            target_tags=TargetTags(required=True),
            input_tags=_SamplerInputTags(sparse=True, two_d_array=True),
            non_deterministic=base.non_deterministic,
            sampler_tags=SamplerTags(sample_indices=self._sample_indices),
        )
