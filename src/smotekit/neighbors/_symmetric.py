"""The exact engine's symmetric self-query: each pair of rows is computed once.

A self-query's rows are cut into blocks. The tile of blocks ``(I, J)``, ``I < J``,
gives the candidates of block ``I``'s rows (read by rows) and of block ``J``'s rows
(read by columns), so a self-query needs half the products of a query.  The score
of a pair is ``d^2 / 2``, from ``[-x, 1, |x|^2/2]`` against ``[x, |x|^2/2, 1]``.

Three passes share the tile loop:

* the numpy pass (:class:`._tiles.BlockState`) over BLAS score tiles;
* the fused pass (:class:`._fused.FusedBlockState`) over the same tiles
  (``SMOTEKIT_FUSED=1`` only, see :func:`._fused.forced`);
* the SIMD pass (:class:`._simd_pair.PairBlockState`), which computes its own
  scores in registers and writes no tile.

Diagonal tiles come first (they give every row a threshold from its own block),
then the tiles by growing distance from the diagonal.  Each block has a lock, taken in
block order, so that two threads never feed one block at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import numpy as np

from .._config import progress_bar
from . import _fused, _simd_pair
from ._tiles import BlockState, under_limits

__all__ = ["symmetric_candidates"]


def symmetric_candidates(
    augment: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]],
    k: int,
    size: int,
    n_workers: int,
    *,
    simd: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate ``(row, column)`` pairs of a self-query that contain each row's k nearest.

    Parameters
    ----------
    augment : callable
        Returns the rows as ``left = [-x, 1, |x|^2/2]`` and ``right = [x, |x|^2/2, 1]``
        (``(n, d + 2)``, the score dtype) and each row's rounding bound ``tol``.
        Called here so that the two arrays can be freed once the SIMD pass's blocks
        hold their own packed copies.
    k : int
        Neighbours wanted per row (the row itself excluded).
    size : int
        Rows per block.
    n_workers : int
        Threads.
    simd : bool
        Run the SIMD pass (float32 scores, a supported CPU).

    Returns
    -------
    rows, cols : ndarray of int64
        Global indices; every row's true k nearest are among its pairs.
    """
    left, right, tol = augment()
    n_rows = left.shape[0]
    dtype = left.dtype.type
    starts = list(range(0, n_rows, size))
    # One shared "nothing excluded" array: each state keeps a view of its slice (a
    # full array per state would cost n_rows ** 2 / size entries).
    no_exclusion = np.full(n_rows, -1, dtype=np.intp)
    fused = _fused.forced() and n_rows <= _fused.MAX_ROWS  # see _fused.forced
    state_type = _fused.FusedBlockState if fused else BlockState
    if simd:
        state_type = _simd_pair.PairBlockState
    states = [state_type(a, min(a + size, n_rows), tol, no_exclusion, k, dtype) for a in starts]
    if simd:
        for state in states:
            state.set_rows(left[state.start : state.stop], right[state.start : state.stop])
        left = right = None  # the states hold their own padded and packed copies
    locks = [threading.Lock() for _ in states]
    scratch = threading.local()

    def buffers() -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(scratch, "scores"):
            scratch.scores = np.empty(size * size, dtype=dtype)
            scratch.mask = np.empty(size * size, dtype=bool)
        return scratch.scores, scratch.mask

    def tile(pair: tuple[int, int]) -> None:
        i, j = pair
        a, b = states[i], states[j]
        if simd:  # no score tile: the pass computes its own
            with locks[i], locks[j] if i != j else nullcontext():
                a.absorb_pair(None if i == j else b)
            return
        score_buffer, mask_buffer = buffers()
        shape = (a.stop - a.start, b.stop - b.start)
        scores = score_buffer[: shape[0] * shape[1]].reshape(shape)
        mask = mask_buffer[: scores.size].reshape(shape)
        np.matmul(left[a.start : a.stop], right[b.start : b.stop].T, out=scores)
        if fused:
            # One pass feeds both blocks; locks taken in block order (i <= j).
            if i == j:
                np.fill_diagonal(scores, np.inf)
                with locks[i]:
                    a.absorb_pair(None, scores)
            else:
                with locks[i], locks[j]:
                    a.absorb_pair(b, scores)
            return
        if i == j:
            np.fill_diagonal(scores, np.inf)
            with locks[i]:
                a.start_threshold(scores)
        rows, cols = under_limits(scores, a.limit, mask, by_rows=True)
        found_a = (rows, scores[rows, cols].astype(np.float64), cols + b.start)
        found_b = None
        if i != j:
            rows, cols = under_limits(scores, b.limit, mask, by_rows=False)
            found_b = (cols, scores[rows, cols].astype(np.float64), rows + a.start)
        with locks[i]:
            a.add(*found_a)
        if found_b is not None:
            with locks[j]:
                b.add(*found_b)

    diagonal = [(i, i) for i in range(len(states))]
    off_diagonal = [
        (i, j)
        for gap in range(1, len(states))
        for i in range(len(states) - gap)
        for j in (i + gap,)
    ]
    bar = progress_bar(len(diagonal) + len(off_diagonal), "neighbours")

    def tile_and_tick(pair: tuple[int, int]) -> None:
        tile(pair)
        bar.update()

    try:
        if n_workers == 1:
            for pair in diagonal + off_diagonal:
                tile_and_tick(pair)
        else:
            queue = _PairQueue(diagonal + off_diagonal)

            def worker() -> None:
                while (pair := queue.take()) is not None:
                    try:
                        tile_and_tick(pair)
                    finally:
                        queue.done(pair)

            with ThreadPoolExecutor(max_workers=n_workers) as pool:
                for future in [pool.submit(worker) for _ in range(n_workers)]:
                    future.result()
    finally:
        bar.close()
    found = [s.candidates() for s in states]
    return np.concatenate([r for r, _ in found]), np.concatenate([c for _, c in found])


class _PairQueue:
    """The tiles of a self-query, handed to threads so that no two feed one block at once.

    A thread takes the first pending tile (within a short look-ahead, which keeps
    the diagonal-first, nearest-first order) whose two blocks no other thread
    holds; it waits only when every such tile is blocked.  (Threads taking tiles
    in a fixed order waited on each other's block locks: two threads ran the
    1M x 20 SMOTE search 1.5x faster than one, not 2x.)
    """

    _LOOK_AHEAD = 64

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self._pending = list(pairs)
        self._busy: set[int] = set()
        self._changed = threading.Condition()

    def take(self) -> tuple[int, int] | None:
        """The next tile whose blocks are free, or None when no tile is left."""
        with self._changed:
            while self._pending:
                for n, (i, j) in enumerate(self._pending[: self._LOOK_AHEAD]):
                    if i not in self._busy and j not in self._busy:
                        del self._pending[n]
                        self._busy.update((i, j))
                        return i, j
                self._changed.wait()
            return None

    def done(self, pair: tuple[int, int]) -> None:
        """Free the blocks of a finished tile."""
        with self._changed:
            self._busy.difference_update(pair)
            self._changed.notify_all()
