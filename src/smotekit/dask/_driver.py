"""The Dask engine's driver: one counting pass, then a lazy graph of the sampler's plans.

1. ``summarize`` every partition (validated where it is read): rows, class
   counts, largest magnitudes, category values.  This pass is computed at
   once: the output's structure (how many rows of each class) depends on it.
2. ``sampling_strategy_`` from the counts; the sampler's ``_configure`` checks
   the parameters against them, as in memory.
3. A lazy graph: each class to over-sample is gathered as graph tasks (so a
   lost worker's share is recomputed), its neighbours among all rows are
   every partition's best candidates merged in a tree (:func:`merge_answers`:
   associative and commutative), its plan is the sampler's own, and chunk
   ``j`` of its new rows is one task drawing from the chunk's own stream.
"""

from __future__ import annotations

import operator
from typing import Any

import dask
import numpy as np
import pandas as pd

from .._engine import class_positions
from .._random import CHUNK_ROWS, to_seed_sequence
from .._strategy import sampling_targets
from .._validation import one_class_error
from ._batched import batched_class, chunk_table
from ._class_plan import RowlessTable, batch_slice, class_provenance, class_table, run_class_plan
from ._guard import check_gather
from ._input import Partitioned
from ._partition import (
    class_pieces,
    concat_rows,
    merge_answers,
    partition_answer,
    read_rows,
    rows_at,
    summarize,
    vdm_counts,
)
from ._support import DaskSupport
from ._synthetic import needed_rows, needs_wide, source_rows, synthetic_chunk

__all__ = ["Resampled", "resample_partitions"]

# Answers merged per task in the tree reduction of per-partition neighbours.
MERGE_FAN_IN = 8

_delayed = dask.delayed(pure=True)


def _get(obj: Any, key: Any) -> Any:
    return _delayed(operator.getitem)(obj, key)


class Resampled:
    """The output's partitions, before they become dask collections.

    Attributes
    ----------
    x_parts, y_parts : list of Delayed
        Output partitions of X and y, in output order.
    lengths : list of int or None
        Rows of every output partition (None entries: known only once computed).
    provenance : list of Delayed or None
        One pandas DataFrame per over-sampled class.
    provenance_meta : pandas.DataFrame or None
    sample_indices : list of Delayed or None
        Under-samplers: the global row numbers kept, per output partition.
    """

    def __init__(self) -> None:
        self.x_parts: list[Any] = []
        self.y_parts: list[Any] = []
        self.lengths: list[int | None] = []
        self.provenance: list[Any] | None = None
        self.provenance_meta: Any = None
        self.sample_indices: list[Any] | None = None


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
    tasks = [
        _delayed(summarize)(x, y, sampler._read_X, categorical, p)
        for p, (x, y) in enumerate(zip(data.x_parts, data.y_parts))
    ]
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


