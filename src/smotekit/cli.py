"""The ``smotekit`` command: resample a table, compare resamplers, manage datasets.

::

    smotekit resample IN --target COL [--method smote] [--k 5] [--strategy auto]
                         [--seed 0] -o OUT
    smotekit compare IN --target COL [--methods smote,adasyn,borderline1] [--cv 5x3]
                        [--report DIR]
    smotekit compare --dataset ecoli,thyroid_sick [...]
    smotekit datasets [list | fetch NAME[,NAME...] | fetch all]
    smotekit demo [--report reports]

Every subcommand maps its options onto the public API; the logic lives there.
User errors (bad options, unreadable or unsuitable input) end with one line
``smotekit: error: ...`` on stderr and exit status 2; failures of the system
(disk, network) exit with 1.  Files are written atomically: to a temporary file
in the target folder, renamed over the target only once complete.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

__all__ = ["main"]

_PROG = "smotekit"
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zst", ".csv.zip")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")
_ALIASES = {"ros": "random", "borderline": "borderline1", "borderline-1": "borderline1"}
_ALIASES |= {"borderline-2": "borderline2", "randomoversampler": "random"}


class UsageError(Exception):
    """A user error: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ----------------------------------------------------------------------------- methods


def _methods() -> dict[str, tuple[type, dict[str, Any], str | None]]:
    """``{name: (class, fixed parameters, neighbour-count parameter)}``."""
    import smotekit

    methods: dict[str, tuple[type, dict[str, Any], str | None]] = {
        "smote": (smotekit.SMOTE, {}, "k_neighbors"),
        "borderline1": (smotekit.BorderlineSMOTE, {"kind": "borderline-1"}, "k_neighbors"),
        "borderline2": (smotekit.BorderlineSMOTE, {"kind": "borderline-2"}, "k_neighbors"),
        "adasyn": (smotekit.ADASYN, {}, "n_neighbors"),
        "random": (smotekit.RandomOverSampler, {}, None),
    }
    for name in ("SMOTENC", "SMOTEN"):
        cls = getattr(smotekit, name, None)
        if cls is not None:
            methods[name.lower()] = (cls, {}, "k_neighbors")
    return methods


def _method_name(text: str) -> str:
    name = _ALIASES.get(text.strip().lower(), text.strip().lower())
    methods = _methods()
    if name not in methods:
        hint = " (not available in this installation)" if name in ("smotenc", "smoten") else ""
        raise UsageError(
            f"unknown method {text!r}{hint}; choose from {', '.join(methods)} "
            "(aliases: ros = random, borderline = borderline1)"
        )
    return name


def _build_sampler(
    method: str,
    *,
    strategy: Any = "auto",
    seed: int | None = 0,
    k: int | None = None,
    m: int | None = None,
    n_jobs: int | None = None,
    categorical: list[str] | None = None,
) -> Any:
    cls, fixed, k_param = _methods()[method]
    params = dict(fixed, sampling_strategy=strategy, random_state=seed)
    accepted = inspect.signature(cls).parameters
    if k is not None:
        if k_param is None:
            raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
        params[k_param] = k
    if m is not None:
        if "m_neighbors" not in accepted:
            raise UsageError(f"--m applies to borderline1 and borderline2 only, not {method}")
        params["m_neighbors"] = m
    if n_jobs is not None and "n_jobs" in accepted:
        params["n_jobs"] = n_jobs
    if "categorical_features" in accepted:
        params["categorical_features"] = categorical or "auto"
    elif categorical:
        raise UsageError(f"--categorical applies to smotenc only, not {method}")
    return cls(**params)


