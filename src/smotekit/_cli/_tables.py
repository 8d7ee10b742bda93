"""Read and write the command's tables (CSV, compressed CSV, Parquet); writes are atomic."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ._errors import UsageError

__all__ = ["read_table", "same_file", "split_target", "table_format", "write_table"]

_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zst", ".csv.zip")
_PARQUET_SUFFIXES = (".parquet", ".pq")


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


def _parquet_hint(exc: ImportError) -> UsageError:
    return UsageError(f"Parquet needs pyarrow: pip install smotekit[parquet] ({exc})")


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
        When the file is missing, a folder, empty or unreadable, or Parquet lacks pyarrow.
    """
    kind = table_format(path)
    if not path.exists():
        raise UsageError(f"input file {str(path)!r} does not exist")
    if path.is_dir():
        raise UsageError(f"input {str(path)!r} is a folder, not a file")
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except ImportError as exc:
        raise _parquet_hint(exc) from None
    except pd.errors.EmptyDataError:
        raise UsageError(f"{str(path)!r} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"cannot read {str(path)!r} as {kind.upper()}: {first}") from None


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` without its index, atomically (an existing file survives a failure).

    Parameters
    ----------
    frame : DataFrame
    path : pathlib.Path
        A ``.csv`` (optionally compressed) or ``.parquet`` file in an existing folder.

    Raises
    ------
    UsageError
        When the folder does not exist, or Parquet lacks pyarrow.
    OSError
        When the disk fails; no temporary file is left.
    """
    from ..evaluation._atomic import atomic_path

    kind = table_format(path)
    if not path.parent.is_dir():
        raise UsageError(f"output folder {str(path.parent)!r} does not exist")
    try:
        with atomic_path(path) as tmp:
            if kind == "parquet":
                frame.to_parquet(tmp, index=False)
            else:
                frame.to_csv(tmp, index=False)
    except ImportError as exc:
        raise _parquet_hint(exc) from None


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
    if a.resolve() == b.resolve():
        return True
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
