"""SMOTENC and SMOTEN side by side with imbalanced-learn: wall time and peak RSS.

Self-contained (it shares no code with the rest of ``benchmarks/``). Every case runs
``fit_resample`` once in a fresh interpreter for each library, on data generated from a
fixed seed, and reports the wall time and the resident-set high-water mark during the
call (the kernel's ``VmHWM``, reset just before the call by writing ``5`` to
``/proc/self/clear_refs``; a 5 ms sampling thread where that is not possible)::

    python benchmarks/bench_categorical.py            # the issue's sizes (minutes)
    python benchmarks/bench_categorical.py --quick    # small sizes, a few seconds each
    python benchmarks/bench_categorical.py --cases smoten --repeat 5 --imblearn-repeat 3

Cases (full size; ``--quick`` divides the rows by 10 or more):

- ``smotenc``: 1M rows x 20 features (15 continuous from ``make_classification``, 5
  categorical with 10 levels, stored as float codes), 5 % minority.  Target: >= 30x faster,
  peak RSS <= 1/3 of imbalanced-learn's.
- ``smoten``: 100k rows x 20 categorical features (5 to 10 levels, strings in an object
  array), 5 % minority.  Target: >= 50x faster.
- ``smoten-1m``: the same at 1M rows, smotekit only.  Target: done within the time
  imbalanced-learn needs for ``smoten`` (100k rows).

Results are printed as a Markdown table and written to
``benchmarks/results/categorical_latest.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

MARKER = "CATEGORICAL_BENCH"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO_ROOT = Path(__file__).resolve().parent.parent

#: case -> (rows at full size, rows with --quick, libraries, sampler)
CASES: dict[str, tuple[int, int, tuple[str, ...], str]] = {
    "smotenc": (1_000_000, 100_000, ("imblearn", "smotekit"), "smotenc"),
    "smoten": (100_000, 10_000, ("imblearn", "smotekit"), "smoten"),
    "smoten-1m": (1_000_000, 100_000, ("smotekit",), "smoten"),
}


# ---------------------------------------------------------------------------- data
def _class_conditional_codes(y: np.ndarray, n_levels: int, rng: np.random.Generator) -> np.ndarray:
    """Codes whose distribution depends on the class (so votes and VDM are meaningful)."""
    probs = rng.dirichlet(np.ones(n_levels), size=2)
    cumulative = np.cumsum(probs, axis=1)
    draws = rng.random(y.shape[0])
    return (draws[:, None] > cumulative[y, : n_levels - 1]).sum(axis=1)


def make_smotenc_data(n: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """15 continuous + 5 categorical (10 levels, float codes) features, 5 % minority."""
    from sklearn.datasets import make_classification

    continuous, y = make_classification(
        n_samples=n, n_features=15, n_informative=8, weights=[0.95], random_state=0
    )
    rng = np.random.default_rng(1)
    X = np.empty((n, 20))
    X[:, :15] = continuous
    for j in range(15, 20):
        X[:, j] = _class_conditional_codes(y, 10, rng)
    return X, y, list(range(15, 20))


def make_smoten_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """20 categorical features with 5 to 10 levels, strings in an object array."""
    rng = np.random.default_rng(2)
    y = (rng.random(n) < 0.05).astype(np.int64)
    X = np.empty((n, 20), dtype=object)
    for j in range(20):
        n_levels = 5 + j % 6
        names = np.array([f"f{j}_{v}" for v in range(n_levels)], dtype=object)
        X[:, j] = names[_class_conditional_codes(y, n_levels, rng)]
    return X, y


# -------------------------------------------------------------------------- worker
def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


class _Sampler(threading.Thread):
    """Fallback peak-RSS probe: samples VmRSS every 5 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _status_kib("VmRSS") or 0)
            time.sleep(0.005)


