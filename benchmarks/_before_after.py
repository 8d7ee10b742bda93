"""Two smotekit versions side by side in one run: wall time and peak RSS of ``fit_resample``.

The cases are those of the ``make bench`` harness (``run_benchmarks.py``: the samplers of
:mod:`benchmarks._cases` on the cached ``make_classification`` data) plus SMOTENC and SMOTEN on
the data of ``bench_categorical.py``. Each run is a fresh subprocess, the harness's own
(``python -m benchmarks._one_case``, or :mod:`benchmarks._categorical_case`), started with the
version's ``src`` first on ``PYTHONPATH``; the measuring code is this tree's for both versions.
Per case the two versions run interleaved, ``--repeat`` times each, and the table gives the
medians, their ratio and the spread of each version's repeats (the run-to-run noise).
Times are reported, never asserted. See ``bench_before_after.py`` for usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks._cases import DEFAULT_SAMPLERS, SAMPLERS
from benchmarks._categorical_case import KINDS as CATEGORICAL
from benchmarks._data import CACHE_DIR, REPO_ROOT
from benchmarks._harness import (
    add_run_options,
    case_command,
    describe_run,
    ensure_data,
    machine_info,
    parse_int_list,
    parse_keys,
    summarize,
)
from benchmarks._report import (
    DISTURBED_PERCENT,
    caveat_notes,
    fmt_mib,
    fmt_n,
    fmt_seconds,
    write_results,
)
from benchmarks._runner import (
    child_env,
    default_prefault_gib,
    prefault,
    recorded_env,
    run_child_measured,
    wait_for_idle,
)

#: The commit the refactor starts from, and where its worktree is expected.
BEFORE_COMMIT = "b8e8139"
DEFAULT_BEFORE = REPO_ROOT.parent / "wt-before"
# The samplers both checkouts have (the family added since is compared with imblearn only).
ALL_SAMPLERS: tuple[str, ...] = (*DEFAULT_SAMPLERS, "borderline2", *CATEGORICAL)
DEFAULT_CASES: tuple[str, ...] = (*DEFAULT_SAMPLERS, *CATEGORICAL)
#: Sizes of the default run (about 12-13 minutes on the quiet 2-core VM) and of --quick.
DEFAULT_SIZES, DEFAULT_DIMS = [500_000], [20, 100]
QUICK_SIZES, QUICK_DIMS = [100_000], [20]
VERSIONS = ("before", "after")


def parse_samplers(text: str) -> list[str]:
    """Comma-separated case keys (harness samplers, ``smotenc``, ``smoten``) or ``all``."""
    return parse_keys(text, list(ALL_SAMPLERS))


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface of ``bench_before_after.py``."""
    parser = argparse.ArgumentParser(
        prog="bench_before_after.py",
        description="Compare two smotekit versions side by side, interleaved, each run in a "
        "fresh subprocess: median wall time, ratio, run-to-run spread and peak RSS.",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=DEFAULT_BEFORE,
        help=f"checkout (or its src/) of the 'before' version (default: {DEFAULT_BEFORE}, "
        f"a worktree of {BEFORE_COMMIT})",
    )
    parser.add_argument(
        "--after",
        type=Path,
        default=REPO_ROOT,
        help=f"checkout (or its src/) of the 'after' version (default: {REPO_ROOT})",
    )
    parser.add_argument(
        "--n",
        "--sizes",
        dest="sizes",
        type=parse_int_list,
        default=DEFAULT_SIZES,
        help="comma-separated numbers of rows, also used by smotenc/smoten (default: 500000)",
    )
    parser.add_argument(
        "--d",
        dest="dims",
        type=parse_int_list,
        default=DEFAULT_DIMS,
        help="comma-separated numbers of features of the numeric cases; smotenc/smoten always "
        "have 20 (default: 20,100)",
    )
    parser.add_argument(
        "--samplers",
        type=parse_samplers,
        default=list(DEFAULT_CASES),
        help=f"comma-separated subset of {','.join(ALL_SAMPLERS)} or 'all' "
        f"(default: {','.join(DEFAULT_CASES)})",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh processes per version and case (default: 3)"
    )
    parser.add_argument(
        "--order",
        choices=["alternate", "abab"],
        default="alternate",
        help="per case: 'alternate' runs before,after then after,before, ... (which version "
        "goes first alternates, as in the harness, so a drift hits both alike); 'abab' always "
        "runs before first (default: alternate)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: n={QUICK_SIZES[0]}, d={QUICK_DIMS[0]} (overrides --n and --d)",
    )
    parser.set_defaults(smotekit_module=None)  # read by the harness's case_command
    add_run_options(parser)
    return parser


