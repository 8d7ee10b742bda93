"""Compare resamplers under cross-validation, resampling inside the training folds only."""

from __future__ import annotations

import numbers
import re
import time
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from sklearn.utils.parallel import Parallel, delayed

from ..neighbors import reuse_neighbor_graphs
from ._metrics import METRICS, check_metrics, minority_label, score_estimator

__all__ = ["BASELINE", "check_cv", "compare", "k_sweep", "sampler_name", "summarize"]

#: Name of the no-resampling condition that :func:`compare` always includes.
BASELINE = "none"
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
)
_K_PARAMS = ("k_neighbors", "m_neighbors", "n_neighbors")
_CV_RE = re.compile(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$")


def sampler_name(sampler: Any) -> str:
    """A short lower-case name for a sampler (``"borderline1"`` for Borderline-1).

    Examples
    --------
    >>> from smotekit import SMOTE, BorderlineSMOTE
    >>> sampler_name(SMOTE()), sampler_name(BorderlineSMOTE(kind="borderline-2"))
    ('smote', 'borderline2')
    >>> sampler_name(None)
    'none'
    """
    if sampler is None:
        return BASELINE
    name = type(sampler).__name__.lower()
    kind = getattr(sampler, "kind", None)
    if name == "borderlinesmote" and isinstance(kind, str):
        return kind.replace("-", "")
    return name


def _check_samplers(samplers: Any) -> dict[str, Any]:
    if samplers is None:
        from ..over_sampling import ADASYN, SMOTE, BorderlineSMOTE

        samplers = {
            "smote": SMOTE(random_state=0),
            "adasyn": ADASYN(random_state=0),
            "borderline1": BorderlineSMOTE(random_state=0),
        }
    if not isinstance(samplers, Mapping):
        if hasattr(samplers, "fit_resample") or isinstance(samplers, str):
            raise TypeError(
                "samplers must be a dict {name: sampler} or a list of samplers; "
                f"got a single {type(samplers).__name__}. Wrap it: [sampler]."
            )
        named: dict[str, Any] = {}
        for sampler in samplers:
            base = name = sampler_name(sampler)
            i = 2
            while name in named:
                name, i = f"{base}_{i}", i + 1
            named[name] = sampler
        samplers = named
    out: dict[str, Any] = {BASELINE: None}
    for name, sampler in samplers.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"Sampler names must be non-empty strings; got {name!r}.")
        if name == BASELINE and sampler is not None:
            raise ValueError(
                f"The name {BASELINE!r} is reserved for the no-resampling baseline; "
                f"rename the sampler {type(sampler).__name__}."
            )
        if sampler is not None and not hasattr(sampler, "fit_resample"):
            raise TypeError(
                f"Sampler {name!r} must have a fit_resample method (or be None for no "
                f"resampling); got {type(sampler).__name__}."
            )
        out[name] = sampler
    return out


def k_sweep(sampler: Any, ks: Iterable[int], *, param: str | None = None) -> dict[str, Any]:
    """One copy of ``sampler`` per neighbour count, named ``"<name>(k=<k>)"``.

    Under :func:`compare`, every fold searches neighbours once with the largest k
    and serves the other values from that graph, so a sweep costs about one run.

    Parameters
    ----------
    sampler : sampler
        The template (cloned; not modified).
    ks : iterable of int
        Neighbour counts.
    param : str or None, default=None
        Parameter to vary; by default ``k_neighbors`` if the sampler has it, else
        ``n_neighbors``.

    Returns
    -------
    dict
        ``{name: sampler}``, ready for ``compare(samplers=...)``.

    Examples
    --------
    >>> from smotekit import SMOTE
    >>> sorted(k_sweep(SMOTE(), [3, 5]))
    ['smote(k=3)', 'smote(k=5)']
    """
    params = sampler.get_params(deep=False)
    if param is None:
        param = next((p for p in ("k_neighbors", "n_neighbors") if p in params), None)
        if param is None:
            raise ValueError(
                f"{type(sampler).__name__} has no k_neighbors or n_neighbors parameter; "
                "pass param= to name the one to vary."
            )
    elif param not in params:
        raise ValueError(f"{type(sampler).__name__} has no parameter {param!r}.")
    ks = list(ks)
    if not ks:
        raise ValueError("ks is empty: give at least one neighbour count.")
    base = sampler_name(sampler)
    return {f"{base}(k={k})": clone(sampler).set_params(**{param: k}) for k in ks}


