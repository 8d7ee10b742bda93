"""Side-by-side benchmark of smotekit against imbalanced-learn (the ``make bench`` harness).

For every dataset size, sampler and library, one fresh subprocess
(``python -m benchmarks._one_case``) loads the cached data, runs ``fit_resample`` once and
reports wall time and peak RSS as JSON. This module plans the cases, builds the data cache,
runs the subprocesses with a per-case timeout, and writes the comparison table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks._cases import DEFAULT_SAMPLERS, FAMILY_SAMPLERS, LIBRARY_MODULES, SAMPLERS
from benchmarks._data import CACHE_DIR, REPO_ROOT, RESULTS_DIR
from benchmarks._report import build_rows, caveat_notes, markdown_table, write_results
from benchmarks._runner import (
    child_env,
    default_prefault_gib,
    prefault,
    recorded_env,
    run_child_measured,
    wait_for_idle,
)


def parse_int_list(text: str) -> list[int]:
    """``"100000,1000000"`` or ``"1e6"`` → list of ints."""
    return [int(float(part)) for part in text.split(",") if part.strip()]


def parse_keys(text: str, choices: list[str]) -> list[str]:
    """Comma-separated keys among ``choices``; ``all`` selects every one."""
    if text.strip() == "all":
        return list(choices)
    keys = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(keys) - set(choices))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown sampler(s) {unknown}; choose from {sorted(choices)} or 'all'"
        )
    return keys


def parse_samplers(text: str) -> list[str]:
    """Comma-separated sampler keys; ``all`` selects every sampler, ``family`` the rest of the
    family (SMOTE + cleaning, SVM/k-means SMOTE, the under-samplers)."""
    if text.strip() == "family":
        return list(FAMILY_SAMPLERS)
    return parse_keys(text, list(SAMPLERS))


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of how cases run, shared by ``run_benchmarks.py`` and
    ``bench_before_after.py``: timeout, environment, memory measurement, data, output."""
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds allowed for one fit_resample before it is killed and "
        "reported as 'timeout' (default: 300)",
    )
    parser.add_argument(
        "--unset-openblas-env",
        action="store_true",
        help="remove OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from the "
        "subprocesses' environment (every case alike)",
    )
    parser.add_argument(
        "--rss-method",
        choices=["auto", "vmhwm", "psutil"],
        default="auto",
        help="how the peak is measured (default: VmHWM reset, else psutil)",
    )
    parser.add_argument(
        "--dtype",
        choices=["float64", "float32"],
        default="float64",
        help="dtype of X (default: float64, what make_classification returns)",
    )
    parser.add_argument(
        "--data-seed", type=int, default=0, help="random_state of make_classification (default: 0)"
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=10.0,
        help="before each case, wait up to this many seconds for other jobs "
        "to use under 20%% of the CPUs (default: 10; 0 disables)",
    )
    parser.add_argument(
        "--prefault-gib",
        type=float,
        default=None,
        help="GiB of memory touched in a throwaway process before each case, so that lazily "
        "backed VM memory costs no case (default: about 6x the data + 0.5; 0 disables)",
    )
    parser.add_argument(
        "--machine-label", default=None, help="machine description written into the results"
    )
    parser.add_argument(
        "--output-dir", type=Path, default=RESULTS_DIR, help="where results are written"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the planned subprocess commands and exit"
    )


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface of ``run_benchmarks.py``."""
    parser = argparse.ArgumentParser(
        prog="run_benchmarks.py",
        description="Compare smotekit and imbalanced-learn side by side: wall time and peak "
        "RSS of fit_resample, each case in a fresh subprocess.",
    )
    parser.add_argument(
        "--n",
        "--sizes",
        dest="sizes",
        type=parse_int_list,
        default=[1_000_000],
        help="comma-separated numbers of rows (default: 1000000)",
    )
    parser.add_argument(
        "--d",
        dest="dims",
        type=parse_int_list,
        default=[20, 100],
        help="comma-separated numbers of features (default: 20,100)",
    )
    parser.add_argument(
        "--samplers",
        type=parse_samplers,
        default=list(DEFAULT_SAMPLERS),
        help=f"comma-separated subset of {','.join(SAMPLERS)}, 'all' or 'family' "
        f"(default: {','.join(DEFAULT_SAMPLERS)})",
    )
    parser.add_argument(
        "--libs",
        default="imblearn,smotekit",
        help="comma-separated libraries to run (default: both)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every case R times (fresh process each) and report medians",
    )
    parser.add_argument(
        "--time-stat",
        choices=["median", "min"],
        default="median",
        help="summary of the R times: median (default) or min (least disturbed run)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fast smoke run: n=100000, d=20 (overrides --n and --d)",
    )
    parser.add_argument(
        "--memory-metric",
        choices=["delta", "process"],
        default="delta",
        help="peak used for the memory target: increment over the RSS after "
        "loading the data (default) or the whole process's peak",
    )
    # Testing aid: run the 'smotekit' side from another module (e.g. imblearn.over_sampling).
    parser.add_argument("--smotekit-module", default=None, help=argparse.SUPPRESS)
    add_run_options(parser)
    return parser


def summarize(
    lib: str, sampler: str, n: int, d: int, runs: list[dict[str, Any]], time_stat: str = "median"
) -> dict[str, Any]:
    """Summary over the repeats of one (library, sampler, dataset) case.

    Peaks are medians; the time is the median or, with ``time_stat="min"``, the fastest run
    (the least disturbed one on a shared machine).
    """
    base = {"lib": lib, "sampler": sampler, "n": n, "d": d, "runs": runs}
    failed = [r for r in runs if r["status"] != "ok"]
    if failed:
        return {**base, **{k: v for k, v in failed[-1].items() if k != "runs"}}
    summary = {**base, **{k: v for k, v in runs[-1].items() if k != "runs"}}
    times = ("seconds", "cpu_seconds", "user_seconds", "system_seconds")
    for key in (*times, "peak_delta_kib", "process_peak_kib", "peak_rss_kib"):
        summary[key] = statistics.median(r[key] for r in runs)
    if time_stat == "min":
        fastest = min(runs, key=lambda r: r["seconds"])
        summary.update({key: fastest[key] for key in times})
    summary["time_stat"] = time_stat
    return summary


def machine_info(label: str | None) -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu_model = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_total = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        first = Path("/proc/meminfo").read_text().splitlines()[0]
        mem_total = int(first.split()[1])
    cores = os.cpu_count()
    return {
        "label": label or f"{cores}-core {platform.machine()} machine",
        "cpu_count": cores,
        "cpu_model": cpu_model,
        "mem_total_kib": mem_total,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def check_smotekit(env: dict[str, str], module: str) -> str | None:
    """Return None if ``module.SMOTE`` imports in a subprocess, else the error text."""
    code = f"import importlib; importlib.import_module({module!r}).SMOTE"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0:
        return None
    lines = proc.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit code {proc.returncode}"


def plan(args: argparse.Namespace) -> list[tuple[int, int, str]]:
    """The (n, d, sampler) cases in run order."""
    return [(n, d, s) for n in args.sizes for d in args.dims for s in args.samplers]


def case_command(args: argparse.Namespace, lib: str, sampler: str, n: int, d: int) -> list[str]:
    """The subprocess command line of one case."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks._one_case",
        "--lib",
        lib,
        "--sampler",
        sampler,
        "--n",
        str(n),
        "--d",
        str(d),
        "--data-seed",
        str(args.data_seed),
        "--dtype",
        args.dtype,
        "--rss-method",
        args.rss_method,
    ]
    if lib == "smotekit" and args.smotekit_module:
        cmd += ["--module", args.smotekit_module]
    return cmd


