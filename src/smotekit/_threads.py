"""Threads: how many ``n_jobs`` means here, and process-wide settings held while work runs."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

__all__ = ["effective_n_jobs", "held_setting", "single_threaded_blas"]

_lock = threading.Lock()
_holders: dict[str, tuple[int, Callable[[], None]]] = {}


def effective_n_jobs(n_jobs: int | None) -> int:
    """Number of worker threads for ``n_jobs`` (None or -1: every core)."""
    n_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    n_cores = n_cores or os.cpu_count() or 1
    if n_jobs is None or n_jobs == -1:
        return n_cores
    if n_jobs < -1:
        return max(1, n_cores + 1 + n_jobs)
    return max(1, int(n_jobs))


@contextmanager
def held_setting(key: str, apply: Callable[[], Callable[[], None]]) -> Iterator[None]:
    """Hold a process-wide setting while any thread's work needs it.

    Settings such as BLAS thread pools or ``torch.set_num_threads`` belong to
    the whole process.  Saving and restoring them around each piece of work
    goes wrong when two threads do it at once (a Dask threaded scheduler, a
    thread pool of searches): the second saves the first's value and puts it
    back last, leaving it set for good.  Here the first thread to enter applies
    the setting, later ones only count themselves in, and the last one out
    restores what was there before.

    Parameters
    ----------
    key : str
        Names the setting; entries with the same key share one hold.
    apply : callable
        Sets the value and returns the function that restores the previous one.
        It is called only by the first holder.
    """
    with _lock:
        count, restore = _holders.get(key, (0, None))
        if count == 0:
            restore = apply()
        _holders[key] = (count + 1, restore)
    try:
        yield
    finally:
        with _lock:
            count, restore = _holders[key]
            if count == 1:
                del _holders[key]
                restore()
            else:
                _holders[key] = (count - 1, restore)


def _one_blas_thread() -> Callable[[], None]:
    limiter = threadpool_limits(limits=1, user_api="blas")
    return limiter.restore_original_limits


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """BLAS limited to one thread while the block runs, restored once no thread needs it.

    The engine's own threads each run their BLAS products on one core; this
    keeps those products from oversubscribing the machine, and is safe when
    several threads search at once (see :func:`held_setting`).

    Only the main thread sets the limit.  OpenBLAS (0.3.31, pthreads) lowers
    its thread count from any thread but raises it again only from the main
    thread, so a limit set from a worker thread (a Dask threaded scheduler, a
    user's thread pool) could never be undone and would leave every later BLAS
    call in the process on one core.  Off the main thread the block runs with
    BLAS as it is; the engine's answers do not depend on it (candidates are
    refined in float64 without BLAS), only its speed does.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with held_setting("blas-threads", _one_blas_thread):
        yield
