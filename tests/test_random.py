"""Random streams are keyed by what they generate: class position, then chunk of rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
)
from smotekit._random import CHUNK_ROWS, ClassStreams, child_generator, to_seed_sequence
from smotekit.neighbors import ExactNeighbors


def mixed_data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=(n, 3)), rng.integers(0, 4, n), rng.integers(0, 3, n)])
    y = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    return X, y


SAMPLERS = [
    lambda j: SMOTE(random_state=0, n_jobs=j),
    lambda j: SMOTE(random_state=0, n_jobs=j, seed_selection="uniform"),
    lambda j: BorderlineSMOTE(random_state=0, n_jobs=j, kind="borderline-2"),
    lambda j: ADASYN(random_state=0, n_jobs=j),
    lambda j: RandomOverSampler(random_state=0, shrinkage=1.0),
    lambda j: SMOTENC(categorical_features=[3, 4], random_state=0, n_jobs=j),
    lambda j: SMOTEN(random_state=0, n_jobs=j),
    lambda j: RandomUnderSampler(random_state=0),
]


@pytest.mark.parametrize("make", SAMPLERS, ids=lambda m: repr(m(1)))
def test_output_does_not_depend_on_n_jobs_or_blas_threads(make):
    X, y = mixed_data()
    if "SMOTEN(" in repr(make(1)):
        X = X[:, 3:]
    reference = make(1).fit_resample(X, y)
    for n_jobs, blas in [(2, None), (-1, 1), (1, 2)]:
        with threadpool_limits(limits=blas):
            X_res, y_res = make(n_jobs).fit_resample(X, y)
        np.testing.assert_array_equal(X_res, reference[0])
        np.testing.assert_array_equal(y_res, reference[1])


def test_output_does_not_depend_on_exact_engine_blocks():
    X, y = mixed_data()
    X = X[:, :3]
    reference = SMOTE(random_state=1, neighbors="exact").fit_resample(X, y)[0]
    small = ExactNeighbors(query_block=16, tile_rows=32, n_jobs=2)
    np.testing.assert_array_equal(
        SMOTE(random_state=1, neighbors=small).fit_resample(X, y)[0], reference
    )


def test_streams_are_keyed_by_class_and_chunk_only():
    root = to_seed_sequence(7)
    streams = ClassStreams(root, 2)
    assert streams.chunk(3).random() == child_generator(root, 2, 3).random()
    assert streams.selection().random() == child_generator(root, 2).random()
    draws = {streams.selection().random(), *(streams.chunk(j).random() for j in range(4))}
    draws |= {ClassStreams(root, 1).chunk(0).random()}
    assert len(draws) == 6  # all distinct streams


def test_a_chunk_can_be_generated_alone():
    """Rows of chunk j depend on chunk j's stream only: a worker can make them alone."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = np.array([0] * 250 + [1] * 50)
    n_new = 2 * CHUNK_ROWS + 17
    big = SMOTE(sampling_strategy={1: 50 + n_new}, random_state=3)
    X_res, _ = big.fit_resample(X, y)
    assert X_res.shape[0] == 300 + n_new
    prov = big.provenance_
    graph = ExactNeighbors().fit(X[50 * 0 + 250 :]).kneighbors(None, 5)[1]
    for j in range(3):
        start, stop = j * CHUNK_ROWS, min((j + 1) * CHUNK_ROWS, n_new)
        rng_j = ClassStreams(to_seed_sequence(3), 1).chunk(j)
        seeds = rng_j.integers(0, 50, size=stop - start)
        ranks = rng_j.integers(0, 5, size=stop - start)
        gaps = rng_j.random(stop - start)
        np.testing.assert_array_equal(prov["seed"].to_numpy()[start:stop], 250 + seeds)
        np.testing.assert_array_equal(
            prov["neighbor"].to_numpy()[start:stop], 250 + graph[seeds, ranks]
        )
        np.testing.assert_array_equal(prov["gap"].to_numpy()[start:stop], gaps)


def test_full_chunks_do_not_depend_on_how_many_rows_are_asked_for():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = np.array([0] * 150 + [1] * 50)
    few = SMOTE(sampling_strategy={1: 50 + CHUNK_ROWS + 10}, random_state=0).fit_resample(X, y)[0]
    many = SMOTE(sampling_strategy={1: 50 + CHUNK_ROWS + 900}, random_state=0).fit_resample(X, y)
    end = X.shape[0] + CHUNK_ROWS
    np.testing.assert_array_equal(many[0][:end], few[:end])
    assert not np.array_equal(many[0][end : end + 10], few[end:])


def test_other_classes_do_not_change_a_class_rows():
    X, y = mixed_data(seed=3)
    X = X[:, :3]
    both = SMOTE(random_state=0)
    X_both, y_both = both.fit_resample(X, y)
    one = SMOTE(random_state=0, sampling_strategy={2: int(np.sum(y == 0))})
    X_one, y_one = one.fit_resample(X, y)
    n = X.shape[0]
    np.testing.assert_array_equal(X_both[n:][y_both[n:] == 2], X_one[n:][y_one[n:] == 2])


def test_dataframe_and_array_give_the_same_rows():
    X, y = mixed_data(seed=4)
    frame = pd.DataFrame(X[:, :3].astype(np.float32), columns=["a", "b", "c"])
    from_frame = SMOTE(random_state=0).fit_resample(frame, y)[0]
    from_array = SMOTE(random_state=0).fit_resample(X[:, :3].astype(np.float32), y)[0]
    np.testing.assert_array_equal(from_frame.to_numpy(), from_array)
