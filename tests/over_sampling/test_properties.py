"""Properties every over-sampler must satisfy, checked against independent references."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification

from smotekit import ADASYN, SMOTE, BorderlineSMOTE, NoBorderWarning, RandomOverSampler


def brute_force_neighbors(X, queries, candidates, k):
    """k nearest candidates of each query row (self excluded), float64, ties by index."""
    X = np.asarray(X, dtype=np.float64)
    d2 = ((X[queries][:, None, :] - X[candidates][None, :, :]) ** 2).sum(axis=-1)
    d2[queries[:, None] == candidates[None, :]] = np.inf
    order = np.lexsort((np.broadcast_to(candidates, d2.shape), d2), axis=-1)[:, :k]
    return candidates[order]


def assert_on_segments(X, X_res, provenance, tol=1e-6):
    """Every synthetic row equals seed + gap * (neighbour - seed)."""
    n = X.shape[0]
    synthetic = X_res[n:]
    seed = X[provenance["seed"].to_numpy()].astype(np.float64)
    nbr = X[provenance["neighbor"].to_numpy()].astype(np.float64)
    gap = provenance["gap"].to_numpy()[:, None]
    assert np.all((gap >= 0) & (gap <= 1))
    np.testing.assert_allclose(synthetic, seed + gap * (nbr - seed), rtol=tol, atol=tol)


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(
        n_samples=1500,
        n_features=6,
        n_informative=4,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        flip_y=0.03,
        class_sep=0.8,
        random_state=3,
    )
    return X, y


@pytest.mark.parametrize("k", [1, 3, 5])
def test_smote_rows_lie_on_segments_to_k_nearest_same_class(imbalanced, k):
    X, y = imbalanced
    sampler = SMOTE(k_neighbors=k, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert_on_segments(X, X_res, prov)
    np.testing.assert_array_equal(y_res[X.shape[0] :], prov["label"].to_numpy())
    for label in np.unique(prov["label"]):
        rows = np.flatnonzero(y == label)
        part = prov[prov["label"] == label]
        assert np.all(y[part["seed"]] == label) and np.all(y[part["neighbor"]] == label)
        reference = brute_force_neighbors(X, rows, rows, k)
        lookup = {r: set(nbrs) for r, nbrs in zip(rows, reference)}
        assert all(n in lookup[s] for s, n in zip(part["seed"], part["neighbor"]))


def test_smote_independent_check_without_provenance(imbalanced):
    """Each synthetic row is on a segment from some class row to one of its k neighbours."""
    X, y = imbalanced
    k = 4
    X_res, y_res = SMOTE(k_neighbors=k, random_state=1).fit_resample(X, y)
    label = 2
    rows = np.flatnonzero(y == label)
    nbrs = brute_force_neighbors(X, rows, rows, k)
    synthetic = X_res[X.shape[0] :][y_res[X.shape[0] :] == label]
    for row in synthetic[:60]:
        ok = False
        for s, ns in zip(rows, nbrs):
            direction = X[ns] - X[s]
            gap = ((row - X[s]) @ direction.T) / np.maximum((direction**2).sum(axis=1), 1e-300)
            closest = X[s] + np.clip(gap, 0, 1)[:, None] * direction
            if np.min(np.abs(closest - row).max(axis=1)) < 1e-9:
                ok = True
                break
        assert ok


@pytest.mark.parametrize(
    "strategy, expected",
    [
        ("auto", {0: 1034, 1: 1034, 2: 1034}),
        ("minority", {0: 1034, 1: 308, 2: 1034}),
        ({1: 400, 2: 500}, {0: 1034, 1: 400, 2: 500}),
        (lambda y: {2: int(np.sum(y == 2)) * 2}, {0: 1034, 1: 308, 2: 316}),
    ],
)
@pytest.mark.parametrize(
    "make", [SMOTE, BorderlineSMOTE, ADASYN, RandomOverSampler], ids=lambda c: c.__name__
)
def test_class_counts_match_the_strategy(imbalanced, strategy, expected, make):
    X, y = imbalanced
    assert dict(zip(*np.unique(y, return_counts=True))) == {0: 1034, 1: 308, 2: 158}
    sampler = make(sampling_strategy=strategy, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoBorderWarning)
        X_res, y_res = sampler.fit_resample(X, y)
    counts = dict(zip(*np.unique(y_res, return_counts=True)))
    assert {int(c): int(n) for c, n in counts.items()} == expected
    np.testing.assert_array_equal(X_res[: X.shape[0]], X)
    np.testing.assert_array_equal(y_res[: X.shape[0]], y)


def test_float_strategy_for_binary_targets():
    X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    X_res, y_res = SMOTE(sampling_strategy=0.5, random_state=0).fit_resample(X, y)
    n_major = int(np.sum(y == 0))
    assert int(np.sum(y_res == 1)) == int(n_major * 0.5)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_seeds_come_from_danger_rows_only(imbalanced, kind):
    X, y = imbalanced
    m, k = 10, 5
    sampler = BorderlineSMOTE(kind=kind, m_neighbors=m, k_neighbors=k, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert_on_segments(X, X_res, prov)
    everyone = np.arange(X.shape[0])
    for label in np.unique(prov["label"]):
        rows = np.flatnonzero(y == label)
        around = brute_force_neighbors(X, rows, everyone, m)
        n_other = np.sum(y[around] != label, axis=1)
        danger = set(rows[(2 * n_other >= m) & (n_other < m)])
        assert set(sampler.in_danger_[label]) == danger
        part = prov[prov["label"] == label]
        assert set(part["seed"]) <= danger
        pool = rows if kind == "borderline-1" else everyone
        nbrs = brute_force_neighbors(X, np.array(sorted(danger)), pool, k)
        lookup = {s: set(n) for s, n in zip(sorted(danger), nbrs)}
        assert all(n in lookup[s] for s, n in zip(part["seed"], part["neighbor"]))
        if kind == "borderline-2":
            other = y[part["neighbor"]] != label
            assert np.all(part["gap"].to_numpy()[other] < 0.5)
            assert other.any()


def test_borderline_without_danger_rows_warns_and_adds_nothing():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(10, 0.1, (20, 2))])
    y = np.array([0] * 50 + [1] * 20)
    with pytest.warns(NoBorderWarning, match="class 1 has no DANGER rows"):
        X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert X_res.shape == X.shape and np.array_equal(y_res, y)


def test_adasyn_allocation_is_proportional_to_hardness(imbalanced):
    X, y = imbalanced
    k = 5
    sampler = ADASYN(n_neighbors=k, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert_on_segments(X, X_res, prov)
    everyone = np.arange(X.shape[0])
    for label, n_new in sampler.sampling_strategy_.items():
        rows = np.flatnonzero(y == label)
        around = brute_force_neighbors(X, rows, everyone, k)
        hardness = np.mean(y[around] != label, axis=1)
        np.testing.assert_allclose(sampler.hardness_[label], hardness)
        per_seed = np.bincount(
            np.searchsorted(rows, prov.loc[prov["label"] == label, "seed"]), minlength=rows.size
        )
        assert per_seed.sum() == n_new
        quota = n_new * hardness / hardness.sum()
        assert np.all(np.abs(per_seed - quota) < 1)
        assert np.all(per_seed[hardness == 0] == 0)


def test_adasyn_on_separated_classes_suggests_smote():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(10, 0.1, (20, 2))])
    y = np.array([0] * 50 + [1] * 20)
    with pytest.raises(
        ValueError, match="no row of class 1 has a neighbour of another class.*SMOTE"
    ):
        ADASYN().fit_resample(X, y)


def test_uniform_seed_selection_spreads_rows_evenly(imbalanced):
    X, y = imbalanced
    sampler = SMOTE(seed_selection="uniform", random_state=0)
    sampler.fit_resample(X, y)
    for label, n_new in sampler.sampling_strategy_.items():
        seeds = sampler.provenance_.loc[sampler.provenance_["label"] == label, "seed"]
        per_seed = np.bincount(seeds, minlength=X.shape[0])[y == label]
        assert set(per_seed) <= {n_new // per_seed.size, n_new // per_seed.size + 1}


SAMPLER_FACTORIES = [
    lambda **kw: SMOTE(**kw),
    lambda **kw: BorderlineSMOTE(**kw),
    lambda **kw: BorderlineSMOTE(kind="borderline-2", **kw),
    lambda **kw: ADASYN(**kw),
]


@pytest.mark.parametrize("make", SAMPLER_FACTORIES)
def test_same_seed_same_output_for_any_threads_and_backend(imbalanced, make):
    X, y = imbalanced
    X32 = X.astype(np.float32)
    base = make(random_state=7, n_jobs=1).fit_resample(X, y)
    for kwargs in ({"n_jobs": 2}, {"n_jobs": 2, "neighbors": "exact"}, {"neighbors": "tree"}):
        again = make(random_state=7, **kwargs).fit_resample(X, y)
        np.testing.assert_array_equal(base[0], again[0])
        np.testing.assert_array_equal(base[1], again[1])
    other = make(random_state=8).fit_resample(X, y)
    assert not np.array_equal(base[0], other[0])
    out32, _ = make(random_state=7).fit_resample(X32, y)
    assert out32.dtype == np.float32


def test_random_state_forms(imbalanced):
    X, y = imbalanced
    a = SMOTE(random_state=np.random.RandomState(3)).fit_resample(X, y)[0]
    b = SMOTE(random_state=np.random.RandomState(3)).fit_resample(X, y)[0]
    c = SMOTE(random_state=np.random.default_rng(3)).fit_resample(X, y)[0]
    d = SMOTE(random_state=np.random.default_rng(3)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(c, d)
    e = SMOTE(random_state=None).fit_resample(X, y)[0]
    f = SMOTE(random_state=None).fit_resample(X, y)[0]
    assert not np.array_equal(e, f)


def test_classes_have_independent_streams(imbalanced):
    """Changing what one class gets does not change another class's rows."""
    X, y = imbalanced
    one = SMOTE(sampling_strategy={1: 500, 2: 400}, random_state=0)
    two = SMOTE(sampling_strategy={2: 400}, random_state=0)
    one.fit_resample(X, y)
    two.fit_resample(X, y)
    p1 = one.provenance_[one.provenance_["label"] == 2].reset_index(drop=True)
    p2 = two.provenance_.reset_index(drop=True)
    assert p1.equals(p2)


