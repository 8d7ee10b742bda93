"""Benchmark datasets for imbalanced classification.

* :func:`load_dataset` reads the three small datasets shipped with smotekit
  (``ecoli``, ``thyroid_sick``, ``arrhythmia``); no download.
* :func:`fetch_datasets` downloads imbalanced-learn's 27 benchmark datasets (Zenodo record
  61452) or reads them from a mirror, verifies them against :data:`BENCHMARK_DATASETS`
  and caches them under :func:`get_data_home`.

Labels are ``1`` for the minority class and ``-1`` for the majority class throughout.
See ``docs/datasets.md`` for the sources and what is verified for each dataset.
"""

from ._bundled import BUNDLED_DATASETS, load_dataset
from ._catalog import BENCHMARK_DATASETS, DatasetInfo, content_sha256
from ._fetch import ARCHIVE_NAME, ZENODO_URL, DatasetError, fetch_datasets, get_data_home

__all__ = [
    "ARCHIVE_NAME",
    "BENCHMARK_DATASETS",
    "BUNDLED_DATASETS",
    "ZENODO_URL",
    "DatasetError",
    "DatasetInfo",
    "content_sha256",
    "fetch_datasets",
    "get_data_home",
    "load_dataset",
]