def ensure_data(args: argparse.Namespace, n: int, d: int, env: dict[str, str]) -> dict[str, Any]:
    """Build the cache entry for (n, d) in a subprocess; return its metadata."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks._data",
        "--n",
        str(n),
        "--d",
        str(d),
        "--seed",
        str(args.data_seed),
        "--dtype",
        args.dtype,
        "--cache-dir",
        str(CACHE_DIR),
    ]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"generating the data (n={n}, d={d}) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def describe_run(outcome: dict[str, Any]) -> str:
    """One progress line for a finished run."""
    load = ""
    if "others_cpu_percent" in outcome:
        load = (
            f" [other jobs {outcome['others_cpu_percent']:.0f}% CPU,"
            f" steal {outcome['steal_percent']:.0f}%]"
        )
    if outcome["status"] == "ok":
        return (
            f"{outcome['seconds']:.3f} s, peak Δ {outcome['peak_delta_kib'] / 1024:.0f} MiB,"
            f" process peak {outcome['process_peak_kib'] / 1024:.0f} MiB{load}"
        )
    if outcome["status"] == "timeout":
        return f"timeout after {outcome['timeout_seconds']:g} s{load}"
    return f"error: {outcome['reason']}: {(outcome['stderr_tail'] or [''])[-1]}"


def run_cases(
    args: argparse.Namespace,
    cases: list[tuple[int, int, str]],
    libs: list[str],
    env: dict[str, str],
) -> tuple[dict[tuple[int, int], dict[str, Any]], list[dict[str, Any]]]:
    """Run every case for every library, ``args.repeat`` times, printing progress.

    Returns
    -------
    datasets : dict
        Metadata of each (n, d) dataset used.
    outcomes : list of dict
        One summary (medians over the repeats) per (library, sampler, n, d).
    """
    datasets: dict[tuple[int, int], dict[str, Any]] = {}
    outcomes: list[dict[str, Any]] = []
    for n, d, sampler in cases:
        if (n, d) not in datasets:
            print(f"# data n={n} d={d}: generating or loading the cache ...", flush=True)
            datasets[(n, d)] = ensure_data(args, n, d, env)
        runs: dict[str, list[dict[str, Any]]] = {lib: [] for lib in libs}
        for repeat in range(args.repeat):
            # Alternate which library goes first, so slow drifts of a shared machine
            # (other jobs, thermal state) hit both sides alike.
            order = libs if repeat % 2 == 0 else libs[::-1]
            for lib in order:
                if runs[lib] and runs[lib][-1]["status"] != "ok":
                    continue  # a timeout or an error repeats; do not spend the time again
                gib = args.prefault_gib
                if gib is None:
                    gib = default_prefault_gib(n, d, 4 if args.dtype == "float32" else 8)
                prefault_seconds = prefault(gib, env)
                background = wait_for_idle(args.wait_idle)
                outcome = run_child_measured(
                    case_command(args, lib, sampler, n, d), env, args.timeout
                )
                outcome["background_cpu_percent_before"] = background
                outcome["prefault_gib"] = gib
                outcome["prefault_seconds"] = prefault_seconds
                runs[lib].append(outcome)
                print(
                    f"  n={n} d={d} {sampler:<12} {lib:<9} run {repeat + 1}/{args.repeat}:"
                    f" {describe_run(outcome)}",
                    flush=True,
                )
        outcomes += [summarize(lib, sampler, n, d, runs[lib], args.time_stat) for lib in libs]
    return datasets, outcomes


def build_notes(
    args: argparse.Namespace,
    machine: dict[str, Any],
    started: dt.datetime,
    outcomes: list[dict[str, Any]],
    rows: list[dict[str, Any]],
) -> list[str]:
    """The lines printed under the table: conditions, caveats, errors."""
    notes = [
        f"Measured {started:%Y-%m-%d %H:%M %Z} on {machine['label']} "
        f"({machine['cpu_count']} CPUs, {machine['cpu_model']}).",
        f"Times: wall seconds of fit_resample, {args.time_stat} of {args.repeat} fresh "
        f"process(es). "
        f"Peaks in MiB; 'peak Δ' = peak RSS during fit_resample minus the RSS after loading "
        f"the data; the target's memory ratio uses '{args.memory_metric}'.",
        f"Data: make_classification(n_samples=n, n_features=d, weights=[0.95], "
        f"random_state={args.data_seed}), {args.dtype}.",
    ]
    if args.unset_openblas_env:
        notes.append("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE were unset for the subprocesses.")
    if args.smotekit_module:
        notes.append(
            f"NOTE: the 'smotekit' column ran {args.smotekit_module} "
            "(--smotekit-module testing override), not smotekit."
        )
    by_case: dict[tuple[int, int, str], dict[str, int]] = {}
    for o in outcomes:
        if o["status"] == "ok":
            by_case.setdefault((o["n"], o["d"], o["sampler"]), {})[o["lib"]] = o["n_new"]
    for (n, d, sampler), new in by_case.items():
        if len(set(new.values())) > 1:
            counts = ", ".join(f"{lib} {count}" for lib, count in new.items())
            notes.append(f"{sampler} n={n} d={d} generated different numbers of rows: {counts}.")
    for o in outcomes:
        if o["status"] == "error":
            last = (o.get("stderr_tail") or ["(no output)"])[-1]
            notes.append(
                f"error: {o['lib']} {o['sampler']} n={o['n']} d={o['d']}: {o['reason']}: {last}"
            )
    spreads = [
        (max(r["seconds"] for r in o["runs"]) / min(r["seconds"] for r in o["runs"]), o)
        for o in outcomes
        if o["status"] == "ok" and len(o["runs"]) > 1
    ]
    if spreads:
        spread, worst = max(spreads, key=lambda item: item[0])
        notes.append(
            f"Largest max/min time spread between repeats: {spread:.2f} "
            f"({worst['lib']} {worst['sampler']} n={worst['n']} d={worst['d']})."
        )
    kernel_bound = [
        f"{o['lib']} {o['sampler']} n={o['n']} d={o['d']}"
        for o in outcomes
        if o["status"] == "ok" and o.get("system_seconds", 0) > 0.5 * o["seconds"]
    ]
    notes += caveat_notes(kernel_bound, any(row["disturbed"] for row in rows))
    return notes


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write ``results/bench_<time>.{md,json}`` and ``latest.*``."""
    args = build_parser().parse_args(argv)
    if args.quick:
        args.sizes, args.dims = [100_000], [20]
    libs = [lib.strip() for lib in args.libs.split(",") if lib.strip()]
    if not libs or set(libs) - set(LIBRARY_MODULES):
        raise SystemExit(f"--libs must be a subset of {sorted(LIBRARY_MODULES)}")
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    env = child_env(args.unset_openblas_env)
    cases = plan(args)

    if args.dry_run:
        for n, d, sampler in cases:
            for lib in libs:
                print(" ".join(case_command(args, lib, sampler, n, d)))
        return 0

    if "smotekit" in libs:
        module = args.smotekit_module or LIBRARY_MODULES["smotekit"]
        problem = check_smotekit(env, module)
        if problem is not None:
            raise SystemExit(
                f"smotekit's samplers are not importable ({module}.SMOTE: {problem}).\n"
                "Run imbalanced-learn alone with --libs imblearn, or wait for the core to land."
            )

    started = dt.datetime.now(dt.timezone.utc).astimezone()
    datasets, outcomes = run_cases(args, cases, libs, env)
    rows = build_rows(outcomes, args.memory_metric)
    table = markdown_table(rows)
    machine = machine_info(args.machine_label)
    notes = build_notes(args, machine, started, outcomes, rows)
    markdown = "\n".join(
        ["# smotekit vs imbalanced-learn", "", table, "", *(f"- {note}" for note in notes), ""]
    )
    print()
    print(markdown)

    report = {
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(),
        "machine": machine,
        "argv": sys.argv[1:] if argv is None else argv,
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "env": recorded_env(env),
        "threadpools": {o["lib"]: o.get("threadpools") for o in outcomes if o["status"] == "ok"},
        "datasets": {f"n={n},d={d}": meta for (n, d), meta in datasets.items()},
        "rows": [{k: v for k, v in row.items() if k != "cells"} for row in rows],
        "outcomes": outcomes,
        "notes": notes,
    }
    write_results(args.output_dir, f"bench_{started:%Y%m%d_%H%M%S}", "latest", markdown, report)
    return 0
