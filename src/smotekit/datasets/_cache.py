"""The dataset cache: ``<data_home>/<name>.npz`` files, verified when read and when written."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ._catalog import DatasetInfo
from ._errors import DatasetError
from ._readers import read_npz

__all__ = ["load_cached", "store_cached"]


def load_cached(info: DatasetInfo, cache_dir: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """A cached dataset, verified again; an unusable cached file is removed with a warning.

    Call it directly from the public function: its warning names the caller's caller.

    Parameters
    ----------
    info : DatasetInfo
        The dataset's catalogue entry.
    cache_dir : pathlib.Path
        The cache folder.

    Returns
    -------
    (X, y) or None
        None when the dataset is not cached (any more).
    """
    path = cache_dir / f"{info.name}.npz"
    if not path.is_file():
        return None
    try:
        X, y = read_npz(path)
        problems = info.problems(X, y)
    except Exception as exc:  # any failure to parse means the cached file is unusable
        problems = [str(exc)]
    if not problems:
        return X, y
    warnings.warn(
        f"The cached file {path} of dataset {info.name!r} is unusable ({problems[0]}); "
        "it was removed and will be fetched again.",
        RuntimeWarning,
        stacklevel=3,
    )
    path.unlink(missing_ok=True)
    return None


def store_cached(
    info: DatasetInfo, X: np.ndarray, y: np.ndarray, where: str, cache_dir: Path
) -> None:
    """Verify a dataset against the catalogue, then write it to the cache atomically.

    Parameters
    ----------
    info : DatasetInfo
        The dataset's catalogue entry.
    X, y : ndarray
        Its arrays, as read from ``where``.
    where : str
        Where they were read (for the error message).
    cache_dir : pathlib.Path
        The cache folder (it must exist).

    Raises
    ------
    DatasetError
        If the arrays fail verification; nothing is written then.
    """
    problems = info.problems(X, y)
    if problems:
        raise DatasetError(
            f"Dataset {info.name!r} from {where} failed verification: "
            f"{'; '.join(problems)}. Nothing was cached."
        )
    handle, name = tempfile.mkstemp(prefix=f".{info.name}-", suffix=".npz.part", dir=cache_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez_compressed(out, data=X, label=y)
        os.replace(name, cache_dir / f"{info.name}.npz")
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
