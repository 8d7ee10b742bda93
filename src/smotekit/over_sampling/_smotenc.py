"""SMOTENC: SMOTE for mixed continuous and categorical features, on integer codes."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils import Tags

from .._random import RandomStateLike, child_generator
from ..base import BaseSampler, check_positive_int
from ..neighbors import search
from ._categorical import (
    CategoricalBatch,
    EncodedTable,
    OutputSpec,
    Resampled,
    blocked_knn,
    build_output,
    categorical_provenance,
    check_encoder,
    check_flag,
    read_table,
    vote_modes,
)
from ._core import check_class_size, class_positions, resolve_k

__all__ = ["SMOTENC", "mixed_neighbors"]

# A categorical feature with at most this many levels in the class is embedded
# as a (scaled) one-hot block for the GEMM search; more levels anywhere switch
# the class to the blocked mismatch-count search.
_ONE_HOT_MAX_LEVELS = 64


def class_codes_compact(codes: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Re-number every feature's codes to the levels present in these rows."""
    compact = np.empty(codes.shape, dtype=np.int64)
    levels = []
    for f in range(codes.shape[1]):
        seen = np.bincount(codes[:, f]) > 0
        rank = np.cumsum(seen) - 1
        compact[:, f] = rank[codes[:, f]]
        levels.append(int(seen.sum()))
    return compact, levels


