"""Files of ``smotekit resample --engine dask``: the inputs it reads, the outputs it writes.

Inputs: a Parquet file, a folder of Parquet parts, CSV files or a glob, read lazily.
Outputs: a folder of Parquet parts (names sortable in row order) or one CSV file, written to a
temporary sibling and renamed into place only once complete.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from ._errors import UsageError
from ._tables import _duplicates, check_not_a_loop, same_file, table_format

__all__ = [
    "CSV_WRITE",
    "check_columns",
    "check_output",
    "output_kind",
    "read_input",
    "repartition",
    "staged",
    "writer",
]

_PARQUET = (".parquet", ".pq")
#: CSV compressions that a file written a partition at a time (appended) supports.
CSV_WRITE = {".csv": None, ".gz": "gzip", ".bz2": "bz2", ".xz": "xz"}


def input_files(source: str) -> tuple[str, list[str]]:
    """``(format, files)`` of the input: a file, a folder of Parquet parts or a glob."""
    path = Path(source)
    check_not_a_loop(path, "input")
    if not path.exists() and glob.has_magic(source):
        files = sorted(glob.glob(source))
        if not files:
            raise UsageError(f"no file matches the input pattern {source!r}")
        return table_format(Path(files[0])), files
    if not path.exists():
        raise UsageError(f"input {source!r} does not exist")
    if path.is_dir():
        parts = [p for p in path.rglob("*") if p.suffix.lower() in _PARQUET]
        if not parts:
            raise UsageError(f"input folder {source!r} holds no .parquet files")
        return "parquet", [source]
    return table_format(path), [source]


def read_input(source: str) -> Any:
    """The input as a lazy dask DataFrame (only metadata and a sample are read here)."""
    import dask.dataframe as dd

    kind, files = input_files(source)
    try:
        if kind == "parquet":
            ddf = dd.read_parquet(files[0] if len(files) == 1 else files)
        else:
            repeated = _duplicates(Path(files[0]))
            if repeated:
                raise UsageError(
                    f"{files[0]!r} has duplicate column names: {', '.join(map(repr, repeated))}"
                )
            plain = all(f.lower().endswith(".csv") for f in files)
            ddf = dd.read_csv(files, blocksize="default" if plain else None)
    except UsageError:
        raise
    except (ValueError, OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"cannot read {source!r} as {kind.upper()}: {first}") from None
    return ddf


def check_columns(ddf: Any, target: str, source: str) -> None:
    if target not in ddf.columns:
        shown = ", ".join(map(str, ddf.columns[:10])) + (" ..." if len(ddf.columns) > 10 else "")
        raise UsageError(f"no column {target!r} in {source!r} (--target); its columns are: {shown}")
    if len(ddf.columns) < 2:
        raise UsageError(f"{source!r} has no feature columns besides {target!r}")


def output_kind(out: Path) -> str:
    """``"csv"`` (one file) or ``"parquet"`` (a folder of parts; also for a name without suffix)."""
    if out.suffix == "":
        return "parquet"
    kind = table_format(out)
    if kind == "csv" and out.suffix.lower() not in CSV_WRITE:
        raise UsageError(
            f"--engine dask cannot write {out.suffix} files; use .csv, .csv.gz, .csv.bz2, "
            ".csv.xz, or a Parquet folder (a name ending in .parquet, or without suffix)"
        )
    return kind


def check_output(source: str, out: Path, kind: str) -> None:
    """Refuse an output that is or lies in the input, an existing folder, or a missing parent."""
    check_not_a_loop(out, "output")
    check_not_a_loop(out.parent, "output folder")
    if not out.parent.is_dir():
        raise UsageError(f"output folder {str(out.parent)!r} does not exist; check -o")
    inputs = [Path(f) for f in input_files(source)[1]]
    for path in inputs:
        inside = path.is_dir() and out.resolve().is_relative_to(path.resolve())
        if same_file(path, out) or inside:
            raise UsageError(f"refusing to overwrite the input {str(path)!r}; choose another -o")
    if os.path.lexists(out) and (kind == "parquet" or out.is_dir()):
        raise UsageError(
            f"output {str(out)!r} already exists; remove it or choose another -o (a Parquet "
            "folder is never overwritten)"
        )


@contextmanager
def staged(out: Path, kind: str) -> Iterator[Path]:
    """A temporary sibling of ``out``, renamed to ``out`` if the block succeeds, else removed."""
    if kind == "csv":
        from ..evaluation._atomic import atomic_path

        with atomic_path(out) as tmp:
            yield tmp
        return
    tmp = out.parent / f".{out.name}.{secrets.token_hex(6)}.tmp"
    tmp.mkdir()
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def writer(result: Any, tmp: Path, kind: str, out: Path) -> Any:
    """The lazy write of ``result`` to ``tmp``."""
    if kind == "csv":
        compression = CSV_WRITE[out.suffix.lower()]
        return result.to_csv(
            str(tmp), single_file=True, index=False, compression=compression, compute=False
        )
    width = max(5, len(str(result.npartitions - 1)))  # part names sort in row order
    return result.to_parquet(
        tmp,
        write_index=False,
        compute=False,
        name_function=lambda i: f"part.{i:0{width}d}.parquet",
    )


def repartition(result: Any, rows: int | None, method: str) -> Any:
    """``result`` in parts of ``rows`` rows (the last one shorter), when its sizes are known."""
    if rows is None:
        return result
    if not result.known_divisions:
        warnings.warn(
            f"--partition-rows is ignored: the sizes of --method {method}'s output are known "
            "only once it is computed",
            UserWarning,
            stacklevel=2,
        )
        return result
    n_rows = int(result.divisions[-1]) + 1
    starts = list(range(0, n_rows, rows))
    return result.repartition(divisions=[*starts, max(n_rows - 1, starts[-1])])