def check_cv(cv: Any, random_state: int | None = 0) -> Any:
    """The splitter for ``cv``.

    Parameters
    ----------
    cv : None, int, str or splitter
        ``None``: stratified 5-fold repeated 3 times (``"5x3"``).  An int ``K``:
        stratified K-fold, shuffled.  A string ``"KxR"``: stratified ``K``-fold
        repeated ``R`` times (``"5x3"`` is 5 folds, 3 repeats).  Anything with a
        ``split`` method is used as given.
    random_state : int or None, default=0
        Seed of the shuffling.

    Returns
    -------
    splitter

    Examples
    --------
    >>> check_cv("5x3")
    RepeatedStratifiedKFold(n_repeats=3, n_splits=5, random_state=0)
    >>> check_cv(4)
    StratifiedKFold(n_splits=4, random_state=0, shuffle=True)
    """
    if cv is None:
        return RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=random_state)
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds; got {cv}.")
        return StratifiedKFold(n_splits=int(cv), shuffle=True, random_state=random_state)
    if isinstance(cv, str):
        match = _CV_RE.match(cv)
        if match is None or int(match.group(1)) < 2 or int(match.group(2)) < 1:
            raise ValueError(
                f"cv={cv!r} is not of the form 'KxR' (K >= 2 folds repeated R >= 1 times, "
                "e.g. '5x3')."
            )
        folds, repeats = int(match.group(1)), int(match.group(2))
        return RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=random_state)
    if hasattr(cv, "split"):
        return cv
    raise TypeError(
        f"cv must be None, an int, a string 'KxR' or a splitter with a split method; "
        f"got {type(cv).__name__}."
    )


def _hint_k(samplers: Mapping[str, Any]) -> int | None:
    """The largest integer neighbour count among the samplers' parameters."""
    ks = []
    for sampler in samplers.values():
        if sampler is None or not hasattr(sampler, "get_params"):
            continue
        params = sampler.get_params(deep=False)
        ks += [
            int(params[p])
            for p in _K_PARAMS
            if isinstance(params.get(p), numbers.Integral) and not isinstance(params[p], bool)
        ]
    return max(ks) if ks else None


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def _n_synthetic(n_before: int, X_res: Any) -> int:
    return int(np.shape(X_res)[0]) - n_before


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
                if sampler is None:
                    X_fit, y_fit = X_train, y_train
                else:
                    X_fit, y_fit = clone(sampler).fit_resample(X_train, y_train)
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
                X_fit = X_train
            n_synthetic = _n_synthetic(len(train), X_fit)
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
                    )
                )
    return records, cache.searches, cache.hits


def _splits(cv: Any, X: Any, y: np.ndarray) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    pairs = list(cv.split(X, y))
    n_repeats = getattr(cv, "n_repeats", 1)
    per_repeat = max(1, len(pairs) // n_repeats) if isinstance(n_repeats, int) else len(pairs)
    return [(i // per_repeat, i % per_repeat, train, test) for i, (train, test) in enumerate(pairs)]


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
        resampling) and ``n_synthetic``.  ``results.attrs`` records
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
    named = _check_samplers(samplers)
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
    splits = _splits(splitter, X, y_arr)
    pos_label = minority_label(y_arr)
    hint_k = _hint_k(named)
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


_CORRECTIONS = ("nadeau-bengio", None)


def _interval(values: np.ndarray, ratio: float, confidence: float, corrected: bool) -> tuple:
    """Mean, std, half-width of the t-interval and two-sided p-value of mean == 0."""
    n = values.size
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan"), float("nan")
    std = float(values.std(ddof=1))
    factor = 1.0 / n + (ratio if corrected else 0.0)
    se = std * np.sqrt(factor)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1) * se)
    if se > 0:
        p_value = float(2 * stats.t.sf(abs(mean) / se, n - 1))
    else:
        p_value = 1.0 if mean == 0 else 0.0
    return mean, std, half, p_value


