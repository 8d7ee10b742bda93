"""Categorical features as integer codes: coding, feature choice, validation, votes.

Shared by :class:`~smotekit.SMOTENC` and :class:`~smotekit.SMOTEN` (and any
sampler that votes on categories).  The searches of the SMOTE-NC and VDM
distances live with the other searches, in :mod:`smotekit.neighbors`.
"""

from ._codes import ColumnCodec, encode_column
from ._features import resolve_categorical_features
from ._reader import categorical_table, fitted_default_encoder
from ._votes import vote_modes

__all__ = [
    "ColumnCodec",
    "categorical_table",
    "encode_column",
    "fitted_default_encoder",
    "resolve_categorical_features",
    "vote_modes",
]
