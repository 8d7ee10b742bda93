"""Read a dataset's arrays from the files of the archive, a mirror or the cache."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["as_arrays", "read_csv", "read_npz"]

#: The first bytes of a zip file (an npz archive is one): a local file header, or the
#: end-of-central-directory record of an empty archive.
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


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
        If the file is not an npz archive with those arrays. The zip signature is checked
        first, so that a corrupt file is never offered to :func:`numpy.load` as a pickle;
        pickled (object) arrays are refused, never loaded.
    """
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head not in _ZIP_SIGNATURES:
        raise ValueError(
            f"not an npz archive (it does not start with a zip signature; first bytes {head!r})"
        )
    try:
        loaded = np.load(path, allow_pickle=False)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"not a valid npz archive (corrupt zip: {exc})") from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):  # pragma: no cover - signature checked
        raise ValueError("not an npz archive")
    with loaded:
        absent = {"data", "label"} - set(loaded.files)
        if absent:
            raise ValueError(f"the npz archive has no array {sorted(absent)[0]!r}")
        try:
            return as_arrays(loaded["data"], loaded["label"])
        except ValueError as exc:
            if "pickle" in str(exc):  # NumPy's advice to unpickle is not for data we fetch
                raise ValueError(
                    "the npz archive holds object (pickled) arrays, which are never loaded; "
                    "expected numeric arrays"
                ) from None
            raise
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ValueError(f"not a valid npz archive (corrupt member: {exc})") from None


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
