"""Figures: before/after scatter, score distributions, synthetic-row quality.

matplotlib is optional (``pip install smotekit[plot]``) and imported only when a
function here is called.  Every function returns a :class:`matplotlib.figure.Figure`
built without :mod:`matplotlib.pyplot`, so nothing is shown or kept in a global
figure registry; save it with ``fig.savefig(path)``, or display it in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._quality import SyntheticQuality
from ._samplers import BASELINE

__all__ = ["plot_quality", "plot_resampling", "plot_scores"]

_MAX_POINTS = 4000


def _figure(width: float, height: float) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "smotekit's plots need matplotlib, which is not installed. Install it with "
            "pip install smotekit[plot] (or pip install matplotlib)."
        ) from exc
    return Figure(figsize=(width, height), layout="constrained")


def _colors(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def _project(X: np.ndarray, X_res: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Both sets in 2-D: as they are, or on the first two principal axes of X."""
    if X.shape[1] == 1:
        return (
            np.column_stack([X[:, 0], np.zeros(len(X))]),
            np.column_stack([X_res[:, 0], np.zeros(len(X_res))]),
            ["x0", ""],
        )
    if X.shape[1] == 2:
        return X, X_res, ["x0", "x1"]
    from sklearn.decomposition import PCA

    pca = PCA(n_components=2).fit(X)
    share = pca.explained_variance_ratio_ * 100
    labels = [f"PC{i + 1} ({share[i]:.0f}% of variance)" for i in range(2)]
    return pca.transform(X), pca.transform(X_res), labels


def _thin(n: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.choice(n, _MAX_POINTS, replace=False)) if n > _MAX_POINTS else np.arange(n)


def plot_resampling(X: Any, y: Any, X_res: Any, y_res: Any, *, title: str | None = None) -> Any:
    """Scatter plots of the data before and after resampling.

    The right panel draws the original rows as on the left and the synthetic rows
    (the rows of ``X_res`` after the first ``len(X)``) as crosses in their class's
    colour.  Data with more than two features are projected on the first two
    principal components of ``X``.  At most 4000 points per set are drawn
    (a random subset, for readability).

    Parameters
    ----------
    X, y : array-like
        Data before resampling (numeric features).
    X_res, y_res : array-like
        Data after resampling; the first ``len(X)`` rows are the original ones.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        With two axes.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(2, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> fig = plot_resampling(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    >>> len(fig.axes)
    2
    """
    X, X_res = np.asarray(X, dtype=float), np.asarray(X_res, dtype=float)
    y, y_res = np.asarray(y), np.asarray(y_res)
    n = X.shape[0]
    if X_res.shape[0] < n:
        raise ValueError(
            f"X_res has fewer rows ({X_res.shape[0]}) than X ({n}); plot_resampling draws "
            "over-sampled data, whose first rows are the original ones."
        )
    P, P_res, axis_labels = _project(X, X_res)
    fig = _figure(10, 4.5)
    before, after = fig.subplots(1, 2, sharex=True, sharey=True)
    labels = list(dict.fromkeys(np.unique(np.concatenate([y, y_res])).tolist()))
    colors = dict(zip(labels, _colors(len(labels))))
    rng = np.random.default_rng(0)
    real = _thin(n, rng)
    synthetic = n + _thin(X_res.shape[0] - n, rng)
    for ax in (before, after):
        for label in labels:
            rows = real[y[real] == label]
            ax.scatter(*P[rows].T, s=8, alpha=0.5, color=colors[label], label=f"{label}")
        ax.set_xlabel(axis_labels[0])
        ax.set_ylabel(axis_labels[1])
    for label in labels:
        rows = synthetic[y_res[synthetic] == label]
        if rows.size:
            after.scatter(
                *P_res[rows].T,
                s=14,
                marker="x",
                linewidths=0.8,
                color=colors[label],
                label=f"{label} (synthetic)",
            )
    before.set_title(f"before: {_counts(y)}")
    after.set_title(f"after: {_counts(y_res)}")
    after.legend(loc="best", fontsize="small", markerscale=1.5)
    if title:
        fig.suptitle(title)
    return fig


def _counts(y: np.ndarray) -> str:
    labels, counts = np.unique(y, return_counts=True)
    return ", ".join(f"{label}: {count}" for label, count in zip(labels.tolist(), counts))


