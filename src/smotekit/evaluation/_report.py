"""A Markdown and a self-contained HTML report of a comparison, written atomically."""

from __future__ import annotations

import datetime as _dt
import html
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._atomic import write_bytes
from ._category_drift import CATEGORY_COLUMNS
from ._quality import SyntheticQuality
from ._report_doc import CSS, ReportDocument
from ._report_tables import (
    family_tables,
    format_interval,
    inputs_tables,
    quality_tables,
    timing_table,
)
from ._summary import summarize
from ._verdict import FAMILIES, METRIC_LABELS, verdict, verdict_lines

__all__ = ["interval_table", "write_report"]


def interval_table(summary: pd.DataFrame, metric: str = "roc_auc") -> pd.DataFrame:
    """One metric of :func:`summarize` as text: mean [CI] and difference [CI] per sampler.

    Examples
    --------
    >>> import pandas as pd
    >>> nan = float("nan")
    >>> summary = pd.DataFrame({"sampler": ["none", "smote"], "metric": "roc_auc",
    ...     "mean": [0.8, 0.85], "ci_low": [0.7, 0.75], "ci_high": [0.9, 0.95],
    ...     "diff": [0.0, 0.05], "diff_low": [nan, 0.01], "diff_high": [nan, 0.09]})
    >>> interval_table(summary).iloc[1].tolist()
    ['smote', '0.850 [0.750, 0.950]', '+0.050 [+0.010, +0.090]']
    """
    if metric not in set(summary["metric"]):
        raise ValueError(f"No {metric!r} rows in the summary.")
    part = summary[summary["metric"] == metric]
    level = round(100 * summary.attrs.get("confidence", 0.95))
    table = pd.DataFrame(
        {
            f"{metric} [{level}% CI]": [
                format_interval(*r) for r in part[["mean", "ci_low", "ci_high"]].to_numpy()
            ],
            f"difference vs {summary.attrs.get('baseline', 'none')}": [
                format_interval(*r, signed=True) if not np.isnan(r[1]) else ""
                for r in part[["diff", "diff_low", "diff_high"]].to_numpy()
            ],
        }
    )
    table.insert(0, "sampler", part["sampler"].to_numpy())
    if "dataset" in part:
        table.insert(0, "dataset", part["dataset"].to_numpy())
    return table


def _auto_figures(results: pd.DataFrame, quality: Any) -> tuple[dict[str, Any], str | None]:
    from . import _plots

    present = list(dict.fromkeys(results["metric"]))
    shown = [m for m in ("roc_auc", "balanced_accuracy") if m in present] or present[:1]
    try:
        figures = {f"scores_{metric}": _plots.plot_scores(results, metric) for metric in shown}
        if quality is not None:
            figures["quality"] = _plots.plot_quality(quality)
    except ImportError:
        return {}, "Figures left out: install matplotlib (pip install smotekit[plot])."
    return figures, None


def _caption(name: str) -> str:
    if name.startswith("scores_"):
        metric = METRIC_LABELS.get(name[len("scores_") :], name[len("scores_") :])
        return (
            f"{metric} of every fold, per sampler: each dot is one test fold; folds of the "
            "same repeat and split are comparable across samplers."
        )
    if name.startswith("toy_"):
        return (
            f"{name[4:]} on the tutorial's toy data, before and after: real rows as dots, "
            "synthetic rows as crosses in their class's colour (more than two features are "
            "projected on the first two principal components)."
        )
    if name == "quality" or name.startswith("quality_"):
        return (
            "Quality of the synthetic rows per sampler and class: overlap with other classes, "
            "near-copies of real rows, and per-feature distribution distances (categorical "
            "features: total variation distance of the category frequencies, threshold dashed)."
        )
    return name.replace("_", " ")


