"""Under-samplers and cleaners: keep a subset of the rows of the classes targeted."""

from ._all_knn import AllKNN
from ._cleaning_rule import NeighbourhoodCleaningRule
from ._cluster_centroids import ClusterCentroids
from ._condensed import CondensedNearestNeighbour
from ._edited import EditedNearestNeighbours
from ._instance_hardness import InstanceHardnessThreshold
from ._nearmiss import NearMiss
from ._one_sided import OneSidedSelection
from ._random_under import RandomUnderSampler
from ._repeated_edited import RepeatedEditedNearestNeighbours
from ._tomek import TomekLinks

__all__ = [
    "AllKNN",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
