"""SVMSMOTE: seeds are support vectors, danger rows interpolate, safe rows extrapolate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SVMSMOTE as ImbSVMSMOTE
from sklearn.base import BaseEstimator
from sklearn.datasets import make_classification
from sklearn.svm import SVC, LinearSVC

from smotekit._engine import class_positions
from smotekit._plan import ClassTask
from smotekit._random import ClassStreams, to_seed_sequence
from smotekit.neighbors import NeighborGraph
from smotekit.over_sampling import _svm_smote
from smotekit.over_sampling._svm_smote import (
    SVMSMOTE,
    _margin_rows,
    stratified_subsample,
    svm_smote_plan,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="needs /work/shared/data (benchmarks)")


def load(name):
    frame = pd.read_csv(DATA / name / f"{name}.csv.gz")
    return frame.drop(columns="target").to_numpy(float), frame["target"].to_numpy()


def brute_neighbors(X, queries, candidates, k):
    """k nearest candidates of each query (self excluded by index), float64, ties by index."""
    d = np.square(X[queries][:, None, :] - X[candidates][None, :, :]).sum(axis=2)
    d[queries[:, None] == candidates[None, :]] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(candidates.size), d.shape), d), axis=-1)
    return candidates[order[:, :k]]


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=800, n_features=5, n_informative=3, weights=[0.85], flip_y=0.05, random_state=4
    )


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    sampler = SVMSMOTE(random_state=0, k_neighbors=4, m_neighbors=8, out_step=0.3)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


def test_exact_counts_binary_and_multiclass(data, fitted):
    X, y = data
    _, _, y_res = fitted
    np.testing.assert_array_equal(np.bincount(y_res), [np.sum(y == 0)] * 2)
    X3, y3 = make_classification(
        n_samples=900, n_features=5, n_informative=3, n_classes=3, weights=[0.6, 0.3, 0.1],
        flip_y=0.02, random_state=1,
    )  # fmt: skip
    _, y3_res = SVMSMOTE(random_state=0).fit_resample(X3, y3)
    assert set(np.bincount(y3_res)) == {np.sum(y3 == 0)}


def test_support_vectors_are_those_of_an_svc_on_all_rows(data, fitted):
    X, y = data
    sampler, _, _ = fitted
    svc = SVC(gamma="scale").fit(X, y)
    np.testing.assert_array_equal(
        sampler.support_indices_[1], np.sort(svc.support_[y[svc.support_] == 1])
    )
    assert sampler.svm_estimator_.support_.size == svc.support_.size


def test_danger_safe_noise_from_m_nearest_rows_of_all_data(data, fitted):
    X, y = data
    sampler, _, _ = fitted
    sv = sampler.support_indices_[1]
    n_other = (y[brute_neighbors(X, sv, np.arange(len(y)), 8)] != 1).sum(axis=1)
    np.testing.assert_array_equal(sampler.noise_indices_[1], sv[n_other == 8])
    np.testing.assert_array_equal(sampler.danger_indices_[1], sv[(n_other >= 4) & (n_other < 8)])
    np.testing.assert_array_equal(sampler.safe_indices_[1], sv[n_other < 4])
    assert sampler.danger_indices_[1].size and sampler.safe_indices_[1].size


def test_rows_interpolate_from_danger_and_extrapolate_from_safe(data, fitted):
    X, y = data
    sampler, X_res, _ = fitted
    prov = sampler.provenance_
    seeds, nbrs, gaps = prov["seed"].to_numpy(), prov["neighbor"].to_numpy(), prov["gap"].to_numpy()
    danger = np.isin(seeds, sampler.danger_indices_[1])
    safe = np.isin(seeds, sampler.safe_indices_[1])
    assert np.all(danger ^ safe)  # every seed a non-noise support vector of one kind
    assert np.all((gaps[danger] >= 0) & (gaps[danger] < 1))
    assert np.all((gaps[safe] <= 0) & (gaps[safe] > -0.3))
    assert np.all(np.signbit(gaps[safe])) and not np.any(np.signbit(gaps[danger]))
    expected = X[seeds] + gaps[:, None] * (X[nbrs] - X[seeds])
    np.testing.assert_allclose(X_res[len(y) :], expected, rtol=1e-12, atol=1e-12)
    # safe rows move away from the neighbour: farther from it than the seed is
    far = (
        np.linalg.norm(X_res[len(y) :] - X[nbrs], axis=1)
        >= np.linalg.norm(X[seeds] - X[nbrs], axis=1) - 1e-12
    )
    assert np.all(far[safe])
    # the neighbour is one of the seed's k nearest rows of the class
    rows = np.flatnonzero(y == 1)
    allowed = dict(zip(rows, brute_neighbors(X, rows, rows, 4), strict=True))
    assert all(n in allowed[s] for s, n in zip(seeds, nbrs, strict=True))


def test_split_between_danger_and_safe_follows_a_beta_draw(data, fitted):
    X, y = data
    sampler, _, _ = fitted
    n = sampler.sampling_strategy_[1]
    streams = ClassStreams(to_seed_sequence(0), class_positions(y)[1])
    n_danger = int(streams.selection().beta(10, 10) * (n + 1))
    gaps = sampler.provenance_["gap"].to_numpy()
    assert np.sum(~np.signbit(gaps)) == n_danger
    assert not np.any(np.signbit(gaps[:n_danger])) and np.all(np.signbit(gaps[n_danger:]))


class FakeSource:
    """Neighbours given by hand: other-class counts for the support vectors, a class graph."""

    def __init__(self, n_other, graph):
        self.n_other, self.graph = n_other, graph

    def among_all(self, task, k, *, queries=None, backend="auto"):
        same = np.arange(k)[None, :] >= self.n_other[queries][:, None]
        return NeighborGraph(np.zeros(same.shape), np.zeros(same.shape, int)), same

    def within_class(self, task, k, *, queries=None, metric=None, backend="auto"):
        idx = self.graph[queries]
        return NeighborGraph(np.zeros(idx.shape), idx)


@pytest.mark.parametrize("kind", ["danger", "safe"])
def test_a_class_with_one_kind_of_support_vector_gets_every_row_from_it(kind):
    n_other = np.full(6, 5 if kind == "danger" else 1)
    graph = np.array([[1, 2], [0, 2], [0, 1], [4, 5], [3, 5], [3, 4]])
    task = ClassTask(
        1,
        1,
        np.arange(6),
        25,
        ClassStreams(to_seed_sequence(0), 1),
        FakeSource(n_other, graph),
        None,
    )
    plan = svm_smote_plan(task, support=np.arange(6), k=2, m=6, out_step=0.5)
    assert plan.batch.size == 25
    gaps = plan.batch.gaps
    assert np.all(gaps >= 0) if kind == "danger" else np.all(np.signbit(gaps) & (gaps > -0.5))


def test_no_support_vector_left_gives_no_batch():
    task = ClassTask(
        1,
        1,
        np.arange(3),
        5,
        ClassStreams(to_seed_sequence(0), 1),
        FakeSource(np.full(3, 4), None),
        None,
    )
    assert svm_smote_plan(task, support=np.arange(3), k=1, m=4).batch is None
    assert svm_smote_plan(task, support=np.empty(0, int), k=1, m=4).batch is None


def test_all_noise_support_vectors_raise_value_error_like_imblearn():
    rng = np.random.default_rng(0)
    scattered = np.array([[-1.5, -1.5], [1.5, 1.5], [-1.5, 1.5], [1.5, -1.5], [0, 0], [0, 1.8]])
    X = np.vstack([rng.normal(size=(300, 2)), scattered])
    y = np.array([0] * 300 + [1] * 6)
    with pytest.raises(ValueError, match="support vectors are NOISE"):
        SVMSMOTE(random_state=0, k_neighbors=2).fit_resample(X, y)
    with pytest.raises(ValueError):
        ImbSVMSMOTE(random_state=0, k_neighbors=2).fit_resample(X, y)


class MajoritySupportOnly(BaseEstimator):
    """An 'SVM' whose support vectors are all of class 0 (imblearn then crashes, #742)."""

    def fit(self, X, y):
        self.support_ = np.flatnonzero(y == 0)[:5]
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def test_no_support_vector_in_the_class_is_a_clear_value_error(data):
    X, y = data
    with pytest.raises(ValueError, match="no support vector in the class"):
        SVMSMOTE(svm_estimator=MajoritySupportOnly(), random_state=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="0 sample"):
        ImbSVMSMOTE(svm_estimator=MajoritySupportOnly(), random_state=0).fit_resample(X, y)


def test_estimator_without_support_raises_runtime_error(data):
    X, y = data
    with pytest.raises(RuntimeError, match="support_"):
        SVMSMOTE(svm_estimator=LinearSVC(), random_state=0).fit_resample(X, y)


def test_user_estimator_is_cloned_and_fitted_on_all_rows(data):
    X, y = data
    svc = SVC(C=3.0, kernel="rbf")
    sampler = SVMSMOTE(svm_estimator=svc, random_state=0)
    sampler.fit_resample(X, y)
    assert not hasattr(svc, "support_") and sampler.svm_estimator_ is not svc
    assert sampler.svm_estimator_.shape_fit_ == X.shape and sampler.svm_estimator_.C == 3.0


def test_fitted_neighbour_estimators(data, fitted):
    X, y = data
    sampler, _, _ = fitted
    assert sampler.nn_m_.n_neighbors == 9 and sampler.nn_m_.n_samples_fit_ == len(y)
    assert sampler.nn_k_.n_neighbors == 5 and sampler.nn_k_.n_samples_fit_ == np.sum(y == 1)


def test_reproducible_from_random_state(data):
    X, y = data
    a = SVMSMOTE(random_state=3).fit_resample(X, y)[0]
    b = SVMSMOTE(random_state=3).fit_resample(X, y)[0]
    c = SVMSMOTE(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_duplicate_rows_stay_neighbours_by_index():
    X, y = make_classification(
        n_samples=300, n_features=4, weights=[0.8], flip_y=0.05, random_state=2
    )
    X = np.vstack([X, X[y == 1][:20]])
    y = np.concatenate([y, np.ones(20, int)])
    sampler = SVMSMOTE(random_state=0, k_neighbors=3)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.all(np.isfinite(X_res)) and np.bincount(y_res)[1] == np.sum(y == 0)
    prov = sampler.provenance_
    assert np.all(prov["seed"] != prov["neighbor"])


# ------------------------------------------------------------- the large-data default
def test_margin_rule_gives_the_support_vectors_of_a_full_fit():
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, n_classes=3,
                               weights=[0.5, 0.3, 0.2], flip_y=0.05, random_state=0)  # fmt: skip
    svc = SVC(gamma="scale").fit(X, y)
    for label in range(3):
        rows = np.flatnonzero(y == label)
        got = rows[_margin_rows(svc, X[rows], label)]
        np.testing.assert_array_equal(got, np.sort(svc.support_[y[svc.support_] == label]))
    binary = SVC(gamma="scale").fit(X, y == 2)
    rows = np.flatnonzero(y == 2)
    np.testing.assert_array_equal(
        rows[_margin_rows(binary, X[rows], True)], np.sort(binary.support_[y[binary.support_] == 2])
    )


def test_stratified_subsample_keeps_every_class_and_weights_back():
    y = np.array([0] * 1000 + [1] * 30 + [2] * 1)
    rows, weights = stratified_subsample(y, 100, np.random.default_rng(0))
    counts = np.bincount(y[rows])
    assert counts[2] == 1 and counts[1] == 3 and abs(counts.sum() - 100) <= 2
    np.testing.assert_allclose(np.bincount(y[rows], weights=weights), np.bincount(y))


def test_large_data_default_subsamples_and_finds_margin_rows(data, monkeypatch):
    X, y = data
    monkeypatch.setattr(_svm_smote, "SVM_MAX_ROWS", 400)
    sampler = SVMSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.svm_estimator_.shape_fit_[0] <= 402
    assert np.bincount(y_res)[1] == np.sum(y == 0)
    found = set(sampler.support_indices_[1].tolist())
    svc = SVC(gamma="scale").fit(X, y)
    exact = set(svc.support_[y[svc.support_] == 1].tolist())
    assert len(found & exact) / len(found | exact) > 0.7
    assert set(sampler.provenance_["seed"]) <= found
    again = SVMSMOTE(random_state=0).fit_resample(X, y)[0]
    np.testing.assert_array_equal(X_res, again)


# ----------------------------------------------------------- against imbalanced-learn
def _imblearn_sets(sampler, X, y, label, m):
    svm = sampler.svm_estimator_
    sv = np.sort(svm.support_[y[svm.support_] == label])
    nn = sampler.nn_m_.kneighbors(X[sv], return_distance=False)[:, 1:]
    n_other = (y[nn] != label).sum(axis=1)
    return sv, sv[n_other == m], sv[(2 * n_other >= m) & (n_other < m)], sv[2 * n_other < m]


def _compare_with_imblearn(X, y, m=10, **params):
    ours = SVMSMOTE(svm_estimator=SVC(), m_neighbors=m, random_state=0, **params)
    theirs = ImbSVMSMOTE(svm_estimator=SVC(), m_neighbors=m, random_state=0, **params)
    _, y_ours = ours.fit_resample(X, y)
    _, y_theirs = theirs.fit_resample(X, y)
    for label in ours.sampling_strategy_:
        sv, noise, danger, safe = _imblearn_sets(theirs, X, y, label, m)
        np.testing.assert_array_equal(ours.support_indices_[label], sv)
        np.testing.assert_array_equal(ours.noise_indices_[label], noise)
        np.testing.assert_array_equal(ours.danger_indices_[label], danger)
        np.testing.assert_array_equal(ours.safe_indices_[label], safe)
        if danger.size and safe.size:  # imblearn makes fewer rows when one kind is missing
            assert np.sum(y_ours == label) == np.sum(y_theirs == label)


def test_same_support_vectors_and_danger_rows_as_imblearn_synthetic():
    X, y = make_classification(n_samples=1200, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.6, 0.25, 0.15], flip_y=0.05, random_state=7)  # fmt: skip
    _compare_with_imblearn(X, y, m=8)


