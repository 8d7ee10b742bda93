"""The SIMD pass in bfloat16: half the multiply-adds' instructions, the same exact answer.

Where the CPU has AVX-512 BF16 (AMD Zen 4 and later, Intel Sapphire Rapids and
later), one ``vdpbf16ps`` instruction multiplies 32 pairs of bfloat16 values and
adds them, in pairs, to 16 float32 accumulators: twice the products of a float32
fused multiply-add, so a compute-bound search (``d`` from about 32 up) needs half
the instructions.  The scores are coarser, and the pass only has to find the
*candidates*: the engine's float64 refinement decides the answer, as for the
float32 pass, provided the margin bounds the error.  This module holds what the
bfloat16 form adds to :mod:`._simd`:

* the layout: queries ``[-q, 1, 1, 1]`` and fitted rows ``[x, h1, h2, h3]``, where
  ``h1 + h2 + h3`` is the float32 half norm ``|x|^2 / 2`` split into three
  bfloat16 parts (24 significant bits, so the norm loses nothing that float32
  kept); features are rounded to nearest, two per int32 word;
* the bound (:func:`tolerances`): rounding each feature to bfloat16 changes it by
  at most ``2^-8`` of itself, so a product by at most ``2^-7 + 2^-16`` of
  ``|q_i x_i|``, and the sum by at most that of ``|q| |x|`` (Cauchy-Schwarz); the
  float32 accumulation adds the usual ``n u`` bound; both are inflated by a
  quarter and added to the float32 pass's own bound;
* the intrinsic (:func:`dot_pairs`), for the micro-kernel's feature loop.

On 1M x 100 benchmark data the margin lets about 30 candidates per query through
where the float32 pass lets 11 (``k = 10``); the refinement of those is cheap.
Data whose rows' norms are far from 1 (below ``2^-40`` or above ``2^40``, where
bfloat16 would underflow) keep the float32 pass, as do thin data
(:data:`MIN_FEATURES`).  Self-queries keep it too: their symmetric pass is bound
by its heap pushes, and a bfloat16 form of it measured no faster (54,563 x 100
rows: 2.81 s float32, 2.87 s bfloat16; 100k x 20: 2.15 s, 2.90 s).
By default the form runs on the CPUs where it was measured faster
(:data:`MEASURED_FASTER`: AMD Zen 4); ``SMOTEKIT_SIMD=bf16`` runs it on any CPU
with AVX-512 BF16, and ``SMOTEKIT_SIMD=fp32`` turns it off.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import numpy as np

__all__ = [
    "MAX_GROWTH",
    "MEASURED_FASTER",
    "MIN_FEATURES",
    "TooCoarse",
    "available",
    "dot_pairs",
    "enabled",
    "pack_panels",
    "pack_queries",
    "preferred",
    "tolerances",
]

#: Fewest features for which the bfloat16 form runs: on 400k x d make_classification data
#: (15,000 minority queries, k = 11) it was 0.76x the float32 pass at d = 16, 1.03x at
#: 24, 1.10x at 32, 1.35x at 48 and 1.43x at 64 (below, the pushes of its wider margin
#: cost more than the products it saves).
MIN_FEATURES = 32
#: Largest growth of a query block's candidate lists in bfloat16 (times their first
#: size) before the search gives up and runs in float32 (:class:`TooCoarse`).
MAX_GROWTH = 16
#: Columns the half norm takes in the bfloat16 layout (its three parts).
_NORM_PARTS = 3
_UNIT = 2.0**-8  # bfloat16's unit roundoff (8 significant bits, round to nearest)
_FLOAT32_UNIT = 2.0**-24


@cache
def available() -> bool:
    """Whether the CPU has AVX-512 BF16 (and the SIMD pass's 16-float vectors)."""
    from . import _simd

    if _simd.lanes() != 64:
        return False
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    if not (features.get("avx512bf16") and features.get("avx512vl")):
        return False
    return _operand_type() is not None


@cache
def _operand_type() -> str | None:
    """How this LLVM types ``vdpbf16ps``'s operands: ``"bfloat"`` (LLVM 17 on), ``"i32"``.

    Checked by compiling one call for the host CPU; None if neither form compiles
    (the pass then keeps float32 products).
    """
    import llvmlite.binding as llvm

    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    machine = llvm.Target.from_default_triple().create_target_machine(
        cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten()
    )
    for operand, element in (("bfloat", "<32 x bfloat>"), ("i32", "<16 x i32>")):
        source = (
            f"declare <16 x float> @llvm.x86.avx512bf16.dpbf16ps.512(<16 x float>, {element}, "
            f"{element})\n"
            f"define <16 x float> @step(<16 x float> %c, {element} %a, {element} %b) {{\n"
            f"  %r = call <16 x float> @llvm.x86.avx512bf16.dpbf16ps.512(<16 x float> %c, "
            f"{element} %a, {element} %b)\n  ret <16 x float> %r\n}}\n"
        )
        try:
            module = llvm.parse_assembly(source)
            module.verify()
            if "vdpbf16ps" in machine.emit_assembly(module):
                return operand
        except RuntimeError:
            continue
    return None


def enabled(n_features: int, largest_norm: float) -> bool:
    """Whether the SIMD pass runs in bfloat16 for rows of ``n_features`` features.

    Parameters
    ----------
    n_features : int
        Features of the (unaugmented) rows.
    largest_norm : float
        Largest norm of the centred fitted rows.

    Returns
    -------
    bool
        At least :data:`MIN_FEATURES` features, a norm within ``[2^-40, 2^40]``,
        and either ``SMOTEKIT_SIMD=bf16`` on a CPU with AVX-512 BF16 or, by
        default, a CPU where it was measured faster (:func:`preferred`);
        ``SMOTEKIT_SIMD`` set to ``fp32``, ``avx2`` or ``0`` turns it off.
    """
    setting = os.environ.get("SMOTEKIT_SIMD", "")
    if setting in ("0", "avx2", "fp32"):
        return False
    if n_features < MIN_FEATURES or not 2.0**-40 <= largest_norm <= 2.0**40:
        return False
    return available() if setting == "bf16" else preferred()


#: LLVM's names of the CPUs on which the bfloat16 pass was measured faster than the
#: float32 one.  AMD Zen 4 runs one 512-bit ``vdpbf16ps`` per cycle, as many as
#: 512-bit FMAs, so twice the products.  Intel's cores (Sapphire Rapids and later)
#: are not listed: their two FMA ports run 512-bit FMAs at twice that rate, which
#: would leave bfloat16 no faster if ``vdpbf16ps`` has one port there (unmeasured;
#: ``SMOTEKIT_SIMD=bf16`` runs it on any CPU with AVX-512 BF16).
MEASURED_FASTER = ("znver4",)


@cache
def preferred() -> bool:
    """Whether the bfloat16 form is on by default: :func:`available` on a CPU of
    :data:`MEASURED_FASTER`."""
    if not available():
        return False
    import llvmlite.binding as llvm

    return llvm.get_host_cpu_name() in MEASURED_FASTER


class TooCoarse(Exception):
    """bfloat16 scores let too many rows through for these data: search in float32.

    Raised when a block's candidate lists outgrow :data:`MAX_GROWTH` times their
    first size: the margin is large against the spread of the nearest scores (rows
    far from the centre that differ by little, such as distant tight clusters),
    where the float32 pass's margin, 65,536 times smaller, lets few through.
    """


def to_bfloat16(values: np.ndarray) -> np.ndarray:
    """float32 values rounded to the nearest bfloat16 (ties to even), as uint16 bit patterns.

    Examples
    --------
    >>> to_bfloat16(np.array([1.0, 1.00390625, 1.01171875, np.inf], dtype=np.float32))
    array([16256, 16256, 16258, 32640], dtype=uint16)
    """
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (rounded >> np.uint32(16)).astype(np.uint16)


def from_bfloat16(bits: np.ndarray) -> np.ndarray:
    """The float32 values of bfloat16 bit patterns."""
    return (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)


def _split_norm(half_norm: np.ndarray) -> list[np.ndarray]:
    """Three bfloat16 parts whose sum is the float32 ``half_norm`` to 24 bits."""
    parts, rest = [], half_norm.astype(np.float32)
    for _ in range(_NORM_PARTS):
        part = to_bfloat16(rest)
        parts.append(part)
        rest = (rest - from_bfloat16(part)).astype(np.float32)
    return parts


def width(n_features: int) -> int:
    """int32 words per row of the layout: the features and the norm's parts, in pairs."""
    return -(-(n_features + _NORM_PARTS) // 2)


def _pack(rows: np.ndarray, n_padded: int, *, norm: bool) -> np.ndarray:
    """Augmented float32 rows as ``(n_padded, width)`` uint16 bfloat16 columns.

    The last column of ``rows`` is a half norm (``norm``: split into its three
    parts) or a column of ones (repeated three times, to pair with the parts).
    Rows past ``len(rows)`` are zero.
    """
    n_rows, n_features = rows.shape[0], rows.shape[1] - 1
    columns = np.zeros((n_padded, 2 * width(n_features)), dtype=np.uint16)
    columns[:n_rows, :n_features] = to_bfloat16(rows[:, :n_features])
    if norm:
        for j, part in enumerate(_split_norm(rows[:, n_features])):
            columns[:n_rows, n_features + j] = part
    else:
        one = to_bfloat16(np.ones(1, dtype=np.float32))[0]
        columns[:n_rows, n_features : n_features + _NORM_PARTS] = one
    return columns


def pack_queries(queries: np.ndarray, n_padded: int) -> np.ndarray:
    """Augmented float32 queries ``[-q, 1]`` as ``(n_padded, width)`` int32 bfloat16 pairs.

    Rows past the queries are zero (they never have a candidate: their limit is ``-inf``).
    """
    return _pack(queries, n_padded, norm=False).view(np.int32)


def pack_panels(rows: np.ndarray, n_lanes: int) -> np.ndarray:
    """Augmented fitted rows ``[x, |x|^2/2]`` as bfloat16 panels ``(n_panels, width, n_lanes)``.

    Padding rows score ``+inf``: zero features and an infinite first norm part.
    """
    n_rows, n_features = rows.shape[0], rows.shape[1] - 1
    n_panels = -(-n_rows // n_lanes)
    columns = _pack(rows, n_panels * n_lanes, norm=True)
    columns[n_rows:, n_features] = to_bfloat16(np.full(1, np.inf, dtype=np.float32))[0]
    words = columns.view(np.int32).reshape(n_panels, n_lanes, -1)
    return np.ascontiguousarray(words.transpose(0, 2, 1))


def tolerances(features: np.ndarray, largest_norm: float) -> np.ndarray:
    """Bound on |bfloat16 score - float32 score| per query, inflated by a quarter.

    Parameters
    ----------
    features : ndarray of shape (n_queries, n_features)
        The queries' centred features (or their negatives), float32.
    largest_norm : float
        Largest norm of the centred fitted rows.

    Returns
    -------
    ndarray of shape (n_queries,), float64
        To be added to the float32 pass's bound (which covers the float32 values).
    """
    n_features = features.shape[1]
    q_norm = np.sqrt(np.einsum("ij,ij->i", features, features, dtype=np.float64))
    products = q_norm * largest_norm
    half_norm = 0.5 * largest_norm**2
    rounding = (2 * _UNIT + _UNIT**2) * products + 4 * _FLOAT32_UNIT * half_norm
    steps = 2 * width(n_features) + 4
    terms = (1 + 2 * _UNIT) * products + 2 * half_norm
    accumulation = steps * 2 * _FLOAT32_UNIT * terms
    # Subnormal inputs and results are flushed to zero by vdpbf16ps: an absolute term.
    flushed = steps * 2.0**-100 * (1.0 + q_norm + largest_norm)
    return 1.25 * (rounding + accumulation + flushed)


@cache
def _bfloat_type() -> Any:
    """LLVM's ``bfloat`` type, which llvmlite's IR builder does not name."""
    from llvmlite import ir

    class BFloat(ir.Type):
        def _to_string(self) -> str:
            return "bfloat"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, BFloat)

        def __hash__(self) -> int:
            return hash("bfloat")

    return BFloat()


def dot_pairs(builder: Any, vector: int) -> Any:
    """``step(q, panel, acc)``: ``acc`` plus the pairwise bfloat16 products of ``q`` and ``panel``.

    ``q`` and ``panel`` are ``<vector x float>`` values holding bfloat16 pairs;
    the step is one ``vdpbf16ps`` (512-bit for 16 floats, 256-bit for 8).
    """
    from llvmlite import ir
    from numba.core import cgutils

    floats = ir.VectorType(ir.FloatType(), vector)
    if _operand_type() == "bfloat":
        pairs = ir.VectorType(_bfloat_type(), 2 * vector)
    else:
        pairs = ir.VectorType(ir.IntType(32), vector)
    bits = {16: 512, 8: 256}[vector]
    dot = cgutils.get_or_insert_function(
        builder.module,
        ir.FunctionType(floats, [floats, pairs, pairs]),
        f"llvm.x86.avx512bf16.dpbf16ps.{bits}",
    )

    def step(q: Any, panel: Any, accumulator: Any) -> Any:
        left, right = builder.bitcast(q, pairs), builder.bitcast(panel, pairs)
        return builder.call(dot, [accumulator, left, right])

    return step
