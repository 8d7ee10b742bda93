"""Exact k-nearest neighbours on a GPU (PyTorch): the exact engine's method on torch tensors.

How it works
------------
The fitted rows are centred and stored once on the device as ``[x, |x|^2/2]``;
each block of queries ``[-q, 1]`` is multiplied with tiles of them, which gives
``s = |x|^2/2 - q.x``, an increasing function of the distance for a fixed query,
in float32 (float64 when values reach ``1e15``, as in
:class:`~smotekit.neighbors.ExactNeighbors`).  Every tile's ``k + slack``
smallest scores (``torch.topk``) are merged into a running list per query.

Exactness does not depend on the slack.  Once every tile is seen, each query's
threshold is its k-th smallest float score plus ``2 * tol`` (the same rounding
bound as the CPU engine, valid for any summation order of the matrix product);
every row whose float score is under the threshold is a candidate, and that set
provably holds the true k nearest rows.  A query whose list is full of entries
under its threshold may have more candidates outside it: those queries are
searched again and *every* entry under their threshold is taken (``nonzero``).
The candidates' distances are then recomputed in float64 on the CPU with the
exact engine's expression and cut by :func:`~smotekit.neighbors.top_k_pairs`, so
the answer equals the float64 brute-force reference, ties broken by index.

Working memory on the device is a score block of ``query_block x tile_rows``
entries, sized from the free device memory times ``memory_fraction``; the
fitted rows take ``n_rows x (n_features + 1)`` scores of the device's memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from scipy import sparse

try:
    import torch
except ImportError:  # the optional extra [gpu]; this module stays importable without it
    torch = None

from .._config import progress_bar
from .._threads import effective_n_jobs, held_setting
from ._protocol import Capabilities, check_exclusions
from ._topk import top_k_pairs

__all__ = ["TorchNeighbors"]

# Largest magnitude for which squared norms stay far from float32 overflow.
_FLOAT32_SAFE_ABS = 1e15
# Entries kept per query and tile beyond k (speed only: correctness never depends on it).
_SLACK = 16
_UPLOAD_ROWS = 65536
_MAX_QUERY_BLOCK = 4096
_MAX_BLOCK_ENTRIES = 1 << 28
_CPU_WORKING_BYTES = 256 * 2**20
# Bytes of working memory per score entry: the scores, a comparison mask, top-k scratch.
_BYTES_PER_ENTRY_FACTOR = 3


class TorchNeighbors:
    """Exact Euclidean k-nearest neighbours by blocked brute force with PyTorch.

    Parameters
    ----------
    device : str, torch.device or None, default=None
        Where to search.  ``None`` takes ``"cuda"`` and fails with a clear
        error when no CUDA device is available; ``"cpu"`` runs on the CPU
        (for tests and machines without a GPU).
    n_jobs : int or None, default=None
        Threads of torch on the CPU device during a search (``None``: torch's
        own setting).  Ignored on a GPU.
    query_block : int or None, default=None
        Queries per block (tuning and tests); derived from the memory if None.
    tile_rows : int or None, default=None
        Fitted rows per tile (tuning and tests); derived from the memory if None.
    memory_fraction : float, default=0.5
        Share of the device's free memory a search may use for its score
        blocks (on the CPU device: of a fixed 256 MiB).

    Raises
    ------
    ImportError
        If PyTorch is not installed (``pip install 'smotekit[gpu]'``).

    Notes
    -----
    Results do not depend on ``query_block``, ``tile_rows`` or the device:
    they are the exact float64 answer, ties broken by row index, equal to
    those of :class:`~smotekit.neighbors.ExactNeighbors`.  Float32 matrix
    products run in full float32 (TensorFloat-32 is switched off during a
    search and restored after).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> dist, ind = TorchNeighbors(device="cpu").fit(X).kneighbors(None, 2)  # doctest: +SKIP
    >>> ind  # doctest: +SKIP
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    """

    exact = True
    capabilities = Capabilities(exact=True)

    def __init__(
        self,
        *,
        device: Any = None,
        n_jobs: int | None = None,
        query_block: int | None = None,
        tile_rows: int | None = None,
        memory_fraction: float = 0.5,
    ) -> None:
        if torch is None:
            raise ImportError(
                "The 'torch' neighbour backend needs PyTorch: pip install 'smotekit[gpu]' "
                "(for a GPU, a CUDA build of torch: https://pytorch.org)."
            )
        self.device = device
        self.n_jobs = n_jobs
        self.query_block = query_block
        self.tile_rows = tile_rows
        self.memory_fraction = memory_fraction

    def fit(self, X: np.ndarray) -> TorchNeighbors:
        """Index the rows of ``X`` on the device.

        Parameters
        ----------
        X : ndarray of shape (n_rows, n_features)
            Dense float32 or float64 rows; other dtypes are converted to float64.

        Returns
        -------
        self : TorchNeighbors
        """
        if sparse.issparse(X):
            raise ValueError(
                "The 'torch' neighbour backend searches dense rows only; pass X.toarray() "
                "or use neighbors='exact'."
            )
        if not 0.0 < float(self.memory_fraction) <= 1.0:
            raise ValueError(f"memory_fraction must be in (0, 1], got {self.memory_fraction!r}.")
        X = _float_array(X, "X")
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"Expected a non-empty 2-D array, got shape {X.shape}.")
        self._device = _resolve_device(self.device)
        big = float(np.abs(X).max(initial=0.0))
        self._dtype = torch.float32 if big < _FLOAT32_SAFE_ABS else torch.float64
        self._X = X
        center = X.mean(axis=0, dtype=np.float64)
        self._center = torch.from_numpy(center).to(self._device)
        n_rows, n_features = X.shape
        try:
            self._rows = torch.empty(
                (n_rows, n_features + 1), dtype=self._dtype, device=self._device
            )
            x_sq_max = 0.0
            for a in range(0, n_rows, _UPLOAD_ROWS):
                part = _to_device(X[a : a + _UPLOAD_ROWS], self._device).double() - self._center
                norms = (part * part).sum(dim=1)
                self._rows[a : a + part.shape[0], :n_features] = part
                self._rows[a : a + part.shape[0], n_features] = 0.5 * norms
                x_sq_max = max(x_sq_max, float(norms.max()))
        except torch.cuda.OutOfMemoryError as error:
            raise MemoryError(
                f"The {n_rows} x {n_features + 1} fitted rows do not fit on {self._device}; "
                "use neighbors='exact' (CPU) or a device with more memory."
            ) from error
        self._x_sq_max = x_sq_max
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
        if not hasattr(self, "_rows"):
            raise RuntimeError("TorchNeighbors is not fitted: call fit(X) first.")
        X = self._X
        n_rows, n_features = X.shape
        self_query = Q is None
        if Q is None:
            Q, exclude = X, np.arange(n_rows)
        else:
            Q = _float_array(Q.toarray() if sparse.issparse(Q) else Q, "Q")
            if Q.ndim != 2 or Q.shape[1] != n_features:
                raise ValueError(
                    f"Expected queries of shape (n_queries, {n_features}), got {Q.shape}."
                )
        n_queries = Q.shape[0]
        exclude = check_exclusions(n_rows, n_queries, n_neighbors, exclude)
        if n_queries == 0:
            return np.empty((0, n_neighbors)), np.empty((0, n_neighbors), dtype=np.int64)
        with _full_float32(), _torch_threads(self._device, self.n_jobs):
            rows, cols = self._candidates(Q, self_query, exclude, n_neighbors)
        return _exact_top_k(Q, X, rows, cols, n_queries, n_neighbors)

    # -------------------------------------------------------------- internals
    def _candidates(
        self, Q: np.ndarray, self_query: bool, exclude: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Global (query, row) pairs that contain every query's exact k nearest rows."""
        n_rows = self._rows.shape[0]
        n_queries = Q.shape[0]
        keep = min(k + _SLACK, n_rows)
        block, tile = self._block_sizes(n_queries, n_rows)
        bounds = [(lo, min(lo + tile, n_rows)) for lo in range(0, n_rows, tile)]
        exclude_all = _to_device(exclude, self._device)
        found_rows, found_cols = [], []
        bar = progress_bar(-(-n_queries // block), "neighbours")
        for start in range(0, n_queries, block):
            stop = min(start + block, n_queries)
            queries = self._augment_queries(Q, start, stop, self_query)
            excluded = exclude_all[start:stop]
            limit, values, where = self._limits(queries, excluded, bounds, k, keep)
            # A list full of entries under the threshold may miss some: search those again.
            overflow = values.amax(dim=1) <= limit if keep < n_rows else None
            taken = values <= limit[:, None]
            if overflow is not None:
                taken &= ~overflow[:, None]
            local, slot = taken.nonzero(as_tuple=True)
            found_rows.append((local + start).cpu())
            found_cols.append(where[local, slot].cpu())
            if overflow is not None and bool(overflow.any()):
                again = overflow.nonzero(as_tuple=True)[0]
                for rows, cols in self._all_under(
                    queries[again], excluded[again], limit[again], bounds
                ):
                    found_rows.append((again[rows] + start).cpu())
                    found_cols.append(cols.cpu())
            bar.update()
        bar.close()
        return torch.cat(found_rows).numpy(), torch.cat(found_cols).numpy()

    def _limits(
        self,
        queries: torch.Tensor,
        excluded: torch.Tensor,
        bounds: list[tuple[int, int]],
        k: int,
        keep: int,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Per-query score limit, with the ``keep`` smallest scores and their rows."""
        best_values = best_rows = None
        for lo, hi in bounds:
            scores = self._scores(queries, excluded, lo, hi)
            values, where = torch.topk(
                scores, min(keep, hi - lo), dim=1, largest=False, sorted=False
            )
            where += lo
            if best_values is not None:
                values = torch.cat((best_values, values), dim=1)
                where = torch.cat((best_rows, where), dim=1)
                if values.shape[1] > keep:
                    values, pick = torch.topk(values, keep, dim=1, largest=False, sorted=False)
                    where = torch.gather(where, 1, pick)
            best_values, best_rows = values, where
        assert best_values is not None and best_rows is not None
        kth = torch.kthvalue(best_values, k, dim=1).values.double()
        threshold = kth + 2.0 * self._tolerances(queries)
        limit = threshold.to(self._dtype)
        # Compared in the score dtype: rounding up keeps the limit an upper bound.
        up = torch.nextafter(limit, torch.full_like(limit, float("inf")))
        limit = torch.where(limit.double() < threshold, up, limit)
        return limit, best_values, best_rows

    def _all_under(
        self,
        queries: torch.Tensor,
        excluded: torch.Tensor,
        limit: torch.Tensor,
        bounds: list[tuple[int, int]],
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """(local query, row) of every score under the limits, tile by tile."""
        for lo, hi in bounds:
            scores = self._scores(queries, excluded, lo, hi)
            rows, cols = (scores <= limit[:, None]).nonzero(as_tuple=True)
            yield rows, cols + lo

    def _scores(
        self, queries: torch.Tensor, excluded: torch.Tensor, lo: int, hi: int
    ) -> torch.Tensor:
        """Scores of a query block against rows ``lo:hi``, the excluded rows at +inf."""
        scores = queries @ self._rows[lo:hi].T
        local = excluded - lo
        hit = ((local >= 0) & (local < hi - lo)).unsqueeze(1)
        column = local.clamp(0, hi - lo - 1).unsqueeze(1)
        current = torch.gather(scores, 1, column)
        scores.scatter_(1, column, torch.where(hit, float("inf"), current))
        return scores

    def _augment_queries(
        self, Q: np.ndarray, start: int, stop: int, self_query: bool
    ) -> torch.Tensor:
        """``[c - q, 1]`` of queries ``start:stop`` in the score dtype, on the device."""
        n_features = self._rows.shape[1] - 1
        out = torch.ones((stop - start, n_features + 1), dtype=self._dtype, device=self._device)
        if self_query:
            out[:, :n_features] = -self._rows[start:stop, :n_features]
        else:
            part = self._center - _to_device(Q[start:stop], self._device).double()
            out[:, :n_features] = part
        return out

    def _tolerances(self, queries: torch.Tensor) -> torch.Tensor:
        """Bound on |float s - exact s| per query, inflated for safety (as the CPU engine)."""
        unit = torch.finfo(self._dtype).eps
        depth = queries.shape[1] + 4
        centred = queries[:, :-1].double()
        q_sq = (centred * centred).sum(dim=1)
        return 4.0 * depth * unit * (q_sq + self._x_sq_max + 1e-300)

    def _block_sizes(self, n_queries: int, n_rows: int) -> tuple[int, int]:
        """Query-block and tile sizes from the working-memory budget."""
        entry = _BYTES_PER_ENTRY_FACTOR * (4 if self._dtype == torch.float32 else 8)
        if self._device.type == "cuda":
            free, _ = torch.cuda.mem_get_info(self._device)
            cached = torch.cuda.memory_reserved(self._device)
            cached -= torch.cuda.memory_allocated(self._device)
            budget = (free + cached) * float(self.memory_fraction)
        else:
            budget = _CPU_WORKING_BYTES * float(self.memory_fraction)
        entries = int(max(1 << 16, min(budget // entry, _MAX_BLOCK_ENTRIES)))
        block = self.query_block or int(min(n_queries, _MAX_QUERY_BLOCK, max(16, entries // 1024)))
        tile = self.tile_rows or int(min(n_rows, max(1024, entries // block)))
        return max(1, min(block, n_queries)), max(1, min(tile, n_rows))


def _exact_top_k(
    Q: np.ndarray, X: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_queries: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate distances recomputed in float64 (the exact engine's expression); k best kept."""
    dist_sq = np.empty(rows.shape[0], dtype=np.float64)
    chunk = 1 << 16
    for a in range(0, rows.shape[0], chunk):
        diff = Q[rows[a : a + chunk]].astype(np.float64) - X[cols[a : a + chunk]]
        # The canonical float64 distance: numpy's sum of squared differences.
        dist_sq[a : a + chunk] = np.square(diff).sum(axis=1)
    return top_k_pairs(rows, dist_sq, cols, n_queries, k)


def _float_array(values: Any, name: str) -> np.ndarray:
    """``values`` as a float32 or float64 array (other dtypes become float64), all finite."""
    array = np.asarray(values)
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    if array.size and not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity; the 'torch' backend needs finite rows.")
    return array


def _to_device(array: np.ndarray, device: torch.device) -> torch.Tensor:
    """A contiguous, writable copy-if-needed of ``array`` as a tensor on ``device``."""
    array = np.ascontiguousarray(array)
    if not array.flags.writeable:
        array = array.copy()
    return torch.from_numpy(array).to(device)


def _resolve_device(device: Any) -> torch.device:
    """The torch device to search on; ``None`` means CUDA, which must be available."""
    if device is None:
        if not torch.cuda.is_available():
            raise RuntimeError(
                "TorchNeighbors found no CUDA device (torch "
                f"{torch.__version__}). Pass TorchNeighbors(device='cpu') to run on the CPU, "
                "or install a CUDA build of torch (https://pytorch.org)."
            )
        return torch.device("cuda")
    resolved = torch.device(device)
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            f"device={device!r} was asked for but CUDA is not available to torch "
            f"{torch.__version__}; pass device='cpu' or install a CUDA build of torch."
        )
    return resolved


def _full_float32() -> Any:
    """Full float32 matrix products (no TensorFloat-32 / bf16), restored afterwards.

    Uses whichever of torch's two precision APIs is in use, never mixing them.
    These are process-wide flags: held once for all threads searching at once.
    """
    return held_setting("torch-float32-precision", _ieee_float32)


def _ieee_float32() -> Any:
    """Set full float32 precision; return the function that restores the previous one."""
    try:
        previous = torch.get_float32_matmul_precision()
    except RuntimeError:  # the newer per-backend API is in use
        previous = None
    if previous is not None:
        torch.set_float32_matmul_precision("highest")
        return lambda: torch.set_float32_matmul_precision(previous)
    backends = [torch.backends.cuda.matmul, getattr(torch.backends.mkldnn, "matmul", None)]
    backends = [b for b in backends if hasattr(b, "fp32_precision")]
    saved = [b.fp32_precision for b in backends]
    for backend in backends:
        backend.fp32_precision = "ieee"

    def restore() -> None:
        for backend, value in zip(backends, saved):
            backend.fp32_precision = value

    return restore


@contextmanager
def _torch_threads(device: torch.device, n_jobs: int | None) -> Iterator[None]:
    """torch's CPU thread count set from ``n_jobs`` during a CPU search, restored after.

    The first of several threads searching at once sets it; the last restores it.
    """
    if device.type != "cpu" or n_jobs is None:
        yield
        return

    def apply() -> Any:
        previous = torch.get_num_threads()
        torch.set_num_threads(effective_n_jobs(n_jobs))
        return lambda: torch.set_num_threads(previous)

    with held_setting("torch-threads", apply):
        yield
