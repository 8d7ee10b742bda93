"""SMOTEN: SMOTE for purely categorical data, under the Value Difference Metric."""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.exceptions import DataConversionWarning
from sklearn.preprocessing import OrdinalEncoder
from sklearn.utils import Tags

from .._categorical import categorical_table, fitted_default_encoder, vote_modes
from .._categorical._codes import column_label
from .._engine import check_class_size, fitted_neighbors, last_class_rows, resolve_k
from .._params import K_NEIGHBORS, N_JOBS, NEIGHBORS, RANDOM_STATE, sampling_strategy_constraint
from .._plan import ClassTask, VDMMetric
from .._random import RandomStateLike
from .._recipe import ClassPlan, SyntheticBatch
from .._table import Table
from ..base import BaseSampler
from ..neighbors import vdm_search, vdm_tables
from ._smotenc import ENCODER

__all__ = ["SMOTEN", "smoten_plan"]

#: Tables with fewer rows are too small for the identifier warning to mean anything.
_ID_CHECK_MIN_ROWS = 20


def _column_dtypes(table: Table) -> list[Any]:
    """The dtype of every column of X as the caller passed it."""
    if table.layout.column_dtypes:
        return list(table.layout.column_dtypes)
    return [table.layout.dtype] * len(table.codecs)


def _declare_hint(table: Table, name: Any) -> str:
    if table.layout.kind.startswith("pandas"):
        return f"X[{name!r}].astype('category') or .astype(str)"
    return "X.astype(str) or X.astype(object)"


def check_float_columns(table: Table, owner: str = "SMOTEN") -> None:
    """Refuse float columns with non-integral values (called on every X read, on any engine).

    SMOTEN treats every column as categorical, so a measurement stored as floats
    would become one category per distinct value.  Float columns holding only whole
    numbers (``1.0, 2.0``) are accepted, as imbalanced-learn accepts them; so are
    integer, bool, string and ``category`` columns (a ``category`` column is declared
    categorical, whatever its categories).  The check reads each column's distinct
    values (its codec), so it costs nothing per row.

    Parameters
    ----------
    table : Table
        X coded by :func:`smotekit._categorical.categorical_table`, every column categorical.
    owner : str, default="SMOTEN"
        Sampler name, for messages.

    Raises
    ------
    ValueError
        When a float column (pandas float dtype, or a float array) holds a
        value that is not a whole number.
    """
    for codec, dtype in zip(table.codecs, _column_dtypes(table)):
        if isinstance(dtype, pd.CategoricalDtype) or not pd.api.types.is_float_dtype(dtype):
            continue
        values = pd.to_numeric(pd.Series(codec.lookup, dtype=object), errors="coerce")
        values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        finite = values[np.isfinite(values)]
        fractional = finite[finite != np.floor(finite)]
        if fractional.size:
            raise ValueError(
                f"{owner} treats every column as categorical, but {column_label(codec.name)} "
                f"(dtype {dtype}) holds {fractional.size} distinct non-integral value(s), such "
                f"as {float(fractional[0])!r}: each would be a category of its own. If the "
                f"column is categorical, say so: {_declare_hint(table, codec.name)}. If it is a "
                "measurement, bin it (pandas.cut) or use SMOTENC, which interpolates "
                "continuous columns (SMOTENC(categorical_features=[...]))."
            )


def warn_identifier_columns(table: Table, owner: str = "SMOTEN") -> None:
    """Warn about every column with more distinct values than half the rows: an identifier.

    Called once on all the rows (in memory); tables of fewer than 20 rows are not checked.

    Parameters
    ----------
    table : Table
        X coded, every column categorical.
    owner : str, default="SMOTEN"
        Sampler name, for messages.

    Warns
    -----
    UserWarning
        Naming the column, its distinct values and the rows.
    """
    n_rows = table.n_rows
    if n_rows < _ID_CHECK_MIN_ROWS:
        return
    for codec in table.codecs:
        if codec.n_levels > n_rows / 2:
            warnings.warn(
                f"{owner}: {column_label(codec.name)} has {codec.n_levels} distinct values in "
                f"{n_rows} rows (more than half): it looks like an identifier, and {owner} "
                "votes on it like any category (synthetic rows copy a voter's value). Drop "
                "it, or carry it through untouched with smotekit.resample_with_passthrough "
                "(command line: --passthrough).",
                UserWarning,
                stacklevel=4,
            )


