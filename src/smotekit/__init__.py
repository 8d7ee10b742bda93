"""smotekit: fast, exact and audited SMOTE-family resamplers (and the samplers around them).

Drop-in replacements for imbalanced-learn's samplers (same ``fit_resample``
API and ``sampling_strategy`` semantics), with an exact, memory-bounded
neighbour engine and a provenance table for every synthetic row.
"""

from ._chain import chain_resample
from ._config import config_context, get_config
from .base import BaseSampler
from .over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    NoBorderWarning,
    RandomOverSampler,
)
from .under_sampling import RandomUnderSampler

__version__ = "0.1.0"

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "BaseSampler",
    "BorderlineSMOTE",
    "NoBorderWarning",
    "RandomOverSampler",
    "RandomUnderSampler",
    "__version__",
    "chain_resample",
    "config_context",
    "get_config",
]
