"""Tomek links (Tomek, 1976): drop the rows of a targeted class linked to another class."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._params import N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._table import Table
from ..base import BaseSampler
from ..neighbors import SearchIndex
from ._neighborhood import all_rows_neighbors, tomek_link_mask

__all__ = ["TomekLinks", "nearest_other_rows", "tomek_links"]


def _check_two_rows(n_rows: int) -> None:
    if n_rows < 2:
        raise ValueError(
            f"TomekLinks needs at least 2 rows (every row's nearest other row); X has {n_rows}."
        )


def nearest_other_rows(
    X: Any, y: np.ndarray, *, backend: Any = "auto", n_jobs: int | None = None
) -> np.ndarray:
    """Every row's nearest other row, as far as Tomek links need it.

    A link joins two classes, so one of its ends is outside the largest class.
    When few rows are, only they are searched, then the rows of the largest
    class they point to; every other row of the largest class, which cannot be
    in a link, is given itself.  Otherwise every row is searched (the symmetric
    self-query).  Links found from the result are exactly those of a full search.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    backend, n_jobs
        The neighbour backend and its threads.

    Returns
    -------
    ndarray of int of shape (n_rows,)
        The nearest other row (ties broken by index), or the row itself where
        it cannot matter.

    Examples
    --------
    >>> X = np.array([[0.0], [0.4], [3.0], [3.5], [9.0]])
    >>> nearest_other_rows(X, np.array([0, 1, 0, 0, 0])).tolist()
    [1, 0, 2, 3, 4]
    """
    _check_two_rows(y.shape[0])
    index = SearchIndex(X, backend, n_jobs)
    labels, counts = np.unique(y, return_counts=True)
    outside = np.flatnonzero(y != labels[np.argmax(counts)])
    # A symmetric self-query costs about as much as querying half of the rows.
    share = 0.25 if getattr(index.engine, "symmetric", False) else 0.5
    if outside.size >= share * y.shape[0]:
        return all_rows_neighbors(X, 1, index=index).indices[:, 0]
    nearest = np.arange(y.shape[0])
    nearest[outside] = all_rows_neighbors(X, 1, queries=outside, index=index).indices[:, 0]
    inside = np.unique(nearest[outside][np.isin(nearest[outside], outside, invert=True)])
    if inside.size:
        nearest[inside] = all_rows_neighbors(X, 1, queries=inside, index=index).indices[:, 0]
    return nearest


def tomek_links(
    X: Any, y: np.ndarray, targeted: Any, *, backend: Any = "auto", n_jobs: int | None = None
) -> np.ndarray:
    """The rows kept once the targeted rows in a Tomek link are removed.

    Two rows form a Tomek link when each is the other's nearest other row
    (ties broken by index) and their classes differ.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    targeted : collection
        The classes whose linked rows are removed.
    backend, n_jobs
        The neighbour backend and its threads.

    Returns
    -------
    ndarray of int
        The rows kept, in row order.

    Examples
    --------
    >>> X = np.array([[0.0], [0.4], [3.0], [3.5], [9.0]])
    >>> y = np.array([0, 1, 0, 0, 1])
    >>> tomek_links(X, y, [0]).tolist()
    [1, 2, 3, 4]
    """
    nearest = nearest_other_rows(X, y, backend=backend, n_jobs=n_jobs)
    return np.flatnonzero(~tomek_link_mask(nearest, y, targeted))


class TomekLinks(BaseSampler):
    """Remove the rows of the targeted classes that are in a Tomek link.

    A Tomek link is a pair of rows of different classes, each the other's
    nearest neighbour: noise, or rows on the class border.  The linked rows of
    the targeted classes are removed (both ends of a link when both classes are
    targeted).

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        The classes cleaned: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not majority"``, ``"all"``, or a list of labels, in imbalanced-learn's
        semantics.
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend (smotekit's): ``"auto"``, ``"exact"``, ``"tree"``,
        another registered name, or a backend object.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (with the minority's size, as imbalanced-learn
        reports it).
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : Remove rows their neighbourhood disagrees with.
    OneSidedSelection : Condensing, then Tomek links.

    Notes
    -----
    The rows kept stay in their original order, as imbalanced-learn's.  A row's
    nearest neighbour is the nearest *other* row (its own index excluded), so
    two identical rows of different classes form a link.  When the classes
    other than the largest hold few rows, only they and the rows they point to
    are searched (:func:`nearest_other_rows`): the links are the same.

    References
    ----------
    .. [1] I. Tomek, "Two modifications of CNN", IEEE Transactions on Systems,
       Man, and Cybernetics, 6(11), 769-772, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import TomekLinks
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> np.bincount(y)
    array([898, 102])
    >>> X_res, y_res = TomekLinks().fit_resample(X, y)
    >>> np.bincount(y_res)
    array([891, 102])
    """

    _sampling_type = "clean-sampling"
    _sample_indices = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self, *, sampling_strategy: Any = "auto", n_jobs: int | None = None, neighbors: Any = "auto"
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        _check_two_rows(table.n_rows)

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        return tomek_links(table.numeric, y, targets, backend=self.neighbors, n_jobs=self.n_jobs)
