"""The ``smotekit`` command: resample a table, compare resamplers, manage datasets.

::

    smotekit resample IN --target COL [--method smote] [--k 5] [--strategy auto]
                         [--seed 0] -o OUT
    smotekit resample IN --target COL -o OUT --engine dask [--workers N]
                         [--memory-limit 2GiB] [--partition-rows N] [--mode batched]
    smotekit compare IN --target COL [--methods smote,adasyn,borderline1] [--cv 5x3]
                        [--report DIR]
    smotekit compare --dataset ecoli,thyroid_sick [...]
    smotekit datasets [list | fetch NAME[,NAME...] | fetch all]
    smotekit demo [--report reports]

Every subcommand maps its options onto the public API; the logic lives there.  This
module parses the arguments and dispatches; the subcommands and their helpers are in
the private package :mod:`smotekit._cli`.
User errors (bad options, unreadable or unsuitable input) end with one line
``smotekit: error: ...`` on stderr and exit status 2; failures of the system
(disk, network) exit with 1.  Files are written atomically: to a temporary file
in the target folder, renamed over the target only once complete.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from ._cli._errors import PROG, UsageError, print_error

__all__ = ["UsageError", "main"]

#: The signals turned into a clean exit, with their exit statuses (128 + number).
_EXIT_SIGNALS = {"SIGTERM": 143, "SIGHUP": 129}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`UsageError` (one line, exit status 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_seconds(text: str) -> float:
    """``--timeout``'s type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _count(least: int) -> Callable[[str], int]:
    """The type of an option taking a whole number >= ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {least}, got {text!r}")
        return value

    return parse


def _add_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=60.0,
        metavar="SECONDS",
        help="download timeout per connection attempt and per read (default 60); a whole "
        "download may take at most 20 times this",
    )


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from ._cli._compare import cmd_compare
    from ._cli._datasets import cmd_datasets
    from ._cli._demo import cmd_demo
    from ._cli._list_methods import cmd_methods
    from ._cli._methods import describe as describe_methods
    from ._cli._resample import cmd_resample

    parser = _Parser(prog=PROG, description="SMOTE-family resampling and its evaluation.")
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
    p.add_argument(
        "input", metavar="IN", help="input table (.csv, .parquet; dask: also a folder or glob)"
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output table")
    p.add_argument("--target", required=True, metavar="COL", help="column of class labels")
    p.add_argument(
        "--method",
        default="smote",
        help=f"one of {describe_methods()}; default smote",
    )
    p.add_argument("--k", type=int, default=None, help="neighbours (k_neighbors / n_neighbors)")
    p.add_argument("--m", type=int, default=None, help="m_neighbors of borderline1/2 and svmsmote")
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
    p.add_argument(
        "--passthrough",
        default=None,
        metavar="COLS",
        help="comma-separated columns (IDs, keys) carried untouched, not resampled; synthetic "
        "rows get the value of the row that seeded them (see --passthrough-fill)",
    )
    p.add_argument(
        "--passthrough-fill",
        choices=["seed", "missing"],
        default="seed",
        help="what synthetic rows hold in --passthrough columns: the seed row's value "
        "(default) or a missing value",
    )
    p.add_argument(
        "--flag-synthetic",
        default=None,
        metavar="NAME",
        help="add a boolean column NAME, true on synthetic rows",
    )
    p.add_argument(
        "--engine",
        choices=["memory", "dask"],
        default="memory",
        help="memory (default), or dask: partitioned data on a local cluster",
    )
    p.add_argument(
        "--workers",
        type=_count(0),
        default=None,
        metavar="N",
        help="dask: worker processes (default: the CPU count; 0: threads, no cluster)",
    )
    p.add_argument(
        "--memory-limit",
        default=None,
        metavar="M",
        help="dask: memory per worker, e.g. 2GiB (default: dask's share of the RAM)",
    )
    p.add_argument(
        "--partition-rows",
        type=_count(1),
        default=None,
        metavar="N",
        help="dask: rows per output part (default: the engine's partitions)",
    )
    p.add_argument(
        "--mode",
        choices=["gather", "batched"],
        default=None,
        help="dask: gather (default) or batched (no class gathered in one task)",
    )
    p.set_defaults(func=cmd_resample)

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
        default=None,
        metavar="LIST",
        help="comma-separated methods (default smote,adasyn,borderline1; on a table with "
        "categorical columns smotenc,randomoversampler, or smoten,randomoversampler when "
        "every feature is categorical)",
    )
    p.add_argument(
        "--ignore",
        default=None,
        metavar="COLS",
        help="comma-separated columns left out of the comparison (IDs, keys); text columns "
        "with a distinct value on most rows are left out by themselves",
    )
    p.add_argument(
        "--k",
        default=None,
        metavar="K[,K...]",
        help="neighbour count; several values sweep k at the cost of one search",
    )
    p.add_argument("--m", type=int, default=None, help="m_neighbors of borderline1/2 and svmsmote")
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
        default="random_forest",
        metavar="NAME",
        help="classifier: a name listed by --estimator list (default random_forest), or an "
        "import path such as sklearn.svm.SVC",
    )
    p.add_argument(
        "--scale",
        choices=["minmax", "standard", "none"],
        default="minmax",
        help="scaler fitted per training fold, before resampling (default minmax)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of samplers, model, folds")
    p.add_argument(
        "--n-jobs",
        type=int,
        default=-1,
        help="cores to use (default -1: all); folds run in parallel, one thread each",
    )
    p.add_argument("--report", metavar="DIR", help="write report.md and report.html here")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the tidy per-fold results here (.csv, .parquet, .json; - for stdout)",
    )
    p.add_argument(
        "--format",
        choices=["csv", "json"],
        default=None,
        help="format of --output (default: from its extension; csv for -)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: reuse the folds already saved next to --output "
        "or in --report",
    )
    p.add_argument(
        "--no-threshold-baseline",
        action="store_true",
        help="leave out the 'none, tuned threshold' baseline",
    )
    p.add_argument("--data-home", default=None, help="dataset cache folder")
    p.add_argument("--mirror", default=None, help="dataset mirror (folder or URL)")
    _add_timeout(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("methods", help="list the resampling methods, one line each")
    p.set_defaults(func=cmd_methods)

    p = sub.add_parser("datasets", parents=[progress], help="list or fetch benchmark datasets")
    p.add_argument("action", nargs="?", choices=["list", "fetch"], help="list (default) or fetch")
    p.add_argument("names", nargs="*", metavar="NAME", help="datasets to fetch, or 'all'")
    p.add_argument("--data-home", default=None, help="cache folder")
    p.add_argument("--mirror", default=None, help="mirror (folder or URL) instead of Zenodo")
    _add_timeout(p)
    p.set_defaults(func=cmd_datasets)

    p = sub.add_parser("demo", parents=[progress], help="run the reference experiment")
    p.add_argument("--report", default="reports", metavar="DIR", help="default: reports")
    p.add_argument("--no-report", action="store_true", help="print only")
    p.add_argument("--cv", default=None, metavar="KxR", help="default 5x3")
    p.add_argument("--n-jobs", type=int, default=-1, help="cores to use (default -1: all)")
    p.set_defaults(func=cmd_demo)
    return parser


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM or SIGHUP, so atomic writes clean up as on Ctrl-C.

    Parameters
    ----------
    signum : int, default=signal.SIGTERM
        The signal received.
    """

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """The signal's name, e.g. ``"SIGTERM"``."""
        return signal.Signals(self.signum).name

    @property
    def status(self) -> int:
        """The exit status: 128 plus the signal's number (143 for SIGTERM, 129 for SIGHUP)."""
        return _EXIT_SIGNALS.get(self.name, 128 + int(self.signum))


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (where the platform has it) into :class:`Terminated`.

    Only in the main thread; elsewhere the block runs with the handlers as they are.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated(signum)

    signums = [getattr(signal, name) for name in _EXIT_SIGNALS if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``smotekit`` command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Arguments without the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on a user error, 1 on a system failure (disk, network),
        143 when terminated by SIGTERM and 129 by SIGHUP (any file being written is
        removed, the target is left as it was), 130 on Ctrl-C (quietly while the
        command is still starting up).

    Examples
    --------
    >>> main(["resample", "missing.csv", "--target", "y", "-o", "out.csv"])
    2
    """
    try:
        parser = _parser()
    except KeyboardInterrupt:  # Ctrl-C while the subcommands are imported: no traceback
        return 130
    try:
        args = parser.parse_args(argv)
        args.argv = list(map(str, argv)) if argv is not None else sys.argv[1:]
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        with _terminate_cleanly():
            return int(args.func(args))
    except Terminated as exc:
        print_error(f"terminated ({exc.name}); no output file was left half-written")
        return exc.status
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        print_error(str(exc))
        return 2
    except ValueError as exc:
        print_error(str(exc))
        return 2
    except ImportError as exc:
        print_error(str(exc))
        return 2
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        print_error(str(exc) or type(exc).__name__)
        return 1
    except KeyboardInterrupt:
        print_error("interrupted")
        return 130
