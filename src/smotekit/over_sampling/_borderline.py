"""Borderline-SMOTE: seeds only from the rows at the class border."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._random import RandomStateLike, child_generator
from .._selection import DANGER, borderline_categories
from ..base import BaseSampler, check_positive_int
from ._core import (
    assemble,
    classes_to_grow,
    neighbors_in,
    resolve_k,
    segment_batch,
)

__all__ = ["BorderlineSMOTE", "NoBorderWarning"]

_KINDS = ("borderline-1", "borderline-2")


class NoBorderWarning(UserWarning):
    """A class has no DANGER rows, so Borderline-SMOTE generated none for it."""


class BorderlineSMOTE(BaseSampler):
    """Borderline-SMOTE (Han et al., 2005).

    Each row of a class to over-sample is labelled from its ``m_neighbors``
    nearest neighbours in all of X (itself excluded): NOISE if all are of another
    class, DANGER if at least half (but not all) are, SAFE otherwise.  Seeds are
    drawn uniformly from the DANGER rows only.

    * ``kind="borderline-1"``: the neighbour is one of the seed's ``k_neighbors``
      nearest rows of its own class; gap ``u ~ U[0, 1)``.
    * ``kind="borderline-2"``: the neighbour is one of the seed's ``k_neighbors``
      nearest rows of any class; gap ``u ~ U[0, 1)`` for a same-class neighbour and
      ``u ~ U[0, 0.5)`` for another class's (the new row stays nearer the seed).

    A class without DANGER rows gets no synthetic rows and a
    :class:`NoBorderWarning`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    k_neighbors : int or object, default=5
        Neighbours to interpolate with (or a ``NearestNeighbors``-like object).
    m_neighbors : int or object, default=10
        Neighbours that decide SAFE / DANGER / NOISE (or a ``NearestNeighbors``-like
        object).
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        The variant.
    n_jobs : int or None, default=None
        Threads for the neighbour searches; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend, see :class:`SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows requested}``.
    provenance_ : pandas.DataFrame
        ``label``, ``seed``, ``neighbor`` (indices into the input X), ``gap``.
    in_danger_ : dict
        ``{label: indices (into X) of the class's DANGER rows}``.
    n_features_in_ : int
        Number of features seen.

    See Also
    --------
    SMOTE, ADASYN

    References
    ----------
    .. [1] H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: a new over-sampling
       method in imbalanced data sets learning", ICIC 2005, LNCS 3644, 878-887.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([877, 877])
    """

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        m_neighbors: Any = 10,
        kind: str = "borderline-1",
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _validate_params(self) -> None:
        owner = "BorderlineSMOTE"
        check_positive_int(self.k_neighbors, "k_neighbors", owner, allow_object=True)
        check_positive_int(self.m_neighbors, "m_neighbors", owner, allow_object=True)
        if self.kind not in _KINDS:
            raise ValueError(
                f"The 'kind' parameter of BorderlineSMOTE must be one of {_KINDS}. "
                f"Got {self.kind!r} instead."
            )

    def _fit_resample(
        self, X: Any, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Any, np.ndarray]:
        k, k_backend = resolve_k(self.k_neighbors, self.neighbors)
        m, m_backend = resolve_k(self.m_neighbors, self.neighbors)
        k_needed = k if self.kind == "borderline-1" else None
        targets, positions = classes_to_grow(
            y, self.sampling_strategy_, k_needed, "k_neighbors", "BorderlineSMOTE"
        )
        if m > X.shape[0] - 1:
            raise ValueError(
                f"m_neighbors={m} needs at least {m + 1} rows in X; X has {X.shape[0]}. "
                f"Use m_neighbors <= {X.shape[0] - 1}."
            )
        self.in_danger_ = {}
        batches = []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            border = neighbors_in(X, rows, m, backend=m_backend, n_jobs=self.n_jobs)
            n_other = np.sum(y[border.indices] != label, axis=1)
            danger = rows[borderline_categories(n_other, m) == DANGER]
            self.in_danger_[label] = danger
            if danger.size == 0:
                warnings.warn(
                    f"BorderlineSMOTE: class {label!r} has no DANGER rows (no row with at "
                    f"least half of its {m} nearest neighbours in another class), so no "
                    f"synthetic rows were generated for it; {n_new} were requested. Use "
                    "SMOTE, or a larger m_neighbors.",
                    NoBorderWarning,
                    stacklevel=3,
                )
                continue
            within = rows if self.kind == "borderline-1" else None
            graph = neighbors_in(X, danger, k, within=within, backend=k_backend, n_jobs=self.n_jobs)
            rng = child_generator(seed, positions[label])
            seed_local = rng.integers(0, danger.size, size=n_new)
            batch = segment_batch(label, danger, seed_local, graph, rng)
            if self.kind == "borderline-2":
                other = y[batch.neighbors] != label
                batch.gaps = np.where(other, 0.5 * batch.gaps, batch.gaps)
            batches.append(batch)
        X_res, y_res, self.provenance_ = assemble(X, y, batches, self.n_jobs)
        return X_res, y_res
