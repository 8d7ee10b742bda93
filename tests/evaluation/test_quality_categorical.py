"""synthetic_quality on mixed and categorical tables: category-frequency drift."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit import SMOTEN, SMOTENC, RandomOverSampler
from smotekit.evaluation import (
    CATEGORY_DRIFT_THRESHOLD,
    CategoryDriftWarning,
    SyntheticQuality,
    synthetic_quality,
)

CATEGORY_COLUMNS = [
    "label",
    "feature",
    "tvd",
    "worst_category",
    "real_share",
    "synthetic_share",
    "n_categories_real",
    "unseen_share",
    "drift",
]
PLANS = {"basic": 160, "plus": 50, "premium": 25, "enterprise": 15}  # 250 positives


def churn(seed: int = 0, n_major: int = 3000) -> tuple[pd.DataFrame, np.ndarray]:
    """A mixed table whose 250 positives hold plan 'basic' exactly 64 % of the time."""
    rng = np.random.default_rng(seed)
    minor = rng.permutation(np.repeat(list(PLANS), list(PLANS.values())))
    major = rng.choice(list(PLANS), n_major, p=[0.4, 0.3, 0.2, 0.1])
    y = np.r_[np.zeros(n_major, int), np.ones(minor.size, int)]
    X = pd.DataFrame(rng.normal(size=(y.size, 6)) + 0.8 * y[:, None]).add_prefix("x")
    X["plan"] = np.concatenate([major, minor])
    X["active"] = rng.random(y.size) < 0.7
    X["region"] = pd.Categorical(rng.choice(["north", "south", "east"], y.size))
    return X, y


def quiet(*args, **kwargs) -> SyntheticQuality:
    """synthetic_quality without its drift warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CategoryDriftWarning)
        return synthetic_quality(*args, **kwargs)


def appended(X: pd.DataFrame, y: np.ndarray, rows: pd.DataFrame, label=1):
    """X, y followed by the given synthetic rows of one class."""
    X_res = pd.concat([X, rows], ignore_index=True).astype(X.dtypes.to_dict())
    return X_res, np.r_[y, np.full(len(rows), label)]


def independent_tvd(real: pd.Series, synthetic: pd.Series) -> tuple[float, float]:
    """Total variation and unseen share, from pandas' value counts."""
    p = real.astype(object).fillna("<missing>").value_counts(normalize=True)
    q = synthetic.astype(object).fillna("<missing>").value_counts(normalize=True)
    index = p.index.union(q.index)
    p, q = p.reindex(index, fill_value=0), q.reindex(index, fill_value=0)
    return 0.5 * float((p - q).abs().sum()), float(q[p == 0].sum())


# ------------------------------------------------------------------ known answers


def test_smotenc_votes_drift_towards_the_mode():
    X, y = churn()
    with pytest.warns(CategoryDriftWarning, match="feature 'plan'") as caught:
        quality = synthetic_quality(
            X, y, *SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
        )
    assert len(caught) == 1  # one summarizing warning
    plan = quality.categories.set_index("feature").loc["plan"]
    assert plan["real_share"] == pytest.approx(0.64)  # measured: 0.864727, tvd 0.2247
    assert plan["worst_category"] == "basic"
    assert plan["synthetic_share"] > 0.8 and plan["tvd"] > 0.1 and plan["drift"]
    assert plan["n_categories_real"] == 4 and plan["unseen_share"] == 0
    X_res, _ = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
    rare = (X_res.iloc[len(X) :]["plan"] == "enterprise").mean()
    assert rare < PLANS["enterprise"] / 250 / 2  # 6 % of the positives, under 3 % synthetic
    summary = quality.summary.iloc[0]
    assert summary["max_tvd"] == plan["tvd"] and summary["drift_features"] >= 1
    assert any("feature 'plan'" in s and "'basic'" in s for s in quality.drift_warnings())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_copies_stay_within_sampling_noise(seed):
    X, y = churn(seed)
    quality = synthetic_quality(X, y, *RandomOverSampler(random_state=seed).fit_resample(X, y))
    m = int(quality.summary["n_synthetic"].iloc[0])
    for row in quality.categories.itertuples():
        shares = X.loc[y == 1, row.feature].value_counts(normalize=True).to_numpy()
        # Copies drawn with replacement: each share within 4 standard errors of the real one.
        bound = 0.5 * float(np.sum(4 * np.sqrt(shares * (1 - shares) / m)))
        assert 0 <= row.tvd <= bound
        assert row.unseen_share == 0 and not row.drift
    assert (quality.summary["drift_features"] == 0).all()


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(1, 40), min_size=3, max_size=6),
    chosen=st.integers(0, 5),
    n_synthetic=st.integers(1, 30),
)
def test_synthetic_rows_of_one_category_have_the_analytic_tvd(counts, chosen, n_synthetic):
    chosen %= len(counts)
    levels = [f"c{i}" for i in range(len(counts))]
    real = np.repeat(levels, counts)
    X = pd.DataFrame({"f": np.r_[real, ["c0"] * 5]})
    y = np.r_[np.ones(real.size, int), np.zeros(5, int)]
    rows = pd.DataFrame({"f": [levels[chosen]] * n_synthetic})
    quality = quiet(X, y, *appended(X, y, rows))
    row = quality.categories.iloc[0]
    p = counts[chosen] / sum(counts)
    assert row["tvd"] == pytest.approx(1 - p)  # 0.5 * ((1 - p) + sum of the others)
    assert row["synthetic_share"] == 1.0 and row["real_share"] == pytest.approx(p)
    gaps = {lvl: c / sum(counts) for lvl, c in zip(levels, counts)}
    gaps[levels[chosen]] = 1 - p
    assert gaps[row["worst_category"]] == pytest.approx(max(gaps.values()))
    assert row["n_categories_real"] == len(counts) and row["unseen_share"] == 0


