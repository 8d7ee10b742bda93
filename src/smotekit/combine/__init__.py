"""Combined samplers: over-sampling followed by cleaning."""

from ._combined import SMOTEENN, SMOTETomek

__all__ = ["SMOTEENN", "SMOTETomek"]
