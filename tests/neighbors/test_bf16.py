"""The bfloat16 form of the SIMD pass: its layout, its error bound and its answers.

The bound is checked on its own (an emulation of the bfloat16 scores in float64
must stay within it, also on adversarial data), and the pass end to end must
give the float64 reference, ties by index, where its coarser scores make many
rows tie inside the margin.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_backends import reference_kneighbors

from smotekit.neighbors import ExactNeighbors, _bf16, _fused, _simd

RUNS = _fused.AVAILABLE and _simd._host_supports() and _bf16.available()
needs_bf16 = pytest.mark.skipif(not RUNS, reason="the CPU has no AVX-512 BF16 (or no numba)")


def _query(monkeypatch, X, Q, k, exclude=None, **options):
    monkeypatch.setenv("SMOTEKIT_FUSED", "1")
    monkeypatch.setenv("SMOTEKIT_SIMD", "bf16")
    engine = ExactNeighbors(symmetric=False, **options).fit(X)
    return engine.kneighbors(Q, k, exclude=exclude)


def _emulated_scores(queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The bfloat16 layout's scores, the products and sums in float64 (no accumulation error)."""
    n_features = queries.shape[1] - 1
    q_words = _bf16.pack_queries(queries, queries.shape[0])
    x_words = _bf16.pack_panels(rows, 64).transpose(0, 2, 1).reshape(-1, q_words.shape[1])
    q = _bf16.from_bfloat16(q_words.view(np.uint16)).astype(np.float64)
    x = _bf16.from_bfloat16(x_words[: rows.shape[0]].view(np.uint16)).astype(np.float64)
    assert q.shape[1] >= n_features + 3
    return q @ x.T


