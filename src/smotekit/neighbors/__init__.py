"""The neighbour engine: exact and tree backends behind one small protocol.

Every sampler asks for neighbours through :func:`search`, which picks a backend
(``"auto"``, a registered name, or a user object) and returns a
:class:`NeighborGraph`.  New backends plug in with :func:`register_backend`.
"""

from ._cache import GraphCache, reuse_neighbor_graphs
from ._exact import ExactNeighbors
from ._graph import NeighborGraph
from ._protocol import NeighborBackend
from ._registry import available_backends, get_backend, register_backend
from ._search import KNeighborsAdapter, make_backend, search
from ._tree import TreeNeighbors

__all__ = [
    "ExactNeighbors",
    "GraphCache",
    "KNeighborsAdapter",
    "NeighborBackend",
    "NeighborGraph",
    "TreeNeighbors",
    "available_backends",
    "get_backend",
    "make_backend",
    "register_backend",
    "reuse_neighbor_graphs",
    "search",
]
