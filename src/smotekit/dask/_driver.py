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

import numpy as np
import pandas as pd

from .._engine import class_positions
from .._random import CHUNK_ROWS, to_seed_sequence
from .._strategy import sampling_targets
from .._validation import one_class_error
from ._batched import batched_class, chunk_table
from ._class_plan import (
    RowlessTable,
    class_table,
    outside_neighbors,
    plan_once,
    window_batch,
    window_provenance,
)
from ._edited import edited_partitions
from ._graph import Resampled, delayed, get, tree_merge
from ._guard import check_gather
from ._input import Partitioned
from ._partition import (
    class_pieces,
    concat_rows,
    partition_answer,
    read_rows,
    rows_at,
)
from ._summary import make_probe, meta_table, summarize_all, vdm_tables_of
from ._support import DaskSupport
from ._synthetic import needs_wide, synthetic_chunk, to_union, union_rows
from ._tomek import tomek_partitions
from ._under import under_sample

__all__ = ["Resampled", "resample_partitions"]


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
    if support.rule == "tomek":
        if mode == "batched":
            raise ValueError("TomekLinks does not run in batched mode; use mode='gather'.")
        outside = {"outside": n_rows - max(counts.values())}
        check_gather(
            sampler,
            {"outside": 0},
            outside,
            data.n_features,
            support,
            max_minority_rows,
            what="The set of rows outside the largest class",
        )
        reads = [
            data.call(p, _read_part, sampler._read_X, None, late=True) for p in range(data.n_parts)
        ]
        return tomek_partitions(sampler, data, counts, targets, offsets, reads)
    if support.rule == "edited":
        reads = [
            data.call(p, _read_part, sampler._read_X, None, late=True) for p in range(data.n_parts)
        ]
        return edited_partitions(sampler, data, counts, part_counts, targets, offsets, reads)
    if sampler._sampling_type != "over-sampling":
        return under_sample(sampler, data, counts, part_counts, targets, seed, offsets)
    if mode == "batched" and not support.batched:
        raise ValueError(
            f"{type(sampler).__name__} does not run in batched mode (its categorical votes need "
            "the class's rows in one task); use mode='gather'."
        )
    if mode == "gather":
        check_gather(sampler, targets, counts, data.n_features, support, max_minority_rows)
    if support.vdm:
        sampler.vdm_tables_ = vdm_tables_of(sampler, data, probe, list(counts))
    out = Resampled()
    _original_parts(out, data, lengths, offsets)
    numeric_dtype = table.numeric.dtype
    wide_all = needs_wide(max(extras["max_abs"].values(), default=0.0), numeric_dtype)
    reads = [
        data.call(p, _read_part, sampler._read_X, probe, late=True) for p in range(data.n_parts)
    ]
    pieces = [data.call(p, class_pieces, list(targets), offsets[p]) for p in range(data.n_parts)]
    positions = class_positions(np.asarray(list(counts)))
    k_among = support.among_all(sampler)
    n_voters = support.n_voters(sampler)
    label_dtype = _label_dtype(data)
    provenance, sizes, start = [], [], n_rows
    for label, n_target in targets.items():
        if mode == "batched":
            planned, sources, wide = batched_class(
                sampler,
                reads,
                pieces,
                offsets,
                label,
                positions[label],
                n_target,
                seed,
                k_among,
                extras["max_abs"].get(label, 0.0),
                wide_all,
                numeric_dtype,
                support,
                batch_rows,
                part_counts,
            )
            plan_table = RowlessTable(counts[label])

            def chunk_source(piece: Any, sources: Any = sources) -> tuple[Any, Any]:
                return chunk_table(
                    sampler, data, sources, offsets, piece, support.all_space(sampler)
                )

        else:
            planned, plan_table, union, wide = _gathered_class(
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

            def chunk_source(piece: Any, union: Any = union, table: Any = plan_table) -> Any:
                if union is None:
                    return table, piece
                return get(union, 0), delayed(to_union)(piece, union)

        for first in range(0, n_target, CHUNK_ROWS):
            last = min(first + CHUNK_ROWS, n_target)
            provenance.append(
                delayed(window_provenance)(
                    planned, plan_table, first, last, label_dtype, n_voters, start - n_rows + first
                )
            )
            chunk_rows, chunk_batch = chunk_source(
                delayed(window_batch)(planned, plan_table, first, last)
            )
            part = delayed(synthetic_chunk)(
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
            out.x_parts.append(get(part, 0))
            out.y_parts.append(get(part, 1))
            out.lengths.append(None if support.may_skip else last - first)
        sizes.append(planned)
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
    """One class in gather mode: ``(planned, table, union, wide)``.

    ``planned`` is the plan's one run (its neighbour answers), ``table`` the
    gathered class, ``union`` (recipes pointing at other classes' rows only)
    the class's rows followed by those rows, ``wide`` the interpolation's
    arithmetic.
    """
    gathered = delayed(concat_rows)([get(piece, label) for piece in pieces])
    c_table = delayed(class_table)(sampler._read_X, gathered, probe)
    among = None
    if k_among:
        queries = delayed(operator.attrgetter("numeric"))(c_table)
        among = _among_all(reads, offsets, queries, get(gathered, 1), k_among, sampler)
    planned = delayed(plan_once)(
        sampler, c_table, label, position, n_target, seed, get(gathered, 1), among
    )
    if not support.all_space(sampler):
        return planned, c_table, None, None
    wanted = delayed(outside_neighbors)(planned)
    extra = [data.call_x(p, rows_at, offsets[p], wanted, late=True) for p in range(data.n_parts)]
    union = delayed(union_rows)(sampler._read_X, gathered, extra, probe)
    return planned, c_table, union, wide_all


def _empty_provenance_meta(label_dtype: Any, n_voters: int) -> Any:
    from ._class_plan import _empty_provenance

    return _empty_provenance(label_dtype, n_voters)


def _label_dtype(data: Partitioned) -> Any:
    meta = data.y_meta
    return meta.to_numpy().dtype if isinstance(meta, pd.Series) else meta.dtype


def _read_part(x: Any, y: Any, reader: Any, probe: Any) -> tuple[np.ndarray, np.ndarray]:
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
        delayed(partition_answer)(
            get(read, 0),
            get(read, 1),
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


def _original_parts(
    out: Resampled, data: Partitioned, lengths: list[int], offsets: list[int]
) -> None:
    from ._synthetic import renumbered

    for p in range(data.n_parts):
        if lengths[p] == 0:
            continue
        if data.kind == "frame":
            x, y = data.out_parts[0][p], data.out_parts[1][p]
            out.x_parts.append(delayed(renumbered)(x, offsets[p], lengths[p]))
            out.y_parts.append(delayed(renumbered)(y, offsets[p], lengths[p]))
        else:
            out.x_parts.append(data.x_parts[p])
            out.y_parts.append(data.y_parts[p])
        out.lengths.append(lengths[p])


def _renumber_unknown(
    out: Resampled, n_rows: int, results: list[Any], targets: dict[Any, int], data: Partitioned
) -> None:
    """Where a class may make no rows, number the new rows once the plans' sizes are known."""
    sizes = delayed(_sizes)(results)
    index = sum(1 for n in out.lengths if n is not None)  # the original partitions
    chunk = 0
    for c, (_, n_target) in enumerate(targets.items()):
        for first in range(0, n_target, CHUNK_ROWS):
            out.provenance[chunk] = delayed(_shift)(out.provenance[chunk], sizes, c, first, 0)
            if data.kind == "frame":
                out.x_parts[index] = delayed(_shift)(out.x_parts[index], sizes, c, first, n_rows)
                out.y_parts[index] = delayed(_shift)(out.y_parts[index], sizes, c, first, n_rows)
            index += 1
            chunk += 1


def _sizes(results: list[Any]) -> list[int]:
    return [r.size for r in results]


def _shift(part: Any, sizes: list[int], c: int, first: int, n_rows: int) -> Any:
    from ._synthetic import renumbered

    return renumbered(part, n_rows + sum(sizes[:c]) + first)
