"""The Dask benchmark's cluster: a LocalCluster on 127.0.0.1, and a sampler of its workers' memory.

The workers are separate processes on this machine, so their memory is read
from the client's side with psutil (the resident set of each worker process,
every :data:`SAMPLE_SECONDS`), which neither waits for a busy worker nor
disturbs it.  A worker restarted by its nanny (e.g. past its memory limit)
gets a new process: the sampler notices, keeps the peak of the old one and
counts the restart.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import psutil

#: Seconds between two memory samples.
SAMPLE_SECONDS = 0.1
#: Fewest seconds between two look-ups of the workers' processes (after one is gone).
REFRESH_SECONDS = 1.0
#: Smallest memory limit the benchmark gives a worker (its imports alone take ~225 MiB).
MIN_WORKER_BYTES = 512 * 2**20


def start_cluster(workers: int, memory_limit: int) -> tuple[Any, Any]:
    """A LocalCluster of ``workers`` one-thread processes on 127.0.0.1, and its client."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit=memory_limit,
        # Arrow's own allocator keeps freed memory; with the system one a worker gives it
        # back, so its process memory stays under the pause threshold between tasks.
        env={"ARROW_DEFAULT_MEMORY_POOL": "system"},
    )
    client = Client(cluster)
    client.wait_for_workers(workers)
    return cluster, client


def _worker_pid() -> int:
    return os.getpid()


def worker_pids(client: Any) -> dict[str, int]:
    """``{worker name: process id}`` of the running workers."""
    info = client.scheduler_info()["workers"]
    names = {address: str(w.get("name", address)) for address, w in info.items()}
    return {names.get(a, a): pid for a, pid in client.run(_worker_pid).items()}


def _rss(pid: int) -> int | None:
    try:
        return psutil.Process(pid).memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


class MemorySampler:
    """Peak resident memory of every worker (and of this process) while it runs.

    Use as a context manager around the measured work; afterwards
    :attr:`peaks` holds ``{worker name: peak bytes}``, :attr:`client_peak`
    this process's peak and :attr:`restarts` how many worker processes were
    replaced during the run.
    """

    def __init__(self, client: Any, interval: float = SAMPLE_SECONDS) -> None:
        self.client = client
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self.baseline: dict[str, int] = {}
        self.client_peak = 0
        self.client_baseline = 0
        self.restarts = 0
        self._pids: dict[str, int] = {}
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _refresh(self) -> None:
        try:
            pids = worker_pids(self.client)
        except Exception:  # a worker being replaced; try again next time
            return
        for name, pid in pids.items():
            if pid not in self._seen:
                if name in self._pids:
                    self.restarts += 1
                self._seen.add(pid)
        self._pids = pids

    def _sample(self) -> bool:
        """Read every worker's memory; False when a worker process is gone."""
        complete = True
        for name, pid in list(self._pids.items()):
            rss = _rss(pid)
            if rss is None:
                complete = False
            else:
                self.peaks[name] = max(self.peaks.get(name, 0), rss)
        me = _rss(os.getpid()) or 0
        self.client_peak = max(self.client_peak, me)
        return complete

    def _loop(self) -> None:
        last_refresh = 0.0
        while not self._stop.wait(self.interval):
            complete = self._sample()
            # Ask the cluster for the processes again only when one is gone: the question
            # waits for every worker's event loop, and a busy worker answers late.
            if not complete and time.monotonic() - last_refresh >= REFRESH_SECONDS:
                self._refresh()
                last_refresh = time.monotonic()

    def __enter__(self) -> MemorySampler:
        self._refresh()
        for name, pid in self._pids.items():
            self.baseline[name] = _rss(pid) or 0
        self.client_baseline = _rss(os.getpid()) or 0
        self.client_peak = self.client_baseline
        self._sample()
        self._thread = threading.Thread(target=self._loop, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()


class ProcessSampler:
    """Peak resident memory of this process alone (the in-memory path), sampled in a thread."""

    def __init__(self, interval: float = SAMPLE_SECONDS / 10) -> None:
        self.interval = interval
        self.baseline = 0
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, _rss(os.getpid()) or 0)

    def __enter__(self) -> ProcessSampler:
        self.baseline = self.peak = _rss(os.getpid()) or 0
        self._thread = threading.Thread(target=self._loop, name="process-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.peak, _rss(os.getpid()) or 0)
