"""SMOTEN: SMOTE for purely categorical data, under the Value Difference Metric."""

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

__all__ = ["SMOTEN", "vdm_neighbors", "vdm_tables"]

# Distinct probability rows of a feature up to which its pairwise table is kept.
_TABLE_MAX_ROWS = 2048
# ... and up to which the feature joins the GEMM (one-hot of its distinct rows).
_GEMM_MAX_ROWS = 256


def vdm_tables(codes: np.ndarray, y_index: np.ndarray, n_levels: list[int]) -> list[np.ndarray]:
    """Class-conditional value frequencies ``p(c | v)`` of every feature.

    Parameters
    ----------
    codes : ndarray of shape (n_rows, n_features)
        Codes of all rows.
    y_index : ndarray of int of shape (n_rows,)
        Class of every row as ``0 .. n_classes - 1``.
    n_levels : list of int
        Number of codes of every feature.

    Returns
    -------
    list of ndarray of shape (n_levels[f], n_classes)
        Row ``v`` of table ``f`` holds ``p(c | x_f = v)`` (zeros for a code that
        never occurs).

    Examples
    --------
    >>> import numpy as np
    >>> vdm_tables(np.array([[0], [0], [1]]), np.array([0, 1, 1]), [2])[0]
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    n_classes = int(y_index.max()) + 1
    tables = []
    for f, n in enumerate(n_levels):
        flat = codes[:, f].astype(np.int64) * n_classes + y_index
        counts = np.bincount(flat, minlength=n * n_classes).reshape(n, n_classes)
        totals = counts.sum(axis=1, keepdims=True)
        tables.append(counts / np.maximum(totals, 1))
    return tables


def vdm_neighbors(
    codes: np.ndarray,
    tables: list[np.ndarray],
    k: int,
    *,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> np.ndarray:
    """k nearest rows of every row (itself excluded) under the Value Difference Metric.

    ``VDM(a, b) = sum_f (sum_c |p(c | a_f) - p(c | b_f)|)^2``: imbalanced-learn's
    ``ValueDifferenceMetric`` with its defaults ``k=1, r=2``.

    Parameters
    ----------
    codes : ndarray of shape (m, n_features)
        Codes of the rows searched (one class).
    tables : list of ndarray
        :func:`vdm_tables` of the whole data.
    k : int
        Neighbours per row.
    backend, n_jobs
        Passed to :func:`smotekit.neighbors.search` (two classes only).

    Returns
    -------
    ndarray of int64 of shape (m, k)
        Local row indices, nearest first, ties broken by index (exact search).

    Notes
    -----
    With two classes ``sum_c |p(c|v) - p(c|w)| = 2 |p(1|v) - p(1|w)|``, so the
    VDM is the squared Euclidean distance of the embedding
    ``e_f(v) = 2 p(1 | v)``: one number per feature, searched exactly by the GEMM
    engine.  With more classes the VDM is not Euclidean, but it is still a sum
    of per-feature table entries ``T_f[a_f, b_f]``: a block of queries is
    compared with every row by one GEMM of the queries' table rows with the
    one-hot codes of the rows, and candidates are refined exactly (ties by
    index).

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[0], [1], [2], [0]])
    >>> tables = [np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])]
    >>> vdm_neighbors(codes, tables, 1).ravel()
    array([3, 2, 1, 0])
    """
    if tables[0].shape[1] == 2:
        embedded = np.column_stack([2.0 * table[codes[:, f], 1] for f, table in enumerate(tables)])
        return search(embedded, None, k, backend=backend, n_jobs=n_jobs).indices
    return _blocked_vdm_neighbors(codes, tables, k)


def _blocked_vdm_neighbors(codes: np.ndarray, tables: list[np.ndarray], k: int) -> np.ndarray:
    """Exact blocked VDM search for any number of classes.

    Feature ``f`` maps every row to its distinct probability row ``u`` and has a
    table ``T_f[u, w]`` of squared VDM terms.  For features with few distinct
    rows, ``sum_f T_f[u_f, w_f]`` of a block of queries against all rows is one
    GEMM of ``[T_f[u_f, :]]_f`` with the one-hot matrix of ``w``; other
    features add table look-ups (or, with very many distinct rows, direct L1
    sums).  The block's rounding is bounded and candidates are refined by the
    exact sums in feature order, ties broken by index.
    """
    m = codes.shape[0]
    left, right, lookups, gathered, direct = [], [], [], [], []
    bound = 0.0
    for f, table in enumerate(tables):
        distinct, inverse = np.unique(table[codes[:, f]], axis=0, return_inverse=True)
        inverse = inverse.ravel()
        if distinct.shape[0] > _TABLE_MAX_ROWS:
            direct.append((distinct, inverse))
            bound += 4.0 * distinct.shape[0]
            continue
        squares = np.square(np.abs(distinct[:, None, :] - distinct[None, :, :]).sum(axis=2))
        bound += float(squares.max(initial=0.0))
        lookups.append((squares, inverse))
        if distinct.shape[0] <= _GEMM_MAX_ROWS:
            left.append(squares[inverse])
            right.append(np.eye(distinct.shape[0])[inverse])
        else:
            gathered.append((squares, inverse))
    queries = np.hstack(left) if left else None
    one_hot = np.hstack(right) if right else None
    depth = (queries.shape[1] if queries is not None else 0) + len(tables) + 4
    rounding = 4.0 * depth * np.finfo(np.float64).eps * bound

    def block(start: int, stop: int) -> np.ndarray:
        if queries is not None:
            scores = queries[start:stop] @ one_hot.T
        else:
            scores = np.zeros((stop - start, m))
        for squares, inverse in gathered:
            scores += squares[inverse[start:stop]][:, inverse]
        for distinct, inverse in direct:
            query, rows = distinct[inverse[start:stop]], distinct[inverse]
            scores += np.square(np.abs(query[:, None, :] - rows[None, :, :]).sum(axis=2))
        return scores

    def pairs(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        total = np.zeros(rows.shape[0])
        for squares, inverse in lookups:
            total += squares[inverse[rows], inverse[cols]]
        for distinct, inverse in direct:
            total += np.square(
                np.abs(distinct[inverse[rows]] - distinct[inverse[cols]]).sum(axis=1)
            )
        return total

    def margin(start: int, stop: int) -> np.ndarray:
        return np.full(stop - start, rounding)

    n_classes = tables[0].shape[1]
    per_row = 8 * m * (3 + (n_classes if direct else 0))
    return blocked_knn(m, k, block, pairs, margin=margin, bytes_per_row=per_row)[1]


class SMOTEN(BaseSampler):
    """SMOTE for purely categorical (nominal) features (Chawla et al., 2002).

    For every class to over-sample, each synthetic row takes a seed row of the
    class, drawn uniformly, and its ``k_neighbors`` nearest neighbours within
    the class under the Value Difference Metric (itself excluded by index).
    Every feature of the new row is the value most frequent among the seed and
    those neighbours (``k_neighbors + 1`` voters, as in the paper's SMOTE-N and
    imbalanced-learn; ties broken at random by the class's generator).

    The distance is imbalanced-learn's ``ValueDifferenceMetric`` with its
    defaults: ``VDM(a, b) = sum_f (sum_c |p(c | a_f) - p(c | b_f)|)^2`` where
    ``p(c | v)`` is the share of class ``c`` among the rows (of all of X, y)
    whose feature ``f`` equals ``v``.

    Parameters
    ----------
    categorical_encoder : estimator or None, default=None
        Accepted for compatibility with imbalanced-learn.  If given, a clone is
        fitted on X and its ``categories_`` fix each column's category list
        (values outside it are an error); it never transforms the data.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class should have after resampling (the forms and
        meaning are imbalanced-learn's).
    random_state : int, RandomState, Generator or None, default=None
        Seed of all randomness; each class draws from its own child stream.
    k_neighbors : int or object, default=5
        Neighbours per seed, or a scikit-learn ``NearestNeighbors``-like object
        (its ``n_neighbors - 1`` neighbours; for two classes it searches the VDM
        embedding, for more classes only its ``n_neighbors`` is used).
    n_jobs : int or None, default=None
        Threads for the neighbour search and the copies; ``None``: every core.
    neighbors : str or object, default="auto"
        Neighbour backend for the two-class (embedded) search; with more classes
        the exact blocked search is always used.
    missing_as_category : bool, default=False
        Treat missing values (NaN, None, pandas NA) as a category of their own;
        otherwise they are an error.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: number of rows generated}``.
    provenance_ : pandas.DataFrame
        One row per synthetic row, in output order: ``label``, ``seed`` (row
        index into the input), ``neighbor`` (-1: no interpolation), ``gap``
        (NaN), and ``voter_0 .. voter_k``: the rows whose votes chose its values
        (``voter_0`` is the seed).
    categories_ : list of ndarray
        The categories of every feature (codes index them).
    categorical_encoder_ : estimator or None
        The fitted clone of ``categorical_encoder`` (None when not given).
    vdm_tables_ : list of ndarray
        ``p(c | v)`` per feature: rows follow ``categories_``, columns the
        sorted class labels.
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTENC : Mixed continuous and categorical features.
    SMOTE : Continuous features only.

    Notes
    -----
    Every column is coded as small integers once; ``p(c | v)`` comes from one
    ``bincount`` per feature.  With two classes the VDM is a Euclidean distance
    of a one-number-per-feature embedding, and the exact GEMM engine finds the
    neighbours; with more classes an exact blocked computation does (see
    :func:`vdm_neighbors`).  No ``m x m`` distance matrix is held.  The output
    keeps the input's container and dtypes; a synthetic value is always one of
    its voters' values, so values absent from the data are never produced.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", Journal of Artificial
       Intelligence Research, 16, 321-357, 2002 (section 6.2, SMOTE-N).
    .. [2] C. Stanfill, D. Waltz, "Toward memory-based reasoning",
       Communications of the ACM, 29(12), 1213-1228, 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 40)
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([40, 40])
    >>> sorted(set(X_res[60:, 0]))  # the 20 new rows of class 0
    ['A', 'B']
    """

    def __init__(
        self,
        categorical_encoder: Any = None,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        k_neighbors: Any = 5,
        n_jobs: int | None = None,
        neighbors: Any = "auto",
        missing_as_category: bool = False,
    ) -> None:
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors
        self.missing_as_category = missing_as_category

    def _validate_params(self) -> None:
        check_positive_int(self.k_neighbors, "k_neighbors", "SMOTEN", allow_object=True)
        check_flag(self.missing_as_category, "missing_as_category", "SMOTEN")
        check_encoder(self.categorical_encoder, "SMOTEN")

    def _validate_X(self, X: Any) -> tuple[EncodedTable, OutputSpec]:
        table, spec = read_table(
            X,
            "SMOTEN",
            None,
            missing_as_category=bool(self.missing_as_category),
            encoder=self.categorical_encoder,
        )
        self.categories_ = [codec.lookup for codec in table.codecs]
        self.categorical_encoder_ = table.encoder
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
            check_class_size(int(np.sum(y == label)), k, label, "k_neighbors", "SMOTEN")
        _, y_index = np.unique(y, return_inverse=True)
        self.vdm_tables_ = vdm_tables(X.codes, y_index.ravel(), X.n_levels)
        batches = []
        for label, n_new in targets.items():
            rows = np.flatnonzero(y == label)
            codes = X.codes[rows]
            graph = vdm_neighbors(codes, self.vdm_tables_, k, backend=backend, n_jobs=self.n_jobs)
            rng = child_generator(seed, positions[label])
            seed_local = rng.integers(0, rows.size, size=n_new)
            voters = np.empty((k + 1, n_new), dtype=np.int64)
            voters[0] = seed_local
            voters[1:] = graph[seed_local].T
            voted = vote_modes(codes, voters, X.n_levels, rng)
            batches.append(CategoricalBatch(label, rows, seed_local, voters, voted))
        self.provenance_ = categorical_provenance(batches, y.dtype)
        labels = [np.full(b.size, b.label, dtype=y.dtype) for b in batches]
        y_res = np.concatenate([y, *labels])
        return Resampled(X, batches), y_res

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
