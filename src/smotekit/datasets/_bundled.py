"""The three small datasets shipped inside the package (ecoli, thyroid_sick, arrhythmia)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal, overload

import numpy as np
import pandas as pd

from ._catalog import _BY_NAME

__all__ = ["BUNDLED_DATASETS", "load_dataset"]

#: Names of the datasets that :func:`load_dataset` reads from the package.
BUNDLED_DATASETS: tuple[str, ...] = ("ecoli", "thyroid_sick", "arrhythmia")


@cache
def _read(name: str) -> tuple[np.ndarray, np.ndarray]:
    resource = resources.files(__package__).joinpath("data").joinpath(f"{name}.csv.gz")
    with resource.open("rb") as handle:
        frame = pd.read_csv(handle, compression="gzip")
    X = frame.drop(columns="target").to_numpy(dtype=np.float64)
    y = frame["target"].to_numpy(dtype=np.int64)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


@overload
def load_dataset(name: str, *, as_frame: Literal[False] = ...) -> tuple[np.ndarray, np.ndarray]: ...


@overload
def load_dataset(name: str, *, as_frame: Literal[True]) -> pd.DataFrame: ...


def load_dataset(
    name: str, *, as_frame: bool = False
) -> tuple[np.ndarray, np.ndarray] | pd.DataFrame:
    """Load one of the small benchmark datasets bundled with smotekit.

    The bundled datasets are copies of three of imbalanced-learn's benchmark datasets
    (Zenodo record 61452), with the same values and the same row order:

    ============  =========  ========  ========  =====
    name          samples    features  minority  ratio
    ============  =========  ========  ========  =====
    ecoli         336        7         35        8.6
    thyroid_sick  3772       52        231       15.3
    arrhythmia    452        278       25        17.1
    ============  =========  ========  ========  =====

    No download is needed; for the other benchmark datasets use :func:`fetch_datasets`.

    Parameters
    ----------
    name : {"ecoli", "thyroid_sick", "arrhythmia"}
        Name of the dataset.
    as_frame : bool, default=False
        If False, return the tuple ``(X, y)``. If True, return one
        :class:`pandas.DataFrame` with the float64 feature columns ``x0``, ..., ``x{d-1}``
        followed by the int64 column ``target``.

    Returns
    -------
    (X, y) : tuple of ndarray
        When ``as_frame=False``: ``X`` of shape (n_samples, n_features), float64, and
        ``y`` of shape (n_samples,), int64, with ``1`` for the minority class and ``-1``
        for the majority class. Both are fresh arrays the caller may modify.
    frame : pandas.DataFrame
        When ``as_frame=True``: the features and the target in one frame.

    Raises
    ------
    ValueError
        If ``name`` is not one of the bundled datasets.

    See Also
    --------
    fetch_datasets : Download, verify and cache the 27 benchmark datasets.

    Examples
    --------
    >>> from smotekit.datasets import load_dataset
    >>> X, y = load_dataset("ecoli")
    >>> X.shape, X.dtype, y.dtype
    ((336, 7), dtype('float64'), dtype('int64'))
    >>> int((y == 1).sum()), int((y == -1).sum())
    (35, 301)
    >>> frame = load_dataset("ecoli", as_frame=True)
    >>> list(frame.columns)
    ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'target']
    """
    if name not in BUNDLED_DATASETS:
        valid = ", ".join(repr(n) for n in BUNDLED_DATASETS)
        hint = (
            f" {name!r} is a benchmark dataset: use fetch_datasets([{name!r}]) to download it."
            if isinstance(name, str) and name in _BY_NAME
            else ""
        )
        raise ValueError(f"Unknown bundled dataset {name!r}. Valid names are: {valid}.{hint}")
    X, y = _read(name)
    if not as_frame:
        return X.copy(), y.copy()
    frame = pd.DataFrame(X.copy(), columns=[f"x{j}" for j in range(X.shape[1])])
    frame["target"] = y.copy()
    return frame
