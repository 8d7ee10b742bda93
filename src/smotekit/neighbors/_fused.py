"""The fused selection pass of the exact engine, compiled with numba when it is installed.

The numpy path reads every score tile several times (a row-min reduction, a
comparison, ``nonzero``, a gather, and now and then a sort to tighten the
thresholds).  The fused pass reads it once: each score is compared with its
query's running threshold and, when under it, written to the query's candidate
list and pushed into the query's max-heap of its ``k`` smallest scores, which
tightens the threshold at once.  The threshold is the heap's top plus the
query's rounding margin, rounded up to the score dtype, so it stays an upper
bound and the candidates contain the exact k nearest rows; the engine then
recomputes their distances in float64 and cuts them by the one top-k rule, so
the answer is the same as the numpy path's.

Without numba (:data:`AVAILABLE` is False), or with ``SMOTEKIT_FUSED=0`` in the
environment, the engine keeps its numpy path.
"""

from __future__ import annotations

import os
from functools import cache
from importlib.util import find_spec
from typing import Any

import numpy as np

__all__ = ["AVAILABLE", "MIN_PAIRS", "FusedBlockState", "enabled"]

AVAILABLE = find_spec("numba") is not None

#: Below this many (query, row) pairs the numpy path runs: loading the compiled pass
#: (and importing numba, ~0.3 s once per process) would cost more than it saves.
MIN_PAIRS = 1 << 24

#: Candidate columns are kept as int32 (a third of the lists' memory at k = 5);
#: the engine runs the fused passes only on fitted sets of at most ``MAX_ROWS`` rows.
INDEX_DTYPE = np.int32
MAX_ROWS = int(np.iinfo(INDEX_DTYPE).max)


def enabled(pairs: int | None = None) -> bool:
    """Whether the engine uses the fused pass for a search of ``pairs`` (query, row) pairs.

    Parameters
    ----------
    pairs : int or None
        Size of the search; ``None`` asks only whether the pass can run at all.

    Returns
    -------
    bool
        numba installed, ``SMOTEKIT_FUSED`` not ``0``, and the search large enough
        (at least :data:`MIN_PAIRS`, or any size with ``SMOTEKIT_FUSED=1``).
    """
    setting = os.environ.get("SMOTEKIT_FUSED", "")
    if not AVAILABLE or setting == "0":
        return False
    return pairs is None or setting == "1" or pairs >= MIN_PAIRS


def forced() -> bool:
    """Whether ``SMOTEKIT_FUSED=1`` asks for the fused pass at any size (and numba is there).

    The symmetric self-query uses the fused pass only then: its per-block candidate
    lists grew faster than the rows in a memory test (3.7x the peak for 3x the rows
    at 90,000 x 4), so the numpy passes stay its default until that is fixed.
    """
    return AVAILABLE and os.environ.get("SMOTEKIT_FUSED", "") == "1"


def _count_under(values: np.ndarray, limit: float) -> int:
    """How many ``values`` are ``<= limit`` (a loop the compiler vectorises)."""
    under = 0
    for j in range(values.shape[0]):
        under += values[j] <= limit
    return under


def _push(
    i: int,
    value: float,
    col: int,
    heap: np.ndarray,
    limit: np.ndarray,
    margin: np.ndarray,
    cand_cols: np.ndarray,
    cand_vals: np.ndarray,
    counts: np.ndarray,
    ceiling: np.ndarray,
) -> bool:
    """Add one candidate to query ``i`` and tighten its threshold.

    Returns False, adding nothing, when the query's list is full and still over
    3/4 full after dropping the candidates over the threshold (the caller grows
    the lists).
    ``ceiling`` holds one ``inf`` of the score dtype (``nextafter`` steps in it).
    """
    count = counts[i]
    if count == cand_cols.shape[1]:
        kept = 0
        for c in range(count):
            if cand_vals[i, c] <= limit[i]:
                cand_vals[i, kept] = cand_vals[i, c]
                cand_cols[i, kept] = cand_cols[i, c]
                kept += 1
        counts[i] = count = kept
        # Grow once the list stays over 3/4 full: compacting a nearly full list
        # again at every next push would cost its length each time.
        if 4 * count > 3 * cand_cols.shape[1]:
            return False
    cand_vals[i, count] = value
    cand_cols[i, count] = col
    counts[i] = count + 1
    wide = np.float64(value)
    k = heap.shape[1]
    if wide < heap[i, 0]:
        # Replace the heap's top (the largest of the k best) and sift down.
        pos = 0
        while True:
            child = 2 * pos + 1
            if child >= k:
                break
            if child + 1 < k and heap[i, child + 1] > heap[i, child]:
                child += 1
            if heap[i, child] <= wide:
                break
            heap[i, pos] = heap[i, child]
            pos = child
        heap[i, pos] = wide
        bound = heap[i, 0] + margin[i]
        limit[i] = bound  # rounded to the score dtype ...
        if np.float64(limit[i]) < bound:  # ... and up, to stay an upper bound
            limit[i] = np.nextafter(limit[i], ceiling[0])
    return True