def run_worker(case: str, lib: str, n: int) -> dict[str, Any]:
    """Build the data, run one fit_resample, and measure it (in this process)."""
    sampler_name = CASES[case][3]
    if sampler_name == "smotenc":
        X, y, categorical = make_smotenc_data(n)
    else:
        X, y = make_smoten_data(n)
        categorical = None
    if lib == "imblearn":
        from imblearn.over_sampling import SMOTEN, SMOTENC
    else:
        sys.path.insert(0, str(REPO_ROOT / "src"))
        from smotekit import SMOTEN, SMOTENC
    if sampler_name == "smotenc":
        sampler = SMOTENC(categorical_features=categorical, random_state=0)
    else:
        sampler = SMOTEN(random_state=0)
    baseline = _status_kib("VmRSS") or 0
    exact_peak = _reset_peak()
    probe = None if exact_peak else _Sampler()
    if probe is not None:
        probe.start()
    start = time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    seconds = time.perf_counter() - start
    if probe is not None:
        probe.done.set()
        probe.join()
        peak = max(probe.peak, _status_kib("VmRSS") or 0)
    else:
        peak = _status_kib("VmHWM") or 0
    counts = np.bincount(np.asarray(y_res, dtype=np.int64)).tolist()
    return {
        "case": case,
        "lib": lib,
        "n": n,
        "seconds": seconds,
        "peak_mib": peak / 1024,
        "delta_mib": (peak - baseline) / 1024,
        "baseline_mib": baseline / 1024,
        "rss_method": "vmhwm" if exact_peak else "sampled",
        "rows_out": int(np.shape(X_res)[0]),
        "class_counts": counts,
    }


# -------------------------------------------------------------------------- driver
def run_case(case: str, lib: str, n: int, timeout: float) -> dict[str, Any]:
    """One case in a fresh interpreter; a timeout or crash is reported, not raised."""
    command = [sys.executable, __file__, "--worker", case, lib, str(n)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"case": case, "lib": lib, "n": n, "error": f"timeout after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            result = json.loads(line[len(MARKER) :])
            result["load_before"] = load
            return result
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"case": case, "lib": lib, "n": n, "error": " | ".join(tail) or "no result"}


def _median(results: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in results if key in r]
    return statistics.median(values) if values else None


def summarise(runs: dict[tuple[str, str], list[dict[str, Any]]], quick: bool) -> list[dict]:
    """One row per case: medians per library, ratios, target verdict."""
    rows = []
    for case in dict.fromkeys(c for c, _ in runs):
        imbl = runs.get((case, "imblearn"), [])
        smk = runs.get((case, "smotekit"), [])
        row: dict[str, Any] = {"case": case, "n": (smk or imbl)[0]["n"]}
        for name, results in (("imblearn", imbl), ("smotekit", smk)):
            row[f"{name}_s"] = _median(results, "seconds")
            row[f"{name}_peak_mib"] = _median(results, "peak_mib")
            row[f"{name}_delta_mib"] = _median(results, "delta_mib")
            errors = [r["error"] for r in results if "error" in r]
            if errors:
                row[f"{name}_error"] = errors[0]
        if row["imblearn_s"] and row["smotekit_s"]:
            row["speedup"] = row["imblearn_s"] / row["smotekit_s"]
            row["peak_ratio"] = row["smotekit_peak_mib"] / row["imblearn_peak_mib"]
        rows.append(row)
    by_case = {r["case"]: r for r in rows}
    for row in rows:
        row["target"], row["verdict"] = _verdict(row, by_case, quick)
    return rows


def _verdict(row: dict[str, Any], by_case: dict[str, dict], quick: bool) -> tuple[str, str]:
    suffix = " (quick size: indicative only)" if quick else ""
    if row["case"] == "smotenc":
        target = ">= 30x faster, peak RSS <= 1/3"
        ok = row.get("speedup", 0) >= 30 and row.get("peak_ratio", 9) <= 1 / 3
    elif row["case"] == "smoten":
        target = ">= 50x faster"
        ok = row.get("speedup", 0) >= 50
    else:
        target = "within imblearn's smoten time"
        reference = by_case.get("smoten", {}).get("imblearn_s")
        ok = bool(reference and row["smotekit_s"] and row["smotekit_s"] <= reference)
    return target, ("PASS" if ok else "MISS") + suffix


