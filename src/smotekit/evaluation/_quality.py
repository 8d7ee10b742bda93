"""How good are the synthetic rows? Overlap with other classes, novelty, distributions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._polars import from_polars
from ..neighbors import search
from ._category_drift import (
    CATEGORY_DRIFT_THRESHOLD,
    CategoryDriftWarning,
    categorical_indices,
    category_drift,
    drift_sentences,
    empty_categories,
    read_features,
    synthetic_part,
    warn_drift,
)

__all__ = [
    "CATEGORY_DRIFT_THRESHOLD",
    "NEAR_COPY_THRESHOLD",
    "CategoryDriftWarning",
    "SyntheticQuality",
    "synthetic_quality",
]

#: Default threshold: a synthetic row nearer to a real row than this share of the
#: class's median nearest-neighbour spacing counts as a near-copy.
NEAR_COPY_THRESHOLD = 0.05


@dataclass(frozen=True, repr=False)
class SyntheticQuality:
    """The result of :func:`synthetic_quality`.

    Attributes
    ----------
    rows : DataFrame
        One row per synthetic row, in output order: ``label``; ``nearest`` (index
        into the real X of the nearest real row, any class), ``nearest_label``,
        ``distance`` to it and ``relative_distance`` (divided by the class's
        spacing); ``overlap`` (the nearest real row is of another class) and
        ``near_copy`` (``relative_distance`` below the threshold).  With
        provenance also ``seed``, ``neighbor`` and ``gap``.  Distances use the
        numeric features only; without numeric features ``nearest``,
        ``nearest_label``, ``overlap`` and ``near_copy`` are missing (pandas NA)
        and the distances NaN.
    features : DataFrame
        One row per class and numeric feature: ``label``, ``feature``, ``ks``
        (two-sample Kolmogorov-Smirnov statistic, real vs synthetic rows of the
        class) and ``wasserstein`` (earth mover's distance divided by the real
        rows' standard deviation of the feature; undivided where that is 0).
    summary : DataFrame
        One row per over-sampled class: ``label``, ``n_real``, ``n_synthetic``,
        ``spacing`` (median distance of the class's real rows to their nearest
        real row of the class), ``overlap_share`` (synthetic) and
        ``real_overlap_share`` (the same measure for the class's real rows, whose
        nearest *other* real row is of another class: the baseline to compare
        with), ``near_copy_share``, ``median_relative_distance``, ``mean_ks``,
        ``max_ks`` and ``worst_feature`` (largest KS statistic) from the numeric
        features (NaN, and None, without them); ``max_tvd`` (largest total
        variation distance of a categorical feature; NaN without them) and
        ``drift_features`` (how many categorical features drift; 0 without them).
    near_copy : float
        The near-copy threshold used.
    categories : DataFrame
        One row per over-sampled class and categorical feature: ``label``,
        ``feature``, ``tvd`` (total variation distance between the category
        frequencies of the class's real and synthetic rows, ``0.5 * sum |p_real -
        p_synthetic|``, in [0, 1]), ``worst_category`` (the category whose share
        moved most; None for missing values), ``real_share`` and
        ``synthetic_share`` (that category's shares), ``n_categories_real``
        (categories among the class's real rows), ``unseen_share`` (share of
        synthetic rows with a category the class's real rows never have) and
        ``drift`` (``tvd > drift_threshold``).  No rows without categorical
        features.
    drift_threshold : float
        The drift threshold used.
    """

    rows: pd.DataFrame
    features: pd.DataFrame
    summary: pd.DataFrame
    near_copy: float
    categories: pd.DataFrame = field(default_factory=empty_categories)
    drift_threshold: float = CATEGORY_DRIFT_THRESHOLD

    def drift_warnings(self) -> list[str]:
        """One sentence per drifting (class, categorical feature), worst first.

        Returns
        -------
        list of str
            E.g. ``"class 1, feature 'plan': synthetic rows hold 'basic' 87.0% of
            the time, real rows 64.0% (total variation 0.23 > 0.10)"``; empty when
            nothing drifts.
        """
        ordered = self.categories.sort_values("tvd", ascending=False, kind="stable")
        return drift_sentences(ordered, self.drift_threshold)

    def __repr__(self) -> str:
        head = (
            f"SyntheticQuality(near_copy={self.near_copy}, "
            f"drift_threshold={self.drift_threshold})\n{self.summary.to_string()}"
        )
        return "\n".join([head, *self.drift_warnings()])


def _spacing(distances: np.ndarray) -> float:
    """Median nearest-neighbour distance, ignoring exact duplicates when it is 0."""
    if distances.size == 0:
        return float("nan")
    spacing = float(np.median(distances))
    if spacing == 0:
        positive = distances[distances > 0]
        spacing = float(np.median(positive)) if positive.size else float("nan")
    return spacing


def synthetic_quality(
    X: Any,
    y: Any,
    X_res: Any = None,
    y_res: Any = None,
    *,
    provenance: pd.DataFrame | None = None,
    near_copy: float = NEAR_COPY_THRESHOLD,
    categorical_features: Any = None,
    drift_threshold: float = CATEGORY_DRIFT_THRESHOLD,
) -> SyntheticQuality:
    """Audit synthetic rows against the real ones, class by class.

    For each synthetic row: its nearest real row (exact search over all real
    rows), whether that row is of another class (*overlap*: the synthetic row lies
    in another class's region, a sign of noise or of interpolating across it), and
    its distance to it relative to the class's typical spacing (the median
    distance of the class's real rows to their nearest real row of the class).
    A relative distance below ``near_copy`` marks a *near-copy*, a row that adds
    almost nothing new.  Per numeric feature, the distribution of the class's
    synthetic values is compared with its real values (KS statistic and a scaled
    Wasserstein distance).  Distances, overlap and near-copies use the numeric
    features only (Euclidean); without numeric features they are missing.

    Per categorical feature, the class's synthetic category frequencies are
    compared with its real rows' by their total variation distance (a share of
    rows: the least share of synthetic rows whose category would have to change
    to match the real frequencies).  A distance above ``drift_threshold`` is
    *drift*, e.g. SMOTENC's neighbour votes favouring the most frequent category.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        The real rows (what the sampler was given): numeric features and, in a
        DataFrame or declared by ``categorical_features``, categorical ones.
        polars DataFrames are read as pandas.
    y : array-like of shape (n_samples,)
    X_res, y_res : array-like, optional
        The sampler's output; its first ``n_samples`` rows must be ``X`` (as for
        every over-sampler of smotekit and imbalanced-learn), the rest are the
        synthetic rows.  Its columns are matched to X's by position.
    provenance : DataFrame, optional
        A sampler's ``provenance_`` (columns ``label``, ``seed``, ``neighbor``,
        ``gap``).  Without ``X_res`` and ``y_res`` the synthetic rows are rebuilt
        from it (numeric features only: categorical values are votes that it
        cannot rebuild); with them, its columns are attached to
        :attr:`SyntheticQuality.rows`.
    near_copy : float, default=0.05
        Relative-distance threshold of a near-copy.
    categorical_features : None, "auto" or array-like of int, str or bool, default=None
        The categorical features.  ``None`` and ``"auto"``: the ``category``,
        ``object``, ``string`` and ``bool`` columns of a pandas DataFrame, none of
        an array.  Otherwise column indices (negative ones count from the end),
        column names (DataFrame) or a boolean mask, as for
        :class:`~smotekit.SMOTENC`: declare integer-coded categories and the
        categorical columns of an object array this way.  Missing values (NaN,
        None, pandas NA) of a categorical feature are one category of their own;
        in the numeric features they are an error.
    drift_threshold : float, default=0.1
        Total variation distance above which a feature's synthetic category
        frequencies drift, in [0, 1].

    Returns
    -------
    SyntheticQuality
        ``rows``, ``features``, ``summary`` and ``categories`` tables.

    Warns
    -----
    CategoryDriftWarning
        One warning (a :class:`UserWarning`) per call in which some class's
        categorical feature drifts, naming the worst;
        :meth:`SyntheticQuality.drift_warnings` lists every one.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from smotekit import RandomOverSampler, SMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(3, 1, (40, 2))])
    >>> y = np.array([0] * 200 + [1] * 40)
    >>> copies = synthetic_quality(X, y, *RandomOverSampler(random_state=0).fit_resample(X, y))
    >>> float(copies.summary["near_copy_share"].iloc[0])
    1.0
    >>> smote = SMOTE(random_state=0)
    >>> _ = smote.fit_resample(X, y)
    >>> quality = synthetic_quality(X, y, provenance=smote.provenance_)
    >>> float(quality.summary["near_copy_share"].iloc[0]) < 0.5
    True

    Categorical features: here every synthetic row of class 1 is on plan "basic",
    which only half of its real rows are, so the total variation is 0.5.

    >>> import warnings
    >>> X = pd.DataFrame({"age": rng.normal(size=8), "plan": ["basic", "plus"] * 4})
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> X_res = pd.concat([X, X.iloc[[4, 6]]], ignore_index=True)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     quality = synthetic_quality(X, y, X_res, np.r_[y, 1, 1])
    >>> quality.categories[["label", "feature", "tvd", "worst_category", "drift"]]
       label feature  tvd worst_category  drift
    0      1    plan  0.5          basic   True
    >>> quality.drift_warnings()
    ["class 1, feature 'plan': synthetic rows hold 'basic' 100.0% of the time, real rows 50.0% (total variation 0.50 > 0.10)"]
    >>> [type(w.message).__name__ for w in caught]
    ['CategoryDriftWarning']
    """  # noqa: E501
    if not (isinstance(near_copy, (int, float)) and near_copy >= 0):
        raise ValueError(f"near_copy must be a number >= 0; got {near_copy!r}.")
    if not (isinstance(drift_threshold, (int, float)) and 0 <= drift_threshold <= 1):
        raise ValueError(f"drift_threshold must be a number in [0, 1]; got {drift_threshold!r}.")
    X, y, _ = from_polars(X, y)
    X_res, y_res, _ = from_polars(X_res, y_res)
    categorical = categorical_indices(X, categorical_features)
    real = read_features(X, "X", categorical)
    y_real = np.asarray(y)
    if y_real.ndim != 1 or y_real.shape[0] != real.numeric.shape[0]:
        raise ValueError(
            f"y must be 1-D with one label per row of X ({real.numeric.shape[0]}); "
            f"got shape {y_real.shape}."
        )
    synthetic, y_syn = synthetic_part(real, y_real, X_res, y_res, provenance, categorical)
    rows, features, summary = _numeric_audit(
        real.numeric, y_real, synthetic.numeric, y_syn, real.numeric_names, near_copy
    )
    if provenance is not None:
        for column in ("seed", "neighbor", "gap"):
            rows[column] = np.asarray(provenance[column])
    categories = category_drift(
        real.categories,
        y_real,
        synthetic.categories,
        y_syn,
        real.categorical_names,
        float(drift_threshold),
    )
    per_label = [categories[categories["label"] == label] for label in summary["label"]]
    summary["max_tvd"] = [part["tvd"].max() if len(part) else np.nan for part in per_label]
    summary["drift_features"] = [int(part["drift"].sum()) for part in per_label]
    warn_drift(categories, float(drift_threshold))
    return SyntheticQuality(
        rows=rows,
        features=features,
        summary=summary,
        near_copy=float(near_copy),
        categories=categories,
        drift_threshold=float(drift_threshold),
    )


_SUMMARY_COLUMNS = [
    "label",
    "n_real",
    "n_synthetic",
    "spacing",
    "overlap_share",
    "real_overlap_share",
    "near_copy_share",
    "median_relative_distance",
    "mean_ks",
    "max_ks",
    "worst_feature",
]


def _numeric_audit(
    X_real: np.ndarray,
    y_real: np.ndarray,
    X_syn: np.ndarray,
    y_syn: np.ndarray,
    names: list[str],
    near_copy: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The rows, features and (numeric) summary tables."""
    labels = list(dict.fromkeys(y_syn.tolist()))
    if X_real.shape[1] == 0:
        return _without_numeric(y_real, y_syn, labels)
    if X_syn.shape[0]:
        nearest = search(X_real, X_syn, 1, backend="exact")
        nearest_index, nearest_distance = nearest.indices[:, 0], nearest.distances[:, 0]
    else:
        nearest_index = np.empty(0, dtype=np.int64)
        nearest_distance = np.empty(0)
    own = search(X_real, None, 1, backend="exact").indices[:, 0] if X_real.shape[0] > 1 else None

    relative = np.full(X_syn.shape[0], np.nan)
    summary, features = [], []
    for label in labels:
        syn_mask = y_syn == label
        real_rows = np.flatnonzero(y_real == label)
        spacing = float("nan")
        if real_rows.size > 1:
            within = search(X_real[real_rows], None, 1, backend="exact")
            spacing = _spacing(within.distances[:, 0])
        relative[syn_mask] = nearest_distance[syn_mask] / spacing
        overlap = y_real[nearest_index[syn_mask]] != label
        real_overlap = (
            float(np.mean(y_real[own[real_rows]] != label))
            if own is not None and real_rows.size
            else float("nan")
        )
        ks, wasserstein = _feature_distances(X_real[real_rows], X_syn[syn_mask])
        features += [(label, name, k, w) for name, k, w in zip(names, ks, wasserstein)]
        rel = relative[syn_mask]
        summary.append(
            (
                label,
                real_rows.size,
                int(syn_mask.sum()),
                spacing,
                float(overlap.mean()),
                real_overlap,
                float(np.mean(rel < near_copy)) if not np.isnan(spacing) else float("nan"),
                float(np.median(rel)),
                float(np.nanmean(ks)) if real_rows.size else float("nan"),
                float(np.nanmax(ks)) if real_rows.size else float("nan"),
                names[int(np.nanargmax(ks))] if real_rows.size else None,
            )
        )
    rows = pd.DataFrame(
        {
            "label": y_syn,
            "nearest": nearest_index,
            "nearest_label": y_real[nearest_index],
            "distance": nearest_distance,
            "relative_distance": relative,
            "overlap": y_real[nearest_index] != y_syn,
            "near_copy": relative < near_copy,
        }
    )
    return (
        rows,
        pd.DataFrame(features, columns=["label", "feature", "ks", "wasserstein"]),
        pd.DataFrame(summary, columns=_SUMMARY_COLUMNS),
    )