def _float32_scores(queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return queries.astype(np.float64) @ rows.astype(np.float64).T


def _augmented(X: np.ndarray, Q: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    center = X.mean(axis=0)
    x, q = (X - center).astype(np.float32), (Q - center).astype(np.float32)
    rows = np.hstack([x, 0.5 * np.einsum("ij,ij->i", x, x)[:, None]]).astype(np.float32)
    queries = np.hstack([-q, np.ones((len(q), 1), dtype=np.float32)])
    return queries, rows, float(np.sqrt((x.astype(np.float64) ** 2).sum(axis=1).max()))


def test_rounding_to_bfloat16_is_to_nearest_even():
    rng = np.random.default_rng(0)
    values = np.concatenate(
        [rng.standard_normal(20000) * 10.0 ** rng.integers(-30, 30, 20000), [0.0, -0.0, 1.0]]
    ).astype(np.float32)
    rounded = _bf16.from_bfloat16(_bf16.to_bfloat16(values)).astype(np.float64)
    exact = values.astype(np.float64)
    assert np.all(np.abs(rounded - exact) <= 2.0**-8 * np.abs(exact))
    # Nearest: no other bfloat16 value (one step either way) is closer.
    nonzero = exact != 0
    bits = _bf16.to_bfloat16(values[nonzero]).astype(np.int64)
    rounded, exact = rounded[nonzero], exact[nonzero]
    for step in (-1, 1):
        other = _bf16.from_bfloat16((bits + step).astype(np.uint16)).astype(np.float64)
        assert np.all(np.abs(other - exact) >= np.abs(rounded - exact))


def test_the_norm_is_split_into_three_parts_without_loss():
    rng = np.random.default_rng(1)
    norms = (rng.random(5000) * 10.0 ** rng.integers(-20, 20, 5000)).astype(np.float32)
    parts = _bf16._split_norm(norms)
    total = sum(_bf16.from_bfloat16(p).astype(np.float64) for p in parts)
    assert np.all(np.abs(total - norms) <= 2.0**-22 * norms)


@pytest.mark.parametrize(
    "kind", ["gaussian", "offset", "mixed-scales", "integers", "sparse-rows", "one-feature"]
)
def test_emulated_bfloat16_scores_stay_within_the_bound(kind):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((400, 40))
    if kind == "offset":
        X += 1e4
    elif kind == "mixed-scales":
        X *= 10.0 ** rng.integers(-4, 5, size=40)
    elif kind == "integers":
        X = rng.integers(-3, 4, size=X.shape).astype(float)
    elif kind == "sparse-rows":
        X *= rng.random(X.shape) < 0.1
    elif kind == "one-feature":
        X[:, 1:] *= 1e-6
    Q = X[::7] + rng.standard_normal((len(X[::7]), 40)) * X.std()
    queries, rows, largest = _augmented(X, Q)
    error = np.abs(_emulated_scores(queries, rows) - _float32_scores(queries, rows))
    bound = _bf16.tolerances(queries[:, :-1], largest)
    assert np.all(error <= bound[:, None])
    # ... and the bound is not vacuous: within a small factor of the worst error seen.
    assert np.all(bound < 64 * error.max(axis=1) + 1e-30)


def test_padding_rows_score_infinity():
    rows = np.ones((70, 21), dtype=np.float32)
    packed = _bf16.pack_panels(rows, 64)
    assert packed.shape == (2, _bf16.width(20), 64) and packed.dtype == np.int32
    queries, _, _ = _augmented(np.zeros((1, 20)), np.zeros((1, 20)))
    x = packed.transpose(0, 2, 1).reshape(128, -1)
    q = _bf16.pack_queries(queries, 6)
    values = _bf16.from_bfloat16(x.view(np.uint16)) @ _bf16.from_bfloat16(q[0].view(np.uint16))
    assert np.isinf(values[70:]).all() and np.isfinite(values[:70]).all()
    assert not q[1:].any()  # padding queries are zero


def test_thin_or_badly_scaled_data_keep_the_float32_pass(monkeypatch):
    monkeypatch.setenv("SMOTEKIT_SIMD", "bf16")
    assert not _bf16.enabled(_bf16.MIN_FEATURES - 1, 1.0)
    assert not _bf16.enabled(64, 2.0**-50)
    assert not _bf16.enabled(64, 2.0**50)
    monkeypatch.setenv("SMOTEKIT_SIMD", "fp32")
    assert not _bf16.enabled(64, 1.0)
    monkeypatch.setenv("SMOTEKIT_SIMD", "avx2")
    assert not _bf16.enabled(64, 1.0)


@needs_bf16
@pytest.mark.parametrize("d", [32, 33, 40, 100, 129])
def test_bfloat16_pass_equals_the_reference(monkeypatch, d):
    calls = []
    real_absorb = _simd.SimdBlockState.absorb_panels

    def counted(self, packed, offset, n_valid):
        calls.append((packed.dtype, packed.shape))
        real_absorb(self, packed, offset, n_valid)

    monkeypatch.setattr(_simd.SimdBlockState, "absorb_panels", counted)
    rng = np.random.default_rng(d)
    X = rng.standard_normal((700, d))
    Q = np.vstack([rng.standard_normal((40, d)), X[:10], X[:5] + 1e-4])
    exclude = np.full(len(Q), -1)
    exclude[40:45] = np.arange(5)  # a query at a row, that row left out
    expected = reference_kneighbors(X, Q, 9, exclude)
    dist, ind = _query(monkeypatch, X, Q, 9, exclude, query_block=23, tile_rows=150)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)
    assert calls and all(t == np.int32 and s[1:] == (_bf16.width(d), 64) for t, s in calls)


@needs_bf16
@pytest.mark.parametrize(
    "kind", ["duplicates", "offset", "mixed-scales", "tiny-differences", "one-feature"]
)
def test_bfloat16_pass_on_hard_data(monkeypatch, kind):
    rng = np.random.default_rng(11)
    X = rng.standard_normal((600, 32))
    if kind == "duplicates":
        X = np.repeat(X[:60], 10, axis=0)  # every row has 9 exact copies: ties by index
    elif kind == "offset":
        X = X + 3e3
    elif kind == "mixed-scales":
        X *= 10.0 ** rng.integers(-3, 4, size=32)
    elif kind == "tiny-differences":
        X = 1.0 + 1e-3 * X  # neighbours differ far below bfloat16's resolution of 1
    elif kind == "one-feature":
        X[:, 1:] *= 1e-5
    Q = X[rng.choice(len(X), 50, replace=False)] + 1e-3 * rng.standard_normal((50, 32))
    expected = reference_kneighbors(X, Q, 12, None)
    dist, ind = _query(monkeypatch, X, Q, 12, query_block=16, tile_rows=100)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_bf16
@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(30, 200),
    d=st.integers(32, 64),
    k=st.integers(1, 10),
    levels=st.integers(2, 4),
    tile=st.integers(20, 90),
    block=st.integers(1, 40),
    seed=st.integers(0, 2**16),
)
def test_bfloat16_pass_on_tie_heavy_grids(n, d, k, levels, tile, block, seed):
    """Rows on a coarse grid (many exact ties, many rows inside the margin): the reference."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)).astype(np.float64)
    Q = rng.integers(0, levels, size=(13, d)).astype(np.float32)
    exclude = rng.integers(-1, n, size=13)
    k = min(k, n - 1)
    expected = reference_kneighbors(X, Q, k, exclude)
    with pytest.MonkeyPatch.context() as patch:
        dist, ind = _query(patch, X, Q, k, exclude, query_block=block, tile_rows=tile)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_bf16
def test_bfloat16_and_float32_passes_agree_across_threads(monkeypatch):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3000, 64)).astype(np.float32)
    Q = rng.standard_normal((400, 64)).astype(np.float32)
    answers = []
    for simd, jobs in (("bf16", 1), ("bf16", 2), ("fp32", 2)):
        monkeypatch.setenv("SMOTEKIT_FUSED", "1")
        monkeypatch.setenv("SMOTEKIT_SIMD", simd)
        engine = ExactNeighbors(n_jobs=jobs, symmetric=False, query_block=64).fit(X)
        answers.append(engine.kneighbors(Q, 7))
    for dist, ind in answers[1:]:
        np.testing.assert_array_equal(ind, answers[0][1])
        np.testing.assert_array_equal(dist, answers[0][0])


@needs_bf16
def test_self_queries_keep_float32_products(monkeypatch):
    """The symmetric pass stays float32 (a bfloat16 form measured no faster)."""
    monkeypatch.setenv("SMOTEKIT_FUSED", "1")
    monkeypatch.setenv("SMOTEKIT_SIMD", "bf16")
    monkeypatch.setattr(_bf16, "pack_panels", None)  # would fail if called
    X = np.random.default_rng(2).standard_normal((400, 24))
    dist, ind = ExactNeighbors(query_block=64).fit(X).kneighbors(None, 5)
    np.testing.assert_array_equal(ind, reference_kneighbors(X, X, 5, np.arange(400))[1])


@needs_bf16
@pytest.mark.parametrize("jobs", [1, 2])
def test_too_coarse_bfloat16_falls_back_to_float32(monkeypatch, jobs):
    """Two tight clusters far from the centre: every row of a cluster lies inside the
    bfloat16 margin, the lists outgrow their cap, and the search reruns in float32."""
    raised = []
    real_grow = _simd.SimdBlockState._grow

    def counted(self):
        try:
            real_grow(self)
        except _bf16.TooCoarse:
            raised.append(self.start)
            raise

    monkeypatch.setattr(_simd.SimdBlockState, "_grow", counted)
    rng = np.random.default_rng(4)
    X = 0.1 * rng.standard_normal((1400, 32))
    X[:700, 0] += 1e3
    X[700:, 0] -= 1e3
    Q = X[::9] + 0.01
    expected = reference_kneighbors(X, Q, 10, None)
    dist, ind = _query(monkeypatch, X, Q, 10, n_jobs=jobs, query_block=40, tile_rows=300)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)
    assert raised  # the bfloat16 attempt gave up


@needs_bf16
def test_the_intrinsics_operand_form_is_found_by_compiling_it():
    assert _bf16._operand_type() in ("bfloat", "i32")


def test_no_bfloat16_when_no_operand_form_compiles(monkeypatch):
    _bf16.available.cache_clear()
    _bf16.preferred.cache_clear()
    monkeypatch.setattr(_bf16, "_operand_type", lambda: None)
    try:
        assert not _bf16.available()
        assert not _bf16.preferred()
        for setting in ("1", "bf16"):
            monkeypatch.setenv("SMOTEKIT_SIMD", setting)
            assert not _bf16.enabled(64, 1.0)
    finally:
        _bf16.available.cache_clear()
        _bf16.preferred.cache_clear()


def test_bfloat16_by_default_only_where_measured_faster(monkeypatch):
    import llvmlite.binding as llvm

    _bf16.preferred.cache_clear()
    monkeypatch.setattr(_bf16, "available", lambda: True)
    try:
        for name, expected in (("znver4", True), ("sapphirerapids", False), ("x", False)):
            _bf16.preferred.cache_clear()
            monkeypatch.setattr(llvm, "get_host_cpu_name", lambda name=name: name)
            assert _bf16.preferred() is expected
            monkeypatch.setenv("SMOTEKIT_SIMD", "1")
            assert _bf16.enabled(64, 1.0) is expected
            monkeypatch.setenv("SMOTEKIT_SIMD", "bf16")
            assert _bf16.enabled(64, 1.0)
    finally:
        _bf16.preferred.cache_clear()