_values = st.sampled_from(["a", "b", "c", "d", None])


@settings(max_examples=40, deadline=None)
@given(real=st.lists(_values, min_size=1, max_size=30), synthetic=st.lists(_values, min_size=1))
def test_tvd_matches_an_independent_computation(real, synthetic):
    X = pd.DataFrame({"f": pd.Series([*real, "a"], dtype=object), "x": 0.0})
    y = np.r_[np.ones(len(real), int), 0]
    rows = pd.DataFrame({"f": pd.Series(synthetic, dtype=object), "x": 0.0})
    quality = quiet(X, y, *appended(X, y, rows))
    row = quality.categories.iloc[0]
    tvd, unseen = independent_tvd(pd.Series(real), pd.Series(synthetic))
    assert 0 <= row["tvd"] <= 1
    assert row["tvd"] == pytest.approx(tvd)
    assert row["unseen_share"] == pytest.approx(unseen)
    assert row["n_categories_real"] == len(set(real))
    assert row["drift"] == (row["tvd"] > CATEGORY_DRIFT_THRESHOLD)


def test_categories_unseen_in_the_class_are_counted():
    X = pd.DataFrame({"f": ["a", "b"] * 10 + ["c"] * 10})
    y = np.r_[np.ones(20, int), np.zeros(10, int)]
    rows = pd.DataFrame({"f": ["a", "c", "c", "b"]})  # 'c' only among class 0's real rows
    row = quiet(X, y, *appended(X, y, rows)).categories.iloc[0]
    assert row["unseen_share"] == 0.5 and row["n_categories_real"] == 2
    assert row["worst_category"] == "c" and row["tvd"] == pytest.approx(0.5)


def test_missing_values_are_a_category_of_their_own():
    X = pd.DataFrame({"f": ["a", "a", None, np.nan, "b"] * 4, "x": np.arange(20.0)})
    y = np.r_[np.ones(15, int), np.zeros(5, int)]  # class 1: 'a' 6, missing 6, 'b' 3
    rows = pd.DataFrame({"f": [None] * 4, "x": [0.5] * 4})
    quality = quiet(X, y, *appended(X, y, rows))
    row = quality.categories.iloc[0]
    assert row["n_categories_real"] == 3  # 'a', 'b' and missing (None and NaN alike)
    assert row["worst_category"] is None and row["real_share"] == pytest.approx(0.4)
    assert row["tvd"] == pytest.approx(0.6)
    assert "missing values 100.0% of the time" in quality.drift_warnings()[0]


@pytest.mark.parametrize("threshold", [0.0, 0.05, 0.2, 0.5, 1.0])
def test_drift_flags_follow_the_threshold(threshold):
    X, y = churn()
    X_res, y_res = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
    quality = quiet(X, y, X_res, y_res, drift_threshold=threshold)
    categories = quality.categories
    assert quality.drift_threshold == threshold
    assert (categories["drift"] == (categories["tvd"] > threshold)).all()
    assert quality.summary["drift_features"].iloc[0] == categories["drift"].sum()
    assert quality.summary["max_tvd"].iloc[0] == categories["tvd"].max()
    sentences = quality.drift_warnings()
    assert len(sentences) == categories["drift"].sum()
    assert all(f"> {threshold:.2f})" in s for s in sentences)
    tvds = [float(s.rsplit("total variation ", 1)[1].split()[0]) for s in sentences]
    assert tvds == sorted(tvds, reverse=True)  # worst first


