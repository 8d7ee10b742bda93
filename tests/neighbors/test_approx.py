"""The approximate backends (faiss IVF and HNSW) against the backend contract."""

from __future__ import annotations

import sys

import faiss
import numpy as np
import pytest
from scipy import sparse

from smotekit.neighbors import ExactNeighbors, get_backend, search
from smotekit.neighbors._hnsw import HNSWNeighbors
from smotekit.neighbors._ivf import IVFNeighbors

BACKENDS = {
    "ivf": lambda: IVFNeighbors(),
    "ivf-one-thread": lambda: IVFNeighbors(n_jobs=1),
    "ivf-coarse": lambda: IVFNeighbors(n_lists=8, n_probe=2, random_state=3),
    "hnsw": lambda: HNSWNeighbors(),
    "hnsw-sparse-graph": lambda: HNSWNeighbors(M=4, ef_construction=8, ef_search=8),
}
DEFAULTS = ["ivf", "hnsw"]


def _datasets():
    rng = np.random.default_rng(42)
    yield "gaussian", rng.standard_normal((300, 12))
    yield "integer-grid-ties", rng.integers(0, 3, size=(250, 3)).astype(float)
    dup = rng.standard_normal((120, 5))
    yield "duplicates", np.vstack([dup, dup, dup[:30]])
    yield "float32", rng.standard_normal((200, 40)).astype(np.float32)
    yield "offset-scale", 1e4 + 1e-2 * rng.standard_normal((150, 6))
    yield "beyond-float32", 1e100 * rng.standard_normal((100, 4))
    yield "one-feature", rng.standard_normal((90, 1))


DATASETS = list(_datasets())
IDS = [d[0] for d in DATASETS]


def reference(X, Q, k, exclude):
    """Exact answer (ExactNeighbors: float64 reference, ties by index)."""
    return ExactNeighbors(n_jobs=1).fit(X).kneighbors(Q, k, exclude=exclude)


def true_distances(X, Q, indices, squared=False):
    diff = np.asarray(Q, dtype=np.float64)[:, None, :] - np.asarray(X, dtype=np.float64)[indices]
    dist_sq = np.square(diff).sum(axis=-1)
    return dist_sq if squared else np.sqrt(dist_sq)


def tie_aware_recall(X, Q, k, exclude, indices):
    """Share of returned rows no farther than the exact k-th neighbour."""
    ref_dist, _ = reference(X, Q, k, exclude)
    dist = true_distances(X, Q, indices)
    return float(np.mean(dist <= ref_dist[:, -1:] * (1 + 1e-12)))


def check_contract(X, Q, k, exclude, dist, ind):
    n_queries = X.shape[0] if Q is None else Q.shape[0]
    assert dist.shape == ind.shape == (n_queries, k)
    assert dist.dtype == np.float64 and ind.dtype == np.int64
    assert np.all((ind >= 0) & (ind < X.shape[0]))
    # Each row distinct, the excluded row absent.
    assert all(len(set(row)) == k for row in ind.tolist())
    if exclude is not None:
        assert not np.any(ind == np.asarray(exclude)[:, None])
    # Distances are the exact Euclidean distances of the rows returned...
    Q = X if Q is None else Q
    np.testing.assert_allclose(dist, true_distances(X, Q, ind), rtol=1e-12)
    # ...sorted by (distance, index), as the exact engine orders them (squared distances).
    for d_row, i_row in zip(true_distances(X, Q, ind, squared=True), ind):
        order = np.lexsort((i_row, d_row))
        np.testing.assert_array_equal(order, np.arange(k))


@pytest.mark.parametrize("backend_name", list(BACKENDS))
@pytest.mark.parametrize("data_name, X", DATASETS, ids=IDS)
@pytest.mark.parametrize("k", [1, 5])
def test_self_query_follows_the_contract(backend_name, data_name, X, k):
    dist, ind = BACKENDS[backend_name]().fit(X).kneighbors(None, k)
    exclude = np.arange(X.shape[0])
    check_contract(X, None, k, exclude, dist, ind)


@pytest.mark.parametrize("backend_name", DEFAULTS)
@pytest.mark.parametrize("data_name, X", DATASETS, ids=IDS)
def test_defaults_reach_recall_095_on_the_contract_data(backend_name, data_name, X):
    _, ind = BACKENDS[backend_name]().fit(X).kneighbors(None, 5)
    exclude = np.arange(X.shape[0])
    assert tie_aware_recall(X, X, 5, exclude, ind) >= 0.95


@pytest.mark.parametrize("backend_name", DEFAULTS)
def test_defaults_reach_recall_095_where_the_search_is_really_approximate(backend_name):
    # 20 000 rows: IVF scans 96 of 283 cells; HNSW walks a graph.
    rng = np.random.default_rng(5)
    X = rng.standard_normal((20000, 12)) @ rng.standard_normal((12, 12))
    queries = rng.choice(X.shape[0], 400, replace=False)
    backend = BACKENDS[backend_name]().fit(X)
    dist, ind = backend.kneighbors(X[queries], 10, exclude=queries)
    check_contract(X, X[queries], 10, queries, dist, ind)
    assert tie_aware_recall(X, X[queries], 10, queries, ind) >= 0.95
    if backend_name == "ivf":
        assert backend.n_lists_ == 283 and backend.n_probe_ == 96


