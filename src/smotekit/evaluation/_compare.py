"""Compare resamplers under cross-validation, resampling inside the training folds only."""

from __future__ import annotations

import dataclasses
import numbers
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.parallel import Parallel, delayed

from ..neighbors._dataset import ReuseCounters
from ._cv import check_cv, cv_splits
from ._fold import FoldResult, FoldTask, dataset_neighbors, prime_dataset_neighbors, run_fold
from ._inputs import class_counts, describe, library_versions, parallel_plan, single_threaded
from ._metrics import check_metrics, minority_label
from ._mixed import (
    ENCODING,
    categorical_columns,
    encoding_pipeline,
    mixed_samplers,
    numeric_preprocessor,
)
from ._samplers import BASELINE, check_samplers, default_samplers, max_neighbor_count
from ._threshold import (
    THRESHOLD_METRICS,
    THRESHOLD_OBJECTIVE,
    TUNED_BASELINE,
    threshold_baseline_problem,
    tuned_threshold_model,
)

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


def compare(
    X: Any,
    y: Any,
    samplers: Mapping[str, Any] | Iterable[Any] | None = None,
    estimator: Any = None,
    *,
    cv: Any = None,
    scoring: Any = None,
    preprocessor: Any = None,
    n_jobs: int | None = -1,
    random_state: int | None = 0,
    error_score: Any = "raise",
    progress: bool = False,
    threshold_baseline: bool = True,
    encode_categorical: bool = True,
    on_fold: Callable[[pd.DataFrame], None] | None = None,
    done: pd.DataFrame | None = None,
    reuse_neighbors: bool = True,
) -> pd.DataFrame:
    """Cross-validate one estimator trained on raw and on resampled training folds.

    For every split of ``cv`` and every sampler, the sampler is fitted on the
    training fold only (the test fold never sees synthetic rows), a clone of
    ``estimator`` is trained on the result, and the test fold is scored.  The
    no-resampling baseline ``"none"`` is always included, and so (for two classes)
    is ``"tuned_threshold"``: no resampling, the decision threshold chosen on the
    training fold (scikit-learn's ``TunedThresholdClassifierCV``, maximizing
    balanced accuracy over an inner stratified 3-fold CV), scored on the metrics
    of hard predictions only (its scores, and so its ranking metrics, are those of
    ``"none"``).  It answers whether resampling beats simply moving the threshold.

    A DataFrame with string, ``category`` or ``bool`` columns is compared as it is
    (see ``docs/evaluation.md``, "Mixed tables"): the default samplers become SMOTENC
    (SMOTEN when every feature is categorical) and random over-sampling, samplers
    that need numeric features are skipped with a note, ``preprocessor`` is applied
    to the numeric columns only, and the estimator is fitted on a one-hot encoding
    of the categorical columns.

    Within a fold all samplers see the same training rows, so neighbour searches
    are shared (:func:`smotekit.neighbors.reuse_neighbor_graphs`, primed with the
    largest neighbour count among the samplers): a sweep over ``k`` or SMOTE and
    ADASYN together search the minority's neighbours once per fold.  Across folds,
    with ``reuse_neighbors``, the whole dataset's neighbour graphs are searched once
    and every fold's exact searches are answered from them.

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
    n_jobs : int or None, default=-1
        Cores to use (-1: all; None or 1: one).  With at least as many folds as
        cores, folds run in parallel processes and every fit is single-threaded
        (the ``n_jobs`` of the estimator, of its nested steps and of the samplers
        are set to 1, so cores are not oversubscribed); with fewer folds, folds run
        one after another and each fit gets the cores (``n_jobs`` left unset by
        the user is set to them).
    random_state : int or None, default=0
        Seed of the fold shuffling when ``cv`` is None, an int or a string, and of
        the tuned-threshold baseline's inner folds.
    error_score : "raise" or float, default="raise"
        What to do when a sampler or the estimator fails on a fold: re-raise,
        or warn and record this value (e.g. ``np.nan``).
    progress : bool, default=False
        Show a progress bar over folds (needs :mod:`tqdm`).
    threshold_baseline : bool, default=True
        Include the ``"tuned_threshold"`` baseline (two classes, an estimator with
        ``predict_proba`` or ``decision_function``; otherwise it is left out with
        a note).
    encode_categorical : bool, default=True
        On a table with categorical columns, fit the estimator on their one-hot
        encoding.  Set False when ``estimator`` encodes them itself (a pipeline
        of your own).
    on_fold : callable or None, default=None
        Called in this process with each fold's results (a DataFrame of
        :data:`RESULT_COLUMNS`) as soon as it is finished, e.g. to save them.
        Folds finish in any order; the returned frame is in split order.
    done : DataFrame or None, default=None
        Results of an interrupted run of the same comparison (what ``on_fold``
        received): the folds it holds in full are not computed again, and come
        back in the result.  Results of other samplers, metrics or folds raise
        ``ValueError``.
    reuse_neighbors : bool, default=True
        Search the neighbours of the whole dataset once (within each class and
        among all rows, a few more than the samplers ask for) and answer every
        fold's searches from these graphs (:mod:`smotekit.neighbors._dataset`):
        a row's nearest neighbours within a training fold are its nearest
        dataset neighbours that lie in the fold, and rows left with too few are
        searched again within the fold.  The answers, and so the results, are
        exactly those of searching each fold.  Only exact searches are served
        (samplers with ``neighbors`` ``"auto"``, ``"exact"`` or ``"tree"``);
        other searches run as usual.  Reuse is off, silently, when
        ``preprocessor`` is set (it is fitted per fold, so the samplers see
        rows transformed differently in every fold and distances are not the
        dataset's), and for sparse X and tables with categorical columns.  With
        parallel folds the graphs are built in this process, by a dry run of
        the samplers on the first training fold, and shipped to the workers.

    Returns
    -------
    results : DataFrame
        Tidy, one row per sampler, fold and metric, with columns ``sampler``,
        ``repeat``, ``fold``, ``metric``, ``value``, ``fit_time`` and
        ``resample_time`` (seconds), ``n_train`` and ``n_test`` (rows before
        resampling), ``n_synthetic`` (synthetic rows the model was trained on:
        0 for under-samplers and cleaners) and ``n_resampled`` (rows it was trained
        on).  ``results.attrs`` records
        ``baseline``, ``tuned_baseline`` (its name, or None when left out),
        ``pos_label`` (the minority class), ``cv``, the neighbour searches run
        (``neighbor_searches``) and served from a stored graph
        (``neighbor_hits``), ``neighbors`` (dataset-level reuse: ``reuse``, and
        when on the requests ``served``, the query rows served (``served_rows``)
        and searched again (``fallback_rows``), requests ``passed`` to the normal
        search, dataset graph ``searches`` and the ``prime_seconds`` of the dry
        run, included in ``timing["resample"]``), ``notes`` (sentences: samplers
        skipped, encodings),
        ``timing`` (seconds spent preprocessing, resampling, fitting and scoring,
        summed over folds, and the ``wall`` time) and ``inputs`` (rows, class
        counts, estimator, samplers, CV scheme, seed, metrics, parallel plan,
        library versions).

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
    >>> results.groupby(["sampler", "metric"], sort=False).size()
    sampler          metric
    none             roc_auc    6
                     g_mean     6
    smote            roc_auc    6
                     g_mean     6
    tuned_threshold  g_mean     6
    dtype: int64
    """
    named = check_samplers(default_samplers(X) if samplers is None else samplers)
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
    wall = time.perf_counter()
    notes: list[str] = []
    categorical = categorical_columns(X)
    if categorical:
        named, skipped = mixed_samplers(named, X)
        notes += skipped
        preprocessor = numeric_preprocessor(preprocessor, X)
        if encode_categorical:
            estimator = encoding_pipeline(estimator, X)
            notes.append(f"The estimator was fitted on a {ENCODING}.")
    if TUNED_BASELINE in named:
        raise ValueError(
            f"The name {TUNED_BASELINE!r} is reserved for the tuned-threshold baseline; "
            "rename that sampler."
        )
    splitter = check_cv(cv, random_state)
    splits = cv_splits(splitter, X, y_arr)
    fold_workers, threads = parallel_plan(n_jobs, len(splits))
    described = {name: describe(s) for name, s in named.items()}
    if fold_workers > 1:  # one thread per fit; with serial folds, fits get the cores
        estimator = single_threaded(estimator)
        named = {n: None if s is None else single_threaded(s) for n, s in named.items()}
    tuned = None
    if threshold_baseline:
        problem = threshold_baseline_problem(estimator, y_arr)
        if problem is None:
            tuned = tuned_threshold_model(estimator, n_jobs=threads, random_state=random_state)
        else:
            notes.append(problem)
    task = FoldTask(
        samplers=named,
        estimator=estimator,
        tuned=tuned,
        preprocessor=preprocessor,
        metrics=metrics,
        pos_label=minority_label(y_arr),
        hint_k=max_neighbor_count(named),
        error_score=error_score,
        threads=threads,
    )
    finished = _finished_folds(done, splits, task)
    todo = [i for i in range(len(splits)) if i not in finished]
    reuse = ReuseCounters()
    prime_seconds = 0.0
    if reuse_neighbors and todo and preprocessor is None and not categorical:
        dataset = dataset_neighbors(X, y_arr, splits, task.hint_k, fold_workers * threads)
        if dataset is not None:
            task = dataclasses.replace(task, dataset=dataset)
            if fold_workers > 1:  # folds get a pickled copy: build the graphs here, once
                start = time.perf_counter()
                # the graphs built count; the dry run's answers do not
                reuse.searches = prime_dataset_neighbors(splits[todo[0]], X, y_arr, task).searches
                prime_seconds = time.perf_counter() - start
                dataset.n_jobs = threads  # a graph a worker still lacks: built on its share
    run = delayed(run_fold)
    outputs: Iterable[FoldResult] = Parallel(n_jobs=fold_workers, return_as="generator_unordered")(
        run(i, splits[i], X, y_arr, task) for i in todo
    )
    if progress:
        outputs = _with_progress(outputs, len(todo))
    results_by_fold: dict[int, list[tuple]] = dict(finished)
    seconds = dict.fromkeys(("preprocess", "resample", "fit", "score"), 0.0)
    seconds["resample"] += prime_seconds
    searches = hits = 0
    for result in outputs:
        for caught in result.warnings:
            warnings.warn_explicit(caught.message, caught.category, caught.filename, caught.lineno)
        results_by_fold[result.index] = result.records
        searches, hits = searches + result.searches, hits + result.hits
        reuse.add(result.reuse)
        for part, value in result.seconds.items():
            seconds[part] += value
        if on_fold is not None:
            on_fold(pd.DataFrame.from_records(result.records, columns=list(RESULT_COLUMNS)))
    records = [r for i in range(len(splits)) for r in results_by_fold[i]]
    results = pd.DataFrame.from_records(records, columns=list(RESULT_COLUMNS))
    seconds["wall"] = time.perf_counter() - wall
    results.attrs.update(
        baseline=BASELINE,
        tuned_baseline=TUNED_BASELINE if tuned is not None else None,
        pos_label=task.pos_label,
        cv=repr(splitter),
        neighbor_searches=searches,
        neighbor_hits=hits,
        neighbors=(
            {"reuse": True, **reuse.as_dict(), "prime_seconds": round(prime_seconds, 3)}
            if task.dataset is not None
            else {"reuse": False}
        ),
        notes=notes,
        timing={part: round(value, 3) for part, value in seconds.items()},
        inputs={
            "rows": n_rows,
            "features": int(np.shape(X)[1]) if len(np.shape(X)) > 1 else 1,
            "categorical_features": [str(c) for c in categorical],
            "class_counts": class_counts(y_arr),
            "estimator": describe(estimator),
            "samplers": described,
            "threshold_baseline": (
                f"TunedThresholdClassifierCV(scoring={THRESHOLD_OBJECTIVE!r}, inner stratified "
                "3-fold CV on each training fold)"
                if tuned is not None
                else "none"
            ),
            "preprocessor": describe(preprocessor) if preprocessor is not None else "none",
            "cv": repr(splitter),
            "random_state": random_state,
            "metrics": metrics,
            "parallel": f"{fold_workers} fold worker(s) x {threads} thread(s) per fit",
            "folds_reused": len(finished),
            "versions": library_versions(),
        },
    )
    return results


