"""One contract suite run over every neighbour backend."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from smotekit.neighbors import (
    ExactNeighbors,
    KNeighborsAdapter,
    NeighborGraph,
    TreeNeighbors,
    available_backends,
    get_backend,
    register_backend,
    reuse_neighbor_graphs,
    search,
)


def reference_kneighbors(X, Q, k, exclude):
    """float64 brute force by direct differences; ties broken by index."""
    X = np.asarray(X, dtype=np.float64)
    Q = np.asarray(Q, dtype=np.float64)
    d2 = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)
    if exclude is not None:
        rows = np.flatnonzero(exclude >= 0)
        d2[rows, exclude[rows]] = np.inf
    index = np.broadcast_to(np.arange(X.shape[0]), d2.shape)
    order = np.lexsort((index, d2), axis=-1)[:, :k]
    return np.sqrt(np.take_along_axis(d2, order, axis=1)), order


BACKENDS = {
    "exact-default": lambda: ExactNeighbors(),
    "exact-tiny-blocks": lambda: ExactNeighbors(n_jobs=2, query_block=16, tile_rows=7),
    "exact-one-thread": lambda: ExactNeighbors(n_jobs=1, query_block=33, tile_rows=50),
    "exact-not-symmetric": lambda: ExactNeighbors(query_block=16, tile_rows=40, symmetric=False),
    "exact-symmetric-odd-blocks": lambda: ExactNeighbors(n_jobs=2, query_block=13),
    "tree": lambda: TreeNeighbors(),
}


def _datasets():
    rng = np.random.default_rng(42)
    yield "gaussian", rng.standard_normal((300, 12))
    yield "integer-grid-ties", rng.integers(0, 3, size=(250, 3)).astype(float)
    dup = rng.standard_normal((120, 5))
    yield "duplicates", np.vstack([dup, dup, dup[:30]])
    yield "float32", rng.standard_normal((200, 40)).astype(np.float32)
    yield "offset-scale", 1e4 + 1e-2 * rng.standard_normal((150, 6))
    yield "one-feature", rng.standard_normal((90, 1))


DATASETS = list(_datasets())


@pytest.mark.parametrize("backend_name", list(BACKENDS))
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("k", [1, 5, 11])
def test_self_query_equals_float64_reference(backend_name, data_name, X, k):
    dist, ind = BACKENDS[backend_name]().fit(X).kneighbors(None, k)
    ref_dist, ref_ind = reference_kneighbors(X, X, k, np.arange(X.shape[0]))
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-6, atol=1e-9)
    assert not np.any(ind == np.arange(X.shape[0])[:, None])


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_queries_with_partial_exclusion(backend_name):
    rng = np.random.default_rng(1)
    X = np.round(rng.standard_normal((400, 4)), 1)
    queries = rng.choice(400, size=60, replace=False)
    exclude = np.where(np.arange(60) % 2 == 0, queries, -1)
    dist, ind = BACKENDS[backend_name]().fit(X).kneighbors(X[queries], 6, exclude=exclude)
    ref_dist, ref_ind = reference_kneighbors(X, X[queries], 6, exclude)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-6, atol=1e-9)


def test_duplicates_are_found_as_neighbours_self_excluded_by_index():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    for make in BACKENDS.values():
        _, ind = make().fit(X).kneighbors(None, 2)
        np.testing.assert_array_equal(ind[:3], [[1, 2], [0, 2], [0, 1]])


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_too_many_neighbours_is_a_clear_error(backend_name):
    X = np.arange(10, dtype=float).reshape(5, 2)
    with pytest.raises(ValueError, match="Cannot find 5 neighbours among 4 candidate rows"):
        BACKENDS[backend_name]().fit(X).kneighbors(None, 5)


def test_sparse_input_matches_dense():
    rng = np.random.default_rng(3)
    dense = rng.standard_normal((150, 30)) * (rng.random((150, 30)) < 0.2)
    d1, i1 = ExactNeighbors(tile_rows=20).fit(sparse.csr_matrix(dense)).kneighbors(None, 4)
    d2, i2 = ExactNeighbors().fit(dense).kneighbors(None, 4)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_allclose(d1, d2)


def test_results_do_not_depend_on_threads_or_blocks():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((1500, 16)).astype(np.float32)
    results = [
        ExactNeighbors(n_jobs=jobs, query_block=block, tile_rows=tile).fit(X).kneighbors(None, 5)
        for jobs, block, tile in [(1, 1024, 8192), (2, 64, 100), (2, 17, 1499), (1, 5, 3)]
    ] + [ExactNeighbors(symmetric=False, n_jobs=2).fit(X).kneighbors(None, 5)]
    for dist, ind in results[1:]:
        np.testing.assert_array_equal(ind, results[0][1])
        np.testing.assert_array_equal(dist, results[0][0])


def test_adapter_wraps_sklearn_objects_and_drops_self_by_index():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    adapter = KNeighborsAdapter(NearestNeighbors()).fit(X)
    _, ind = adapter.kneighbors(None, 4)
    _, ref = reference_kneighbors(X, X, 4, np.arange(80))
    np.testing.assert_array_equal(ind, ref)


def test_registry_names_errors_and_plugins():
    assert {"auto", "exact", "tree"} <= set(available_backends())
    with pytest.raises(ValueError, match="Unknown neighbour backend 'nope'"):
        get_backend("nope")
    register_backend("exact-copy", lambda n_jobs=None: ExactNeighbors(n_jobs=n_jobs))
    X = np.random.default_rng(0).standard_normal((30, 2))
    graph = search(X, None, 3, backend="exact-copy")
    assert isinstance(graph, NeighborGraph) and graph.k == 3 and graph.exact
    with pytest.raises(TypeError, match="neighbors must be 'auto'"):
        search(X, None, 3, backend=3.5)


def test_auto_uses_tree_for_few_features_and_exact_otherwise():
    from smotekit.neighbors._search import make_backend

    assert isinstance(make_backend("auto", 100_000, 3), TreeNeighbors)
    assert isinstance(make_backend("auto", 100_000, 20), ExactNeighbors)


def test_graph_cache_serves_smaller_k_from_one_search():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    with reuse_neighbor_graphs(hint_k=9) as cache:
        graphs = {k: search(X, None, k) for k in (9, 3, 5, 7)}
    assert cache.searches == 1 and cache.hits == 3
    for k, graph in graphs.items():
        np.testing.assert_array_equal(graph.indices, search(X, None, k).indices)
    with reuse_neighbor_graphs() as cache:
        search(X, None, 3)
        search(X, None, 5)  # larger: searched again
        search(X[:100], None, 3)  # other data: searched again
        search(X, None, 4)
    assert cache.searches == 3 and cache.hits == 1


def test_progress_bar_is_shown_only_when_asked(capsys):
    import smotekit

    X = np.random.default_rng(0).normal(size=(3000, 4))
    with smotekit.config_context(progress=True):
        ExactNeighbors(query_block=32).fit(X).kneighbors(None, 3)
    assert "neighbours" in capsys.readouterr().err
    ExactNeighbors(query_block=32).fit(X).kneighbors(None, 3)
    assert capsys.readouterr().err == ""
    with pytest.raises(ValueError, match="Unknown smotekit option"):
        with smotekit.config_context(colour=True):
            pass
