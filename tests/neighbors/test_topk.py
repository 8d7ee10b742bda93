"""The one top-k rule: associative and commutative merges under the (distance, index) order."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.neighbors import NeighborGraph, merge_top_k, search, top_k_pairs


def brute(X, Q, exclude, k):
    d2 = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    d2[np.arange(Q.shape[0]), exclude] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(X.shape[0]), d2.shape), d2), axis=-1)[:, :k]
    return order


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(12, 60),
    k=st.integers(1, 5),
    cuts=st.lists(st.integers(1, 59), min_size=1, max_size=4, unique=True),
    seed=st.integers(0, 10_000),
    ties=st.booleans(),
)
def test_partitioned_search_merged_in_any_shape_is_the_exact_graph(n, k, cuts, seed, ties):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(n, 2)).astype(float) if ties else rng.normal(size=(n, 2))
    queries = np.arange(0, n, 3)
    bounds = sorted({0, n, *[c for c in cuts if c < n]})
    parts = []
    for lo, hi in itertools.pairwise(bounds):
        if hi - lo <= k:
            continue
        inside = (queries >= lo) & (queries < hi)
        g = search(
            X[lo:hi], X[queries], k, exclude=np.where(inside, queries - lo, -1), backend="exact"
        )
        parts.append(NeighborGraph(g.distances, g.indices + lo))
    if not parts:
        return
    # Rows of skipped (tiny) parts are added as one more part, searched whole.
    covered = np.zeros(n, bool)
    for lo, hi in itertools.pairwise(bounds):
        covered[lo:hi] = hi - lo > k
    rest = np.flatnonzero(~covered)
    if rest.size:
        d = np.sqrt(((X[queries][:, None, :] - X[rest][None, :, :]) ** 2).sum(-1))
        d[queries[:, None] == rest[None, :]] = np.inf
        parts.append(NeighborGraph(d, np.broadcast_to(rest, d.shape).copy()))
    expected = brute(X, X[queries], queries, k)
    one_way = merge_top_k(parts, k)
    other_way = merge_top_k(parts[::-1], k)
    nested = (
        merge_top_k(
            [merge_top_k(parts[: len(parts) // 2 or 1], k), *parts[len(parts) // 2 or 1 :]], k
        )
        if len(parts) > 1
        else one_way
    )
    for graph in (one_way, other_way, nested):
        np.testing.assert_array_equal(graph.indices, expected)
    np.testing.assert_array_equal(one_way.distances, other_way.distances)


def test_top_k_pairs_orders_by_distance_then_index():
    d, i = top_k_pairs(
        np.array([0, 0, 0, 0]), np.array([1.0, 1.0, 0.5, 1.0]), np.array([9, 3, 7, 5]), 1, 3
    )
    np.testing.assert_array_equal(i, [[7, 3, 5]])
    np.testing.assert_allclose(d, np.sqrt([[0.5, 1.0, 1.0]]))


def test_merge_counts_a_row_listed_twice_once():
    a = NeighborGraph(np.array([[1.0, 2.0]]), np.array([[4, 5]]))
    merged = merge_top_k([a, a], 2)
    np.testing.assert_array_equal(merged.indices, [[4, 5]])


def test_a_backend_that_cannot_search_sparse_rows_says_so():
    import pytest
    from scipy import sparse

    from smotekit import SMOTE
    from smotekit.neighbors import ExactNeighbors, TreeNeighbors, capabilities_of

    assert capabilities_of(ExactNeighbors()).sparse and not capabilities_of(TreeNeighbors()).sparse
    X = sparse.random(60, 4, density=0.5, random_state=0, format="csr")
    y = np.array([0] * 45 + [1] * 15)
    with pytest.raises(ValueError, match="'tree' does not search sparse X"):
        SMOTE(neighbors="tree", random_state=0).fit_resample(X, y)
    assert SMOTE(neighbors="exact", random_state=0).fit_resample(X, y)[0].shape == (90, 4)
