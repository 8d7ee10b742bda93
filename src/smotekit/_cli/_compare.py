"""``smotekit compare``: cross-validate resamplers on a table or on benchmark datasets."""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from ._errors import UsageError, print_warnings
from ._methods import build_sampler, method_name, neighbor_param
from ._options import int_list, make_estimator, make_scaler, parse_cv
from ._progress import want_progress
from ._tables import (
    check_output,
    prepare_folder,
    read_table,
    same_file,
    split_target,
    write_table,
)

__all__ = ["cmd_compare", "load_inputs"]


def load_inputs(args: argparse.Namespace) -> list[tuple[str, Any, Any]]:
    """The datasets to compare on: the input table, or the ``--dataset`` names.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``compare`` (``input``, ``target``, ``dataset``, ``data_home``,
        ``mirror``, ``progress``, ``timeout``).

    Returns
    -------
    list of (str, X, y)
        The name, features and labels of each dataset.

    Raises
    ------
    UsageError
        For both or neither of a table and ``--dataset``, a table without ``--target``
        or with non-numeric features, or an unknown dataset.
    """
    if bool(args.input) == bool(args.dataset):
        raise UsageError("give either an input file (with --target) or --dataset NAMES")
    if args.input:
        if not args.target:
            raise UsageError("--target COL is required with an input file")
        source = Path(args.input)
        X, y = split_target(read_table(source), args.target, source)
        bad = [str(c) for c, d in X.dtypes.items() if not pd.api.types.is_numeric_dtype(d)]
        if bad:
            raise UsageError(
                f"compare needs numeric feature columns; encode {', '.join(bad[:5])} first"
            )
        name = source.name.split(".")[0]
        return [(name, X, y.to_numpy())]
    from ..datasets import BUNDLED_DATASETS, fetch_datasets, load_dataset

    names = [n.strip() for n in args.dataset.split(",") if n.strip()]
    loaded = []
    for name in names:
        if name in BUNDLED_DATASETS:
            loaded.append((name, *load_dataset(name)))
        else:
            try:
                bunch = fetch_datasets(
                    [name],
                    data_home=args.data_home,
                    mirror=args.mirror,
                    progress=want_progress(args.progress),
                    timeout=getattr(args, "timeout", 60.0),
                )[name]
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            loaded.append((name, bunch.data, bunch.target))
    return loaded


def cmd_compare(args: argparse.Namespace) -> int:
    """Run ``smotekit compare``; print interval tables, write results and report if asked.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.

    Returns
    -------
    int
        0 (failures raise).
    """
    from ..evaluation import compare, k_sweep, summarize, write_report
    from ..evaluation._metrics import check_metrics
    from ..evaluation._report import interval_table

    metrics = check_metrics(args.metrics.split(",") if args.metrics else None)
    ks = int_list(args.k, "--k") if args.k else [None]
    samplers: dict[str, Any] = {}
    for text in args.methods.split(","):
        method = method_name(text)
        sampler = build_sampler(method, seed=args.seed, k=ks[0], m=args.m)
        if len(ks) > 1:
            if neighbor_param(method) is None:
                raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
            samplers |= k_sweep(sampler, ks)
        else:
            samplers[method] = sampler
    cv = parse_cv(args.cv, args.seed)
    if args.output and args.input and same_file(Path(args.output), Path(args.input)):
        raise UsageError(f"refusing to overwrite the input {args.input!r}; choose another --output")
    # Every output is checked (the report folder created) before any fold is computed.
    if args.report:
        prepare_folder(Path(args.report), "--report")
    if args.output:
        check_output(Path(args.output), "--output")
    frames = []
    for name, X, y in load_inputs(args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                results = compare(
                    X,
                    y,
                    samplers,
                    make_estimator(args.estimator, args.seed),
                    cv=cv,
                    scoring=metrics,
                    preprocessor=make_scaler(args.scale),
                    n_jobs=args.n_jobs,
                    progress=want_progress(args.progress),
                )
            except (ValueError, TypeError) as exc:
                raise UsageError(f"{name}: {exc}") from None
        print_warnings(caught)
        attrs = dict(results.attrs)
        frames.append(results.assign(dataset=name))
    combined = pd.concat(frames, ignore_index=True)
    combined = combined[["dataset", *[c for c in combined.columns if c != "dataset"]]]
    combined.attrs.update(attrs)
    summary = summarize(combined)
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        for metric in metrics:
            print(interval_table(summary, metric).to_string(index=False), end="\n\n")
    if args.output:
        write_table(combined, Path(args.output))
        print(f"wrote {args.output}")
    if args.report:
        paths = write_report(combined, args.report)
        print(f"wrote {paths['html']} and {paths['markdown']}")
    return 0
