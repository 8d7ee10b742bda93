"""Download, verify and cache imbalanced-learn's 27 benchmark datasets (Zenodo record 61452).

A dataset is looked up in the cache first (``<data_home>/<name>.npz``, re-verified on every
load), then in the source: a mirror (folder or URL) or, by default, Zenodo's tarball. Whatever
is read is checked against the catalogue before it is written to the cache, and it is written
to a temporary file that is then renamed, so the cache never holds a half-written or
unverified dataset.
"""

from __future__ import annotations

import http.client
import os
import re
import tarfile
import tempfile
import urllib.error
import urllib.request
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ._catalog import _BY_ID, DatasetInfo, resolve

__all__ = ["ARCHIVE_NAME", "ZENODO_URL", "DatasetError", "fetch_datasets", "get_data_home"]

#: The archive's file name, looked for at the root of a mirror.
ARCHIVE_NAME = "benchmark-imbalanced-learn.tar.gz"
#: Where the archive is downloaded from when no mirror is given.
ZENODO_URL = f"https://zenodo.org/record/61452/files/{ARCHIVE_NAME}"

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")
_MEMBER_RE = re.compile(r"x(\d+)data\.npz")
_MAX_MEMBER_BYTES = 2 * 1024**3
_NOT_FOUND = frozenset({403, 404, 410})
_CHUNK = 1 << 20
_HAS_TAR_FILTER = hasattr(tarfile, "data_filter")


class DatasetError(OSError):
    """A benchmark dataset could not be obtained or failed verification.

    Raised for failed or truncated downloads, unreadable files, unsafe archives, data that
    do not match the catalogue (shape, class counts or checksum), and datasets that are not
    cached when ``download_if_missing=False``. It subclasses :class:`OSError`, like
    scikit-learn's fetchers' "data not found" errors. The message names the dataset and
    the source, and when it is raised the cache holds nothing new for that dataset.
    """


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

    1. the cache, ``<data_home>/<name>.npz``;
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
        Seconds to wait for the server, per connection attempt and per read.

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
        cached = _load_cached(info, cache_dir)
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
        fetcher = _Fetcher(source, cache_dir, timeout, progress, missing)
        for info in missing:
            result[info.name] = fetcher.fetch(info)
    return {
        info.name: Bunch(data=result[info.name][0], target=result[info.name][1], DESCR=info.name)
        for info in infos
    }


# --------------------------------------------------------------------------- reading files


def _as_arrays(data: object, label: object) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(data)
    y = np.asarray(label)
    if X.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        raise ValueError(f"expected numeric arrays, got {X.dtype} data and {y.dtype} labels")
    y64 = y.astype(np.int64)
    if y.dtype.kind == "f" and not np.array_equal(y64, y):
        raise ValueError("labels are not whole numbers")
    return np.ascontiguousarray(X, dtype=np.float64), y64


def _read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError("not an npz archive")
    with loaded:
        absent = {"data", "label"} - set(loaded.files)
        if absent:
            raise ValueError(f"the npz archive has no array {sorted(absent)[0]!r}")
        return _as_arrays(loaded["data"], loaded["label"])


def _read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(path, compression="gzip")
    features = [f"x{j}" for j in range(frame.shape[1] - 1)]
    if list(frame.columns) != [*features, "target"]:
        raise ValueError("expected the columns x0, x1, ... followed by target")
    return _as_arrays(frame[features].to_numpy(), frame["target"].to_numpy())


def _load_cached(info: DatasetInfo, cache_dir: Path) -> tuple[np.ndarray, np.ndarray] | None:
    path = cache_dir / f"{info.name}.npz"
    if not path.is_file():
        return None
    try:
        X, y = _read_npz(path)
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


# --------------------------------------------------------------------------- sources


class _Source:
    """Where datasets come from: a local folder or URL, or one archive."""

    def __init__(self, location: str) -> None:
        self.location = location
        parts = urlsplit(location)
        self.remote = parts.scheme in ("http", "https")
        if parts.scheme == "file":
            self.base = urllib.request.url2pathname(parts.path)
        elif self.remote or len(parts.scheme) <= 1:  # len 1: a Windows drive letter
            self.base = location if self.remote else os.path.expanduser(location)
        else:
            raise ValueError(
                f"Unsupported mirror {location!r}: use a local folder, a file:// URL "
                "or an http(s):// URL."
            )
        name = parts.path if self.remote else self.base
        self.is_archive = name.lower().endswith(_ARCHIVE_SUFFIXES)

    def join(self, relative: str) -> str:
        if self.remote:
            return f"{self.base.rstrip('/')}/{relative}"
        return os.path.join(self.base, *relative.split("/"))


