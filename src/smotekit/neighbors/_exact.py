"""Exact k-nearest neighbours by blocked brute force on BLAS matrix products.

How it works
------------
The fitted rows are processed in *tiles*; every query block is compared with a
tile through one GEMM of the augmented matrices ``[-q, 1]`` and ``[x, |x|^2/2]``,
which gives ``s = |x|^2/2 - q.x = (d^2(q, x) - |q|^2) / 2``, an increasing
function of the distance for a fixed query.  The GEMM runs in float32 (twice the
speed of float64 and half the memory traffic) on centred data.

Selection does not sort whole rows.  Each query keeps a threshold, an upper bound
of its k-th smallest ``s`` plus a rounding margin; a tile only contributes the
entries below the threshold (a comparison and ``nonzero``), so almost all of the
``n_queries x n_rows`` products are discarded at memory speed.

Exactness: the float32 value of ``s`` differs from the exact one by at most a
bound ``tol`` (from the standard error bound of a dot product, inflated for
safety).  Every row whose float32 ``s`` lies within ``2 * tol`` of the k-th
smallest is kept as a candidate, which provably contains the true k nearest rows.
The candidates' distances are then recomputed in float64 from the original data
(direct differences, no cancellation), sorted by ``(distance, index)`` and cut
to ``k``: the answer equals a float64 brute-force reference, ties broken by index.

Large float32 searches (numba installed, a CPU with AVX2 and FMA) replace the
GEMM and the selection by one fused SIMD pass that never writes a score tile
(:mod:`._simd`; self-queries by its symmetric form, :mod:`._simd_pair`); the
candidates and the float64 refinement are the same.

Memory is bounded by the working-memory budget (per worker thread) plus the
``n_queries x (d + 1)`` float32 query matrix; the fitted data are never copied
whole.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from scipy import sparse

from .._config import progress_bar
from .._threads import effective_n_jobs, single_threaded_blas
from . import _bf16, _fused, _simd
from ._protocol import Capabilities, check_exclusions
from ._symmetric import symmetric_candidates
from ._tiles import BlockState, dense, row_norms_sq, tile_bounds
from ._topk import top_k_pairs

__all__ = ["ExactNeighbors", "effective_n_jobs"]

# Largest magnitude for which squared norms stay far from float32 overflow.
_FLOAT32_SAFE_ABS = 1e15
_FIRST_TILE = 256
_TILE_ROWS = 2048
_QUERY_BLOCK = 256
_SYMMETRIC_BLOCK = 1024
_DEFAULT_WORKING_MEMORY_MB = 64


class ExactNeighbors:
    """Exact Euclidean k-nearest neighbours by blocked brute force.

    Parameters
    ----------
    n_jobs : int or None, default=None
        Worker threads.  ``None`` or ``-1`` uses every available core (like
        the BLAS would), ``1`` runs single-threaded.
    working_memory_mb : float, default=64
        Budget, per worker, for the distance block held at once.
    query_block : int or None, default=None
        Queries per block (tuning and tests); derived from the budget if None.
    tile_rows : int or None, default=None
        Fitted rows per tile (tuning and tests); derived from the budget if None.
    symmetric : bool, default=True
        For a self-query (``Q=None``), compute each pair of rows once and use it
        for both rows (half the matrix products).

    Notes
    -----
    Results do not depend on ``n_jobs``, ``query_block`` or ``tile_rows``:
    they are the exact float64 answer, ties broken by row index.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import ExactNeighbors
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> dist, ind = ExactNeighbors().fit(X).kneighbors(None, 2)
    >>> ind
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    """

    exact = True
    capabilities = Capabilities(exact=True, sparse=True)

    def __init__(
        self,
        *,
        n_jobs: int | None = None,
        working_memory_mb: float = _DEFAULT_WORKING_MEMORY_MB,
        query_block: int | None = None,
        tile_rows: int | None = None,
        symmetric: bool = True,
    ) -> None:
        self.n_jobs = n_jobs
        self.symmetric = symmetric
        self.working_memory_mb = working_memory_mb
        self.query_block = query_block
        self.tile_rows = tile_rows

    def fit(self, X: np.ndarray) -> ExactNeighbors:
        """Index the rows of ``X``.

        Parameters
        ----------
        X : ndarray of shape (n_rows, n_features)
            Dense float32 or float64 rows; other dtypes are converted to float64.

        Returns
        -------
        self : ExactNeighbors
        """
        if sparse.issparse(X):
            X = sparse.csr_matrix(X)
            if X.dtype not in (np.float32, np.float64):
                X = X.astype(np.float64)
            self._center = np.asarray(X.mean(axis=0), dtype=np.float64).ravel()
            big = np.abs(X.data).max(initial=0.0)
        else:
            X = np.asarray(X)
            if X.dtype not in (np.float32, np.float64):
                X = X.astype(np.float64)
            self._center = X.mean(axis=0, dtype=np.float64) if X.shape[0] else None
            big = np.abs(X).max(initial=0.0) if X.size else 0.0
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"Expected a non-empty 2-D array, got shape {X.shape}.")
        self._X = X
        self._largest: float | None = None
        self._dtype = np.float32 if big < _FLOAT32_SAFE_ABS else np.float64
        return self

    # ------------------------------------------------------------------ query
    def kneighbors(
        self,
        Q: np.ndarray | None,
        n_neighbors: int,
        *,
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Find the ``n_neighbors`` nearest fitted rows of each query row.

        Parameters
        ----------
        Q : ndarray of shape (n_queries, n_features) or None
            Query rows.  ``None`` queries the fitted rows, each excluding itself.
        n_neighbors : int
            Number of neighbours to return.
        exclude : ndarray of shape (n_queries,) or None
            Index of one fitted row to leave out per query (``-1``: none).

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors), float64
        indices : ndarray of shape (n_queries, n_neighbors), int64
        """
        X = self._X
        n_rows = X.shape[0]
        self_query = Q is None
        if Q is None:
            Q = X
            exclude = np.arange(n_rows)
        Q = Q.toarray() if sparse.issparse(Q) else np.asarray(Q)
        n_queries = Q.shape[0]
        exclude = check_exclusions(n_rows, n_queries, n_neighbors, exclude)
        if n_queries == 0:
            return np.empty((0, n_neighbors)), np.empty((0, n_neighbors), dtype=np.int64)

        n_workers = min(effective_n_jobs(self.n_jobs), max(1, n_queries // 64))
        # Self-queries compute each pair once (the symmetric pass, by BLAS products or,
        # where the SIMD pass runs, by its symmetric kernel).
        if self_query and self.symmetric and n_rows > (self.query_block or _SYMMETRIC_BLOCK):
            # (in float32: a bfloat16 form measured no faster, its pushes dominate)
            with single_threaded_blas():
                rows, cols = symmetric_candidates(
                    self._augment_pairs,
                    n_neighbors,
                    self.query_block or _SYMMETRIC_BLOCK,
                    n_workers,
                    simd=self._simd(n_rows * n_rows),
                )
            return self._exact_top_k(Q, rows, cols, n_queries, n_neighbors)
        queries = self._augment_queries(Q)
        search = (queries, self._tolerances(queries), exclude, n_workers, n_neighbors)
        bfloat16 = self._simd(n_queries * n_rows) and self._bfloat16()
        try:
            rows, cols = self._query_candidates(*search, bfloat16=bfloat16)
        except _bf16.TooCoarse:  # bfloat16 scores too coarse for these data: float32
            rows, cols = self._query_candidates(*search, bfloat16=False)
        return self._exact_top_k(Q, rows, cols, n_queries, n_neighbors)

    def _query_candidates(
        self,
        queries: np.ndarray,
        tol: np.ndarray,
        exclude: np.ndarray,
        n_workers: int,
        k: int,
        *,
        bfloat16: bool,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Candidate (query, row) pairs of every query, the query blocks shared by the workers."""
        n_queries, n_rows = queries.shape[0], self._X.shape[0]
        block, tile = self._block_sizes(n_queries, n_rows, n_workers)
        block_starts = list(range(0, n_queries, block))
        groups = [block_starts[w::n_workers] for w in range(n_workers)]
        bar = progress_bar(n_rows // max(tile, 1) * n_workers, "neighbours")
        abort = threading.Event()  # one worker's TooCoarse stops the others

        def work(starts: list[int]) -> list[tuple[int, np.ndarray, np.ndarray]]:
            try:
                return self._search_blocks(
                    queries, tol, exclude, starts, block, tile, k, bar, bfloat16, abort
                )
            except _bf16.TooCoarse:
                abort.set()
                raise

        try:
            with single_threaded_blas():
                if n_workers == 1:
                    results = [work(groups[0])]
                else:
                    with ThreadPoolExecutor(max_workers=n_workers) as pool:
                        results = list(pool.map(work, groups))
        finally:
            bar.close()
        rows = np.concatenate([r for part in results for _, r, _ in part])
        cols = np.concatenate([c for part in results for _, _, c in part])
        return rows, cols

    # -------------------------------------------------------------- internals
    def _augment_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The fitted rows as ``[-x, 1, |x|^2/2]`` and ``[x, |x|^2/2, 1]``, and their tolerances."""
        n_rows, n_features = self._X.shape
        left = np.empty((n_rows, n_features + 2), dtype=self._dtype)
        right = np.empty((n_rows, n_features + 2), dtype=self._dtype)
        for a in range(0, n_rows, 65536):
            part = dense(self._X[a : a + 65536]) - self._center
            half_norm = 0.5 * np.einsum("ij,ij->i", part, part)
            left[a : a + 65536, :n_features] = -part
            left[a : a + 65536, n_features] = 1.0
            left[a : a + 65536, n_features + 1] = half_norm
            right[a : a + 65536, :n_features] = part
            right[a : a + 65536, n_features] = half_norm
            right[a : a + 65536, n_features + 1] = 1.0
        tol = self._tolerances(left[:, : n_features + 1])
        return left, right, tol

    def _bfloat16(self) -> bool:
        """Whether the SIMD pass runs in bfloat16 for these rows (see :mod:`._bf16`)."""
        return _bf16.enabled(self._X.shape[1], float(np.sqrt(self._largest_norm_sq())))

    def _simd(self, pairs: int) -> bool:
        """Whether a search of ``pairs`` pairs runs the fused SIMD pass (float32 scores only)."""
        return (
            self._dtype == np.float32
            and self._X.shape[0] <= _fused.MAX_ROWS
            and _simd.enabled(pairs)
        )

    def _block_sizes(self, n_queries: int, n_rows: int, n_workers: int) -> tuple[int, int]:
        """Query-block and tile sizes: a ~2 MB score block stays in cache."""
        budget_entries = max(self.working_memory_mb, 1.0) * 2**20 / 5  # scores + mask
        tile = self.tile_rows or int(min(n_rows, _TILE_ROWS))
        block = self.query_block or int(max(16, min(_QUERY_BLOCK, budget_entries // tile)))
        block = min(block, max(16, -(-n_queries // n_workers)))
        return block, max(1, tile)

    def _augment_queries(self, Q: np.ndarray) -> np.ndarray:
        n_features = Q.shape[1]
        out = np.empty((Q.shape[0], n_features + 1), dtype=self._dtype)
        np.subtract(self._center, Q, out=out[:, :n_features], casting="unsafe")
        out[:, n_features] = 1.0
        return out

    def _augment_tile(self, start: int, stop: int) -> np.ndarray:
        tile = dense(self._X[start:stop]) - self._center
        out = np.empty((stop - start, tile.shape[1] + 1), dtype=self._dtype)
        out[:, :-1] = tile
        out[:, -1] = 0.5 * np.einsum("ij,ij->i", tile, tile)
        return out

    def _tolerances(self, queries: np.ndarray) -> np.ndarray:
        """Bound on |float s - exact s| per query, inflated for safety."""
        unit = np.finfo(self._dtype).eps
        depth = queries.shape[1] + 4
        q_sq = np.einsum("ij,ij->i", queries[:, :-1], queries[:, :-1], dtype=np.float64)
        return 4.0 * depth * unit * (q_sq + self._largest_norm_sq() + 1e-300)

    def _largest_norm_sq(self) -> float:
        """Largest squared norm of the centred fitted rows (computed once per fit)."""
        if self._largest is None:
            self._largest = max(
                float(np.max(row_norms_sq(dense(self._X[a : a + 65536]) - self._center)))
                for a in range(0, self._X.shape[0], 65536)
            )
        return self._largest

    def _search_blocks(
        self,
        queries: np.ndarray,
        tol: np.ndarray,
        exclude: np.ndarray,
        starts: list[int],
        block: int,
        tile: int,
        k: int,
        bar: Any,
        bfloat16: bool,
        abort: threading.Event,
    ) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """Candidate (query, row) pairs for the query blocks in ``starts``."""
        n_rows = self._X.shape[0]
        n_queries = queries.shape[0]
        bounds = tile_bounds(n_rows, max(_FIRST_TILE, 4 * (k + 1)), tile)
        if self._simd(n_queries * n_rows):
            return self._search_blocks_simd(
                queries, tol, exclude, starts, block, bounds, k, bar, bfloat16, abort
            )
        fused = _fused.enabled(n_queries * n_rows) and n_rows <= _fused.MAX_ROWS
        state_type = _fused.FusedBlockState if fused else BlockState
        states = [
            state_type(s, min(s + block, n_queries), tol, exclude, k, self._dtype) for s in starts
        ]
        widest = max(hi - lo for lo, hi in bounds)
        # Reused buffers: fresh multi-megabyte arrays per tile would page-fault.
        score_buffer = np.empty(block * widest, dtype=self._dtype)
        mask_buffer = np.empty(block * widest, dtype=bool)
        for lo, hi in bounds:
            rows_aug = self._augment_tile(lo, hi)
            for state in states:
                size = (state.stop - state.start) * (hi - lo)
                scores = score_buffer[:size].reshape(state.stop - state.start, hi - lo)
                np.matmul(queries[state.start : state.stop], rows_aug.T, out=scores)
                state.absorb(scores, lo, mask_buffer[:size].reshape(scores.shape))
            bar.update()
        return [(s.start, *s.candidates()) for s in states]

    def _search_blocks_simd(
        self,
        queries: np.ndarray,
        tol: np.ndarray,
        exclude: np.ndarray,
        starts: list[int],
        block: int,
        bounds: list[tuple[int, int]],
        k: int,
        bar: Any,
        bfloat16: bool,
        abort: threading.Event,
    ) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """:meth:`_search_blocks` by the fused SIMD pass: each tile packed once, no scores.

        In bfloat16 a block whose lists outgrow :data:`._bf16.MAX_GROWTH` times their
        first size raises :class:`._bf16.TooCoarse` (and ``abort`` stops the others).
        """
        n_queries = queries.shape[0]
        if bfloat16:
            largest = float(np.sqrt(self._largest_norm_sq()))
            tol = tol + _bf16.tolerances(queries[:, :-1], largest)
        pack = _bf16.pack_panels if bfloat16 else _simd.pack_panels
        states = [
            _simd.SimdBlockState(s, min(s + block, n_queries), tol, exclude, k) for s in starts
        ]
        for state in states:
            state.set_queries(queries[state.start : state.stop], bfloat16=bfloat16)
        n_lanes = _simd.lanes()
        for lo, hi in bounds:
            if abort.is_set():
                raise _bf16.TooCoarse
            packed = pack(self._augment_tile(lo, hi), n_lanes)
            for state in states:
                state.absorb_panels(packed, lo, hi - lo)
            bar.update()
        return [(s.start, *s.candidates()) for s in states]

    def _exact_top_k(
        self, Q: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_queries: int, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Recompute candidate distances in float64 and keep the k best per query."""
        dist_sq = np.empty(rows.shape[0], dtype=np.float64)
        chunk = 1 << 16
        for a in range(0, rows.shape[0], chunk):
            diff = Q[rows[a : a + chunk]].astype(np.float64) - dense(self._X[cols[a : a + chunk]])
            # The canonical float64 distance: numpy's sum of squared differences.
            dist_sq[a : a + chunk] = np.square(diff).sum(axis=1)
        return top_k_pairs(rows, dist_sq, cols, n_queries, k)