def resample_partitions(
    sampler: Any,
    data: Partitioned,
    support: DaskSupport,
    *,
    mode: str = "gather",
    max_minority_rows: int | None = None,
    batch_rows: int | None = None,
) -> Resampled:
    """Run ``sampler`` on partitioned data; set its fitted attributes; the output's partitions."""
    sampler._check_all_params()
    table = meta_table(sampler, data)
    categorical = [int(j) for j in table.categorical_columns] if support.categorical else []
    lengths, counts, part_counts, extras = summarize_all(sampler, data, categorical)
    n_rows = sum(lengths)
    if n_rows == 0:
        raise ValueError(f"X is empty: {type(sampler).__name__} needs at least one row.")
    if len(counts) < 2:
        raise one_class_error(next(iter(counts)))
    sampler._record_features(data.x_meta)
    sampler.sampling_strategy_ = sampling_targets(
        sampler._sampling_type, sampler.sampling_strategy, None, counts
    )
    targets = sampler._targets()
    sampler._configure(n_rows, counts, targets)
    seed = to_seed_sequence(sampler.random_state) if hasattr(sampler, "random_state") else None
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(int).tolist()
    probe = make_probe(data, categorical, extras["distinct"])
    if sampler._sampling_type != "over-sampling":
        return _under_sample(sampler, data, counts, part_counts, targets, seed, offsets)
    if mode == "batched" and not support.batched:
        raise ValueError(
            f"{type(sampler).__name__} does not run in batched mode (its categorical votes need "
            "the class's rows in one task); use mode='gather'."
        )
    if mode == "gather":
        check_gather(sampler, targets, counts, data.n_features, support, max_minority_rows)
    if support.vdm:
        sampler.vdm_tables_ = _vdm_tables(sampler, data, probe, list(counts))
    out = Resampled()
    _original_parts(out, data, lengths, offsets)
    numeric_dtype = table.numeric.dtype
    wide_all = needs_wide(max(extras["max_abs"].values(), default=0.0), numeric_dtype)
    reads = [
        _delayed(_read_part)(sampler._read_X, x, y, probe)
        for x, y in zip(data.x_parts, data.y_parts)
    ]
    pieces = [
        _delayed(class_pieces)(x, y, list(targets), offsets[p])
        for p, (x, y) in enumerate(zip(data.x_parts, data.y_parts))
    ]
    positions = class_positions(np.asarray(list(counts)))
    k_among, among_backend = support.among_all(sampler)
    n_voters = support.n_voters(sampler)
    label_dtype = _label_dtype(data)
    provenance, sizes, start = [], [], n_rows
    for label, n_target in targets.items():
        if mode == "batched":
            result, sources, wide = batched_class(
                sampler,
                reads,
                pieces,
                offsets,
                label,
                positions[label],
                n_target,
                seed,
                k_among,
                among_backend,
                extras["max_abs"].get(label, 0.0),
                wide_all,
                numeric_dtype,
                support,
                batch_rows,
                part_counts,
            )
            r_result = result

            def chunk_source(piece: Any, sources: Any = sources) -> tuple[Any, Any]:
                return chunk_table(
                    sampler, data, sources, offsets, piece, support.all_space(sampler)
                )

        else:
            result, r_table, r_result, wide = _gathered_class(
                sampler,
                data,
                reads,
                pieces,
                offsets,
                probe,
                label,
                positions[label],
                n_target,
                seed,
                k_among,
                support,
                wide_all,
            )

            def chunk_source(piece: Any, r_table: Any = r_table) -> tuple[Any, Any]:
                return r_table, piece

        provenance.append(_delayed(class_provenance)(result, label_dtype, n_voters))
        for first in range(0, n_target, CHUNK_ROWS):
            last = min(first + CHUNK_ROWS, n_target)
            chunk_rows, chunk_batch = chunk_source(_delayed(batch_slice)(r_result, first, last))
            part = _delayed(synthetic_chunk)(
                chunk_rows,
                chunk_batch,
                kind=data.kind,
                label=label,
                y_meta=data.y_meta,
                x_meta=data.x_meta,
                start_index=start + first,
                wide=wide,
                copy_rows=support.copy_rows(sampler),
            )
            out.x_parts.append(_get(part, 0))
            out.y_parts.append(_get(part, 1))
            out.lengths.append(None if support.may_skip else last - first)
        sizes.append(result)
        start += n_target
    out.provenance = provenance
    out.provenance_meta = _empty_provenance_meta(label_dtype, n_voters)
    if support.may_skip:
        _renumber_unknown(out, n_rows, sizes, targets, data)
    return out


def _gathered_class(
    sampler: Any,
    data: Partitioned,
    reads: list[Any],
    pieces: list[Any],
    offsets: list[int],
    probe: Any,
    label: Any,
    position: int,
    n_target: int,
    seed: Any,
    k_among: int,
    support: DaskSupport,
    wide_all: bool,
) -> tuple[Any, Any, Any, bool | None]:
    """One class in gather mode: its plan, and the rows and recipe its chunks read."""
    gathered = _delayed(concat_rows)([_get(piece, label) for piece in pieces])
    c_table = _delayed(class_table)(sampler._read_X, gathered, probe)
    among = None
    if k_among:
        queries = _delayed(operator.attrgetter("numeric"))(c_table)
        among = _among_all(reads, offsets, queries, _get(gathered, 1), k_among, sampler)
    result = _delayed(run_class_plan)(
        sampler, c_table, label, position, n_target, seed, _get(gathered, 1), among
    )
    extra = None
    if support.all_space(sampler):
        wanted = _delayed(needed_rows)(result)
        extra = [_delayed(rows_at)(x, offsets[p], wanted) for p, x in enumerate(data.x_parts)]
    resolved = _delayed(source_rows)(sampler._read_X, gathered, c_table, result, extra, probe)
    wide = wide_all if support.all_space(sampler) else None
    return result, _get(resolved, 0), _get(resolved, 1), wide


def _empty_provenance_meta(label_dtype: Any, n_voters: int) -> Any:
    from ._class_plan import _empty_provenance

    return _empty_provenance(label_dtype, n_voters)


def _label_dtype(data: Partitioned) -> Any:
    meta = data.y_meta
    return meta.to_numpy().dtype if isinstance(meta, pd.Series) else meta.dtype


def _read_part(reader: Any, x: Any, y: Any, probe: Any) -> tuple[np.ndarray, np.ndarray]:
    from ._partition import labels_of

    if x.shape[0] == 0:
        return np.empty((0, 0)), np.empty(0)
    table = read_rows(reader, x, probe)
    numeric = table.numeric.toarray() if hasattr(table.numeric, "toarray") else table.numeric
    return np.ascontiguousarray(numeric), labels_of(y)