def plot_scores(
    results: pd.DataFrame, metric: str = "roc_auc", *, baseline: str | None = None
) -> Any:
    """Distribution of the fold scores of each sampler, one panel per dataset.

    Boxes show the fold scores of :func:`compare` (dots: the folds; diamond: the
    mean); the dashed line is the baseline's mean.

    Parameters
    ----------
    results : DataFrame
        From :func:`compare`, optionally concatenated with a ``dataset`` column.
    metric : str, default="roc_auc"
        The metric to draw.
    baseline : str or None, default=None
        Sampler drawn as the reference line (default ``results.attrs["baseline"]``
        or ``"none"``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per dataset.

    Examples
    --------
    >>> import pandas as pd
    >>> results = pd.DataFrame({"sampler": ["none", "none", "smote", "smote"],
    ...                         "metric": "roc_auc", "value": [0.8, 0.82, 0.85, 0.86]})
    >>> fig = plot_scores(results)
    >>> len(fig.axes), len(fig.axes[0].get_xticklabels())
    (1, 2)
    """
    if metric not in set(results["metric"]):
        raise ValueError(
            f"No {metric!r} scores in results; they hold {sorted(set(results['metric']))}."
        )
    baseline = baseline or results.attrs.get("baseline", BASELINE)
    data = results[results["metric"] == metric]
    groups = list(data.groupby("dataset", sort=False)) if "dataset" in data else [(None, data)]
    fig = _figure(max(4.0, 3.2 * len(groups)) + 1, 4.2)
    axes = np.atleast_1d(fig.subplots(1, len(groups), squeeze=False)[0])
    for ax, (dataset, part) in zip(axes, groups):
        samplers = list(dict.fromkeys(part["sampler"]))
        values = [part.loc[part["sampler"] == s, "value"].dropna().to_numpy() for s in samplers]
        positions = np.arange(1, len(samplers) + 1)
        ax.boxplot(values, positions=positions, widths=0.5, showfliers=False)
        rng = np.random.default_rng(0)
        for pos, vals, color in zip(positions, values, _colors(len(samplers))):
            jitter = rng.uniform(-0.12, 0.12, vals.size)
            ax.scatter(pos + jitter, vals, s=10, alpha=0.6, color=color)
            if vals.size:
                ax.scatter([pos], [vals.mean()], marker="D", s=30, color="black", zorder=3)
        if baseline in samplers:
            base = values[samplers.index(baseline)]
            if base.size:
                ax.axhline(base.mean(), linestyle="--", linewidth=1, color="grey")
        ax.set_xticks(positions, samplers, rotation=30, ha="right")
        ax.set_ylabel(metric)
        ax.set_title(str(dataset) if dataset is not None else metric)
        ax.grid(axis="y", alpha=0.3)
    return fig