def _count_under_each(values: np.ndarray, limits: np.ndarray) -> int:
    """How many ``values[j] <= limits[j]`` (vectorised)."""
    under = 0
    for j in range(values.shape[0]):
        under += values[j] <= limits[j]
    return under


def _select(
    scores: np.ndarray,
    offset: int,
    first_row: int,
    first_col: int,
    heap: np.ndarray,
    limit: np.ndarray,
    margin: np.ndarray,
    exclude: np.ndarray,
    cand_cols: np.ndarray,
    cand_vals: np.ndarray,
    counts: np.ndarray,
    ceiling: np.ndarray,
) -> int:
    """One pass over a ``(block, tile)`` score matrix; see the module docstring.

    Returns ``-1`` when done, else ``row * width + col`` of the score whose query's
    list was full (the caller grows the lists and resumes there).
    """
    b, width = scores.shape
    for i in range(first_row, b):
        skip = exclude[i] - offset
        start = first_col if i == first_row else 0
        row = scores[i]
        # A branch-free count first (vectorised); most rows of a tile hold no candidate.
        if _count_under_compiled(row[start:], limit[i]) == 0:
            continue
        for j in range(start, width):
            if row[j] > limit[i] or j == skip:
                continue
            if not _push_compiled(
                i, row[j], offset + j, heap, limit, margin, cand_cols, cand_vals, counts, ceiling
            ):
                return i * width + j
    return -1


def _select_pair(
    scores: np.ndarray,
    a_offset: int,
    b_offset: int,
    diagonal: bool,
    resume: int,
    a_heap: np.ndarray,
    a_limit: np.ndarray,
    a_margin: np.ndarray,
    a_cols: np.ndarray,
    a_vals: np.ndarray,
    a_counts: np.ndarray,
    b_heap: np.ndarray,
    b_limit: np.ndarray,
    b_margin: np.ndarray,
    b_cols: np.ndarray,
    b_vals: np.ndarray,
    b_counts: np.ndarray,
    ceiling: np.ndarray,
) -> int:
    """One pass over a symmetric tile feeding both blocks (rows: block A, columns: B).

    Entry ``(r, c)`` is a candidate of A's query ``r`` (row ``b_offset + c``) and,
    off the diagonal, of B's query ``c`` (row ``a_offset + r``).  Returns ``-1`` when
    done, else ``(2 r + side) * width + c`` where a list was full (side 0: A, 1: B);
    the caller grows that block's lists and passes the value back as ``resume``.
    """
    rows, width = scores.shape
    first_row, first_side, first_col = 0, 0, 0
    if resume >= 0:
        place, first_col = divmod(resume, width)
        first_row, first_side = divmod(place, 2)
    for r in range(first_row, rows):
        row = scores[r]
        resuming = r == first_row and resume >= 0
        if not (resuming and first_side == 1):
            start = first_col if resuming else 0
            if _count_under_compiled(row[start:], a_limit[r]) > 0:
                for c in range(start, width):
                    if row[c] <= a_limit[r] and not _push_compiled(
                        r, row[c], b_offset + c, a_heap, a_limit, a_margin, a_cols, a_vals,
                        a_counts, ceiling,
                    ):  # fmt: skip
                        return (2 * r) * width + c
        if diagonal:
            continue
        start = first_col if (resuming and first_side == 1) else 0
        if _count_under_each_compiled(row[start:], b_limit[start:]) > 0:
            for c in range(start, width):
                if row[c] <= b_limit[c] and not _push_compiled(
                    c, row[c], a_offset + r, b_heap, b_limit, b_margin, b_cols, b_vals,
                    b_counts, ceiling,
                ):  # fmt: skip
                    return (2 * r + 1) * width + c
    return -1


# Replaced by the compiled functions on first use.
_count_under_compiled: Any = _count_under
_count_under_each_compiled: Any = _count_under_each
_push_compiled: Any = _push


