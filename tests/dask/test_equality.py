"""The Dask engine's output equals the in-memory sampler's, row for row.

``dask.compute(*skd.fit_resample(s, X, y))`` must equal
``s.fit_resample(X.compute(), y.compute())`` for every supported sampler, any
partitioning (1, 3, 16 partitions, shuffled uneven sizes) and both modes.
These run on dask's threaded scheduler; tests/dask/test_cluster.py runs
worker processes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _dask_data import as_arrays, as_frames, mixed_data, numeric_data, uneven_chunks

dask = pytest.importorskip("dask")
skd = pytest.importorskip("smotekit.dask")

from smotekit import (  # noqa: E402
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    EditedNearestNeighbours,
    RandomOverSampler,
    RandomUnderSampler,
    TomekLinks,
)

NUMERIC = {
    "smote": lambda: SMOTE(random_state=1),
    "smote-uniform": lambda: SMOTE(k_neighbors=3, seed_selection="uniform", random_state=2),
    "borderline-1": lambda: BorderlineSMOTE(random_state=3),
    "borderline-2": lambda: BorderlineSMOTE(kind="borderline-2", m_neighbors=8, random_state=4),
    "adasyn": lambda: ADASYN(random_state=5),
    "ros": lambda: RandomOverSampler(random_state=6),
    "ros-shrinkage": lambda: RandomOverSampler(shrinkage=0.8, random_state=7),
    "rus": lambda: RandomUnderSampler(random_state=8),
    "rus-replacement": lambda: RandomUnderSampler(replacement=True, random_state=9),
    "tomek": lambda: TomekLinks(),
    "tomek-all": lambda: TomekLinks(sampling_strategy="all"),
    "enn": lambda: EditedNearestNeighbours(),
    "enn-mode-all-5": lambda: EditedNearestNeighbours(
        sampling_strategy="all", n_neighbors=5, kind_sel="mode"
    ),
}
BOTH = ("gather", "batched")
BATCHED = ["smote", "smote-uniform", "borderline-1", "borderline-2", "adasyn", "ros"]


def run_dask(sampler, X, y, **options):
    X_res, y_res = skd.fit_resample(sampler, X, y, **options)
    return dask.compute(X_res, y_res, scheduler="threads")


def expected(make, X, y):
    sampler = make()
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


@pytest.mark.parametrize("name", list(NUMERIC))
@pytest.mark.parametrize("npartitions", [1, 3, 16])
def test_frames_equal_in_memory(name, npartitions):
    X, y = numeric_data()
    dX, dy = as_frames(X, y, npartitions)
    reference, X_mem, y_mem = expected(NUMERIC[name], dX.compute(), dy.compute())
    sampler = NUMERIC[name]()
    X_res, y_res = run_dask(sampler, dX, dy)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)
    assert sampler.sampling_strategy_ == reference.sampling_strategy_
    assert X_res["d"].dtype == np.float32  # float32 stays float32


@pytest.mark.parametrize("name", list(NUMERIC))
@pytest.mark.parametrize("seed", [0, 1])
def test_arrays_with_uneven_chunks_equal_in_memory(name, seed):
    X, y = numeric_data(seed=seed)
    values, labels = X.to_numpy(np.float64), y.to_numpy()
    dX, dy = as_arrays(values, labels, uneven_chunks(len(labels), 7, seed))
    _, X_mem, y_mem = expected(NUMERIC[name], values, labels)
    X_res, y_res = run_dask(NUMERIC[name](), dX, dy)
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)
    assert X_res.dtype == X_mem.dtype and y_res.dtype == y_mem.dtype


@pytest.mark.parametrize("name", BATCHED)
@pytest.mark.parametrize(("npartitions", "batch_rows"), [(1, 37), (5, 64), (16, 1000)])
def test_batched_mode_equals_in_memory(name, npartitions, batch_rows):
    X, y = numeric_data(seed=3)
    dX, dy = as_frames(X, y, npartitions)
    _, X_mem, y_mem = expected(NUMERIC[name], X, y)
    X_res, y_res = run_dask(NUMERIC[name](), dX, dy, mode="batched", batch_rows=batch_rows)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


@pytest.mark.parametrize("name", ["borderline-2", "smote", "ros-shrinkage", "adasyn"])
def test_provenance_matches_in_memory_with_global_row_numbers(name):
    X, y = numeric_data()
    dX, dy = as_frames(X, y, 6)
    reference = NUMERIC[name]()
    reference.fit_resample(X, y)
    sampler = NUMERIC[name]()
    skd.fit_resample(sampler, dX, dy)
    # one partition per chunk of new rows, numbered as in memory
    found = sampler.provenance_.compute(scheduler="threads")
    pd.testing.assert_frame_equal(found, reference.provenance_)


def test_provenance_numbering_when_a_class_makes_no_rows():
    rng = np.random.default_rng(3)
    n = 1500
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = pd.Series(np.zeros(n, dtype=int))
    y[:100] = 1  # class 1: far away, no DANGER rows
    X.loc[:99, "a"] += 40
    y[100:250] = 2  # class 2: overlapping
    for kind in ("frame", "array"):
        data = as_frames(X, y, 5) if kind == "frame" else as_arrays(X.to_numpy(), y.to_numpy(), 300)
        reference = BorderlineSMOTE(random_state=0)
        X_mem, _ = reference.fit_resample(*(d.compute() for d in data))
        sampler = BorderlineSMOTE(random_state=0)
        X_res, _ = skd.fit_resample(sampler, *data)
        if kind == "frame":
            pd.testing.assert_frame_equal(X_res.compute(), X_mem)
        else:
            np.testing.assert_array_equal(X_res.compute(), X_mem)
        made = reference.provenance_["label"].value_counts()
        assert 1 not in made.index and made[2] > 0  # class 1 made none, class 2 some
        pd.testing.assert_frame_equal(sampler.provenance_.compute(), reference.provenance_)


@pytest.mark.parametrize("name", ["rus", "rus-replacement", "tomek", "tomek-all", "enn"])
def test_under_sampler_sample_indices_match(name):
    X, y = numeric_data()
    reference = NUMERIC[name]()
    reference.fit_resample(X, y)
    sampler = NUMERIC[name]()
    skd.fit_resample(sampler, *as_frames(X, y, 5))
    np.testing.assert_array_equal(sampler.sample_indices_.compute(), reference.sample_indices_)


@pytest.mark.parametrize(
    "strategy", [{1: 600, 2: 300}, "minority", "all", lambda y: {2: int((y == 2).sum()) * 3}]
)
def test_sampling_strategies(strategy):
    X, y = numeric_data()
    _, X_mem, y_mem = expected(lambda: SMOTE(sampling_strategy=strategy, random_state=0), X, y)
    X_res, y_res = run_dask(SMOTE(sampling_strategy=strategy, random_state=0), *as_frames(X, y, 4))
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


def test_binary_float_strategy_and_string_labels():
    X, y = numeric_data()
    y = y.where(y != 2, 1).map({0: "no", 1: "yes"}).astype(object)
    dX, dy = as_frames(X, y, 3)
    make = lambda: ADASYN(sampling_strategy=0.5, random_state=0)  # noqa: E731
    _, X_mem, y_mem = expected(make, dX.compute(), dy.compute())
    X_res, y_res = run_dask(make(), dX, dy)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


MIXED = {
    "smotenc": lambda: SMOTENC(categorical_features=[1, 2, 3], random_state=1),
    "smotenc-auto": lambda: SMOTENC(categorical_features="auto", random_state=2),
    "smoten": lambda: SMOTEN(random_state=3),
    "smoten-multiclass": lambda: SMOTEN(k_neighbors=3, random_state=4),
}


@pytest.mark.parametrize("name", list(MIXED))
@pytest.mark.parametrize("npartitions", [1, 4, 11])
def test_mixed_data_equals_in_memory(name, npartitions):
    X, y = mixed_data()
    if name.startswith("smoten") and not name.startswith("smotenc"):
        X = X[["colour", "town", "level"]]
    if name.endswith("multiclass"):
        y = y.where(X["level"] != 3, 2)
    dX, dy = as_frames(X, y, npartitions)
    # The reference reads what the dask collections hold (dask may store strings as str).
    _, X_mem, y_mem = expected(MIXED[name], dX.compute(), dy.compute())
    X_res, y_res = run_dask(MIXED[name](), dX, dy)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)
    assert isinstance(X_res["colour"].dtype, pd.CategoricalDtype)


def test_resample_puts_the_label_column_back():
    X, y = numeric_data()
    frame = pd.concat([X.iloc[:, :2], y, X.iloc[:, 2:]], axis=1)
    ddf = dask.dataframe.from_pandas(frame, npartitions=4)
    out = skd.resample(ddf, target="label", sampler=SMOTE(random_state=0))
    X_mem, y_mem = SMOTE(random_state=0).fit_resample(X, y)
    want = pd.concat([X_mem.iloc[:, :2], y_mem, X_mem.iloc[:, 2:]], axis=1)
    pd.testing.assert_frame_equal(out.compute(scheduler="threads"), want)


def test_result_is_lazy_and_original_rows_unchanged():
    X, y = numeric_data()
    dX, dy = as_frames(X, y, 3)
    X_res, y_res = skd.fit_resample(SMOTE(random_state=0), dX, dy)
    assert isinstance(X_res, dask.dataframe.DataFrame)
    assert isinstance(y_res, dask.dataframe.Series)
    assert X_res.npartitions > dX.npartitions  # one partition per chunk of new rows
    computed = X_res.compute(scheduler="threads")
    pd.testing.assert_frame_equal(computed.iloc[: len(X)], X)


def _unusual_inputs():
    rng = np.random.default_rng(7)
    n = 1200
    X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"], index=np.arange(n) * 3 + 7)
    y = pd.Series(rng.choice(["no", "yes"], n, p=[0.9, 0.1]), name="t", index=X.index)
    far = pd.DataFrame({"a": np.r_[rng.normal(size=1100), rng.normal(size=100) + 50]})
    return {
        "custom-index-string-labels": (X, y),
        "categorical-y": (X, y.astype("category")),
        "y-one-column-frame": (X, y.to_frame()),
        "int-bool-nullable-columns": (
            X.assign(
                i=rng.integers(0, 100, n),
                flag=rng.random(n) < 0.5,
                j=pd.array(rng.integers(0, 9, n), dtype="Int64"),
            ),
            y,
        ),
        "no-danger-rows": (far, pd.Series(np.r_[np.zeros(1100, int), np.ones(100, int)])),
    }


@pytest.mark.parametrize("case", list(_unusual_inputs()))
@pytest.mark.parametrize("make", [SMOTE, BorderlineSMOTE], ids=["smote", "borderline"])
def test_unusual_inputs_equal_in_memory(case, make):
    X, y = _unusual_inputs()[case]
    dX, dy = as_frames(X, y, 4)
    X_mem, y_mem = make(random_state=0).fit_resample(dX.compute(), dy.compute())
    X_res, y_res = run_dask(make(random_state=0), dX, dy)
    pd.testing.assert_frame_equal(X_res, X_mem)
    if isinstance(y_mem, pd.DataFrame):
        pd.testing.assert_frame_equal(y_res, y_mem)
    else:
        pd.testing.assert_series_equal(y_res, y_mem)


def test_parquet_parts_read_narrow_and_wide_pair_up(tmp_path):
    """dask may merge the partitions of a one-column read; X and y must still pair up."""
    X, y = numeric_data()
    frame = pd.concat([X, y], axis=1)
    for i, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[part].to_parquet(tmp_path / f"part{i}.parquet")
    ddf = dask.dataframe.read_parquet(tmp_path)
    X_mem, y_mem = SMOTE(random_state=0).fit_resample(X, y)
    X_res, y_res = run_dask(SMOTE(random_state=0), ddf.drop(columns="label"), ddf["label"])
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)
    out = skd.resample(ddf, target="label", sampler=SMOTE(random_state=0))
    pd.testing.assert_frame_equal(out.compute(), pd.concat([X_mem, y_mem], axis=1))


def test_separate_collections_pair_up_by_position_not_index():
    X, y = numeric_data()
    y_other_index = y.set_axis(np.arange(len(y)) + 10_000)
    dX = dask.dataframe.from_pandas(X, npartitions=4)
    dy = dask.dataframe.from_pandas(y_other_index, npartitions=4)
    X_mem, y_mem = SMOTE(random_state=0).fit_resample(X, y_other_index)
    X_res, y_res = run_dask(SMOTE(random_state=0), dX, dy)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        *((name, mode) for name in ("smote-uniform", "borderline-2", "adasyn") for mode in BOTH),
        ("ros-shrinkage", "gather"),  # the smoothed bootstrap runs in gather mode only
    ],
)
def test_several_chunks_of_new_rows(name, mode):
    """More than CHUNK_ROWS new rows: each chunk is made by its own task, on its own window."""
    rng = np.random.default_rng(11)
    n = 75_000
    y = pd.Series((rng.random(n) < 0.03).astype(np.int64), name="label")
    X = pd.DataFrame({"a": rng.normal(size=n) + y, "b": rng.normal(size=n)})
    dX, dy = as_frames(X, y, 6)
    reference = NUMERIC[name]()
    X_mem, y_mem = reference.fit_resample(X, y)
    assert len(X_mem) - n > 65_536
    sampler = NUMERIC[name]()
    X_res, y_res = run_dask(sampler, dX, dy, mode=mode, batch_rows=800)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)
    found = sampler.provenance_.compute(scheduler="threads")
    pd.testing.assert_frame_equal(found, reference.provenance_)