def smoten_plan(
    task: ClassTask, *, k: int, tables: list[np.ndarray], backend: Any = "auto"
) -> ClassPlan:
    """SMOTE-N's plan for one class (Chawla et al. 2002, section 6.2).

    Each new row takes a seed of the class, drawn uniformly; every feature is the
    value most frequent among the seed and its ``k`` nearest rows of the class
    under the VDM (``k + 1`` voters).  Chunk ``j`` draws its seeds and vote
    tie-breaks from ``streams.chunk(j)``.

    Parameters
    ----------
    task : ClassTask
        The class; ``task.table.n_levels`` gives the number of codes per feature.
    k : int
        Neighbours per seed.
    tables : list of ndarray
        ``p(c | v)`` per feature, from all the data (:func:`smotekit.neighbors.vdm_tables`).
    backend : str or object
        Passed to the task's neighbour source.

    Returns
    -------
    ClassPlan
    """
    codes = task.codes()
    graph = task.neighbors.within_class(task, k, metric=VDMMetric(tables), backend=backend)
    n_new = task.n_target
    size = task.streams.size(n_new)
    seeds = np.empty(size, dtype=np.int64)
    voters = np.empty((k + 1, size), dtype=np.int64)
    voted = np.empty((codes.shape[1], size), dtype=codes.dtype)
    n_levels = task.table.n_levels
    for _, start, stop, rng in task.streams.chunks(n_new):
        seeds[start:stop] = rng.integers(0, task.size, size=stop - start)
        voters[0, start:stop] = seeds[start:stop]
        voters[1:, start:stop] = graph.indices[seeds[start:stop]].T
        voted[:, start:stop] = vote_modes(codes, voters[:, start:stop], n_levels, rng)
    batch = SyntheticBatch(task.label, task.rows, seeds, voters=voters, codes=voted)
    return ClassPlan(task.label, batch=batch)


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
        embedding; for more classes, as imbalanced-learn replaces its metric by
        the VDM, only its ``n_neighbors`` is used and the exact VDM search runs).
    n_jobs : int or None, default=None
        Threads for the neighbour search and the copies; ``None``: every core.
    neighbors : str or object, default="auto"
        Neighbour backend for the two-class (embedded) search.  With more classes
        the VDM is no Euclidean distance, so only ``"auto"`` and ``"exact"`` (the
        exact blocked VDM search) apply; another choice raises a ``ValueError``.
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
        The fitted clone of ``categorical_encoder`` or, when none is given,
        imbalanced-learn's default ``OrdinalEncoder(dtype=np.int32)`` fitted on the
        categories (for compatibility: the codes are smotekit's own).
    nn_k_ : FittedNeighbors
        imbalanced-learn's fitted neighbour estimator (``n_neighbors = k + 1``) of the
        last class over-sampled, under the VDM (``kneighbors()`` of its own rows).
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
    Every column is a category, so a float column holding non-integral values (a
    measurement) is refused with a ``ValueError``: declare it categorical (cast
    it to ``category`` or ``str``), bin it, or use :class:`SMOTENC`.  Floats that
    are whole numbers (``1.0, 2.0``), integers, bools, strings and ``category``
    columns are accepted, as by imbalanced-learn.  A column with more distinct
    values than half the rows (of a table of at least 20 rows) looks like an
    identifier and draws a ``UserWarning``.

    Every column is coded as small integers once; ``p(c | v)`` comes from one
    ``bincount`` per feature.  With two classes the VDM is a Euclidean distance
    of a one-number-per-feature embedding, and the exact GEMM engine finds the
    neighbours; with more classes an exact blocked computation does (see
    :func:`smotekit.neighbors.vdm_search`).  No ``m x m`` distance matrix is held.  The output
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

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
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

    def _read_X(self, X: Any) -> Table:
        if sparse.issparse(X):
            warnings.warn(
                "Passing a sparse matrix to SMOTEN is not really efficient: it is converted to "
                "a dense array (every column is categorical); pass a dense array.",
                DataConversionWarning,
                stacklevel=4,
            )
        table = categorical_table(
            X,
            "SMOTEN",
            None,
            missing_as_category=bool(self.missing_as_category),
            encoder=self.categorical_encoder,
        )
        check_float_columns(table)
        self.categories_ = [codec.lookup for codec in table.codecs]
        self.categorical_encoder_ = table.encoder
        if table.encoder is None:
            self.categorical_encoder_ = fitted_default_encoder(
                OrdinalEncoder(dtype=np.int32), table.codecs
            )
        return table

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        self._k, self._backend = resolve_k(
            self.k_neighbors, self.neighbors, "k_neighbors", "SMOTEN"
        )
        for label in targets:
            check_class_size(class_sizes[label], self._k, label, "k_neighbors", "SMOTEN")
        if hasattr(self.k_neighbors, "kneighbors") and len(class_sizes) > 2:
            self._backend = "exact"  # imbalanced-learn swaps the object's metric for the VDM

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        super()._prepare(table, y, targets)
        warn_identifier_columns(table)
        _, y_index = np.unique(y, return_inverse=True)
        self.vdm_tables_ = vdm_tables(table.codes, y_index.ravel(), table.n_levels)

    def _plan(self, task: ClassTask) -> ClassPlan:
        return smoten_plan(task, k=self._k, tables=self.vdm_tables_, backend=self._backend)

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        rows = last_class_rows(plans, y)
        if rows is None:
            self.nn_k_ = fitted_neighbors(self._k, None, self._backend)
            return
        codes, tables, backend = table.codes[rows], self.vdm_tables_, self._backend
        self.nn_k_ = fitted_neighbors(
            self._k,
            codes,
            backend,
            self_query=lambda k: vdm_search(codes, tables, k, backend=backend),
        )

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