def _parse_strategy(text: str, y: pd.Series) -> Any:
    text = text.strip()
    if text.replace("_", " ") in _STRATEGIES:
        return text.replace("_", " ")
    try:
        return float(text)
    except ValueError:
        pass
    if ":" not in text and "=" not in text:
        raise UsageError(
            f"--strategy {text!r} is not understood; use one of {', '.join(_STRATEGIES)}, a "
            "ratio such as 0.5, or target counts such as 1:500,2:300"
        )
    labels = {str(label): label for label in pd.unique(y.dropna())}
    strategy = {}
    for item in text.split(","):
        label, _, count = item.replace("=", ":").partition(":")
        if label.strip() not in labels:
            raise UsageError(
                f"--strategy names the class {label.strip()!r}, which is not in the target "
                f"column; its classes are {', '.join(labels)}"
            )
        try:
            strategy[labels[label.strip()]] = int(count)
        except ValueError:
            raise UsageError(f"--strategy: {count!r} is not a whole number of rows") from None
    return strategy


def _int_list(text: str, option: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(
            f"{option} takes whole numbers separated by commas; got {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise UsageError(f"{option} takes whole numbers >= 1; got {text!r}")
    return values


# ------------------------------------------------------------------------ reading files


def _format(path: Path) -> str:
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


def _read_table(path: Path) -> pd.DataFrame:
    kind = _format(path)
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


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    from .evaluation._atomic import atomic_path

    kind = _format(path)
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


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _split_target(frame: pd.DataFrame, target: str, source: Path) -> tuple[pd.DataFrame, Any]:
    if target not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:10])) + (" ..." if frame.shape[1] > 10 else "")
        raise UsageError(f"no column {target!r} in {str(source)!r}; its columns are: {shown}")
    if frame.shape[1] < 2:
        raise UsageError(f"{str(source)!r} has no feature columns besides {target!r}")
    return frame.drop(columns=target), frame[target]


# ----------------------------------------------------------------------------- progress


def _want_progress(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return sys.stderr.isatty()


@contextmanager
def _stages(enabled: bool, total: int, desc: str) -> Iterator[Callable[[str], None]]:
    """A progress bar over named stages (a no-op without tqdm or when disabled)."""
    bar = None
    if enabled:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr)
        except ImportError:
            bar = None

    def step(name: str) -> None:
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)

    try:
        yield step
    finally:
        if bar is not None:
            bar.close()


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        print(f"{_PROG}: warning: {' '.join(str(w.message).split())}", file=sys.stderr)


# ----------------------------------------------------------------------------- commands


def _cmd_resample(args: argparse.Namespace) -> int:
    source, out = Path(args.input), Path(args.output)
    if _same_file(source, out):
        raise UsageError(f"refusing to overwrite the input {str(source)!r}; choose another -o")
    _format(out)
    method = _method_name(args.method)
    with _stages(_want_progress(args.progress), 3, "resample") as step:
        frame = _read_table(source)
        X, y = _split_target(frame, args.target, source)
        step("read")
        sampler = _build_sampler(
            method,
            strategy=_parse_strategy(args.strategy, y),
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
                if "SMOTENC" in str(exc) and "smotenc" in _methods():
                    hint = " (smotekit resample --method smotenc)"
                raise UsageError(f"{method}: {exc}{hint}") from None
        _report_warnings(caught)
        step("resampled")
        result = X_res.copy() if isinstance(X_res, pd.DataFrame) else pd.DataFrame(X_res)
        result.insert(frame.columns.get_loc(args.target), args.target, np.asarray(y_res))
        _write_table(result, out)
        step("written")
    before = y.value_counts(sort=False).to_dict()
    after = pd.Series(np.asarray(y_res)).value_counts(sort=False).to_dict()
    change = ", ".join(f"{label}: {before.get(label, 0)} -> {n}" for label, n in after.items())
    print(f"wrote {out} ({len(result)} rows, {len(result) - len(frame)} synthetic; {change})")
    return 0


def _load_inputs(args: argparse.Namespace) -> list[tuple[str, Any, Any]]:
    if bool(args.input) == bool(args.dataset):
        raise UsageError("give either an input file (with --target) or --dataset NAMES")
    if args.input:
        if not args.target:
            raise UsageError("--target COL is required with an input file")
        source = Path(args.input)
        X, y = _split_target(_read_table(source), args.target, source)
        bad = [str(c) for c, d in X.dtypes.items() if not pd.api.types.is_numeric_dtype(d)]
        if bad:
            raise UsageError(
                f"compare needs numeric feature columns; encode {', '.join(bad[:5])} first"
            )
        name = source.name.split(".")[0]
        return [(name, X, y.to_numpy())]
    from .datasets import BUNDLED_DATASETS, fetch_datasets, load_dataset

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
                    progress=_want_progress(args.progress),
                )[name]
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            loaded.append((name, bunch.data, bunch.target))
    return loaded