def _finished_folds(
    done: pd.DataFrame | None, splits: list[tuple], task: FoldTask
) -> dict[int, list[tuple]]:
    """Records of the splits ``done`` holds in full, by split position (for a resumed run)."""
    if done is None or len(done) == 0:
        return {}
    missing = [c for c in RESULT_COLUMNS if c not in done]
    if missing:
        raise ValueError(
            f"done lacks the column(s) {missing}; pass results returned by compare "
            "(or passed to its on_fold)."
        )
    # (sampler, metric) pairs in the order a fold records them
    pairs = [(n, m) for n in task.samplers for m in task.metrics]
    if task.tuned is not None:
        pairs += [(TUNED_BASELINE, m) for m in task.metrics if m in THRESHOLD_METRICS]
    rank = {pair: k for k, pair in enumerate(pairs)}
    expected = set(rank)
    unknown = set(zip(done["sampler"], done["metric"])) - expected
    if unknown:
        raise ValueError(
            "done holds results of another comparison (sampler, metric pairs "
            f"{sorted(unknown)[:3]} are not in this one); start afresh or compare the same "
            "samplers and metrics."
        )
    position = {(r, f): i for i, (r, f, _, test) in enumerate(splits)}
    sizes = {i: len(test) for i, (_, _, _, test) in enumerate(splits)}
    finished = {}
    columns = list(RESULT_COLUMNS)
    for (repeat, fold), part in done.groupby(["repeat", "fold"], sort=False):
        i = position.get((int(repeat), int(fold)))
        if i is None or set(zip(part["sampler"], part["metric"])) != expected:
            continue
        if int(part["n_test"].iloc[0]) != sizes[i]:
            raise ValueError(
                f"done's repeat {repeat}, fold {fold} has {int(part['n_test'].iloc[0])} test "
                f"rows, this split {sizes[i]}: it comes from other data or folds."
            )
        part = part.drop_duplicates(["sampler", "metric"], keep="last")
        keys = [rank[pair] for pair in zip(part["sampler"], part["metric"])]
        part = part.iloc[np.argsort(keys, kind="stable")]
        finished[i] = [tuple(row) for row in part[columns].itertuples(index=False)]
    return finished


def _with_progress(outputs: Iterable[Any], total: int) -> Iterable[Any]:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return outputs
    return tqdm(outputs, total=total, desc="folds", unit="fold", leave=False)
