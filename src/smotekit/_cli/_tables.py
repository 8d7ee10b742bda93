"""Read and write the command's tables (CSV, compressed CSV, Parquet; JSON on request).

Writes to files are atomic; the output ``-`` is standard output (CSV unless told
otherwise), written in one go once the table is complete.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from ._errors import UsageError

__all__ = [
    "STDOUT",
    "check_not_a_loop",
    "check_output",
    "is_stdout",
    "output_format",
    "prepare_folder",
    "read_table",
    "same_file",
    "split_target",
    "table_format",
    "write_table",
]

#: The output name that means standard output.
STDOUT = "-"
#: The formats :func:`write_table` writes.
OUTPUT_FORMATS = ("csv", "parquet", "json")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zst", ".csv.zip")
_PARQUET_SUFFIXES = (".parquet", ".pq")
#: The module each compressed CSV needs, and how to get it when it is missing.
_COMPRESSION_MODULES = {
    ".gz": ("gzip", "Python's gzip module (a Python built without zlib lacks it)"),
    ".bz2": ("bz2", "Python's bz2 module (a Python built without libbz2 lacks it)"),
    ".xz": ("lzma", "Python's lzma module (a Python built without liblzma lacks it)"),
    ".zst": ("zstandard", "the zstandard package: pip install zstandard"),
    ".zip": ("zipfile", "Python's zipfile module"),
}


def table_format(path: Path) -> str:
    """``"csv"`` or ``"parquet"``, from the file's name.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str

    Raises
    ------
    UsageError
        When the name ends in neither.

    Examples
    --------
    >>> table_format(Path("in.csv.gz")), table_format(Path("out.parquet"))
    ('csv', 'parquet')
    """
    name = path.name.lower()
    if name.endswith(_CSV_SUFFIXES):
        return "csv"
    if name.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    raise UsageError(
        f"cannot tell the format of {str(path)!r} from its name; use a .csv (optionally "
        ".csv.gz, .csv.bz2, .csv.xz) or a .parquet file"
    )


def is_stdout(path: Path | str) -> bool:
    """Whether an output path is ``-``: standard output.

    Examples
    --------
    >>> is_stdout(Path("-")), is_stdout("out.csv")
    (True, False)
    """
    return str(path) == STDOUT


def output_format(path: Path | str, given: str | None = None) -> str:
    """The format an output is written in: ``given``, else from its name (``-``: CSV).

    Parameters
    ----------
    path : pathlib.Path or str
    given : {"csv", "parquet", "json"} or None, default=None
        A format asked for (e.g. ``--format``); None: from the name (a ``.json`` name
        is JSON, else see :func:`table_format`).

    Returns
    -------
    str

    Raises
    ------
    UsageError
        When ``given`` is no format, or the name tells none.

    Examples
    --------
    >>> output_format("-"), output_format("-", "json"), output_format("folds.json")
    ('csv', 'json', 'json')
    """
    if given is not None:
        if given not in OUTPUT_FORMATS:
            raise UsageError(f"unknown output format {given!r}; use one of csv, json, parquet")
        if given == "parquet" and is_stdout(path):
            raise UsageError("Parquet cannot be written to standard output (-); use csv or json")
        return given
    if is_stdout(path):
        return "csv"
    if Path(path).name.lower().endswith(".json"):
        return "json"
    return table_format(Path(path))


def _decode_errors() -> tuple[type[BaseException], ...]:
    """What a truncated or corrupt compressed file raises while it is decompressed."""
    found: list[type[BaseException]] = [EOFError, zlib.error]
    for module, name in (("lzma", "LZMAError"), ("zstandard", "ZstdError")):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(found)


def _import_hint(path: Path, kind: str, exc: ImportError) -> UsageError:
    """Name what is missing: pyarrow for Parquet, else the compression module."""
    if kind == "parquet":
        return UsageError(f"Parquet needs pyarrow: pip install smotekit[parquet] ({exc})")
    suffix = path.suffix.lower()
    _, needs = _COMPRESSION_MODULES.get(suffix, (exc.name or "?", exc.name or "?"))
    return UsageError(f"{str(path)!r}: {suffix or 'CSV'} files need {needs} ({exc})")


def _check_compression(path: Path) -> None:
    """Raise a :class:`UsageError` naming the module a compressed CSV needs, if missing."""
    entry = _COMPRESSION_MODULES.get(path.suffix.lower())
    if entry is None or table_format(path) != "csv":
        return
    try:
        importlib.import_module(entry[0])
    except ImportError as exc:
        raise _import_hint(path, "csv", exc) from None


def check_not_a_loop(path: Path, role: str) -> None:
    """Refuse a path that is (or goes through) a symbolic-link loop.

    Parameters
    ----------
    path : pathlib.Path
    role : str
        ``"input"`` or ``"output"``, for the message.

    Raises
    ------
    UsageError
        When resolving the path loops.
    """
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"{role} path {str(path)!r} is a symbolic-link loop (too many levels of links)"
            ) from None


def _duplicates(path: Path) -> list[str]:
    """The header names that appear more than once in a CSV file."""
    header = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False)
    names = [str(v) for v in header.iloc[0]] if len(header) else []
    return sorted({n for n in names if names.count(n) > 1})


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet table; any problem with the file is a :class:`UsageError`.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    DataFrame

    Raises
    ------
    UsageError
        When the file is missing, a folder, a link loop, empty, header-only, truncated or
        otherwise unreadable, has duplicate column names, or needs a missing module
        (pyarrow for Parquet, a compression module for ``.csv.bz2`` and the like).
    """
    kind = table_format(path)
    check_not_a_loop(path, "input")
    if not path.exists():
        raise UsageError(f"input file {str(path)!r} does not exist")
    if path.is_dir():
        raise UsageError(f"input {str(path)!r} is a folder, not a file")
    _check_compression(path)
    try:
        if kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path)
            duplicated = _duplicates(path)
            if duplicated:
                raise UsageError(
                    f"{str(path)!r} has duplicate column names: {', '.join(map(repr, duplicated))}"
                    "; rename them so that each column has its own name"
                )
    except ImportError as exc:
        raise _import_hint(path, kind, exc) from None
    except pd.errors.EmptyDataError:
        raise UsageError(f"{str(path)!r} is empty") from None
    except (
        pd.errors.ParserError,
        UnicodeDecodeError,
        ValueError,
        OSError,
        RuntimeError,
        *_decode_errors(),
    ) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(
            f"cannot read {str(path)!r} as {kind.upper()} (truncated or corrupt?): {first}"
        ) from None
    if len(frame) == 0:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise UsageError(f"{str(path)!r} has no rows, only a header (columns: {shown})")
    return frame