def mixed_neighbors(
    continuous: np.ndarray,
    codes: np.ndarray,
    median_std: float,
    k: int,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """k nearest rows of every row (itself excluded) under the SMOTE-NC distance.

    ``d(a, b)^2 = ||a_cont - b_cont||^2 + median_std^2 * #{f : a_f != b_f}``.

    Parameters
    ----------
    continuous : ndarray of shape (m, n_continuous)
        The class's continuous features.
    codes : ndarray of shape (m, n_categorical)
        The class's categorical codes.
    median_std : float
        Median of the standard deviations of the continuous features.
    k : int
        Neighbours per row.
    backend, n_jobs
        Passed to :func:`smotekit.neighbors.search` (one-hot path only).

    Returns
    -------
    ndarray of int64 of shape (m, k)
        Local row indices, nearest first, ties broken by index (exact backends).

    Notes
    -----
    When every categorical feature has at most 64 levels among these rows,
    feature ``f`` is embedded as a one-hot block scaled by ``median_std / sqrt(2)``
    (one column ``median_std * [code == 1]`` for two levels, none for one), built
    for the m rows of the class only.  The squared Euclidean distance of the
    embedding is exactly the SMOTE-NC distance, so the exact GEMM engine answers
    the query unchanged.  Otherwise an exact blocked search adds the mismatch
    counts to the continuous distances, a block of queries at a time.

    Examples
    --------
    >>> import numpy as np
    >>> cont = np.array([[0.0], [0.1], [0.2], [5.0]])
    >>> codes = np.array([[0], [1], [0], [0]])
    >>> mixed_neighbors(cont, codes, 1.0, 1).ravel()
    array([2, 0, 0, 2])
    """
    compact, levels = class_codes_compact(codes)
    m, n_continuous = continuous.shape
    if max(levels, default=1) > _ONE_HOT_MAX_LEVELS:
        return _blocked_neighbors(continuous, compact, median_std, k)
    widths = [0 if median_std == 0 or n <= 1 else (1 if n == 2 else n) for n in levels]
    embedded = np.zeros((m, n_continuous + sum(widths)), dtype=np.float64)
    embedded[:, :n_continuous] = continuous
    offset = n_continuous
    rows = np.arange(m)
    for f, width in enumerate(widths):
        if width == 1:
            embedded[:, offset] = median_std * compact[:, f]
        elif width > 1:
            embedded[rows, offset + compact[:, f]] = median_std / np.sqrt(2.0)
        offset += width
    return search(embedded, None, k, backend=backend, n_jobs=n_jobs).indices


def _blocked_neighbors(
    continuous: np.ndarray, codes: np.ndarray, median_std: float, k: int
) -> np.ndarray:
    """Exact blocked search: GEMM for the continuous part plus mismatch counts."""
    values = np.asarray(continuous, dtype=np.float64)
    centered = values - values.mean(axis=0)
    squares = np.einsum("ij,ij->i", centered, centered)
    weight = median_std * median_std
    columns = [np.ascontiguousarray(codes[:, f]) for f in range(codes.shape[1])]
    unit = np.finfo(np.float64).eps * 4 * (values.shape[1] + 4)
    largest = float(squares.max(initial=0.0))

    def block(start: int, stop: int) -> np.ndarray:
        scores = centered[start:stop] @ centered.T
        scores *= -2.0
        scores += squares[start:stop, None]
        scores += squares[None, :]
        for column in columns:
            scores += weight * (column[start:stop, None] != column[None, :])
        return scores

    def pairs(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        diff = values[rows] - values[cols]
        mismatches = (codes[rows] != codes[cols]).sum(axis=1)
        return np.square(diff).sum(axis=1) + weight * mismatches

    def margin(start: int, stop: int) -> np.ndarray:
        return unit * (squares[start:stop] + largest) + 1e-300

    return blocked_knn(values.shape[0], k, block, pairs, margin=margin)[1]


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
        The fitted clone of ``categorical_encoder`` (None when not given).
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
    being over-sampled only (see :func:`mixed_neighbors`), so memory stays
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

    def _validate_params(self) -> None:
        check_positive_int(self.k_neighbors, "k_neighbors", "SMOTENC", allow_object=True)
        check_flag(self.missing_as_category, "missing_as_category", "SMOTENC")
        check_encoder(self.categorical_encoder, "SMOTENC")

    def _validate_X(self, X: Any) -> tuple[EncodedTable, OutputSpec]:
        table, spec = read_table(
            X,
            "SMOTENC",
            self.categorical_features,
            missing_as_category=bool(self.missing_as_category),
            encoder=self.categorical_encoder,
        )
        n_features = table.shape[1]
        if table.categorical.size == 0:
            raise ValueError(
                "SMOTENC needs at least one categorical feature, but categorical_features "
                f"selects none of the {n_features}; use SMOTE for purely continuous data."
            )
        if table.continuous.size == 0:
            raise ValueError(
                f"SMOTENC needs at least one continuous feature, but all {n_features} "
                "feature(s) are categorical; use SMOTEN for purely categorical data."
            )
        self.categorical_features_ = table.categorical
        self.continuous_features_ = table.continuous
        self.categories_ = [codec.lookup for codec in table.codecs]
        self.categorical_encoder_ = table.encoder
        self.n_features_ = n_features
        return table, spec

    def _restore_X(self, X_res: Resampled, kind: OutputSpec) -> Any:
        return build_output(X_res.table, kind, X_res.batches, self.n_jobs)

    def _fit_resample(
        self, X: EncodedTable, y: np.ndarray, seed: np.random.SeedSequence
    ) -> tuple[Resampled, np.ndarray]:
        k, backend = resolve_k(self.k_neighbors, self.neighbors)
        positions = class_positions(y)
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        for label in targets:
            check_class_size(int(np.sum(y == label)), k, label, "k_neighbors", "SMOTENC")
        self.median_std_ = {}
        batches = []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            continuous = X.continuous_rows(rows)
            codes = X.codes[rows]
            med = float(np.median(continuous.std(axis=0, dtype=np.float64)))
            self.median_std_[label] = med
            graph = mixed_neighbors(continuous, codes, med, k, backend=backend, n_jobs=self.n_jobs)
            rng = child_generator(seed, positions[label])
            seed_local = rng.integers(0, rows.size, size=n_new)
            rank = rng.integers(0, k, size=n_new)
            gaps = rng.random(n_new)
            voters = np.ascontiguousarray(graph[seed_local].T)
            voted = vote_modes(codes, voters, X.n_levels, rng)
            batches.append(
                CategoricalBatch(
                    label,
                    rows,
                    seed_local,
                    voters,
                    voted,
                    neighbors=voters[rank, np.arange(n_new)],
                    gaps=gaps,
                    continuous=continuous,
                )
            )
        self.provenance_ = categorical_provenance(batches, y.dtype)
        labels = [np.full(b.size, b.label, dtype=y.dtype) for b in batches]
        y_res = np.concatenate([y, *labels])
        return Resampled(X, batches), y_res

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        # Strings are accepted, but imbalanced-learn's string check passes a single
        # categorical column, which SMOTENC rejects (it needs a continuous one).
        tags.input_tags.string = False
        return tags