def test_no_warning_without_drift_and_default_threshold():
    X, y = churn()
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quality = synthetic_quality(X, y, X_res, y_res)
    assert quality.drift_threshold == CATEGORY_DRIFT_THRESHOLD == 0.1
    assert quality.drift_warnings() == []


# ------------------------------------------------------------------ input forms


def test_mixed_dataframe_string_bool_category_float():
    X, y = churn()
    X["plan"] = X["plan"].astype("string")
    X.loc[X.index[::50], "plan"] = pd.NA
    X_res, y_res = SMOTENC(
        categorical_features="auto", missing_as_category=True, random_state=0
    ).fit_resample(X, y)
    quality = quiet(X, y, X_res, y_res)
    assert list(quality.categories.columns) == CATEGORY_COLUMNS
    assert list(quality.categories["feature"]) == ["plan", "active", "region"]
    assert set(quality.features["feature"]) == {f"x{i}" for i in range(6)}
    assert np.isfinite(quality.rows["distance"]).all()
    assert set(quality.summary.columns) >= {"max_tvd", "drift_features", "worst_feature"}
    assert quality.summary["worst_feature"].iloc[0].startswith("x")
    for row in quality.categories.itertuples():
        real = X.loc[y == 1, row.feature].astype(object)
        synthetic = X_res.iloc[len(X) :][row.feature].astype(object)
        assert row.tvd == pytest.approx(independent_tvd(real, synthetic)[0])


def test_numpy_object_array_with_declared_features_matches_the_dataframe():
    X, y = churn()
    X_res, y_res = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
    frame = quiet(X, y, X_res, y_res)
    objects = X.to_numpy(dtype=object), X_res.to_numpy(dtype=object)
    n = X.shape[1]
    for spec in ([6, 7, 8], [-3, -2, -1], [j >= 6 for j in range(n)]):
        array = quiet(objects[0], y, objects[1], y_res, categorical_features=spec)
        expected = frame.categories.assign(feature=["x6", "x7", "x8"])
        pd.testing.assert_frame_equal(array.categories, expected)
        assert np.allclose(array.rows["distance"], frame.rows["distance"])
    by_name = quiet(X, y, X_res, y_res, categorical_features=["plan", "active", "region"])
    pd.testing.assert_frame_equal(by_name.categories, frame.categories)


def test_integer_coded_categories_declared_by_index():
    X, y = churn()
    codes = np.column_stack(
        [X[["x0", "x1"]].to_numpy(), X["plan"].map({p: i for i, p in enumerate(PLANS)})]
    )
    X_res, y_res = SMOTENC(categorical_features=[2], random_state=0).fit_resample(codes, y)
    quality = quiet(codes, y, X_res, y_res, categorical_features=[2])
    row = quality.categories.iloc[0]
    assert row["feature"] == "x2" and row["worst_category"] == 0  # code of 'basic'
    assert row["real_share"] == pytest.approx(0.64)
    assert list(quality.features["feature"]) == ["x0", "x1"]
    numeric = quiet(codes, y, X_res, y_res)  # undeclared: measured as a number
    assert numeric.categories.empty and len(numeric.features) == 3


def test_all_categorical_table_has_no_distances():
    X, y = churn()
    X = X[["plan", "active", "region"]]
    X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    quality = quiet(X, y, X_res, y_res)
    assert len(quality.categories) == 3
    rows, summary = quality.rows, quality.summary.iloc[0]
    assert len(rows) == len(X_res) - len(X)
    assert rows["distance"].isna().all() and rows["overlap"].isna().all()
    assert rows["nearest"].isna().all() and rows["near_copy"].isna().all()
    assert quality.features.empty and summary["worst_feature"] is None
    assert np.isnan(summary["overlap_share"]) and np.isnan(summary["mean_ks"])
    assert summary["n_real"] == 250 and summary["n_synthetic"] == len(rows)
    assert summary["max_tvd"] == quality.categories["tvd"].max()


