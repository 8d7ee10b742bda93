"""The catalogue of the 27 benchmark datasets, and the recomputation of its checksums.

Run this file as a script (``python tests/datasets/test_datasets_catalog.py``) to print the
catalogue values recomputed from ``../shared/data``: that is how the numbers in
``src/smotekit/datasets/_catalog.py`` were produced.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from smotekit.datasets import BENCHMARK_DATASETS, DatasetInfo, content_sha256
from smotekit.datasets._catalog import resolve

EXACT = [info for info in BENCHMARK_DATASETS if info.provenance == "exact"]
CONVERTED = [info for info in BENCHMARK_DATASETS if info.provenance == "converted"]
MISSING = [info for info in BENCHMARK_DATASETS if info.provenance == "missing"]


def test_catalogue_structure():
    assert [info.id for info in BENCHMARK_DATASETS] == list(range(1, 28))
    assert len({info.name for info in BENCHMARK_DATASETS}) == 27
    assert {info.name for info in CONVERTED} == {"scene", "coil_2000", "webpage"}
    assert {info.name for info in MISSING} == {"isolet", "protein_homo"}
    assert len(EXACT) == 22
    for info in EXACT:
        assert re.fullmatch("[0-9a-f]{64}", info.sha256)
        assert info.n_minority is not None
    for info in CONVERTED + MISSING:
        assert info.sha256 is None
    assert all(info.n_minority is None for info in MISSING)
    assert BENCHMARK_DATASETS[0].filename == "x1data.npz"


def test_documented_shapes():
    # imbalanced-learn's documented shapes of the two datasets not available here.
    shapes = {info.name: (info.n_samples, info.n_features) for info in BENCHMARK_DATASETS}
    assert shapes["isolet"] == (7797, 617)
    assert shapes["protein_homo"] == (145751, 74)
    assert shapes["webpage"] == (34780, 300)


@pytest.mark.parametrize("info", EXACT + CONVERTED, ids=lambda info: info.name)
def test_catalogue_matches_the_shared_copies(info, shared_arrays):
    X, y = shared_arrays(info.name)
    assert X.shape == (info.n_samples, info.n_features)
    assert np.count_nonzero(y == 1) == info.n_minority
    assert np.count_nonzero(y == -1) == info.n_samples - info.n_minority
    if info.sha256 is not None:
        assert content_sha256(X, y) == info.sha256
    assert info.problems(X, y) == []


def test_checksum_depends_on_values_order_and_labels_not_storage():
    X = np.arange(12.0).reshape(4, 3)
    y = np.array([1, -1, -1, -1])
    digest = content_sha256(X, y)
    assert content_sha256(X.astype(np.float32), y.astype(np.int8)) == digest
    assert content_sha256(np.asfortranarray(X), y.tolist()) == digest
    assert content_sha256(X[::-1], y[::-1]) != digest
    assert content_sha256(X, -y) != digest
    X2 = X.copy()
    X2[2, 1] = np.nextafter(X2[2, 1], np.inf)
    assert content_sha256(X2, y) != digest


def _toy_info(**changes: object) -> DatasetInfo:
    X, y = _toy()
    values = dict(
        id=99,
        name="toy",
        n_samples=10,
        n_features=2,
        n_minority=2,
        ratio=4.0,
        sha256=content_sha256(X, y),
        provenance="exact",
    )
    values.update(changes)
    return DatasetInfo(**values)


def _toy() -> tuple[np.ndarray, np.ndarray]:
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([1, 1] + [-1] * 8)
    return X, y


def test_problems_reports_each_kind_of_mismatch():
    X, y = _toy()
    info = _toy_info()
    assert info.problems(X, y) == []
    assert "shape (10, 3)" in info.problems(np.zeros((10, 3)), y)[0]
    assert "target has shape" in info.problems(X, y[:-1])[0]
    assert "labels [-1, 0, 1]" in info.problems(X, np.r_[y[:-1], 0])[0]
    assert "3 minority samples, expected 2" in info.problems(X, np.r_[1, y[:-1]])[0]
    X2 = X.copy()
    X2[0, 0] += 1
    assert "SHA-256" in info.problems(X2, y)[0]
    # Without a checksum only shape and counts are checked.
    assert _toy_info(sha256=None).problems(X2, y) == []
    # Without a minority count, the documented ratio is checked within 10 %.
    loose = _toy_info(sha256=None, n_minority=None)
    assert loose.problems(X, y) == []
    assert "imbalance ratio" in loose.problems(X, np.r_[1, y[:-1]])[0]


def test_resolve_names_and_ids():
    assert [i.name for i in resolve(None)] == [i.name for i in BENCHMARK_DATASETS]
    picked = resolve(["webpage", 1, "ecoli", np.int64(13)])
    assert [i.name for i in picked] == ["ecoli", "libras_move", "webpage"]
    assert [i.name for i in resolve("oil")] == ["oil"]
    assert [i.name for i in resolve(27)] == ["abalone_19"]
    assert resolve([]) == []


@pytest.mark.parametrize("bad", [["ecolii"], [0], [28], [True], ["ecoli", 1.0], "x1data"])
def test_resolve_rejects_unknown_names(bad):
    with pytest.raises(ValueError, match=r"Valid names are: ecoli, optical_digits, .*abalone_19"):
        resolve(bad)


def test_resolve_rejects_non_iterables():
    with pytest.raises(TypeError, match="names must be None"):
        resolve(3.5)


def _print_catalogue() -> None:  # pragma: no cover - a maintenance script
    import pandas as pd
    from conftest import SHARED_DATA

    for info in BENCHMARK_DATASETS:
        path = SHARED_DATA / info.name / f"{info.name}.csv.gz"
        if not path.is_file():
            print(info.id, info.name, "not available")
            continue
        frame = pd.read_csv(path)
        X = frame.drop(columns="target").to_numpy(np.float64)
        y = frame["target"].to_numpy(np.int64)
        print(info.id, info.name, X.shape, int(np.count_nonzero(y == 1)), content_sha256(X, y))


if __name__ == "__main__":  # pragma: no cover
    _print_catalogue()
