"""Plans are pure: called on one class's rows and a graph computed elsewhere, they give the
sampler's rows (the path a distributed engine takes)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.datasets import make_classification

from smotekit import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE, RandomOverSampler, RandomUnderSampler
from smotekit._engine import class_positions
from smotekit._plan import ClassTask, MixedMetric
from smotekit._random import ClassStreams, to_seed_sequence
from smotekit.neighbors import NeighborGraph, merge_top_k, mixed_search, search
from smotekit.over_sampling._adasyn import adasyn_plan
from smotekit.over_sampling._borderline import borderline_plan
from smotekit.over_sampling._random_over import random_over_plan
from smotekit.over_sampling._smote import smote_plan
from smotekit.over_sampling._smotenc import smotenc_plan
from smotekit.under_sampling._random_under import random_under_plan


class ClassOnly:
    """The data of one class alone (what a worker holding that class has)."""

    def __init__(self, numeric, codes=None, n_levels=None):
        self.numeric = numeric
        self.codes = codes if codes is not None else np.empty((numeric.shape[0], 0))
        self.n_levels = n_levels or []


class Precomputed:
    """A neighbour source answering from graphs computed elsewhere (per partition, merged)."""

    def __init__(self, within=None, among=None):
        self.within, self.among = within or {}, among or {}
        self.asked = []

    def within_class(self, task, k, *, queries=None, metric=None, backend="auto"):
        self.asked.append(("within", k, metric))
        graph = self.within[k]
        return (
            graph
            if queries is None
            else NeighborGraph(graph.distances[queries], graph.indices[queries])
        )

    def among_all(self, task, k, *, queries=None, backend="auto"):
        self.asked.append(("among", k))
        graph, same = self.among[k]
        if queries is None:
            return graph, same
        return NeighborGraph(graph.distances[queries], graph.indices[queries]), same[queries]


def partitioned_among_all(X, y, rows, label, k, n_parts=3):
    """k nearest rows of all X for the class rows: per partition, then one merge."""
    bounds = np.linspace(0, X.shape[0], n_parts + 1).astype(int)
    graphs = []
    for lo, hi in itertools.pairwise(bounds):
        part = np.arange(lo, hi)
        inside = (rows >= lo) & (rows < hi)
        exclude = np.where(inside, rows - lo, -1)
        g = search(X[part], X[rows], min(k, hi - lo - 1), exclude=exclude, backend="exact")
        graphs.append(NeighborGraph(g.distances, g.indices + lo))
    graph = merge_top_k(graphs, k)
    return graph, y[graph.indices] == label


def task_for(rows, label, y, n_target, table, source, seed=0):
    position = class_positions(y)[label]
    streams = ClassStreams(to_seed_sequence(seed), position)
    return ClassTask(label, position, np.arange(rows.size), n_target, streams, source, table)


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=600,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        flip_y=0.05,
        random_state=0,
    )


def synthetic_of(sampler, X, y, label):
    X_res, y_res = sampler.fit_resample(X, y)
    new = slice(X.shape[0], None)
    return X_res[new][y_res[new] == label], sampler


def rows_from(batch, numeric):
    seeds, neighbors = numeric[batch.seeds], numeric[batch.neighbors]
    return seeds + batch.gaps[:, None].astype(numeric.dtype) * (neighbors - seeds)


@pytest.mark.parametrize("seed_selection", ["random", "uniform"])
def test_smote_plan_on_one_class_reproduces_the_sampler(data, seed_selection):
    X, y = data
    label = 2
    expected, sampler = synthetic_of(
        SMOTE(random_state=5, seed_selection=seed_selection), X, y, label
    )
    rows = np.flatnonzero(y == label)
    class_rows = X[rows].copy()  # all the worker has
    graph = search(class_rows, None, 5, backend="tree")  # computed elsewhere, another backend
    source = Precomputed(within={5: graph})
    task = task_for(
        rows, label, y, sampler.sampling_strategy_[label], ClassOnly(class_rows), source, seed=5
    )
    plan = smote_plan(task, k=5, seed_selection=seed_selection)
    np.testing.assert_array_equal(rows_from(plan.batch, class_rows), expected)
    assert source.asked == [("within", 5, None)]


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_plan_with_merged_partition_graphs(data, kind):
    X, y = data
    label = 1
    sampler = BorderlineSMOTE(random_state=3, kind=kind)
    expected, sampler = synthetic_of(sampler, X, y, label)
    rows = np.flatnonzero(y == label)
    within = search(X[rows], None, 5, backend="exact")
    among = {k: partitioned_among_all(X, y, rows, label, k) for k in (5, 10)}
    source = Precomputed(within={5: within}, among=among)
    task = task_for(
        rows, label, y, sampler.sampling_strategy_[label], ClassOnly(X[rows]), source, seed=3
    )
    plan = borderline_plan(task, k=5, m=10, kind=kind)
    np.testing.assert_array_equal(rows[plan.diagnostics["danger"]], sampler.in_danger_[label])
    batch = plan.batch
    seeds = X[rows[batch.seeds]]
    neighbors = X[rows[batch.neighbors]] if kind == "borderline-1" else X[batch.neighbors]
    np.testing.assert_array_equal(seeds + batch.gaps[:, None] * (neighbors - seeds), expected)


def test_adasyn_plan_with_merged_partition_graphs(data):
    X, y = data
    label = 2
    expected, sampler = synthetic_of(ADASYN(random_state=1), X, y, label)
    rows = np.flatnonzero(y == label)
    source = Precomputed(
        within={5: search(X[rows], None, 5)},
        among={5: partitioned_among_all(X, y, rows, label, 5, n_parts=4)},
    )
    task = task_for(
        rows, label, y, sampler.sampling_strategy_[label], ClassOnly(X[rows]), source, seed=1
    )
    plan = adasyn_plan(task, k=5)
    np.testing.assert_array_equal(plan.diagnostics["hardness"], sampler.hardness_[label])
    np.testing.assert_array_equal(rows_from(plan.batch, X[rows]), expected)


def test_smotenc_plan_on_one_class_reproduces_the_sampler():
    rng = np.random.default_rng(0)
    n = 300
    X = np.column_stack([rng.normal(size=(n, 2)), rng.integers(0, 4, n), rng.integers(0, 3, n)])
    y = (rng.random(n) < 0.25).astype(int)
    sampler = SMOTENC(categorical_features=[2, 3], random_state=4)
    X_res, y_res = sampler.fit_resample(X, y)
    rows = np.flatnonzero(y == 1)
    continuous, codes = X[rows][:, :2], X[rows][:, 2:].astype(np.int64)
    med = sampler.median_std_[1]
    graph = mixed_search(continuous, codes, med, 5)
    source = Precomputed(within={5: graph})
    table = ClassOnly(continuous, codes, n_levels=[4, 3])
    task = task_for(rows, 1, y, sampler.sampling_strategy_[1], table, source, seed=4)
    plan = smotenc_plan(task, k=5)
    assert source.asked == [("within", 5, MixedMetric(med))]
    batch = plan.batch
    expected = X_res[n:]
    np.testing.assert_array_equal(rows_from(batch, continuous), expected[:, :2])
    np.testing.assert_array_equal(batch.codes.T, expected[:, 2:])


def test_random_over_and_under_plans_reproduce_the_samplers(data):
    X, y = data
    over = RandomOverSampler(random_state=2, shrinkage=0.3)
    X_res, y_res = over.fit_resample(X, y)
    rows = np.flatnonzero(y == 1)
    task = task_for(rows, 1, y, over.sampling_strategy_[1], ClassOnly(X[rows]), None, seed=2)
    batch = random_over_plan(task, shrinkage=0.3, n_rows=X.shape[0]).batch  # n of all X
    new = X_res[X.shape[0] :][y_res[X.shape[0] :] == 1]
    np.testing.assert_array_equal(X[rows][batch.seeds] + batch.noise, new)
    under = RandomUnderSampler(random_state=2)
    under.fit_resample(X, y)
    rows = np.flatnonzero(y == 0)
    task = task_for(rows, 0, y, under.sampling_strategy_[0], None, None, seed=2)
    kept = rows[random_under_plan(task).keep]
    np.testing.assert_array_equal(kept, under.sample_indices_[: kept.size])
