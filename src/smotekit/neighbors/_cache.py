"""Reuse neighbour graphs across samplers and k: one search serves every smaller k.

Inside ``with reuse_neighbor_graphs():`` every call of
:func:`smotekit.neighbors.search` is keyed by the searched rows, the query rows,
the excluded rows and the backend.  A request for ``k`` neighbours is served from
a stored graph with at least ``k`` (its first ``k`` columns: for an exact search,
sorted by distance then index, those *are* the exact k-graph), and a larger
request replaces the stored graph.  Asking for the largest k first (see
``hint_k``) makes a whole sweep cost one search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from ._graph import NeighborGraph

__all__ = ["GraphCache", "active_cache", "reuse_neighbor_graphs"]

_ACTIVE: ContextVar[GraphCache | None] = ContextVar("smotekit_graph_cache", default=None)


def fingerprint(array: Any) -> str:
    """A content hash of an array (dense or sparse), or ``"-"`` for None."""
    if array is None:
        return "-"
    digest = hashlib.blake2b(digest_size=16)
    if sparse.issparse(array):
        array = sparse.csr_matrix(array)
        for part in (array.data, array.indices, array.indptr):
            digest.update(np.ascontiguousarray(part).tobytes())
    else:
        array = np.ascontiguousarray(array)
        digest.update(array.tobytes())
    digest.update(str((array.shape, array.dtype)).encode())
    return digest.hexdigest()


@dataclass
class GraphCache:
    """Stored neighbour graphs and counters (see :func:`reuse_neighbor_graphs`).

    Attributes
    ----------
    searches : int
        Number of searches actually run.
    hits : int
        Number of requests served from a stored graph.
    hint_k : int or None
        If set, every search runs with at least this many neighbours (capped by
        the number of rows available), so later requests for any k up to it hit.
    """

    hint_k: int | None = None
    searches: int = 0
    hits: int = 0
    _graphs: dict[tuple[str, ...], NeighborGraph] = field(default_factory=dict)

    def key(self, X: Any, Q: Any, exclude: Any, backend: Any) -> tuple[str, ...] | None:
        """Cache key, or None for backends that cannot be keyed (user objects)."""
        if not isinstance(backend, str):
            return None
        return (fingerprint(X), fingerprint(Q), fingerprint(exclude), backend)

    def lookup(self, key: tuple[str, ...], k: int) -> NeighborGraph | None:
        """The stored graph cut to ``k``, if one with enough neighbours exists."""
        graph = self._graphs.get(key)
        if graph is not None and graph.k >= k:
            self.hits += 1
            return graph.first(k)
        return None

    def store(self, key: tuple[str, ...], graph: NeighborGraph) -> None:
        """Keep ``graph`` unless a larger one is stored."""
        current = self._graphs.get(key)
        if current is None or graph.k > current.k:
            self._graphs[key] = graph


def active_cache() -> GraphCache | None:
    """The cache of the innermost ``reuse_neighbor_graphs`` block, if any."""
    return _ACTIVE.get()


@contextmanager
def reuse_neighbor_graphs(hint_k: int | None = None) -> Iterator[GraphCache]:
    """Serve repeated neighbour searches from one computed graph.

    Parameters
    ----------
    hint_k : int or None
        Search at least this many neighbours the first time (e.g. the largest k
        of a sweep), so every smaller k is served without a new search.

    Yields
    ------
    GraphCache
        With ``searches`` and ``hits`` counters.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> from smotekit.neighbors import reuse_neighbor_graphs
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(200, 3)), np.array([0] * 170 + [1] * 30)
    >>> with reuse_neighbor_graphs(hint_k=7) as cache:
    ...     for k in (3, 5, 7):
    ...         _ = SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
    >>> cache.searches, cache.hits
    (1, 2)
    """
    cache = GraphCache(hint_k=hint_k)
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)