def test_random_over_sampler_copies_and_shrinkage(imbalanced):
    X, y = imbalanced
    ros = RandomOverSampler(random_state=0)
    X_res, y_res = ros.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[ros.sample_indices_])
    np.testing.assert_array_equal(y_res, y[ros.sample_indices_])
    smooth = RandomOverSampler(random_state=0, shrinkage={1: 1.0, 2: 0.0})
    X_s, y_s = smooth.fit_resample(X, y)
    n = X.shape[0]
    new_2 = X_s[n:][y_s[n:] == 2]
    copies_2 = X[smooth.sample_indices_[n:][y_s[n:] == 2]]
    np.testing.assert_allclose(new_2, copies_2)  # shrinkage 0: exact copies
    new_1 = X_s[n:][y_s[n:] == 1]
    assert not np.allclose(new_1, X[smooth.sample_indices_[n:][y_s[n:] == 1]])
    with pytest.raises(ValueError, match="`shrinkage` should contain a shrinkage factor for each"):
        RandomOverSampler(shrinkage={1: 1.0}).fit_resample(X, y)
    with pytest.raises(ValueError, match="'shrinkage' parameter of RandomOverSampler"):
        RandomOverSampler(shrinkage=-1.0).fit_resample(X, y)
    with pytest.raises(
        ValueError, match="The shrinkage factor needs to be >= 0. Got -1 for class 2"
    ):
        RandomOverSampler(shrinkage={1: 1.0, 2: -1}).fit_resample(X, y)


