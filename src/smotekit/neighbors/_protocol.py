"""The contract every nearest-neighbour backend fulfils."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np


def check_exclusions(
    n_rows: int, n_queries: int, n_neighbors: int, exclude: np.ndarray | None
) -> np.ndarray:
    """The exclusion array in standard form (``-1``: none), after checking ``k``.

    Raises
    ------
    ValueError
        If fewer than ``n_neighbors`` rows are left once a row is excluded.
    """
    if exclude is None:
        exclude = np.full(n_queries, -1, dtype=np.int64)
    exclude = np.asarray(exclude, dtype=np.int64)
    available = n_rows - (1 if np.any(exclude >= 0) else 0)
    if n_neighbors > available:
        raise ValueError(
            f"Cannot find {n_neighbors} neighbours among {available} candidate rows; "
            f"use n_neighbors <= {available}."
        )
    return exclude


@dataclass(frozen=True)
class Capabilities:
    """What a backend supports, declared by the backend (its ``capabilities`` attribute).

    Parameters
    ----------
    exact : bool
        Answers equal the float64 brute-force reference, ties broken by index.
    exclusion : bool, default=True
        Leaves one fitted row out per query by index (``exclude=``).
    dtypes : tuple of str, default=("float32", "float64")
        Dtypes searched natively (others are converted).
    sparse : bool, default=False
        Accepts scipy sparse rows.
    self_query_only : bool, default=False
        Answers only ``Q=None`` (every fitted row against all others).
    """

    exact: bool
    exclusion: bool = True
    dtypes: tuple[str, ...] = ("float32", "float64")
    sparse: bool = False
    self_query_only: bool = False


def capabilities_of(backend: Any) -> Capabilities:
    """A backend's declared :class:`Capabilities` (from ``exact`` alone if it declares none).

    Examples
    --------
    >>> from smotekit.neighbors import ExactNeighbors
    >>> capabilities_of(ExactNeighbors()).sparse
    True
    """
    declared = getattr(backend, "capabilities", None)
    if isinstance(declared, Capabilities):
        return declared
    return Capabilities(exact=bool(getattr(backend, "exact", False)))


@runtime_checkable
class NeighborBackend(Protocol):
    """A k-nearest-neighbour search engine over a fixed set of rows.

    A backend is fitted once on the rows to search (``fit``) and then answers
    queries (``kneighbors``).  Every backend returns Euclidean distances sorted
    ascending, ties broken by the smaller row index, so that results are
    deterministic and identical across backends that are exact.

    Notes
    -----
    ``exclude`` names, for each query row, one fitted row that must not be
    returned (use ``-1`` for none).  Querying the fitted rows themselves with
    ``exclude=np.arange(n)`` removes each row from its own neighbour list *by
    index*, so exact duplicates of a row are still found as neighbours.
    """

    exact: bool

    def fit(self, X: np.ndarray) -> NeighborBackend:
        """Index the rows of ``X`` (dense, float32 or float64)."""
        ...

    def kneighbors(
        self,
        Q: np.ndarray | None,
        n_neighbors: int,
        *,
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(distances, indices)`` of shape ``(n_queries, n_neighbors)``.

        ``Q=None`` queries the fitted rows themselves, each excluding itself.
        """
        ...
