"""A plan run on a window of its class's streams makes exactly those rows of the whole.

Engines that make each chunk of new rows where it is written (``smotekit.dask``)
run a class's plan once per chunk with ``ClassStreams.windowed(lo, hi)``: the
windows' recipes, end to end, must be the whole plan's recipe.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
)
from smotekit._engine import InMemoryNeighbors, class_positions
from smotekit._plan import ClassTask
from smotekit._random import CHUNK_ROWS, ClassStreams, to_seed_sequence

N_NEW = 2 * CHUNK_ROWS + 1234  # three chunks, the last one short

SAMPLERS = {
    "smote": lambda: SMOTE(random_state=0),
    "smote-uniform": lambda: SMOTE(seed_selection="uniform", random_state=1),
    "borderline-1": lambda: BorderlineSMOTE(random_state=2),
    "borderline-2": lambda: BorderlineSMOTE(kind="borderline-2", random_state=3),
    "adasyn": lambda: ADASYN(random_state=4),
    "ros": lambda: RandomOverSampler(random_state=5),
    "ros-shrinkage": lambda: RandomOverSampler(shrinkage=0.5, random_state=6),
    "smotenc": lambda: SMOTENC(categorical_features=[2], random_state=7),
    "smoten": lambda: SMOTEN(random_state=8),
}


def data(name):
    rng = np.random.default_rng(0)
    n = 600
    y = (rng.random(n) < 0.2).astype(int)
    X = pd.DataFrame({"a": rng.normal(size=n) + y, "b": rng.normal(size=n)})
    X["c"] = rng.choice(["x", "y", "z"], n)
    if name == "smoten":
        return X[["c"]].assign(d=rng.choice(["p", "q"], n)), y
    return (X if name == "smotenc" else X[["a", "b"]]), y


def recipes(name, windows):
    sampler = SAMPLERS[name]()
    X, y = data(name)
    sampler._check_all_params()
    table = sampler._read_X(X)
    sampler.sampling_strategy_ = {1: N_NEW}
    sampler._prepare(table, y, {1: N_NEW})
    source = InMemoryNeighbors(table, y)
    rows = np.flatnonzero(y == 1)
    position = class_positions(y)[1]
    streams = ClassStreams(to_seed_sequence(sampler.random_state), position)
    found = []
    for window in windows:
        task = ClassTask(
            1,
            position,
            rows,
            N_NEW,
            streams if window is None else streams.windowed(*window),
            source,
            table,
        )
        found.append(sampler._plan(task).batch)
    return found


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_windows_end_to_end_are_the_whole_recipe(name):
    whole, *parts = recipes(
        name, [None, (0, CHUNK_ROWS), (CHUNK_ROWS, 2 * CHUNK_ROWS), (2 * CHUNK_ROWS, N_NEW)]
    )
    assert whole.size == N_NEW and [p.size for p in parts] == [CHUNK_ROWS, CHUNK_ROWS, 1234]
    for field in ("seeds", "neighbors", "gaps", "noise"):
        full = getattr(whole, field)
        if full is None:
            assert all(getattr(p, field) is None for p in parts)
            continue
        np.testing.assert_array_equal(np.concatenate([getattr(p, field) for p in parts]), full)
    for field in ("voters", "codes"):
        full = getattr(whole, field)
        if full is not None:
            joined = np.concatenate([getattr(p, field) for p in parts], axis=1)
            np.testing.assert_array_equal(joined, full)


def test_an_empty_window_makes_no_rows_and_a_window_must_start_on_a_chunk():
    (empty,) = recipes("smote", [(0, 0)])
    assert empty.size == 0
    with pytest.raises(ValueError, match="multiple of"):
        ClassStreams(to_seed_sequence(0), 0).windowed(10, CHUNK_ROWS)
