"""SMOTEN: per-feature modes of VDM neighbours, checked against an independent reference."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.metrics.pairwise import ValueDifferenceMetric
from scipy import sparse
from sklearn.preprocessing import OrdinalEncoder

from smotekit import SMOTEN
from smotekit.neighbors import VDMNeighbors, _vdm, vdm_search, vdm_tables


# ----------------------------------------------------------------------- reference
class ReferenceVDM:
    """``VDM(a, b) = sum_f (sum_c |p(c|a_f) - p(c|b_f)|)^2``, from Python counters."""

    def __init__(self, X, y):
        self.classes = sorted(set(y.tolist()))
        self.probs = []
        for f in range(X.shape[1]):
            counts: dict = {}
            for value, label in zip(X[:, f], y):
                counts.setdefault(value, Counter())[label] += 1
            self.probs.append(
                {
                    value: np.array([c[label] / sum(c.values()) for label in self.classes])
                    for value, c in counts.items()
                }
            )

    def __call__(self, a, b):
        return sum(
            float(np.abs(table[u] - table[v]).sum()) ** 2 for table, u, v in zip(self.probs, a, b)
        )


def check_against_reference(X, y, X_res, sampler, k):
    """voter_0 is the seed, the other voters its k VDM-nearest rows, values are modes."""
    X = np.asarray(X, dtype=object)
    X_res = np.asarray(X_res, dtype=object)
    vdm = ReferenceVDM(X, y)
    prov = sampler.provenance_
    n = X.shape[0]
    voter_columns = [f"voter_{v}" for v in range(k + 1)]
    assert list(prov.columns) == ["label", "seed", "neighbor", "gap", *voter_columns]
    assert (prov.neighbor == -1).all() and prov.gap.isna().all()
    cache: dict = {}
    for i, row in enumerate(prov.itertuples(index=False)):
        rows = np.flatnonzero(y == row.label)
        voters = np.array([getattr(row, c) for c in voter_columns])
        assert voters[0] == row.seed and row.seed in rows
        assert row.seed not in voters[1:] and set(voters) <= set(rows)
        if row.seed not in cache:
            cache[row.seed] = {r: vdm(X[row.seed], X[r]) for r in rows if r != row.seed}
        distances = cache[row.seed]
        mine = np.sort([distances[v] for v in voters[1:]])
        best = np.sort(list(distances.values()))[:k]
        np.testing.assert_allclose(mine, best, rtol=1e-9, atol=1e-12)
        for f in range(X.shape[1]):
            counts = Counter(X[voters, f].tolist())
            assert counts[X_res[n + i, f]] == max(counts.values())


def categorical_data(n=300, n_levels=(3, 4, 5, 2), n_classes=2, seed=0):
    rng = np.random.default_rng(seed)
    if n_classes == 2:
        y = (rng.random(n) < 0.25).astype(int)
    else:
        y = rng.choice(n_classes, size=n, p=[0.55, 0.3, 0.15])
    X = np.empty((n, len(n_levels)), dtype=object)
    for f, L in enumerate(n_levels):
        probs = rng.dirichlet(np.ones(L), size=n_classes)
        codes = np.array([rng.choice(L, p=probs[label]) for label in y])
        X[:, f] = np.array([f"v{f}{c}" for c in range(L)], dtype=object)[codes]
    return X, y


# ----------------------------------------------------------------------- algorithm
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("k", [1, 5])
def test_rows_match_reference(n_classes, k):
    X, y = categorical_data(n_classes=n_classes)
    sampler = SMOTEN(k_neighbors=k, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert np.all(np.bincount(y_res) == np.bincount(y).max())
    check_against_reference(X, y, X_res, sampler, k)


def test_distance_is_imblearns_value_difference_metric():
    X, y = categorical_data(n=150, n_classes=3, seed=1)
    codes = OrdinalEncoder(dtype=np.int32).fit_transform(X)
    theirs = ValueDifferenceMetric().fit(codes, y).pairwise(codes[:40])
    ours = ReferenceVDM(X, y)
    mine = np.array([[ours(X[i], X[j]) for j in range(40)] for i in range(40)])
    np.testing.assert_allclose(mine, theirs, atol=1e-12)


def test_vdm_tables_are_class_conditional_frequencies():
    X, y = categorical_data(n=200, n_classes=3, seed=2)
    sampler = SMOTEN(random_state=0).fit(X, y)
    sampler.fit_resample(X, y)
    reference = ReferenceVDM(X, y)
    for f, table in enumerate(sampler.vdm_tables_):
        for code, value in enumerate(sampler.categories_[f]):
            np.testing.assert_allclose(table[code], reference.probs[f][value])


def test_two_class_embedding_and_blocked_search_agree():
    X, y = categorical_data(n=400, n_levels=(6, 7, 3), seed=3)
    codes = np.column_stack([pd.factorize(X[:, f], sort=True)[0] for f in range(3)])
    tables = vdm_tables(codes, y, [6, 7, 3])
    vdm = ReferenceVDM(X, y)
    rows = np.flatnonzero(y == 1)
    embedded = vdm_search(codes[rows], tables, 4).indices
    blocked = VDMNeighbors(tables).fit(codes[rows]).kneighbors(None, 4)[1]
    for i, r in enumerate(rows):
        a = sorted(vdm(X[r], X[rows[j]]) for j in embedded[i])
        b = sorted(vdm(X[r], X[rows[j]]) for j in blocked[i])
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("setting", ["GEMM_MAX_ROWS", "TABLE_MAX_ROWS"])
def test_multiclass_search_paths_agree(monkeypatch, setting):
    """GEMM of one-hot rows, table look-ups and direct L1 sums: one answer."""
    X, y = categorical_data(n=250, n_levels=(8, 5), n_classes=3, seed=4)
    codes = np.column_stack([pd.factorize(X[:, f], sort=True)[0] for f in range(2)])
    tables = vdm_tables(codes, y, [8, 5])
    rows = np.flatnonzero(y == 2)
    by_gemm = vdm_search(codes[rows], tables, 3).indices
    monkeypatch.setattr(_vdm, setting, 1)
    other = vdm_search(codes[rows], tables, 3).indices
    np.testing.assert_array_equal(other, by_gemm)


def test_same_seed_same_output_for_any_n_jobs():
    X, y = categorical_data(seed=5)
    a = SMOTEN(random_state=3, n_jobs=1).fit_resample(X, y)[0]
    b = SMOTEN(random_state=3, n_jobs=2).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    c = SMOTEN(random_state=4).fit_resample(X, y)[0]
    assert not np.array_equal(a, c)


# ---------------------------------------------------------------------- containers
def test_pandas_round_trip_keeps_dtypes_and_categories():
    rng = np.random.default_rng(6)
    n = 200
    frame = pd.DataFrame(
        {
            "colour": pd.Categorical(
                rng.choice(["red", "green"], n), categories=["red", "green", "blue"]
            ),
            "shape": pd.Series(rng.choice(["circle", "star"], n), dtype=object),
            "flag": rng.random(n) < 0.4,
            "name": pd.array(rng.choice(["ann", "bob", "cid"], n), dtype="string"),
            "size": rng.integers(0, 4, n),
        }
    )
    y = pd.Series(np.where(rng.random(n) < 0.2, "rare", "common"), name="label")
    X_res, y_res = SMOTEN(random_state=0).fit_resample(frame, y)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    assert list(X_res["colour"].cat.categories) == ["red", "green", "blue"]
    pd.testing.assert_frame_equal(X_res.iloc[:n], frame)
    new = X_res.iloc[n:]
    assert "blue" not in set(new["colour"])
    for column in frame.columns:
        assert set(new[column]) <= set(frame.loc[y == "rare", column])
    assert y_res.name == "label" and (y_res.iloc[n:] == "rare").all()


def test_numpy_dtypes_list_and_sparse():
    X, y = categorical_data(n=120, seed=7)
    as_str = X.astype(str)
    X_res, _ = SMOTEN(random_state=0).fit_resample(as_str, y)
    assert X_res.dtype == as_str.dtype
    as_int = np.column_stack([pd.factorize(X[:, f])[0] for f in range(X.shape[1])]) * 10
    X_int, _ = SMOTEN(random_state=0).fit_resample(as_int, y)
    assert X_int.dtype == as_int.dtype and set(X_int[:, 0]) <= set(as_int[:, 0])
    X_list, _ = SMOTEN(random_state=0).fit_resample(X.tolist(), y)
    X_obj, _ = SMOTEN(random_state=0).fit_resample(X, y)
    assert X_list == X_obj.tolist()
    X_csr, _ = SMOTEN(random_state=0).fit_resample(sparse.csr_matrix(as_int), y)
    assert sparse.issparse(X_csr) and X_csr.format == "csr"
    np.testing.assert_array_equal(X_csr.toarray(), X_int)


def test_categorical_encoder_is_fitted_not_applied():
    X, y = categorical_data(n=150, seed=8)
    plain = SMOTEN(random_state=0)
    encoded = SMOTEN(categorical_encoder=OrdinalEncoder(), random_state=0)
    np.testing.assert_array_equal(plain.fit_resample(X, y)[0], encoded.fit_resample(X, y)[0])
    default = plain.categorical_encoder_  # imbalanced-learn's default, fitted on the categories
    assert isinstance(default, OrdinalEncoder) and default.dtype == np.int32
    for theirs, ours in zip(default.categories_, plain.categories_):
        assert sorted(theirs.tolist()) == sorted(ours.tolist())
    for mine, theirs in zip(encoded.categories_, encoded.categorical_encoder_.categories_):
        np.testing.assert_array_equal(mine, theirs)


def test_missing_values():
    X, y = categorical_data(n=150, seed=9)
    X[[3, 8], 1] = None
    with pytest.raises(ValueError, match="Categorical column 1 contains 2 missing value"):
        SMOTEN().fit_resample(X, y)
    X[y == 1, 2] = np.nan  # all of the minority is missing in column 2
    sampler = SMOTEN(missing_as_category=True, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert pd.isna(X_res[len(X) :, 2]).all()
    assert pd.isna(sampler.categories_[2][-1])
    floats = np.where(np.isin(np.arange(150), [1, 2]), np.nan, np.arange(150) % 3.0)
    with pytest.raises(ValueError, match="missing_as_category=True"):
        SMOTEN().fit_resample(floats[:, None], y)


# -------------------------------------------------------------------------- errors
def test_bad_parameters_and_inputs():
    X, y = categorical_data(n=60, seed=10)
    with pytest.raises(ValueError, match="'k_neighbors' parameter of SMOTEN must be"):
        SMOTEN(k_neighbors=-1).fit_resample(X, y)
    with pytest.raises(ValueError, match="'missing_as_category' parameter of SMOTEN must be"):
        SMOTEN(missing_as_category=1).fit_resample(X, y)
    with pytest.raises(ValueError, match="'categorical_encoder' parameter of SMOTEN must be"):
        SMOTEN(categorical_encoder=3).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"too few for k_neighbors=100"):
        SMOTEN(k_neighbors=100).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"Expected a 2-D X"):
        SMOTEN().fit_resample(X[:, 0], y)
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        SMOTEN().fit_resample(np.empty((60, 0)), y)
    with pytest.raises(ValueError, match="X and y have different lengths"):
        SMOTEN().fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="1 infinite"):
        SMOTEN().fit_resample(np.array([[1.0], [np.inf], [2.0], [1.0]]), [0, 0, 1, 1])
