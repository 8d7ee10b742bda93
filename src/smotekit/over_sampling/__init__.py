"""Over-samplers: SMOTE and its variants, and random over-sampling."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE, NoBorderWarning
from ._kmeans_smote import KMeansSMOTE
from ._random_over import RandomOverSampler
from ._smote import SMOTE
from ._smoten import SMOTEN
from ._smotenc import SMOTENC
from ._svm_smote import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "NoBorderWarning",
    "RandomOverSampler",
]
