"""The self-query's tile queue: every tile once, never two threads on one block."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from smotekit.neighbors._symmetric import _PairQueue


@pytest.mark.parametrize("n_threads", [2, 3, 8])
def test_every_tile_once_and_no_block_held_twice(n_threads):
    n_blocks = 9
    pairs = [(i, i) for i in range(n_blocks)] + [
        (i, i + gap) for gap in range(1, n_blocks) for i in range(n_blocks - gap)
    ]
    queue = _PairQueue(pairs)
    held: set[int] = set()
    guard = threading.Lock()
    done: list[tuple[int, int]] = []
    clashes = []
    rng = np.random.default_rng(n_threads)
    pauses = iter(rng.random(len(pairs) * 2) * 1e-3)

    def worker() -> None:
        while (pair := queue.take()) is not None:
            with guard:
                if set(pair) & held:
                    clashes.append(pair)
                held.update(pair)
                pause = next(pauses)
            time.sleep(pause)
            with guard:
                held.difference_update(pair)
                done.append(pair)
            queue.done(pair)

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not clashes
    assert sorted(done) == sorted(pairs)


def test_diagonal_tiles_are_handed_out_first_by_one_thread():
    pairs = [(0, 0), (1, 1), (0, 1)]
    queue = _PairQueue(pairs)
    taken = []
    for _ in range(3):
        taken.append(queue.take())
        queue.done(taken[-1])
    assert taken == pairs
    assert queue.take() is None