def _resolve_mirror(mirror: str | os.PathLike[str] | None) -> _Source:
    location = "" if mirror is None else os.fspath(mirror)
    return _Source(location or os.environ.get("SMOTEKIT_MIRROR") or ZENODO_URL)


def _progress_bar(total: int | None, label: str) -> Any:  # a tqdm bar, or None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label)


class _Fetcher:
    """Fetches missing datasets from one source into the cache, one call's worth."""

    def __init__(
        self,
        source: _Source,
        cache_dir: Path,
        timeout: float,
        progress: bool,
        requested: list[DatasetInfo],
    ) -> None:
        self.source = source
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.progress = progress
        self.pending = {info.name for info in requested}
        self.fresh: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.archive_read = False
        self.archive_missing = False

    def fetch(self, info: DatasetInfo) -> tuple[np.ndarray, np.ndarray]:
        """Return a requested dataset, verified and cached, or raise DatasetError."""
        if info.name not in self.fresh:
            self._fetch(info)
        if info.name not in self.fresh:
            tried = [info.filename, f"{info.name}/{info.name}.csv.gz", ARCHIVE_NAME]
            if self.source.is_archive and self.archive_missing:
                where = f"the archive {self.source.location}, which does not exist"
            elif self.source.is_archive:
                where = f"the archive {self.source.location}"
            elif not self.source.remote and not os.path.isdir(self.source.base):
                where = f"the mirror {self.source.location}, which is not a folder"
            else:
                where = f"the mirror {self.source.location} (tried {', '.join(tried)})"
            raise DatasetError(f"Dataset {info.name!r} was not found in {where}.")
        self.pending.discard(info.name)
        return self.fresh.pop(info.name)

    def _fetch(self, info: DatasetInfo) -> None:
        if self.source.is_archive:
            if not self.archive_read:
                self._read_archive(self.source.location, info)
            return
        for relative, reader in (
            (info.filename, _read_npz),
            (f"{info.name}/{info.name}.csv.gz", _read_csv),
        ):
            location = self.source.join(relative)
            with self._obtain(location, f"dataset {info.name!r}") as path:
                if path is None:
                    continue
                try:
                    X, y = reader(path)
                except Exception as exc:
                    raise DatasetError(
                        f"Could not read dataset {info.name!r} from {location}: {exc}"
                    ) from exc
                self._store(info, X, y, location)
                return
        if not self.archive_read:
            self._read_archive(self.source.join(ARCHIVE_NAME), info)

    @contextmanager
    def _obtain(self, location: str, what: str) -> Iterator[Path | None]:
        """Yield a local file holding ``location``, or None if the source lacks it."""
        if not self.source.remote:
            path = Path(location)
            yield path if path.is_file() else None
            return
        path = self._download(location, what)
        try:
            yield path
        finally:
            if path is not None:
                path.unlink(missing_ok=True)

    def _download(self, url: str, what: str) -> Path | None:
        request = urllib.request.Request(url, headers={"User-Agent": "smotekit-datasets"})
        advice = "Check the connection, or pass mirror=... (or set SMOTEKIT_MIRROR)."
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in _NOT_FOUND:
                return None
            raise DatasetError(
                f"Could not download {what} from {url}: HTTP {exc.code} {exc.reason}."
            ) from exc
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, refusals
            reason = getattr(exc, "reason", exc)
            raise DatasetError(f"Could not download {what} from {url}: {reason}. {advice}") from exc
        handle, name = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=self.cache_dir)
        path = Path(name)
        try:
            with response, os.fdopen(handle, "wb") as out:
                length = response.headers.get("Content-Length", "")
                total = int(length) if length.isdigit() else None
                bar = _progress_bar(total, url.rsplit("/", 1)[-1]) if self.progress else None
                written = 0
                try:
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        written += len(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
                finally:
                    if bar is not None:
                        bar.close()
            if total is not None and written != total:
                raise DatasetError(
                    f"Download of {what} from {url} was cut short: "
                    f"got {written} of {total} bytes. {advice}"
                )
        except BaseException as exc:
            path.unlink(missing_ok=True)
            if isinstance(exc, (OSError, http.client.HTTPException)) and not isinstance(
                exc, DatasetError
            ):
                raise DatasetError(
                    f"Download of {what} from {url} failed: {exc!r}. {advice}"
                ) from exc
            raise
        return path

    def _store(self, info: DatasetInfo, X: np.ndarray, y: np.ndarray, where: str) -> None:
        """Verify a dataset, then write it to the cache atomically."""
        problems = info.problems(X, y)
        if problems:
            raise DatasetError(
                f"Dataset {info.name!r} from {where} failed verification: "
                f"{'; '.join(problems)}. Nothing was cached."
            )
        handle, name = tempfile.mkstemp(
            prefix=f".{info.name}-", suffix=".npz.part", dir=self.cache_dir
        )
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez_compressed(out, data=X, label=y)
            os.replace(name, self.cache_dir / f"{info.name}.npz")
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        if info.name in self.pending:
            self.fresh[info.name] = (X, y)

    def _read_archive(self, location: str, info: DatasetInfo) -> None:
        self.archive_read = True
        needed_by = f"the archive needed for dataset {info.name!r}"
        with self._obtain(location, needed_by) as path:
            self.archive_missing = path is None
            if path is not None:
                self._extract(path, location, needed_by)

    def _extract(self, archive: Path, where: str, needed_by: str) -> None:
        """Verify and cache every catalogue dataset of an archive that is not cached yet."""
        try:
            with (
                tarfile.open(archive, mode="r:*") as tar,
                tempfile.TemporaryDirectory(prefix=".extract-", dir=self.cache_dir) as scratch,
            ):
                members = _safe_members(tar)
                if isinstance(members, str):
                    raise DatasetError(f"Refusing {needed_by}, {where}: {members}.")
                for dataset_id, member in sorted(members.items()):
                    info = _BY_ID.get(dataset_id)
                    if info is None or info.name in self.fresh:
                        continue
                    wanted = info.name in self.pending
                    if not wanted and (self.cache_dir / f"{info.name}.npz").exists():
                        continue
                    if _HAS_TAR_FILTER:
                        tar.extract(member, scratch, filter="data")
                    else:  # pragma: no cover - Python without extraction filters
                        tar.extract(member, scratch, set_attrs=False)
                    extracted = Path(scratch, *PurePosixPath(member.name).parts)
                    member_where = f"{where} (member {member.name})"
                    try:
                        try:
                            X, y = _read_npz(extracted)
                        except Exception as exc:
                            raise DatasetError(
                                f"Could not read dataset {info.name!r} from {member_where}: {exc}"
                            ) from exc
                        finally:
                            extracted.unlink(missing_ok=True)
                        self._store(info, X, y, member_where)
                    except DatasetError as exc:
                        if wanted:
                            raise
                        warnings.warn(str(exc), RuntimeWarning, stacklevel=6)
        except DatasetError:
            raise
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"Could not read {needed_by}, {where}: {exc}") from exc


def _safe_members(tar: tarfile.TarFile) -> dict[int, tarfile.TarInfo] | str:
    """Map dataset ids to archive members, or say why the archive must be refused."""
    found: dict[int, tarfile.TarInfo] = {}
    for member in tar.getmembers():
        name = member.name
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
            reason = f"member {name!r} has an unsafe path"
        elif member.isdir():
            continue
        elif not member.isreg():
            kind = "a link" if member.issym() or member.islnk() else "not a regular file"
            reason = f"member {name!r} is {kind}"
        elif member.size > _MAX_MEMBER_BYTES:
            reason = f"member {name!r} is too large ({member.size} bytes)"
        elif (match := _MEMBER_RE.fullmatch(parts[-1])) is None:
            continue  # other regular files are ignored
        elif int(match[1]) in found:
            reason = f"member {name!r} appears twice"
        else:
            found[int(match[1])] = member
            continue
        return reason
    return found
