"""``smotekit resample``: resample a table and write it with its synthetic rows.

``--engine dask`` runs in :mod:`._dask_resample`; this module is the in-memory engine.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ._dask_resample import cmd_resample_dask, dask_only_options
from ._errors import UsageError, print_warnings
from ._methods import build_sampler, method_name, methods
from ._options import parse_strategy
from ._progress import stages, want_progress
from ._tables import (
    check_not_a_loop,
    check_output,
    read_table,
    same_file,
    split_target,
    write_table,
)

__all__ = ["cmd_resample"]


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
        return cmd_resample_dask(args, method_name(args.method))
    given = dask_only_options(args)
    if given:
        raise UsageError(f"{', '.join(given)} applies to --engine dask only")
    source, out = Path(args.input), Path(args.output)
    check_not_a_loop(source, "input")
    check_not_a_loop(out, "output")
    if same_file(source, out):
        raise UsageError(f"refusing to overwrite the input {str(source)!r}; choose another -o")
    check_output(out, "-o")  # before reading or resampling anything
    method = method_name(args.method)
    with stages(want_progress(args.progress), 3, "resample") as step:
        frame = read_table(source)
        X, y = split_target(frame, args.target, source)
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
                X_res, y_res = sampler.fit_resample(X, y)
            except (ValueError, TypeError) as exc:
                hint = ""
                if "SMOTENC" in str(exc) and "smotenc" in methods():
                    hint = " (smotekit resample --method smotenc)"
                raise UsageError(f"{method}: {exc}{hint}") from None
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
    print(f"wrote {out} ({len(result)} rows, {made}; {change})")
    return 0
