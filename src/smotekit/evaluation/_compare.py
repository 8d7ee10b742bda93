"""Compare resamplers under cross-validation, resampling inside the training folds only."""

from __future__ import annotations

import numbers
import time
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.parallel import Parallel, delayed

from ..neighbors import reuse_neighbor_graphs
from ._cv import check_cv, cv_splits
from ._metrics import check_metrics, minority_label, score_estimator
from ._samplers import BASELINE, check_samplers, max_neighbor_count

__all__ = ["RESULT_COLUMNS", "compare"]

#: Columns of the tidy frame returned by :func:`compare`.
RESULT_COLUMNS = (
    "sampler",
    "repeat",
    "fold",
    "metric",
    "value",
    "fit_time",
    "resample_time",
    "n_train",
    "n_test",
    "n_synthetic",
    "n_resampled",
)


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def _n_synthetic(n_before: int, X_res: Any, fitted: Any) -> int:
    """Synthetic rows the model was trained on (under-samplers and cleaners make none)."""
    provenance = getattr(fitted, "provenance_", None)
    if provenance is not None:
        return len(provenance)
    return max(int(np.shape(X_res)[0]) - n_before, 0)


def _run_fold(
    split: tuple[int, int, np.ndarray, np.ndarray],
    X: Any,
    y: np.ndarray,
    samplers: Mapping[str, Any],
    estimator: Any,
    preprocessor: Any,
    metrics: list[str],
    pos_label: Any,
    hint_k: int | None,
    error_score: Any,
) -> tuple[list[tuple], int, int]:
    repeat, fold, train, test = split
    X_train, X_test = _take(X, train), _take(X, test)
    y_train, y_test = y[train], y[test]
    if preprocessor is not None:
        prep = clone(preprocessor).fit(X_train, y_train)
        X_train, X_test = prep.transform(X_train), prep.transform(X_test)
    records = []
    with reuse_neighbor_graphs(hint_k=hint_k) as cache:
        for name, sampler in samplers.items():
            try:
                start = time.perf_counter()
                step = None if sampler is None else clone(sampler)
                if step is None:
                    X_fit, y_fit = X_train, y_train
                else:
                    X_fit, y_fit = step.fit_resample(X_train, y_train)
                resampled = time.perf_counter()
                model = clone(estimator).fit(X_fit, y_fit)
                fitted = time.perf_counter()
                scores = score_estimator(model, X_test, y_test, metrics, pos_label=pos_label)
            except Exception as exc:
                if isinstance(error_score, str) and error_score == "raise":
                    raise
                warnings.warn(
                    f"compare: {name!r} failed on repeat {repeat}, fold {fold} "
                    f"({type(exc).__name__}: {exc}); its scores are set to {error_score}.",
                    UserWarning,
                    stacklevel=2,
                )
                scores = dict.fromkeys(metrics, float(error_score))
                start = resampled = fitted = float("nan")
                X_fit, step = X_train, None
            n_synthetic = _n_synthetic(len(train), X_fit, step)
            for metric, value in scores.items():
                records.append(
                    (
                        name,
                        repeat,
                        fold,
                        metric,
                        value,
                        fitted - resampled,
                        resampled - start,
                        len(train),
                        len(test),
                        n_synthetic,
                        int(np.shape(X_fit)[0]),
                    )
                )
    return records, cache.searches, cache.hits


