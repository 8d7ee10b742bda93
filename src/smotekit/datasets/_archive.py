"""Read the benchmark archive safely: which members are datasets, and extracting one."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path, PurePosixPath

__all__ = ["extract_member", "safe_members"]

_MEMBER_RE = re.compile(r"x(\d+)data\.npz")
_MAX_MEMBER_BYTES = 2 * 1024**3
_HAS_TAR_FILTER = hasattr(tarfile, "data_filter")


def safe_members(tar: tarfile.TarFile) -> dict[int, tarfile.TarInfo] | str:
    """Map dataset ids to archive members, or say why the archive must be refused.

    Only regular files named ``x{ID}data.npz`` count; folders and other regular files are
    ignored. Any link, device, absolute path, ``..`` component, oversized or repeated
    member refuses the archive as a whole.

    Parameters
    ----------
    tar : tarfile.TarFile
        The open archive.

    Returns
    -------
    dict of int to tarfile.TarInfo, or str
        The members by dataset id, or the reason for refusing the archive.
    """
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


def extract_member(tar: tarfile.TarFile, member: tarfile.TarInfo, scratch: str) -> Path:
    """Extract one member checked by :func:`safe_members` into ``scratch``; return its path.

    Uses :mod:`tarfile`'s ``"data"`` filter where Python has it.

    Parameters
    ----------
    tar : tarfile.TarFile
        The open archive.
    member : tarfile.TarInfo
        A regular-file member with a safe path.
    scratch : str
        Folder to extract into.

    Returns
    -------
    pathlib.Path
        The extracted file (the caller removes it).
    """
    if _HAS_TAR_FILTER:
        tar.extract(member, scratch, filter="data")
    else:  # pragma: no cover - Python without extraction filters
        tar.extract(member, scratch, set_attrs=False)
    return Path(scratch, *PurePosixPath(member.name).parts)
