"""``smotekit compare``: cross-validate resamplers on a table or on benchmark datasets."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from ._compare_io import Checkpoint, results_json
from ._errors import UsageError, flagged, print_warnings
from ._estimators import describe_estimators, make_estimator
from ._methods import build_sampler, method_name, neighbor_param
from ._options import int_list, make_scaler, parse_cv
from ._progress import want_progress
from ._tables import (
    check_output,
    is_stdout,
    output_format,
    prepare_folder,
    read_table,
    same_file,
    split_target,
    write_table,
)

__all__ = ["Dataset", "cmd_compare", "load_inputs"]

_FLAGS = {
    "mirror": "--mirror",
    "data_home": "--data-home",
    "k_neighbors": "--k",
    "n_neighbors": "--k",
    "m_neighbors": "--m",
    "cv": "--cv",
    "scoring": "--metrics",
    "timeout": "--timeout",
}
#: Share of distinct values above which a text column is taken for an identifier.
ID_SHARE = 0.5


class Dataset:
    """One table to compare on: name, features, labels, where it came from, what was left out."""

    def __init__(self, name: str, X: Any, y: Any, source: str, ignored: list[str]) -> None:
        self.name, self.X, self.y, self.source, self.ignored = name, X, y, source, ignored


def _identifier_columns(X: pd.DataFrame) -> list[str]:
    """Text columns with a distinct value on more than :data:`ID_SHARE` of the rows."""
    found = []
    for column, dtype in X.dtypes.items():
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            continue
        if X[column].nunique(dropna=True) > ID_SHARE * len(X):
            found.append(str(column))
    return found


def _table(args: argparse.Namespace) -> Dataset:
    if not args.target:
        raise UsageError("--target COL is required with an input file")
    source = Path(args.input)
    X, y = split_target(read_table(source), args.target, source)
    asked = [c.strip() for c in args.ignore.split(",") if c.strip()] if args.ignore else []
    unknown = [c for c in asked if c not in X.columns]
    if unknown:
        raise UsageError(
            f"--ignore names column(s) {', '.join(unknown)}, which are not in {str(source)!r}"
        )
    found = [c for c in _identifier_columns(X.drop(columns=asked)) if c not in asked]
    ignored = asked + found
    if len(ignored) == X.shape[1]:
        raise UsageError("--ignore leaves no feature column to compare on")
    return Dataset(
        source.name.split(".")[0], X.drop(columns=ignored), y.to_numpy(), str(source), ignored
    )


def load_inputs(args: argparse.Namespace) -> list[Dataset]:
    """The datasets to compare on: the input table, or the ``--dataset`` names.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``compare`` (``input``, ``target``, ``ignore``, ``dataset``,
        ``data_home``, ``mirror``, ``progress``, ``timeout``).

    Returns
    -------
    list of Dataset

    Raises
    ------
    UsageError
        For both or neither of a table and ``--dataset``, a table without ``--target``,
        an ``--ignore`` column it lacks, or an unknown dataset.
    """
    if bool(args.input) == bool(args.dataset):
        raise UsageError("give either an input file (with --target) or --dataset NAMES")
    if args.input:
        return [_table(args)]
    if args.ignore:
        raise UsageError("--ignore applies to an input file, not to --dataset")
    from ..datasets import BUNDLED_DATASETS, fetch_datasets, load_dataset

    names = [n.strip() for n in args.dataset.split(",") if n.strip()]
    loaded = []
    for name in names:
        if name in BUNDLED_DATASETS:
            loaded.append(Dataset(name, *load_dataset(name), "bundled with smotekit", []))
            continue
        try:
            bunch = fetch_datasets(
                [name],
                data_home=args.data_home,
                mirror=args.mirror,
                progress=want_progress(args.progress),
                timeout=getattr(args, "timeout", 60.0),
            )[name]
        except ValueError as exc:
            raise UsageError(flagged(str(exc), _FLAGS)) from None
        where = args.mirror or "Zenodo (imbalanced-learn's benchmark collection)"
        loaded.append(Dataset(name, bunch.data, bunch.target, f"fetched from {where}", []))
    return loaded


def _samplers(args: argparse.Namespace, X: Any) -> dict[str, Any] | None:
    """The ``--methods`` (None: the defaults for this data) with ``--k`` sweeps."""
    if args.methods is None and not args.k and args.m is None:
        return None
    from ..evaluation import k_sweep
    from ..evaluation._samplers import default_samplers

    ks = int_list(args.k, "--k") if args.k else [None]
    texts = args.methods.split(",") if args.methods else list(default_samplers(X))
    samplers: dict[str, Any] = {}
    for text in texts:
        method = method_name(text)
        sampler = build_sampler(method, seed=args.seed, k=ks[0], m=args.m)
        if len(ks) > 1:
            if neighbor_param(method) is None:
                raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
            samplers |= k_sweep(sampler, ks)
        else:
            samplers[method] = sampler
    return samplers


def _check_outputs(args: argparse.Namespace) -> None:
    """Every output checked (the report folder created) before any fold is computed."""
    if args.format and not args.output:
        raise UsageError("--format applies to --output; name the output (- for stdout)")
    if args.output and args.input and not is_stdout(args.output):
        if same_file(Path(args.output), Path(args.input)):
            raise UsageError(
                f"refusing to overwrite the input {args.input!r}; choose another --output"
            )
    if args.report:
        prepare_folder(Path(args.report), "--report")
    if args.output:
        check_output(Path(args.output), "--output", args.format)


def _quality(dataset: Dataset, samplers: dict[str, Any], scaler: Any) -> tuple[dict, list[str]]:
    """The synthetic-row audit of each over-sampler, fitted once on the whole table."""
    from sklearn.base import clone

    from ..evaluation import synthetic_quality
    from ..evaluation._mixed import numeric_preprocessor

    prep = numeric_preprocessor(scaler, dataset.X)
    X = clone(prep).fit_transform(dataset.X, dataset.y) if prep is not None else dataset.X
    audits, notes = {}, []
    for name, sampler in samplers.items():
        if sampler is None or getattr(sampler, "_sampling_type", "") != "over-sampling":
            continue
        try:
            fitted = clone(sampler)
            X_res, y_res = fitted.fit_resample(X, dataset.y)
            audits[name] = synthetic_quality(X, dataset.y, X_res, y_res)
        except (ValueError, TypeError) as exc:
            notes.append(f"The quality audit of {name} was left out: {exc}")
    return audits, notes


def cmd_compare(args: argparse.Namespace) -> int:
    """Run ``smotekit compare``: verdict and interval tables, results and report if asked.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.

    Returns
    -------
    int
        0 (failures raise).
    """
    from ..evaluation._metrics import check_metrics

    if args.estimator.strip().lower() == "list":
        print(describe_estimators())
        return 0
    try:
        metrics = check_metrics(args.metrics.split(",") if args.metrics else None)
    except ValueError as exc:
        raise UsageError(f"--metrics: {exc}") from None
    cv = parse_cv(args.cv, args.seed)
    estimator = make_estimator(args.estimator, args.seed)
    _check_outputs(args)
    checkpoint = Checkpoint.for_args(args)
    saved = checkpoint.open(args.resume) if checkpoint is not None else {}
    try:
        return _run(args, metrics, cv, estimator, checkpoint, saved)
    except BaseException:  # Ctrl-C, SIGTERM, a failure: say what is kept
        kept = checkpoint.saved_folds() if checkpoint is not None else 0
        if kept:
            print(
                f"smotekit: {kept} finished fold(s) are saved in {str(checkpoint.folder)!r}; "
                "run the same command with --resume to continue",
                file=sys.stderr,
            )
        raise


def _run(
    args: argparse.Namespace,
    metrics: list[str],
    cv: Any,
    estimator: Any,
    checkpoint: Checkpoint | None,
    saved: dict[str, pd.DataFrame],
) -> int:
    from ..evaluation import combine_results, compare, summarize, write_report
    from ..evaluation._report import interval_table

    # Tables go to stdout unless the results themselves do.
    show = sys.stderr if args.output and is_stdout(args.output) else sys.stdout
    runs: dict[str, pd.DataFrame] = {}
    details: dict[str, dict] = {}
    quality: dict[str, Any] = {}
    notes: list[str] = []
    for dataset in load_inputs(args):
        samplers = _samplers(args, dataset.X)

        def save(fold: pd.DataFrame, name: str = dataset.name) -> None:
            if checkpoint is not None:
                checkpoint.save_fold(name, fold)

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                results = compare(
                    dataset.X,
                    dataset.y,
                    samplers,
                    estimator,
                    cv=cv,
                    scoring=metrics,
                    preprocessor=make_scaler(args.scale),
                    n_jobs=args.n_jobs,
                    random_state=args.seed,
                    progress=want_progress(args.progress),
                    threshold_baseline=not args.no_threshold_baseline,
                    on_fold=save,
                    done=saved.get(dataset.name),
                )
            except (ValueError, TypeError) as exc:
                raise UsageError(f"{dataset.name}: {flagged(str(exc), _FLAGS)}") from None
            if args.report:
                started = time.perf_counter()
                from ..evaluation._mixed import mixed_samplers
                from ..evaluation._samplers import default_samplers

                chosen = samplers if samplers is not None else default_samplers(dataset.X)
                named, _ = mixed_samplers(chosen, dataset.X)
                audits, quality_notes = _quality(dataset, named, make_scaler(args.scale))
                quality |= {f"{dataset.name}/{k}": v for k, v in audits.items()}
                notes += [f"{dataset.name}: {n}" for n in quality_notes]
                results.attrs["timing"]["quality"] = round(time.perf_counter() - started, 3)
        print_warnings(caught)
        runs[dataset.name] = results
        details[dataset.name] = {"source": dataset.source, "left out": dataset.ignored or "none"}
        if dataset.ignored:
            results.attrs["notes"].append(
                f"left out of the comparison: {', '.join(dataset.ignored)} (--ignore, or text "
                "columns with a distinct value on most rows)"
            )
    combined = combine_results(runs, details=details)
    combined.attrs["inputs"] = {
        "command": shlex.join(["smotekit", *getattr(args, "argv", sys.argv[1:])]),
        **combined.attrs["inputs"],
    }
    combined.attrs["notes"] += notes
    notes = combined.attrs["notes"]
    summary = summarize(combined)
    print("Verdict (Bonferroni-corrected within each dataset and metric family):", file=show)
    for line in summary.attrs["verdict"]:
        print(f"- {line}", file=show)
    for note in notes:
        print(f"note: {note}", file=show)
    print(file=show)
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        for metric in metrics:
            print(interval_table(summary, metric).to_string(index=False), end="\n\n", file=show)
    if args.output:
        out = Path(args.output)
        if output_format(out, args.format) == "json":
            text = results_json(
                combined, summary, summary.attrs["verdict"], combined.attrs["inputs"]
            )
            if is_stdout(out):
                sys.stdout.write(text)
            else:
                from ..evaluation._atomic import write_bytes

                write_bytes(out, text.encode("utf-8"))
        else:
            write_table(combined, out, args.format)
        if not is_stdout(out):
            print(f"wrote {args.output}", file=show)
    if args.report:
        paths = write_report(combined, args.report, quality=quality or None)
        print(f"wrote {paths['html']} and {paths['markdown']}", file=show)
    if checkpoint is not None:
        checkpoint.remove()
    return 0
