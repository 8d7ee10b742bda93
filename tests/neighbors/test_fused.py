"""The fused selection passes (numba; BLAS scores or SIMD micro-kernel) against the reference.

Three paths serve an exact search: numpy passes over BLAS score tiles, the fused
pass over BLAS score tiles (``SMOTEKIT_SIMD=0``), and the fused SIMD pass that
never writes a score tile.  Every test of the fused passes runs both.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_backends import DATASETS, reference_kneighbors

from smotekit.neighbors import ExactNeighbors, _bf16, _fused, _simd

needs_numba = pytest.mark.skipif(not _fused.AVAILABLE, reason="numba is not installed")
SIMD_SUPPORTED = _fused.AVAILABLE and _simd._host_supports()
WIDE_SIMD = _fused.AVAILABLE and _simd._host_vector() == 16
BF16 = WIDE_SIMD and _bf16.available()
BF16_BY_DEFAULT = WIDE_SIMD and _bf16.preferred()
#: The fused passes: over BLAS scores, SIMD with the CPU's widest vectors (bfloat16
#: where the CPU has AVX-512 BF16 and d >= 16), on an AVX-512 CPU SIMD with the
#: 8-float vectors that every AVX2 CPU runs, and with AVX-512 BF16 the float32 SIMD.
PASSES = [
    "blas",
    pytest.param(
        "simd", marks=pytest.mark.skipif(not SIMD_SUPPORTED, reason="no AVX2/FMA CPU or numba")
    ),
    pytest.param(
        "simd-avx2", marks=pytest.mark.skipif(not WIDE_SIMD, reason="the CPU has no AVX-512")
    ),
    pytest.param(
        "simd-fp32", marks=pytest.mark.skipif(not BF16, reason="the CPU has no AVX-512 BF16")
    ),
]
SETTINGS = {
    None: ("0", "0"),
    "blas": ("1", "0"),
    "simd": ("1", "1"),
    "simd-avx2": ("1", "avx2"),
    "simd-fp32": ("1", "fp32"),
}


def _use(monkeypatch, fused_pass: str | None) -> None:
    """Environment for one path: None (numpy), or one of :data:`PASSES`."""
    fused, simd = SETTINGS[fused_pass]
    monkeypatch.setenv("SMOTEKIT_FUSED", fused)
    monkeypatch.setenv("SMOTEKIT_SIMD", simd)
    assert _fused.enabled(1) is (fused_pass is not None and _fused.AVAILABLE)
    assert _simd.enabled(1) is (simd != "0" and SIMD_SUPPORTED)
    if fused_pass == "simd-avx2":
        assert _simd.lanes() == 16


def _query(monkeypatch, fused_pass: str | None, X, Q, k, exclude=None, **options):
    _use(monkeypatch, fused_pass)
    # symmetric=False: the fused pass serves the query path (self-queries included).
    engine = ExactNeighbors(symmetric=False, **options).fit(X)
    return engine.kneighbors(Q, k, exclude=exclude)


@needs_numba
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("k", [1, 4, 9])
def test_fused_and_numpy_paths_equal_the_reference(monkeypatch, data_name, X, k):
    queries = X[::3] + 0.25
    expected = reference_kneighbors(X, queries, k, None)
    for fused_pass in (None, "blas", "simd", "simd-avx2", "simd-fp32"):
        if (
            (fused_pass == "simd" and not SIMD_SUPPORTED)
            or (fused_pass == "simd-avx2" and not WIDE_SIMD)
            or (fused_pass == "simd-fp32" and not BF16)
        ):
            continue
        dist, ind = _query(monkeypatch, fused_pass, X, queries, k, query_block=16, tile_rows=37)
        np.testing.assert_array_equal(ind, expected[1])
        np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
def test_self_query_and_exclusion_by_index_with_duplicates(monkeypatch, fused_pass):
    rng = np.random.default_rng(3)
    base = rng.standard_normal((40, 4))
    X = np.vstack([base, base, base])  # every row has two exact twins
    exclude = np.arange(X.shape[0])
    expected = reference_kneighbors(X, X, 3, exclude)
    dist, ind = _query(monkeypatch, fused_pass, X, None, 3, tile_rows=16)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_array_equal(dist[:, :2], 0.0)  # the twins, found although excluded self


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
def test_candidate_lists_grow_when_many_rows_tie(monkeypatch, fused_pass):
    # 3000 identical rows: every one is within the margin of the k-th, far more than
    # the first capacity (2 k + 16) of each query's candidate list.
    X = np.vstack([np.ones((3000, 3)), np.zeros((5, 3))])
    Q = np.full((7, 3), 0.9)
    grown = []
    real_grow = _fused.FusedBlockState._grow

    def watched_grow(self) -> None:
        grown.append((type(self).__name__, self.cols.shape[1]))
        real_grow(self)

    monkeypatch.setattr(_fused.FusedBlockState, "_grow", watched_grow)
    dist, ind = _query(monkeypatch, fused_pass, X, Q, 5, tile_rows=4096)
    assert grown, "the candidate lists never grew"
    expected_state = "FusedBlockState" if fused_pass == "blas" else "SimdBlockState"
    assert {name for name, _ in grown} == {expected_state}
    np.testing.assert_array_equal(ind, np.tile(np.arange(5), (7, 1)))  # ties by index
    np.testing.assert_allclose(dist, np.sqrt(3 * 0.1**2))


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
def test_huge_values_use_float64_scores(monkeypatch, fused_pass):
    rng = np.random.default_rng(5)
    X = 1e16 * rng.standard_normal((200, 3))
    expected = reference_kneighbors(X, X[:50], 4, None)
    engine_dist, engine_ind = _query(monkeypatch, fused_pass, X, X[:50], 4, tile_rows=33)
    np.testing.assert_array_equal(engine_ind, expected[1])


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(12, 120),
    d=st.integers(1, 6),
    k=st.integers(1, 8),
    levels=st.integers(2, 5),
    tile=st.integers(9, 64),
    block=st.integers(1, 40),
    seed=st.integers(0, 2**16),
)
def test_fused_equals_reference_on_tie_heavy_grids(fused_pass, n, d, k, levels, tile, block, seed):
    """Any block and tile sizes, rows on a coarse grid (many exact ties): the reference."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)).astype(np.float64)
    Q = rng.integers(0, levels, size=(17, d)).astype(np.float32)
    exclude = rng.integers(-1, n, size=17)
    k = min(k, n - 1)
    expected = reference_kneighbors(X, Q, k, exclude)
    with pytest.MonkeyPatch.context() as patch:
        dist, ind = _query(patch, fused_pass, X, Q, k, exclude, query_block=block, tile_rows=tile)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