def _among_all(
    reads: list[Any], offsets: list[int], queries: Any, query_rows: Any, k: int, sampler: Any
) -> Any:
    """The queries' ``k`` best rows of all the data: per partition, merged in a tree."""
    backend = "auto"
    answers = [
        _delayed(partition_answer)(
            _get(read, 0),
            _get(read, 1),
            offsets[p],
            queries,
            query_rows,
            k,
            backend,
            getattr(sampler, "n_jobs", None),
        )
        for p, read in enumerate(reads)
    ]
    return tree_merge(answers, k)


def tree_merge(answers: list[Any], k: int) -> Any:
    """Merge answers ``MERGE_FAN_IN`` at a time until one is left."""
    while len(answers) > 1:
        answers = [
            _delayed(merge_answers)(answers[i : i + MERGE_FAN_IN], k)
            for i in range(0, len(answers), MERGE_FAN_IN)
        ]
    return _delayed(merge_answers)(answers, k)


def _original_parts(
    out: Resampled, data: Partitioned, lengths: list[int], offsets: list[int]
) -> None:
    from ._synthetic import renumbered

    for p, (x, y) in enumerate(zip(data.x_parts, data.y_parts)):
        if lengths[p] == 0:
            continue
        if data.kind == "frame":
            out.x_parts.append(_delayed(renumbered)(x, offsets[p]))
            out.y_parts.append(_delayed(renumbered)(y, offsets[p]))
        else:
            out.x_parts.append(x)
            out.y_parts.append(y)
        out.lengths.append(lengths[p])


def _renumber_unknown(
    out: Resampled, n_rows: int, results: list[Any], targets: dict[Any, int], data: Partitioned
) -> None:
    """Where a class may make no rows, number the new rows once the plans' sizes are known."""
    if data.kind != "frame":
        return
    sizes = _delayed(_sizes)(results)
    index = sum(1 for n in out.lengths if n is not None)  # the original partitions
    for c, (_, n_target) in enumerate(targets.items()):
        for first in range(0, n_target, CHUNK_ROWS):
            out.x_parts[index] = _delayed(_shift)(out.x_parts[index], sizes, c, first, n_rows)
            out.y_parts[index] = _delayed(_shift)(out.y_parts[index], sizes, c, first, n_rows)
            index += 1


def _sizes(results: list[Any]) -> list[int]:
    return [r.size for r in results]


def _shift(part: Any, sizes: list[int], c: int, first: int, n_rows: int) -> Any:
    from ._synthetic import renumbered

    return renumbered(part, n_rows + sum(sizes[:c]) + first)


def _vdm_tables(sampler: Any, data: Partitioned, probe: Any, classes: list[Any]) -> list[Any]:
    """SMOTEN's class-conditional value frequencies over all the data (computed now)."""
    tasks = [
        _delayed(vdm_counts)(x, y, sampler._read_X, probe, classes)
        for x, y in zip(data.x_parts, data.y_parts)
    ]
    found = [c for c in dask.compute(*tasks) if c is not None]
    tables = []
    for f in range(len(found[0])):
        counts = sum(c[f] for c in found)
        totals = counts.sum(axis=1, keepdims=True)
        tables.append(counts / np.maximum(totals, 1))
    return tables


def _under_sample(
    sampler: Any,
    data: Partitioned,
    counts: dict[Any, int],
    part_counts: list[dict[Any, int]],
    targets: dict[Any, int],
    seed: Any,
    offsets: list[int],
) -> Resampled:
    """An under-sampler's output: each class's kept rows, class by class, in row order."""
    from ._partition import kept_rows

    positions = class_positions(np.asarray(list(counts)))
    out = Resampled()
    out.sample_indices = []
    start = 0
    for label, size in counts.items():
        keep = None
        if label in targets:
            result = run_class_plan(
                sampler, RowlessTable(size), label, positions[label], targets[label], seed, None
            )
            keep = np.asarray(result.keep, dtype=np.int64)
        first = 0
        for p, (x, y) in enumerate(zip(data.x_parts, data.y_parts)):
            n_here = part_counts[p].get(label, 0)
            if n_here == 0:
                continue
            mine = None
            if keep is not None:
                lo, hi = np.searchsorted(keep, [first, first + n_here])
                mine = keep[lo:hi]
            n_out = n_here if mine is None else int(mine.shape[0])
            if n_out:
                part = _delayed(kept_rows)(x, y, label, mine, first, offsets[p], data.kind, start)
                out.x_parts.append(_get(part, 0))
                out.y_parts.append(_get(part, 1))
                out.sample_indices.append(_get(part, 2))
                out.lengths.append(n_out)
                start += n_out
            first += n_here
    return out