# ---------------------------------------------------------------------------- versions
def resolve_src(path: Path) -> Path:
    """The folder that holds the ``smotekit`` package: ``path/src`` or ``path`` itself."""
    path = path.expanduser().resolve()
    for candidate in (path / "src", path):
        if (candidate / "smotekit" / "__init__.py").is_file():
            return candidate
    hint = ""
    if path == DEFAULT_BEFORE.resolve():
        hint = f"\ncreate it with: git -C {REPO_ROOT} worktree add {path} {BEFORE_COMMIT}"
    raise SystemExit(f"no smotekit package under {path} or {path / 'src'}{hint}")


def git_describe(src: Path) -> dict[str, Any]:
    """Commit of the checkout holding ``src`` and whether ``src`` has uncommitted changes."""

    def git(*cmd: str) -> str | None:
        proc = subprocess.run(
            ["git", "-C", str(src), *cmd], capture_output=True, text=True, check=False
        )
        return proc.stdout.strip() if proc.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    status = git("status", "--porcelain", "--", ".")
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def version_env(base: dict[str, str], src: Path) -> dict[str, str]:
    """``base`` (the harness's child environment) with ``src`` first on ``PYTHONPATH``."""
    env = dict(base)
    default_src = str(REPO_ROOT / "src")
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != default_src]
    env["PYTHONPATH"] = os.pathsep.join([str(src), *rest])
    return env


