"""The exact engine's fused SIMD pass: dot products, threshold and candidates in registers.

The BLAS path writes every score of a ``(queries, rows)`` tile to memory and then
reads it again to select the entries under each query's threshold.  With thin
data (``d`` around 20) the product is short, so writing and re-reading the tile
costs as much as computing it.  This pass never writes the tile:

* the fitted rows of a tile are packed into *panels* of several vectors' worth
  of rows (two 8-float vectors, 16 rows, with AVX2; four 16-float vectors, 64
  rows, with AVX-512), stored feature-major (``(n_panels, K, lanes)``);
* a micro-kernel (:func:`_micro_kernel`, LLVM IR emitted through numba's
  ``intrinsic`` API and compiled for the host CPU) computes the scores of
  :data:`ROWS` queries against one panel with 12 (AVX2) or 24 (AVX-512) vector
  accumulators, under the 16 or 32 vector registers, and fused
  multiply-adds, compares them with the queries' thresholds in registers, and
  returns a bit per query that has any score under its threshold;
* only then are the scores stored (to L1) and handed to the fused pass's heap
  push (:func:`._fused._push`), which tightens the threshold at once.

Almost every ``(query, panel)`` pair ends in the registers; the score tile is
never written.  The exactness argument is the BLAS path's: a score in float32
differs from the exact one by at most the query's rounding bound whatever the
summation order (a fused multiply-add only rounds less), so the candidates
contain the exact k nearest rows and the engine's float64 refinement gives the
same answer, ties by index.

The pass needs numba (it is the ``[fast]`` extra's compiler) and a CPU with AVX2
and FMA; it uses 16-float vectors where the CPU has AVX-512, and bfloat16 pairs
where it has AVX-512 BF16 (:mod:`._bf16`).  ``SMOTEKIT_SIMD=0`` in the environment
turns it off (the engine then keeps the BLAS path), ``SMOTEKIT_SIMD=avx2`` keeps
8-float vectors on an AVX-512 CPU and ``SMOTEKIT_SIMD=fp32`` keeps float32 products.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import numpy as np

from . import _bf16, _fused

__all__ = ["LIMIT_PAD", "ROWS", "SimdBlockState", "enabled", "lanes", "pack_panels", "pad_rows"]

#: Queries per micro-kernel call (its accumulators: one per query and panel vector).
ROWS = 6
#: Padded length unit of the limits: a multiple of ROWS and of every panel width.
LIMIT_PAD = 192
#: First bit of the panel rows' (columns') flags in the symmetric kernel's mask.
_COLUMN_BITS = 8


@cache
def _host_vector() -> int:
    """Floats per vector register the micro-kernel may use: 16 (AVX-512), 8 (AVX2+FMA), 0."""
    if not _fused.AVAILABLE:
        return 0
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    if not (features.get("avx2") and features.get("fma")):
        return 0
    return 16 if features.get("avx512f") else 8


def _host_supports() -> bool:
    """Whether the CPU has the AVX2 and FMA instructions the micro-kernel is written for."""
    return _host_vector() > 0


def lanes() -> int:
    """Fitted rows per panel: 64 (four 16-float vectors) with AVX-512, else 16 (two 8-float).

    ``SMOTEKIT_SIMD=avx2`` gives the AVX2 panels on an AVX-512 CPU.  Four vectors
    per panel halve the broadcasts per multiply-add; measured against two on a
    Sapphire Rapids VM: 7 % faster on the query path, equal on self-queries.
    """
    vector = _host_vector()
    if os.environ.get("SMOTEKIT_SIMD", "") == "avx2":
        vector = min(vector, 8)
    return 4 * vector if vector == 16 else 2 * vector


def enabled(pairs: int | None = None) -> bool:
    """Whether the engine runs the SIMD pass for a float32 search of ``pairs`` pairs.

    Parameters
    ----------
    pairs : int or None
        Size of the search; ``None`` asks only whether the pass can run at all.

    Returns
    -------
    bool
        The fused pass is enabled for that size (see :func:`._fused.enabled`),
        ``SMOTEKIT_SIMD`` is not ``0``, and the CPU has AVX2 and FMA.
    """
    if os.environ.get("SMOTEKIT_SIMD", "") == "0" or not _fused.enabled(pairs):
        return False
    return _host_supports()


def pack_panels(rows: np.ndarray, n_lanes: int) -> np.ndarray:
    """Augmented fitted rows ``(n, K)`` as float32 panels ``(ceil(n / n_lanes), K, n_lanes)``.

    Padding rows score ``+inf`` against any query (zero features, infinite half
    norm in the last column), and the pass skips them by position as well.
    """
    n_rows, width = rows.shape
    n_panels = -(-n_rows // n_lanes)
    padded = np.zeros((n_panels * n_lanes, width), dtype=np.float32)
    padded[:n_rows] = rows
    padded[n_rows:, -1] = np.inf
    return np.ascontiguousarray(padded.reshape(n_panels, n_lanes, width).transpose(0, 2, 1))


def pad_rows(queries: np.ndarray) -> np.ndarray:
    """Augmented queries as a C-ordered float32 array whose rows are a multiple of ROWS."""
    n_rows = queries.shape[0]
    padded = np.zeros((-(-n_rows // ROWS) * ROWS, queries.shape[1]), dtype=np.float32)
    padded[:n_rows] = queries
    return padded


@cache
def _micro_kernel(vector: int, columns: bool = False, n_vectors: int = 2) -> Any:
    """The numba intrinsic ``tile_mask(queries, panel, first_row, limits, scratch)``.

    Scores of ``queries[first_row : first_row + ROWS]`` against one
    ``(K, n_vectors * vector)`` panel, in ``ROWS * n_vectors`` ``<vector x float>``
    accumulators; returns an int64 whose bit ``r`` says that query ``first_row + r``
    has a score ``<= limits[first_row + r]``, and stores the ``ROWS x n_vectors *
    vector`` scores, row-major, to ``scratch`` when any bit is set.  At most 64 lanes
    (``n_vectors * vector``): each row's lane flags are one int64.

    With ``columns`` the intrinsic is ``tile_mask(queries, panel, first_row, limits,
    column_limits, first_column, bits, scratch)`` and also compares every score with
    its panel row's limit ``column_limits[first_column + c]`` (the symmetric pass,
    where the panel's rows are queries too): bit ``8 + r`` says that row ``r`` has a
    score under its column's limit, and the int64 array ``bits`` receives, with the
    scores, the lanes under the row limit for each row (``bits[r]``) and under the
    column limits (``bits[ROWS + r]``).
    """
    from llvmlite import ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    f32 = ir.FloatType()
    vec = ir.VectorType(f32, vector)
    i32, i64 = ir.IntType(32), ir.IntType(64)
    half_mask = ir.IntType(vector)
    broadcast_mask = ir.Constant(ir.VectorType(i32, vector), [0] * vector)

    def splat(builder: Any, value: Any) -> Any:
        single = builder.insert_element(ir.Constant(vec, ir.Undefined), value, i32(0))
        return builder.shuffle_vector(single, ir.Constant(vec, ir.Undefined), broadcast_mask)

    def load_vector(builder: Any, base: Any, offset: Any) -> Any:
        pointer = builder.bitcast(builder.gep(base, [offset]), vec.as_pointer())
        return builder.load(pointer, align=4)

    def feature_loop(
        builder: Any, q_data: Any, p_data: Any, first: Any, width: Any, pairs: bool
    ) -> list:
        """The accumulators after the loop over the K features (fused multiply-adds).

        With ``pairs`` the queries and panels hold int32 words of two bfloat16
        features each, and each step is one bfloat16 dot product of the pairs
        (``vdpbf16ps``, :mod:`._bf16`), accumulated in float32.
        """
        if pairs:
            step = _bf16.dot_pairs(builder, vector)
        else:
            fma = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(vec, [vec, vec, vec]), f"llvm.fma.v{vector}f32"
            )

            def step(q: Any, panel: Any, accumulator: Any) -> Any:
                return builder.call(fma, [q, panel, accumulator])

        row_base = [builder.mul(builder.add(first, i64(r)), width) for r in range(ROWS)]
        entry = builder.basic_block
        loop = builder.append_basic_block("features")
        after = builder.append_basic_block("compare")
        builder.branch(loop)

        builder.position_at_end(loop)
        j = builder.phi(i64)
        j.add_incoming(i64(0), entry)
        accumulators = []
        for _ in range(n_vectors * ROWS):
            phi = builder.phi(vec)
            phi.add_incoming(ir.Constant(vec, [0.0] * vector), entry)
            accumulators.append(phi)
        lane = builder.mul(j, i64(n_vectors * vector))
        panel = [
            load_vector(builder, p_data, builder.add(lane, i64(h * vector)))
            for h in range(n_vectors)
        ]
        updated = []
        for r in range(ROWS):
            q = splat(builder, builder.load(builder.gep(q_data, [builder.add(row_base[r], j)])))
            for h in range(n_vectors):
                updated.append(step(q, panel[h], accumulators[n_vectors * r + h]))
        j_next = builder.add(j, i64(1))
        body_end = builder.basic_block
        j.add_incoming(j_next, body_end)
        for phi, value in zip(accumulators, updated):
            phi.add_incoming(value, body_end)
        builder.cbranch(builder.icmp_signed("<", j_next, width), loop, after)
        builder.position_at_end(after)
        return updated

    def typer(typingctx: Any, *arg_types: Any) -> Any:
        return types.int64(*arg_types), codegen

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        def data(n: int) -> Any:
            return context.make_array(sig.args[n])(context, builder, args[n]).data

        q_data, p_data, l_data, s_data = data(0), data(1), data(3), data(len(args) - 1)
        first = args[2]
        queries = context.make_array(sig.args[0])(context, builder, args[0])
        width = builder.extract_value(queries.shape, 1)
        pairs = sig.args[0].dtype == types.int32  # bfloat16 pairs (see feature_loop)
        if pairs:
            q_data = builder.bitcast(q_data, f32.as_pointer())
            p_data = builder.bitcast(p_data, f32.as_pointer())
        updated = feature_loop(builder, q_data, p_data, first, width, pairs)

        def lane_bits(r: int, limits: tuple) -> Any:
            """int64 with bit c set where row r's score in lane c is under its limit."""
            combined = i64(0)
            for h in range(n_vectors):
                under = builder.fcmp_ordered("<=", updated[n_vectors * r + h], limits[h])
                part = builder.zext(builder.bitcast(under, half_mask), i64)
                combined = builder.or_(combined, builder.shl(part, i64(h * vector)))
            return combined

        mask = i64(0)
        row_bits, column_bits = [], []
        for r in range(ROWS):
            limit = splat(builder, builder.load(builder.gep(l_data, [builder.add(first, i64(r))])))
            row_bits.append(lane_bits(r, (limit,) * n_vectors))
            any_under = builder.zext(builder.icmp_unsigned("!=", row_bits[r], i64(0)), i64)
            mask = builder.or_(mask, builder.shl(any_under, i64(r)))
        if columns:
            c_data, first_column, b_data = data(4), args[5], data(6)
            limits = tuple(
                load_vector(builder, c_data, builder.add(first_column, i64(h * vector)))
                for h in range(n_vectors)
            )
            for r in range(ROWS):
                column_bits.append(lane_bits(r, limits))
                any_under = builder.zext(builder.icmp_unsigned("!=", column_bits[r], i64(0)), i64)
                mask = builder.or_(mask, builder.shl(any_under, i64(_COLUMN_BITS + r)))
        with builder.if_then(builder.icmp_unsigned("!=", mask, i64(0))):
            for index, value in enumerate(updated):
                pointer = builder.gep(s_data, [i64(index * vector)])
                builder.store(value, builder.bitcast(pointer, vec.as_pointer()), align=4)
            for index, value in enumerate(row_bits + column_bits if columns else []):
                builder.store(value, builder.gep(b_data, [i64(index)]))
        return mask

    if columns:

        def tile_mask(typingctx, queries, panel, first_row, limits, column_limits, first_column,
                      bits, scratch):  # fmt: skip
            return typer(typingctx, queries, panel, first_row, limits, column_limits,
                         first_column, bits, scratch)  # fmt: skip
    else:

        def tile_mask(typingctx, queries, panel, first_row, limits, scratch):  # type: ignore
            return typer(typingctx, queries, panel, first_row, limits, scratch)

    return intrinsic(tile_mask)


