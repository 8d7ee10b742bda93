"""Cluster centroids: replace a class by the centres of a clustering of its rows."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import HasMethods, StrOptions

from .._containers import cast_column, cast_values, restore_X
from .._engine import class_positions
from .._output import take_rows
from .._params import RANDOM_STATE, sampling_strategy_constraint
from .._random import ClassStreams, RandomStateLike
from .._table import Table
from ..base import BaseSampler
from ..neighbors import search

__all__ = ["ClusterCentroids", "assemble_parts", "cluster_centroid_parts"]

_SEED_RANGE = 2**31 - 1


def cluster_centroid_parts(
    X: Any,
    y: np.ndarray,
    targets: dict[Any, int],
    estimator: Any,
    *,
    voting: str = "soft",
    seed: np.random.SeedSequence | None = None,
    seeded: bool = False,
) -> list[tuple[Any, np.ndarray, bool]]:
    """The output of each class in label order: its rows, or its cluster centres.

    A targeted class is clustered into as many clusters as rows it keeps; with
    ``voting="soft"`` the centres are its new rows, with ``"hard"`` the class's
    row nearest each centre (exact search, ties to the smaller row).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        The numeric features.
    y : ndarray of shape (n_rows,)
    targets : dict
        ``{label: rows to keep}``.
    estimator : object
        A clustering estimator with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_``; refitted for every targeted class.
    voting : {"soft", "hard"}, default="soft"
    seed : numpy.random.SeedSequence or None, default=None
        Root of the random streams.
    seeded : bool, default=False
        Whether to set the estimator's ``random_state`` from each class's
        stream before fitting it (smotekit's default KMeans).

    Returns
    -------
    list of (label, values, is_rows)
        ``values`` are row indices when ``is_rows``, else centres.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> X = np.array([[0.0], [0.1], [0.5], [5.0], [5.1], [5.3], [9.0]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 1])
    >>> parts = cluster_centroid_parts(X, y, {0: 2}, KMeans(n_init=1, random_state=0),
    ...                                voting="hard")
    >>> [(label, sorted(values.tolist()), rows) for label, values, rows in parts]
    [(0, [1, 4], True), (1, [6], True)]
    """
    positions = class_positions(y)
    root = seed if seed is not None else np.random.SeedSequence(0)
    parts = []
    for label in positions:
        rows = np.flatnonzero(y == label)
        if label not in targets:
            parts.append((label, rows, True))
            continue
        n_keep = int(targets[label])
        if n_keep == 0:
            parts.append((label, rows[:0], True))
            continue
        params: dict[str, Any] = {"n_clusters": n_keep}
        if seeded:
            rng = ClassStreams(root, positions[label]).selection()
            params["random_state"] = int(rng.integers(0, _SEED_RANGE))
        estimator.set_params(**params)
        estimator.fit(X[rows])
        centres = getattr(estimator, "cluster_centers_", None)
        if centres is None:
            raise RuntimeError(
                f"The estimator {type(estimator).__name__} has no cluster_centers_ after "
                "fitting; ClusterCentroids needs a clustering estimator that exposes them, "
                "such as KMeans."
            )
        centres = np.asarray(centres)
        if voting == "hard":
            queries = np.ascontiguousarray(centres, dtype=np.float64)
            nearest = search(X[rows], queries, 1).indices[:, 0]
            parts.append((label, rows[nearest], True))
        else:
            parts.append((label, centres, False))
    return parts


def assemble_parts(table: Table, parts: list[tuple[Any, np.ndarray, bool]]) -> Any:
    """The caller's container holding each part in turn: its rows, or new rows.

    New rows take the caller's dtypes (integers rounded, as every smotekit
    sampler's new rows are).

    Parameters
    ----------
    table : Table
        The validated input.
    parts : list of (label, values, is_rows)
        As :func:`cluster_centroid_parts` returns them.

    Returns
    -------
    ndarray, list, sparse matrix or DataFrame
    """
    if all(is_rows for _, _, is_rows in parts):
        rows = np.concatenate([values for _, values, _ in parts]).astype(np.intp)
        return restore_X(take_rows(table.source, rows), table.layout)
    if table.is_sparse:
        blocks = [
            table.numeric[values] if is_rows else sparse.csr_matrix(values)
            for _, values, is_rows in parts
        ]
        stacked = sparse.vstack(blocks, format="csr").astype(table.numeric.dtype)
        return restore_X(stacked, table.layout)
    source = table.source
    if isinstance(source, pd.DataFrame):
        frames = []
        for _, values, is_rows in parts:
            if is_rows:
                frames.append(source.iloc[values])
                continue
            columns = {
                j: cast_column(values[:, j], source.dtypes.iloc[j]) for j in range(source.shape[1])
            }
            frame = pd.DataFrame(columns)
            frame.columns = source.columns
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)
    out = np.empty((sum(len(values) for _, values, _ in parts), source.shape[1]), source.dtype)
    start = 0
    for _, values, is_rows in parts:
        stop = start + len(values)
        out[start:stop] = source[values] if is_rows else cast_values(values, source.dtype)
        start = stop
    return restore_X(out, table.layout)


class ClusterCentroids(BaseSampler):
    """Under-sample each targeted class to the centres of a clustering of its rows.

    Each targeted class is clustered (by default with k-means) into as many
    clusters as rows it keeps.  With soft voting its new rows are the cluster
    centres; with hard voting, the class's row nearest each centre.  Classes
    not targeted keep every row.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class keeps (imbalanced-learn's under-sampling forms).
    random_state : int, RandomState, Generator or None, default=None
        Seed of the default KMeans (each class gets its own stream); an
        ``estimator`` passed in keeps its own ``random_state``.
    estimator : object or None, default=None
        A clustering estimator with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_`` attribute; None is ``KMeans``.
    voting : {"auto", "hard", "soft"}, default="auto"
        ``"soft"``: the centres; ``"hard"``: the nearest real rows; ``"auto"``:
        hard for sparse X, soft otherwise.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows kept}`` for the targeted classes.
    estimator_ : object
        The clustering estimator, fitted on the last targeted class.
    voting_ : str
        The voting used.
    n_features_in_ : int
        Number of features seen.

    Notes
    -----
    No ``sample_indices_``: soft voting makes new rows.  New rows are in the
    caller's dtypes (integers rounded).  Hard voting may keep a row more than once
    (when it is the nearest row of two centres).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import ClusterCentroids
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([50, 50])
    """

    _sampling_type = "under-sampling"
    _sample_indices = False
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("under-sampling"),
        "random_state": RANDOM_STATE,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "voting": [StrOptions({"auto", "hard", "soft"})],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        estimator: Any = None,
        voting: str = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        self._check_params_on(table)

    def _reduce(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> tuple[Any, np.ndarray]:
        """Per class in label order: the centres (or nearest rows) of a targeted
        class, every row of the others."""
        default = self.estimator is None
        self.estimator_ = KMeans() if default else clone(self.estimator)
        parts = cluster_centroid_parts(
            table.numeric,
            y,
            self.sampling_strategy_,
            self.estimator_,
            voting=self.voting_,
            seed=seed,
            seeded=default,
        )
        y_res = np.concatenate(
            [
                y[values] if is_rows else np.full(len(values), label, dtype=y.dtype)
                for label, values, is_rows in parts
            ]
        )
        return assemble_parts(table, parts), y_res

    def _check_params_on(self, table: Table) -> None:
        if self.estimator is not None and "n_clusters" not in self.estimator.get_params():
            raise ValueError(
                "`estimator` should be a clustering estimator exposing a parameter "
                f"`n_clusters` and a fitted parameter `cluster_centers_`; "
                f"{type(self.estimator).__name__} has no n_clusters parameter."
            )
        if self.voting == "auto":
            self.voting_ = "hard" if table.is_sparse else "soft"
        else:
            self.voting_ = self.voting
