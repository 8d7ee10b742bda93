"""How far an approximate neighbour search strayed from the exact one: ``neighbors_report_``.

When a sampler's searches ran on a backend that is not exact, the in-memory
engine records each of them (:class:`SearchRecord`) and the sampler stores
:func:`neighbors_report` of the records as its ``neighbors_report_``: the
backend and its parameters, the recall@k of every search measured against
exact search on a seeded sample of its queries, the time spent building and
querying, and what the sampler adds about its own decisions (e.g. how many
Borderline-SMOTE labels or ADASYN allocations match exact search).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from ._exact import ExactNeighbors
from ._search import search

__all__ = [
    "REPORT_QUERIES",
    "SearchRecord",
    "agreement_sample",
    "exact_same_class",
    "neighbors_report",
]

# Queries per search (and rows per class) measured against exact search.
REPORT_QUERIES = 1000


@dataclass(frozen=True)
class SearchRecord:
    """One neighbour search a sampler ran on a backend that is not exact.

    Attributes
    ----------
    kind : str
        ``"within_class"`` (rows of one class among themselves) or
        ``"among_all"`` (rows of one class among all rows).
    label : object
        The class whose rows were queried.
    X : ndarray or sparse matrix of shape (n_rows, n_features)
        The rows searched.
    Q : ndarray of shape (n_queries, n_features) or None
        The query rows; None: every row of ``X``, each excluding itself.
    exclude : ndarray of int of shape (n_queries,) or None
        The row of ``X`` left out per query (``-1``: none).
    indices : ndarray of int of shape (n_queries, k)
        The neighbours the backend returned.
    spec : object
        The backend as the sampler named it (a registered name or an object).
    engine : object or None
        The fitted backend (None when the answer came from a graph cache).
    build_seconds : float
        Seconds spent fitting the backend for this search (0 when reused).
    query_seconds : float
        Seconds spent answering the queries.
    """

    kind: str
    label: Any
    X: Any
    Q: np.ndarray | None
    exclude: np.ndarray | None
    indices: np.ndarray
    spec: Any
    engine: Any
    build_seconds: float
    query_seconds: float


def neighbors_report(
    searches: list[SearchRecord],
    *,
    agreement: dict[str, Any] | None = None,
    random_state: int = 0,
    n_queries: int = REPORT_QUERIES,
    n_jobs: int | None = None,
) -> dict[str, Any]:
    """Summary of a sampler's approximate searches, each checked against exact search.

    Parameters
    ----------
    searches : list of SearchRecord
        The searches, in the order they ran (at least one).
    agreement : dict or None, default=None
        Entries the sampler adds about its own decisions (see Returns).
    random_state : int, default=0
        Seeds the sample of queries measured.
    n_queries : int, default=1000
        Queries measured per search (all of them when there are fewer).
    n_jobs : int or None, default=None
        Threads of the exact reference searches.

    Returns
    -------
    dict
        ``backend`` (str): the first search's backend (registered name or class
        name); ``params`` (dict): its scalar parameters, fitted ones (ending in
        ``_``) included; ``exact`` (bool): False; ``recall_at_k`` (float): the
        lowest recall@k of the searches; ``build_seconds``, ``query_seconds``
        (float): totals; ``searches`` (list of dict): per search ``kind``,
        ``label``, ``backend``, ``params``, ``k``, ``n_rows``, ``n_queries``,
        ``recall_at_k`` (share of the returned neighbours that are among the
        exact k nearest, ties counted as found), ``recall_queries`` (queries
        measured), ``build_seconds`` and ``query_seconds``.  Then the entries of
        ``agreement``: ``danger_agreement`` (Borderline-SMOTE: share of the
        measured rows whose SAFE/DANGER/NOISE label matches exact search),
        ``weight_agreement`` and ``allocation_l1`` (ADASYN: share of the
        measured rows given as many synthetic rows as with exact search, and
        the sum of the absolute differences), ``agreement_rows`` (rows measured).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> record = SearchRecord("within_class", 1, X, None, None, np.array([[1], [0], [0]]),
    ...                       "custom", None, 0.0, 0.0)
    >>> neighbors_report([record])["recall_at_k"]
    0.6666666666666666
    """
    if not searches:
        raise ValueError("neighbors_report needs at least one search.")
    rng = np.random.default_rng(random_state)
    entries = [_search_entry(s, rng, n_queries, n_jobs) for s in searches]
    name, params = describe_backend(searches[0].spec, searches[0].engine)
    report: dict[str, Any] = {
        "backend": name,
        "params": params,
        "exact": False,
        "recall_at_k": min(e["recall_at_k"] for e in entries),
        "build_seconds": float(sum(e["build_seconds"] for e in entries)),
        "query_seconds": float(sum(e["query_seconds"] for e in entries)),
        "searches": entries,
    }
    report.update(agreement or {})
    return report


def describe_backend(spec: Any, engine: Any) -> tuple[str, dict[str, Any]]:
    """A backend's name and scalar parameters (fitted ones, ending in ``_``, included)."""
    subject = engine if engine is not None else spec
    name = spec if isinstance(spec, str) else type(subject).__name__
    if isinstance(subject, str):
        return name, {}
    wrapped = getattr(subject, "estimator", None)
    if wrapped is not None and hasattr(wrapped, "get_params"):
        name = name if isinstance(spec, str) else type(wrapped).__name__
        values = wrapped.get_params(deep=False)
    else:
        values = {k: v for k, v in vars(subject).items() if not k.startswith("_")}
    scalar = (bool, int, float, str, type(None), np.integer, np.floating)
    return name, {k: v for k, v in values.items() if isinstance(v, scalar)}