def test_numeric_tables_have_an_empty_categories_table():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=60), "flag": rng.random(60) < 0.5})
    y = np.r_[np.zeros(50, int), np.ones(10, int)]
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    numeric = synthetic_quality(X[["a"]], y, X_res[["a"]], y_res)
    assert list(numeric.categories.columns) == CATEGORY_COLUMNS and numeric.categories.empty
    assert np.isnan(numeric.summary["max_tvd"].iloc[0])
    assert numeric.summary["drift_features"].iloc[0] == 0
    # bool columns are categorical by default, numeric when categorical_features leaves them out
    assert list(synthetic_quality(X, y, X_res, y_res).categories["feature"]) == ["flag"]
    as_number = synthetic_quality(X, y, X_res, y_res, categorical_features=[])
    assert as_number.categories.empty and set(as_number.features["feature"]) == {"a", "flag"}
    old_style = SyntheticQuality(numeric.rows, numeric.features, numeric.summary, 0.05)
    assert old_style.categories.empty and old_style.drift_warnings() == []


def test_provenance_is_attached_but_cannot_rebuild_categories():
    X, y = churn()
    sampler = SMOTENC(categorical_features="auto", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    quality = quiet(X, y, X_res, y_res, provenance=sampler.provenance_)
    assert {"seed", "neighbor", "gap"} <= set(quality.rows.columns)
    with pytest.raises(ValueError, match=r"categorical feature\(s\) \['plan'.*pass the resampled"):
        synthetic_quality(X, y, provenance=sampler.provenance_)


def test_polars_tables_are_read_as_pandas():
    pl = pytest.importorskip("polars")
    X, y = churn()
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    quality = synthetic_quality(pl.from_pandas(X), y, pl.from_pandas(X_res), y_res)
    pd.testing.assert_frame_equal(
        quality.categories, synthetic_quality(X, y, X_res, y_res).categories
    )


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (["plna"], r"names column\(s\) 'plna' that X does not have"),
        ([99], r"index\(es\) 99 out of range"),
        ([6, 6], "more than once"),
        ([True, False], "one entry per feature"),
        (3.5, "must be 'auto', or a list"),
    ],
)
def test_bad_categorical_features_are_named(spec, match):
    X, y = churn()
    with pytest.raises(ValueError, match=match):
        synthetic_quality(X, y, X, y, categorical_features=spec)


def test_bad_arguments_on_arrays():
    X, y = churn()
    objects = X.to_numpy(dtype=object)
    with pytest.raises(ValueError, match=r"names columns \('plan'\), which needs a pandas"):
        synthetic_quality(objects, y, objects, y, categorical_features=["plan"])
    with pytest.raises(TypeError, match=r"non-numeric values in column\(s\) \['x6'\]"):
        synthetic_quality(objects, y, objects, y, categorical_features=[7, 8])
    with pytest.raises(TypeError, match="declare the categorical columns"):
        synthetic_quality(objects, y, objects, y)
    with pytest.raises(ValueError, match=r"drift_threshold must be a number in \[0, 1\]"):
        synthetic_quality(X, y, X, y, drift_threshold=1.5)


def test_resampled_rows_must_start_with_the_categories_of_X():
    X, y = churn()
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    X_res.loc[0, "plan"] = "premium" if X_res.loc[0, "plan"] != "premium" else "basic"
    with pytest.raises(ValueError, match="do not start with the rows of X"):
        synthetic_quality(X, y, X_res, y_res)
    with pytest.raises(ValueError, match="X_res has 8 features but X has 9"):
        synthetic_quality(X, y, X_res.drop(columns="region"), y_res)


# ------------------------------------------------------------------ the figure


def test_plot_quality_adds_a_drift_panel():
    pytest.importorskip("matplotlib")
    from smotekit.evaluation import plot_quality

    X, y = churn()
    results = {
        "smotenc": quiet(
            X, y, *SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
        ),
        "random": quiet(X, y, *RandomOverSampler(random_state=0).fit_resample(X, y)),
    }
    fig = plot_quality(results)
    assert len(fig.axes) == 4
    drift_ax = fig.axes[3]
    assert drift_ax.get_ylabel() == "total variation distance"
    assert "dashed line: drift" in drift_ax.get_title()
    legend = [t.get_text() for t in drift_ax.get_legend().get_texts()]
    assert legend == ["drift threshold (0.10)", "smotenc", "random"]
    dashed = [line for line in drift_ax.get_lines() if line.get_linestyle() == "--"]
    assert [line.get_ydata()[0] for line in dashed] == [0.1]
    heights = sorted(p.get_height() for p in drift_ax.patches)
    expected = pd.concat([q.categories["tvd"] for q in results.values()])
    assert np.allclose(heights, sorted(expected))
    only_categories = X[["plan", "active", "region"]]
    smoten = quiet(only_categories, y, *SMOTEN(random_state=0).fit_resample(only_categories, y))
    texts = [t.get_text() for t in plot_quality(smoten).axes[2].texts]
    assert texts == ["no numeric features"]
