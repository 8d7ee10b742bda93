"""Where datasets come from: a mirror folder or URL, or the archive itself."""

from __future__ import annotations

import os
import urllib.request
from urllib.parse import urlsplit

__all__ = ["ARCHIVE_NAME", "Source"]

#: The archive's file name, looked for at the root of a mirror.
ARCHIVE_NAME = "benchmark-imbalanced-learn.tar.gz"

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")


class Source:
    """Where datasets come from: a local folder or URL, or one archive.

    Parameters
    ----------
    location : str
        A local folder or archive, a ``file://`` URL, or an ``http(s)://`` URL.

    Attributes
    ----------
    location : str
        As given.
    remote : bool
        Whether it is an ``http(s)://`` URL.
    base : str
        The local path (``~`` expanded) or the URL.
    is_archive : bool
        Whether it names an archive rather than a folder.

    Raises
    ------
    ValueError
        For another URL scheme.

    Examples
    --------
    >>> Source("https://example.org/mirror/").join("x1data.npz")
    'https://example.org/mirror/x1data.npz'
    >>> Source("/data/benchmark.tar.gz").is_archive
    True
    """

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
        """The location of ``relative`` (a ``/``-separated path) inside this source."""
        if self.remote:
            return f"{self.base.rstrip('/')}/{relative}"
        return os.path.join(self.base, *relative.split("/"))
