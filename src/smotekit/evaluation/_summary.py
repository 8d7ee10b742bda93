"""Summarize cross-validated scores: means, corrected intervals, paired differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ._metrics import METRICS
from ._samplers import BASELINE

__all__ = ["paired_interval", "summarize"]

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


def paired_interval(
    differences: np.ndarray, ratio: float, confidence: float
) -> tuple[float, float, float, float]:
    """Mean paired difference, its Nadeau-Bengio corrected interval and two-sided p-value.

    Parameters
    ----------
    differences : ndarray
        One value per fold (sampler minus reference), NaN-free.
    ratio : float
        ``n_test / n_train`` of the folds.
    confidence : float
        Level of the interval.

    Returns
    -------
    (mean, low, high, p_value)
        The interval is clipped to [-1, 1] (the built-in metrics lie in [0, 1]);
        NaN where fewer than two folds are given.

    Examples
    --------
    >>> mean, low, high, p = paired_interval(np.array([0.05, 0.04, 0.06]), 0.25, 0.95)
    >>> round(mean, 3), low > 0, p < 0.05
    (0.05, True, True)
    """
    mean, _, half, p_value = _interval(differences, ratio, confidence, True)
    return mean, max(mean - half, -1.0), min(mean + half, 1.0), p_value


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
        From :func:`~smotekit.evaluation.compare`, possibly several concatenated with an extra
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
        ``summary.attrs["verdict"]`` holds the verdict, one sentence per (dataset
        and) metric family (see :func:`~smotekit.evaluation.verdict`; empty with
        ``correction=None``).

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
    >>> rows = [(s, 0, f, "roc_auc", v, 0.1, 0.0, 80, 20, 0, 80)
    ...         for s, vals in {"none": [0.80, 0.82, 0.78], "smote": [0.85, 0.86, 0.84]}.items()
    ...         for f, v in enumerate(vals)]
    >>> from smotekit.evaluation._compare import RESULT_COLUMNS
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
    from ._verdict import verdict, verdict_lines

    judged = verdict(results, confidence=confidence) if corrected else None
    summary.attrs.update(
        baseline=baseline,
        confidence=confidence,
        correction=correction,
        verdict=verdict_lines(judged) if judged is not None else [],
    )
    return summary.reset_index(drop=True)
