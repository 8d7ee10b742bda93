"""The store shared by condensed nearest neighbour and one-sided selection.

Its one job: say, exactly, how a store of (minority rows, kept rows of one
class) votes on that class's rows under the Euclidean k-NN rule.  It picks the
minority class and the store's first rows, resolves the rule's classifier and
the votes a row needs, and counts the kept rows strictly nearer a row than its
deciding minority neighbour (one float64 matrix product, the few pairs within
its rounding bound recomputed exactly; see :func:`closer_than`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier

from .._engine import class_positions
from .._random import ClassStreams
from ..neighbors import search
from ..neighbors._search import _power_of_two_scale

__all__ = [
    "ClassRows",
    "check_store_sizes",
    "closer_than",
    "condense_per_class",
    "count_closer",
    "deciding_distances",
    "dense64",
    "draw_seeds",
    "minority_label",
    "power_of_two_scale",
    "resolve_classifier",
    "seed_votes",
    "votes_needed",
]

# Rows of a matrix-product update at once (bounds its memory to about 64 MB).
_UPDATE_ROWS = 8192
_EPS = float(np.finfo(np.float64).eps)


def minority_label(y: np.ndarray) -> Any:
    """The minority class as imbalanced-learn's prototype selectors name it.

    The smallest class; among equally small ones, the first to appear in ``y``
    (``min(Counter(y), key=...)`` order, not label order).

    Examples
    --------
    >>> minority_label(np.array([2, 1, 1, 0, 0, 2, 2]))
    1
    """
    labels, first, counts = np.unique(y, return_index=True, return_counts=True)
    smallest = np.flatnonzero(counts == counts.min())
    label = labels[smallest[np.argmin(first[smallest])]]
    return label.item() if hasattr(label, "item") else label


def dense64(rows: Any) -> np.ndarray:
    """Rows as a C-ordered float64 array (sparse rows densified)."""
    rows = rows.toarray() if sparse.issparse(rows) else rows
    return np.ascontiguousarray(rows, dtype=np.float64)


def power_of_two_scale(*arrays: np.ndarray) -> float:
    """``2 ** -e`` bringing the largest magnitude near ``2 ** 400`` (squares stay finite), or 1.

    The smallest of the neighbour engine's scale over ``arrays`` (the scale
    only shrinks as the magnitude grows), so it is the scale of them all.
    Scaling by a power of two is exact, so every comparison of squared
    distances is unchanged.

    Examples
    --------
    >>> power_of_two_scale(np.array([1e200])) == 2.0 ** -264, power_of_two_scale(np.ones(2))
    (True, 1.0)
    """
    return min((_power_of_two_scale(a) for a in arrays), default=1.0)


def draw_seeds(streams: ClassStreams, n_rows: int, n_seeds: int) -> np.ndarray:
    """``n_seeds`` distinct class-local rows, in draw order, from the class-level stream."""
    return streams.selection().choice(n_rows, size=n_seeds, replace=False).astype(np.intp)


def resolve_classifier(n_neighbors: Any, n_jobs: int | None, owner: str) -> tuple[int, Any, bool]:
    """``(k, classifier, euclidean)`` from ``n_neighbors`` (None, an int or a k-NN classifier).

    ``euclidean`` says whether the classifier's rule is the plain Euclidean
    k-NN majority vote that :func:`condense_class` evaluates itself; other
    classifiers are asked for their predictions.
    """
    if n_neighbors is None or isinstance(n_neighbors, numbers.Integral):
        k = 1 if n_neighbors is None else int(n_neighbors)
        return k, KNeighborsClassifier(n_neighbors=k, n_jobs=n_jobs), True
    if not (hasattr(n_neighbors, "predict") and hasattr(n_neighbors, "n_neighbors")):
        raise TypeError(
            f"{owner}'s n_neighbors must be None, an int or a k-NN classifier such as "
            f"KNeighborsClassifier(n_neighbors=1); got {type(n_neighbors).__name__}, which has "
            "no predict method."
        )
    params = n_neighbors.get_params()
    metric, p = params.get("metric", "minkowski"), params.get("p", 2)
    euclidean = (
        params.get("weights", "uniform") == "uniform"
        and not params.get("metric_params")
        and (metric in ("euclidean", "l2") or (metric == "minkowski" and p in (2, None)))
    )
    return int(n_neighbors.n_neighbors), clone(n_neighbors), euclidean


def votes_needed(k: int, label: Any, minority: Any) -> int:
    """Own-class votes among k that classify a row as its class.

    A tied vote goes to the smaller label (scikit-learn's classifiers).

    Examples
    --------
    >>> votes_needed(3, 0, 1), votes_needed(4, 0, 1), votes_needed(4, 2, 1)
    (2, 2, 3)
    """
    tie_is_won = k % 2 == 0 and label < minority
    return k // 2 + (0 if tie_is_won else 1)


class ClassRows:
    """One class's rows prepared for exact comparisons of squared distances.

    Parameters
    ----------
    S : ndarray of float64 of shape (n_rows, n_features)
        The rows.
    """

    def __init__(self, S: np.ndarray) -> None:
        self.raw = S
        centre = S.mean(axis=0) if S.shape[0] else np.zeros(S.shape[1])
        self.centred = S - centre
        self.sq = np.einsum("ij,ij->i", self.centred, self.centred)
        # |float - exact| of a squared distance by the matrix product on centred rows
        # (rounding of the centring included), inflated for safety.
        self.tau = 8.0 * (S.shape[1] + 8) * _EPS


def _shifted(rows: ClassRows, a: np.ndarray, b: np.ndarray, limit: np.ndarray) -> tuple:
    """``t = |b|^2 - 2 a.b`` (centred rows) and the band ``[low, high]`` it is compared with.

    ``d2(a_i, b_j) = |a_i|^2 + t_ij`` up to rounding, so ``t_ij < low_i`` means
    surely nearer than ``limit_i``, ``t_ij > high_i`` surely not; in between the
    pair is recomputed exactly.
    """
    sq_a, sq_b = rows.sq[a], rows.sq[b]
    t = rows.centred[a] @ (-2.0 * rows.centred[b]).T
    t += sq_b[None, :]
    tol = rows.tau * (sq_a + (sq_b.max() if b.size else 0.0) + 1e-300)
    return t, limit - tol - sq_a, limit + tol - sq_a


def _exact_closer(rows: ClassRows, a: np.ndarray, b: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Exact ``d2(a_k, b_k) < limit_k`` for pairs (numpy's sum of squared differences)."""
    return np.square(rows.raw[a] - rows.raw[b]).sum(axis=1) < limit


def closer_than(rows: ClassRows, a: np.ndarray, b: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Whether row ``b[j]`` is strictly nearer row ``a[i]`` than ``limit[i]`` (squared).

    The squared distances come from one float64 matrix product; the few pairs
    whose value lies within its rounding bound of the limit are recomputed
    exactly (numpy's sum of squared differences, the engine's canonical value).

    Parameters
    ----------
    rows : ClassRows
        The class's rows.
    a, b : ndarray of int
        Class-local rows.
    limit : ndarray of float of shape (a.size,)
        Squared distance each ``a`` row is compared with (``inf`` for none).

    Returns
    -------
    ndarray of bool of shape (a.size, b.size)
    """
    t, low, high = _shifted(rows, a, b, limit)
    out = t < low[:, None]
    i, j = np.nonzero(~out & (t <= high[:, None]))
    if i.size:
        out[i, j] = _exact_closer(rows, a[i], b[j], limit[i])
    return out


def count_closer(rows: ClassRows, a: np.ndarray, b: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """For each row ``a[i]``, the rows of ``b`` strictly nearer than ``limit[i]`` (squared).

    As :func:`closer_than`, without the matrix: two counts per row bracket the
    answer, and only rows whose bracket is open look at their pairs exactly.
    """
    counts = np.zeros(a.size, dtype=np.int64)
    for start in range(0, a.size, _UPDATE_ROWS):
        part = slice(start, start + _UPDATE_ROWS)
        t, low, high = _shifted(rows, a[part], b, limit[part])
        surely = np.count_nonzero(t < low[:, None], axis=1)
        unsure = np.flatnonzero(np.count_nonzero(t <= high[:, None], axis=1) > surely)
        if unsure.size:
            band = t[unsure]
            i, j = np.nonzero((band >= low[unsure, None]) & (band <= high[unsure, None]))
            rows_i = start + unsure[i]
            hits = _exact_closer(rows, a[rows_i], b[j], limit[rows_i])
            surely[unsure] += np.bincount(i[hits], minlength=unsure.size)
        counts[part] = surely
    return counts


def deciding_distances(
    S: np.ndarray, M: np.ndarray, rank: int, backend: Any, n_jobs: int | None
) -> np.ndarray:
    """Squared distance of every S row to its ``rank``-th nearest M row (``inf`` if none).

    With ``rank = k - need + 1``, a row is classified as its class exactly when
    at least ``need`` kept rows lie strictly nearer than this minority row (see
    :func:`condense_class`).  The value is the exact sum of squared differences.
    """
    if rank > M.shape[0]:
        return np.full(S.shape[0], np.inf)
    graph = search(M, S, rank, backend=backend, n_jobs=n_jobs)
    nearest = graph.indices[:, rank - 1]
    return np.square(S - M[nearest]).sum(axis=1)


def seed_votes(rows: ClassRows, seeds: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """For every row, the seeds strictly nearer than its ``limit`` (squared distance)."""
    return count_closer(rows, np.arange(rows.raw.shape[0]), seeds, limit)


def check_store_sizes(sampler: Any, y: np.ndarray, targets: dict[Any, int]) -> None:
    """Clear errors when a class has fewer rows than ``n_seeds_S`` or the store than k."""
    owner = type(sampler).__name__
    k, _, _ = resolve_classifier(sampler.n_neighbors, None, owner)
    n_minority = int(np.sum(y == minority_label(y)))
    for label in targets:
        size = int(np.sum(y == label))
        if sampler.n_seeds_S > size:
            raise ValueError(
                f"{owner} starts each class's store with n_seeds_S={sampler.n_seeds_S} distinct "
                f"rows, but class {label!r} has {size}. Use n_seeds_S <= {size}."
            )
        if n_minority + sampler.n_seeds_S < k:
            raise ValueError(
                f"{owner}'s {k}-NN rule needs a store of at least {k} rows, but the minority "
                f"class has {n_minority} and n_seeds_S={sampler.n_seeds_S}. Use a smaller "
                "n_neighbors or a larger n_seeds_S."
            )


def condense_per_class(
    y: np.ndarray,
    targets: dict[Any, int],
    seed: np.random.SeedSequence | None,
    n_seeds: int,
    keep: Callable[[Any, np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """The rows a store-based rule keeps, class by class in label order.

    A class that is not targeted keeps every row.  A targeted class draws its
    ``n_seeds`` seed rows from its class-level stream, and ``keep(label, rows,
    seeds)`` returns the positions in ``rows`` it keeps.

    Parameters
    ----------
    y : ndarray
        Labels.
    targets : dict
        The classes condensed (``sampling_strategy_``).
    seed : numpy.random.SeedSequence or None
        Root of the random streams.
    n_seeds : int
        Seed rows per targeted class (``n_seeds_S``).
    keep : callable ``(label, rows, seeds) -> positions``
        The rule: ``rows`` are the class's rows, ``seeds`` positions in it.

    Returns
    -------
    ndarray of int
        The rows kept, grouped by class in label order.

    Examples
    --------
    >>> y = np.array([0, 1, 0, 1, 1])
    >>> condense_per_class(y, {1: 2}, None, 1, lambda label, rows, seeds: seeds).size
    3
    """
    positions = class_positions(y)
    root = seed if seed is not None else np.random.SeedSequence(0)
    parts = []
    for label, position in positions.items():
        rows = np.flatnonzero(y == label)
        if label not in targets:
            parts.append(rows)
            continue
        seeds = draw_seeds(ClassStreams(root, position), rows.size, n_seeds)
        parts.append(rows[keep(label, rows, seeds)])
    return np.concatenate(parts).astype(np.intp)
