"""Shared pieces of the Dask graphs: delayed calls, the output's partitions, tree merges."""

from __future__ import annotations

import operator
from typing import Any

import dask

from ._partition import merge_answers

__all__ = ["MERGE_FAN_IN", "Resampled", "delayed", "get", "tree_merge"]

# Answers merged per task in the tree reduction of per-partition neighbours.
MERGE_FAN_IN = 4

# Every task is pure: its key is a hash of the function and its inputs, so the same
# computation has the same key wherever and whenever the graph is built.
delayed = dask.delayed(pure=True)


def get(obj: Any, key: Any) -> Any:
    """The delayed ``obj[key]``."""
    return delayed(operator.getitem)(obj, key)


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


def tree_merge(answers: list[Any], k: int) -> Any:
    """Merge answers ``MERGE_FAN_IN`` at a time until one is left."""
    while len(answers) > 1:
        answers = [
            delayed(merge_answers)(answers[i : i + MERGE_FAN_IN], k)
            for i in range(0, len(answers), MERGE_FAN_IN)
        ]
    return delayed(merge_answers)(answers, k)
