"""SMOTE: synthetic rows on segments between a class's rows and their neighbours."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._random import RandomStateLike, child_generator
from .._selection import uniform_seed_counts
from ..base import BaseSampler, check_positive_int
from ._core import (
    assemble,
    classes_to_grow,
    neighbors_in,
    resolve_k,
    segment_batch,
)

__all__ = ["SMOTE"]

_SEED_SELECTIONS = ("random", "uniform")


class SMOTE(BaseSampler):
    """Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002).

    For every class to over-sample, each synthetic row is
    ``x_s + u * (x_nn - x_s)``: a seed row ``x_s`` of the class, one of its
    ``k_neighbors`` nearest neighbours ``x_nn`` within the class (the row itself
    excluded by index), and a gap ``u ~ U[0, 1)``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class should have after resampling; the forms and
        meaning are imbalanced-learn's (float: minority/majority ratio for binary
        targets; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"``,
        ``"auto"``; dict ``{label: n_samples}``; callable ``y -> dict``).
    random_state : int, RandomState, Generator or None, default=None
        Seed of all randomness; each class draws from its own child stream.
    k_neighbors : int or object, default=5
        Neighbours per seed, or a scikit-learn ``NearestNeighbors``-like object
        (its ``n_neighbors - 1`` neighbours are used, as in imbalanced-learn).
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend: ``"auto"`` (KD-tree for few features, else exact
        blocked brute force), ``"exact"``, ``"tree"``, another registered name,
        or a backend object (see :mod:`smotekit.neighbors`).
    seed_selection : {"random", "uniform"}, default="random"
        ``"random"`` draws every seed uniformly with replacement (as
        imbalanced-learn); ``"uniform"`` gives every row ``G // m`` or one more
        synthetic rows (the paper's scheme; lower variance).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        One row per synthetic row, in output order: ``label``, ``seed`` and
        ``neighbor`` (row indices into the input X) and ``gap``.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    BorderlineSMOTE : Seeds only at the class border.
    ADASYN : More synthetic rows where the class is hardest to learn.
    RandomOverSampler : Duplicates rows instead of interpolating.

    Notes
    -----
    The output holds the original rows unchanged and in their order, then the
    synthetic rows grouped by class.  For pandas input, integer and boolean
    columns are rounded back to their dtype (a synthetic value between 2 and 3
    becomes 2 or 3).  Results are identical for any ``n_jobs``.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", Journal of Artificial
       Intelligence Research, 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import SMOTE
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> np.bincount(y)
    array([898, 102])
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([898, 898])
    """

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
        seed_selection: str = "random",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors
        self.seed_selection = seed_selection

    def _validate_params(self) -> None:
        check_positive_int(self.k_neighbors, "k_neighbors", "SMOTE", allow_object=True)
        if self.seed_selection not in _SEED_SELECTIONS:
            raise ValueError(
                f"The 'seed_selection' parameter of SMOTE must be one of {_SEED_SELECTIONS}. "
                f"Got {self.seed_selection!r} instead."
            )

    def _fit_resample(
        self, X: Any, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Any, np.ndarray]:
        k, backend = resolve_k(self.k_neighbors, self.neighbors)
        targets, positions = classes_to_grow(y, self.sampling_strategy_, k, "k_neighbors", "SMOTE")
        batches = []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            graph = neighbors_in(X, rows, k, within=rows, backend=backend, n_jobs=self.n_jobs)
            rng = child_generator(seed, positions[label])
            if self.seed_selection == "uniform":
                seed_local = np.repeat(
                    np.arange(rows.size), uniform_seed_counts(rows.size, n_new, rng)
                )
            else:
                seed_local = rng.integers(0, rows.size, size=n_new)
            batches.append(segment_batch(label, rows, seed_local, graph, rng))
        X_res, y_res, self.provenance_ = assemble(X, y, batches, self.n_jobs)
        return X_res, y_res