@needs_data
@pytest.mark.parametrize("name", ["ecoli", "abalone", "yeast_me2", "oil", "libras_move"])
def test_same_support_vectors_and_danger_rows_as_imblearn_benchmarks(name):
    X, y = load(name)
    _compare_with_imblearn(X, y)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**16), out_step=st.floats(0, 1), k=st.integers(1, 6))
def test_every_row_is_seed_plus_gap_times_difference(seed, out_step, k):
    X, y = make_classification(n_samples=200, n_features=3, n_informative=2, n_redundant=0,
                               weights=[0.8], flip_y=0.1, random_state=seed % 50)  # fmt: skip
    sampler = SVMSMOTE(random_state=seed, out_step=out_step, k_neighbors=k, m_neighbors=6)
    try:
        X_res, _ = sampler.fit_resample(X, y)
    except ValueError as error:  # only the documented no-seed case
        assert "cannot over-sample" in str(error)
        return
    prov = sampler.provenance_
    s, n, g = prov["seed"].to_numpy(), prov["neighbor"].to_numpy(), prov["gap"].to_numpy()
    assert np.all((g > -out_step - 1e-12) & (g < 1))
    np.testing.assert_allclose(X_res[len(y) :], X[s] + g[:, None] * (X[n] - X[s]), atol=1e-12)
    assert set(s) <= set(sampler.support_indices_[1]) - set(sampler.noise_indices_[1])
