"""The neighbour engine: exact, tree and categorical-metric backends behind one small protocol.

Every sampler asks for neighbours through :func:`search` (or a
:class:`SearchIndex` fitted once and queried per class), which picks a backend
(``"auto"``, a registered name, or a user object) and returns a
:class:`NeighborGraph`.  Backends declare their :class:`Capabilities`; new ones
plug in with :func:`register_backend`.  Every exact answer is cut by the one
top-k rule (:func:`merge_top_k`).  The SMOTE-NC and VDM distances of
categorical data are searched by :func:`mixed_search` and :func:`vdm_search`.
"""

from ._cache import GraphCache, reuse_neighbor_graphs
from ._exact import ExactNeighbors
from ._fitted import FittedNeighbors
from ._graph import NeighborGraph
from ._hnsw import HNSWNeighbors
from ._ivf import IVFNeighbors
from ._mixed import MixedDistanceNeighbors, mixed_search
from ._protocol import Capabilities, NeighborBackend, capabilities_of
from ._registry import available_backends, get_backend, register_backend
from ._report import neighbors_report
from ._search import KNeighborsAdapter, SearchIndex, make_backend, search
from ._topk import merge_top_k, top_k_pairs
from ._torch import TorchNeighbors
from ._tree import TreeNeighbors
from ._vdm import VDMNeighbors, vdm_search, vdm_tables

__all__ = [
    "Capabilities",
    "ExactNeighbors",
    "FittedNeighbors",
    "GraphCache",
    "HNSWNeighbors",
    "IVFNeighbors",
    "KNeighborsAdapter",
    "MixedDistanceNeighbors",
    "NeighborBackend",
    "NeighborGraph",
    "SearchIndex",
    "TorchNeighbors",
    "TreeNeighbors",
    "VDMNeighbors",
    "available_backends",
    "capabilities_of",
    "get_backend",
    "make_backend",
    "merge_top_k",
    "mixed_search",
    "neighbors_report",
    "register_backend",
    "reuse_neighbor_graphs",
    "search",
    "top_k_pairs",
    "vdm_search",
    "vdm_tables",
]
