"""``smotekit resample --engine dask``: resample partitioned tables without gathering them.

The input (a Parquet file or folder of parts, CSV files or a glob) is read lazily, every
path and option is checked before a cluster starts, :func:`smotekit.dask.resample` runs on a
:class:`distributed.LocalCluster` of worker processes (``--workers 0``: threads of this
process), and the result goes to a temporary sibling of ``OUT`` that is renamed into place
once complete and removed on any failure, Ctrl-C or SIGTERM (after the workers stopped).
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd

from ._dask_io import (
    check_columns,
    check_output,
    output_kind,
    read_input,
    repartition,
    staged,
    writer,
)
from ._errors import UsageError, print_warnings
from ._methods import build_sampler, methods
from ._options import parse_strategy
from ._progress import want_progress

__all__ = ["cmd_resample_dask", "dask_only_options"]

#: The options that apply to ``--engine dask`` only, with their flags.
_DASK_ONLY = {
    "workers": "--workers",
    "memory_limit": "--memory-limit",
    "partition_rows": "--partition-rows",
    "mode": "--mode",
}


def dask_only_options(args: argparse.Namespace) -> list[str]:
    """The flags of ``--engine dask`` that were given.

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    list of str
    """
    return [flag for name, flag in _DASK_ONLY.items() if getattr(args, name, None) is not None]


def _supported(cls: type) -> bool:
    from ..dask import SUPPORTED_SAMPLERS

    return any(
        c.__name__ in SUPPORTED_SAMPLERS and c.__module__.startswith("smotekit.")
        for c in cls.__mro__
    )


def _check_options(args: argparse.Namespace, method: str) -> None:
    """Refuse what the engine cannot do before reading anything."""
    for module in ("dask.dataframe", "distributed"):
        if importlib.util.find_spec(module.split(".")[0]) is None:
            raise UsageError(f'--engine dask needs {module}: pip install "smotekit[dask]"')
    if not _supported(methods()[method].cls):
        runs = ", ".join(n for n, m in methods().items() if _supported(m.cls))
        raise UsageError(
            f"--method {method} does not run with --engine dask; it runs: {runs} "
            "(or use --engine memory)"
        )
    if args.memory_limit is not None and args.memory_limit != "auto":
        from dask.utils import parse_bytes

        try:
            parse_bytes(args.memory_limit)
        except (ValueError, TypeError):
            raise UsageError(
                f"--memory-limit {args.memory_limit!r} is not an amount of memory; use e.g. "
                "2GiB, 500MB or auto"
            ) from None


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def _scheduler(args: argparse.Namespace, progress: bool) -> Iterator[Any]:
    """Run the block on a local cluster (or threads); yield a progress context factory."""
    n = _cpu_count() if args.workers is None else args.workers
    if n == 0:
        from concurrent.futures import ThreadPoolExecutor

        import dask
        from dask.diagnostics import ProgressBar

        pool = ThreadPoolExecutor(_cpu_count())
        try:
            with dask.config.set(scheduler="threads", pool=pool):
                yield (lambda: ProgressBar(out=sys.stderr)) if progress else nullcontext
        finally:  # no task writes once the block is left
            pool.shutdown(wait=True, cancel_futures=True)
        return
    from distributed import Client, LocalCluster

    dashboard = progress and importlib.util.find_spec("bokeh") is not None
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        memory_limit=args.memory_limit or "auto",
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        scheduler_kwargs={"dashboard": dashboard},
        silence_logs=logging.ERROR,
        # Arrow's default allocator keeps the memory it frees; the system one gives it back,
        # so a worker's process memory stays under dask's pause threshold between tasks.
        env={"ARROW_DEFAULT_MEMORY_POOL": os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "system")},
    )
    try:
        with Client(cluster):
            if dashboard:
                print(f"dask dashboard: {cluster.dashboard_link}", file=sys.stderr)
            yield nullcontext
    finally:
        cluster.close()


def _compute(*collections: Any) -> tuple[Any, ...]:
    import dask

    return dask.compute(*collections)


def _strategy(text: str, labels: Any = None) -> Any:
    """``--strategy``, or None for counts per class while ``labels`` (a dask Series) is None.

    Class names in counts are matched against the labels, found in one pass over them.
    """
    if ":" not in text and "=" not in text:
        return parse_strategy(text, pd.Series([], dtype=object))
    if labels is None:
        return None
    return parse_strategy(text, pd.Series(labels.dropna().unique().compute()))


def _sampler(args: argparse.Namespace, method: str, strategy: Any) -> Any:
    return build_sampler(
        method,
        strategy=strategy,
        seed=args.seed,
        k=args.k,
        m=args.m,
        n_jobs=args.n_jobs,
        categorical=args.categorical.split(",") if args.categorical else None,
    )


def _fail(method: str, exc: Exception) -> UsageError:
    hint = ""
    if "SMOTENC" in str(exc) and "smotenc" in methods():
        hint = " (smotekit resample --method smotenc)"
    elif "mode='batched'" in str(exc):
        hint = " (smotekit resample --mode batched)"
    return UsageError(f"{method}: {exc}{hint}")


def _precheck(sampler: Any, ddf: Any, target: str, method: str) -> None:
    """The sampler's parameter and column checks on a fake row of X, before any work."""
    from dask.dataframe.utils import meta_nonempty

    try:
        sampler._check_all_params()
        sampler._read_X(meta_nonempty(ddf._meta.drop(columns=target)).iloc[[0, 0]])
    except (ValueError, TypeError) as exc:
        raise _fail(method, exc) from None


