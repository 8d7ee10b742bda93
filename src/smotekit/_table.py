"""The validated input of every sampler: one record for numeric, mixed and categorical X.

``fit_resample`` validates X once into a :class:`Table`: the numbers that
interpolation works on (``numeric``: every feature for SMOTE, the continuous
ones for SMOTENC, none for SMOTEN), the integer codes that votes work on
(``codes``, one column per categorical feature), where each kind of feature sits
in the output, and the :class:`~smotekit._containers.InputKind` of the caller's
container.  Samplers, plans and the output assembly read only this record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from ._containers import InputKind
from ._validation import check_numeric_X

__all__ = ["Table", "numeric_table"]


@dataclass
class Table:
    """X validated once.

    Attributes
    ----------
    numeric : ndarray or scipy.sparse.csr_matrix of shape (n_rows, n_numeric)
        float32 (when every numeric feature is float32) or float64.
    numeric_columns : ndarray of int64
        Output position of every numeric feature.
    layout : InputKind
        How X arrived (the container to give back).
    source : object
        The caller's X as an array or DataFrame (the original rows are copied
        from it, so they come back unchanged).
    codes : ndarray of shape (n_rows, n_categorical), unsigned int
        One code column per categorical feature (zero columns if none).
    codecs : list of ColumnCodec
        Code -> value of every categorical feature.
    categorical_columns : ndarray of int64
        Output position of every categorical feature.
    encoder : estimator or None
        A fitted ``categorical_encoder``, if the sampler has one.
    """

    numeric: Any
    numeric_columns: np.ndarray
    layout: InputKind
    source: Any
    codes: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.uint8))
    codecs: list[Any] = field(default_factory=list)
    categorical_columns: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    encoder: Any = None

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return int(self.numeric.shape[0])

    @property
    def n_features(self) -> int:
        """Number of features of the output."""
        return int(self.numeric_columns.size + self.categorical_columns.size)

    @property
    def n_levels(self) -> list[int]:
        """Number of codes of every categorical feature."""
        return [codec.n_levels for codec in self.codecs]

    @property
    def is_sparse(self) -> bool:
        """Whether the numeric part is a sparse matrix."""
        return sparse.issparse(self.numeric)


def numeric_table(X: Any, owner: str) -> Table:
    """Validate numeric X (dense, sparse or a DataFrame) into a :class:`Table`.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix of shape (n_rows, n_features)
    owner : str
        Sampler name, for messages.

    Returns
    -------
    Table
        Without categorical features.

    Examples
    --------
    >>> table = numeric_table(np.array([[1, 2], [3, 4]], dtype=np.int16), "SMOTE")
    >>> table.numeric.dtype, table.source.dtype
    (dtype('float64'), dtype('int16'))
    """
    values, kind = check_numeric_X(X, owner)
    n_features = values.shape[1]
    source = X if kind.kind in ("pandas", "pandas-sparse") else values
    if (
        kind.kind == "numpy"
        and isinstance(X, np.ndarray)
        and X.dtype != values.dtype
        and X.dtype.kind in "biuf"
    ):
        # Integer, boolean and float16 arrays come back in their dtype: the original
        # rows copied as they are, the new ones rounded (and clipped) into it.
        source = X
        kind.dtype = X.dtype
    return Table(values, np.arange(n_features, dtype=np.int64), kind, source)
