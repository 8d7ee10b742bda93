"""Read a dataset's arrays from the files of the archive, a mirror or the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["as_arrays", "read_csv", "read_npz"]


def as_arrays(data: object, label: object) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` as float64 data and int64 labels, or ValueError if they are not numeric.

    Parameters
    ----------
    data : array-like of shape (n_samples, n_features)
    label : array-like of shape (n_samples,)
        Whole numbers (integer or float dtype).

    Returns
    -------
    X : ndarray of float64, C-contiguous
    y : ndarray of int64

    Examples
    --------
    >>> X, y = as_arrays([[1, 2]], [1.0])
    >>> X.dtype, y.dtype, y.tolist()
    (dtype('float64'), dtype('int64'), [1])
    """
    X = np.asarray(data)
    y = np.asarray(label)
    if X.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        raise ValueError(f"expected numeric arrays, got {X.dtype} data and {y.dtype} labels")
    y64 = y.astype(np.int64)
    if y.dtype.kind == "f" and not np.array_equal(y64, y):
        raise ValueError("labels are not whole numbers")
    return np.ascontiguousarray(X, dtype=np.float64), y64


def read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read an archive member ``x{ID}data.npz`` (arrays ``data`` and ``label``).

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    X, y : ndarray
        See :func:`as_arrays`.

    Raises
    ------
    ValueError
        If the file is not an npz archive with those arrays.
    """
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError("not an npz archive")
    with loaded:
        absent = {"data", "label"} - set(loaded.files)
        if absent:
            raise ValueError(f"the npz archive has no array {sorted(absent)[0]!r}")
        return as_arrays(loaded["data"], loaded["label"])


def read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a mirror's ``<name>.csv.gz``: columns ``x0`` ... ``x{d-1}``, then ``target``.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    X, y : ndarray
        See :func:`as_arrays`.

    Raises
    ------
    ValueError
        If the columns are not those.
    """
    frame = pd.read_csv(path, compression="gzip")
    features = [f"x{j}" for j in range(frame.shape[1] - 1)]
    if list(frame.columns) != [*features, "target"]:
        raise ValueError("expected the columns x0, x1, ... followed by target")
    return as_arrays(frame[features].to_numpy(), frame["target"].to_numpy())
