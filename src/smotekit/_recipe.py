"""What a plan returns: the recipe of one class's new rows (or kept rows), and its diagnostics.

A recipe holds indices, never rows: the engine that runs the plan turns it into
data (:mod:`smotekit._output`), in memory or on a cluster's workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ClassPlan", "SyntheticBatch", "provenance_table"]


@dataclass
class SyntheticBatch:
    """The recipe of one class's synthetic rows.

    Row ``i`` has numeric features ``x[s] + gaps[i] * (x[n] - x[s])`` (plus
    ``noise[i]`` if given), with ``s = rows[seeds[i]]`` and ``n`` the row of
    ``neighbors[i]``; categorical feature ``f`` has code ``codes[f, i]``, voted by
    the class rows ``rows[voters[:, i]]``.

    Attributes
    ----------
    label : object
        The class of the new rows.
    rows : ndarray of int
        The class's rows (indices into the data the plan ran on).
    seeds : ndarray of int of shape (n_new,)
        Class-local seed of every new row (positions in ``rows``).
    neighbors : ndarray of int of shape (n_new,) or None
        Neighbour of every new row: class-local when ``neighbor_space`` is
        ``"class"``, an index into all rows when ``"all"``; None when rows are
        not interpolated.
    gaps : ndarray of float of shape (n_new,) or None
        Positions on the segments: in [0, 1) for interpolation; negative
        (SVMSMOTE's extrapolation away from the neighbour, in (-out_step, 0]).
    neighbor_space : {"class", "all"}
        What ``neighbors`` index.
    voters : ndarray of int of shape (n_voters, n_new) or None
        Class-local rows whose votes chose the categorical codes.
    codes : ndarray of shape (n_categorical, n_new) or None
        Voted codes.
    noise : ndarray of shape (n_new, n_numeric) or None
        Added to the numeric features (smoothed bootstrap).
    """

    label: Any
    rows: np.ndarray
    seeds: np.ndarray
    neighbors: np.ndarray | None = None
    gaps: np.ndarray | None = None
    neighbor_space: str = "class"
    voters: np.ndarray | None = None
    codes: np.ndarray | None = None
    noise: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of synthetic rows."""
        return int(self.seeds.shape[0])

    def seed_rows(self) -> np.ndarray:
        """The seed of every new row, as an index into all rows."""
        return self.rows[self.seeds]

    def neighbor_rows(self) -> np.ndarray | None:
        """The neighbour of every new row, as an index into all rows (None if none)."""
        if self.neighbors is None:
            return None
        return self.rows[self.neighbors] if self.neighbor_space == "class" else self.neighbors


@dataclass
class ClassPlan:
    """A plan's answer for one class.

    Attributes
    ----------
    label : object
        The class.
    batch : SyntheticBatch or None
        The new rows (over-samplers), or None.
    keep : ndarray of int or None
        Class-local rows kept (under-samplers and cleaners), or None.
    diagnostics : dict
        Whatever the sampler reports per class (DANGER rows, hardness, ...).
    """

    label: Any
    batch: SyntheticBatch | None = None
    keep: np.ndarray | None = None
    diagnostics: dict[str, Any] = field(default_factory=dict)


def provenance_table(batches: list[SyntheticBatch], label_dtype: Any) -> pd.DataFrame:
    """One row per synthetic row, in output order: where it came from.

    Columns ``label``, ``seed`` and ``neighbor`` (indices into the input X; -1
    when not interpolated), ``gap`` (NaN when there is none) and, when the rows
    were voted, ``voter_0 .. voter_{V-1}``.

    Examples
    --------
    >>> batch = SyntheticBatch(1, np.array([4, 7]), np.array([1]), np.array([0]), np.array([0.5]))
    >>> provenance_table([batch], np.int64).to_dict("records")
    [{'label': 1, 'seed': 7, 'neighbor': 4, 'gap': 0.5}]
    """

    def join(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        if not parts:
            return np.empty(0, dtype=dtype)
        return np.concatenate(parts).astype(dtype, copy=False)

    def neighbors(b: SyntheticBatch) -> np.ndarray:
        found = b.neighbor_rows()
        return found if found is not None else np.full(b.size, -1)

    data = {
        "label": join([np.full(b.size, b.label, dtype=label_dtype) for b in batches], label_dtype),
        "seed": join([b.seed_rows() for b in batches], np.int64),
        "neighbor": join([neighbors(b) for b in batches], np.int64),
        "gap": join(
            [b.gaps if b.gaps is not None else np.full(b.size, np.nan) for b in batches],
            np.float64,
        ),
    }
    n_voters = max((b.voters.shape[0] for b in batches if b.voters is not None), default=0)
    for v in range(n_voters):
        data[f"voter_{v}"] = join([b.rows[b.voters[v]] for b in batches], np.int64)
    return pd.DataFrame(data, copy=False)
