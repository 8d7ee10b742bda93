"""The categorical vote: per feature, the most frequent code among a synthetic row's voters."""

from __future__ import annotations

import numpy as np

__all__ = ["vote_modes"]

# Voter cells per chunk of the vote kernel (bounds its temporaries to a few MB).
_VOTE_CHUNK_CELLS = 1 << 22


def _mode_pairwise(gathered: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Most frequent value of every column of ``gathered`` (voters x rows).

    Every voter counts the voters that agree with it; among the voters with the
    highest count, the ``floor(u * n_tied)``-th is taken.  Each tied value has
    the same number of such voters, so each is equally likely.
    """
    n_voters, n_rows = gathered.shape
    if n_voters == 1:
        return gathered[0].copy()
    dtype = np.int8 if n_voters < 127 else np.int32
    counts = np.ones((n_voters, n_rows), dtype=dtype)
    for a in range(n_voters):
        for b in range(a + 1, n_voters):
            same = gathered[a] == gathered[b]
            counts[a] += same
            counts[b] += same
    tied = counts == counts.max(axis=0)
    target = (u * tied.sum(axis=0)).astype(dtype)
    seen = np.zeros(n_rows, dtype=dtype)
    out = gathered[0].copy()
    for a in range(n_voters):
        np.copyto(out, gathered[a], where=tied[a] & (seen == target))
        seen += tied[a]
    return out


def _mode_counting(gathered: np.ndarray, n_levels: int, u: np.ndarray) -> np.ndarray:
    """As :func:`_mode_pairwise`, by counting every level (for many voters, few levels)."""
    n_rows = gathered.shape[1]
    flat = (gathered.astype(np.int64) + (np.arange(n_rows) * n_levels)).ravel()
    counts = np.bincount(flat, minlength=n_rows * n_levels).reshape(n_rows, n_levels)
    tied = counts == counts.max(axis=1, keepdims=True)
    target = (u * tied.sum(axis=1)).astype(np.int64)
    level = np.argmax(np.cumsum(tied, axis=1) > target[:, None], axis=1)
    return level.astype(gathered.dtype)


def vote_modes(
    class_codes: np.ndarray, voters: np.ndarray, n_levels: list[int], rng: np.random.Generator
) -> np.ndarray:
    """Per feature, the most frequent code among each synthetic row's voters.

    Parameters
    ----------
    class_codes : ndarray of shape (m, n_categorical)
        Codes of the class's rows.
    voters : ndarray of int of shape (n_voters, n_new)
        For every synthetic row (column), the class-local rows that vote.
    n_levels : list of int
        Number of codes of every feature.
    rng : numpy.random.Generator
        Breaks ties: among the most frequent values, each is equally likely.
        One ``rng.random(n_new)`` draw per feature, in feature order.

    Returns
    -------
    ndarray of shape (n_categorical, n_new), dtype of ``class_codes``

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[0], [1], [1], [2]], dtype=np.uint8)
    >>> voters = np.array([[1, 2, 3], [0, 1, 2]]).T
    >>> vote_modes(codes, voters, [3], np.random.default_rng(0))
    array([[1, 1]], dtype=uint8)
    """
    n_voters, n_new = voters.shape
    out = np.empty((class_codes.shape[1], n_new), dtype=class_codes.dtype)
    chunk = max(1, _VOTE_CHUNK_CELLS // max(n_voters, 1))
    for f in range(class_codes.shape[1]):
        u = rng.random(n_new)
        column = np.ascontiguousarray(class_codes[:, f])
        counting = n_voters * (n_voters - 1) // 2 > 8 * n_levels[f] + 64
        for start in range(0, n_new, chunk):
            stop = min(start + chunk, n_new)
            gathered = column[voters[:, start:stop]]
            if counting:
                out[f, start:stop] = _mode_counting(gathered, n_levels[f], u[start:stop])
            else:
                out[f, start:stop] = _mode_pairwise(gathered, u[start:stop])
    return out
