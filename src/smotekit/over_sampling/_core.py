"""Machinery shared by the over-samplers: neighbour queries, assembly, provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from .._interpolate import copy_rows_into, interpolate_dense_into, interpolate_sparse
from ..neighbors import KNeighborsAdapter, NeighborGraph, search
from ..neighbors._exact import effective_n_jobs

__all__ = [
    "SyntheticBatch",
    "assemble",
    "check_class_size",
    "class_positions",
    "classes_to_grow",
    "neighbors_in",
    "resolve_k",
    "segment_batch",
]


@dataclass
class SyntheticBatch:
    """The recipe of the synthetic rows of one class.

    Row ``i`` is ``X[seeds[i]] + gaps[i] * (X[neighbors[i]] - X[seeds[i]])``;
    indices refer to rows of the input ``X``.
    """

    label: Any
    seeds: np.ndarray
    neighbors: np.ndarray
    gaps: np.ndarray

    @property
    def size(self) -> int:
        """Number of synthetic rows."""
        return int(self.seeds.shape[0])


def segment_batch(
    label: Any,
    seed_rows: np.ndarray,
    seed_local: np.ndarray,
    graph: NeighborGraph,
    rng: np.random.Generator,
) -> SyntheticBatch:
    """Rows on segments from each seed to one of its neighbours, chosen uniformly.

    Parameters
    ----------
    label : object
        The class of the new rows.
    seed_rows : ndarray of int
        Indices (into X) of the rows that may seed; ``graph`` row ``i`` holds the
        neighbours (indices into X) of ``seed_rows[i]``.
    seed_local : ndarray of int
        Positions in ``seed_rows`` of the seed of every new row.
    graph : NeighborGraph
        Neighbours of the seeds.
    rng : numpy.random.Generator
        The class's stream: draws the neighbour ranks, then the gaps ``U[0, 1)``.
    """
    n_new = seed_local.shape[0]
    rank = rng.integers(0, graph.k, size=n_new)
    gaps = rng.random(n_new)
    return SyntheticBatch(label, seed_rows[seed_local], graph.indices[seed_local, rank], gaps)


def class_positions(y: np.ndarray) -> dict[Any, int]:
    """Position of each label among the sorted labels (the key of its random stream)."""
    return {
        label.item() if hasattr(label, "item") else label: i for i, label in enumerate(np.unique(y))
    }


def resolve_k(k_neighbors: Any, neighbors: Any) -> tuple[int, Any]:
    """Number of neighbours and backend from ``k_neighbors`` and ``neighbors``.

    An int ``k_neighbors`` uses the ``neighbors`` backend.  A scikit-learn style
    object (imbalanced-learn's convention) is used as the backend, with
    ``k = n_neighbors - 1`` since its own row is among its neighbours.
    """
    if hasattr(k_neighbors, "kneighbors"):
        n_neighbors = getattr(k_neighbors, "n_neighbors", None)
        if n_neighbors is None:
            raise ValueError("A k_neighbors object must have an n_neighbors attribute.")
        return int(n_neighbors) - 1, KNeighborsAdapter(k_neighbors)
    return int(k_neighbors), neighbors


def classes_to_grow(
    y: np.ndarray, sampling_strategy: dict[Any, int], k: int | None, parameter: str, owner: str
) -> tuple[dict[Any, int], dict[Any, int]]:
    """Classes with rows to generate, and every label's random-stream key.

    Checks, before any work, that each such class has more than ``k`` rows
    (skipped when ``k`` is None).

    Returns
    -------
    targets : dict
        ``{label: n_new}`` for the classes with ``n_new > 0``.
    positions : dict
        ``{label: position among the sorted labels}``.
    """
    targets = {c: n for c, n in sampling_strategy.items() if n > 0}
    if k is not None:
        for label in targets:
            check_class_size(int(np.sum(y == label)), k, label, parameter, owner)
    return targets, class_positions(y)


def check_class_size(n_rows: int, k: int, label: Any, parameter: str, owner: str) -> None:
    """A clear error when a class is too small for ``k`` neighbours."""
    label = label.item() if isinstance(label, np.generic) else label
    if n_rows < k + 1:
        fix = (
            f"use {parameter} <= {n_rows - 1}"
            if n_rows > 1
            else "it needs at least 2 rows; use RandomOverSampler for it, or drop it from "
            "sampling_strategy"
        )
        raise ValueError(
            f"Class {label!r} has {n_rows} row(s), too few for {parameter}={k}: each of its "
            f"rows needs {k} neighbours of the same class ({k + 1} rows in all). {fix}."
        )


def _dense(X: Any) -> np.ndarray:
    return X.toarray() if sparse.issparse(X) else X


def neighbors_in(
    X: Any,
    queries: np.ndarray,
    k: int,
    *,
    within: np.ndarray | None = None,
    backend: Any = "auto",
    n_jobs: int | None = None,
) -> NeighborGraph:
    """k nearest neighbours of rows ``queries`` of ``X``, each excluding itself.

    Parameters
    ----------
    X : ndarray or sparse matrix
        All rows.
    queries : ndarray of int
        Indices (into ``X``) of the query rows.
    k : int
        Neighbours per query.
    within : ndarray of int or None
        Indices of the rows searched (e.g. one class); ``None`` searches all of X.
    backend, n_jobs
        Passed to :func:`smotekit.neighbors.search`.

    Returns
    -------
    NeighborGraph
        With indices **into X** (translated from ``within`` if given).
    """
    searched = X if within is None else X[within]
    if within is None:
        exclude = queries
    else:
        position = np.full(X.shape[0], -1, dtype=np.int64)
        position[within] = np.arange(within.shape[0])
        exclude = position[queries]
    if within is not None and queries is within:
        graph = search(searched, None, k, backend=backend, n_jobs=n_jobs)
    else:
        query_rows = _dense(X[queries])
        graph = search(searched, query_rows, k, exclude=exclude, backend=backend, n_jobs=n_jobs)
    if within is None:
        return graph
    return NeighborGraph(graph.distances, within[graph.indices], graph.exact)


def assemble(
    X: Any, y: np.ndarray, batches: list[SyntheticBatch], n_jobs: int | None = None
) -> tuple[Any, np.ndarray, pd.DataFrame]:
    """Original rows followed by every batch's synthetic rows, plus provenance.

    Returns
    -------
    X_res : ndarray or CSR matrix
    y_res : ndarray
    provenance : DataFrame
        One row per synthetic row: ``label``, ``seed``, ``neighbor``, ``gap``.
    """
    n_rows = X.shape[0]
    n_new = sum(b.size for b in batches)
    labels = (
        np.concatenate([np.full(b.size, b.label, dtype=y.dtype) for b in batches])
        if batches
        else np.empty(0, dtype=y.dtype)
    )
    y_res = np.concatenate([y, labels])
    if sparse.issparse(X):
        parts = [X] + [interpolate_sparse(X, b.seeds, b.neighbors, b.gaps) for b in batches]
        X_res = sparse.vstack(parts, format="csr")
    else:
        threads = effective_n_jobs(n_jobs)
        X_res = np.empty((n_rows + n_new, X.shape[1]), dtype=X.dtype)
        copy_rows_into(X, X_res[:n_rows], threads)
        start = n_rows
        for b in batches:
            block = X_res[start : start + b.size]
            interpolate_dense_into(X, b.seeds, b.neighbors, b.gaps, block, threads)
            start += b.size
    provenance = make_provenance(batches, y.dtype)
    return X_res, y_res, provenance


def make_provenance(batches: list[SyntheticBatch], label_dtype: np.dtype) -> pd.DataFrame:
    """The provenance table of the synthetic rows, in output order."""

    def column(attribute: str, dtype: Any) -> np.ndarray:
        arrays = [np.asarray(getattr(b, attribute), dtype=dtype) for b in batches]
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)

    labels = (
        np.concatenate([np.full(b.size, b.label, dtype=label_dtype) for b in batches])
        if batches
        else np.empty(0, dtype=label_dtype)
    )
    return pd.DataFrame(
        {
            "label": labels,
            "seed": column("seeds", np.int64),
            "neighbor": column("neighbors", np.int64),
            "gap": column("gaps", np.float64),
        }
    )