def summarize(
    results: pd.DataFrame,
    *,
    baseline: str | None = None,
    confidence: float = 0.95,
    correction: str | None = "nadeau-bengio",
) -> pd.DataFrame:
    """Mean score per sampler and metric, with intervals and paired differences.

    Parameters
    ----------
    results : DataFrame
        From :func:`compare`, possibly several concatenated with an extra
        ``dataset`` column (summarized per dataset).
    baseline : str or None, default=None
        Sampler the differences are taken against; None uses
        ``results.attrs["baseline"]``, else ``"none"``.
    confidence : float, default=0.95
        Level of the intervals.
    correction : {"nadeau-bengio", None}, default="nadeau-bengio"
        Variance correction for cross-validation (see Notes); None gives the
        plain t-interval, which is too narrow.

    Returns
    -------
    summary : DataFrame
        One row per (``dataset``,) ``sampler`` and ``metric``: ``n`` (folds),
        ``mean``, ``std``, ``ci_low``, ``ci_high``; ``diff``, ``diff_low``,
        ``diff_high`` and ``p_value`` of the paired difference (sampler minus
        baseline, fold by fold); mean ``fit_time`` and ``resample_time``.

    Notes
    -----
    The folds of a cross-validation are not independent samples: their training
    sets overlap, so the spread of fold scores understates the uncertainty, and a
    plain t-interval (``std / sqrt(n)``) is too narrow and its tests too eager.
    With ``correction="nadeau-bengio"`` the variance of the mean of ``n`` fold
    values is taken as ``(1/n + n_test/n_train) * s**2`` instead of ``s**2 / n``
    (Nadeau & Bengio's corrected resampled t-test, as recommended by Bouckaert &
    Frank for repeated cross-validation), with ``n - 1`` degrees of freedom; it
    is applied both to each sampler's mean and to the paired differences.  It is
    a heuristic correction, not an exact interval.  Intervals of the built-in
    metrics are clipped to their range ([0, 1]; [-1, 1] for differences).  Differences are paired by
    repeat and fold, so the common fold-to-fold variation cancels.

    References
    ----------
    .. [1] C. Nadeau, Y. Bengio, "Inference for the generalization error",
       Machine Learning, 52(3), 239-281, 2003.
    .. [2] R. R. Bouckaert, E. Frank, "Evaluating the replicability of
       significance tests for comparing learning algorithms", PAKDD 2004.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(s, 0, f, "roc_auc", v, 0.1, 0.0, 80, 20, 0)
    ...         for s, vals in {"none": [0.80, 0.82, 0.78], "smote": [0.85, 0.86, 0.84]}.items()
    ...         for f, v in enumerate(vals)]
    >>> results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    >>> summary = summarize(results)
    >>> summary[["sampler", "mean", "diff", "p_value"]].round(3)
      sampler  mean  diff  p_value
    0    none  0.80  0.00      NaN
    1   smote  0.85  0.05    0.023
    """
    if correction not in _CORRECTIONS:
        raise ValueError(f"correction must be one of {_CORRECTIONS}; got {correction!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}.")
    missing = [c for c in ("sampler", "metric", "value", "repeat", "fold") if c not in results]
    if missing:
        raise ValueError(
            f"results lack the column(s) {missing}; pass the DataFrame returned by compare."
        )
    baseline = baseline or results.attrs.get("baseline", BASELINE)
    if baseline not in set(results["sampler"]):
        raise ValueError(
            f"The baseline {baseline!r} is not among the samplers "
            f"{sorted(set(results['sampler']))}."
        )
    corrected = correction is not None
    outer = ["dataset"] if "dataset" in results else []
    keys = ["repeat", "fold"]
    rows = []
    for group_key, group in results.groupby([*outer, "metric"], sort=False):
        group_key = group_key if isinstance(group_key, tuple) else (group_key,)
        wide = group.pivot_table(index=keys, columns="sampler", values="value", dropna=False)
        base = wide[baseline] if baseline in wide else None
        for sampler, part in group.groupby("sampler", sort=False):
            values = part["value"].to_numpy(dtype=float)
            values = values[~np.isnan(values)]
            ratio = float(part["n_test"].mean() / part["n_train"].mean()) if "n_test" in part else 0
            mean, std, half, _ = _interval(values, ratio, confidence, corrected)
            low, high = mean - half, mean + half
            if group_key[-1] in METRICS:  # every built-in metric lies in [0, 1]
                low, high = max(low, 0.0), min(high, 1.0)
            if sampler == baseline or base is None:
                diff = (0.0, float("nan"), float("nan"), float("nan"))
            else:
                paired = (wide[sampler] - base).to_numpy(dtype=float)
                d_mean, _, d_half, p = _interval(
                    paired[~np.isnan(paired)], ratio, confidence, corrected
                )
                d_low, d_high = d_mean - d_half, d_mean + d_half
                if group_key[-1] in METRICS:
                    d_low, d_high = max(d_low, -1.0), min(d_high, 1.0)
                diff = (d_mean, d_low, d_high, p)
            rows.append(
                (
                    *group_key[:-1],
                    sampler,
                    group_key[-1],
                    values.size,
                    mean,
                    std,
                    low,
                    high,
                    *diff,
                    float(part["fit_time"].mean()) if "fit_time" in part else float("nan"),
                    float(part["resample_time"].mean())
                    if "resample_time" in part
                    else float("nan"),
                )
            )
    columns = [*outer, "sampler", "metric", "n", "mean", "std", "ci_low", "ci_high"]
    columns += ["diff", "diff_low", "diff_high", "p_value", "fit_time", "resample_time"]
    summary = pd.DataFrame(rows, columns=columns)
    summary.attrs.update(baseline=baseline, confidence=confidence, correction=correction)
    return summary.reset_index(drop=True)
