"""Download, verify and cache imbalanced-learn's 27 benchmark datasets (Zenodo record 61452).

A dataset is looked up in the cache first (``<data_home>/<name>.npz``, re-verified on every
load), then in the source: a mirror (folder or URL) or, by default, Zenodo's tarball. Whatever
is read is checked against the catalogue before it is written to the cache, and it is written
to a temporary file that is then renamed, so the cache never holds a half-written or
unverified dataset.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._cache import load_cached
from ._catalog import DatasetInfo, resolve
from ._errors import DatasetError
from ._fetcher import Fetcher
from ._source import ARCHIVE_NAME, Source

__all__ = ["ARCHIVE_NAME", "ZENODO_URL", "DatasetError", "fetch_datasets", "get_data_home"]

#: Where the archive is downloaded from when no mirror is given.
ZENODO_URL = f"https://zenodo.org/record/61452/files/{ARCHIVE_NAME}"


def get_data_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """Folder where :func:`fetch_datasets` caches the benchmark datasets.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder to use. When None, the environment variable ``SMOTEKIT_DATA`` is used
        if set and non-empty, else ``~/.cache/smotekit``. A leading ``~`` is expanded.

    Returns
    -------
    path : pathlib.Path
        The cache folder. It is not created here; :func:`fetch_datasets` creates it when it
        has something to store.

    Examples
    --------
    >>> from smotekit.datasets import get_data_home
    >>> get_data_home("/tmp/smotekit-cache").as_posix()
    '/tmp/smotekit-cache'
    """
    if data_home is None:
        data_home = os.environ.get("SMOTEKIT_DATA") or "~/.cache/smotekit"
    return Path(os.fspath(data_home)).expanduser()


def fetch_datasets(
    names: Iterable[str | int] | str | int | None = None,
    *,
    data_home: str | os.PathLike[str] | None = None,
    mirror: str | os.PathLike[str] | None = None,
    download_if_missing: bool = True,
    progress: bool = False,
    timeout: float = 60.0,
) -> dict[str, Bunch]:
    """Load imbalanced-learn's benchmark datasets, downloading and verifying them if needed.

    The 27 datasets of Ding (2011), as packaged for imbalanced-learn in Zenodo record 61452,
    each a binary problem with labels ``1`` (minority) and ``-1`` (majority). The return
    value has the layout of ``imblearn.datasets.fetch_datasets``.

    Each dataset is taken from the first of these that has it:

    1. the cache, ``<data_home>/<name>.npz``, or, unless a mirror is given, the copy
       bundled with smotekit (ecoli, thyroid_sick, arrhythmia; verified like any other
       source, never downloaded);
    2. the source: ``mirror``, else the environment variable ``SMOTEKIT_MIRROR``, else
       Zenodo (:data:`ZENODO_URL`). A mirror is a local folder, a ``file://`` URL or an
       ``http(s)://`` URL holding, for each dataset, ``x{ID}data.npz`` (the archive's
       members), or ``<name>/<name>.csv.gz`` (columns ``x0`` ... ``x{d-1}`` then
       ``target``), or at its root the archive ``benchmark-imbalanced-learn.tar.gz``;
       these are tried in that order. A mirror may also name an archive (a path or URL
       ending in ``.tar.gz``, ``.tgz`` or ``.tar``) directly. A mirror that lacks a
       dataset is an error; Zenodo is not tried in its place.

    Everything read from a source is verified against the catalogue before it is cached:
    shape and class counts always, and a SHA-256 of the content for the 22 datasets whose
    archive files could be checked (all but scene, coil_2000, webpage, isolet and
    protein_homo; see ``docs/datasets.md``). Cached files are verified again when loaded, and
    a cached file that fails is removed (with a warning) and fetched again. When an archive
    is read, every catalogue dataset it holds that is not cached yet is verified and
    cached, so later calls need no download.

    Archives are read safely: only regular files are extracted, through :mod:`tarfile`'s
    ``"data"`` filter where Python has it, and an archive holding any link, device, absolute
    path or ``..`` component is refused as a whole.

    Parameters
    ----------
    names : list of str or int, str, int or None, default=None
        Datasets to load, by name or Zenodo id (1 to 27). None loads all 27.
    data_home : str or path-like, default=None
        Cache folder; see :func:`get_data_home`.
    mirror : str or path-like, default=None
        Where to get datasets that are not cached (see above). None uses
        ``SMOTEKIT_MIRROR`` if set and non-empty, else Zenodo.
    download_if_missing : bool, default=True
        If False, raise :class:`DatasetError` instead of reading the source when a dataset is
        not cached.
    progress : bool, default=False
        Show a download progress bar. Needs :mod:`tqdm`; without it, nothing is shown.
    timeout : float, default=60.0
        Seconds to wait for the server, per connection attempt and per read. A whole
        download may last at most 20 times this (20 minutes by default), so a server that
        trickles data still ends with a :class:`DatasetError`. Downloads are also capped
        in size, from the catalogue's shapes (about twice a dataset's float64 size, or
        the sum of those for the archive); a larger body is refused. Neither leaves a
        file behind.

    Returns
    -------
    datasets : dict of str to sklearn.utils.Bunch
        Maps each name, in catalogue (id) order, to a Bunch with ``data`` (float64 ndarray
        of shape (n_samples, n_features)), ``target`` (int64 ndarray of shape
        (n_samples,)) and ``DESCR`` (the name).

    Raises
    ------
    ValueError
        If a name or id is not in the catalogue.
    DatasetError
        If a dataset cannot be downloaded or read, fails verification, or is not cached
        when ``download_if_missing=False``.

    See Also
    --------
    load_dataset : The three datasets bundled with smotekit, without download.

    References
    ----------
    .. [1] Z. Ding, "Diversified Ensemble Classifiers for Highly Imbalanced Data Learning
       and their Application in Bioinformatics", PhD thesis, Georgia State University, 2011.

    Examples
    --------
    >>> from smotekit.datasets import fetch_datasets
    >>> sets = fetch_datasets(["ecoli", 2])  # doctest: +SKIP
    >>> sorted(sets), sets["ecoli"].data.shape  # doctest: +SKIP
    (['ecoli', 'optical_digits'], (336, 7))
    """
    infos = resolve(names)
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"The 'timeout' parameter must be a positive number. Got {timeout!r}.")
    source = _resolve_mirror(mirror)
    cache_dir = get_data_home(data_home)
    result: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    missing: list[DatasetInfo] = []
    for info in infos:
        cached = load_cached(info, cache_dir)
        if cached is None and source.location == ZENODO_URL:
            # Not worth a download from Zenodo; an explicit mirror is read as asked.
            cached = _bundled_copy(info)
        if cached is None:
            missing.append(info)
        else:
            result[info.name] = cached
    if missing and not download_if_missing:
        listed = ", ".join(info.name for info in missing)
        raise DatasetError(
            f"Dataset(s) {listed} not found in the cache {cache_dir} and "
            "download_if_missing=False. Call fetch_datasets with download_if_missing=True "
            "(and mirror=... to read them from a local copy instead of Zenodo)."
        )
    if missing:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fetcher = Fetcher(source, cache_dir, timeout, progress, missing)
        for info in missing:
            result[info.name] = fetcher.fetch(info)
    return {
        info.name: Bunch(data=result[info.name][0], target=result[info.name][1], DESCR=info.name)
        for info in infos
    }


def _resolve_mirror(mirror: str | os.PathLike[str] | None) -> Source:
    location = "" if mirror is None else os.fspath(mirror)
    return Source(location or os.environ.get("SMOTEKIT_MIRROR") or ZENODO_URL)


def _bundled_copy(info: DatasetInfo) -> tuple[np.ndarray, np.ndarray] | None:
    """The copy that ships with smotekit (ecoli, thyroid_sick, arrhythmia), if it verifies."""
    from ._bundled import BUNDLED_DATASETS, load_dataset

    if info.name not in BUNDLED_DATASETS:
        return None
    X, y = load_dataset(info.name)
    return None if info.problems(X, y) else (X, y)
