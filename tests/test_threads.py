"""Process-wide thread settings: held while work runs, and left as they were after."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from smotekit._threads import held_setting, single_threaded_blas
from smotekit.neighbors import ExactNeighbors
from smotekit.over_sampling import SMOTE


def blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    """The BLAS thread counts before the test; at least two, so that a leaked limit of one shows.

    (Not set with ``threadpool_limits``: a count raised from the main thread hides the bug.)
    """
    before = blas_threads()
    if not before or min(before) < 2:
        pytest.skip(f"BLAS runs {before} thread(s) here; the test needs two or more")
    return before


def test_concurrent_searches_in_threads_leave_blas_threads_as_they_were(two_blas_threads):
    # Many searches at once from a thread pool (a Dask threaded scheduler does this):
    # each used to save and restore the BLAS limit itself, and OpenBLAS cannot raise
    # its thread count from a worker thread, so the process was left on one thread.
    X = np.random.default_rng(0).standard_normal((3000, 8))

    def search(seed: int) -> np.ndarray:
        for _ in range(5):
            found = ExactNeighbors().fit(X).kneighbors(X[seed * 50 : seed * 50 + 500], 5)[1]
        return found

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(search, range(8)))
    assert blas_threads() == two_blas_threads
    serial = [ExactNeighbors().fit(X).kneighbors(X[s * 50 : s * 50 + 500], 5)[1] for s in range(8)]
    for threaded, alone in zip(answers, serial):
        np.testing.assert_array_equal(threaded, alone)


def test_samplers_run_in_threads_leave_blas_threads_as_they_were(two_blas_threads):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4000, 6))
    y = (rng.random(4000) < 0.1).astype(int)

    def resample(seed: int) -> int:
        return SMOTE(random_state=seed).fit_resample(X, y)[0].shape[0]

    with ThreadPoolExecutor(3) as pool:
        sizes = list(pool.map(resample, range(6)))
    assert len(set(sizes)) == 1
    assert blas_threads() == two_blas_threads


def test_the_main_thread_limits_blas_to_one_thread_and_restores_it(two_blas_threads):
    with single_threaded_blas():
        assert set(blas_threads()) == {1}
        with single_threaded_blas():
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}
    assert blas_threads() == two_blas_threads


def test_a_worker_thread_does_not_touch_blas_threads(two_blas_threads):
    seen = []

    def work() -> None:
        with single_threaded_blas():
            seen.append(blas_threads())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [two_blas_threads]
    assert blas_threads() == two_blas_threads


def test_held_setting_applies_once_and_restores_after_the_last_holder():
    calls: list[str] = []
    state = {"value": "original"}

    def apply():
        calls.append("apply")
        previous = state["value"]
        state["value"] = "held"

        def restore() -> None:
            calls.append("restore")
            state["value"] = previous

        return restore

    all_inside = threading.Barrier(4, timeout=30)

    def hold(_: int) -> str:
        with held_setting("test-key", apply):
            all_inside.wait()  # the four hold the setting at the same time
            return state["value"]

    with ThreadPoolExecutor(4) as pool:
        values = list(pool.map(hold, range(4)))
    assert values == ["held"] * 4
    assert calls == ["apply", "restore"]
    assert state["value"] == "original"


def test_held_setting_restores_even_when_the_work_fails():
    state = {"value": 0}

    def apply():
        state["value"] = 1
        return lambda: state.update(value=0)

    with pytest.raises(RuntimeError, match="boom"):
        with held_setting("failing-key", apply):
            raise RuntimeError("boom")
    assert state["value"] == 0
    with held_setting("failing-key", apply):
        assert state["value"] == 1
    assert state["value"] == 0
