"""Download a file over HTTP(S) to a temporary file, with an optional progress bar."""

from __future__ import annotations

import http.client
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ._errors import DatasetError

__all__ = ["download"]

_NOT_FOUND = frozenset({403, 404, 410})
_CHUNK = 1 << 20


def _progress_bar(total: int | None, label: str) -> Any:  # a tqdm bar, or None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label)


def download(
    url: str, what: str, *, cache_dir: Path, timeout: float, progress: bool
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
        Seconds to wait for the server, per connection attempt and per read.
    progress : bool
        Show a progress bar (needs tqdm).

    Returns
    -------
    pathlib.Path or None
        The downloaded file; None for HTTP 403, 404 or 410.

    Raises
    ------
    DatasetError
        For any other failure, including a download cut short; no file is left then.
    """
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
            bar = _progress_bar(total, url.rsplit("/", 1)[-1]) if progress else None
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
            raise DatasetError(f"Download of {what} from {url} failed: {exc!r}. {advice}") from exc
        raise
    return path
