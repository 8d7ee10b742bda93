"""smotekit.dask at scale on a LocalCluster (``make bench-dask``).

Usage examples (from the repository root)::

    python benchmarks/bench_dask.py          # the issue's sizes: 20M, 5M and 1M rows (long)
    python benchmarks/bench_dask.py --rows 400000 --borderline-rows 200000 --overhead-rows 100000
    python benchmarks/bench_dask.py --cases overhead --overhead-rows 1000000 --keep-data

Cases (``--cases``, comma-separated):

- ``smote``: SMOTE (``sampling_strategy="auto"``, ``random_state=0``) over ``--rows``
  rows x 20 float64 features, 1 % minority, read with ``dask.dataframe.read_parquet``
  and written with ``to_parquet``;
- ``borderline``: the same with BorderlineSMOTE over ``--borderline-rows`` rows;
- ``overhead``: SMOTE in memory (the Parquet read into pandas, ``fit_resample``,
  written back) and on Dask, over ``--overhead-rows`` rows; both times, their
  ratio, and the two outputs compared row for row.

Every case starts a LocalCluster of ``--workers`` one-thread worker processes on
127.0.0.1, each limited to a quarter of the case's input in memory (rows x 20 x 8
bytes / 4, at least 512 MiB; ``--memory-limit`` overrides), and checks the output
without loading it whole: class counts file by file, and ``--segment-checks``
synthetic rows against their seed and neighbour (from ``provenance_``).  A failed
check makes the exit status non-zero.  The table is printed and written to
``benchmarks/results/dask_<time>.{md,json}`` and ``dask_latest.{md,json}``.  See
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: make the repository root importable
    _ROOT = str(Path(__file__).resolve().parents[1])
    if _ROOT not in sys.path:
        sys.path.insert(0, _ROOT)

from benchmarks._dask_cases import MIB, Bench, Outcome, overhead_case, scale_case
from benchmarks._dask_data import DASK_CACHE_DIR
from benchmarks._data import RESULTS_DIR

CASES = ("smote", "borderline", "overhead")
HEADER = ("case", "rows in", "rows out", "wall s", "peak MiB per worker", "rows/s", "checks")


def _rows(text: str) -> int:
    """``20000000``, ``2e7`` or ``20_000_000`` -> an int >= 1."""
    try:
        value = int(float(text.replace("_", "")))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of rows; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 row; got {text!r}")
    return value


def _bytes(text: str) -> int:
    """``800MiB``, ``2GB`` or ``838860800`` -> bytes."""
    from dask.utils import parse_bytes

    try:
        value = int(parse_bytes(text))
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(
            f"expected a size such as 800MiB or 2GB; got {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"the memory limit must be positive; got {text!r}")
    return value


def _cases(text: str) -> list[str]:
    keys = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(keys) - set(CASES))
    if unknown or not keys:
        raise argparse.ArgumentTypeError(
            f"unknown case(s) {unknown or [text]}; choose among {','.join(CASES)}"
        )
    return keys


def _at_least(low: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected at least {low}; got {text!r}")
        return value

    return parse


_positive = _at_least(1)


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface of ``bench_dask.py``."""
    p = argparse.ArgumentParser(
        prog="bench_dask.py",
        description="smotekit.dask from Parquet to Parquet on a LocalCluster: wall time, peak "
        "memory per worker, rows/s, and checks of the output.",
    )
    p.add_argument(
        "--rows", type=_rows, default=20_000_000, help="rows of the SMOTE case (default: 20000000)"
    )
    p.add_argument(
        "--borderline-rows",
        type=_rows,
        default=5_000_000,
        help="rows of the BorderlineSMOTE case (default: 5000000)",
    )
    p.add_argument(
        "--overhead-rows",
        type=_rows,
        default=1_000_000,
        help="rows of the overhead case (default: 1000000)",
    )
    p.add_argument(
        "--partitions",
        type=_positive,
        default=None,
        help="Parquet files (partitions) of every generated input (default: one per 125,000 "
        "rows, about 20 MB each: a small share of a worker's quarter of the input)",
    )
    p.add_argument("--workers", type=_positive, default=2, help="worker processes (default: 2)")
    p.add_argument(
        "--memory-limit",
        type=_bytes,
        default=None,
        help="memory limit of each worker, e.g. 800MiB (default: a quarter of the case's "
        "input, rows x 20 x 8 / 4 bytes, at least 512 MiB)",
    )
    p.add_argument("--cases", type=_cases, default=list(CASES), help=f"subset of {','.join(CASES)}")
    p.add_argument(
        "--mode",
        choices=["auto", "gather", "batched"],
        default="auto",
        help="smotekit.dask mode; auto: gather, or batched where gather's guard refuses",
    )
    p.add_argument(
        "--segment-checks",
        type=_at_least(0),
        default=1000,
        help="synthetic rows checked against their seed and neighbour (default: 1000; 0: none)",
    )
    p.add_argument("--timeout", type=float, default=7200.0, help="seconds allowed per resampling")
    p.add_argument("--data-seed", type=int, default=0, help="seed of the generated data")
    p.add_argument(
        "--keep-data",
        action="store_true",
        help="keep the generated inputs and the outputs (reused inputs are always kept)",
    )
    p.add_argument("--cache-dir", type=Path, default=DASK_CACHE_DIR, help="inputs and outputs")
    p.add_argument(
        "--output-dir",
        type=Path,
        default=RESULTS_DIR,
        help="where the results are written",
    )
    p.add_argument("--machine-label", default=None, help="machine description for the notes")
    return p