def _estimator(name: str, seed: int | None) -> Any:
    if name == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(n_estimators=100, random_state=seed)
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def _scaler(name: str) -> Any:
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    return {"minmax": MinMaxScaler(), "standard": StandardScaler(), "none": None}[name]


def _cmd_compare(args: argparse.Namespace) -> int:
    from .evaluation import check_cv, compare, k_sweep, summarize, write_report
    from .evaluation._metrics import check_metrics
    from .evaluation._report import interval_table

    metrics = check_metrics(args.metrics.split(",") if args.metrics else None)
    ks = _int_list(args.k, "--k") if args.k else [None]
    samplers: dict[str, Any] = {}
    for text in args.methods.split(","):
        method = _method_name(text)
        sampler = _build_sampler(method, seed=args.seed, k=ks[0], m=args.m)
        if len(ks) > 1:
            if _methods()[method][2] is None:
                raise UsageError(f"--k does not apply to --method {method} (it has no neighbours)")
            samplers |= k_sweep(sampler, ks)
        else:
            samplers[method] = sampler
    cv = check_cv(int(args.cv) if args.cv.isdigit() else args.cv, args.seed)
    if args.output and args.input and _same_file(Path(args.output), Path(args.input)):
        raise UsageError(f"refusing to overwrite the input {args.input!r}; choose another --output")
    frames = []
    for name, X, y in _load_inputs(args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                results = compare(
                    X,
                    y,
                    samplers,
                    _estimator(args.estimator, args.seed),
                    cv=cv,
                    scoring=metrics,
                    preprocessor=_scaler(args.scale),
                    n_jobs=args.n_jobs,
                    progress=_want_progress(args.progress),
                )
            except (ValueError, TypeError) as exc:
                raise UsageError(f"{name}: {exc}") from None
        _report_warnings(caught)
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
        _write_table(combined, Path(args.output))
        print(f"wrote {args.output}")
    if args.report:
        paths = write_report(combined, args.report)
        print(f"wrote {paths['html']} and {paths['markdown']}")
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from .datasets import BENCHMARK_DATASETS, BUNDLED_DATASETS, fetch_datasets, get_data_home

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
            progress=_want_progress(args.progress),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for name, bunch in fetched.items():
        n_min = int(np.sum(bunch.target == 1))
        print(f"{name}: {bunch.data.shape[0]} x {bunch.data.shape[1]}, {n_min} minority")
    print(f"cached in {get_data_home(args.data_home)}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .evaluation import check_cv
    from .experiment import run_demo

    cv = check_cv(int(args.cv) if args.cv.isdigit() else args.cv) if args.cv else None
    run_demo(
        None if args.no_report else args.report,
        cv=cv,
        n_jobs=args.n_jobs,
        progress=_want_progress(args.progress),
    )
    return 0


# ------------------------------------------------------------------------------ parser


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog=_PROG, description="SMOTE-family resampling and its evaluation.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    progress = argparse.ArgumentParser(add_help=False)
    progress.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal and tqdm is installed)",
    )

    p = sub.add_parser("resample", parents=[progress], help="resample a CSV or Parquet table")
    p.add_argument("input", metavar="IN", help="input table (.csv, .csv.gz, .parquet)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output table")
    p.add_argument("--target", required=True, metavar="COL", help="column of class labels")
    p.add_argument(
        "--method",
        default="smote",
        help="smote (default), borderline1, "
        "borderline2, adasyn, random; smotenc, smoten where available",
    )
    p.add_argument("--k", type=int, default=None, help="neighbours (k_neighbors / n_neighbors)")
    p.add_argument("--m", type=int, default=None, help="m_neighbors of borderline1/2")
    p.add_argument(
        "--strategy",
        default="auto",
        help="auto (default), minority, not "
        "majority, all, a ratio (0.5), or counts per class (1:500,2:300)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--categorical",
        default=None,
        metavar="COLS",
        help="smotenc: comma-separated categorical columns (default: auto)",
    )
    p.add_argument("--n-jobs", type=int, default=None, help="threads for neighbour search")
    p.set_defaults(func=_cmd_resample)

    p = sub.add_parser("compare", parents=[progress], help="compare resamplers under CV")
    p.add_argument("input", nargs="?", metavar="IN", help="input table (.csv, .parquet)")
    p.add_argument("--target", metavar="COL", help="column of class labels (with IN)")
    p.add_argument(
        "--dataset",
        metavar="NAMES",
        help="bundled or benchmark datasets, comma-separated (e.g. ecoli,thyroid_sick)",
    )
    p.add_argument(
        "--methods",
        default="smote,adasyn,borderline1",
        metavar="LIST",
        help="comma-separated methods (default smote,adasyn,borderline1)",
    )
    p.add_argument(
        "--k",
        default=None,
        metavar="K[,K...]",
        help="neighbour count; several values sweep k at the cost of one search",
    )
    p.add_argument("--m", type=int, default=None, help="m_neighbors of borderline1/2")
    p.add_argument(
        "--cv",
        default="5x3",
        metavar="KxR",
        help="stratified K-fold repeated R times (default 5x3), or K",
    )
    p.add_argument(
        "--metrics",
        default=None,
        metavar="LIST",
        help="comma-separated "
        "metrics (default: all of roc_auc, average_precision, balanced_accuracy, "
        "g_mean, minority_recall, minority_f1)",
    )
    p.add_argument(
        "--estimator",
        choices=["random_forest", "logistic_regression"],
        default="random_forest",
        help="classifier (default random_forest)",
    )
    p.add_argument(
        "--scale",
        choices=["minmax", "standard", "none"],
        default="minmax",
        help="scaler fitted per training fold, before resampling (default minmax)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of samplers, model, folds")
    p.add_argument("--n-jobs", type=int, default=None, help="folds run in parallel")
    p.add_argument("--report", metavar="DIR", help="write report.md and report.html here")
    p.add_argument("--output", metavar="CSV", help="write the tidy per-fold results here")
    p.add_argument("--data-home", default=None, help="dataset cache folder")
    p.add_argument("--mirror", default=None, help="dataset mirror (folder or URL)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("datasets", parents=[progress], help="list or fetch benchmark datasets")
    p.add_argument("action", nargs="?", choices=["list", "fetch"], help="list (default) or fetch")
    p.add_argument("names", nargs="*", metavar="NAME", help="datasets to fetch, or 'all'")
    p.add_argument("--data-home", default=None, help="cache folder")
    p.add_argument("--mirror", default=None, help="mirror (folder or URL) instead of Zenodo")
    p.set_defaults(func=_cmd_datasets)

    p = sub.add_parser("demo", parents=[progress], help="run the reference experiment")
    p.add_argument("--report", default="reports", metavar="DIR", help="default: reports")
    p.add_argument("--no-report", action="store_true", help="print only")
    p.add_argument("--cv", default=None, metavar="KxR", help="default 5x3")
    p.add_argument("--n-jobs", type=int, default=None, help="folds run in parallel")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``smotekit`` command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Arguments without the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on a user error, 1 on a system failure (disk, network).

    Examples
    --------
    >>> main(["resample", "missing.csv", "--target", "y", "-o", "out.csv"])
    2
    """
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args))
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        _error(str(exc))
        return 2
    except ValueError as exc:
        _error(str(exc))
        return 2
    except ImportError as exc:
        _error(str(exc))
        return 2
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        _error(str(exc) or type(exc).__name__)
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _error(message: str) -> None:
    print(f"{_PROG}: error: {' '.join(message.split())}", file=sys.stderr)