def _without_numeric(
    y_real: np.ndarray, y_syn: np.ndarray, labels: list[Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The tables when there is no numeric feature: distances and overlaps missing."""
    n = y_syn.shape[0]
    rows = pd.DataFrame(
        {
            "label": y_syn,
            "nearest": pd.array([pd.NA] * n, dtype="Int64"),
            "nearest_label": pd.Series([None] * n, dtype=object),
            "distance": np.full(n, np.nan),
            "relative_distance": np.full(n, np.nan),
            "overlap": pd.array([pd.NA] * n, dtype="boolean"),
            "near_copy": pd.array([pd.NA] * n, dtype="boolean"),
        }
    )
    nan = float("nan")
    summary = [
        (label, int(np.sum(y_real == label)), int(np.sum(y_syn == label)), *[nan] * 7, None)
        for label in labels
    ]
    return (
        rows,
        pd.DataFrame(
            {
                "label": pd.Series(dtype=y_syn.dtype),
                "feature": pd.Series(dtype=object),
                "ks": pd.Series(dtype="float64"),
                "wasserstein": pd.Series(dtype="float64"),
            }
        ),
        pd.DataFrame(summary, columns=_SUMMARY_COLUMNS),
    )


def _feature_distances(real: np.ndarray, synthetic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature KS statistic and scaled Wasserstein distance (NaN if a side is empty)."""
    n_features = real.shape[1]
    ks = np.full(n_features, np.nan)
    wasserstein = np.full(n_features, np.nan)
    if real.shape[0] == 0 or synthetic.shape[0] == 0:
        return ks, wasserstein
    scale = real.std(axis=0)
    for j in range(n_features):
        ks[j] = _ks_statistic(real[:, j], synthetic[:, j])
        distance = stats.wasserstein_distance(real[:, j], synthetic[:, j])
        wasserstein[j] = distance / scale[j] if scale[j] > 0 else distance
    return ks, wasserstein


def _ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Largest gap between the two empirical distribution functions."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, points, side="right") / a.size
    cdf_b = np.searchsorted(b, points, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))
