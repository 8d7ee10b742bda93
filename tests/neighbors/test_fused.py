"""The fused selection pass (numba) against the numpy path and the float64 reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_backends import DATASETS, reference_kneighbors

from smotekit.neighbors import ExactNeighbors, _fused

needs_numba = pytest.mark.skipif(not _fused.AVAILABLE, reason="numba is not installed")


def _query(monkeypatch, fused: bool, X, Q, k, exclude=None, **options):
    monkeypatch.setenv("SMOTEKIT_FUSED", "1" if fused else "0")
    assert _fused.enabled(1) is (fused and _fused.AVAILABLE)
    # symmetric=False: the fused pass serves the query path (self-queries included).
    engine = ExactNeighbors(symmetric=False, **options).fit(X)
    return engine.kneighbors(Q, k, exclude=exclude)


@needs_numba
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("k", [1, 4, 9])
def test_fused_and_numpy_paths_equal_the_reference(monkeypatch, data_name, X, k):
    queries = X[::3] + 0.25
    expected = reference_kneighbors(X, queries, k, None)
    for fused in (True, False):
        dist, ind = _query(monkeypatch, fused, X, queries, k, query_block=16, tile_rows=37)
        np.testing.assert_array_equal(ind, expected[1])
        np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_numba
def test_self_query_and_exclusion_by_index_with_duplicates(monkeypatch):
    rng = np.random.default_rng(3)
    base = rng.standard_normal((40, 4))
    X = np.vstack([base, base, base])  # every row has two exact twins
    exclude = np.arange(X.shape[0])
    expected = reference_kneighbors(X, X, 3, exclude)
    dist, ind = _query(monkeypatch, True, X, None, 3, tile_rows=16)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_array_equal(dist[:, :2], 0.0)  # the twins, found although excluded self


@needs_numba
def test_candidate_lists_grow_when_many_rows_tie(monkeypatch):
    # 3000 identical rows: every one is within the margin of the k-th, far more than
    # the first capacity (4 k + 32) of each query's candidate list.
    X = np.vstack([np.ones((3000, 3)), np.zeros((5, 3))])
    Q = np.full((7, 3), 0.9)
    state_type = _fused.FusedBlockState
    grown = []

    class Watched(state_type):
        def _grow(self) -> None:
            grown.append(self.cols.shape[1])
            super()._grow()

    monkeypatch.setattr(_fused, "FusedBlockState", Watched)
    dist, ind = _query(monkeypatch, True, X, Q, 5, tile_rows=4096)
    assert grown, "the candidate lists never grew"
    np.testing.assert_array_equal(ind, np.tile(np.arange(5), (7, 1)))  # ties by index
    np.testing.assert_allclose(dist, np.sqrt(3 * 0.1**2))


@needs_numba
def test_huge_values_use_float64_scores(monkeypatch):
    rng = np.random.default_rng(5)
    X = 1e16 * rng.standard_normal((200, 3))
    expected = reference_kneighbors(X, X[:50], 4, None)
    engine_dist, engine_ind = _query(monkeypatch, True, X, X[:50], 4, tile_rows=33)
    np.testing.assert_array_equal(engine_ind, expected[1])


@needs_numba
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
def test_fused_equals_reference_on_tie_heavy_grids(n, d, k, levels, tile, block, seed):
    """Any block and tile sizes, rows on a coarse grid (many exact ties): the reference."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)).astype(np.float64)
    Q = rng.integers(0, levels, size=(17, d)).astype(np.float32)
    exclude = rng.integers(-1, n, size=17)
    k = min(k, n - 1)
    expected = reference_kneighbors(X, Q, k, exclude)
    with pytest.MonkeyPatch.context() as patch:
        dist, ind = _query(patch, True, X, Q, k, exclude, query_block=block, tile_rows=tile)
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
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("jobs, block", [(1, 16), (2, 13), (2, 64)])
def test_symmetric_fused_self_query_equals_the_reference(monkeypatch, data_name, X, jobs, block):
    monkeypatch.setenv("SMOTEKIT_FUSED", "1")
    expected = reference_kneighbors(X, X, 5, np.arange(X.shape[0]))
    dist, ind = ExactNeighbors(n_jobs=jobs, query_block=block).fit(X).kneighbors(None, 5)
    np.testing.assert_array_equal(ind, expected[1])
    np.testing.assert_allclose(dist, expected[0], rtol=1e-12, atol=1e-12)


@needs_numba
def test_symmetric_fused_lists_grow_on_both_sides(monkeypatch):
    monkeypatch.setenv("SMOTEKIT_FUSED", "1")
    X = np.vstack([np.ones((400, 2)), np.arange(10.0)[:, None] * np.ones((10, 2)) + 3])
    expected = reference_kneighbors(X, X, 4, np.arange(X.shape[0]))
    dist, ind = ExactNeighbors(n_jobs=2, query_block=32).fit(X).kneighbors(None, 4)
    np.testing.assert_array_equal(ind, expected[1])
