"""The GPU backend (``neighbors="torch"``): the exact contract on the CPU device, and on CUDA."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification

torch = pytest.importorskip("torch", reason="the 'torch' backend needs PyTorch (extra [gpu])")

from test_backends import reference_kneighbors  # noqa: E402  (the one float64 reference)

from smotekit.neighbors import (  # noqa: E402
    ExactNeighbors,
    _torch,
    get_backend,
    search,
)
from smotekit.neighbors._torch import TorchNeighbors  # noqa: E402
from smotekit.over_sampling import ADASYN, SMOTE, BorderlineSMOTE  # noqa: E402

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device for torch")
DEVICES = ["cpu", pytest.param("cuda", marks=CUDA)]


def _datasets():
    rng = np.random.default_rng(42)
    yield "gaussian", rng.standard_normal((300, 12))
    yield "integer-grid-ties", rng.integers(0, 3, size=(250, 3)).astype(float)
    dup = rng.standard_normal((120, 5))
    yield "duplicates", np.vstack([dup, dup, dup[:30]])
    yield "float32", rng.standard_normal((200, 40)).astype(np.float32)
    yield "offset-scale", 1e4 + 1e-2 * rng.standard_normal((150, 6))
    yield "one-feature", rng.standard_normal((90, 1))
    yield "all-identical", np.ones((40, 3))
    # Beyond 1e15 the scores are float64; float32 ones could not tell these rows apart.
    yield "huge-float64", 1e16 + 2.0 * rng.integers(0, 50, size=(120, 3)).astype(float)


DATASETS = list(_datasets())
# (query_block, tile_rows): one-row tiles, one-query blocks, odd sizes, one tile for all.
BLOCKS = [(None, None), (5, 1), (1, 9), (7, 13), (64, 5000)]


def _check_equals_reference(X, Q, k, exclude, dist, ind):
    ref_dist, ref_ind = reference_kneighbors(X, X if Q is None else Q, k, exclude)
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-12, atol=0)
    assert dist.dtype == np.float64 and ind.dtype == np.int64


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("data_name, X", DATASETS, ids=[d[0] for d in DATASETS])
@pytest.mark.parametrize("k", [1, 5, 11])
def test_self_query_equals_float64_reference_and_exact_engine(device, data_name, X, k):
    dist, ind = TorchNeighbors(device=device).fit(X).kneighbors(None, k)
    _check_equals_reference(X, None, k, np.arange(X.shape[0]), dist, ind)
    assert not np.any(ind == np.arange(X.shape[0])[:, None])
    exact_dist, exact_ind = ExactNeighbors().fit(X).kneighbors(None, k)
    np.testing.assert_array_equal(ind, exact_ind)
    np.testing.assert_array_equal(dist, exact_dist)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("data_name, X", DATASETS[:4], ids=[d[0] for d in DATASETS[:4]])
def test_results_do_not_depend_on_block_sizes(device, data_name, X):
    X = X[:120]
    results = [
        TorchNeighbors(device=device, query_block=b, tile_rows=t).fit(X).kneighbors(None, 6)
        for b, t in BLOCKS
    ]
    for dist, ind in results[1:]:
        np.testing.assert_array_equal(ind, results[0][1])
        np.testing.assert_array_equal(dist, results[0][0])


@pytest.mark.parametrize("slack", [0, 1, 1000])
@pytest.mark.parametrize("data_name, X", DATASETS[:3], ids=[d[0] for d in DATASETS[:3]])
def test_correctness_does_not_depend_on_the_slack(monkeypatch, slack, data_name, X):
    """With no slack every tied query overflows its list and is searched again in full."""
    searched_again = []
    original = TorchNeighbors._all_under

    def spy(self, queries, *args):
        searched_again.append(queries.shape[0])
        return original(self, queries, *args)

    monkeypatch.setattr(_torch, "_SLACK", slack)
    monkeypatch.setattr(TorchNeighbors, "_all_under", spy)
    for b, t in [(None, None), (7, 13), (64, 5000)]:
        dist, ind = (
            TorchNeighbors(device="cpu", query_block=b, tile_rows=t).fit(X).kneighbors(None, 5)
        )
        _check_equals_reference(X, None, 5, np.arange(X.shape[0]), dist, ind)
    if slack == 0:
        assert sum(searched_again) > 0  # the second pass really ran
    if slack == 1000:
        assert searched_again == []  # every list holds all rows: nothing to search again


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("b, t", BLOCKS)
def test_queries_with_partial_exclusion(device, b, t):
    rng = np.random.default_rng(1)
    X = np.round(rng.standard_normal((150, 4)), 1)
    queries = rng.choice(150, size=40, replace=False)
    exclude = np.where(np.arange(40) % 2 == 0, queries, -1)
    engine = TorchNeighbors(device=device, query_block=b, tile_rows=t).fit(X)
    dist, ind = engine.kneighbors(X[queries], 6, exclude=exclude)
    _check_equals_reference(X, X[queries], 6, exclude, dist, ind)
    dist, ind = engine.kneighbors(X[queries], 6)
    _check_equals_reference(X, X[queries], 6, None, dist, ind)


@pytest.mark.parametrize("device", DEVICES)
def test_new_queries_of_other_dtypes_and_float32_data(device):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((500, 7)).astype(np.float32)
    Q = rng.integers(-2, 3, size=(80, 7))  # integers: converted to float64
    dist, ind = TorchNeighbors(device=device).fit(X).kneighbors(Q, 4)
    exact = ExactNeighbors().fit(X).kneighbors(Q, 4)
    np.testing.assert_array_equal(ind, exact[1])
    np.testing.assert_array_equal(dist, exact[0])
    _check_equals_reference(X, Q, 4, None, dist, ind)


@pytest.mark.parametrize("device", DEVICES)
def test_duplicates_are_found_as_neighbours_self_excluded_by_index(device):
    X = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    _, ind = TorchNeighbors(device=device).fit(X).kneighbors(None, 2)
    np.testing.assert_array_equal(ind[:3], [[1, 2], [0, 2], [0, 1]])


@pytest.mark.parametrize("device", DEVICES)
def test_every_other_row_as_neighbour(device):
    X = np.random.default_rng(2).standard_normal((30, 3))
    dist, ind = TorchNeighbors(device=device, tile_rows=4).fit(X).kneighbors(None, 29)
    _check_equals_reference(X, None, 29, np.arange(30), dist, ind)


def test_huge_values_use_float64_scores():
    X = dict(DATASETS)["huge-float64"]
    engine = TorchNeighbors(device="cpu").fit(X)
    assert engine._dtype == torch.float64
    assert TorchNeighbors(device="cpu").fit(X - 1e16)._dtype == torch.float32
    dist, ind = engine.kneighbors(None, 3)
    _check_equals_reference(X, None, 3, np.arange(X.shape[0]), dist, ind)


def test_tf32_setting_is_overridden_and_restored(monkeypatch):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((300, 30)).astype(np.float32)
    previous = torch.get_float32_matmul_precision()
    seen = []
    original = TorchNeighbors._scores

    def spy(self, *args):
        seen.append(torch.get_float32_matmul_precision())
        return original(self, *args)

    monkeypatch.setattr(TorchNeighbors, "_scores", spy)
    torch.set_float32_matmul_precision("high")
    try:
        dist, ind = TorchNeighbors(device="cpu").fit(X).kneighbors(None, 4)
        assert torch.get_float32_matmul_precision() == "high"
    finally:
        torch.set_float32_matmul_precision(previous)
    assert seen and set(seen) == {"highest"}
    _check_equals_reference(X, None, 4, np.arange(300), dist, ind)


def test_n_jobs_sets_torch_threads_only_during_a_search():
    X = np.random.default_rng(0).standard_normal((100, 4))
    before = torch.get_num_threads()
    dist, ind = TorchNeighbors(device="cpu", n_jobs=1).fit(X).kneighbors(None, 3)
    assert torch.get_num_threads() == before
    _check_equals_reference(X, None, 3, np.arange(100), dist, ind)


def test_small_memory_budget_gives_many_tiles_and_the_same_answer():
    X = np.random.default_rng(4).standard_normal((3000, 8))
    engine = TorchNeighbors(device="cpu", memory_fraction=1e-6).fit(X)
    block, tile = engine._block_sizes(3000, 3000)
    assert block * tile <= 1 << 17
    dist, ind = engine.kneighbors(None, 5)
    exact = ExactNeighbors().fit(X).kneighbors(None, 5)
    np.testing.assert_array_equal(ind, exact[1])
    np.testing.assert_array_equal(dist, exact[0])


def test_clear_errors():
    X = np.arange(10, dtype=float).reshape(5, 2)
    engine = TorchNeighbors(device="cpu")
    with pytest.raises(RuntimeError, match="not fitted"):
        engine.kneighbors(None, 1)
    engine.fit(X)
    with pytest.raises(ValueError, match="Cannot find 5 neighbours among 4 candidate rows"):
        engine.kneighbors(None, 5)
    with pytest.raises(ValueError, match=r"shape \(n_queries, 2\)"):
        engine.kneighbors(np.zeros((3, 3)), 1)
    with pytest.raises(ValueError, match="dense rows only"):
        TorchNeighbors(device="cpu").fit(sparse.csr_matrix(X))
    with pytest.raises(ValueError, match="NaN or infinity"):
        TorchNeighbors(device="cpu").fit(np.array([[0.0], [np.nan]]))
    with pytest.raises(ValueError, match="memory_fraction"):
        TorchNeighbors(device="cpu", memory_fraction=0.0).fit(X)
    empty = engine.kneighbors(np.empty((0, 2)), 2)
    assert empty[0].shape == (0, 2) and empty[1].dtype == np.int64


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_default_device_without_cuda_says_what_to_do():
    X = np.zeros((4, 2))
    with pytest.raises(RuntimeError, match="device='cpu'"):
        TorchNeighbors().fit(X)
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        TorchNeighbors(device="cuda").fit(X)


def test_missing_torch_is_a_clear_import_error(monkeypatch):
    """The module imports without torch (doctests, registry); building the backend fails clearly."""
    import smotekit.neighbors as package

    monkeypatch.setattr(package, "_torch", _torch)
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.delitem(sys.modules, "smotekit.neighbors._torch")
    module = importlib.import_module("smotekit.neighbors._torch")
    assert module.torch is None
    with pytest.raises(ImportError, match=r"pip install 'smotekit\[gpu\]'"):
        module.TorchNeighbors(device="cpu")


def test_registered_and_declares_its_capabilities():
    assert get_backend("torch") is TorchNeighbors
    assert TorchNeighbors.capabilities.exact and not TorchNeighbors.capabilities.sparse
    X = np.random.default_rng(0).standard_normal((60, 3))
    graph = search(X, None, 4, backend=TorchNeighbors(device="cpu"))
    assert graph.exact
    np.testing.assert_array_equal(graph.indices, search(X, None, 4, backend="exact").indices)


SAMPLERS = {
    "smote": lambda neighbors: SMOTE(random_state=0, neighbors=neighbors),
    "borderline-1": lambda neighbors: BorderlineSMOTE(random_state=0, neighbors=neighbors),
    "borderline-2": lambda neighbors: BorderlineSMOTE(
        kind="borderline-2", random_state=0, neighbors=neighbors
    ),
    "adasyn": lambda neighbors: ADASYN(random_state=0, neighbors=neighbors),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(SAMPLERS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_samplers_resample_exactly_as_with_the_exact_engine(device, name, dtype):
    X, y = make_classification(
        n_samples=1500, n_features=10, n_informative=5, weights=[0.9], random_state=0
    )
    X = X.astype(dtype)
    X[:40] = X[40:80]  # duplicated rows: ties across classes
    expected_X, expected_y = SAMPLERS[name]("exact").fit_resample(X, y)
    got_X, got_y = SAMPLERS[name](TorchNeighbors(device=device, tile_rows=256)).fit_resample(X, y)
    np.testing.assert_array_equal(got_y, expected_y)
    np.testing.assert_array_equal(got_X, expected_X)


@CUDA
def test_cuda_and_cpu_devices_agree_on_tied_data():
    rng = np.random.default_rng(9)
    X = rng.integers(0, 4, size=(5000, 6)).astype(np.float32)
    cpu = TorchNeighbors(device="cpu").fit(X).kneighbors(None, 7)
    gpu = TorchNeighbors(device="cuda").fit(X).kneighbors(None, 7)
    np.testing.assert_array_equal(gpu[1], cpu[1])
    np.testing.assert_array_equal(gpu[0], cpu[0])


@CUDA
def test_cuda_is_exact_even_when_tf32_is_allowed():
    rng = np.random.default_rng(10)
    X = (1e3 + rng.standard_normal((4000, 64))).astype(np.float32)
    previous = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("high")
    try:
        dist, ind = TorchNeighbors(device="cuda").fit(X).kneighbors(None, 5)
        assert torch.get_float32_matmul_precision() == "high"
    finally:
        torch.set_float32_matmul_precision(previous)
    exact = ExactNeighbors().fit(X).kneighbors(None, 5)
    np.testing.assert_array_equal(ind, exact[1])
    np.testing.assert_array_equal(dist, exact[0])