def write_report(
    results: pd.DataFrame,
    directory: str | os.PathLike[str],
    *,
    quality: SyntheticQuality | Mapping[str, SyntheticQuality] | None = None,
    figures: Mapping[str, Any] | str | None = "auto",
    title: str = "Does resampling help? A cross-validated comparison",
    tables: Mapping[str, pd.DataFrame] | None = None,
    notes: list[str] | None = None,
    confidence: float = 0.95,
    inputs: Mapping[str, Any] | None = None,
    captions: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write ``report.md`` and ``report.html`` for the results of :func:`compare`.

    The report opens with the **verdict**: one line per (dataset and) metric
    family saying which samplers help, hurt or make no detectable difference,
    with Bonferroni-corrected intervals (:func:`verdict`).  Threshold-free metrics
    (ROC-AUC, average precision) are judged against no resampling; the metrics of
    hard predictions against the tuned-threshold baseline when it ran.  Then come
    warnings (skipped samplers, synthetic category frequencies that drift from the
    real ones), the score tables of each family, the time each part took, the
    quality audit, figures with captions and, last, the inputs the numbers came
    from (data, class counts, estimator, CV scheme, seeds, versions and what the
    caller adds, such as the command line).

    Each file is written to a temporary name in ``directory`` and then renamed,
    so a reader never sees a half-written report.  The HTML file is
    self-contained (figures embedded as base64 PNG); the Markdown file links the
    same PNGs, saved under ``directory/figures/``.

    Parameters
    ----------
    results : DataFrame
        From :func:`compare` (optionally concatenated with a ``dataset`` column).
    directory : str or path-like
        Created if missing.
    quality : SyntheticQuality or dict of them, optional
        Results of :func:`synthetic_quality` to tabulate (and plot); their
        category-drift warnings are listed under the verdict.
    figures : dict of str to Figure, "auto" or None, default="auto"
        Figures to include; ``"auto"`` draws the score distributions (and the
        quality diagnostics) when matplotlib is installed; None includes none.
    title : str
        Report title.
    tables : dict of str to DataFrame, optional
        Extra tables placed after the verdict, under their titles.
    notes : list of str, optional
        Paragraphs placed after the verdict.
    confidence : float, default=0.95
        Level of the intervals (family-wise in the verdict; see :func:`summarize`).
    inputs : mapping, optional
        What the results came from; by default ``results.attrs["inputs"]``.  A
        ``"datasets"`` entry ``{name: {field: value}}`` becomes its own table.
    captions : dict of str to str, optional
        Captions of the figures, by name (the automatic figures have their own).

    Returns
    -------
    dict
        Paths of what was written: ``"markdown"``, ``"html"`` and one per figure.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> rows = [(s, 0, f, "roc_auc", v, 0.1, 0.0, 80, 20, 0, 80)
    ...         for s, vals in {"none": [0.80, 0.82, 0.78], "smote": [0.85, 0.86, 0.84]}.items()
    ...         for f, v in enumerate(vals)]
    >>> from smotekit.evaluation._compare import RESULT_COLUMNS
    >>> results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    >>> paths = write_report(results, tempfile.mkdtemp(), figures=None)
    >>> sorted(paths)
    ['html', 'markdown']
    >>> text = paths["markdown"].read_text()
    >>> text.index("## Verdict") < text.index("## Cross-validated scores")
    True
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    summary = summarize(results, confidence=confidence)
    judged = verdict(results, confidence=confidence)
    note = None
    if isinstance(figures, str):
        if figures != "auto":
            raise ValueError(f"figures must be a dict, 'auto' or None; got {figures!r}.")
        figures, note = _auto_figures(results, quality)
    figures = dict(figures or {})
    captions = dict(captions or {})
    inputs = dict(inputs if inputs is not None else results.attrs.get("inputs") or {})

    doc = ReportDocument()
    doc.heading(title, 1)
    from .. import __version__

    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    doc.paragraph(f"Generated by smotekit {__version__} on {stamp}.", note=True)
    _verdict_section(doc, judged, confidence)
    warnings_found = list(results.attrs.get("notes") or [])
    quality_parts = quality_tables(quality) if quality is not None else None
    if quality_parts is not None:
        warnings_found += quality_parts[2]
    if warnings_found:
        doc.heading("Warnings and notes")
        doc.bullets(warnings_found, css="warning")
    for paragraph in notes or []:
        doc.paragraph(paragraph)
    for table_title, frame in (tables or {}).items():
        doc.heading(table_title)
        doc.table(frame)

    _scores_section(doc, results, summary, judged, confidence)
    _timing_section(doc, results, summary)
    if quality_parts is not None:
        _quality_section(doc, quality_parts)

    written: dict[str, Path] = {}
    if figures:
        doc.heading("Figures")
        (directory / "figures").mkdir(exist_ok=True)
    for name, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        png = buffer.getvalue()
        path = directory / "figures" / f"{name}.png"
        write_bytes(path, png)
        written[name] = path
        doc.image(name, png, f"figures/{name}.png", captions.get(name, _caption(name)))
    if note:
        doc.paragraph(note, note=True)
    if inputs:
        doc.heading("Inputs")
        general, per_dataset = inputs_tables(inputs)
        if per_dataset is not None:
            doc.table(per_dataset, css="text")
        doc.table(general, css="text")

    doc.heading("How to read the intervals")
    doc.paragraph(
        "Cross-validation folds are not independent: their training sets overlap, so a plain "
        "t-interval over fold scores is too narrow. The intervals and p-values here use the "
        "Nadeau-Bengio correction (variance (1/n + n_test/n_train) * s^2, n - 1 degrees of "
        "freedom), a heuristic that is closer to honest but not exact. Score tables show "
        f"{round(100 * confidence)}% intervals of each comparison alone; the verdict and the "
        "difference tables correct for the number of comparisons (Bonferroni). Treat "
        "differences whose interval includes 0 as not shown by this data."
    )
    markdown = "\n".join(doc.md) + "\n"
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{CSS}</style></head><body>\n" + "\n".join(doc.html) + "\n</body></html>\n"
    )
    written["markdown"] = directory / "report.md"
    written["html"] = directory / "report.html"
    write_bytes(written["markdown"], markdown.encode("utf-8"))
    write_bytes(written["html"], page.encode("utf-8"))
    return written


