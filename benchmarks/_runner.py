"""Run one benchmark case in a subprocess, with a timeout, and watch the machine meanwhile.

The case subprocess (``python -m benchmarks._one_case``) reports over stdout; this module
starts it with the tree's ``src`` on ``PYTHONPATH``, enforces the ``fit_resample`` timeout,
reads a timed-out child's peak from ``/proc`` before killing it, and measures how much CPU
other jobs took while it ran (the benchmark machine is shared).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from benchmarks._data import REPO_ROOT
from benchmarks._one_case import MARKER, contention, machine_cpu_seconds, proc_status_kib

#: Environment variables set on the benchmark machine that pin OpenBLAS's kernel choice.
OPENBLAS_PINNING_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
#: Environment variables recorded in the JSON because they change BLAS/OpenMP behaviour.
RECORDED_ENV_PREFIXES = ("OPENBLAS_", "OMP_", "MKL_", "BLIS_", "GOTO", "VECLIB")
#: Seconds allowed for a subprocess to import its library and load the data.
SETUP_TIMEOUT = 600.0


def child_env(unset_openblas: bool) -> dict[str, str]:
    """Environment of the case subprocesses: the tree's ``src`` first on ``sys.path``."""
    env = dict(os.environ)
    paths = [str(REPO_ROOT / "src"), str(REPO_ROOT)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if unset_openblas:
        for name in OPENBLAS_PINNING_VARS:
            env.pop(name, None)
    return env


def recorded_env(env: dict[str, str]) -> dict[str, str]:
    """The thread- and BLAS-related variables of an environment."""
    return {k: v for k, v in sorted(env.items()) if k.startswith(RECORDED_ENV_PREFIXES)}


def _pump(stream: Any, sink: queue.Queue[dict[str, Any]] | None, tail: deque[str]) -> None:
    """Read a child's stream line by line: protocol events to ``sink``, the rest to ``tail``."""
    for line in stream:
        if sink is not None and line.startswith(MARKER):
            with contextlib.suppress(json.JSONDecodeError):
                sink.put(json.loads(line[len(MARKER) :]))
                continue
        tail.append(line.rstrip("\n"))


def run_child(cmd: list[str], env: dict[str, str], fit_timeout: float) -> dict[str, Any]:
    """Run one case subprocess; return its result event or a timeout/error record.

    The timeout applies to ``fit_resample`` only: it starts when the child announces that it
    is about to call it. On timeout the child's ``VmHWM`` is read from ``/proc`` before it is
    killed, which bounds its peak from below.
    """
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    tail: deque[str] = deque(maxlen=30)
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, events, tail), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, None, tail), daemon=True),
    ]
    for reader in readers:
        reader.start()

    start_event: dict[str, Any] | None = None
    deadline = time.monotonic() + SETUP_TIMEOUT
    while start_event is None and proc.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            event = events.get(timeout=0.2)
            if event["event"] == "start":
                start_event = event
    record: dict[str, Any] | None = None
    if start_event is not None:
        try:
            proc.wait(timeout=fit_timeout)
        except subprocess.TimeoutExpired:
            record = {"status": "timeout", "timeout_seconds": fit_timeout}
            baseline = start_event["baseline_rss_kib"]
            hwm = proc_status_kib("VmHWM", proc.pid)
            rss = proc_status_kib("VmRSS", proc.pid)
            # With the vmhwm method the child reset VmHWM right before fit_resample.
            reached = hwm if start_event["rss_method"] == "vmhwm" else rss
            if reached is not None:
                record["peak_rss_kib"] = reached
                record["peak_delta_kib"] = reached - baseline
                record["process_peak_kib"] = max(reached, start_event["process_peak_before_kib"])
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for reader in readers:
        reader.join(timeout=10)
    if record is not None:
        return record
    results = []
    while not events.empty():
        event = events.get()
        if event["event"] == "result":
            results.append(event)
    if proc.returncode == 0 and results:
        result = results[-1]
        result.pop("event")
        return {"status": "ok", **result}
    reason = f"exit code {proc.returncode}"
    if proc.returncode is not None and proc.returncode < 0:
        reason = f"killed by signal {-proc.returncode}"
        if -proc.returncode == signal.SIGKILL:
            reason += " (out of memory?)"
    if start_event is None and proc.returncode is None:
        reason = f"no start within {SETUP_TIMEOUT:.0f} s"
    return {"status": "error", "reason": reason, "stderr_tail": list(tail)}


def _own_cpu_seconds() -> float:
    """CPU-seconds used by this process and its reaped children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def run_child_measured(cmd: list[str], env: dict[str, str], fit_timeout: float) -> dict[str, Any]:
    """:func:`run_child`, plus how much of the machine other jobs took meanwhile.

    The case process measures this itself over ``fit_resample`` (``others_cpu_percent``,
    ``steal_percent``; see :func:`benchmarks._one_case.contention`). Here the same is measured
    over the child's whole life (``*_lifetime``), with the CPU time of the harness and the
    child subtracted; it stands in for the fit-window figures when the child timed out or
    failed.
    """
    machine0, own0, start = machine_cpu_seconds(), _own_cpu_seconds(), time.monotonic()
    outcome = run_child(cmd, env, fit_timeout)
    machine1, own1 = machine_cpu_seconds(), _own_cpu_seconds()
    lifetime = contention(machine0, machine1, own1 - own0, time.monotonic() - start)
    for key, value in lifetime.items():
        outcome[f"{key}_lifetime"] = value
        outcome.setdefault(key, value)
    return outcome


def mem_available_kib() -> int | None:
    """``MemAvailable`` of the machine in KiB (None where ``/proc/meminfo`` is unavailable)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return None


def default_prefault_gib(n: int, d: int, itemsize: int) -> float:
    """Memory to pre-touch before a case: about the largest process peak seen (6x the data
    plus 0.5 GiB), capped at 70 % of the available memory."""
    want = 6 * n * d * itemsize / 2**30 + 0.5
    available = mem_available_kib()
    if available is not None:
        want = min(want, 0.7 * available / 2**20)
    return round(want, 2)


def prefault(gib: float, env: dict[str, str]) -> float | None:
    """Touch ``gib`` GiB of fresh memory in a throwaway process; return its seconds.

    On a virtual machine whose host backs guest memory lazily (this one: about 1.3 s per GiB
    the first time, 0.3 s once backed), the first process to touch memory pays for it as
    kernel time, which would be charged to whichever library happens to allocate first.
    Touching the memory right before each case makes both libraries start from the same state.
    The time taken (seconds per GiB) is recorded: a high value means the memory was cold.
    """
    if gib <= 0:
        return None
    code = f"import numpy as np; np.ones(int({gib} * 2**30) // 8)"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, check=False, capture_output=True
    )
    return time.perf_counter() - start


def background_cpu_percent(seconds: float = 0.3) -> float | None:
    """System-wide CPU use (percent of all cores) while none of our cases runs.

    Sampled right before each case, so it measures *other* jobs on the machine (the load
    average would also count our own previous case). None when psutil is missing.
    """
    try:
        import psutil
    except ImportError:
        return None
    return float(psutil.cpu_percent(interval=seconds))


def wait_for_idle(max_wait: float, threshold: float = 20.0) -> float | None:
    """Wait up to ``max_wait`` seconds for other jobs to drop below ``threshold`` % CPU.

    Returns the last background reading (None without psutil).
    """
    deadline = time.monotonic() + max_wait
    reading = background_cpu_percent()
    while reading is not None and reading > threshold and time.monotonic() < deadline:
        reading = background_cpu_percent(1.0)
    return reading
