"""Memory of the exact engine's searches."""

from __future__ import annotations

import numpy as np
import pytest

from smotekit.neighbors import search


@pytest.mark.parametrize("simd, most", [("0", 2.6), ("1", 3.3)], ids=["blas", "simd"])
def test_self_query_memory_grows_linearly_with_rows(monkeypatch, simd, most):
    """The symmetric self-query's working memory is bounded per block: tripling the rows at
    most about triples the traced peak (a per-block copy of a full-length array once made it
    grow with rows ** 2 / block: 4.1x here).  The SIMD pass keeps every row's candidate
    list at once, a memory linear in the rows with little else: at most 3.3x."""
    import tracemalloc

    monkeypatch.setenv("SMOTEKIT_SIMD", simd)

    def traced_peak(n_rows):
        X = np.random.default_rng(0).normal(size=(n_rows, 4))
        tracemalloc.start()
        try:
            search(X, None, 3, n_jobs=1, backend="exact")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    traced_peak(5_000)  # compiled code loaded before tracing (25M pairs: the fused passes)
    assert traced_peak(90_000) < most * traced_peak(30_000)