def compile_(function: Any, **options: Any) -> Any:
    """``function`` compiled by numba without the GIL, cached on disk where one can write."""
    import numba

    try:
        return numba.njit(nogil=True, cache=True, **options)(function)
    except RuntimeError:  # pragma: no cover - no writable cache location
        return numba.njit(nogil=True, **options)(function)


@cache
def compiled_push() -> Any:
    """The compiled :func:`_push` (shared by the SIMD pass, which needs nothing else here)."""
    global _push_compiled
    _push_compiled = compile_(_push)
    return _push_compiled


@cache
def _compiled() -> tuple[Any, Any]:
    """The compiled passes ``(select, select_pair)``, numba imported on first use."""
    # numba reads a global when it compiles the function that uses it: set them first.
    global _count_under_compiled, _count_under_each_compiled
    _count_under_compiled = compile_(_count_under, inline="never")
    _count_under_each_compiled = compile_(_count_under_each, inline="never")
    compiled_push()
    fast = {"reassoc", "nsz", "arcp", "nnan"}
    return compile_(_select, fastmath=fast), compile_(_select_pair, fastmath=fast)


class FusedBlockState:
    """Running candidate set of one query block, kept by the fused pass.

    The same interface as :class:`._tiles.BlockState` (``absorb``,
    ``candidates``), so the engine's tile loop is one loop for both paths.

    Parameters
    ----------
    start, stop : int
        The block's queries.
    tol : ndarray
        Per-query bound on the score's rounding error (the margin is twice it).
    exclude : ndarray
        Fitted row to leave out per query (``-1``: none), for all queries.
    k : int
        Neighbours wanted.
    dtype : type
        The score dtype (float32, or float64 for huge values).
    """

    def __init__(
        self,
        start: int,
        stop: int,
        tol: np.ndarray,
        exclude: np.ndarray,
        k: int,
        dtype: type = np.float32,
    ) -> None:
        self.start, self.stop, self.k = start, stop, k
        size = stop - start
        self.margin = (2.0 * tol[start:stop]).astype(np.float64)
        self.exclude = np.ascontiguousarray(exclude[start:stop], dtype=np.int64)
        self.heap = np.full((size, k), np.inf)
        self.limit = np.full(size, np.inf, dtype=dtype)
        self._ceiling = np.full(1, np.inf, dtype=dtype)
        capacity = 2 * k + 16
        self.cols = np.empty((size, capacity), dtype=INDEX_DTYPE)
        self.values = np.empty((size, capacity), dtype=dtype)
        self.counts = np.zeros(size, dtype=np.int64)

    def absorb(self, scores: np.ndarray, offset: int, mask: np.ndarray | None = None) -> None:
        """Take the entries of a ``(block, tile)`` score matrix under the thresholds.

        ``mask`` is accepted for the numpy state's interface and not used.
        """
        row = col = 0
        while True:
            stopped = _compiled()[0](
                scores, offset, row, col, self.heap, self.limit, self.margin,
                self.exclude, self.cols, self.values, self.counts, self._ceiling,
            )  # fmt: skip
            if stopped < 0:
                return
            row, col = divmod(stopped, scores.shape[1])
            self._grow()

    def absorb_pair(self, other: FusedBlockState | None, scores: np.ndarray) -> None:
        """Feed a symmetric tile to this block (its rows) and ``other`` (its columns).

        ``other=None`` for a diagonal tile (whose diagonal the caller set to ``inf``).
        """
        b = self if other is None else other
        resume = -1
        while True:
            resume = _compiled()[1](
                scores, self.start, b.start, other is None, resume,
                self.heap, self.limit, self.margin, self.cols, self.values, self.counts,
                b.heap, b.limit, b.margin, b.cols, b.values, b.counts, self._ceiling,
            )  # fmt: skip
            if resume < 0:
                return
            side = (resume // scores.shape[1]) % 2
            (b if side else self)._grow()

    def _grow(self) -> None:
        """Twice the room per query (many rows within the margin: ties, duplicates)."""
        size, capacity = self.cols.shape
        cols = np.empty((size, 2 * capacity), dtype=self.cols.dtype)
        values = np.empty((size, 2 * capacity), dtype=self.values.dtype)
        cols[:, :capacity], values[:, :capacity] = self.cols, self.values
        self.cols, self.values = cols, values

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Global (query, row) pairs that contain the exact k nearest rows."""
        filled = np.arange(self.cols.shape[1])[None, :] < self.counts[:, None]
        keep = filled & (self.values <= self.limit[:, None])
        rows = np.nonzero(keep)[0]
        return rows.astype(np.int64) + self.start, self.cols[keep].astype(np.int64)