def test_small_searches_take_the_numpy_path_unless_forced(monkeypatch):
    monkeypatch.delenv("SMOTEKIT_FUSED", raising=False)
    assert not _fused.enabled(_fused.MIN_PAIRS - 1)
    assert _fused.enabled(_fused.MIN_PAIRS) is _fused.AVAILABLE
    monkeypatch.setenv("SMOTEKIT_FUSED", "0")
    assert not _fused.enabled(10**12)


def test_numpy_path_when_numba_is_absent(monkeypatch):
    monkeypatch.setattr(_fused, "AVAILABLE", False)
    assert not _fused.enabled()
    rng = np.random.default_rng(11)
    X = rng.standard_normal((300, 5))
    expected = reference_kneighbors(X, X[:40], 6, None)
    dist, ind = ExactNeighbors(symmetric=False, tile_rows=50).fit(X).kneighbors(X[:40], 6)
    np.testing.assert_array_equal(ind, expected[1])


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("jobs, block", [(1, 16), (2, 13), (2, 64)])
def test_symmetric_fused_self_query_equals_the_reference(
    monkeypatch, fused_pass, data_name, X, jobs, block
):
    _use(monkeypatch, fused_pass)  # "simd": the symmetric SIMD pass
    expected = reference_kneighbors(X, X, 5, np.arange(X.shape[0]))
    dist, ind = ExactNeighbors(n_jobs=jobs, query_block=block).fit(X).kneighbors(None, 5)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES)
def test_symmetric_fused_lists_grow_on_both_sides(monkeypatch, fused_pass):
    _use(monkeypatch, fused_pass)
    grown = []
    real_grow = _fused.FusedBlockState._grow

    def watched_grow(self) -> None:
        grown.append(type(self).__name__)
        real_grow(self)

    monkeypatch.setattr(_fused.FusedBlockState, "_grow", watched_grow)
    X = np.vstack([np.ones((400, 2)), np.arange(10.0)[:, None] * np.ones((10, 2)) + 3])
    expected = reference_kneighbors(X, X, 4, np.arange(X.shape[0]))
    dist, ind = ExactNeighbors(n_jobs=2, query_block=32).fit(X).kneighbors(None, 4)
    np.testing.assert_array_equal(ind, expected[1])
    assert set(grown) == {"FusedBlockState" if fused_pass == "blas" else "PairBlockState"}