def preflight(env: dict[str, str], src: Path, class_names: list[str]) -> dict[str, Any]:
    """Import smotekit as a case process will; check where it comes from and its classes."""
    code = (
        "import importlib, json, smotekit; "
        f"names = {class_names!r}; "
        "print(json.dumps({'file': smotekit.__file__, "
        "'version': getattr(smotekit, '__version__', None), "
        "'missing': [n for n in names if not hasattr(smotekit, n)]}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return {"error": f"import smotekit failed: {last}"}
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    if not Path(info["file"]).resolve().is_relative_to(src):
        info["error"] = f"smotekit was imported from {info['file']}, not from {src}"
    elif info["missing"]:
        info["error"] = f"smotekit lacks {info['missing']}"
    return info


# ------------------------------------------------------------------------------- cases
def plan(args: argparse.Namespace) -> list[tuple[int, int, str]]:
    """The (n, d, sampler) cases in run order; smotenc/smoten once per n, with d = 20."""
    cases: list[tuple[int, int, str]] = []
    for n in args.sizes:
        cases += [(n, d, s) for d in args.dims for s in args.samplers if s in SAMPLERS]
        cases += [(n, CATEGORICAL[s][1], s) for s in args.samplers if s in CATEGORICAL]
    return cases


def command(args: argparse.Namespace, n: int, d: int, sampler: str) -> list[str]:
    """The case subprocess's command line (the harness's for the numeric samplers)."""
    if sampler in CATEGORICAL:
        return [
            sys.executable,
            "-m",
            "benchmarks._categorical_case",
            "--kind",
            sampler,
            "--n",
            str(n),
            "--rss-method",
            args.rss_method,
        ]
    return case_command(args, "smotekit", sampler, n, d)


def ensure_case_data(
    args: argparse.Namespace, n: int, d: int, sampler: str, env: dict[str, str]
) -> dict[str, Any]:
    """Build (or find) the cached data of a case in a separate process; its metadata."""
    if sampler not in CATEGORICAL:
        return ensure_data(args, n, d, env)
    cmd = [*command(args, n, d, sampler), "--build", "--cache-dir", str(CACHE_DIR)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"generating the {sampler} data (n={n}) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def case_label(n: int, d: int, sampler: str) -> str:
    """``smote n=500k d=20``; categorical cases say what their 20 features are."""
    label = f"{sampler} n={fmt_n(n)} d={d}"
    if sampler == "smotenc":
        label += " (15 num + 5 cat)"
    elif sampler == "smoten":
        label += " (cat)"
    return label


def run_all(
    args: argparse.Namespace,
    cases: list[tuple[int, int, str]],
    envs: dict[str, dict[str, str]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every case for both versions, interleaved; return datasets and per-case results."""
    datasets: dict[str, Any] = {}
    results = []
    itemsize = 4 if args.dtype == "float32" else 8
    for n, d, sampler in cases:
        label = case_label(n, d, sampler)
        data_key = f"{sampler} n={n}" if sampler in CATEGORICAL else f"n={n},d={d}"
        if data_key not in datasets:
            print(f"# data {data_key}: generating or loading the cache ...", flush=True)
            datasets[data_key] = ensure_case_data(args, n, d, sampler, envs["after"])
        gib = args.prefault_gib
        if gib is None:
            gib = default_prefault_gib(n, d, 8 if sampler in CATEGORICAL else itemsize)
        runs: dict[str, list[dict[str, Any]]] = {v: [] for v in VERSIONS}
        started = time.monotonic()
        for repeat in range(args.repeat):
            flip = args.order == "alternate" and repeat % 2 == 1
            for version in VERSIONS[::-1] if flip else VERSIONS:
                if runs[version] and runs[version][-1]["status"] != "ok":
                    continue  # a timeout or an error repeats; do not spend the time again
                prefault_seconds = prefault(gib, envs[version])
                background = wait_for_idle(args.wait_idle)
                outcome = run_child_measured(
                    command(args, n, d, sampler), envs[version], args.timeout
                )
                outcome["background_cpu_percent_before"] = background
                outcome["prefault_gib"] = gib
                outcome["prefault_seconds"] = prefault_seconds
                runs[version].append(outcome)
                print(
                    f"  {label:<32} {version:<6} run {repeat + 1}/{args.repeat}:"
                    f" {describe_run(outcome)}",
                    flush=True,
                )
        summaries = {v: summarize(v, sampler, n, d, runs[v]) for v in VERSIONS}
        results.append(
            {
                "label": label,
                "n": n,
                "d": d,
                "sampler": sampler,
                "wall_seconds": time.monotonic() - started,
                **summaries,
            }
        )
    return datasets, results


# ------------------------------------------------------------------------------ report
def spread_percent(summary: dict[str, Any]) -> float | None:
    """(max - min) / median of a version's repeat times, in percent (None below 2 runs)."""
    times = ok_times(summary)
    if len(times) < 2 or summary["status"] != "ok":
        return None
    return 100 * (max(times) - min(times)) / statistics.median(times)


def ok_times(summary: dict[str, Any]) -> list[float]:
    """Wall seconds of a version's successful repeats."""
    return [r["seconds"] for r in summary["runs"] if r["status"] == "ok"]


def judge(ratio: float | None, noise: float | None, before: list[float], after: list[float]) -> str:
    """Whether after/before moved by more than the noise (informative, never asserted).

    A change counts only when the ratio of the medians is off 1 by more than the noise *and*
    the two versions' ranges of repeat times do not overlap; with 3 repeats a median can move
    past the other version's spread by chance alone (then the ranges still overlap).
    """
    if ratio is None:
        return "—"
    change = 100 * (ratio - 1)
    if noise is None:
        return f"{change:+.1f}% (noise unknown)"
    if change > noise and min(after) > max(before):
        return f"SLOWER {change:+.1f}% > noise"
    if -change > noise and max(after) < min(before):
        return f"faster {change:+.1f}% > noise"
    return "within noise"


def time_cell(summary: dict[str, Any]) -> str:
    """Median seconds, or why there is none."""
    if summary["status"] == "ok":
        return fmt_seconds(summary["seconds"])
    if summary["status"] == "timeout":
        return f"timeout (>{fmt_seconds(summary['timeout_seconds'])})"
    return "error"


def peak_cell(summary: dict[str, Any], key: str) -> str:
    """Median peak in MiB (a lower bound after a timeout)."""
    if summary.get(key) is None:
        return "?"
    prefix = ">=" if summary["status"] == "timeout" else ""
    return prefix + fmt_mib(summary[key])


HEADER = (
    "case",
    "before s",
    "after s",
    "after/before",
    "spread before",
    "spread after",
    "noise",
    "before peak Δ MiB",
    "after peak Δ MiB",
    "before process peak MiB",
    "after process peak MiB",
    "verdict",
)


def build_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One table row per case: medians, ratio, spreads, peaks and the informative verdict."""
    rows = []
    for res in results:
        before, after = res["before"], res["after"]
        ok = before["status"] == "ok" and after["status"] == "ok"
        ratio = after["seconds"] / before["seconds"] if ok and before["seconds"] > 0 else None
        spreads = {v: spread_percent(res[v]) for v in VERSIONS}
        noise = None if None in spreads.values() else max(spreads.values())
        verdict = judge(ratio, noise, ok_times(before), ok_times(after))
        failed = [v for v in VERSIONS if res[v]["status"] == "error"]
        if failed:
            verdict = f"ERROR ({', '.join(failed)})"
        elif not ok:
            verdict = "timeout"
        disturbed = any(
            run.get("others_cpu_percent", 0) + run.get("steal_percent", 0) > DISTURBED_PERCENT
            for v in VERSIONS
            for run in res[v]["runs"]
        )
        if disturbed:
            verdict += " *"

        def pct(value: float | None) -> str:
            return "—" if value is None else f"{value:.1f}%"

        cells = (
            res["label"],
            time_cell(before),
            time_cell(after),
            "—" if ratio is None else f"{ratio:.3f}",
            pct(spreads["before"]),
            pct(spreads["after"]),
            pct(noise),
            peak_cell(before, "peak_delta_kib"),
            peak_cell(after, "peak_delta_kib"),
            peak_cell(before, "process_peak_kib"),
            peak_cell(after, "process_peak_kib"),
            verdict,
        )
        rows.append(
            {
                "case": res["label"],
                "cells": cells,
                "ratio": ratio,
                "spread_percent": spreads,
                "noise_percent": noise,
                "verdict": verdict,
                "disturbed": disturbed,
            }
        )
    return rows


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """GitHub-flavoured markdown table with aligned columns."""
    table = [HEADER, *(row["cells"] for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(HEADER), separator, *(line(row["cells"]) for row in rows)])


def title(args: argparse.Namespace, cases: list[tuple[int, int, str]]) -> str:
    """Table heading with the sizes."""
    numeric = sorted({d for _, d, s in cases if s not in CATEGORICAL})
    parts = [f"n = {', '.join(fmt_n(n) for n in args.sizes)}"]
    if numeric:
        parts.append(f"d = {', '.join(map(str, numeric))} (make_classification, {args.dtype})")
    if any(s in CATEGORICAL for _, _, s in cases):
        parts.append("SMOTENC/SMOTEN: 20 features (bench_categorical.py's data)")
    return (
        f"## smotekit before vs after: {'; '.join(parts)}; "
        f"{args.repeat} fresh processes per version and case, interleaved"
    )


def build_notes(
    args: argparse.Namespace,
    versions: dict[str, dict[str, Any]],
    machine: dict[str, Any],
    started: dt.datetime,
    elapsed: float,
    results: list[dict[str, Any]],
    rows: list[dict[str, Any]],
) -> list[str]:
    """Lines printed under the table: what was compared, how, and caveats."""
    notes = []
    for v in VERSIONS:
        info = versions[v]
        state = {True: "with uncommitted changes", False: "clean", None: "not a git checkout"}
        notes.append(
            f"{v}: {info['src']} (commit {info['commit'] or '?'}, {state[info['dirty']]})."
        )
    order = "which version goes first alternates" if args.order == "alternate" else "abab"
    notes += [
        f"Measured {started:%Y-%m-%d %H:%M %Z} on {machine['label']} ({machine['cpu_count']} "
        f"CPUs, {machine['cpu_model']}), {elapsed / 60:.1f} min in all.",
        f"Times: median wall seconds of fit_resample over {args.repeat} fresh process(es) per "
        f"version, the versions interleaved per case ({order}). Spread = (max - min) / median "
        "of a version's repeats; noise = the larger of the two spreads. 'SLOWER ... > noise' "
        "means the after/before ratio exceeds 1 by more than the noise and every after run "
        "was slower than every before run; reported, not asserted.",
        "Peaks (medians, MiB): peak Δ = peak RSS during fit_resample minus the RSS after "
        "loading the data; process peak = the whole case process's peak RSS.",
    ]
    blas = "unset" if args.unset_openblas_env else "left as in the environment"
    notes.append(f"OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: {blas}.")
    for res in results:
        counts = {v: res[v].get("n_new") for v in VERSIONS if res[v]["status"] == "ok"}
        if len(set(counts.values())) > 1:
            notes.append(
                f"{res['label']}: the versions generated different numbers of rows "
                f"(before {counts.get('before')}, after {counts.get('after')})."
            )
        for v in VERSIONS:
            if res[v]["status"] == "error":
                last = (res[v].get("stderr_tail") or ["(no output)"])[-1]
                notes.append(f"error: {v} {res['label']}: {res[v]['reason']}: {last}")
    kernel_bound = [
        f"{v} {res['label']}"
        for res in results
        for v in VERSIONS
        if res[v]["status"] == "ok" and res[v].get("system_seconds", 0) > 0.5 * res[v]["seconds"]
    ]
    notes += caveat_notes(kernel_bound, any(row["disturbed"] for row in rows))
    return notes


# -------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    """Run both versions and write ``results/before_after_<time>.{md,json}`` and ``*_latest``."""
    args = build_parser().parse_args(argv)
    if args.quick:
        args.sizes, args.dims = list(QUICK_SIZES), list(QUICK_DIMS)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    base_env = child_env(args.unset_openblas_env)
    srcs = {"before": resolve_src(args.before), "after": resolve_src(args.after)}
    envs = {v: version_env(base_env, srcs[v]) for v in VERSIONS}
    cases = plan(args)

    if args.dry_run:
        for n, d, sampler in cases:
            for v in VERSIONS:
                cmd = " ".join(command(args, n, d, sampler))
                print(f"[{v}] PYTHONPATH={envs[v]['PYTHONPATH']} {cmd}")
        return 0

    class_names = sorted(
        {SAMPLERS[s].class_name if s in SAMPLERS else CATEGORICAL[s][0] for s in args.samplers}
    )
    versions: dict[str, dict[str, Any]] = {}
    for v in VERSIONS:
        info = preflight(envs[v], srcs[v], class_names)
        if "error" in info:
            raise SystemExit(f"{v} version ({srcs[v]}): {info['error']}")
        versions[v] = {"src": str(srcs[v]), "module_file": info["file"], **git_describe(srcs[v])}
        print(f"# {v}: smotekit from {info['file']} (commit {versions[v]['commit']})", flush=True)

    started = dt.datetime.now(dt.timezone.utc).astimezone()
    clock = time.monotonic()
    datasets, results = run_all(args, cases, envs)
    elapsed = time.monotonic() - clock
    rows = build_rows(results)
    machine = machine_info(args.machine_label)
    notes = build_notes(args, versions, machine, started, elapsed, results, rows)
    markdown = "\n".join(
        [title(args, cases), "", markdown_table(rows), "", *(f"- {n}" for n in notes), ""]
    )
    print()
    print(markdown)

    report = {
        "started": started.isoformat(),
        "elapsed_seconds": elapsed,
        "machine": machine,
        "argv": sys.argv[1:] if argv is None else argv,
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "versions": versions,
        "env": recorded_env(base_env),
        "datasets": datasets,
        "rows": [{k: v for k, v in row.items() if k != "cells"} for row in rows],
        "results": results,
        "notes": notes,
    }
    write_results(
        args.output_dir,
        f"before_after_{started:%Y%m%d_%H%M%S}",
        "before_after_latest",
        markdown,
        report,
    )
    return 0
