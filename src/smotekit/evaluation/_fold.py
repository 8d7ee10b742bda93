"""One fold of a comparison: every sampler fitted on the training part, every model scored."""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from joblib import parallel_config
from sklearn.base import clone

from ..neighbors import reuse_neighbor_graphs
from ..neighbors._dataset import DatasetNeighbors, ReuseCounters
from ..neighbors._dataset_reuse import reuse_dataset_neighbors
from ._metrics import score_estimator
from ._threshold import THRESHOLD_METRICS, TUNED_BASELINE

__all__ = [
    "FoldResult",
    "FoldTask",
    "dataset_neighbors",
    "prime_dataset_neighbors",
    "run_fold",
]


@dataclass(frozen=True)
class FoldTask:
    """What every fold shares: the conditions, the model and how to score it.

    Attributes
    ----------
    samplers : mapping of str to sampler or None
        The conditions, the baseline (None) first.
    estimator : classifier
        Cloned for every fit (already wrapped in the encoding of a mixed table).
    tuned : classifier or None
        The tuned-threshold baseline's model, or None to leave it out.
    preprocessor : transformer or None
        Fitted on the training part, applied to both parts before resampling.
    metrics : list of str
    pos_label : label
        The minority class.
    hint_k : int or None
        Largest neighbour count, to prime the shared neighbour graphs.
    error_score : "raise" or float
    threads : int
        Cores a fit may use: the default ``n_jobs`` of joblib inside the fold
        (estimators with ``n_jobs=None`` read it).
    dataset : DatasetNeighbors or None
        The whole dataset's neighbour graphs: the samplers' exact searches over a
        fold's training rows are answered from them (None: every fold searches).
    """

    samplers: Mapping[str, Any]
    estimator: Any
    tuned: Any
    preprocessor: Any
    metrics: list[str]
    pos_label: Any
    hint_k: int | None
    error_score: Any
    threads: int = 1
    dataset: DatasetNeighbors | None = None


@dataclass
class FoldResult:
    """Records of one fold, in :data:`~smotekit.evaluation.RESULT_COLUMNS` order, and its costs."""

    index: int
    records: list[tuple] = field(default_factory=list)
    searches: int = 0
    hits: int = 0
    reuse: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[warnings.WarningMessage] = field(default_factory=list)


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def _n_synthetic(n_before: int, X_res: Any, fitted: Any) -> int:
    """Synthetic rows the model was trained on (under-samplers and cleaners make none)."""
    provenance = getattr(fitted, "provenance_", None)
    if provenance is not None:
        return len(provenance)
    return max(int(np.shape(X_res)[0]) - n_before, 0)


def _failed(task: FoldTask, name: str, split: tuple, exc: Exception, metrics: list[str]) -> dict:
    if isinstance(task.error_score, str) and task.error_score == "raise":
        raise exc
    repeat, fold = split[0], split[1]
    warnings.warn(
        f"compare: {name!r} failed on repeat {repeat}, fold {fold} "
        f"({type(exc).__name__}: {exc}); its scores are set to {task.error_score}.",
        UserWarning,
        stacklevel=3,
    )
    return dict.fromkeys(metrics, float(task.error_score))


def run_fold(index: int, split: tuple, X: Any, y: np.ndarray, task: FoldTask) -> FoldResult:
    """Fit and score every condition on one split, with ``task.threads`` cores for each fit.

    Parameters
    ----------
    index : int
        Position of the split, returned with the result.
    split : (repeat, fold, train, test)
    X, y : the whole data (indexed by ``train`` and ``test``)
    task : FoldTask

    Returns
    -------
    FoldResult
    """
    with warnings.catch_warnings(record=True) as caught:
        # Recorded here and raised again where compare runs: a worker process's
        # warnings would otherwise be lost on its stderr.
        warnings.simplefilter("always")
        if task.threads > 1:
            with parallel_config(n_jobs=task.threads):
                result = _run_fold(index, split, X, y, task)
        else:
            result = _run_fold(index, split, X, y, task)
    result.warnings = list(caught)
    return result


