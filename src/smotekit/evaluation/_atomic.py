"""Atomic file writes: a temporary file beside the target, renamed over it once complete."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_bytes"]


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only if the block succeeds.

    The temporary file keeps ``path``'s suffixes (so writers that infer a format
    or a compression from the name still work) and is removed on failure.

    Parameters
    ----------
    path : str or path-like
        The file to write; its folder must exist.

    Yields
    ------
    pathlib.Path
        The temporary file (created empty) to write to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    suffix = "".join(path.suffixes)
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    while True:
        tmp = path.parent / f".{stem}.{secrets.token_hex(6)}.tmp{suffix}"
        try:  # created with the usual permissions (0o666 minus the umask), unlike mkstemp
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            break
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    path : pathlib.Path
        The file to write.
    data : bytes
        Its whole content.
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
