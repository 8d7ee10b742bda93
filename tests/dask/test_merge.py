"""The per-partition top-k and its merge: exact, associative and commutative.

Any split of the rows into partitions, any order and any grouping of the
merges must give the brute-force float64 answer, ties broken by the smaller
global row number, with every neighbour's label carried along.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("dask")

from smotekit.dask._partition import merge_answers, partition_answer
from smotekit.neighbors import search


def brute_force(X, queries, query_rows, k):
    d = np.square(queries[:, None, :].astype(np.float64) - X[None, :, :]).sum(axis=2)
    d[np.arange(len(query_rows)), query_rows] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(X.shape[0]), d.shape), d), axis=1)[:, :k]
    return np.take_along_axis(d, order, axis=1), order


def answers_for(X, labels, cuts, query_rows, k):
    bounds = [0, *cuts, X.shape[0]]
    queries = X[query_rows]
    return [
        partition_answer(X[a:b], labels[a:b], a, queries, query_rows, k)
        for a, b in itertools.pairwise(bounds)
    ]


def merge_in_tree(answers, k, rng):
    """Merge in a random order and random grouping."""
    answers = [answers[i] for i in rng.permutation(len(answers))]
    while len(answers) > 1:
        size = int(rng.integers(2, 4))
        answers = [merge_answers(answers[i : i + size], k) for i in range(0, len(answers), size)]
    return merge_answers(answers, k)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(8, 60),
    d=st.integers(1, 4),
    k=st.integers(1, 6),
    n_parts=st.integers(1, 7),
    seed=st.integers(0, 2**31 - 1),
)
def test_any_partitioning_and_merge_tree_gives_the_exact_answer(n, d, k, n_parts, seed):
    rng = np.random.default_rng(seed)
    k = min(k, n - 1)
    X = rng.integers(-2, 3, size=(n, d)).astype(np.float64)  # many exact ties
    labels = rng.integers(0, 3, n)
    cuts = sorted(rng.choice(np.arange(0, n + 1), size=n_parts - 1).tolist())  # empty parts too
    query_rows = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False))
    answers = answers_for(X, labels, cuts, query_rows, k)
    merged = merge_in_tree(answers, k, rng)
    want_d, want_i = brute_force(X, X[query_rows], query_rows, k)
    np.testing.assert_array_equal(merged.indices, want_i)
    np.testing.assert_array_equal(merged.distances, want_d)
    np.testing.assert_array_equal(merged.labels, labels[want_i])
    # commutative and associative: another random tree, the same answer
    again = merge_in_tree(answers, k, np.random.default_rng(seed + 1))
    np.testing.assert_array_equal(again.indices, merged.indices)
    np.testing.assert_array_equal(again.distances, merged.distances)


def test_equals_the_in_memory_engine_on_real_valued_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 6))
    labels = rng.integers(0, 2, 3000)
    query_rows = np.flatnonzero(labels == 1)
    answers = answers_for(X, labels, [700, 701, 2100], query_rows, 5)
    merged = merge_answers(answers, 5)
    graph = search(X, X[query_rows], 5, exclude=query_rows, backend="exact")
    np.testing.assert_array_equal(merged.indices, graph.indices)
    np.testing.assert_array_equal(np.sqrt(merged.distances), graph.distances)


def test_merging_a_block_of_queries_at_a_time_changes_nothing(monkeypatch):
    import smotekit.dask._partition as partition

    rng = np.random.default_rng(1)
    X = rng.integers(-2, 3, size=(400, 3)).astype(np.float64)
    labels = rng.integers(0, 3, 400)
    query_rows = np.sort(rng.choice(400, size=150, replace=False))
    answers = answers_for(X, labels, [50, 51, 300], query_rows, 6)
    whole = merge_answers(answers, 6)
    monkeypatch.setattr(partition, "_MERGE_BLOCK", 7)
    blocked = merge_answers(answers, 6)
    want_d, want_i = brute_force(X, X[query_rows], query_rows, 6)
    for found in (whole, blocked):
        np.testing.assert_array_equal(found.indices, want_i)
        np.testing.assert_array_equal(found.distances, want_d)
        np.testing.assert_array_equal(found.labels, labels[want_i])
