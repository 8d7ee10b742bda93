"""How many worker threads ``n_jobs`` means on this machine."""

from __future__ import annotations

import os

__all__ = ["effective_n_jobs"]


def effective_n_jobs(n_jobs: int | None) -> int:
    """Number of worker threads for ``n_jobs`` (None or -1: every core)."""
    n_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    n_cores = n_cores or os.cpu_count() or 1
    if n_jobs is None or n_jobs == -1:
        return n_cores
    if n_jobs < -1:
        return max(1, n_cores + 1 + n_jobs)
    return max(1, int(n_jobs))