def _fmt_rows_per_s(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"


def cells(o: Outcome) -> tuple[str, ...]:
    """One table row."""
    from benchmarks._report import fmt_seconds

    if o.peaks:
        peak = " / ".join(f"{o.peaks[k] / MIB:.0f}" for k in sorted(o.peaks))
    elif o.client_peak is not None:
        peak = f"— (process {o.client_peak / MIB:.0f})"
    else:
        peak = "—"
    checks = "ok: " + ", ".join(o.checks) if not o.problems else "FAIL (see notes)"
    case = f"{o.case} [{o.extra['mode']}]" if "mode" in o.extra else o.case
    return (
        case,
        f"{o.rows_in:,}",
        "—" if o.rows_out is None else f"{o.rows_out:,}",
        "—" if o.seconds is None else fmt_seconds(o.seconds),
        peak,
        _fmt_rows_per_s(o.rows_per_second),
        checks,
    )


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    """A GitHub-flavoured markdown table with aligned columns."""
    table = [HEADER, *rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]

    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    return "\n".join(
        [line(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(r) for r in rows]
    )


def notes_for(outcomes: list[Outcome], machine: dict[str, Any], started: dt.datetime) -> list[str]:
    """The lines under the table: conditions, per-case details, the overhead ratio, failures."""
    notes = [
        f"Measured {started:%Y-%m-%d %H:%M %Z} on {machine['label']} ({machine['cpu_count']} "
        f"CPUs, {machine['cpu_model']}); wall s = read_parquet -> smotekit.dask -> to_parquet "
        "(the counting pass included), peaks = resident memory of each worker process "
        "sampled every 0.1 s; rows/s = rows out / wall s.",
    ]
    for o in outcomes:
        details = list(o.notes)
        if o.extra.get("worker_baseline"):
            idle = " / ".join(
                f"{v / MIB:.0f}" for _, v in sorted(o.extra["worker_baseline"].items())
            )
            details.append(f"workers idle before {idle} MiB")
        if o.peaks and o.client_peak:
            details.append(f"client process peak {o.client_peak / MIB:.0f} MiB")
        if "verify_seconds" in o.extra:
            details.append(f"segment checks took {o.extra['verify_seconds']:.1f} s")
        notes.append(f"{o.case}: " + "; ".join(details) + ".")
        notes += [f"FAILED {o.case}: {problem}" for problem in o.problems]
    by_case = {o.case: o for o in outcomes}
    memory, on_dask = by_case.get("SMOTE in memory"), by_case.get("SMOTE Dask (overhead)")
    if memory and on_dask and memory.seconds and on_dask.seconds:
        fit = memory.extra["fit_seconds"]
        notes.append(
            f"Overhead at {memory.rows_in:,} rows: Dask {on_dask.seconds:.2f} s / in memory "
            f"{memory.seconds:.2f} s (read + fit_resample + write) = "
            f"{on_dask.seconds / memory.seconds:.2f}x; against fit_resample alone "
            f"({fit:.2f} s): {on_dask.seconds / fit:.2f}x. The in-memory path uses every "
            "core of this process, each Dask worker one thread."
        )
    return notes


def main(argv: list[str] | None = None) -> int:
    """Run the chosen cases; print and save the table; 1 when a check failed."""
    args = build_parser().parse_args(argv)
    from benchmarks._harness import machine_info
    from benchmarks._report import write_results
    from smotekit.over_sampling import SMOTE, BorderlineSMOTE

    started = dt.datetime.now(dt.timezone.utc).astimezone()
    load_before = os.getloadavg()[0]
    bench = Bench(args)
    outcomes: list[Outcome] = []
    try:
        if "smote" in args.cases:
            outcomes.append(
                scale_case(bench, "smote", "SMOTE", lambda: SMOTE(random_state=0), args.rows)
            )
        if "borderline" in args.cases:
            outcomes.append(
                scale_case(
                    bench,
                    "borderline",
                    "BorderlineSMOTE",
                    lambda: BorderlineSMOTE(random_state=0),
                    args.borderline_rows,
                )
            )
        if "overhead" in args.cases:
            outcomes += overhead_case(bench, lambda: SMOTE(random_state=0), args.overhead_rows)
    finally:
        bench.clean()
    machine = machine_info(args.machine_label)
    table = markdown_table([cells(o) for o in outcomes])
    notes = notes_for(outcomes, machine, started)
    notes.append(
        f"Load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}, "
        f"on {machine['cpu_count']} CPUs: above that count, other jobs shared the machine."
    )
    markdown = "\n".join(
        ["# smotekit.dask at scale", "", table, "", *(f"- {n}" for n in notes), ""]
    )
    print()
    print(markdown)
    report = {
        "started": started.isoformat(),
        "machine": machine,
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "outcomes": [
            {
                "case": o.case,
                "rows_in": o.rows_in,
                "rows_out": o.rows_out,
                "seconds": o.seconds,
                "rows_per_second": o.rows_per_second,
                "peak_bytes": o.peaks,
                "client_peak_bytes": o.client_peak,
                "checks": o.checks,
                "problems": o.problems,
                "notes": o.notes,
                "extra": {k: v for k, v in o.extra.items() if k != "args"},
            }
            for o in outcomes
        ],
        "notes": notes,
    }
    write_results(args.output_dir, f"dask_{started:%Y%m%d_%H%M%S}", "dask_latest", markdown, report)
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
