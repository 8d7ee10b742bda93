"""SMOTENC: SMOTE for mixed continuous and categorical features, on integer codes."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils import Tags
from sklearn.utils._param_validation import HasMethods, StrOptions

from .._categorical import categorical_table, fitted_default_encoder, vote_modes
from .._engine import check_class_size, fitted_neighbors, last_class_rows, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask, MixedMetric
from .._random import RandomStateLike
from .._recipe import ClassPlan, SyntheticBatch
from .._table import Table
from ..base import BaseSampler
from ..neighbors import mixed_search

__all__ = ["SMOTENC", "smotenc_plan"]

ENCODER = [HasMethods(["fit_transform", "inverse_transform"]), None]


def smotenc_plan(task: ClassTask, *, k: int, backend: Any = "auto") -> ClassPlan:
    """SMOTE-NC's plan for one class (Chawla et al. 2002, section 6.1).

    ``med`` is the median of the standard deviations (``ddof=0``) of the class's
    continuous features; the seed's ``k`` nearest rows of the class under the
    SMOTE-NC distance vote every categorical feature (the seed does not vote),
    and one of them, chosen uniformly, is the neighbour the continuous features
    are interpolated towards.  Chunk ``j`` draws its seeds, neighbour ranks,
    gaps and vote tie-breaks from ``streams.chunk(j)``.

    Parameters
    ----------
    task : ClassTask
        The class; ``task.table.n_levels`` gives the number of codes per feature.
    k : int
        Neighbours per seed.
    backend : str or object
        Passed to the task's neighbour source.

    Returns
    -------
    ClassPlan
        Its diagnostics hold ``median_std``.
    """
    continuous = task.numeric()
    codes = task.codes()
    med = float(np.median(continuous.std(axis=0, dtype=np.float64)))
    graph = task.neighbors.within_class(task, k, metric=MixedMetric(med), backend=backend)
    n_new = task.n_target
    n_made = task.streams.size(n_new)  # all n_new, or the streams' window
    seeds = np.empty(n_made, dtype=np.int64)
    neighbors = np.empty(n_made, dtype=np.int64)
    gaps = np.empty(n_made, dtype=np.float64)
    voters = np.empty((k, n_made), dtype=np.int64)
    voted = np.empty((codes.shape[1], n_made), dtype=codes.dtype)
    n_levels = task.table.n_levels
    for _, start, stop, rng in task.streams.chunks(n_new):
        size = stop - start
        seeds[start:stop] = rng.integers(0, task.size, size=size)
        rank = rng.integers(0, k, size=size)
        gaps[start:stop] = rng.random(size)
        voters[:, start:stop] = graph.indices[seeds[start:stop]].T
        neighbors[start:stop] = voters[rank, start + np.arange(size)]
        voted[:, start:stop] = vote_modes(codes, voters[:, start:stop], n_levels, rng)
    batch = SyntheticBatch(
        task.label, task.rows, seeds, neighbors, gaps, voters=voters, codes=voted
    )
    return ClassPlan(task.label, batch=batch, diagnostics={"median_std": med})


class SMOTENC(BaseSampler):
    """SMOTE for data with continuous and categorical features (Chawla et al., 2002).

    For every class to over-sample, each synthetic row takes a seed row ``x_s``
    of the class and one of its ``k_neighbors`` nearest neighbours ``x_nn``
    within the class (itself excluded by index).  Its continuous features are
    ``x_s + u * (x_nn - x_s)`` with ``u ~ U[0, 1)``, as in SMOTE; each
    categorical feature takes the value most frequent among the seed's
    ``k_neighbors`` neighbours (the seed itself does not vote, as in the paper;
    ties are broken at random by the class's generator).  The distance is

    ``d(a, b)^2 = ||a_cont - b_cont||^2 + med^2 * #{categorical f : a_f != b_f}``

    with ``med`` the median of the standard deviations (``ddof=0``) of the
    continuous features of the class.

    Parameters
    ----------
    categorical_features : "auto" or array-like of int, str or bool
        The categorical features: ``"auto"`` (the ``category``, ``object``,
        ``string`` and ``bool`` columns of a pandas DataFrame), column indices,
        column names (DataFrame), or a boolean mask over the features.
    categorical_encoder : estimator or None, default=None
        Accepted for compatibility with imbalanced-learn.  If given, a clone is
        fitted on the categorical columns and its ``categories_`` fix each
        column's category list (values outside it are an error).  It never
        transforms the data: categories stay integer codes internally and no
        one-hot matrix is built.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class should have after resampling (the forms and
        meaning are imbalanced-learn's).
    random_state : int, RandomState, Generator or None, default=None
        Seed of all randomness; each class draws from its own child stream.
    k_neighbors : int or object, default=5
        Neighbours per seed, or a scikit-learn ``NearestNeighbors``-like object
        (its ``n_neighbors - 1`` neighbours, searched on the embedding below).
    n_jobs : int or None, default=None
        Threads for the neighbour search and the copies; ``None``: every core.
    neighbors : str or object, default="auto"
        Neighbour backend for the embedded search (see :mod:`smotekit.neighbors`).
    missing_as_category : bool, default=False
        Treat missing values (NaN, None, pandas NA) of a categorical column as
        a category of their own; otherwise they are an error.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        One row per synthetic row, in output order: ``label``, ``seed``,
        ``neighbor`` (row indices into the input), ``gap``, and
        ``voter_0 .. voter_{k-1}``: the rows whose votes chose its categories.
    categorical_features_ : ndarray of int64
        Indices of the categorical features.
    continuous_features_ : ndarray of int64
        Indices of the continuous features.
    categories_ : list of ndarray
        The categories of every categorical feature (codes index them).
    categorical_encoder_ : estimator or None
        The fitted clone of ``categorical_encoder`` or, when none is given,
        imbalanced-learn's default ``OneHotEncoder(handle_unknown="ignore")`` fitted
        on the categories (for compatibility: smotekit never one-hot encodes the data).
    nn_k_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``) of the
        last class over-sampled, under the SMOTE-NC distance (``kneighbors()`` of
        the class's own rows).
    median_std_ : dict
        ``{label: med}`` for every over-sampled class.
    n_features_ : int
        Number of features.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTE : Continuous features only.
    SMOTEN : Categorical features only.

    Notes
    -----
    Categorical columns are coded as small integers once; the neighbour search
    embeds the categories as scaled one-hot blocks for the rows of the class
    being over-sampled only (see :func:`smotekit.neighbors.mixed_search`; a
    class with a feature of more than 64 levels is searched by the exact
    blocked mismatch-count search under ``neighbors="auto"``), so memory stays
    bounded: no one-hot matrix of the data and none of ``n_new x k``.  Votes
    are counted from codes.  The output holds the original rows unchanged, then
    the synthetic rows grouped by class, in the input's container: a DataFrame
    keeps its dtypes (``category`` columns their categories), a numpy array its
    dtype; sparse X is densified and returned sparse.  A synthetic categorical
    value is always one of its voters' values, so values absent from the data
    are never produced.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", Journal of Artificial
       Intelligence Research, 16, 321-357, 2002 (section 6.1, SMOTE-NC).

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([rng.normal(size=100), rng.integers(0, 3, size=100)])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> X_res, y_res = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([80, 80])
    >>> np.unique(X_res[:, 1])  # categories stay those of the data
    array([0., 1., 2.])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "categorical_features": ["array-like", StrOptions({"auto"}), str, numbers.Integral],
        "categorical_encoder": ENCODER,
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "k_neighbors": K_NEIGHBORS,
        "n_jobs": N_JOBS,
        "neighbors": NEIGHBORS,
        "missing_as_category": ["boolean"],
    }

    def __init__(
        self,
        categorical_features: Any,
        *,
        categorical_encoder: Any = None,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
        missing_as_category: bool = False,
    ) -> None:
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors
        self.missing_as_category = missing_as_category

    def _read_X(self, X: Any) -> Table:
        table = categorical_table(
            X,
            "SMOTENC",
            self.categorical_features,
            missing_as_category=bool(self.missing_as_category),
            encoder=self.categorical_encoder,
        )
        n_features = table.n_features
        if table.categorical_columns.size == 0:
            raise ValueError(
                "SMOTENC needs at least one categorical feature, but categorical_features "
                f"selects none of the {n_features}; use SMOTE for purely continuous data."
            )
        if table.numeric_columns.size == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with categorical features: SMOTENC "
                f"needs at least one continuous feature, but all {n_features} feature(s) are "
                "categorical; use SMOTEN for purely categorical data."
            )
        self.categorical_features_ = table.categorical_columns
        self.continuous_features_ = table.numeric_columns
        self.categories_ = [codec.lookup for codec in table.codecs]
        self.categorical_encoder_ = table.encoder
        if table.encoder is None:
            dtype = np.float32 if table.numeric.dtype == np.float32 else np.float64
            self.categorical_encoder_ = fitted_default_encoder(
                OneHotEncoder(handle_unknown="ignore", dtype=dtype), table.codecs
            )
        self.n_features_ = n_features
        return table

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(
            self.k_neighbors, self.neighbors, "k_neighbors", "SMOTENC"
        )
        for label in targets:
            check_class_size(class_sizes[label], self._k, label, "k_neighbors", "SMOTENC")

    def _plan(self, task: ClassTask) -> ClassPlan:
        return smotenc_plan(task, k=self._k, backend=self._backend)

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        self.median_std_ = {p.label: p.diagnostics["median_std"] for p in plans}
        rows = last_class_rows(plans, y)
        if rows is None:
            self.nn_k_ = fitted_neighbors(self._k, None, self._backend)
            return
        continuous, codes = table.numeric[rows], table.codes[rows]
        med, backend = self.median_std_[plans[-1].label], self._backend
        self.nn_k_ = fitted_neighbors(
            self._k,
            continuous,
            backend,
            self_query=lambda k: mixed_search(continuous, codes, med, k, backend=backend),
        )

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        # Strings are accepted, but imbalanced-learn's string check passes a single
        # categorical column, which SMOTENC rejects (it needs a continuous one).
        tags.input_tags.string = False
        return tags