def _scan(
    queries: np.ndarray,
    packed: np.ndarray,
    offset: int,
    n_valid: int,
    resume: int,
    heap: np.ndarray,
    limit: np.ndarray,
    margin: np.ndarray,
    exclude: np.ndarray,
    cand_cols: np.ndarray,
    cand_vals: np.ndarray,
    counts: np.ndarray,
    ceiling: np.ndarray,
    scratch: np.ndarray,
) -> int:
    """One fused pass of a query block over a packed tile (compiled by :func:`_compiled`).

    The panel width (16 or 64 lanes) picks the micro-kernel (8- or 16-float vectors).
    ``limit`` has one entry per padded query row (``-inf`` for the padding, which
    so never has a candidate).  Returns ``-1`` when done, else
    ``(panel * n_padded + query) * lanes + lane`` of the score whose query's list
    was full; the caller grows the lists and passes it back as ``resume``.
    """
    n_padded = queries.shape[0]
    n_lanes = packed.shape[2]
    size = heap.shape[0]
    first_panel, first_query, first_lane = 0, 0, 0
    if resume >= 0:
        place, first_lane = divmod(resume, n_lanes)
        first_panel, first_query = divmod(place, n_padded)
    for p in range(first_panel, packed.shape[0]):
        panel = packed[p]
        resuming = resume >= 0 and p == first_panel
        start = (first_query // ROWS) * ROWS if resuming else 0
        for r0 in range(start, n_padded, ROWS):
            if n_lanes == 64:
                mask = _wide_kernel(queries, panel, r0, limit, scratch)
            else:
                mask = _narrow_kernel(queries, panel, r0, limit, scratch)
            if mask == 0:
                continue
            for r in range(ROWS):
                i = r0 + r
                if (mask >> r) & 1 == 0 or i >= size:
                    continue
                for c in range(n_lanes):
                    if resuming and (i < first_query or (i == first_query and c < first_lane)):
                        continue
                    value = scratch[r * n_lanes + c]
                    col = p * n_lanes + c
                    if value > limit[i] or col >= n_valid or offset + col == exclude[i]:
                        continue
                    if not _push_compiled(
                        i, value, offset + col, heap, limit, margin, cand_cols, cand_vals,
                        counts, ceiling,
                    ):  # fmt: skip
                        return (p * n_padded + i) * n_lanes + c
    return -1


# Replaced by the compiled functions on first use (numba reads them when compiling _scan).
_narrow_kernel: Any = None
_wide_kernel: Any = None
_push_compiled: Any = None


@cache
def _compiled() -> Any:
    """The compiled :func:`_scan`, numba imported on first use.

    Both micro-kernels are compiled in; the 16-float one runs only on 64-lane
    panels, which :func:`lanes` gives only on a CPU with AVX-512.
    """
    global _narrow_kernel, _wide_kernel, _push_compiled
    _push_compiled = _fused.compiled_push()
    _narrow_kernel, _wide_kernel = _micro_kernel(8), _micro_kernel(16, n_vectors=4)
    return _fused.compile_(_scan, boundscheck=False)


class SimdBlockState(_fused.FusedBlockState):
    """The fused pass's candidate set of one query block, fed by the SIMD pass.

    Parameters are those of :class:`._fused.FusedBlockState`; the block's
    augmented queries are given once with :meth:`set_queries`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = self.stop - self.start
        self._padded_limit = np.full(-(-size // LIMIT_PAD) * LIMIT_PAD, -np.inf, dtype=np.float32)
        self._padded_limit[:size] = np.inf
        self.limit = self._padded_limit[:size]  # one array: pushes write through
        self.lanes = lanes()
        self._scratch = np.empty(ROWS * self.lanes, dtype=np.float32)
        self._queries = np.empty((0, 0), dtype=np.float32)
        self._max_capacity: float = np.inf

    def set_queries(self, queries: np.ndarray, *, bfloat16: bool = False) -> None:
        """The block's augmented float32 queries ``(stop - start, K)``.

        With ``bfloat16`` they are kept in :mod:`._bf16`'s layout, for panels
        packed by :func:`._bf16.pack_panels`.
        """
        if bfloat16:
            n_padded = -(-queries.shape[0] // ROWS) * ROWS
            self._queries = _bf16.pack_queries(queries, n_padded)
            self._max_capacity = _bf16.MAX_GROWTH * self.cols.shape[1]
        else:
            self._queries = pad_rows(queries)

    def _grow(self) -> None:
        """Twice the room per query; in bfloat16 up to :data:`._bf16.MAX_GROWTH` x the first."""
        if 2 * self.cols.shape[1] > self._max_capacity:
            raise _bf16.TooCoarse
        super()._grow()

    def absorb_panels(self, packed: np.ndarray, offset: int, n_valid: int) -> None:
        """Take the candidates of one packed tile (rows ``offset`` to ``offset + n_valid``).

        ``packed`` comes from :func:`pack_panels` with :attr:`lanes` lanes.
        """
        resume = -1
        while True:
            resume = _compiled()(
                self._queries, packed, offset, n_valid, resume, self.heap,
                self._padded_limit, self.margin, self.exclude, self.cols, self.values,
                self.counts, self._ceiling, self._scratch,
            )  # fmt: skip
            if resume < 0:
                return
            self._grow()