@needs_numba
@pytest.mark.parametrize("fused_pass", PASSES[1:])
@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(8, 150),
    d=st.integers(1, 5),
    k=st.integers(1, 7),
    levels=st.integers(2, 4),
    block=st.integers(1, 50),
    jobs=st.sampled_from([1, 2]),
    seed=st.integers(0, 2**16),
)
def test_symmetric_simd_equals_reference_on_tie_heavy_grids(
    fused_pass, n, d, k, levels, block, jobs, seed
):
    """Any block size, rows on a coarse grid (exact ties, twins): the reference, ties by index."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)).astype(np.float64)
    k = min(k, n - 1)
    expected = reference_kneighbors(X, X, k, np.arange(n))
    with pytest.MonkeyPatch.context() as patch:
        _use(patch, fused_pass)
        dist, ind = ExactNeighbors(n_jobs=jobs, query_block=block).fit(X).kneighbors(None, k)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


def test_panels_pad_with_rows_that_score_infinity():
    rows = np.arange(2 * 21, dtype=np.float32).reshape(21, 2)
    packed = _simd.pack_panels(rows, 16)
    assert packed.shape == (2, 2, 16) and packed.dtype == np.float32
    unpacked = packed.transpose(0, 2, 1).reshape(-1, 2)
    np.testing.assert_array_equal(unpacked[:21], rows)
    query = np.array([-3.0, 1.0], dtype=np.float32)  # an augmented query [-q, 1]
    assert np.isinf(unpacked[21:] @ query).all()
    assert _simd.pad_rows(rows).shape == (24, 2)


@pytest.mark.parametrize("fused_pass", PASSES[1:])
@pytest.mark.parametrize("d", [1, 2, 7, 20, 64, 129])
def test_simd_pass_serves_float32_searches_of_any_width(monkeypatch, fused_pass, d):
    calls = []
    real_absorb = _simd.SimdBlockState.absorb_panels

    def counted(self, packed, offset, n_valid):
        calls.append(packed.shape)
        real_absorb(self, packed, offset, n_valid)

    monkeypatch.setattr(_simd.SimdBlockState, "absorb_panels", counted)
    rng = np.random.default_rng(d)
    X = rng.standard_normal((203, d))
    Q = rng.standard_normal((31, d))
    expected = reference_kneighbors(X, Q, 7, None)
    dist, ind = _query(monkeypatch, fused_pass, X, Q, 7, query_block=11, tile_rows=50)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)
    bfloat16 = fused_pass == "simd" and BF16_BY_DEFAULT and d >= _bf16.MIN_FEATURES
    width = _bf16.width(d) if bfloat16 else d + 1
    assert calls and all(shape[1:] == (width, _simd.lanes()) for shape in calls)


@pytest.mark.skipif(not SIMD_SUPPORTED, reason="no AVX2/FMA CPU or numba")
def test_simd_pass_leaves_float64_scores_to_the_blas_path(monkeypatch):
    monkeypatch.setattr(_simd.SimdBlockState, "absorb_panels", None)  # would fail if called
    rng = np.random.default_rng(8)
    X = 1e16 * rng.standard_normal((120, 3))
    expected = reference_kneighbors(X, X[:20], 3, None)
    dist, ind = _query(monkeypatch, "simd", X, X[:20], 3, tile_rows=40)
    np.testing.assert_array_equal(ind, expected[1])


def test_simd_pass_is_off_when_asked_or_unsupported(monkeypatch):
    monkeypatch.setenv("SMOTEKIT_FUSED", "1")
    monkeypatch.setenv("SMOTEKIT_SIMD", "0")
    assert not _simd.enabled(10**12)
    monkeypatch.delenv("SMOTEKIT_SIMD")
    monkeypatch.setattr(_simd, "_host_supports", lambda: False)
    assert not _simd.enabled(10**12)


@pytest.mark.parametrize("fused_pass", PASSES[1:])
def test_simd_searches_run_at_once_from_several_threads(monkeypatch, fused_pass):
    """Each block keeps its own scratch: searches from a thread pool give the reference."""
    from concurrent.futures import ThreadPoolExecutor

    _use(monkeypatch, fused_pass)
    rng = np.random.default_rng(21)
    X = np.round(rng.standard_normal((900, 6)), 1)  # ties
    queries = [rng.standard_normal((70, 6)) for _ in range(6)]
    expected = [reference_kneighbors(X, Q, 5, None)[1] for Q in queries]

    def one(Q):
        return ExactNeighbors(n_jobs=2, query_block=16, tile_rows=96).fit(X).kneighbors(Q, 5)[1]

    with ThreadPoolExecutor(max_workers=3) as pool:
        found = list(pool.map(one, queries))
    for got, want in zip(found, expected):
        np.testing.assert_array_equal(got, want)
