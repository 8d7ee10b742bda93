"""The verdict of a comparison: which samplers help, hurt or make no detectable difference.

Two families of metrics are judged apart, because they answer different questions:

* **threshold-free** (ROC-AUC, average precision) rank the test rows by the
  model's scores: does resampling make the model *separate* the classes better?
  Each sampler is compared with no resampling.
* **threshold** (balanced accuracy, G-mean, minority recall, minority F1) judge hard
  predictions, which move with the decision threshold.  Resampling moves the
  threshold implicitly, so each sampler is compared with the tuned-threshold
  baseline (no resampling, threshold chosen on the training fold) when it ran,
  and that baseline itself with no resampling.

Every comparison is a paired difference over the folds with the Nadeau-Bengio
corrected interval (see :func:`~smotekit.evaluation.summarize`).  Within one
dataset and family the ``m`` comparisons are corrected together (Bonferroni):
each interval is taken at level ``1 - (1 - confidence) / m`` and its p-value
multiplied by ``m``, so that the chance of *any* false "helps" or "hurts" in the
family stays below ``1 - confidence``.  A sampler helps (hurts) on a metric when
its whole corrected interval lies above (below) 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._samplers import BASELINE
from ._summary import paired_interval
from ._threshold import THRESHOLD_METRICS, TUNED_BASELINE

__all__ = ["FAMILIES", "METRIC_LABELS", "verdict", "verdict_lines"]

#: The metric families judged apart, in report order.
FAMILIES: dict[str, tuple[str, ...]] = {
    "threshold-free": ("roc_auc", "average_precision"),
    "threshold": THRESHOLD_METRICS,
}
#: How the report names the metrics.
METRIC_LABELS = {
    "roc_auc": "ROC-AUC",
    "average_precision": "average precision",
    "balanced_accuracy": "balanced accuracy",
    "g_mean": "G-mean",
    "minority_recall": "minority recall",
    "minority_f1": "minority F1",
}
_COLUMNS = [
    "family",
    "metric",
    "sampler",
    "reference",
    "n",
    "diff",
    "low",
    "high",
    "p_value",
    "p_adjusted",
    "comparisons",
    "outcome",
]


def _comparisons(samplers: list[str], family: str, tuned: bool) -> list[tuple[str, str]]:
    """(sampler, reference) pairs judged in a family."""
    others = [s for s in samplers if s not in (BASELINE, TUNED_BASELINE)]
    if family == "threshold" and tuned:
        return [(s, TUNED_BASELINE) for s in others] + [(TUNED_BASELINE, BASELINE)]
    return [(s, BASELINE) for s in others]


def verdict(
    results: pd.DataFrame, *, confidence: float = 0.95, correction: str | None = "bonferroni"
) -> pd.DataFrame:
    """Every judged comparison of a comparison's results, with its corrected interval.

    Parameters
    ----------
    results : DataFrame
        From :func:`~smotekit.evaluation.compare`, optionally with a ``dataset``
        column.
    confidence : float, default=0.95
        Family-wise level.
    correction : {"bonferroni", None}, default="bonferroni"
        Correction for the several comparisons of a family; None judges each at
        ``confidence`` alone (more false findings).

    Returns
    -------
    DataFrame
        One row per (``dataset``,) family, metric and comparison: ``sampler``,
        ``reference``, folds ``n``, mean paired difference ``diff`` with its
        corrected interval ``low``/``high``, ``p_value`` (uncorrected),
        ``p_adjusted``, ``comparisons`` (``m``) and ``outcome`` ("helps", "hurts"
        or "no detectable difference").

    Examples
    --------
    >>> import pandas as pd
    >>> from smotekit.evaluation._compare import RESULT_COLUMNS
    >>> scores = {"none": [0.80, 0.82, 0.78, 0.81], "smote": [0.85, 0.86, 0.84, 0.86]}
    >>> rows = [(s, 0, f, "roc_auc", v, 0.1, 0.0, 80, 20, 0, 80)
    ...         for s, vals in scores.items() for f, v in enumerate(vals)]
    >>> table = verdict(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)))
    >>> table[["sampler", "reference", "outcome"]].values.tolist()
    [['smote', 'none', 'helps']]
    """
    if correction not in ("bonferroni", None):
        raise ValueError(f"correction must be 'bonferroni' or None; got {correction!r}.")
    outer = ["dataset"] if "dataset" in results else []
    groups = results.groupby(outer, sort=False) if outer else [((), results)]
    rows = []
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        samplers = list(dict.fromkeys(part["sampler"]))
        tuned = TUNED_BASELINE in samplers
        for family, family_metrics in FAMILIES.items():
            metrics = [m for m in family_metrics if m in set(part["metric"])]
            pairs = _comparisons(samplers, family, tuned)
            judged = [(m, s, r) for m in metrics for s, r in pairs]
            m_total = max(len(judged), 1)
            level = 1 - (1 - confidence) / m_total if correction else confidence
            for metric, sampler, reference in judged:
                judged_row = _judge(part, metric, sampler, reference, level, m_total, correction)
                rows.append((*key, family, metric, sampler, reference, *judged_row))
    table = pd.DataFrame(rows, columns=[*outer, *_COLUMNS])
    table.attrs.update(confidence=confidence, correction=correction)
    return table


def _judge(
    part: pd.DataFrame,
    metric: str,
    sampler: str,
    reference: str,
    level: float,
    m: int,
    correction: str | None,
) -> tuple:
    rows = part[part["metric"] == metric]
    wide = rows.pivot_table(index=["repeat", "fold"], columns="sampler", values="value")
    if sampler not in wide or reference not in wide:
        nan = float("nan")
        return (0, nan, nan, nan, nan, nan, m, "no detectable difference")
    paired = (wide[sampler] - wide[reference]).to_numpy(dtype=float)
    paired = paired[~np.isnan(paired)]
    ratio = float(rows["n_test"].mean() / rows["n_train"].mean())
    mean, low, high, p = paired_interval(paired, ratio, level)
    p_adjusted = min(1.0, p * m) if correction and not np.isnan(p) else p
    if low > 0:
        outcome = "helps"
    elif high < 0:
        outcome = "hurts"
    else:
        outcome = "no detectable difference"
    return (paired.size, mean, low, high, p, p_adjusted, m, outcome)


def _signed(row: pd.Series) -> str:
    label = METRIC_LABELS.get(row["metric"], row["metric"])
    return f"{label} {row['diff']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}]"


def verdict_lines(table: pd.DataFrame) -> list[str]:
    """One sentence per (dataset and) metric family: who helps, who hurts, who makes no difference.

    Parameters
    ----------
    table : DataFrame
        From :func:`verdict`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"family": ["threshold-free"], "metric": ["roc_auc"],
    ...     "sampler": ["smote"], "reference": ["none"], "diff": [0.05], "low": [0.01],
    ...     "high": [0.09], "outcome": ["helps"], "comparisons": [1]})
    >>> print(verdict_lines(table)[0])
    ... # doctest: +NORMALIZE_WHITESPACE
    Threshold-free metrics (ROC-AUC), against no resampling:
    helps: smote (ROC-AUC +0.050 [+0.010, +0.090]).
    """
    lines = []
    outer = ["dataset"] if "dataset" in table else []
    for key, part in table.groupby([*outer, "family"], sort=False):
        key = key if isinstance(key, tuple) else (key,)
        dataset, family = (key[0], key[1]) if outer else (None, key[0])
        metrics = ", ".join(METRIC_LABELS.get(m, m) for m in dict.fromkeys(part["metric"]))
        main = part[part["sampler"] != TUNED_BASELINE]
        reference = main["reference"].iloc[0] if len(main) else BASELINE
        against = (
            "against the tuned threshold (no resampling)"
            if reference == TUNED_BASELINE
            else "against no resampling"
        )
        clauses = []
        for outcome in ("helps", "hurts"):
            found = main[main["outcome"] == outcome]
            if len(found):
                by = [
                    f"{s} ({'; '.join(_signed(r) for _, r in rows.iterrows())})"
                    for s, rows in found.groupby("sampler", sort=False)
                ]
                clauses.append(f"{outcome}: {', '.join(by)}")
        decided = set(main.loc[main["outcome"] != "no detectable difference", "sampler"])
        neutral = [s for s in dict.fromkeys(main["sampler"]) if s not in decided]
        if neutral:
            clauses.append(f"no detectable difference: {', '.join(neutral)}")
        if not clauses:
            clauses.append("no sampler was compared")
        head = f"{family.capitalize()} metrics ({metrics}), {against}"
        sentence = f"{head}: {'; '.join(clauses)}."
        tuned = part[part["sampler"] == TUNED_BASELINE]
        if len(tuned):
            moved = [
                _signed(r)
                for _, r in tuned.iterrows()
                if r["outcome"] != "no detectable difference"
            ]
            sentence += (
                " Tuning the threshold alone, against no resampling: "
                + (", ".join(moved) if moved else "no detectable difference")
                + "."
            )
        lines.append(f"{dataset}: {sentence}" if dataset is not None else sentence)
    return lines
