"""AllKNN (Tomek, 1976): the edited nearest neighbour rule with 1, 2, ... k neighbours in turn.

Each round sees only the rows the previous one left; the neighbourhoods come
from one wide search (see :mod:`._remaining`) and equal fresh searches.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.utils._param_validation import StrOptions

from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, sampling_strategy_constraint
from .._table import Table
from ._edited import KIND_SEL, EditedNearestNeighbours
from ._repeated_edited import EditingRun, IterativeEditing, iterate_editing, shrunk_or_vanished

__all__ = ["AllKNN", "all_knn"]


def all_knn(
    X: Any,
    y: np.ndarray,
    strategy: Any = "auto",
    k: int = 3,
    kind_sel: str = "all",
    allow_minority: bool = False,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> EditingRun:
    """AllKNN: edit with 1, 2, ... ``k`` neighbours in turn, each round on the rows left.

    Stops early after a round that removes a class entirely or (unless
    ``allow_minority``) leaves a class other than the minority smaller than the
    minority's original size.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    strategy : str or list, default="auto"
        ``sampling_strategy``, evaluated on the labels left before each round.
    k : int, default=3
        Neighbours of the last round.
    kind_sel : {"all", "mode"}, default="all"
    allow_minority : bool, default=False
    backend, n_jobs
        The neighbour backend and its threads.

    Returns
    -------
    EditingRun

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [2.1], [3.0], [4.0], [5.0]])
    >>> y = np.array([0, 0, 1, 0, 1, 1, 1])
    >>> all_knn(X, y, "all", k=2).sample_indices.tolist()
    [0, 1, 5, 6]
    """
    stop = shrunk_or_vanished(y, allow_minority)
    schedule = list(range(1, k + 1))
    return iterate_editing(X, y, strategy, schedule, kind_sel, stop, backend, n_jobs, "AllKNN")


class AllKNN(IterativeEditing):
    """Apply the edited nearest neighbour rule with 1, 2, ... ``n_neighbors`` neighbours.

    Round ``i`` removes, from the targeted classes, the rows whose ``i``
    nearest remaining rows disagree with them (see
    :class:`EditedNearestNeighbours`).  It stops early after a round that
    removes a class entirely or, unless ``allow_minority``, leaves a class other
    than the minority smaller than the minority was (imbalanced-learn's rules).

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        The classes cleaned, evaluated on the labels left before each round:
        ``"auto"`` (= ``"not minority"``), ``"majority"``, ``"not majority"``,
        ``"all"``, or a list of labels.
    n_neighbors : int or object, default=3
        Neighbours of the last round, or a scikit-learn ``NearestNeighbors``-like
        object used for the searches (up to its ``n_neighbors - 1`` neighbours).
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: a row stays only if every neighbour shares its class;
        ``"mode"``: if its class is the most frequent among them.
    allow_minority : bool, default=False
        Keep going when a class becomes smaller than the minority was.
    n_jobs : int or None, default=None
        Threads for the neighbour search; ``None`` uses every core.
    neighbors : str or object, default="auto"
        Neighbour backend (smotekit's): ``"auto"``, ``"exact"``, ``"tree"``,
        another registered name, or a backend object.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned in the first round.
    nn_ : FittedNeighbors
        imbalanced-learn's neighbour estimator (``n_neighbors = k + 1``), over all rows.
    enn_ : EditedNearestNeighbours
        The last round, as a fitted editing of the rows it saw (its
        ``n_neighbors`` is that round's).
    sample_indices_ : ndarray of int
        The input row of every output row.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : One round.
    RepeatedEditedNearestNeighbours : Rounds with ``n_neighbors`` until it settles.

    Notes
    -----
    One search with a few more than ``n_neighbors`` neighbours serves every
    round (see :class:`RepeatedEditedNearestNeighbours`); the result equals a
    fresh search every round.  The output is grouped by class in label order,
    as imbalanced-learn's.

    References
    ----------
    .. [1] I. Tomek, "An experiment with the edited nearest-neighbor rule",
       IEEE Transactions on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from smotekit import AllKNN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = AllKNN().fit_resample(X, y)
    >>> np.bincount(y_res)
    array([844, 102])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("clean-sampling"),
        "n_neighbors": K_NEIGHBORS,
        "kind_sel": [StrOptions(set(KIND_SEL))],
        "allow_minority": ["boolean"],
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        kind_sel: str = "all",
        allow_minority: bool = False,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _run(self, table: Table, y: np.ndarray) -> EditingRun:
        return all_knn(
            table.numeric,
            y,
            self.sampling_strategy,
            self._k,
            self.kind_sel,
            bool(self.allow_minority),
            backend=self._backend,
            n_jobs=self.n_jobs,
        )

    def _last_editing(self, run: EditingRun) -> EditedNearestNeighbours:
        # As imbalanced-learn's: the last round's k as an int; the search stays the user's.
        searched_by = self.n_neighbors if hasattr(self.n_neighbors, "kneighbors") else None
        return EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy,
            n_neighbors=run.k,
            kind_sel=self.kind_sel,
            n_jobs=self.n_jobs,
            neighbors=self.neighbors if searched_by is None else searched_by,
        )
