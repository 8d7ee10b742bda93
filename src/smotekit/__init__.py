"""smotekit: fast, exact and audited SMOTE-family resamplers (and the samplers around them).

Drop-in replacements for imbalanced-learn's samplers (same ``fit_resample``
API and ``sampling_strategy`` semantics), with an exact, memory-bounded
neighbour engine and a provenance table for every synthetic row.

The names below are loaded on first use (``import smotekit`` itself is instant,
so the command line can answer Ctrl-C at once); ``from smotekit import SMOTE``
works as usual.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0.dev0"

# public name -> the module that defines it
_EXPORTS = {
    "ADASYN": ".over_sampling",
    "SMOTE": ".over_sampling",
    "SMOTEN": ".over_sampling",
    "SMOTENC": ".over_sampling",
    "SVMSMOTE": ".over_sampling",
    "KMeansSMOTE": ".over_sampling",
    "SMOTEENN": ".combine",
    "SMOTETomek": ".combine",
    "BorderlineSMOTE": ".over_sampling",
    "NoBorderWarning": ".over_sampling",
    "RandomOverSampler": ".over_sampling",
    "RandomUnderSampler": ".under_sampling",
    "TomekLinks": ".under_sampling",
    "EditedNearestNeighbours": ".under_sampling",
    "RepeatedEditedNearestNeighbours": ".under_sampling",
    "AllKNN": ".under_sampling",
    "NeighbourhoodCleaningRule": ".under_sampling",
    "NearMiss": ".under_sampling",
    "CondensedNearestNeighbour": ".under_sampling",
    "OneSidedSelection": ".under_sampling",
    "ClusterCentroids": ".under_sampling",
    "InstanceHardnessThreshold": ".under_sampling",
    "BaseSampler": ".base",
    "chain_resample": "._chain",
    "resample_with_passthrough": "._passthrough",
    "config_context": "._config",
    "get_config": "._config",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'smotekit' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