def _run_fold(index: int, split: tuple, X: Any, y: np.ndarray, task: FoldTask) -> FoldResult:
    repeat, fold, train, test = split
    out = FoldResult(index)
    seconds = dict.fromkeys(("preprocess", "resample", "fit", "score"), 0.0)
    X_train, X_test = _take(X, train), _take(X, test)
    y_train, y_test = y[train], y[test]
    if task.preprocessor is not None:
        start = time.perf_counter()
        prep = clone(task.preprocessor).fit(X_train, y_train)
        X_train, X_test = prep.transform(X_train), prep.transform(X_test)
        seconds["preprocess"] += time.perf_counter() - start

    def record(name: str, scores: dict, fit_s: float, resample_s: float, X_fit: Any, step: Any):
        n_synthetic = _n_synthetic(len(train), X_fit, step)
        for metric, value in scores.items():
            out.records.append(
                (
                    name,
                    repeat,
                    fold,
                    metric,
                    value,
                    fit_s,
                    resample_s,
                    len(train),
                    len(test),
                    n_synthetic,
                    int(np.shape(X_fit)[0]),
                )
            )

    with reuse_neighbor_graphs(hint_k=task.hint_k) as cache, _dataset_reuse(task, train) as view:
        for name, sampler in task.samplers.items():
            try:
                start = time.perf_counter()
                step = None if sampler is None else clone(sampler)
                if step is None:
                    X_fit, y_fit = X_train, y_train
                else:
                    X_fit, y_fit = step.fit_resample(X_train, y_train)
                resampled = time.perf_counter()
                model = clone(task.estimator).fit(X_fit, y_fit)
                fitted = time.perf_counter()
                scores = score_estimator(
                    model, X_test, y_test, task.metrics, pos_label=task.pos_label
                )
                seconds["score"] += time.perf_counter() - fitted
                seconds["resample"] += resampled - start
                seconds["fit"] += fitted - resampled
                fit_s, resample_s = fitted - resampled, resampled - start
            except Exception as exc:
                scores = _failed(task, name, split, exc, task.metrics)
                fit_s = resample_s = float("nan")
                X_fit, step = X_train, None
            record(name, scores, fit_s, resample_s, X_fit, step)
        out.searches, out.hits = cache.searches, cache.hits
        out.reuse = view.counters.as_dict() if view is not None else {}

    threshold_metrics = [m for m in task.metrics if m in THRESHOLD_METRICS]
    if task.tuned is not None and threshold_metrics:
        try:
            start = time.perf_counter()
            model = clone(task.tuned).fit(X_train, y_train)
            fitted = time.perf_counter()
            scores = score_estimator(
                model, X_test, y_test, threshold_metrics, pos_label=task.pos_label
            )
            seconds["score"] += time.perf_counter() - fitted
            seconds["fit"] += fitted - start
            fit_s = fitted - start
        except Exception as exc:
            scores = _failed(task, TUNED_BASELINE, split, exc, threshold_metrics)
            fit_s = float("nan")
        record(TUNED_BASELINE, scores, fit_s, 0.0, X_train, None)
    out.seconds = seconds
    return out


def _dataset_reuse(task: FoldTask, train: np.ndarray) -> Any:
    """The samplers see ``dataset.X[train]``: serve their searches from the dataset graphs."""
    if task.dataset is None:
        return nullcontext()
    return reuse_dataset_neighbors(task.dataset, rows=train)


def prime_dataset_neighbors(split: tuple, X: Any, y: np.ndarray, task: FoldTask) -> ReuseCounters:
    """Build the dataset graphs the samplers ask for, by a dry run on one training fold.

    Run in the parent process before folds go to worker processes, so the graphs
    are built once (with every core) and shipped, rather than once per fold: a
    worker's copy of ``task`` is unpickled afresh for every fold.  The resampled
    rows are discarded; a sampler that fails here fails again, and is reported,
    in its fold.

    Parameters
    ----------
    split : (repeat, fold, train, test)
    X, y : the whole data
    task : FoldTask
        With ``dataset`` set.

    Returns
    -------
    ReuseCounters
        Of the dry run (its ``searches`` are the graphs built).
    """
    train = split[2]
    X_train, y_train = _take(X, train), y[train]
    with (
        warnings.catch_warnings(),
        reuse_neighbor_graphs(hint_k=task.hint_k),
        _dataset_reuse(task, train) as view,
    ):
        warnings.simplefilter("ignore")
        for sampler in task.samplers.values():
            if sampler is None:
                continue
            try:
                clone(sampler).fit_resample(X_train, y_train)
            except Exception:  # reported by the fold that runs it for real
                continue
    return view.counters if view is not None else ReuseCounters()


def dataset_neighbors(
    X: Any, y: np.ndarray, splits: list[tuple], hint_k: int | None, n_jobs: int
) -> DatasetNeighbors | None:
    """The dataset's neighbour graphs for a comparison (built lazily), or None.

    None for sparse X, splits that repeat a row in a training part, or X the
    samplers would not take as numeric.  ``keep_share`` is the smallest training
    share of the splits.
    """
    if hasattr(X, "tocsr") or any(np.unique(train).size != len(train) for *_, train, _ in splits):
        return None
    keep = min(len(train) for *_, train, _ in splits) / max(len(y), 1)
    try:
        return DatasetNeighbors(X, y, keep_share=max(keep, 1e-3), k_hint=hint_k, n_jobs=n_jobs)
    except (TypeError, ValueError):  # not numeric: the samplers will say so
        return None
