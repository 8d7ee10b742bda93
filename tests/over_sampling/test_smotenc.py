"""SMOTENC: properties checked against an independent float64 reference of the distance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from smotekit import SMOTE, SMOTENC
from smotekit.neighbors import MixedDistanceNeighbors, mixed_search


# ----------------------------------------------------------------------- reference
def reference_distances(X, rows, seed, continuous, categorical):
    """Squared SMOTE-NC distances from row ``seed`` to ``rows``: direct float64 sums.

    med = median over continuous features of the population std of the class rows.
    """
    cont = np.asarray(X[np.ix_(rows, continuous)], dtype=np.float64)
    cats = np.asarray(X[np.ix_(rows, categorical)], dtype=object)
    med = np.median(np.sqrt(((cont - cont.mean(axis=0)) ** 2).mean(axis=0)))
    origin = int(np.flatnonzero(rows == seed)[0])
    mismatches = np.array([sum(a != b for a, b in zip(row, cats[origin])) for row in cats])
    return ((cont - cont[origin]) ** 2).sum(axis=1) + med**2 * mismatches, med


def check_against_reference(X, y, X_res, sampler, k, continuous, categorical):
    """Every synthetic row: voters = k nearest, segment, categorical values = modes."""
    X = np.asarray(X, dtype=object)
    X_res = np.asarray(X_res, dtype=object)
    prov = sampler.provenance_
    n = X.shape[0]
    voter_columns = [f"voter_{v}" for v in range(k)]
    assert list(prov.columns) == ["label", "seed", "neighbor", "gap", *voter_columns]
    for i, row in enumerate(prov.itertuples(index=False)):
        rows = np.flatnonzero(y == row.label)
        d2, med = reference_distances(X, rows, row.seed, continuous, categorical)
        assert sampler.median_std_[row.label] == pytest.approx(med, rel=1e-9)
        voters = np.array([getattr(row, c) for c in voter_columns])
        assert set(voters) <= set(rows) and row.seed not in voters
        assert len(set(voters)) == k
        others = np.sort(np.delete(d2, np.flatnonzero(rows == row.seed)))
        position = {r: j for j, r in enumerate(rows)}
        mine = np.sort(d2[[position[v] for v in voters]])
        np.testing.assert_allclose(mine, others[:k], rtol=1e-9, atol=1e-12)
        assert row.neighbor in voters
        assert 0.0 <= row.gap < 1.0
        start = X[row.seed, continuous].astype(float)
        end = X[row.neighbor, continuous].astype(float)
        expected = start + row.gap * (end - start)
        np.testing.assert_allclose(X_res[n + i, continuous].astype(float), expected, rtol=1e-6)
        for j in categorical:
            values = list(X[voters, j])
            counts = {v: values.count(v) for v in values}
            assert counts.get(X_res[n + i, j], 0) == max(counts.values())
        assert y[row.seed] == row.label


def mixed_data(n=240, n_levels=(3, 4, 2), minority=0.25, seed=0, n_classes=2):
    rng = np.random.default_rng(seed)
    cont = rng.normal(size=(n, 3)) * np.array([1.0, 3.0, 0.5])
    cats = np.column_stack([rng.integers(0, L, n) for L in n_levels]).astype(float)
    X = np.column_stack([cont[:, :2], cats[:, :1], cont[:, 2:], cats[:, 1:]])
    if n_classes == 2:
        y = (rng.random(n) < minority).astype(int)
    else:
        y = rng.choice(n_classes, size=n, p=[0.6, 0.25, 0.15])
    categorical = [2, *range(4, 4 + len(n_levels) - 1)]
    continuous = [0, 1, 3]
    return X, y, continuous, categorical


# ----------------------------------------------------------------------- algorithm
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("k", [1, 5])
def test_rows_match_reference(n_classes, k):
    X, y, continuous, categorical = mixed_data(n_classes=n_classes)
    sampler = SMOTENC(categorical_features=categorical, k_neighbors=k, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert np.all(np.bincount(y_res) == np.bincount(y).max())
    check_against_reference(X, y, X_res, sampler, k, continuous, categorical)


def test_many_levels_use_the_blocked_search_with_the_same_distance():
    rng = np.random.default_rng(3)
    n = 300
    X = np.column_stack([rng.normal(size=(n, 2)), rng.integers(0, 90, n), rng.integers(0, 3, n)])
    y = (rng.random(n) < 0.5).astype(int)
    sampler = SMOTENC(categorical_features=[2, 3], random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    check_against_reference(X, y, X_res, sampler, 5, [0, 1], [2, 3])


def test_embedded_and_blocked_searches_agree():
    rng = np.random.default_rng(4)
    cont = rng.normal(size=(400, 3))
    codes = rng.integers(0, 4, size=(400, 3))
    for med in (0.0, 0.7):
        embedded = mixed_search(cont, codes, med, 6).indices
        blocked = MixedDistanceNeighbors(med).fit(cont, codes).kneighbors(None, 6)[1]
        np.testing.assert_array_equal(embedded, blocked)


def test_continuous_part_follows_smote_streams():
    """Same seeds, neighbours and gaps as SMOTE when the categories carry no distance."""
    rng = np.random.default_rng(5)
    X = np.column_stack([rng.normal(size=(200, 3)), np.zeros(200)])
    y = (rng.random(200) < 0.3).astype(int)
    X_nc, _ = SMOTENC(categorical_features=[3], random_state=7).fit_resample(X, y)
    X_sm, _ = SMOTE(random_state=7, neighbors="exact").fit_resample(X[:, :3], y)
    np.testing.assert_allclose(X_nc[:, :3], X_sm)
    assert np.all(X_nc[:, 3] == 0)


def test_ties_between_categories_are_broken_uniformly():
    # Minority: 40 groups of 3 points, categories 0, 1, 2 in each group; two constant
    # continuous features make med = 0, so each seed's 2 neighbours are the two other
    # points of its group, of two different categories: a tie every time.
    position = np.repeat(np.arange(40.0), 3) * 10 + np.tile([0.0, 0.1, 0.2], 40)
    minority = np.column_stack([position, np.zeros(120), np.zeros(120), np.tile([0, 1, 2], 40)])
    majority = np.column_stack([np.random.default_rng(0).normal(size=(800, 3)), np.zeros(800)])
    X = np.vstack([minority, majority])
    y = np.concatenate([np.ones(120, dtype=int), np.zeros(800, dtype=int)])
    sampler = SMOTENC(categorical_features=[3], k_neighbors=2, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert sampler.median_std_[1] == 0.0
    values = X_res[len(X) :, 3]
    voter_values = np.column_stack([X[prov.voter_0, 3], X[prov.voter_1, 3]])
    tied = voter_values[:, 0] != voter_values[:, 1]
    assert tied.all()
    picked_first = values == voter_values[:, 0]
    assert np.all(picked_first | (values == voter_values[:, 1]))
    assert 0.4 < picked_first.mean() < 0.6


def test_same_seed_same_output_for_any_n_jobs():
    X, y, _, categorical = mixed_data(seed=2)
    a = SMOTENC(categorical_features=categorical, random_state=3, n_jobs=1).fit_resample(X, y)
    b = SMOTENC(categorical_features=categorical, random_state=3, n_jobs=2).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    c = SMOTENC(categorical_features=categorical, random_state=4).fit_resample(X, y)
    assert not np.array_equal(a[0], c[0])


def test_zero_median_std_still_votes():
    rng = np.random.default_rng(6)
    X = np.column_stack([np.ones(60), rng.integers(0, 3, 60)]).astype(float)
    X[:40, 0] = rng.normal(size=40)
    y = np.array([0] * 40 + [1] * 20)
    sampler = SMOTENC(categorical_features=[1], random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.median_std_[1] == 0.0
    assert np.all(X_res[60:, 0] == 1.0)
    check_against_reference(X, y, X_res, sampler, 5, [0], [1])


# ---------------------------------------------------------------------- containers
def frame_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "colour": pd.Categorical(
                rng.choice(["red", "green"], n), categories=["red", "green", "blue"]
            ),
            "count": rng.integers(0, 50, n),
            "shape": pd.Series(rng.choice(["circle", "square", "star"], n), dtype=object),
            "flag": rng.random(n) < 0.3,
            "name": pd.array(rng.choice(["ann", "bob"], n), dtype="string"),
            "z": rng.normal(size=n).astype(np.float32),
        }
    )
    y = pd.Series((rng.random(n) < 0.2).astype(int), name="target")
    return frame, y


def test_pandas_round_trip_keeps_dtypes_and_categories():
    frame, y = frame_data()
    sampler = SMOTENC(categorical_features="auto", random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y)
    assert list(sampler.categorical_features_) == [1, 3, 4, 5]
    assert list(sampler.continuous_features_) == [0, 2, 6]
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(frame.columns)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    assert list(X_res["colour"].cat.categories) == ["red", "green", "blue"]
    pd.testing.assert_frame_equal(X_res.iloc[: len(frame)], frame)
    new = X_res.iloc[len(frame) :]
    assert "blue" not in set(new["colour"])  # a category never seen is never produced
    for column in ("colour", "shape", "flag", "name"):
        minority_values = set(frame.loc[y.to_numpy() == 1, column])
        assert set(new[column]) <= minority_values
    assert y_res.name == "target"


def test_feature_selectors_agree():
    frame, y = frame_data(seed=1)
    expected, _ = SMOTENC(categorical_features=[1, 3, 4, 5], random_state=0).fit_resample(frame, y)
    for spec in (
        "auto",
        ["colour", "shape", "flag", "name"],
        [-6, -4, -3, -2],
        [False, True, False, True, True, True, False],
        np.array([5, 4, 3, 1]),
    ):
        got, _ = SMOTENC(categorical_features=spec, random_state=0).fit_resample(frame, y)
        pd.testing.assert_frame_equal(got, expected)


def test_numpy_object_list_and_sparse_containers():
    rng = np.random.default_rng(8)
    X = np.empty((120, 3), dtype=object)
    X[:, 0] = rng.normal(size=120)
    X[:, 1] = rng.choice(["a", "b", "c"], 120)
    X[:, 2] = rng.normal(size=120)
    y = np.array([0] * 90 + [1] * 30)
    X_res, _ = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    assert X_res.dtype == object and X_res.shape == (180, 3)
    assert set(X_res[120:, 1]) <= set(X[90:, 1])
    as_list, _ = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X.tolist(), y)
    assert isinstance(as_list, list) and as_list == X_res.tolist()

    numeric, y2, _, categorical = mixed_data()
    dense, _ = SMOTENC(categorical_features=categorical, random_state=0).fit_resample(numeric, y2)
    csc, _ = SMOTENC(categorical_features=categorical, random_state=0).fit_resample(
        sparse.csc_matrix(numeric), y2
    )
    assert sparse.issparse(csc) and csc.format == "csc"
    np.testing.assert_allclose(csc.toarray(), dense)
    as32, _ = SMOTENC(categorical_features=categorical, random_state=0).fit_resample(
        numeric.astype(np.float32), y2
    )
    assert as32.dtype == np.float32


def test_categorical_encoder_fixes_the_categories():
    frame, y = frame_data(seed=2)
    frame = frame[["x", "shape", "flag", "z"]]  # a bool column may also be continuous
    base = SMOTENC(categorical_features=[1], random_state=0)
    with_encoder = SMOTENC(
        categorical_features=[1],
        categorical_encoder=OneHotEncoder(handle_unknown="ignore"),
        random_state=0,
    )
    a, _ = base.fit_resample(frame, y)
    b, _ = with_encoder.fit_resample(frame, y)
    pd.testing.assert_frame_equal(a, b)
    default = base.categorical_encoder_  # imbalanced-learn's default, fitted on the categories
    assert isinstance(default, OneHotEncoder) and default.handle_unknown == "ignore"
    assert default.sparse_output is True
    for theirs, ours in zip(default.categories_, base.categories_):
        assert sorted(theirs.tolist()) == sorted(ours.tolist())
    assert list(with_encoder.categorical_encoder_.categories_[0]) == ["circle", "square", "star"]
    assert list(with_encoder.categories_[0]) == ["circle", "square", "star"]
    narrow = SMOTENC(
        categorical_features=[1],
        categorical_encoder=OneHotEncoder(categories=[["circle"]], handle_unknown="ignore"),
    )
    with pytest.raises(ValueError, match="not among the categories of the categorical_encoder"):
        narrow.fit_resample(frame, y)


def test_missing_as_category():
    frame, y = frame_data(seed=3)
    frame["shape"] = frame["shape"].astype(object)
    frame.loc[[0, 5, 7], "shape"] = None
    frame.loc[[1, 2], "colour"] = np.nan
    with pytest.raises(ValueError, match="Categorical column 'colour' contains 2 missing value"):
        SMOTENC(categorical_features="auto").fit_resample(frame, y)
    with pytest.raises(ValueError, match="pass missing_as_category=True"):
        SMOTENC(categorical_features=[3]).fit_resample(frame, y)
    minority = np.flatnonzero(y.to_numpy() == 1)
    frame.loc[minority, "colour"] = np.nan  # every minority row: the vote must give missing
    sampler = SMOTENC(categorical_features="auto", missing_as_category=True, random_state=0)
    X_res, _ = sampler.fit_resample(frame, y)
    assert X_res["colour"].iloc[len(frame) :].isna().all()
    assert list(X_res["colour"].cat.categories) == ["red", "green", "blue"]
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()


# -------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "spec, match",
    [
        ([], "selects none of the 6; use SMOTE"),
        ([0, 1, 2, 3, 4, 5], r"all 6 feature\(s\) are categorical; use SMOTEN"),
        ([1, 6], r"index\(es\) 6 out of range: all features must be in \[0, 5\].*6 features"),
        ([1, -7], "out of range"),
        ([2, 2, 4], r"lists feature\(s\) 2 more than once"),
        ([2, -4], r"lists feature\(s\) 2 more than once"),
        (["a"], "needs a pandas DataFrame; got ndarray. Pass indices instead"),
        ([True, False], "boolean mask must have one entry per feature"),
        ("auto", r"should be a pandas.DataFrame.*categorical_features='auto'\) needs a pandas"),
        ([1.5], "must be 'auto', or a list of column indices"),
    ],
)
def test_bad_categorical_features(spec, match):
    X, y, _, _ = mixed_data()
    with pytest.raises(ValueError, match=match):
        SMOTENC(categorical_features=spec).fit_resample(X, y)


def test_bad_inputs():
    frame, y = frame_data()
    with pytest.raises(ValueError, match=r"names column\(s\) 'size' that X does not have"):
        SMOTENC(categorical_features=["colour", "size"]).fit_resample(frame, y)
    with pytest.raises(ValueError, match="Column 'shape' .* is not numeric"):
        SMOTENC(categorical_features=["colour"]).fit_resample(frame.drop(columns="name"), y)
    X, y2, _, categorical = mixed_data()
    X[3, 0] = np.nan
    with pytest.raises(ValueError, match="Continuous column 0 contains 1 NaN"):
        SMOTENC(categorical_features=categorical).fit_resample(X, y2)
    X, y2, _, categorical = mixed_data()
    X[3, 2] = np.inf
    with pytest.raises(ValueError, match="Categorical column 2 contains 1 infinite"):
        SMOTENC(categorical_features=categorical).fit_resample(X, y2)
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="Categorical column 2 contains 1 missing"):
        SMOTENC(categorical_features=categorical).fit_resample(X, y2)
    objects = np.array([[0.5, "a"], [0.1, {"b": 1}]] * 5, dtype=object)
    with pytest.raises(TypeError, match="argument must be a string or a number"):
        SMOTENC(categorical_features=[1]).fit_resample(objects, [0, 1] * 5)
    with pytest.raises(ValueError, match="Complex data not supported"):
        SMOTENC(categorical_features=[1]).fit_resample(np.ones((4, 2)) * 1j, [0, 1, 0, 1])


def test_bad_parameters_and_small_classes():
    X, y, _, categorical = mixed_data()
    with pytest.raises(ValueError, match="'missing_as_category' parameter of SMOTENC must be"):
        SMOTENC(categorical_features=categorical, missing_as_category="yes").fit_resample(X, y)
    with pytest.raises(ValueError, match="'categorical_encoder' parameter of SMOTENC must be"):
        SMOTENC(categorical_features=categorical, categorical_encoder="onehot").fit_resample(X, y)
    with pytest.raises(ValueError, match="must have a categories_ attribute"):
        SMOTENC(
            categorical_features=categorical, categorical_encoder=StandardScaler()
        ).fit_resample(X, y)
    with pytest.raises(ValueError, match="'k_neighbors' parameter of SMOTENC must be"):
        SMOTENC(categorical_features=categorical, k_neighbors=0).fit_resample(X, y)
    y_small = np.zeros(len(y), dtype=int)
    y_small[:3] = 1
    with pytest.raises(ValueError, match=r"Class 1 has 3 row\(s\), too few for k_neighbors=5"):
        SMOTENC(categorical_features=categorical).fit_resample(X, y_small)