def test_shrinkage_follows_imbalanced_learns_formula_and_semantics(imbalanced):
    from imblearn.over_sampling import RandomOverSampler as ImbRandomOverSampler

    X, y = imbalanced
    n, d = X.shape
    strategy = {1: 20_000, 2: 158}  # class 2 gets no rows but is in sampling_strategy_
    ours = RandomOverSampler(
        sampling_strategy=strategy, shrinkage={1: 0.7, 2: 0.0, 0: 3.0}, random_state=0
    )
    X_res, y_res = ours.fit_resample(X, y)
    assert ours.sampling_strategy_ == {1: 20_000 - 308, 2: 0}
    assert ours.shrinkage_ == {1: 0.7, 2: 0.0, 0: 3.0}
    noise = X_res[n:] - X[ours.sample_indices_[n:]]
    rows = X[y == 1]
    expected = 0.7 * rows.std(axis=0) * (4 / ((d + 2) * n)) ** (1 / (d + 4))
    np.testing.assert_allclose(noise.std(axis=0), expected, rtol=0.03)
    theirs = ImbRandomOverSampler(
        sampling_strategy=strategy, shrinkage={1: 0.7, 2: 0.0}, random_state=0
    )
    X_imb, _ = theirs.fit_resample(X, y)
    their_noise = X_imb[n:] - X[theirs.sample_indices_[n:]]
    np.testing.assert_allclose(noise.std(axis=0), their_noise.std(axis=0), rtol=0.05)
    uniform = RandomOverSampler(shrinkage=0.5, random_state=0).fit(X, y)
    uniform.fit_resample(X, y)
    assert uniform.shrinkage_ == {1: 0.5, 2: 0.5}


