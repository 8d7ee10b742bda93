"""The Dask benchmark's cases: SMOTE and Borderline-SMOTE at scale, and the Dask path's overhead.

Each case generates (or reuses) its Parquet input, starts a LocalCluster whose
workers are limited to a quarter of the input's in-memory size, resamples with
:mod:`smotekit.dask` from ``dask.dataframe.read_parquet`` to ``to_parquet``
while a thread samples every worker's memory, then checks the output without
loading it whole (:mod:`benchmarks._dask_checks`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._dask_checks import (
    count_problems,
    equality_problems,
    output_counts,
    sample_provenance,
    segment_problems,
)
from benchmarks._dask_cluster import (
    MIN_WORKER_BYTES,
    MemorySampler,
    ProcessSampler,
    start_cluster,
)
from benchmarks._dask_data import (
    LABEL,
    N_FEATURES,
    ensure_dataset,
    feature_names,
    parquet_files,
    remove,
)

MIB = 2**20


@dataclass
class Outcome:
    """One row of the table, and what stands behind it."""

    case: str
    rows_in: int
    rows_out: int | None = None
    seconds: float | None = None
    peaks: dict[str, int] = field(default_factory=dict)
    client_peak: int | None = None
    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float | None:
        """Output rows per wall second."""
        if self.rows_out is None or not self.seconds:
            return None
        return self.rows_out / self.seconds


def memory_limit(n_rows: int, override: int | None) -> tuple[int, str]:
    """Bytes per worker: ``override``, else a quarter of the input's float64 features.

    A quarter smaller than :data:`MIN_WORKER_BYTES` (a worker's imports alone
    take about 225 MiB) is raised to it, and the note says so.
    """
    if override is not None:
        return override, f"--memory-limit {override / MIB:.0f} MiB"
    quarter = n_rows * N_FEATURES * 8 // 4
    if quarter < MIN_WORKER_BYTES:
        return MIN_WORKER_BYTES, (
            f"a quarter of the input ({quarter / MIB:.0f} MiB) raised to the "
            f"{MIN_WORKER_BYTES / MIB:.0f} MiB floor"
        )
    return quarter, f"a quarter of the input ({quarter / MIB:.0f} MiB)"


def _warm_imports() -> None:
    """Import what the tasks need on a worker, so its idle memory is measured with them."""
    import dask.dataframe  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import smotekit.dask
    import smotekit.over_sampling  # noqa: F401


class Bench:
    """Settings shared by the cases (from the command line)."""

    def __init__(self, args: Any) -> None:
        self.args = args
        self.cache: Path = args.cache_dir
        self.created: list[Path] = []

    def dataset(self, n_rows: int) -> tuple[Path, dict]:
        """The case's input, generated unless cached; remembered for cleaning up."""
        start = time.perf_counter()
        path, record, created = ensure_dataset(
            self.cache,
            n_rows,
            self.args.data_seed,
            self.args.partitions or max(1, -(-n_rows // 125_000)),
        )
        if created:
            self.created.append(path)
            print(f"  wrote {path} in {time.perf_counter() - start:.1f} s", flush=True)
        return path, record

    def output_dir(self, name: str) -> Path:
        """An empty output directory under the cache, removed at the end unless kept."""
        path = self.cache / name
        remove(path)
        self.created.append(path)
        return path

    def cluster(self, n_rows: int) -> tuple[Any, Any, str]:
        """A fresh LocalCluster for a case of ``n_rows`` input rows."""
        limit, note = memory_limit(n_rows, self.args.memory_limit)
        cluster, client = start_cluster(self.args.workers, limit)
        client.run(_warm_imports)
        return cluster, client, f"{self.args.workers} workers x 1 thread, {note} each"

    def clean(self) -> None:
        """Remove what this run wrote (not with --keep-data)."""
        if not self.args.keep_data:
            for path in self.created:
                remove(path)


def _write(
    client: Any,
    sampler: Any,
    input_dir: Path,
    out_dir: Path,
    mode: str,
    timeout: float,
) -> None:
    """read_parquet -> smotekit.dask.resample -> to_parquet, computed on the cluster."""
    import dask.dataframe as dd

    import smotekit.dask as skd

    ddf = dd.read_parquet(str(input_dir))
    lazy = skd.resample(ddf, target=LABEL, sampler=sampler, mode=mode)
    write = lazy.to_parquet(
        str(out_dir), name_function=lambda i: f"part-{i:05d}.parquet", compute=False
    )
    future = client.compute(write)
    try:
        future.result(timeout=timeout)
    except TimeoutError:
        future.cancel()
        raise


def resample_to_parquet(
    client: Any, make_sampler: Any, input_dir: Path, out_dir: Path, outcome: Outcome
) -> Any:
    """Time read_parquet -> smotekit.dask -> to_parquet; record memory; the fitted sampler.

    With ``--mode auto`` gather mode runs unless its guard refuses the class
    (``MinorityTooLargeError``); then batched mode runs, and the note says so.
    """
    import smotekit.dask as skd

    args = outcome.extra["args"]
    modes = ["gather", "batched"] if args.mode == "auto" else [args.mode]
    for mode in modes:
        sampler = make_sampler()
        remove(out_dir)
        with MemorySampler(client) as memory:
            start = time.perf_counter()
            try:
                _write(client, sampler, input_dir, out_dir, mode, args.timeout)
            except skd.MinorityTooLargeError as error:
                if mode == modes[-1]:
                    raise
                outcome.notes.append(
                    f"gather mode refused after {time.perf_counter() - start:.1f} s "
                    f"(MinorityTooLargeError: {error}); ran mode='batched'"
                )
                continue
            outcome.seconds = time.perf_counter() - start
        outcome.extra.update(mode=mode, worker_baseline=memory.baseline)
        outcome.peaks = memory.peaks
        outcome.client_peak = memory.client_peak
        if memory.restarts:
            outcome.problems.append(f"{memory.restarts} worker process(es) restarted")
        return sampler
    raise AssertionError("unreachable")


def verify(
    sampler: Any, client: Any, input_dir: Path, out_dir: Path, record: dict, outcome: Outcome
):
    """Class counts of the output, and segment checks of a sample of its synthetic rows."""
    args = outcome.extra["args"]
    found = output_counts(out_dir)
    outcome.rows_out = sum(found.values())
    before = {int(k): v for k, v in record["totals"].items()}
    problems = count_problems(found, before, sampler.sampling_strategy_, balanced=True)
    outcome.problems += problems
    outcome.checks.append("counts" if not problems else "counts FAILED")
    outcome.extra["class_counts"] = found
    if args.segment_checks <= 0:
        return
    start = time.perf_counter()
    try:
        sample = sample_provenance(sampler, client, args.segment_checks, args.data_seed)
    except Exception as error:  # reported as a failed check, with its text
        outcome.problems.append(
            f"provenance_ could not be computed: {type(error).__name__}: {error}"
        )
        outcome.checks.append("segments FAILED")
        return
    problems, worst = segment_problems(sample, input_dir, out_dir, record["n_rows"])
    outcome.problems += problems
    outcome.extra.update(segment_worst=worst, verify_seconds=time.perf_counter() - start)
    status = "" if not problems else " FAILED"
    outcome.checks.append(f"{len(sample)} segments{status} (max rel. dev. {worst:.1g})")


def scale_case(bench: Bench, name: str, title: str, make_sampler: Any, n_rows: int) -> Outcome:
    """SMOTE or Borderline-SMOTE over ``n_rows`` rows: resample, measure, verify."""
    outcome = Outcome(title, n_rows, extra={"args": bench.args})
    print(f"# {title}: {n_rows:,} rows", flush=True)
    input_dir, record = bench.dataset(n_rows)
    out_dir = bench.output_dir(f"output_{name}_n{n_rows}")
    cluster, client, setup = bench.cluster(n_rows)
    outcome.notes.append(setup)
    try:
        sampler = resample_to_parquet(client, make_sampler, input_dir, out_dir, outcome)
        verify(sampler, client, input_dir, out_dir, record, outcome)
    except Exception as error:  # a failed case is a row of the table
        outcome.problems.append(f"{type(error).__name__}: {error}")
    finally:
        client.close()
        cluster.close()
    return outcome


def _read_whole(input_dir: Path) -> Any:
    import pandas as pd
    import pyarrow.parquet as pq

    return pd.concat(
        [pq.read_table(f).to_pandas() for f in parquet_files(input_dir)], ignore_index=True
    )


def overhead_case(bench: Bench, make_sampler: Any, n_rows: int) -> list[Outcome]:
    """SMOTE in memory and on Dask over the same Parquet input, side by side; equal outputs."""
    print(f"# overhead: SMOTE in memory and on Dask, {n_rows:,} rows", flush=True)
    input_dir, record = bench.dataset(n_rows)
    memory_row = Outcome("SMOTE in memory", n_rows, extra={"args": bench.args})
    dask_row = Outcome("SMOTE Dask (overhead)", n_rows, extra={"args": bench.args})
    cluster, client, setup = bench.cluster(n_rows)
    dask_row.notes.append(setup)
    try:
        mem_dir = bench.output_dir(f"output_memory_n{n_rows}")
        with ProcessSampler() as process:
            start = time.perf_counter()
            frame = _read_whole(input_dir)
            read = time.perf_counter()
            X_res, y_res = make_sampler().fit_resample(frame[feature_names()], frame[LABEL])
            fitted = time.perf_counter()
            mem_dir.mkdir(parents=True)
            X_res.assign(**{LABEL: y_res}).to_parquet(mem_dir / "part-00000.parquet")
            memory_row.seconds = time.perf_counter() - start
        del frame
        memory_row.rows_out = int(X_res.shape[0])
        memory_row.client_peak = process.peak
        memory_row.extra.update(
            read_seconds=read - start,
            fit_seconds=fitted - read,
            write_seconds=memory_row.seconds - (fitted - start),
            process_baseline=process.baseline,
        )
        memory_row.notes.append(
            f"read {read - start:.2f} s + fit_resample {fitted - read:.2f} s + write "
            f"{memory_row.extra['write_seconds']:.2f} s, in this process"
        )
        memory_row.checks.append("reference")
        dask_dir = bench.output_dir(f"output_overhead_n{n_rows}")
        sampler = resample_to_parquet(client, make_sampler, input_dir, dask_dir, dask_row)
        verify(sampler, client, input_dir, dask_dir, record, dask_row)
        problems = equality_problems(X_res, y_res, dask_dir)
        dask_row.problems += problems
        dask_row.checks.append("equal to in memory" if not problems else "equality FAILED")
    except Exception as error:  # a failed case is a row of the table
        dask_row.problems.append(f"{type(error).__name__}: {error}")
    finally:
        client.close()
        cluster.close()
    return [memory_row, dask_row]