def check_output(path: Path, flag: str, fmt: str | None = None) -> None:
    """Everything about an output table that can be checked before any work.

    Its format, its folder (exists, is a folder, is writable), a compression
    module it needs, and that it is not a folder itself: a run that computes
    for an hour must not then fail to write.  ``-`` (standard output) needs no
    check beyond its format.

    Parameters
    ----------
    path : pathlib.Path
    flag : str
        The option that named it (``-o``, ``--output``), for messages.
    fmt : {"csv", "parquet", "json"} or None, default=None
        The format asked for; None: from the name (:func:`output_format`).

    Raises
    ------
    UsageError
    """
    kind = output_format(path, fmt)
    if is_stdout(path):
        return
    check_not_a_loop(path, "output")
    check_not_a_loop(path.parent, "output folder")
    if not path.parent.is_dir():
        raise UsageError(f"output folder {str(path.parent)!r} does not exist; check {flag}")
    if path.is_dir():
        raise UsageError(f"{flag} {str(path)!r} is a folder; name a file in it")
    if not os.access(path.parent, os.W_OK):
        raise UsageError(f"output folder {str(path.parent)!r} is not writable; check {flag}")
    if kind == "csv":
        _check_compression(path)
    elif kind == "parquet":
        try:
            importlib.import_module("pyarrow")
        except ImportError as exc:
            raise _import_hint(path, kind, exc) from None


def prepare_folder(path: Path, flag: str) -> None:
    """Create an output folder (and its parents) now, or say why it cannot be used."""
    check_not_a_loop(path, "output folder")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {str(path)!r} is a file; name a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {flag} folder {str(path)!r}: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise UsageError(f"{flag} folder {str(path)!r} is not writable")


def write_table(frame: pd.DataFrame, path: Path, fmt: str | None = None) -> None:
    """Write ``frame`` without its index, atomically (an existing file survives a failure).

    Parameters
    ----------
    frame : DataFrame
    path : pathlib.Path
        A ``.csv`` (optionally compressed), ``.parquet`` or ``.json`` file in an existing
        folder, or ``-``: standard output (CSV unless ``fmt`` says JSON).
    fmt : {"csv", "parquet", "json"} or None, default=None
        The format; None: from the name (:func:`output_format`).  JSON is a list of
        records, one object per row.

    Raises
    ------
    UsageError
        When the folder does not exist, the path is a link loop, or a needed module
        (pyarrow, a compression module) is missing.
    OSError
        When the disk fails; no temporary file is left.
    """
    from ..evaluation._atomic import atomic_path

    kind = output_format(path, fmt)
    if is_stdout(path):
        if kind == "json":
            sys.stdout.write(frame.to_json(orient="records") + "\n")
        else:
            frame.to_csv(sys.stdout, index=False)
        sys.stdout.flush()
        return
    check_not_a_loop(path, "output")
    check_not_a_loop(path.parent, "output folder")
    if not path.parent.is_dir():
        raise UsageError(f"output folder {str(path.parent)!r} does not exist")
    if kind == "csv":
        _check_compression(path)
    # A .csv.zip holds one member, named after the output (not the temporary file).
    compression: Any = "infer"
    if kind == "csv" and path.name.lower().endswith(".zip"):
        compression = {"method": "zip", "archive_name": path.name[: -len(".zip")]}
    try:
        with atomic_path(path) as tmp:
            if kind == "parquet":
                frame.to_parquet(tmp, index=False)
            elif kind == "json":
                frame.to_json(tmp, orient="records")
            else:
                frame.to_csv(tmp, index=False, compression=compression)
    except ImportError as exc:
        raise _import_hint(path, kind, exc) from None


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (also through ``..`` or a hard link).

    Parameters
    ----------
    a, b : pathlib.Path

    Returns
    -------
    bool

    Examples
    --------
    >>> same_file(Path("data/in.csv"), Path("data/sub/../in.csv"))
    True
    """
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return False
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def split_target(frame: pd.DataFrame, target: str, source: Path) -> tuple[pd.DataFrame, Any]:
    """The feature columns and the target column of a table.

    Parameters
    ----------
    frame : DataFrame
    target : str
        Name of the column of class labels.
    source : pathlib.Path
        Where the table was read (for the messages).

    Returns
    -------
    X : DataFrame
    y : Series

    Raises
    ------
    UsageError
        When there is no such column, or no other column.
    """
    if target not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise UsageError(f"no column {target!r} in {str(source)!r}; its columns are: {shown}")
    if frame.shape[1] < 2:
        raise UsageError(f"{str(source)!r} has no feature columns besides {target!r}")
    return frame.drop(columns=target), frame[target]
