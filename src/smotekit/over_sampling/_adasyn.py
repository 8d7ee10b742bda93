"""ADASYN: more synthetic rows where a class is harder to learn."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._random import RandomStateLike, child_generator
from .._selection import largest_remainder
from ..base import BaseSampler, check_positive_int
from ._core import (
    assemble,
    classes_to_grow,
    neighbors_in,
    resolve_k,
    segment_batch,
)

__all__ = ["ADASYN"]


class ADASYN(BaseSampler):
    """Adaptive Synthetic sampling (He et al., 2008).

    For a class to over-sample, row ``i``'s hardness ``r_i`` is the share of its
    ``n_neighbors`` nearest neighbours in all of X (itself excluded) that belong
    to another class.  The ``G`` new rows are split among the rows in proportion
    to ``r_i`` by the largest-remainder method (so they sum to ``G`` exactly), and
    each is interpolated as in SMOTE towards one of the row's ``n_neighbors``
    nearest neighbours of its own class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        See :class:`SMOTE`.
    random_state : int, RandomState, Generator or None, default=None
        See :class:`SMOTE`.
    n_neighbors : int or object, default=5
        Neighbours for the hardness ratio and for interpolation (or a
        ``NearestNeighbors``-like object).
    n_jobs : int or None, default=None
        Threads for the neighbour searches; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend, see :class:`SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        ``label``, ``seed``, ``neighbor`` (indices into the input X), ``gap``.
    hardness_ : dict
        ``{label: r_i for every row of the class}``.
    n_features_in_ : int
        Number of features seen.

    Raises
    ------
    ValueError
        If no row of a class to over-sample has a neighbour of another class
        (the classes are separated; ADASYN has nothing to adapt to: use SMOTE).

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: adaptive synthetic sampling
       approach for imbalanced learning", IJCNN 2008, 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import ADASYN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([898, 898])
    """

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        n_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _validate_params(self) -> None:
        check_positive_int(self.n_neighbors, "n_neighbors", "ADASYN", allow_object=True)

    def _fit_resample(
        self, X: Any, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Any, np.ndarray]:
        k, backend = resolve_k(self.n_neighbors, self.neighbors)
        targets, positions = classes_to_grow(y, self.sampling_strategy_, k, "n_neighbors", "ADASYN")
        self.hardness_ = {}
        batches = []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            around = neighbors_in(X, rows, k, backend=backend, n_jobs=self.n_jobs)
            hardness = np.mean(y[around.indices] != label, axis=1)
            self.hardness_[label] = hardness
            if not hardness.any():
                raise ValueError(
                    f"ADASYN: no row of class {label!r} has a neighbour of another class among "
                    f"its {k} nearest, so there is no hard region to adapt to. The classes "
                    "look separated: use SMOTE instead."
                )
            counts = largest_remainder(hardness, n_new)
            graph = neighbors_in(X, rows, k, within=rows, backend=backend, n_jobs=self.n_jobs)
            rng = child_generator(seed, positions[label])
            seed_local = np.repeat(np.arange(rows.size), counts)
            batches.append(segment_batch(label, rows, seed_local, graph, rng))
        X_res, y_res, self.provenance_ = assemble(X, y, batches, self.n_jobs)
        return X_res, y_res
