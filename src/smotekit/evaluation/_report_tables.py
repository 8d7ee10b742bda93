"""The tables of a report: scores and differences per metric family, times, inputs, quality."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._verdict import FAMILIES, METRIC_LABELS

__all__ = [
    "family_tables",
    "format_interval",
    "inputs_tables",
    "quality_tables",
    "timing_table",
]


def format_interval(mean: float, low: float, high: float, signed: bool = False) -> str:
    """``"0.850 [0.750, 0.950]"`` (or signed, ``"+0.050 [+0.010, +0.090]"``); ``"n/a"`` for NaN.

    Examples
    --------
    >>> format_interval(0.85, 0.75, 0.95), format_interval(0.05, 0.01, 0.09, signed=True)
    ('0.850 [0.750, 0.950]', '+0.050 [+0.010, +0.090]')
    """
    if np.isnan(mean):
        return "n/a"
    text = f"{mean:+.3f}" if signed else f"{mean:.3f}"
    if np.isnan(low):
        return text
    return f"{text} [{low:+.3f}, {high:+.3f}]" if signed else f"{text} [{low:.3f}, {high:.3f}]"


def _label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


def family_tables(
    summary: pd.DataFrame, judged: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Per metric family: the scores, the judged differences and where they are decided.

    Parameters
    ----------
    summary : DataFrame
        :func:`~smotekit.evaluation.summarize` of one dataset.
    judged : DataFrame
        :func:`~smotekit.evaluation.verdict` of the same dataset.

    Returns
    -------
    list of (family, scores, differences, decided)
        ``scores``: one row per sampler, ``mean [interval]`` per metric ("-" where
        a sampler was not scored on it); ``differences``: one row per comparison
        (``sampler - reference``), the corrected interval per metric; ``decided``:
        a boolean frame of the same shape, True where the interval excludes 0.
    """
    out = []
    present = set(summary["metric"])
    for family, members in FAMILIES.items():
        metrics = [m for m in members if m in present]
        if not metrics:
            continue
        part = summary[summary["metric"].isin(metrics)]
        samplers = list(dict.fromkeys(part["sampler"]))
        scores = pd.DataFrame({"sampler": samplers})
        indexed = part.set_index(["sampler", "metric"])
        for metric in metrics:
            scores[_label(metric)] = [
                format_interval(*indexed.loc[(s, metric), ["mean", "ci_low", "ci_high"]])
                if (s, metric) in indexed.index
                else "-"
                for s in samplers
            ]
        rows = judged[judged["family"] == family]
        pairs = list(dict.fromkeys(zip(rows["sampler"], rows["reference"])))
        diffs = pd.DataFrame({"comparison": [f"{s} vs {r}" for s, r in pairs]})
        decided = pd.DataFrame(False, index=diffs.index, columns=diffs.columns.tolist())
        by = rows.set_index(["sampler", "reference", "metric"])
        for metric in metrics:
            texts, flags = [], []
            for s, r in pairs:
                if (s, r, metric) in by.index:
                    row = by.loc[(s, r, metric)]
                    texts.append(format_interval(row["diff"], row["low"], row["high"], True))
                    flags.append(row["outcome"] != "no detectable difference")
                else:
                    texts.append("-")
                    flags.append(False)
            diffs[_label(metric)] = texts
            decided[_label(metric)] = flags
        out.append((family, scores, diffs, decided))
    return out


def timing_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean resampling and fitting seconds per fold, per sampler."""
    first = summary.drop_duplicates("sampler")
    return pd.DataFrame(
        {
            "sampler": first["sampler"].to_numpy(),
            "resample time (s)": first["resample_time"].to_numpy(),
            "fit time (s)": first["fit_time"].to_numpy(),
            "folds": first["n"].astype(int).to_numpy(),
        }
    )


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(map(_text, value)) if value else "none"
    return str(value)


def inputs_tables(inputs: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The report's record of its inputs: a key-value table, and one row per dataset.

    Parameters
    ----------
    inputs : mapping
        ``results.attrs["inputs"]`` of :func:`~smotekit.evaluation.compare`,
        optionally with ``"datasets"``: ``{name: {field: value}}`` (e.g. source,
        rows, class counts), and anything else a caller records (the command line).

    Returns
    -------
    (DataFrame, DataFrame or None)

    Examples
    --------
    >>> general, datasets = inputs_tables({"cv": "5x3", "datasets": {"a": {"rows": 10}}})
    >>> general.values.tolist(), datasets.values.tolist()
    ([['cv', '5x3']], [['a', '10']])
    """
    per_dataset = inputs.get("datasets")
    general = pd.DataFrame(
        [(str(k), _text(v)) for k, v in inputs.items() if k != "datasets"],
        columns=["input", "value"],
    )
    if not per_dataset:
        return general, None
    fields = list(dict.fromkeys(f for info in per_dataset.values() for f in info))
    rows = [[name, *(_text(info.get(f, "")) for f in fields)] for name, info in per_dataset.items()]
    return general, pd.DataFrame(rows, columns=["dataset", *fields])


def quality_tables(quality: Any) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The numeric summary, the categorical drift table and the drift warnings of quality audits.

    Parameters
    ----------
    quality : SyntheticQuality or mapping of name to SyntheticQuality

    Returns
    -------
    (summary, categories, warnings)
        ``categories`` has no rows when no audit had categorical features.
    """
    items = quality.items() if isinstance(quality, Mapping) else [(None, quality)]
    summaries, categories, warnings = [], [], []
    for name, audit in items:
        summary = audit.summary if name is None else audit.summary.assign(sampler=name)
        summaries.append(summary)
        table = getattr(audit, "categories", None)
        if table is not None and len(table):
            categories.append(table if name is None else table.assign(sampler=name))
        drift = getattr(audit, "drift_warnings", None)
        for sentence in drift() if drift is not None else []:
            warnings.append(f"{name}: {sentence}" if name is not None else sentence)
    summary = _sampler_first(pd.concat(summaries, ignore_index=True))
    category = _sampler_first(pd.concat(categories, ignore_index=True)) if categories else None
    return summary, category if category is not None else pd.DataFrame(), warnings


def _sampler_first(frame: pd.DataFrame) -> pd.DataFrame:
    if "sampler" not in frame:
        return frame
    return frame[["sampler", *[c for c in frame.columns if c != "sampler"]]]