def plot_quality(quality: SyntheticQuality | Mapping[str, SyntheticQuality]) -> Any:
    """Diagnostics of :func:`synthetic_quality`, for one sampler or several.

    Three panels: the distribution of each synthetic row's distance to its
    nearest real row relative to the class spacing (the dashed line is the
    near-copy threshold); the overlap share of synthetic rows next to the real
    rows' own; the per-feature KS statistics (the ten worst features).  When
    the results have categorical features, a second row shows the total
    variation distance between real and synthetic category frequencies of each
    class and categorical feature (the twenty largest), with the drift threshold
    as a dashed line.

    Parameters
    ----------
    quality : SyntheticQuality or dict of str to SyntheticQuality
        One result, or ``{sampler name: result}`` to compare samplers.

    Returns
    -------
    matplotlib.figure.Figure
        With three axes, or four with categorical features.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from smotekit import SMOTE, SMOTENC
    >>> from smotekit.evaluation import synthetic_quality
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(2, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> quality = synthetic_quality(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    >>> len(plot_quality(quality).axes)
    3
    >>> mixed = pd.DataFrame({"x": X[:, 0], "plan": rng.choice(["a", "b"], 100)})
    >>> X_res, y_res = SMOTENC(categorical_features=["plan"], random_state=0).fit_resample(mixed, y)
    >>> quality = synthetic_quality(mixed, y, X_res, y_res, drift_threshold=1.0)
    >>> len(plot_quality(quality).axes)
    4
    """
    if isinstance(quality, SyntheticQuality):
        quality = {"synthetic": quality}
    if not quality or not all(isinstance(q, SyntheticQuality) for q in quality.values()):
        raise TypeError("quality must be a SyntheticQuality or a dict of them (non-empty).")
    categorical = any(len(q.categories) for q in quality.values())
    if categorical:
        fig = _figure(13, 8.6)
        panels = fig.subplot_mosaic([["dist", "overlap", "ks"], ["tvd", "tvd", "tvd"]])
        dist_ax, overlap_ax, ks_ax = panels["dist"], panels["overlap"], panels["ks"]
    else:
        fig = _figure(13, 4.2)
        dist_ax, overlap_ax, ks_ax = fig.subplots(1, 3)
    names = list(quality)
    colors = _colors(len(names))
    threshold = next(iter(quality.values())).near_copy
    finite = [q.rows["relative_distance"].to_numpy() for q in quality.values()]
    finite = [v[np.isfinite(v)] for v in finite]
    upper = max((np.quantile(v, 0.99) for v in finite if v.size), default=1.0)
    bins = np.linspace(0, max(upper, threshold * 2, 1e-9), 40)
    for name, values, color in zip(names, finite, colors):
        dist_ax.hist(
            np.clip(values, 0, bins[-1]),
            bins=bins,
            histtype="step",
            color=color,
            label=name,
            linewidth=1.5,
        )
    dist_ax.axvline(threshold, linestyle="--", color="grey", linewidth=1)
    dist_ax.set_xlabel("distance to nearest real row / class spacing")
    dist_ax.set_ylabel("synthetic rows")
    dist_ax.set_title("novelty (left of dashed line: near-copies)")
    dist_ax.legend(fontsize="small")

    width = 0.8 / (len(names) + 1)
    summaries = [q.summary for q in quality.values()]
    labels = list(dict.fromkeys(label for s in summaries for label in s["label"].tolist()))
    x = np.arange(len(labels))
    real_share = [
        next(
            (
                float(s.loc[s["label"] == lab, "real_overlap_share"].iloc[0])
                for s in summaries
                if (s["label"] == lab).any()
            ),
            np.nan,
        )
        for lab in labels
    ]
    overlap_ax.bar(x, real_share, width, color="lightgrey", label="real rows")
    for i, (name, s, color) in enumerate(zip(names, summaries, colors)):
        shares = [
            float(s.loc[s["label"] == lab, "overlap_share"].iloc[0])
            if (s["label"] == lab).any()
            else np.nan
            for lab in labels
        ]
        overlap_ax.bar(x + (i + 1) * width, shares, width, color=color, label=name)
    overlap_ax.set_xticks(x + width * len(names) / 2, [f"class {lab}" for lab in labels])
    overlap_ax.set_ylim(0, 1)
    overlap_ax.set_ylabel("share whose nearest real row is of another class")
    overlap_ax.set_title("overlap with other classes")
    overlap_ax.legend(fontsize="small")

    features = pd.concat(
        [q.features.assign(sampler=name) for name, q in quality.items()], ignore_index=True
    )
    worst = (
        features.groupby("feature", sort=False)["ks"].max().sort_values(ascending=False).head(10)
    )
    y_pos = np.arange(len(worst))
    height = 0.8 / len(names)
    for i, (name, color) in enumerate(zip(names, colors)):
        part = features[features["sampler"] == name].groupby("feature")["ks"].max()
        ks_ax.barh(
            y_pos + i * height,
            part.reindex(worst.index).to_numpy(),
            height,
            color=color,
            label=name,
        )
    ks_ax.set_yticks(y_pos + height * (len(names) - 1) / 2, list(worst.index))
    ks_ax.invert_yaxis()
    ks_ax.set_xlim(0, 1)
    ks_ax.set_xlabel("KS statistic, real vs synthetic (per feature)")
    ks_ax.set_title("feature distributions (10 worst)")
    if worst.empty:
        for ax in (dist_ax, ks_ax):
            _note(ax, "no numeric features")
    if categorical:
        _plot_category_drift(panels["tvd"], quality, colors)
    return fig


def _note(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="grey")


def _plot_category_drift(
    ax: Any, quality: Mapping[str, SyntheticQuality], colors: list[Any]
) -> None:
    """Grouped bars: total variation per (class, categorical feature) and sampler."""
    names = list(quality)
    table = pd.concat(
        [q.categories.assign(sampler=name) for name, q in quality.items()], ignore_index=True
    )
    table["pair"] = [f"class {lab}: {feat}" for lab, feat in zip(table["label"], table["feature"])]
    worst = table.groupby("pair", sort=False)["tvd"].max().sort_values(ascending=False).head(20)
    x = np.arange(len(worst))
    width = 0.8 / len(names)
    for i, (name, color) in enumerate(zip(names, colors)):
        part = table[table["sampler"] == name].set_index("pair")["tvd"]
        heights = part.reindex(worst.index).to_numpy()
        ax.bar(x + i * width, heights, width, color=color, label=name)
    thresholds = list(dict.fromkeys(q.drift_threshold for q in quality.values()))
    for threshold in thresholds:
        ax.axhline(
            threshold,
            linestyle="--",
            color="grey",
            linewidth=1,
            label=f"drift threshold ({threshold:.2f})",
        )
    ax.set_xticks(x + width * (len(names) - 1) / 2, list(worst.index), rotation=30, ha="right")
    top = np.nanmax(np.append(worst.to_numpy(dtype=float), 0.0))
    ax.set_ylim(0, min(1.0, max(top * 1.15, max(thresholds) * 1.5, 0.05)))
    ax.set_xlabel("class and categorical feature")
    ax.set_ylabel("total variation distance")
    ax.set_title(
        "category frequencies, real vs synthetic rows of each class: total variation "
        "distance (above the dashed line: drift; 20 largest)"
    )
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize="small")
