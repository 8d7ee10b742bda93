"""The symmetric SIMD pass of a self-query: each pair of rows computed once, no score tile.

A self-query's rows are cut into blocks; the tile of blocks ``(I, J)`` with
``I < J`` feeds the candidates of block ``I``'s rows (by rows) and of block
``J``'s rows (by columns), so half of the products are computed, as in the
BLAS symmetric pass.  The scores ``d^2 / 2`` come from ``[-x, 1, |x|^2/2]`` (the
queries, rows of ``I``) against ``[x, |x|^2/2, 1]`` (packed panels of ``J``).

The micro-kernel (:func:`._simd._micro_kernel` with ``columns=True``) compares
each 6 x lanes tile of scores with the six row limits and with the panel rows'
own limits in registers; only tiles with a candidate on either side are stored
and pushed into the two blocks' heaps.  Diagonal tiles feed their rows only,
without the pair of a row with itself.  The candidates, and therefore the
answers after the engine's float64 refinement, are those of the other passes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from . import _fused, _simd
from ._simd import ROWS

__all__ = ["PairBlockState"]


@cache
def trailing_zeros() -> Any:
    """The numba intrinsic ``trailing_zeros(x)``: the index of the lowest set bit of an int64.

    (LLVM's ``cttz``, one instruction; undefined for 0, which callers never pass.)
    It lets a scan jump from one flagged lane to the next instead of testing all 64.
    """
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))

    def lowest_bit(typingctx, value):  # type: ignore[no-untyped-def]
        return types.int64(types.int64), codegen

    return intrinsic(lowest_bit)


def _scan_pair(
    a_queries: np.ndarray,
    b_packed: np.ndarray,
    a_start: int,
    b_start: int,
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
    bits: np.ndarray,
    scratch: np.ndarray,
) -> int:
    """One pass over the tile of blocks A (queries) and B (panels); compiled on first use.

    Within each ``ROWS x lanes`` tile the A side's entries come first (position
    ``r * lanes + c``), then the B side's (``(ROWS + r) * lanes + c``); only the
    lanes the micro-kernel flagged are visited.  Returns ``-1`` when done, else
    ``tile * 2 * ROWS * lanes + position`` of the entry whose query's list was full
    (A's when the position is under ``ROWS * lanes``); the caller grows that list
    and passes the value back as ``resume``.
    """
    n_groups = a_queries.shape[0] // ROWS
    n_lanes = b_packed.shape[2]
    a_size, b_size = a_heap.shape[0], b_heap.shape[0]
    per_tile = 2 * ROWS * n_lanes
    one = np.int64(1)
    first_tile, first_position = -1, 0
    if resume >= 0:
        first_tile, first_position = divmod(resume, per_tile)
    first_panel = first_tile // n_groups if resume >= 0 else 0
    for p in range(first_panel, b_packed.shape[0]):
        panel = b_packed[p]
        first_group = first_tile % n_groups if (resume >= 0 and p == first_panel) else 0
        for g in range(first_group, n_groups):
            r0 = g * ROWS
            tile = p * n_groups + g
            skip = first_position if tile == first_tile else 0
            if n_lanes == 64:
                mask = _wide_kernel(
                    a_queries, panel, r0, a_limit, b_limit, p * n_lanes, bits, scratch
                )
            else:
                mask = _narrow_kernel(
                    a_queries, panel, r0, a_limit, b_limit, p * n_lanes, bits, scratch
                )
            if mask == 0:
                continue
            for side in range(2):
                if side == 1 and diagonal:
                    break
                for r in range(ROWS):
                    i = r0 + r
                    lanes_under = bits[side * ROWS + r] if i < a_size else 0
                    while lanes_under != 0:  # one step per flagged lane, lowest first
                        c = _trailing_zeros(lanes_under)
                        lanes_under ^= one << c
                        position = (side * ROWS + r) * n_lanes + c
                        col = p * n_lanes + c
                        value = scratch[r * n_lanes + c]
                        if position < skip or col >= b_size:
                            pass
                        elif side == 0:
                            if (
                                not (diagonal and col == i)
                                and value <= a_limit[i]
                                and not _push_compiled(
                                    i, value, b_start + col, a_heap, a_limit, a_margin,
                                    a_cols, a_vals, a_counts, ceiling,
                                )
                            ):  # fmt: skip
                                return tile * per_tile + position
                        elif value <= b_limit[col] and not _push_compiled(
                            col, value, a_start + i, b_heap, b_limit, b_margin, b_cols,
                            b_vals, b_counts, ceiling,
                        ):  # fmt: skip
                            return tile * per_tile + position
    return -1


# Replaced by the compiled functions on first use (numba reads them when compiling).
_narrow_kernel: Any = None
_wide_kernel: Any = None
_push_compiled: Any = None
_trailing_zeros: Any = None


@cache
def _compiled() -> Any:
    """The compiled :func:`_scan_pair` (both vector widths compiled in, as in ``_simd``)."""
    global _narrow_kernel, _wide_kernel, _push_compiled, _trailing_zeros
    _trailing_zeros = trailing_zeros()
    _push_compiled = _fused.compiled_push()
    _narrow_kernel = _simd._micro_kernel(8, columns=True)
    _wide_kernel = _simd._micro_kernel(16, columns=True, n_vectors=4)
    return _fused.compile_(_scan_pair, boundscheck=False)


class PairBlockState(_simd.SimdBlockState):
    """One block of a symmetric self-query: its rows as queries and as packed panels.

    Parameters are those of :class:`._fused.FusedBlockState`; the block's two
    augmented forms are given once with :meth:`set_rows`.
    """

    def set_rows(self, left: np.ndarray, right: np.ndarray) -> None:
        """The block's rows as ``[-x, 1, |x|^2/2]`` (queries) and ``[x, |x|^2/2, 1]`` (panels)."""
        self.set_queries(left)
        self._panels = _simd.pack_panels(right, self.lanes)
        self._bits = np.zeros(2 * ROWS, dtype=np.int64)

    def absorb_pair(self, other: PairBlockState | None) -> None:
        """Feed the tile of this block (rows) and ``other`` (columns; ``None``: the diagonal)."""
        b = self if other is None else other
        resume = -1
        while True:
            resume = _compiled()(
                self._queries, b._panels, self.start, b.start, other is None, resume,
                self.heap, self._padded_limit, self.margin, self.cols, self.values, self.counts,
                b.heap, b._padded_limit, b.margin, b.cols, b.values, b.counts,
                self._ceiling, self._bits, self._scratch,
            )  # fmt: skip
            if resume < 0:
                return
            side_b = resume % (2 * ROWS * self.lanes) >= ROWS * self.lanes
            (b if side_b else self)._grow()
