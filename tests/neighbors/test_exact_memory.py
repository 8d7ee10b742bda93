"""Memory of the exact engine's searches."""

from __future__ import annotations

import numpy as np

from smotekit.neighbors import search


def test_self_query_memory_grows_linearly_with_rows():
    """The symmetric self-query's working memory is bounded per block: tripling the rows at
    most about triples the traced peak (a per-block copy of a full-length array once made it
    grow with rows ** 2 / block: 4.1x here)."""
    import tracemalloc

    def traced_peak(n_rows):
        X = np.random.default_rng(0).normal(size=(n_rows, 4))
        tracemalloc.start()
        try:
            search(X, None, 3, n_jobs=1, backend="exact")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert traced_peak(90_000) < 2.6 * traced_peak(30_000)
