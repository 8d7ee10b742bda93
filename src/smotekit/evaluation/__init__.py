"""Measure whether resampling helps: cross-validated comparison, synthetic-row quality, reports.

* :func:`compare` cross-validates an estimator trained on raw and on resampled
  training folds (resampling inside the training folds only); :func:`summarize`
  adds intervals and paired differences against no resampling; :func:`verdict`
  says, per metric family and with Bonferroni-corrected intervals, which samplers
  help, hurt or make no detectable difference (against the tuned-threshold
  baseline for the threshold metrics); :func:`k_sweep` builds a neighbour-count
  sweep that costs one neighbour search per fold.
* :func:`synthetic_quality` audits synthetic rows: overlap with other classes,
  near-copies versus novel rows, per-feature distribution distances, and drift
  of categorical features' category frequencies.
* :func:`plot_resampling`, :func:`plot_scores`, :func:`plot_quality` draw them
  (needs matplotlib: ``pip install smotekit[plot]``), and :func:`write_report`
  writes a Markdown and an HTML report.
"""

from ._combine import combine_results
from ._compare import compare
from ._cv import check_cv
from ._metrics import METRICS, geometric_mean_score, make_scorers, minority_label, score_estimator
from ._plots import plot_quality, plot_resampling, plot_scores
from ._quality import (
    CATEGORY_DRIFT_THRESHOLD,
    NEAR_COPY_THRESHOLD,
    CategoryDriftWarning,
    SyntheticQuality,
    synthetic_quality,
)
from ._report import write_report
from ._samplers import BASELINE, k_sweep, sampler_name
from ._summary import summarize
from ._threshold import TUNED_BASELINE
from ._verdict import FAMILIES, verdict, verdict_lines

__all__ = [
    "BASELINE",
    "CATEGORY_DRIFT_THRESHOLD",
    "FAMILIES",
    "METRICS",
    "NEAR_COPY_THRESHOLD",
    "TUNED_BASELINE",
    "CategoryDriftWarning",
    "SyntheticQuality",
    "check_cv",
    "combine_results",
    "compare",
    "geometric_mean_score",
    "k_sweep",
    "make_scorers",
    "minority_label",
    "plot_quality",
    "plot_resampling",
    "plot_scores",
    "sampler_name",
    "score_estimator",
    "summarize",
    "synthetic_quality",
    "verdict",
    "verdict_lines",
    "write_report",
]
