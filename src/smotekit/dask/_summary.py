"""The counting pass: every partition read once, summarized, and the category values found."""

from __future__ import annotations

from typing import Any

import dask
import numpy as np
import pandas as pd

from ._input import Partitioned
from ._partition import summarize, vdm_counts

__all__ = ["make_probe", "meta_table", "summarize_all", "vdm_tables_of"]


def meta_table(sampler: Any, data: Partitioned) -> Any:
    """Read a few fake rows shaped like X: errors for the columns before any work."""
    if data.kind == "frame":
        from dask.dataframe.utils import has_known_categories, meta_nonempty

        for name, dtype in data.x_meta.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype) and not has_known_categories(
                data.x_meta[name]
            ):
                raise ValueError(
                    f"Column {name!r} is categorical with unknown categories (each partition "
                    "may hold different ones). Call ddf = ddf.categorize(columns=[...]) first."
                )
        fake = meta_nonempty(data.x_meta).iloc[[0, 0]]  # its second row holds missing values
    else:
        fake = np.zeros((2, data.n_features), dtype=data.x_meta.dtype)
    return sampler._read_X(fake)


def summarize_all(
    sampler: Any, data: Partitioned, categorical: list[int]
) -> tuple[list[int], dict[Any, int], list[dict[Any, int]], dict[str, Any]]:
    """The counting pass (computed now): rows per partition, class counts, extremes, values."""
    tasks = [data.call(p, summarize, sampler._read_X, categorical, p) for p in range(data.n_parts)]
    parts = dask.compute(*tasks)
    lengths = [s["n_rows"] for s in parts]
    counts: dict[Any, int] = {}
    for s in parts:
        for label, n in s["counts"].items():
            counts[label] = counts.get(label, 0) + n
    counts = dict(sorted(counts.items()))
    max_abs: dict[Any, float] = {}
    for s in parts:
        for label, value in s["max_abs"].items():
            max_abs[label] = max(max_abs.get(label, 0.0), value)
    distinct = []
    for f in range(len(categorical)):
        values = [s["distinct"][f] for s in parts if s["n_rows"]]
        distinct.append(pd.unique(np.concatenate(values)) if values else np.empty(0, object))
    extras = {"max_abs": max_abs, "distinct": distinct}
    return lengths, counts, [s["counts"] for s in parts], extras


def make_probe(data: Partitioned, categorical: list[int], distinct: list[np.ndarray]) -> Any:
    """Rows holding every value of every categorical column (see :func:`read_rows`)."""
    if not categorical:
        return None
    n = max(len(d) for d in distinct)
    if data.kind == "frame":
        from dask.dataframe.utils import meta_nonempty

        fake = meta_nonempty(data.x_meta)
        probe = fake.iloc[np.zeros(n, dtype=np.intp)].reset_index(drop=True)
        for f, j in enumerate(categorical):
            values = np.resize(distinct[f], n)
            column = probe.columns[j]
            probe[column] = pd.Series(values, dtype=object).astype(data.x_meta.dtypes.iloc[j])
        return probe
    probe = np.zeros((n, data.n_features), dtype=data.x_meta.dtype)
    for f, j in enumerate(categorical):
        probe[:, j] = np.resize(distinct[f], n)
    return probe


def vdm_tables_of(sampler: Any, data: Partitioned, probe: Any, classes: list[Any]) -> list[Any]:
    """SMOTEN's class-conditional value frequencies over all the data (computed now)."""
    tasks = [data.call(p, vdm_counts, sampler._read_X, probe, classes) for p in range(data.n_parts)]
    found = [c for c in dask.compute(*tasks) if c is not None]
    tables = []
    for f in range(len(found[0])):
        counts = sum(c[f] for c in found)
        totals = counts.sum(axis=1, keepdims=True)
        tables.append(counts / np.maximum(totals, 1))
    return tables
