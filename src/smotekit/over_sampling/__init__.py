"""Over-samplers: SMOTE and its variants, and random over-sampling."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE, NoBorderWarning
from ._random_over import RandomOverSampler
from ._smote import SMOTE
from ._smoten import SMOTEN
from ._smotenc import SMOTENC

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "BorderlineSMOTE",
    "NoBorderWarning",
    "RandomOverSampler",
]
