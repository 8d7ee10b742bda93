"""fetch_datasets serves the datasets bundled with smotekit without a download."""

from __future__ import annotations

import numpy as np

from smotekit.datasets import BUNDLED_DATASETS, fetch_datasets, load_dataset


def test_bundled_datasets_need_no_download_and_equal_the_bundled_copy(tmp_path, monkeypatch):
    monkeypatch.delenv("SMOTEKIT_MIRROR", raising=False)
    # No cache, no mirror, and downloads forbidden: only the bundled copy can serve them.
    sets = fetch_datasets(
        list(BUNDLED_DATASETS),
        data_home=tmp_path / "cache",
        download_if_missing=False,
    )
    assert list(sets) == ["ecoli", "thyroid_sick", "arrhythmia"]  # catalogue order
    for name, bunch in sets.items():
        X, y = load_dataset(name)
        np.testing.assert_array_equal(bunch.data, X)
        np.testing.assert_array_equal(bunch.target, y)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())
