"""A Markdown and a self-contained HTML report of a comparison, written atomically."""

from __future__ import annotations

import base64
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
from ._quality import SyntheticQuality
from ._summary import summarize

__all__ = ["interval_table", "write_report"]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.6em 0 1.4em; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0 1.5em; }
.note { color: #555; font-size: 0.92em; }
"""


def _fmt(value: Any, digits: int = 3) -> str:
    if isinstance(value, (float, np.floating)):
        return "n/a" if np.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def _interval(mean: float, low: float, high: float, signed: bool = False) -> str:
    if np.isnan(mean):
        return "n/a"
    text = f"{mean:+.3f}" if signed else f"{mean:.3f}"
    if np.isnan(low):
        return text
    return f"{text} [{low:+.3f}, {high:+.3f}]" if signed else f"{text} [{low:.3f}, {high:.3f}]"


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
                _interval(*r) for r in part[["mean", "ci_low", "ci_high"]].to_numpy()
            ],
            f"difference vs {summary.attrs.get('baseline', 'none')}": [
                _interval(*r, signed=True) if not np.isnan(r[1]) else ""
                for r in part[["diff", "diff_low", "diff_high"]].to_numpy()
            ],
        }
    )
    table.insert(0, "sampler", part["sampler"].to_numpy())
    if "dataset" in part:
        table.insert(0, "dataset", part["dataset"].to_numpy())
    return table


class _Doc:
    """Builds the Markdown and the HTML versions of the report side by side."""

    def __init__(self) -> None:
        self.md: list[str] = []
        self.html: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        self.md.append(f"{'#' * level} {text}\n")
        self.html.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str, note: bool = False) -> None:
        self.md.append(f"{text}\n")
        css = ' class="note"' if note else ""
        self.html.append(f"<p{css}>{html.escape(text)}</p>")

    def table(self, frame: pd.DataFrame, bold: pd.DataFrame | None = None) -> None:
        header = [str(c) for c in frame.columns]
        rows = [[_fmt(v) for v in row] for row in frame.itertuples(index=False)]
        strong = (
            bold.to_numpy(dtype=bool)
            if bold is not None
            else np.zeros((len(rows), len(header)), dtype=bool)
        )

        def md_cell(text: str, b: bool) -> str:
            text = text.replace("|", "\\|")
            return f"**{text}**" if b else text

        self.md.append("| " + " | ".join(header) + " |")
        self.md.append("|" + "|".join("---" for _ in header) + "|")
        for row, flags in zip(rows, strong):
            self.md.append("| " + " | ".join(md_cell(c, b) for c, b in zip(row, flags)) + " |")
        self.md.append("")
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = [f"<table><thead><tr>{cells}</tr></thead><tbody>"]
        for row, flags in zip(rows, strong):
            tds = "".join(
                f"<td><strong>{html.escape(c)}</strong></td>" if b else f"<td>{html.escape(c)}</td>"
                for c, b in zip(row, flags)
            )
            body.append(f"<tr>{tds}</tr>")
        body.append("</tbody></table>")
        self.html.append("".join(body))

    def image(self, name: str, png: bytes, relative: str) -> None:
        self.md.append(f"![{name}]({relative})\n")
        encoded = base64.b64encode(png).decode("ascii")
        self.html.append(f'<img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">')


def _score_tables(summary: pd.DataFrame, baseline: str) -> tuple[pd.DataFrame, ...]:
    metrics = list(dict.fromkeys(summary["metric"]))
    samplers = list(dict.fromkeys(summary["sampler"]))
    scores = pd.DataFrame({"sampler": samplers})
    diffs = pd.DataFrame({"sampler": [s for s in samplers if s != baseline]})
    bold = pd.DataFrame(False, index=diffs.index, columns=["sampler", *metrics])
    for metric in metrics:
        part = summary[summary["metric"] == metric].set_index("sampler")
        scores[metric] = [_interval(*part.loc[s, ["mean", "ci_low", "ci_high"]]) for s in samplers]
        diffs[metric] = [
            _interval(*part.loc[s, ["diff", "diff_low", "diff_high"]], signed=True)
            for s in diffs["sampler"]
        ]
        low = part.loc[list(diffs["sampler"]), "diff_low"].to_numpy()
        high = part.loc[list(diffs["sampler"]), "diff_high"].to_numpy()
        bold[metric] = (low > 0) | (high < 0)
    first = summary[summary["metric"] == metrics[0]].set_index("sampler")
    timing = pd.DataFrame(
        {
            "sampler": samplers,
            "resample time (s)": [first.loc[s, "resample_time"] for s in samplers],
            "fit time (s)": [first.loc[s, "fit_time"] for s in samplers],
            "folds": [int(first.loc[s, "n"]) for s in samplers],
        }
    )
    return scores, diffs, bold, timing


def _auto_figures(results: pd.DataFrame, quality: Any) -> tuple[dict[str, Any], str | None]:
    from . import _plots

    try:
        metric = "roc_auc" if "roc_auc" in set(results["metric"]) else results["metric"].iloc[0]
        figures = {f"scores_{metric}": _plots.plot_scores(results, metric)}
        if quality is not None:
            figures["quality"] = _plots.plot_quality(quality)
    except ImportError:
        return {}, "Figures left out: install matplotlib (pip install smotekit[plot])."
    return figures, None


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
) -> dict[str, Path]:
    """Write ``report.md`` and ``report.html`` for the results of :func:`compare`.

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
        Results of :func:`synthetic_quality` to tabulate (and plot).
    figures : dict of str to Figure, "auto" or None, default="auto"
        Figures to include; ``"auto"`` draws the score distributions (and the
        quality diagnostics) when matplotlib is installed; None includes none.
    title : str
        Report title.
    tables : dict of str to DataFrame, optional
        Extra tables placed first, under their titles.
    notes : list of str, optional
        Paragraphs placed under the title.
    confidence : float, default=0.95
        Level of the intervals (see :func:`summarize`).

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
    >>> "| smote |" in paths["markdown"].read_text()
    True
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    summary = summarize(results, confidence=confidence)
    baseline = summary.attrs["baseline"]
    note = None
    if isinstance(figures, str):
        if figures != "auto":
            raise ValueError(f"figures must be a dict, 'auto' or None; got {figures!r}.")
        figures, note = _auto_figures(results, quality)
    figures = dict(figures or {})

    doc = _Doc()
    doc.heading(title, 1)
    from .. import __version__

    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    doc.paragraph(f"Generated by smotekit {__version__} on {stamp}.", note=True)
    for paragraph in notes or []:
        doc.paragraph(paragraph)
    for table_title, frame in (tables or {}).items():
        doc.heading(table_title)
        doc.table(frame)

    level = int(confidence * 100)
    cv = results.attrs.get("cv")
    doc.heading("Cross-validated scores")
    doc.paragraph(
        f"Mean over folds with {level}% intervals{f' ({cv})' if cv else ''}. Each sampler "
        "was fitted on the training folds only; the test folds hold real rows only."
    )
    groups = (
        list(summary.groupby("dataset", sort=False)) if "dataset" in summary else [(None, summary)]
    )
    for dataset, part in groups:
        if dataset is not None:
            doc.heading(f"Dataset: {dataset}", 3)
        scores, diffs, bold, timing = _score_tables(part, baseline)
        doc.paragraph("Scores (mean [interval]):")
        doc.table(scores)
        if len(diffs):
            doc.paragraph(
                f"Paired difference against {baseline!r} (sampler minus {baseline}, fold by "
                "fold); in bold where the interval excludes 0:"
            )
            doc.table(diffs, bold=bold)
        doc.paragraph("Mean time per fold:")
        doc.table(timing)

    if quality is not None:
        doc.heading("Quality of the synthetic rows")
        doc.paragraph(
            "overlap_share: share of synthetic rows whose nearest real row is of another class "
            "(real_overlap_share: the same for the class's real rows). near_copy_share: share "
            "nearer to a real row than the threshold times the class's median nearest-neighbour "
            "spacing. ks: Kolmogorov-Smirnov statistic between real and synthetic values of a "
            "feature."
        )
        items = quality.items() if isinstance(quality, Mapping) else [(None, quality)]
        frames = [q.summary.assign(sampler=name) if name else q.summary for name, q in items]
        table = pd.concat(frames, ignore_index=True)
        if "sampler" in table:
            table = table[["sampler", *[c for c in table.columns if c != "sampler"]]]
        doc.table(table)

    written: dict[str, Path] = {}
    if figures:
        doc.heading("Figures")
        (directory / "figures").mkdir(exist_ok=True)
    for name, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        png = buffer.getvalue()
        path = directory / "figures" / f"{name}.png"
        write_bytes(path, png)
        written[name] = path
        doc.image(name, png, f"figures/{name}.png")
    if note:
        doc.paragraph(note, note=True)

    doc.heading("How to read the intervals")
    doc.paragraph(
        "Cross-validation folds are not independent: their training sets overlap, so a plain "
        "t-interval over fold scores is too narrow. The intervals and p-values here use the "
        "Nadeau-Bengio correction (variance (1/n + n_test/n_train) * s^2, n - 1 degrees of "
        "freedom), a heuristic that is closer to honest but not exact. Treat differences "
        "whose interval includes 0 as not shown by this data."
    )
    markdown = "\n".join(doc.md) + "\n"
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(doc.html) + "\n</body></html>\n"
    )
    written["markdown"] = directory / "report.md"
    written["html"] = directory / "report.html"
    write_bytes(written["markdown"], markdown.encode("utf-8"))
    write_bytes(written["html"], page.encode("utf-8"))
    return written