def test_a_coarse_index_really_is_approximate_and_still_follows_the_contract():
    rng = np.random.default_rng(9)
    X = rng.standard_normal((3000, 16))
    backend = IVFNeighbors(n_lists=60, n_probe=1).fit(X)
    dist, ind = backend.kneighbors(None, 8)
    check_contract(X, None, 8, np.arange(3000), dist, ind)
    recall = tie_aware_recall(X, X, 8, np.arange(3000), ind)
    assert 0.2 < recall < 0.95


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_queries_with_partial_exclusion(backend_name):
    rng = np.random.default_rng(1)
    X = np.round(rng.standard_normal((400, 4)), 1)
    queries = rng.choice(400, size=60, replace=False)
    exclude = np.where(np.arange(60) % 2 == 0, queries, -1)
    dist, ind = BACKENDS[backend_name]().fit(X).kneighbors(X[queries], 6, exclude=exclude)
    check_contract(X, X[queries], 6, exclude, dist, ind)
    if backend_name in DEFAULTS:
        # At the defaults, where nothing is excluded the query's own row (distance 0) is found.
        assert np.all(dist[exclude < 0, 0] == 0.0)


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_duplicates_are_found_as_neighbours_self_excluded_by_index(backend_name):
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    dist, ind = BACKENDS[backend_name]().fit(X).kneighbors(None, 2)
    np.testing.assert_array_equal(ind[:3], [[1, 2], [0, 2], [0, 1]])
    np.testing.assert_array_equal(dist[:3], 0.0)


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_too_many_neighbours_is_a_clear_error(backend_name):
    X = np.arange(10, dtype=float).reshape(5, 2)
    with pytest.raises(ValueError, match="Cannot find 5 neighbours among 4 candidate rows"):
        BACKENDS[backend_name]().fit(X).kneighbors(None, 5)


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_every_row_as_neighbour_and_empty_queries(backend_name):
    X = np.random.default_rng(2).standard_normal((7, 3))
    backend = BACKENDS[backend_name]().fit(X)
    dist, ind = backend.kneighbors(None, 6)
    ref_dist, ref_ind = reference(X, X, 6, np.arange(7))
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-12)
    dist, ind = backend.kneighbors(np.empty((0, 3)), 2)
    assert dist.shape == ind.shape == (0, 2)


def test_tiny_data_get_fewer_lists():
    X = np.random.default_rng(0).standard_normal((30, 2))
    assert IVFNeighbors().fit(X).n_lists_ == 1
    backend = IVFNeighbors(n_lists=500, n_probe=1).fit(X)
    assert backend.n_lists_ == 30 and backend.n_probe_ == 1
    # One row per cell and one cell probed: answers completed by exact search.
    dist, ind = backend.kneighbors(None, 3)
    ref_dist, ref_ind = reference(X, X, 3, np.arange(30))
    np.testing.assert_array_equal(ind, ref_ind)


@pytest.mark.parametrize("make", [IVFNeighbors, HNSWNeighbors])
def test_same_random_state_same_answers(make):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3000, 8))
    Q = rng.standard_normal((200, 8))
    options = {"n_lists": 100, "n_probe": 3} if make is IVFNeighbors else {"ef_search": 10}
    first = make(random_state=7, **options).fit(X).kneighbors(Q, 5)
    again = make(random_state=7, **options).fit(X).kneighbors(Q, 5)
    np.testing.assert_array_equal(first[1], again[1])
    np.testing.assert_array_equal(first[0], again[0])


def test_random_state_seeds_the_index():
    X = np.random.default_rng(4).standard_normal((3000, 8))

    def centroids(seed):
        index = IVFNeighbors(n_lists=50, random_state=seed).fit(X)._index
        return index.quantizer.reconstruct_n(0, 50)

    np.testing.assert_array_equal(centroids(1), centroids(1))
    assert not np.array_equal(centroids(1), centroids(2))


@pytest.mark.parametrize("make", [IVFNeighbors, HNSWNeighbors])
def test_faiss_thread_setting_is_restored(make):
    previous = faiss.omp_get_max_threads()
    try:
        faiss.omp_set_num_threads(1)
        X = np.random.default_rng(0).standard_normal((12000, 4))
        make(n_jobs=2).fit(X).kneighbors(X[:2000], 3)
        assert faiss.omp_get_max_threads() == 1
    finally:
        faiss.omp_set_num_threads(previous)


@pytest.mark.parametrize("make", [IVFNeighbors, HNSWNeighbors])
def test_bad_input_is_refused_clearly(make):
    X = np.random.default_rng(0).standard_normal((50, 3))
    with pytest.raises(TypeError, match="dense rows only"):
        make().fit(sparse.csr_matrix(X))
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        make().fit(bad)
    with pytest.raises(ValueError, match=r"shape \(n_queries, 3\)"):
        make().fit(X).kneighbors(X[:, :2], 2)


def test_bad_parameters_are_refused_clearly():
    X = np.random.default_rng(0).standard_normal((50, 3))
    with pytest.raises(ValueError, match="n_probe must be a positive int"):
        IVFNeighbors(n_probe=0).fit(X)
    with pytest.raises(ValueError, match="ef_search must be a positive int"):
        HNSWNeighbors(ef_search=0).fit(X)


@pytest.mark.parametrize("name", ["ivf", "hnsw"])
def test_registered_names_and_the_search_entry_point(name):
    X = np.random.default_rng(3).standard_normal((500, 6))
    backend = get_backend(name)(n_jobs=1)
    assert backend.exact is False and backend.capabilities.exact is False
    graph = search(X, None, 4, backend=name)
    assert graph.exact is False
    check_contract(X, None, 4, np.arange(500), graph.distances, graph.indices)


@pytest.mark.parametrize("make", [IVFNeighbors, HNSWNeighbors])
def test_missing_faiss_is_an_import_error_naming_the_extra(make, monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)
    with pytest.raises(ImportError, match=r"pip install 'smotekit\[approx\]'"):
        make()
