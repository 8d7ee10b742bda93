"""Pure selection rules: which rows seed synthetic rows, and how many each."""

from __future__ import annotations

import numpy as np

__all__ = [
    "borderline_categories",
    "largest_remainder",
    "uniform_seed_counts",
]

SAFE, DANGER, NOISE = 0, 1, 2


def borderline_categories(n_other: np.ndarray, m_neighbors: int) -> np.ndarray:
    """Han et al. (2005): SAFE, DANGER or NOISE from other-class neighbour counts.

    Parameters
    ----------
    n_other : ndarray of int
        Number of the row's ``m_neighbors`` nearest neighbours (in all of X) that
        belong to another class.
    m_neighbors : int
        The ``m`` of the paper.

    Returns
    -------
    ndarray of int
        ``NOISE`` (2) if all neighbours are of another class, ``DANGER`` (1) if
        at least half are (but not all), ``SAFE`` (0) otherwise.

    Examples
    --------
    >>> borderline_categories(np.array([0, 4, 5, 9, 10]), 10).tolist()
    [0, 0, 1, 1, 2]
    """
    n_other = np.asarray(n_other)
    categories = np.full(n_other.shape, SAFE, dtype=np.int8)
    categories[(2 * n_other >= m_neighbors) & (n_other < m_neighbors)] = DANGER
    categories[n_other == m_neighbors] = NOISE
    return categories


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights``, summing exactly.

    Each share gets the floor of its quota; the leftover units go to the largest
    fractional parts (ties to the smaller index).

    Parameters
    ----------
    weights : ndarray of float
        Non-negative, not all zero.
    total : int
        The integer total to split.

    Returns
    -------
    ndarray of int64
        Shares, ``shares.sum() == total``.

    Examples
    --------
    >>> largest_remainder(np.array([1.0, 1.0, 1.0]), 10)
    array([4, 3, 3])
    """
    weights = np.asarray(weights, dtype=np.float64)
    quota = total * weights / weights.sum()
    shares = np.floor(quota).astype(np.int64)
    leftover = int(total - shares.sum())
    if leftover > 0:
        order = np.lexsort((np.arange(quota.size), -(quota - shares)))
        shares[order[:leftover]] += 1
    return shares


def uniform_seed_counts(n_rows: int, total: int, rng: np.random.Generator) -> np.ndarray:
    """Every row seeds ``total // n_rows`` or one more synthetic rows (Chawla et al.).

    The rows that get one more are chosen at random without replacement.

    Examples
    --------
    >>> counts = uniform_seed_counts(4, 10, np.random.default_rng(0))
    >>> int(counts.sum()), sorted(set(counts.tolist()))
    (10, [2, 3])
    """
    counts = np.full(n_rows, total // n_rows, dtype=np.int64)
    extra = rng.choice(n_rows, size=total % n_rows, replace=False)
    counts[extra] += 1
    return counts
