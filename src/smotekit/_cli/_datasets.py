"""``smotekit datasets``: list the benchmark datasets, or fetch them into the cache."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from ._errors import DATASET_FLAGS, UsageError, flagged
from ._progress import want_progress

__all__ = ["cmd_datasets"]


def cmd_datasets(args: argparse.Namespace) -> int:
    """Run ``smotekit datasets [list | fetch NAMES]``.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.

    Returns
    -------
    int
        0 (failures raise).
    """
    from ..datasets import BENCHMARK_DATASETS, BUNDLED_DATASETS, fetch_datasets, get_data_home

    if args.action in (None, "list"):
        if args.names:
            raise UsageError("'datasets list' takes no names; use 'datasets fetch NAME'")
        home = get_data_home(args.data_home)
        rows = [
            (
                info.id,
                info.name,
                info.n_samples,
                info.n_features,
                info.n_minority if info.n_minority is not None else "?",
                info.ratio,
                "yes" if info.name in BUNDLED_DATASETS else "",
                "yes" if (home / f"{info.name}.npz").exists() else "",
            )
            for info in BENCHMARK_DATASETS
        ]
        columns = ["id", "name", "samples", "features", "minority", "ratio", "bundled", "cached"]
        print(pd.DataFrame(rows, columns=columns).to_string(index=False))
        print(f"\ncache: {home}")
        return 0
    if not args.names:
        raise UsageError("'datasets fetch' needs dataset names (comma-separated) or 'all'")
    text = ",".join(args.names)
    names = None if text.strip() == "all" else [n.strip() for n in text.split(",") if n.strip()]
    try:
        fetched = fetch_datasets(
            names,
            data_home=args.data_home,
            mirror=args.mirror,
            progress=want_progress(args.progress),
            timeout=getattr(args, "timeout", 60.0),
        )
    except ValueError as exc:
        raise UsageError(flagged(str(exc), DATASET_FLAGS)) from None
    except OSError as exc:  # DatasetError: a download or a mirror failed (exit status 1)
        raise OSError(flagged(str(exc), DATASET_FLAGS)) from None
    for name, bunch in fetched.items():
        n_min = int(np.sum(bunch.target == 1))
        print(f"{name}: {bunch.data.shape[0]} x {bunch.data.shape[1]}, {n_min} minority")
    print(f"cached in {get_data_home(args.data_home)}")
    return 0
