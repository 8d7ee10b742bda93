"""``smotekit resample``: resample a table and write it with its synthetic rows.

``--engine dask`` runs in :mod:`._dask_resample`; this module is the in-memory engine.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._dask_resample import cmd_resample_dask, dask_only_options
from ._errors import SAMPLER_FLAGS, UsageError, flagged, print_warnings
from ._methods import build_sampler, method_name, methods
from ._options import parse_strategy
from ._progress import stages, want_progress
from ._tables import (
    check_not_a_loop,
    check_output,
    is_stdout,
    read_table,
    same_file,
    split_target,
    write_table,
)

__all__ = ["cmd_resample"]


def _memory_only_options(args: argparse.Namespace) -> list[str]:
    """The flags given that only the in-memory engine supports."""
    given = []
    if getattr(args, "passthrough", None) is not None:
        given.append("--passthrough")
    if getattr(args, "passthrough_fill", "seed") != "seed":
        given.append("--passthrough-fill")
    if getattr(args, "flag_synthetic", None) is not None:
        given.append("--flag-synthetic")
    if is_stdout(args.output):
        given.append("-o - (standard output)")
    return given


def _passthrough_columns(args: argparse.Namespace) -> list[str]:
    """``--passthrough``'s columns, checked against what the other options allow."""
    text = getattr(args, "passthrough", None)
    if text is None:
        if getattr(args, "passthrough_fill", "seed") != "seed":
            raise UsageError("--passthrough-fill applies only with --passthrough COLS")
        return []
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    if not names:
        raise UsageError(f"--passthrough takes column names separated by commas; got {text!r}")
    if args.target in names:
        raise UsageError(
            f"--passthrough names the target column {args.target!r}: the labels are "
            "resampled with the rows, never passed through"
        )
    if args.categorical:
        both = [c.strip() for c in args.categorical.split(",") if c.strip() in names]
        if both:
            raise UsageError(
                f"{', '.join(map(repr, both))} is both in --passthrough and --categorical; "
                "a passed-through column is not resampled"
            )
    return names


def _check_columns(
    frame: pd.DataFrame, args: argparse.Namespace, names: list[str], source: Path
) -> None:
    """The passthrough and flag columns against the table's columns (before resampling)."""
    unknown = [n for n in names if n not in frame.columns]
    if unknown:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise UsageError(
            f"--passthrough names column(s) {', '.join(map(repr, unknown))} that "
            f"{str(source)!r} does not have; its columns are: {shown}"
        )
    if names and len(names) == frame.shape[1] - 1:
        raise UsageError(
            "--passthrough names every feature column; leave at least one column to resample"
        )
    flag = getattr(args, "flag_synthetic", None)
    if flag is not None and flag in frame.columns:
        raise UsageError(
            f"--flag-synthetic {flag!r} is already a column of {str(source)!r}; choose another name"
        )


def _resample(sampler: Any, X: pd.DataFrame, y: pd.Series, args: argparse.Namespace) -> Any:
    """``fit_resample``, or :func:`smotekit.resample_with_passthrough` when asked for."""
    names = _passthrough_columns(args)
    flag = getattr(args, "flag_synthetic", None)
    if not names and flag is None:
        return sampler.fit_resample(X, y)
    from .._passthrough import resample_with_passthrough

    return resample_with_passthrough(
        sampler,
        X,
        y,
        names,
        fill=getattr(args, "passthrough_fill", "seed"),
        flag_synthetic=flag,
    )


def cmd_resample(args: argparse.Namespace) -> int:
    """Run ``smotekit resample``; print what was written.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.

    Returns
    -------
    int
        0 (failures raise).
    """
    if getattr(args, "engine", "memory") == "dask":
        given = _memory_only_options(args)
        if given:
            verb = "apply" if len(given) > 1 else "applies"
            raise UsageError(f"{', '.join(given)} {verb} to --engine memory only")
        return cmd_resample_dask(args, method_name(args.method))
    given = dask_only_options(args)
    if given:
        raise UsageError(f"{', '.join(given)} applies to --engine dask only")
    source, out = Path(args.input), Path(args.output)
    to_stdout = is_stdout(out)
    check_not_a_loop(source, "input")
    if not to_stdout:
        check_not_a_loop(out, "output")
        if same_file(source, out):
            raise UsageError(f"refusing to overwrite the input {str(source)!r}; choose another -o")
    check_output(out, "-o")  # before reading or resampling anything
    method = method_name(args.method)
    names = _passthrough_columns(args)
    flag = getattr(args, "flag_synthetic", None)
    if flag is not None and flag == args.target:
        raise UsageError(f"--flag-synthetic {flag!r} is the target column; choose another name")
    flags = {**SAMPLER_FLAGS, **_neighbour_flag(method)}
    with stages(want_progress(args.progress), 3, "resample") as step:
        frame = read_table(source)
        X, y = split_target(frame, args.target, source)
        _check_columns(frame, args, names, source)
        step("read")
        sampler = build_sampler(
            method,
            strategy=parse_strategy(args.strategy, y),
            seed=args.seed,
            k=args.k,
            m=args.m,
            n_jobs=args.n_jobs,
            categorical=args.categorical.split(",") if args.categorical else None,
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                X_res, y_res = _resample(sampler, X, y, args)
            except (ValueError, TypeError) as exc:
                hint = ""
                if "SMOTENC" in str(exc) and "smotenc" in methods():
                    hint = " (smotekit resample --method smotenc)"
                raise UsageError(f"{method}: {flagged(str(exc), flags)}{hint}") from None
        print_warnings(caught)
        step("resampled")
        result = X_res.copy() if isinstance(X_res, pd.DataFrame) else pd.DataFrame(X_res)
        result.insert(frame.columns.get_loc(args.target), args.target, np.asarray(y_res))
        write_table(result, out)
        step("written")
    before = y.value_counts(sort=False).to_dict()
    after = pd.Series(np.asarray(y_res)).value_counts(sort=False).to_dict()
    change = ", ".join(f"{label}: {before.get(label, 0)} -> {n}" for label, n in after.items())
    provenance = getattr(sampler, "provenance_", None)
    synthetic = len(provenance) if provenance is not None else max(len(result) - len(frame), 0)
    removed = len(frame) + synthetic - len(result)
    if getattr(sampler, "_sampling_type", "over-sampling") != "over-sampling":
        made = f"{removed} removed"
    elif removed:
        # over-sampling then cleaning (SMOTEENN, SMOTETomek)
        made = f"{synthetic} synthetic kept, {removed} original removed"
    else:
        made = f"{synthetic} synthetic"
    where = "standard output" if to_stdout else out
    print(f"wrote {where} ({len(result)} rows, {made}; {change})", file=_summary_stream(to_stdout))
    return 0


def _summary_stream(to_stdout: bool) -> Any:
    """Where the summary line goes: stderr when the table itself is on stdout."""
    return sys.stderr if to_stdout else sys.stdout


def _neighbour_flag(method: str) -> dict[str, str]:
    """``{parameter: "--k"}`` for the method's neighbour count, if it has one."""
    k_param = methods()[method].neighbors
    return {k_param: "--k"} if k_param else {}