def _counts(labels: pd.Series) -> pd.Series:
    return labels.value_counts(sort=False)


def _class_counts(labels: Any) -> Any:
    """Lazy class counts of every partition, in partition order (tiny: classes x partitions)."""
    return labels.map_partitions(_counts, meta=_counts(labels._meta))


def _summary(out: Path, sampler: Any, n: tuple[int, int], before: Any, after: Any) -> str:
    """The line the memory engine prints too: rows, synthetic (or removed) rows, class counts."""
    n_in, n_out = n
    # Summed in order of first appearance, as the memory engine lists the classes.
    before = before.groupby(level=0, sort=False).sum().to_dict()
    after = after.groupby(level=0, sort=False).sum()
    change = ", ".join(f"{label}: {before.get(label, 0)} -> {c}" for label, c in after.items())
    over = getattr(sampler, "_sampling_type", "over-sampling") == "over-sampling"
    made = f"{n_out - n_in} synthetic" if over else f"{n_in - n_out} removed"
    return f"wrote {out} ({n_out} rows, {made}; {change})"


def cmd_resample_dask(args: argparse.Namespace, method: str) -> int:
    """Run ``smotekit resample --engine dask``; print what was written.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.
    method : str
        The method's name (:func:`~smotekit._cli._methods.method_name`).

    Returns
    -------
    int
        0 (failures raise).
    """
    import dask

    _check_options(args, method)
    out, target = Path(args.output), args.target
    kind = output_kind(out)
    check_output(args.input, out, kind)
    with dask.config.set({"dataframe.convert-string": False}):  # pandas' own string dtype
        ddf = read_input(args.input)
        check_columns(ddf, target, args.input)
        strategy = _strategy(args.strategy)
        _precheck(_sampler(args, method, strategy or "auto"), ddf, target, method)
        with _scheduler(args, want_progress(args.progress)) as bar, bar():
            from distributed import KilledWorker

            from ..dask import resample

            if strategy is None:
                strategy = _strategy(args.strategy, ddf[target])
            sampler = _sampler(args, method, strategy)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # Dask's own deprecations, and CSV writes computed with the counts: not the
                # user's business.
                warnings.filterwarnings("ignore", module=r"(dask|distributed)(\.|$)")
                warnings.filterwarnings("ignore", message="Computing mixed collections")
                try:
                    result = resample(
                        ddf, target=target, sampler=sampler, mode=args.mode or "gather"
                    )
                    result = repartition(result, args.partition_rows, method)
                    with staged(out, kind) as tmp:
                        _, before, after, n_in, n_out = _compute(
                            writer(result, tmp, kind, out),
                            _class_counts(ddf[target]),
                            _class_counts(result[target]),
                            ddf.shape[0],
                            result.shape[0],
                        )
                except (ValueError, TypeError) as exc:
                    raise _fail(method, exc) from None
                except KilledWorker:
                    raise UsageError(
                        "a dask worker died running a task (out of memory?); raise "
                        "--memory-limit, use fewer --workers, or --mode batched"
                    ) from None
            print_warnings(caught)
    print(_summary(out, sampler, (int(n_in), int(n_out)), before, after))
    return 0
