"""The Dask benchmark's data: a partitioned Parquet dataset, written and read a partition at a time.

Partition ``p`` of a dataset is drawn from its own generator
(``numpy.random.default_rng([seed, p])``) and written with pyarrow as
``part-00000.parquet``, ``part-00001.parquet``, ... in one directory, so the
dataset is never whole in memory and a partition's rows do not depend on how
many partitions came before it.  A ``_bench.json`` beside the files records
what was written (rows and class counts per partition); a directory with a
matching record is reused.

The classes overlap: minority rows are majority rows shifted by
:data:`MINORITY_SHIFT` along the first :data:`SHIFTED_FEATURES` features, so
Borderline-SMOTE finds SAFE, DANGER and NOISE rows among them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Default cache folder of the Dask benchmark (inputs and outputs).
DASK_CACHE_DIR = REPO_ROOT / "benchmarks" / ".cache"
N_FEATURES = 20
LABEL = "label"
MINORITY_SHARE = 0.01
MINORITY_SHIFT = 1.5
SHIFTED_FEATURES = 5
#: Partitions of a generated dataset (the issue's 20M rows: 500,000 rows, 80 MB each).
PARTITIONS = 40
_RECORD = "_bench.json"
_FORMAT = 1


def feature_names(d: int = N_FEATURES) -> list[str]:
    """Column names of the features: ``x00``, ``x01``, ..."""
    return [f"x{j:02d}" for j in range(d)]


def n_partitions(n_rows: int, parts: int = PARTITIONS) -> int:
    """Partitions of a generated dataset of ``n_rows`` rows (``parts``, fewer for tiny data)."""
    return max(1, min(parts, n_rows))


def partition_sizes(n_rows: int, parts: int) -> list[int]:
    """Rows of every partition: as even as possible, the larger ones first."""
    base, extra = divmod(n_rows, parts)
    return [base + (1 if p < extra else 0) for p in range(parts)]


def make_partition(rows: int, seed: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of partition ``p`` (from ``default_rng([seed, p])``).

    Returns
    -------
    X : ndarray of shape (rows, N_FEATURES), float64
    y : ndarray of shape (rows,), int64
        1 for the minority (share :data:`MINORITY_SHARE`), 0 otherwise.
    """
    rng = np.random.default_rng([seed, p])
    y = (rng.random(rows) < MINORITY_SHARE).astype(np.int64)
    X = rng.standard_normal((rows, N_FEATURES))
    X[y == 1, :SHIFTED_FEATURES] += MINORITY_SHIFT
    return X, y


def dataset_dir(cache_dir: Path, n_rows: int, parts: int, seed: int) -> Path:
    """Where the dataset of ``n_rows`` rows in ``parts`` partitions from ``seed`` lives."""
    return cache_dir / f"input_n{n_rows}_d{N_FEATURES}_p{parts}_s{seed}"


def _expected_record(n_rows: int, seed: int, parts: int) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "n_rows": n_rows,
        "n_features": N_FEATURES,
        "seed": seed,
        "partitions": parts,
        "minority_share": MINORITY_SHARE,
        "minority_shift": MINORITY_SHIFT,
        "shifted_features": SHIFTED_FEATURES,
    }


def read_record(path: Path) -> dict[str, Any] | None:
    """The dataset record of ``path``, or None when there is none."""
    try:
        return json.loads((path / _RECORD).read_text())
    except (OSError, ValueError):
        return None


def ensure_dataset(
    cache_dir: Path, n_rows: int, seed: int = 0, parts: int = PARTITIONS
) -> tuple[Path, dict, bool]:
    """Write the dataset of ``n_rows`` rows in ``parts`` partitions unless it is cached.

    Returns
    -------
    path : Path
        The directory of ``part-*.parquet`` files.
    record : dict
        What it holds: the parameters, ``rows`` and ``counts`` per partition, total ``counts``.
    created : bool
        Whether this call wrote it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = n_partitions(n_rows, parts)
    path = dataset_dir(cache_dir, n_rows, parts, seed)
    expected = _expected_record(n_rows, seed, parts)
    record = read_record(path)
    if record is not None and all(record.get(k) == v for k, v in expected.items()):
        return path, record, False
    tmp = path.with_name(path.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    names = feature_names()
    rows_per_part, counts_per_part = [], []
    for p, rows in enumerate(partition_sizes(n_rows, parts)):
        X, y = make_partition(rows, seed, p)
        columns = [pa.array(X[:, j]) for j in range(N_FEATURES)] + [pa.array(y)]
        table = pa.Table.from_arrays(columns, names=[*names, LABEL])
        pq.write_table(table, tmp / f"part-{p:05d}.parquet")
        rows_per_part.append(rows)
        minority = int(y.sum())
        counts_per_part.append({"0": rows - minority, "1": minority})
        del X, y, columns, table
    totals = {label: sum(c[label] for c in counts_per_part) for label in ("0", "1")}
    record = {**expected, "rows": rows_per_part, "counts": counts_per_part, "totals": totals}
    (tmp / _RECORD).write_text(json.dumps(record, indent=1))
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return path, record, True


def parquet_files(path: Path) -> list[Path]:
    """The ``part-*.parquet`` files of a directory, in row order."""
    return sorted(path.glob("part-*.parquet"))


def file_offsets(files: list[Path]) -> np.ndarray:
    """Global row number of every file's first row, then the total (from the footers)."""
    import pyarrow.parquet as pq

    rows = [pq.ParquetFile(f).metadata.num_rows for f in files]
    return np.concatenate([[0], np.cumsum(rows)]).astype(np.int64)


def rows_by_number(files: list[Path], offsets: np.ndarray, wanted: np.ndarray) -> Any:
    """The rows with global numbers ``wanted`` (any order, repeats allowed), as a DataFrame.

    Files are read one at a time and only those holding a wanted row, so
    memory stays at one partition.  The result is in the order of ``wanted``.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    wanted = np.asarray(wanted, dtype=np.int64)
    if wanted.size and (wanted.min() < 0 or wanted.max() >= offsets[-1]):
        raise ValueError(f"row numbers outside 0 .. {offsets[-1] - 1}")
    which = np.searchsorted(offsets, wanted, side="right") - 1
    pieces, positions = [], []
    for f in np.unique(which):
        here = np.flatnonzero(which == f)
        frame = pq.read_table(files[f]).to_pandas()
        pieces.append(frame.iloc[wanted[here] - offsets[f]])
        positions.append(here)
    if not pieces:
        return pd.DataFrame()
    found = pd.concat(pieces)
    order = np.argsort(np.concatenate(positions), kind="stable")
    return found.iloc[order]


def remove(path: Path) -> None:
    """Delete a benchmark directory (inputs or outputs)."""
    shutil.rmtree(path, ignore_errors=True)
