"""Fetch missing datasets from a source: its files in turn, then its archive."""

from __future__ import annotations

import os
import tarfile
import tempfile
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ._archive import extract_member, safe_members
from ._cache import store_cached
from ._catalog import _BY_ID, BENCHMARK_DATASETS, DatasetInfo
from ._download import download
from ._errors import DatasetError
from ._readers import read_csv, read_npz
from ._source import ARCHIVE_NAME, Source

__all__ = ["Fetcher", "max_download_bytes"]

_SLACK = 1 << 20  # headers, names, padding: 1 MiB on top of every bound


def max_download_bytes(kind: str, info: DatasetInfo | None = None) -> int:
    """The most bytes a source's file can sensibly hold, from the catalogue's shapes.

    Downloads larger than this are refused (see :func:`~._download.download`).

    Parameters
    ----------
    kind : {"npz", "csv", "archive"}
        ``x{ID}data.npz`` (uncompressed float64 data and labels, with room to spare),
        ``<name>.csv.gz`` (at most 26 characters a value, gzip cannot expand text by
        more than that), or the whole archive (every dataset's npz bound).
    info : DatasetInfo or None, default=None
        The dataset, for ``"npz"`` and ``"csv"``.

    Returns
    -------
    int

    Examples
    --------
    >>> from smotekit.datasets import BENCHMARK_DATASETS
    >>> max_download_bytes("npz", BENCHMARK_DATASETS[0])  # ecoli, 336 x 7
    1091584
    """
    if kind == "archive":
        return sum(max_download_bytes("npz", entry) for entry in BENCHMARK_DATASETS) + _SLACK
    if info is None:
        raise ValueError(f"max_download_bytes({kind!r}) needs the dataset's info")
    values = info.n_samples * (info.n_features + 1)
    per_value = 16 if kind == "npz" else 26  # npz: twice float64, for other dtypes
    return values * per_value + _SLACK


class Fetcher:
    """Fetches missing datasets from one source into the cache, one call's worth.

    Parameters
    ----------
    source : Source
        Where to read the datasets.
    cache_dir : pathlib.Path
        The cache folder (it must exist).
    timeout : float
        Seconds to wait for a server.
    progress : bool
        Show download progress bars.
    requested : list of DatasetInfo
        The datasets the call asked for and did not find cached.
    """

    def __init__(
        self,
        source: Source,
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
        for relative, reader, kind in (
            (info.filename, read_npz, "npz"),
            (f"{info.name}/{info.name}.csv.gz", read_csv, "csv"),
        ):
            location = self.source.join(relative)
            limit = max_download_bytes(kind, info)
            with self._obtain(location, f"dataset {info.name!r}", limit) as path:
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
    def _obtain(self, location: str, what: str, max_bytes: int) -> Iterator[Path | None]:
        """Yield a local file holding ``location``, or None if the source lacks it.

        A download is refused beyond ``max_bytes`` bytes or ``DEADLINE_FACTOR * timeout``
        seconds.
        """
        if not self.source.remote:
            path = Path(location)
            yield path if path.is_file() else None
            return
        path = download(
            location,
            what,
            cache_dir=self.cache_dir,
            timeout=self.timeout,
            progress=self.progress,
            max_bytes=max_bytes,
        )
        try:
            yield path
        finally:
            if path is not None:
                path.unlink(missing_ok=True)

    def _store(self, info: DatasetInfo, X: np.ndarray, y: np.ndarray, where: str) -> None:
        """Verify a dataset and cache it; keep it if this call asked for it."""
        store_cached(info, X, y, where, self.cache_dir)
        if info.name in self.pending:
            self.fresh[info.name] = (X, y)

    def _read_archive(self, location: str, info: DatasetInfo) -> None:
        self.archive_read = True
        needed_by = f"the archive needed for dataset {info.name!r}"
        with self._obtain(location, needed_by, max_download_bytes("archive")) as path:
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
                members = safe_members(tar)
                if isinstance(members, str):
                    raise DatasetError(f"Refusing {needed_by}, {where}: {members}.")
                for dataset_id, member in sorted(members.items()):
                    info = _BY_ID.get(dataset_id)
                    if info is None or info.name in self.fresh:
                        continue
                    wanted = info.name in self.pending
                    if not wanted and (self.cache_dir / f"{info.name}.npz").exists():
                        continue
                    extracted = extract_member(tar, member, scratch)
                    member_where = f"{where} (member {member.name})"
                    try:
                        try:
                            X, y = read_npz(extracted)
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