def _verdict_section(doc: ReportDocument, judged: pd.DataFrame, confidence: float) -> None:
    doc.heading("Verdict")
    level = round(100 * confidence)
    doc.paragraph(
        "Which samplers help, hurt or make no detectable difference, per metric family: the "
        f"mean paired difference over the folds with its {level}% interval (Nadeau-Bengio "
        "corrected for overlapping folds), Bonferroni-corrected for the m comparisons of each "
        f"dataset and family (each interval at level 1 - {1 - confidence:.2f}/m). "
        "Threshold-free metrics judge how well the model ranks the test rows; threshold "
        "metrics judge hard predictions, and are compared with the model without resampling "
        "whose decision threshold was tuned on the training folds."
    )
    lines = verdict_lines(judged)
    doc.bullets(lines or ["Nothing was compared: only the baseline ran."], css="verdict")


def _scores_section(
    doc: ReportDocument,
    results: pd.DataFrame,
    summary: pd.DataFrame,
    judged: pd.DataFrame,
    confidence: float,
) -> None:
    level = round(100 * confidence)
    cv = results.attrs.get("cv")
    doc.heading("Cross-validated scores")
    doc.paragraph(
        f"Mean over folds with {level}% intervals{f' ({cv})' if cv else ''}. Each sampler "
        "was fitted on the training folds only; the test folds hold real rows only."
    )
    outer = "dataset" in summary
    groups = list(summary.groupby("dataset", sort=False)) if outer else [(None, summary)]
    for dataset, part in groups:
        if dataset is not None:
            doc.heading(f"Dataset: {dataset}", 3)
        mine = judged[judged["dataset"] == dataset] if outer else judged
        for family, scores, diffs, decided in family_tables(part, mine):
            names = ", ".join(METRIC_LABELS.get(m, m) for m in FAMILIES[family])
            doc.paragraph(f"{family.capitalize()} metrics ({names}), mean [interval]:")
            doc.table(scores)
            if len(diffs):
                doc.paragraph(
                    "Paired differences, fold by fold, with Bonferroni-corrected intervals; in "
                    "bold where the interval excludes 0:"
                )
                doc.table(diffs, bold=decided)


def _timing_section(doc: ReportDocument, results: pd.DataFrame, summary: pd.DataFrame) -> None:
    doc.heading("Time")
    timing = results.attrs.get("timing")
    if isinstance(timing, Mapping) and timing:
        parts = timing if all(isinstance(v, Mapping) for v in timing.values()) else {"": timing}
        rows = [
            {"dataset": name, **{f"{k} (s)": v for k, v in values.items()}}
            for name, values in parts.items()
        ]
        frame = pd.DataFrame(rows)
        if list(parts) == [""]:
            frame = frame.drop(columns="dataset")
        doc.paragraph(
            "Seconds spent on each part, summed over folds (fit includes the inner search of "
            "the tuned-threshold baseline; parts run in parallel add up to more than the wall "
            "time):"
        )
        doc.table(frame)
    outer = "dataset" in summary
    groups = list(summary.groupby("dataset", sort=False)) if outer else [(None, summary)]
    for dataset, part in groups:
        label = f" ({dataset})" if dataset is not None else ""
        doc.paragraph(f"Mean time per fold{label}:")
        doc.table(timing_table(part))


def _quality_section(
    doc: ReportDocument, parts: tuple[pd.DataFrame, pd.DataFrame, list[str]]
) -> None:
    summary, categories, _ = parts
    doc.heading("Quality of the synthetic rows")
    doc.paragraph(
        "overlap_share: share of synthetic rows whose nearest real row is of another class "
        "(real_overlap_share: the same for the class's real rows). near_copy_share: share "
        "nearer to a real row than the threshold times the class's median nearest-neighbour "
        "spacing. ks: Kolmogorov-Smirnov statistic between real and synthetic values of a "
        "numeric feature. max_tvd: largest total variation distance between the real and the "
        "synthetic category frequencies of a categorical feature."
    )
    doc.table(summary)
    if len(categories):
        doc.paragraph(
            "Categorical features: total variation distance (tvd) between the category "
            "frequencies of the class's real and synthetic rows, the category whose share moved "
            "most, and drift where tvd exceeds the threshold:"
        )
        # every column but the count of real categories, which the shares already imply
        shown = [
            c
            for c in ["sampler", *CATEGORY_COLUMNS]
            if c != "n_categories_real" and c in categories
        ]
        doc.table(categories[shown])