def agreement_sample(n_rows: int, random_state: int, size: int = REPORT_QUERIES) -> np.ndarray:
    """Sorted positions of the rows a sampler's agreement is measured on.

    Examples
    --------
    >>> agreement_sample(5, 0).tolist()
    [0, 1, 2, 3, 4]
    """
    if n_rows <= size:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(random_state).choice(n_rows, size, replace=False))


def exact_same_class(
    numeric: Any, rows: np.ndarray, y: np.ndarray, label: Any, k: int, n_jobs: int | None
) -> np.ndarray:
    """Whether each of the exact ``k`` nearest rows (of all ``numeric``) of ``rows`` has ``label``.

    Returns
    -------
    ndarray of bool of shape (len(rows), k)
    """
    queries = numeric[rows]
    queries = queries.toarray() if sparse.issparse(queries) else queries
    graph = search(numeric, queries, k, exclude=rows, backend="exact", n_jobs=n_jobs)
    return y[graph.indices] == label


def _search_entry(
    record: SearchRecord, rng: np.random.Generator, n_queries: int, n_jobs: int | None
) -> dict[str, Any]:
    X = record.X
    indices = np.asarray(record.indices, dtype=np.int64)
    total, k = indices.shape
    pick = np.sort(rng.choice(total, min(n_queries, total), replace=False))
    if record.Q is None:
        queries, exclude = _rows(X, pick), pick
    else:
        queries = np.asarray(record.Q)[pick]
        exclude = None if record.exclude is None else np.asarray(record.exclude)[pick]
    recall = 1.0
    if pick.size and k:
        reference, _ = ExactNeighbors(n_jobs=n_jobs).fit(X).kneighbors(queries, k, exclude=exclude)
        found = indices[pick]
        neighbors = _rows(X, found.ravel()).reshape((*found.shape, X.shape[1]))
        diff = queries[:, None, :].astype(np.float64) - neighbors
        distances = np.sqrt(np.square(diff).sum(axis=-1))
        hits = distances <= reference[:, -1:] * (1.0 + 1e-12)
        if exclude is not None:
            hits &= found != np.asarray(exclude)[:, None]
        recall = float(hits.mean())
    name, params = describe_backend(record.spec, record.engine)
    return {
        "kind": record.kind,
        "label": record.label,
        "backend": name,
        "params": params,
        "k": int(k),
        "n_rows": int(X.shape[0]),
        "n_queries": int(total),
        "recall_at_k": recall,
        "recall_queries": int(pick.size),
        "build_seconds": float(record.build_seconds),
        "query_seconds": float(record.query_seconds),
    }


def _rows(X: Any, positions: np.ndarray) -> np.ndarray:
    part = X[positions]
    return np.asarray(part.toarray() if sparse.issparse(part) else part)
