"""Download a file over HTTP(S) to a temporary file, with an optional progress bar.

Two limits bound a download besides the per-read ``timeout``: a total deadline of
:data:`DEADLINE_FACTOR` times ``timeout`` (so a server trickling a few bytes a second
still ends), and a size cap (so an endless or oversized body cannot fill the disk).
"""

from __future__ import annotations

import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ._errors import DatasetError

__all__ = ["DEADLINE_FACTOR", "DEFAULT_MAX_BYTES", "download"]

_NOT_FOUND = frozenset({403, 404, 410})
_CHUNK = 1 << 20

#: A whole download may last at most this many times ``timeout`` (20 minutes at 60 s).
DEADLINE_FACTOR = 20

#: Size cap of a download whose size cannot be bounded otherwise (2 GiB).
DEFAULT_MAX_BYTES = 2 * 1024**3


def _progress_bar(total: int | None, label: str) -> Any:  # a tqdm bar, or None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label)


def download(
    url: str,
    what: str,
    *,
    cache_dir: Path,
    timeout: float,
    progress: bool,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Path | None:
    """Download ``url`` to a temporary file in ``cache_dir``; None if the server lacks it.

    Parameters
    ----------
    url : str
        An ``http(s)://`` URL.
    what : str
        What is downloaded, for the error messages.
    cache_dir : pathlib.Path
        Folder of the temporary ``.download-*.part`` file (the caller removes it).
    timeout : float
        Seconds to wait for the server, per connection attempt and per read. The whole
        download may last at most ``DEADLINE_FACTOR * timeout`` seconds (checked between
        reads, so it can overrun by up to one ``timeout``).
    progress : bool
        Show a progress bar (needs tqdm).
    max_bytes : int, default=DEFAULT_MAX_BYTES
        Refuse a body larger than this (by its ``Content-Length``, or as it arrives).

    Returns
    -------
    pathlib.Path or None
        The downloaded file; None for HTTP 403, 404 or 410.

    Raises
    ------
    DatasetError
        For any other failure, including a download cut short, too slow or too large;
        no file is left then.
    """
    deadline = time.monotonic() + DEADLINE_FACTOR * timeout
    request = urllib.request.Request(url, headers={"User-Agent": "smotekit-datasets"})
    advice = "Check the connection, or pass mirror=... (or set SMOTEKIT_MIRROR)."
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
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
    handle, name = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=cache_dir)
    path = Path(name)
    try:
        with response, os.fdopen(handle, "wb") as out:
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else None
            if total is not None and total > max_bytes:
                raise _too_large(what, url, f"it announces {total} bytes", max_bytes)
            bar = _progress_bar(total, url.rsplit("/", 1)[-1]) if progress else None
            written = 0
            try:
                # read1 returns what has arrived, so the deadline is checked while a slow
                # server trickles data (read(n) would wait for all n bytes).
                while chunk := response.read1(_CHUNK):
                    out.write(chunk)
                    written += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                    if written > max_bytes:
                        raise _too_large(what, url, f"over {written} bytes so far", max_bytes)
                    if time.monotonic() > deadline:
                        raise DatasetError(
                            f"Download of {what} from {url} took longer than "
                            f"{DEADLINE_FACTOR * timeout:g} s ({DEADLINE_FACTOR} times the "
                            f"timeout of {timeout:g} s), with {written} bytes received; "
                            f"nothing was kept. {advice} Or pass a larger timeout=..."
                        )
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
            raise DatasetError(f"Download of {what} from {url} failed: {exc!r}. {advice}") from exc
        raise
    return path


def _too_large(what: str, url: str, size: str, max_bytes: int) -> DatasetError:
    return DatasetError(
        f"Download of {what} from {url} was refused: {size}, more than the {max_bytes} "
        "bytes it can be; nothing was kept. Is the mirror serving the right file?"
    )
