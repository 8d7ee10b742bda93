"""The output's partitions as lazy dask collections of the caller's kinds."""

from __future__ import annotations

from typing import Any

import dask
import numpy as np

from ._graph import Resampled
from ._input import Partitioned, _dask_modules
from ._synthetic import with_target

__all__ = ["collections", "with_target_column"]


def _divisions(lengths: list[int | None]) -> tuple[int, ...] | None:
    """Index divisions of partitions numbered 0 .. n - 1 (None when a length is unknown)."""
    if not lengths or any(n is None for n in lengths):
        return None
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
    return (*starts[:-1].tolist(), int(starts[-1]) - 1)


def collections(sampler: Any, data: Partitioned, parts: Resampled) -> tuple[Any, Any]:
    """``(X_res, y_res)`` from the output's partitions; sets the lazy fitted attributes."""
    da, dd = _dask_modules()
    if data.kind == "frame":
        divisions = _divisions(parts.lengths)
        X_res = dd.from_delayed(
            parts.x_parts, meta=data.x_meta, divisions=divisions, verify_meta=False
        )
        y_res = dd.from_delayed(
            parts.y_parts, meta=data.y_meta, divisions=divisions, verify_meta=False
        )
        if data.y_as_frame:
            y_res = y_res.to_frame()
    else:
        d = data.n_features
        X_res = da.concatenate(
            [
                da.from_delayed(x, shape=(np.nan if n is None else n, d), dtype=data.x_meta.dtype)
                for x, n in zip(parts.x_parts, parts.lengths)
            ]
        )
        y_res = da.concatenate(
            [
                da.from_delayed(y, shape=(np.nan if n is None else n,), dtype=data.y_meta.dtype)
                for y, n in zip(parts.y_parts, parts.lengths)
            ]
        )
    if parts.provenance is not None:
        known = [n for n in parts.lengths[len(parts.lengths) - len(parts.provenance) :]]
        sampler.provenance_ = dd.from_delayed(
            parts.provenance,
            meta=parts.provenance_meta,
            divisions=_divisions(known) if parts.provenance else None,
            verify_meta=False,
        )
    if parts.sample_indices is not None:
        sampler.sample_indices_ = da.concatenate(
            [
                da.from_delayed(s, shape=(np.nan if n is None else n,), dtype=np.int64)
                for s, n in zip(parts.sample_indices, parts.lengths)
            ]
        )
    return X_res, y_res


def with_target_column(X_res: Any, y_res: Any, target: str, position: int) -> Any:
    """One dask DataFrame: ``X_res`` with ``y_res`` as column ``target`` at ``position``."""
    _, dd = _dask_modules()
    parts = [
        dask.delayed(with_target, pure=True)(x, y, target, position)
        for x, y in zip(X_res.to_delayed(), y_res.to_delayed())
    ]
    meta = with_target(X_res._meta, y_res._meta, target, position)
    return dd.from_delayed(parts, meta=meta, divisions=X_res.divisions, verify_meta=False)