def compare(
    X: Any,
    y: Any,
    samplers: Mapping[str, Any] | Iterable[Any] | None = None,
    estimator: Any = None,
    *,
    cv: Any = None,
    scoring: Any = None,
    preprocessor: Any = None,
    n_jobs: int | None = None,
    random_state: int | None = 0,
    error_score: Any = "raise",
    progress: bool = False,
) -> pd.DataFrame:
    """Cross-validate one estimator trained on raw and on resampled training folds.

    For every split of ``cv`` and every sampler, the sampler is fitted on the
    training fold only (the test fold never sees synthetic rows), a clone of
    ``estimator`` is trained on the result, and the test fold is scored.  The
    no-resampling baseline ``"none"`` is always included.

    Within a fold all samplers see the same training rows, so neighbour searches
    are shared (:func:`smotekit.neighbors.reuse_neighbor_graphs`, primed with the
    largest neighbour count among the samplers): a sweep over ``k`` or SMOTE and
    ADASYN together search the minority's neighbours once per fold.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    samplers : dict, list or None, default=None
        ``{name: sampler}`` (a sampler is anything with ``fit_resample``; None means
        no resampling), or a list of samplers named by :func:`sampler_name`.  None
        compares ``SMOTE``, ``ADASYN`` and Borderline-1 (``random_state=0``).  See
        :func:`k_sweep` for neighbour-count sweeps.
    estimator : classifier or None, default=None
        Cloned for every fit.  None uses
        ``RandomForestClassifier(n_estimators=100, random_state=0)``.
    cv : None, int, str or splitter, default=None
        See :func:`check_cv`; None means 3 repeats of stratified 5-fold.
    scoring : str, list of str or None, default=None
        Metric names from :data:`~smotekit.evaluation.METRICS`; None computes all six.
    preprocessor : transformer or None, default=None
        Fitted on each training fold and applied to both parts *before*
        resampling (e.g. ``MinMaxScaler()``, which matters for the neighbour
        searches of SMOTE-like samplers).
    n_jobs : int or None, default=None
        Folds run in parallel processes (``None``: one at a time).
    random_state : int or None, default=0
        Seed of the fold shuffling when ``cv`` is None, an int or a string.
    error_score : "raise" or float, default="raise"
        What to do when a sampler or the estimator fails on a fold: re-raise,
        or warn and record this value (e.g. ``np.nan``).
    progress : bool, default=False
        Show a progress bar over folds (needs :mod:`tqdm`).

    Returns
    -------
    results : DataFrame
        Tidy, one row per sampler, fold and metric, with columns ``sampler``,
        ``repeat``, ``fold``, ``metric``, ``value``, ``fit_time`` and
        ``resample_time`` (seconds), ``n_train`` and ``n_test`` (rows before
        resampling), ``n_synthetic`` (synthetic rows the model was trained on:
        0 for under-samplers and cleaners) and ``n_resampled`` (rows it was trained
        on).  ``results.attrs`` records
        ``baseline``, ``pos_label`` (the minority class), ``cv`` and the neighbour
        searches run (``neighbor_searches``) and served from a stored graph
        (``neighbor_hits``).

    See Also
    --------
    summarize : Means, intervals and paired differences against ``"none"``.
    write_report : Markdown and HTML report of the results.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smotekit import SMOTE
    >>> from smotekit.evaluation import compare
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> results = compare(X, y, {"smote": SMOTE(random_state=0)}, LogisticRegression(),
    ...                   cv="3x2", scoring=["roc_auc", "g_mean"])
    >>> results.groupby(["sampler", "metric"]).size()
    sampler  metric
    none     g_mean     6
             roc_auc    6
    smote    g_mean     6
             roc_auc    6
    dtype: int64
    """
    named = check_samplers(samplers)
    if estimator is None:
        estimator = RandomForestClassifier(n_estimators=100, random_state=0)
    if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
        raise TypeError(
            f"estimator must be a classifier with fit and predict; got {type(estimator).__name__}."
        )
    metrics = check_metrics(scoring)
    if not (isinstance(error_score, str) and error_score == "raise") and not isinstance(
        error_score, numbers.Real
    ):
        raise ValueError(f"error_score must be 'raise' or a number; got {error_score!r}.")
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        raise ValueError(f"y must be 1-D; got shape {y_arr.shape}.")
    n_rows = int(np.shape(X)[0]) if hasattr(X, "shape") else len(X)
    if n_rows != y_arr.shape[0]:
        raise ValueError(f"X has {n_rows} rows but y has {y_arr.shape[0]} labels.")
    if np.unique(y_arr).size < 2:
        raise ValueError("y has a single class; comparing resamplers needs at least two.")
    if not hasattr(X, "iloc") and not hasattr(X, "tocsr"):
        X = np.asarray(X)
    splitter = check_cv(cv, random_state)
    splits = cv_splits(splitter, X, y_arr)
    pos_label = minority_label(y_arr)
    hint_k = max_neighbor_count(named)
    run = delayed(_run_fold)
    tasks = (
        run(s, X, y_arr, named, estimator, preprocessor, metrics, pos_label, hint_k, error_score)
        for s in splits
    )
    outputs = Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
    if progress:
        outputs = _with_progress(outputs, len(splits))
    records, searches, hits = [], 0, 0
    for fold_records, fold_searches, fold_hits in outputs:
        records += fold_records
        searches += fold_searches
        hits += fold_hits
    results = pd.DataFrame.from_records(records, columns=list(RESULT_COLUMNS))
    results.attrs.update(
        baseline=BASELINE,
        pos_label=pos_label,
        cv=repr(splitter),
        neighbor_searches=searches,
        neighbor_hits=hits,
    )
    return results


def _with_progress(outputs: Iterable[Any], total: int) -> Iterable[Any]:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return outputs
    return tqdm(outputs, total=total, desc="folds", unit="fold", leave=False)


def _with_progress(outputs: Iterable[Any], total: int) -> Iterable[Any]:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return outputs
    return tqdm(outputs, total=total, desc="folds", unit="fold", leave=False)
