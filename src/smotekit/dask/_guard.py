"""The guard before gathering: a class too large for one worker is an error, never a surprise.

Gather mode holds one class's rows and their search in one task (and each chunk
task the class's rows with one window of its recipe).  Before any work, the
driver compares what that needs with ``max_minority_rows`` or with the smallest
worker's memory limit, and refuses with an error naming the batched exact mode.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["MinorityTooLargeError", "check_gather", "worker_memory_limit"]

# Bytes one gathered row costs per feature: the rows, their validated copy, the
# query copy of a search.
_BYTES_PER_VALUE = 3 * 8
# Bytes per synthetic row of a recipe (32-bit seed and neighbour, gap) and per neighbour;
# rows of recipe one chunk task holds.
_RECIPE_BYTES = 16
_WINDOW_ROWS = 1 << 16
_NEIGHBOR_BYTES = 24
# Share of a worker's memory one task may plan to use.
_SHARE = 0.6


class MinorityTooLargeError(ValueError):
    """A class is too large to gather in one worker (a ``ValueError``)."""


def worker_memory_limit() -> int | None:
    """The smallest worker's memory limit in bytes (the machine's memory without a cluster)."""
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        client = None
    if client is not None:
        limits = [w.get("memory_limit") or 0 for w in client.scheduler_info()["workers"].values()]
        limits = [m for m in limits if m > 0]
        if limits:
            return int(min(limits))
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return None


def _gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def check_gather(
    sampler: Any,
    targets: dict[Any, int],
    counts: dict[Any, int],
    n_features: int,
    support: Any,
    max_minority_rows: int | None,
    *,
    what: str = "Class {label!r}",
) -> None:
    """Refuse to gather a class that does not fit (see the module docstring).

    Parameters
    ----------
    targets : dict
        ``{label: new rows}`` of the classes gathered.
    counts : dict
        ``{label: rows}``.
    what : str
        How messages name a gathered set (``{label!r}`` is filled in).

    Raises
    ------
    MinorityTooLargeError
        Naming the class, what it needs, the limit and what to do.
    """
    name = type(sampler).__name__
    k = max(getattr(sampler, "_k", 5), support.among_all(sampler))
    limit = None if max_minority_rows is not None else worker_memory_limit()
    batched = (
        "Use mode='batched' (exact: several passes over the data, a slice of the class each)"
        if support.batched
        else f"{name} has no batched mode: give the workers more memory"
    )
    for label, n_new in targets.items():
        rows, subject = counts[label], what.format(label=label)
        if max_minority_rows is not None:
            if rows > max_minority_rows:
                raise MinorityTooLargeError(
                    f"{subject} has {rows:,} rows, more than max_minority_rows="
                    f"{max_minority_rows:,}: {name} would gather them in one worker. {batched}, "
                    "or raise max_minority_rows if a worker has the memory. (No approximate "
                    "backend runs on Dask yet.)"
                )
            continue
        if limit is None:
            continue
        # Each chunk task makes one window of the recipe; fixed seed counts (ADASYN,
        # uniform seed selection) are spelled out for the whole class there.
        fixed = type(sampler).__name__ == "ADASYN" or getattr(sampler, "seed_selection", "") == (
            "uniform"
        )
        recipe = min(n_new, _WINDOW_ROWS) * (_RECIPE_BYTES + 8 * n_features) + fixed * 8 * n_new
        need = rows * (n_features * _BYTES_PER_VALUE + k * _NEIGHBOR_BYTES) + recipe
        if need > _SHARE * limit:
            raise MinorityTooLargeError(
                f"{subject} has {rows:,} rows and needs {n_new:,} new ones: gathering it in one "
                f"worker needs about {_gib(need)}, more than {int(_SHARE * 100)} % of the "
                f"smallest worker's memory limit ({_gib(limit)}). {batched}, or pass "
                "max_minority_rows to override. (No approximate backend runs on Dask yet.)"
            )
