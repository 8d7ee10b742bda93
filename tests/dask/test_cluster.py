"""The Dask engine on worker processes: the same rows with 1 or 2 workers, and after a worker dies.

A LocalCluster of worker processes on 127.0.0.1 (no dashboard), started by the
tests themselves.  Killing a worker with SIGKILL mid-job loses the classes it
had gathered; they are graph tasks, so the scheduler recomputes them and the
output is unchanged.
"""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pandas as pd
import pytest

from _dask_data import as_frames, mixed_data, numeric_data

distributed = pytest.importorskip("distributed")
skd = pytest.importorskip("smotekit.dask")

from smotekit import SMOTE, SMOTENC, BorderlineSMOTE, TomekLinks  # noqa: E402


def start_cluster(n_workers: int):
    cluster = distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=50,
    )
    return cluster, distributed.Client(cluster)


@pytest.fixture(scope="module")
def client():
    cluster, client = start_cluster(2)
    yield client
    client.close()
    cluster.close()


CASES = {
    "smote": (lambda: SMOTE(random_state=0), numeric_data, 5, "gather"),
    "borderline-2": (
        lambda: BorderlineSMOTE(kind="borderline-2", random_state=1),
        numeric_data,
        7,
        "gather",
    ),
    "borderline-1-batched": (lambda: BorderlineSMOTE(random_state=2), numeric_data, 4, "batched"),
    "tomek": (TomekLinks, numeric_data, 5, "gather"),
    "smotenc": (
        lambda: SMOTENC(categorical_features=[1, 2, 3], random_state=3),
        mixed_data,
        6,
        "gather",
    ),
}


def check_case(client, name):
    make, data, npartitions, mode = CASES[name]
    X, y = data()
    dX, dy = as_frames(X, y, npartitions)
    X_mem, y_mem = make().fit_resample(dX.compute(), dy.compute())
    X_res, y_res = client.gather(client.compute(skd.fit_resample(make(), dX, dy, mode=mode)))
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)


@pytest.mark.parametrize("name", list(CASES))
def test_two_worker_processes_give_the_in_memory_rows(client, name):
    check_case(client, name)


def test_one_worker_gives_the_same_rows():
    cluster, client = start_cluster(1)
    try:
        check_case(client, "borderline-2")
    finally:
        client.close()
        cluster.close()


def test_a_worker_killed_mid_job_changes_nothing(client):
    rng = np.random.default_rng(5)
    n = 200_000
    X = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"f{i}" for i in range(8)])
    y = pd.Series((rng.random(n) < 0.2).astype(np.int64), name="label")
    X.loc[y == 1, "f0"] += 1.0
    sampler = BorderlineSMOTE(random_state=0)
    X_mem, y_mem = sampler.fit_resample(X, y)
    dX, dy = as_frames(X, y, 12)
    futures = client.compute(
        skd.fit_resample(BorderlineSMOTE(random_state=0), dX, dy, mode="batched", batch_rows=1500)
    )
    pids = client.run(os.getpid)
    victim = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(f.done() for f in futures):
        held = {w: len(keys) for w, keys in client.has_what().items()}
        if held and max(held.values()) >= 20:
            victim = max(held, key=held.get)
            os.kill(pids[victim], signal.SIGKILL)
            break
        time.sleep(0.02)
    assert victim is not None, "the job ended before a worker could be killed mid-job"
    X_res, y_res = client.gather(futures)
    pd.testing.assert_frame_equal(X_res, X_mem)
    pd.testing.assert_series_equal(y_res, y_mem)
    assert set(client.run(os.getpid).values()) != set(pids.values())  # a new worker took over