def test_random_over_sampler_accepts_strings_and_missing_values():
    X = np.array([["a", 1.0], ["b", np.nan], ["c", 3.0], ["d", 4.0]], dtype=object)
    y = np.array([0, 0, 0, 1])
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    assert X_res.shape == (6, 2) and list(X_res[4]) == ["d", 4.0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_features=st.integers(1, 8),
    sizes=st.lists(st.integers(7, 40), min_size=2, max_size=4),
    k=st.integers(1, 6),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
    integer_grid=st.booleans(),
)
def test_property_smote_on_random_shapes(n_features, sizes, k, dtype, seed, integer_grid):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(sum(sizes), n_features))
    if integer_grid:
        X = np.round(X * 2)  # many ties and duplicates
    X = X.astype(dtype)
    y = np.repeat(np.arange(len(sizes)), sizes)
    sampler = SMOTE(k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == dtype
    counts = np.bincount(y_res)
    assert np.all(counts == max(sizes))
    assert_on_segments(X, X_res, sampler.provenance_, tol=1e-4 if dtype == np.float32 else 1e-9)
    prov = sampler.provenance_
    for label in np.unique(prov["label"]):
        rows = np.flatnonzero(y == label)
        reference = brute_force_neighbors(X, rows, rows, k)
        lookup = {r: set(n) for r, n in zip(rows, reference)}
        part = prov[prov["label"] == label]
        assert all(n in lookup[s] for s, n in zip(part["seed"], part["neighbor"]))


def test_k_neighbors_object_and_backend_objects_give_the_same_rows(imbalanced):
    from sklearn.neighbors import NearestNeighbors

    from smotekit.neighbors import ExactNeighbors

    X, y = imbalanced
    base = SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
    with_object = SMOTE(k_neighbors=NearestNeighbors(n_neighbors=6), random_state=0)
    np.testing.assert_allclose(with_object.fit_resample(X, y)[0], base[0])
    with_backend = SMOTE(neighbors=ExactNeighbors(n_jobs=1), random_state=0)
    np.testing.assert_array_equal(with_backend.fit_resample(X, y)[0], base[0])
    border = BorderlineSMOTE(m_neighbors=NearestNeighbors(n_neighbors=11), random_state=0)
    np.testing.assert_allclose(
        border.fit_resample(X, y)[0], BorderlineSMOTE(random_state=0).fit_resample(X, y)[0]
    )
