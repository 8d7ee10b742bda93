"""Checks of a Dask resampling's output that never load it whole.

* :func:`output_counts`: the label column of every output file, counted file
  by file and summed; compared with the sampler's target by :func:`count_problems`.
* :func:`sample_provenance` and :func:`segment_problems`: a random sample of
  the synthetic rows' recipes (``sampler.provenance_``, computed on the
  cluster a partition per task, only the sample coming back); each
  sampled row is fetched from the output, its seed and neighbour from the
  input (by global row number), and ``x_new == x_seed + gap * (x_neighbor -
  x_seed)`` checked, with every label the class's.
* :func:`equality_problems`: the whole output against the in-memory result,
  row for row (only at the overhead case's size).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._dask_data import LABEL, feature_names, file_offsets, parquet_files, rows_by_number

#: Largest |x_new - (x_seed + gap (x_neighbor - x_seed))| relative to the row's magnitude.
SEGMENT_RTOL = 1e-12


def output_counts(out_dir: Path) -> dict[int, int]:
    """Rows per class of an output directory: each file's label counts, summed."""
    import pyarrow.parquet as pq

    totals: dict[int, int] = {}
    for f in parquet_files(out_dir):
        labels = pq.read_table(f, columns=[LABEL]).column(LABEL).to_numpy()
        values, counts = np.unique(labels, return_counts=True)
        for value, count in zip(values.tolist(), counts.tolist(), strict=True):
            totals[value] = totals.get(value, 0) + count
    return dict(sorted(totals.items()))


def count_problems(
    found: dict[int, int], before: dict[int, int], strategy: dict[Any, int], balanced: bool
) -> list[str]:
    """What is wrong with the output's class counts (empty when nothing is)."""
    expected = {c: n + int(strategy.get(c, 0)) for c, n in before.items()}
    problems = []
    if found != expected:
        problems.append(f"class counts {found} != input counts + sampling_strategy_ {expected}")
    if balanced and len(set(found.values())) > 1:
        problems.append(f"class counts {found} are not balanced (sampling_strategy='auto')")
    return problems


def _sample_part(part: Any, share: float, seed: int, index: int) -> tuple[int, Any]:
    """Each row of one provenance partition with probability ``share``, and the positions."""
    rng = np.random.default_rng([seed, index])
    size = int(part.shape[0])
    positions = np.flatnonzero(rng.random(size) < share)
    sample = part.iloc[positions].reset_index(drop=True)
    sample.insert(0, "position", positions)
    return size, sample


def sample_provenance(sampler: Any, client: Any, n: int, seed: int = 0) -> Any:
    """About ``n`` random synthetic rows' recipes, computed on the cluster.

    Every new row is taken with probability ``n / (new rows planned)``, one
    task per partition of ``provenance_`` (whatever its partitioning), and
    only the sample comes back.

    Returns
    -------
    pandas.DataFrame
        Columns ``synthetic`` (number of the row among all new rows, in output
        order), ``label``, ``seed``, ``neighbor``, ``gap``.
    """
    import dask
    import pandas as pd

    planned = sum(int(v) for v in sampler.sampling_strategy_.values())
    share = min(1.0, n / max(planned, 1))
    parts = sampler.provenance_.to_delayed()
    tasks = [dask.delayed(_sample_part)(p, share, seed, i) for i, p in enumerate(parts)]
    answers = client.compute(tasks, sync=True)
    frames, start = [], 0
    for size, sample in answers:
        sample = sample.copy()
        sample.insert(0, "synthetic", sample.pop("position") + start)
        frames.append(sample)
        start += size
    return pd.concat(frames, ignore_index=True)


def segment_problems(
    sample: Any, input_dir: Path, output_dir: Path, n_input: int
) -> tuple[list[str], float]:
    """Check every sampled synthetic row against its seed and neighbour.

    Returns
    -------
    problems : list of str
        Empty when every check holds.
    worst : float
        The largest relative deviation from the segment seen.
    """
    if len(sample) == 0:
        return ["provenance_ holds no synthetic rows to check"], 0.0
    names = feature_names()
    in_files, out_files = parquet_files(input_dir), parquet_files(output_dir)
    in_offsets, out_offsets = file_offsets(in_files), file_offsets(out_files)
    out_rows = n_input + sample["synthetic"].to_numpy()
    new = rows_by_number(out_files, out_offsets, out_rows)
    seeds = rows_by_number(in_files, in_offsets, sample["seed"].to_numpy())
    neighbors = rows_by_number(in_files, in_offsets, sample["neighbor"].to_numpy())
    problems = []
    if not np.array_equal(new.index.to_numpy(), out_rows):
        problems.append("output rows are not numbered by their global position (index)")
    label = sample["label"].to_numpy()
    for what, frame in (("synthetic row", new), ("seed", seeds), ("neighbour", neighbors)):
        wrong = int((frame[LABEL].to_numpy() != label).sum())
        if wrong:
            problems.append(f"{wrong} sampled {what}(s) do not have the class's label")
    gap = sample["gap"].to_numpy()[:, None]
    if np.any(gap < 0) or np.any(gap > 1):
        problems.append("gaps outside [0, 1]")
    x_new, x_seed, x_nb = (f[names].to_numpy() for f in (new, seeds, neighbors))
    expected = x_seed + gap * (x_nb - x_seed)
    scale = np.maximum(np.maximum(np.abs(x_seed), np.abs(x_nb)), np.finfo(float).tiny)
    deviation = np.abs(x_new - expected) / scale
    worst = float(deviation.max())
    bad = int((deviation > SEGMENT_RTOL).any(axis=1).sum())
    if bad:
        problems.append(
            f"{bad} of {len(sample)} sampled synthetic rows are off their seed-neighbour "
            f"segment (worst relative deviation {worst:.3g} > {SEGMENT_RTOL:g})"
        )
    return problems, worst


def read_output(out_dir: Path) -> Any:
    """A whole output directory as one pandas DataFrame (the overhead case's size only)."""
    import pandas as pd
    import pyarrow.parquet as pq

    return pd.concat([pq.read_table(f).to_pandas() for f in parquet_files(out_dir)])


def equality_problems(X_mem: Any, y_mem: Any, out_dir: Path) -> list[str]:
    """Whether the Dask output equals the in-memory one row for row (exactly)."""
    out = read_output(out_dir)
    problems = []
    if out.shape[0] != X_mem.shape[0]:
        return [f"{out.shape[0]} rows from Dask, {X_mem.shape[0]} in memory"]
    names = feature_names()
    x_dask = out[names].to_numpy()
    x_mem = np.asarray(X_mem[names])
    if not np.array_equal(x_dask, x_mem):
        rows = int((x_dask != x_mem).any(axis=1).sum())
        worst = float(np.abs(x_dask - x_mem).max())
        problems.append(f"{rows} rows differ from the in-memory output (max |diff| {worst:.3g})")
    if not np.array_equal(out[LABEL].to_numpy(), np.asarray(y_mem)):
        problems.append("labels differ from the in-memory output")
    if not np.array_equal(out.index.to_numpy(), np.arange(out.shape[0])):
        problems.append("the Dask output is not numbered 0 .. n - 1")
    return problems
