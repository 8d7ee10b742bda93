"""Run one (library, sampler, dataset) case in this process and print the result as JSON.

The harness starts a fresh interpreter for every case so that no allocator state, cached
neighbour index or warmed-up thread pool carries over between libraries::

    python -m benchmarks._one_case --lib smotekit --sampler smote --n 1000000 --d 20

Output protocol (stdout): lines starting with ``BENCH_JSON`` carry one JSON object each; the
``"start"`` event is printed right before ``fit_resample`` is called (the harness reads its
baseline if the case later times out) and the ``"result"`` event after it returns. Anything
else on stdout or stderr (warnings, progress bars) is ignored by the harness.

Memory is measured as follows (see ``docs/benchmarks.md``):

- ``baseline_rss_kib``: ``VmRSS`` after the library is imported, the data are loaded and the
  sampler is constructed (the data cost is common to both libraries);
- ``peak_rss_kib``: the resident-set high-water mark during ``fit_resample``. With
  ``--rss-method vmhwm`` (the default where it works) the kernel's own ``VmHWM`` is reset by
  writing ``5`` to ``/proc/self/clear_refs`` just before the call and read just after, so no
  short spike is missed; with ``--rss-method psutil`` a background thread samples the RSS
  every 5 ms instead;
- ``peak_delta_kib = peak_rss_kib - baseline_rss_kib``;
- ``process_peak_kib``: the whole process's peak (``getrusage(RUSAGE_SELF).ru_maxrss``,
  taken before the reset and after the call, because the reset also resets ``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import re
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._cases import LIBRARY_MODULES, SAMPLERS
from benchmarks._data import CACHE_DIR, DataSpec, load_dataset

MARKER = "BENCH_JSON"


def emit(event: str, payload: dict[str, Any]) -> None:
    """Print one protocol line and flush it at once."""
    print(f"{MARKER} {json.dumps({'event': event, **payload})}", flush=True)


def proc_status_kib(field: str, pid: int | str = "self") -> int | None:
    """Read one ``kB`` field (``VmRSS``, ``VmHWM``) of ``/proc/<pid>/status``.

    Returns None where ``/proc`` is unavailable or the field is missing.
    """
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else None


def current_rss_kib() -> int:
    """Current resident set size of this process in KiB."""
    rss = proc_status_kib("VmRSS")
    if rss is not None:
        return rss
    import psutil

    return psutil.Process().memory_info().rss // 1024


def reset_vmhwm() -> bool:
    """Reset this process's ``VmHWM`` to its current RSS; return whether that worked.

    Linux resets the peak-RSS counter when ``5`` is written to ``/proc/self/clear_refs``
    (since 4.0). The result is checked, not assumed: after a successful reset the
    high-water mark is within a few MiB of the current RSS.
    """
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    hwm, rss = proc_status_kib("VmHWM"), proc_status_kib("VmRSS")
    return hwm is not None and rss is not None and hwm - rss < 4096


def machine_cpu_seconds() -> tuple[float, float] | None:
    """Busy and stolen CPU-seconds of the whole machine since boot (``/proc/stat``).

    None where ``/proc/stat`` is unavailable.
    """
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    # cpu  user nice system idle iowait irq softirq steal ... (in clock ticks)
    ticks = [int(v) for v in fields[1:9]]
    hz = os.sysconf("SC_CLK_TCK")
    busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]
    return busy / hz, ticks[7] / hz


def contention(
    before: tuple[float, float] | None,
    after: tuple[float, float] | None,
    own_cpu: float,
    wall: float,
) -> dict[str, float]:
    """Share of all cores that other jobs, and the hypervisor's steal, took over ``wall``.

    ``others_cpu_percent`` is the machine's busy CPU time minus ``own_cpu`` (ours), as a
    percentage of ``wall * cpu_count``; ``steal_percent`` likewise for stolen time. Empty when
    ``/proc/stat`` is unavailable or ``wall`` is 0.
    """
    if before is None or after is None or wall <= 0:
        return {}
    capacity = wall * (os.cpu_count() or 1)
    others = max(0.0, (after[0] - before[0]) - own_cpu)
    return {
        "others_cpu_percent": round(100 * others / capacity, 1),
        "steal_percent": round(100 * (after[1] - before[1]) / capacity, 1),
    }


class PsutilPeakSampler:
    """Background thread that samples this process's RSS and keeps the maximum.

    Parameters
    ----------
    interval : float, default=0.005
        Seconds between samples. Spikes shorter than this can be missed.
    """

    def __init__(self, interval: float = 0.005) -> None:
        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak_kib = self._process.memory_info().rss // 1024
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self._process.memory_info().rss // 1024)
            self._stop.wait(self._interval)

    def start(self) -> None:
        """Start sampling."""
        self._thread.start()

    def stop(self) -> int:
        """Stop sampling and return the peak RSS in KiB (one last sample included)."""
        self._stop.set()
        self._thread.join()
        return max(self.peak_kib, self._process.memory_info().rss // 1024)


def threadpool_summary() -> list[dict[str, Any]]:
    """The loaded native thread pools (BLAS, OpenMP).

    File paths are reduced to the folder that names the owning package (``numpy.libs``,
    ``scipy.libs``, ``scikit_learn.libs``).
    """
    from threadpoolctl import threadpool_info

    keys = (
        "user_api",
        "internal_api",
        "prefix",
        "version",
        "num_threads",
        "threading_layer",
        "architecture",
    )
    return [
        {"owner": Path(info["filepath"]).parent.name, **{k: info[k] for k in keys if k in info}}
        for info in threadpool_info()
    ]


def check_output(X: np.ndarray, y: np.ndarray, X_res: Any, y_res: Any) -> dict[str, Any]:
    """Cheap sanity checks on the resampled output (run after the timing)."""
    X_res = np.asarray(X_res)
    y_res = np.asarray(y_res)
    n = X.shape[0]
    labels, counts = np.unique(y_res, return_counts=True)
    synthetic = X_res[n:]
    return {
        "shape_out": list(X_res.shape),
        "dtype_out": str(X_res.dtype),
        "n_new": int(X_res.shape[0] - n),
        "class_counts_out": {str(int(c)): int(k) for c, k in zip(labels, counts, strict=True)},
        "originals_first": bool(X_res.shape[0] >= n and np.array_equal(X_res[:n], X)),
        "synthetic_finite": bool(np.isfinite(synthetic).all()),
        "output_bytes": int(X_res.nbytes + y_res.nbytes),
    }


def run_case(args: argparse.Namespace) -> dict[str, Any]:
    """Import, load, measure one ``fit_resample`` and return the result record."""
    case = SAMPLERS[args.sampler]
    module_name = args.module or case.module(args.lib)

    start = time.perf_counter()
    module = importlib.import_module(module_name)
    sampler_cls = getattr(module, case.class_name)
    import_seconds = time.perf_counter() - start

    spec = DataSpec(n=args.n, d=args.d, seed=args.data_seed, dtype=args.dtype)
    start = time.perf_counter()
    X, y = load_dataset(spec, args.cache_dir)
    load_seconds = time.perf_counter() - start

    sampler = sampler_cls(**case.constructor_kwargs())
    gc.collect()

    measured, X_res, y_res = measure_fit_resample(sampler, X, y, args.rss_method)

    return {
        "lib": args.lib,
        "module": module_name,
        "class": f"{sampler_cls.__module__}.{sampler_cls.__qualname__}",
        "library_version": getattr(sys.modules[module_name.split(".")[0]], "__version__", None),
        "sampler": args.sampler,
        "params": case.constructor_kwargs(),
        "n": args.n,
        "d": args.d,
        "dtype": args.dtype,
        "import_seconds": import_seconds,
        "load_seconds": load_seconds,
        **measured,
        "threadpools": threadpool_summary(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        **check_output(X, y, X_res, y_res),
    }


def measure_fit_resample(
    sampler: Any, X: Any, y: Any, rss_method: str
) -> tuple[dict[str, Any], Any, Any]:
    """Run ``sampler.fit_resample(X, y)`` once, measuring time and peak memory.

    Emits the ``start`` event (pid, baseline RSS, method) before the call.

    Returns
    -------
    measured : dict
        Wall, CPU, user and system seconds, minor page faults, the RSS method, baseline,
        peak, peak delta, whole-process peak and post-call RSS (KiB), and the machine's
        contention during the call.
    X_res, y_res
        The sampler's output.
    """
    method = rss_method
    process_peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    baseline = current_rss_kib()
    poller: PsutilPeakSampler | None = None
    if method in ("auto", "vmhwm"):
        if reset_vmhwm():
            method = "vmhwm"
        elif method == "vmhwm":
            raise SystemExit("--rss-method vmhwm: /proc/self/clear_refs reset not available")
        else:
            method = "psutil"
    if method == "psutil":
        poller = PsutilPeakSampler()
        poller.start()
    emit(
        "start",
        {
            "pid": os.getpid(),
            "baseline_rss_kib": baseline,
            "rss_method": method,
            "process_peak_before_kib": process_peak_before,
        },
    )
    machine0 = machine_cpu_seconds()
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    machine = contention(machine0, machine_cpu_seconds(), cpu, wall)
    peak = poller.stop() if poller is not None else proc_status_kib("VmHWM") or 0
    process_peak = max(
        process_peak_before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, peak
    )
    measured = {
        "seconds": wall,
        "cpu_seconds": cpu,
        "user_seconds": usage1.ru_utime - usage0.ru_utime,
        "system_seconds": usage1.ru_stime - usage0.ru_stime,
        "minor_page_faults": usage1.ru_minflt - usage0.ru_minflt,
        "rss_method": method,
        "baseline_rss_kib": baseline,
        "peak_rss_kib": peak,
        "peak_delta_kib": peak - baseline,
        "process_peak_kib": process_peak,
        "rss_after_kib": current_rss_kib(),
        **machine,
    }
    return measured, X_res, y_res


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface of one case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", required=True, choices=sorted(LIBRARY_MODULES))
    parser.add_argument("--sampler", required=True, choices=sorted(SAMPLERS))
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--data-seed", type=int, default=0)
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--rss-method", default="auto", choices=["auto", "vmhwm", "psutil"])
    parser.add_argument(
        "--module",
        default=None,
        help="import the samplers from this module instead of the library's",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the case and print its ``result`` event."""
    args = build_parser().parse_args(argv)
    emit("result", run_case(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
