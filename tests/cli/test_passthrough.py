"""Columns carried through untouched (IDs, keys) and the synthetic-row flag: API and CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smotekit import (
    SMOTE,
    SMOTEENN,
    SMOTENC,
    ClusterCentroids,
    EditedNearestNeighbours,
    RandomOverSampler,
    RandomUnderSampler,
    SMOTETomek,
    TomekLinks,
    resample_with_passthrough,
)
from smotekit.cli import main

FEATURES = ["a", "b", "c"]
KEPT = ["id", "key", "group", "active"]


def mixed_table(n: int = 240, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Features a, b, c between passthrough columns of four dtypes; unique ids."""
    rng = np.random.default_rng(seed)
    y = pd.Series((rng.random(n) < 0.2).astype(int), name="label")
    X = pd.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64) * 3 + 1000,
            "a": rng.normal(size=n) + y,
            "key": [f"k{i:04d}" for i in range(n)],
            "b": rng.normal(size=n) - y,
            "group": pd.Categorical(rng.choice(["x", "y"], n), categories=["x", "y", "z"]),
            "c": rng.normal(size=n),
            "active": rng.random(n) < 0.5,
        }
    )
    return X, y


def by_id(X: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """The rows of X with these ids, in this order."""
    return X.set_index("id").loc[ids.to_numpy()].reset_index()


def test_synthetic_rows_take_their_seed_rows_values_and_originals_are_untouched():
    X, y = mixed_table()
    sampler = SMOTE(random_state=0)
    X_res, y_res = resample_with_passthrough(sampler, X, y, KEPT, flag_synthetic="synthetic")
    n = len(X)
    assert list(X_res.columns) == [*X.columns, "synthetic"]
    assert X_res.drop(columns="synthetic").dtypes.to_dict() == X.dtypes.to_dict()
    assert X_res["synthetic"].dtype == bool
    pd.testing.assert_frame_equal(X_res.iloc[:n, :-1], X)
    seeds = sampler.provenance_["seed"].to_numpy()
    new = X_res.iloc[n:].reset_index(drop=True)
    assert len(new) == len(seeds) > 0
    pd.testing.assert_frame_equal(new[KEPT], X.iloc[seeds][KEPT].reset_index(drop=True))
    assert list(X_res["synthetic"]) == [False] * n + [True] * len(seeds)
    # The sampler saw only the features: the same rows as SMOTE on the features alone.
    alone, y_alone = SMOTE(random_state=0).fit_resample(X[FEATURES], y)
    pd.testing.assert_frame_equal(X_res[FEATURES], alone)
    pd.testing.assert_series_equal(y_res, y_alone)


def test_fill_missing_uses_dtypes_that_hold_a_missing_value():
    X, y = mixed_table()
    sampler = SMOTE(random_state=1)
    X_res, _ = resample_with_passthrough(sampler, X, y, KEPT, fill="missing")
    n = len(X)
    assert str(X_res["id"].dtype) == "Int64"
    assert str(X_res["active"].dtype) == "boolean"
    assert list(X_res["group"].cat.categories) == ["x", "y", "z"]
    assert X_res.iloc[n:][KEPT].isna().all().all()
    for column in KEPT:
        assert not X_res[column].iloc[:n].isna().any()
        assert (X_res[column].iloc[:n].astype(object) == X[column].astype(object)).all()
    small = pd.DataFrame({"u": np.arange(len(X), dtype=np.uint16), "a": X["a"]})
    out, _ = resample_with_passthrough(SMOTE(random_state=1), small, y, "u", fill="missing")
    assert str(out["u"].dtype) == "UInt16"


def test_random_over_sampler_copies_carry_the_copied_rows_values():
    X, y = mixed_table(seed=2)
    X_res, _ = resample_with_passthrough(
        RandomOverSampler(random_state=0), X, y, ["id", "key"], flag_synthetic="copy"
    )
    copies = X_res[X_res["copy"]]
    assert len(copies) == int((y == 0).sum() - (y == 1).sum())
    source = by_id(X, copies["id"])
    pd.testing.assert_frame_equal(
        copies[["key", *FEATURES]].reset_index(drop=True), source[["key", *FEATURES]]
    )


@pytest.mark.parametrize(
    "sampler",
    [RandomUnderSampler(random_state=0), TomekLinks(), EditedNearestNeighbours()],
    ids=lambda s: type(s).__name__,
)
def test_kept_rows_keep_their_own_values(sampler):
    X, y = mixed_table(seed=3)
    X_res, y_res = resample_with_passthrough(sampler, X, y, KEPT, flag_synthetic="synthetic")
    assert len(X_res) < len(X)
    assert not X_res["synthetic"].any()
    expected = X.iloc[sampler.sample_indices_].reset_index(drop=True)
    pd.testing.assert_frame_equal(X_res.drop(columns="synthetic"), expected)
    assert (y_res.to_numpy() == y.to_numpy()[sampler.sample_indices_]).all()


@pytest.mark.parametrize(
    "sampler",
    [SMOTEENN(random_state=0), SMOTETomek(random_state=0)],
    ids=lambda s: type(s).__name__,
)
def test_combined_samplers_are_traced_exactly(sampler):
    X, y = mixed_table(seed=4)
    X_res, _ = resample_with_passthrough(sampler, X, y, KEPT, flag_synthetic="synthetic")
    provenance = sampler.provenance_
    synthetic = X_res["synthetic"].to_numpy()
    assert list(np.flatnonzero(synthetic)) == list(provenance["output_row"])
    originals = X_res[~synthetic].drop(columns="synthetic").reset_index(drop=True)
    # every original row is the row of X with its id, features and all
    pd.testing.assert_frame_equal(originals, by_id(X, originals["id"])[list(X.columns)])
    new = X_res[synthetic].reset_index(drop=True)
    seeds = provenance["seed"].to_numpy()
    pd.testing.assert_frame_equal(new[KEPT], X.iloc[seeds][KEPT].reset_index(drop=True))
    assert X_res.drop(columns="synthetic").dtypes.to_dict() == X.dtypes.to_dict()


def test_smotenc_on_the_rest_of_a_mixed_table():
    X, y = mixed_table(seed=5)
    sampler = SMOTENC(categorical_features=["group"], random_state=0)
    X_res, _ = resample_with_passthrough(sampler, X, y, ["id", "key", "active"])
    seeds = sampler.provenance_["seed"].to_numpy()
    new = X_res.iloc[len(X) :]
    assert (new["id"].to_numpy() == X["id"].to_numpy()[seeds]).all()
    assert X_res["group"].dtype == X["group"].dtype


def test_untraceable_samplers_and_bad_requests_raise_clear_errors():
    X, y = mixed_table(seed=6)
    with pytest.raises(TypeError, match="ClusterCentroids replaces the rows"):
        resample_with_passthrough(ClusterCentroids(random_state=0), X, y, KEPT)
    imblearn = pytest.importorskip("imblearn.over_sampling")
    with pytest.raises(TypeError, match="neither provenance_"):
        resample_with_passthrough(imblearn.SMOTE(random_state=0), X, y, KEPT)
    with pytest.raises(TypeError, match="neither provenance_"):
        resample_with_passthrough(SMOTEENN(smote=imblearn.SMOTE(random_state=0)), X, y, KEPT)
    with pytest.raises(ValueError, match=r"column\(s\) 'nope' that X does not have"):
        resample_with_passthrough(SMOTE(), X, y, ["id", "nope"])
    with pytest.raises(ValueError, match="'label', the target y"):
        resample_with_passthrough(SMOTE(), X, y, "label")
    with pytest.raises(ValueError, match="every column of X"):
        resample_with_passthrough(SMOTE(), X, y, list(X.columns))
    with pytest.raises(ValueError, match="flag_synthetic='a' is already a column"):
        resample_with_passthrough(SMOTE(), X, y, "id", flag_synthetic="a")
    with pytest.raises(ValueError, match="fill must be 'seed' or 'missing'"):
        resample_with_passthrough(SMOTE(), X, y, "id", fill="zero")
    with pytest.raises(TypeError, match="pandas or polars DataFrame"):
        resample_with_passthrough(SMOTE(), X[FEATURES].to_numpy(), y, 0)


def test_imblearn_samplers_with_sample_indices_work():
    imblearn = pytest.importorskip("imblearn.under_sampling")
    X, y = mixed_table(seed=7)
    sampler = imblearn.RandomUnderSampler(random_state=0)
    X_res, _ = resample_with_passthrough(sampler, X, y, "id")
    expected = X.iloc[sampler.sample_indices_].reset_index(drop=True)
    pd.testing.assert_frame_equal(X_res.reset_index(drop=True), expected)


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    X, y = mixed_table(seed=8)
    X = X.drop(columns=["group"])
    X_res, _ = resample_with_passthrough(
        SMOTE(random_state=0), pl.from_pandas(X), y, ["id", "key"], flag_synthetic="new"
    )
    assert isinstance(X_res, pl.DataFrame)
    assert X_res.columns == [*X.columns, "new"]
    assert X_res["id"].dtype == pl.Int64 and X_res["new"].dtype == pl.Boolean


# ------------------------------------------------------------------------------------- CLI
@pytest.fixture
def table_csv(tmp_path):
    X, y = mixed_table(seed=9)
    frame = X.drop(columns=["group"]).assign(label=y)
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_cli_passthrough_and_flag(table_csv, tmp_path, capsys):
    path, frame = table_csv
    out = tmp_path / "out.csv"
    code = main(
        [
            "resample", str(path), "--target", "label", "-o", str(out),
            "--passthrough", "id,key,active", "--flag-synthetic", "is_synthetic",
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    result = pd.read_csv(out)
    assert list(result.columns) == [*frame.columns, "is_synthetic"]
    n = len(frame)
    pd.testing.assert_frame_equal(result.iloc[:n, :-1], frame, check_exact=False)
    new = result.iloc[n:]
    assert new["is_synthetic"].all() and not result["is_synthetic"].iloc[:n].any()
    # each synthetic id is a minority row's id, with that row's key and flag
    source = frame.set_index("id").loc[new["id"]]
    assert (source["label"] == 1).all()
    assert (source["key"].to_numpy() == new["key"].to_numpy()).all()
    assert (source["active"].to_numpy() == new["active"].to_numpy()).all()


def test_cli_passthrough_fill_missing(table_csv, tmp_path, capsys):
    path, frame = table_csv
    out = tmp_path / "out.csv"
    args = ["resample", str(path), "--target", "label", "-o", str(out), "--passthrough", "id,key"]
    assert main([*args, "--passthrough-fill", "missing"]) == 0, capsys.readouterr().err
    result = pd.read_csv(out)
    assert result[["id", "key"]].iloc[len(frame) :].isna().all().all()
    assert (result["id"].iloc[: len(frame)] == frame["id"]).all()
    assert (result["key"].iloc[: len(frame)] == frame["key"]).all()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--passthrough", "id,nope"], "--passthrough names column(s) 'nope'"),
        (["--passthrough", "label"], "--passthrough names the target column 'label'"),
        (["--passthrough", "id,a,key,b,c,active"], "every feature column"),
        (["--passthrough", ","], "--passthrough takes column names"),
        (["--flag-synthetic", "a"], "--flag-synthetic 'a' is already a column"),
        (["--flag-synthetic", "label"], "is the target column"),
        (["--passthrough-fill", "missing"], "--passthrough-fill applies only with"),
        (["--passthrough", "id", "--method", "clustercentroids"], "ClusterCentroids replaces"),
        (["--passthrough", "id", "--engine", "dask"], "applies to --engine memory only"),
    ],
)
def test_cli_passthrough_errors_name_the_flags(table_csv, tmp_path, capsys, extra, message):
    path, _ = table_csv
    out = tmp_path / "out.csv"
    code = main(["resample", str(path), "--target", "label", "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()