def _fmt(value: Any, spec: str = ".3g") -> str:
    return "-" if value is None else format(value, spec)


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The result table and how it was measured."""
    lines = [
        "# SMOTENC / SMOTEN: smotekit vs imbalanced-learn",
        "",
        "| case | rows | imblearn s | smotekit s | speed-up | imblearn peak MiB "
        "| smotekit peak MiB | peak ratio | smotekit peak Δ MiB | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        imbl_s = r.get("imblearn_error") or _fmt(r["imblearn_s"])
        smk_s = r.get("smotekit_error") or _fmt(r["smotekit_s"])
        lines.append(
            f"| {r['case']} | {r['n']:,} | {imbl_s} | {smk_s} | {_fmt(r.get('speedup'), '.1f')}x "
            f"| {_fmt(r['imblearn_peak_mib'], '.0f')} | {_fmt(r['smotekit_peak_mib'], '.0f')} "
            f"| {_fmt(r.get('peak_ratio'), '.3f')} | {_fmt(r['smotekit_delta_mib'], '.0f')} "
            f"| {r['target']} | {r['verdict']} |"
        )
    lines += [
        "",
        f"- Measured {meta['when']} on {meta['machine']}; {meta['repeat']} fresh process(es) "
        "per case, medians.",
        "- Peak MiB: resident-set high-water mark during fit_resample (data included); "
        "peak Δ: that minus the RSS just before the call.",
        "- smotenc: 15 continuous + 5 categorical features (10 levels, float codes); smoten: "
        "20 categorical features (5-10 levels, strings in an object array); 5 % minority.",
        f"- Load average before each case: {meta['loads']}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset")
    parser.add_argument("--libs", default="imblearn,smotekit", help="libraries to run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh smotekit processes per case (median)"
    )
    parser.add_argument(
        "--imblearn-repeat", type=int, default=1, help="fresh imbalanced-learn processes per case"
    )
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per run")
    parser.add_argument("--no-save", action="store_true", help="do not write result files")
    parser.add_argument("--worker", nargs=3, metavar=("CASE", "LIB", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        case, lib, n = args.worker
        print(MARKER + json.dumps(run_worker(case, lib, int(n))), flush=True)
        return 0
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s) {unknown}; choose from {sorted(CASES)}")
    libs = {lib.strip() for lib in args.libs.split(",")}
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    loads = []
    for case in cases:
        full, quick, case_libs, _ = CASES[case]
        n = quick if args.quick else full
        for lib in (lib for lib in case_libs if lib in libs):
            for _ in range(args.repeat if lib == "smotekit" else args.imblearn_repeat):
                result = run_case(case, lib, n, args.timeout)
                loads.append(round(result.get("load_before", float("nan")), 2))
                shown = result.get("error") or (
                    f"{result['seconds']:.3f} s, peak {result['peak_mib']:.0f} MiB"
                )
                print(f"{case:>10} {lib:>9} n={n:>9,}: {shown}", flush=True)
                runs.setdefault((case, lib), []).append(result)
    rows = summarise(runs, args.quick)
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "repeat": f"{args.imblearn_repeat} imblearn / {args.repeat} smotekit",
        "loads": loads,
    }
    text = markdown(rows, meta)
    print()
    print(text)
    if not args.no_save:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        stem = "categorical_quick" if args.quick else "categorical_latest"
        (RESULTS_DIR / f"{stem}.md").write_text(text)
        payload = {"meta": meta, "rows": rows, "runs": [r for v in runs.values() for r in v]}
        (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
