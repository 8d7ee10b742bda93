"""How good are the synthetic rows? Overlap with other classes, novelty, distributions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats

from ..neighbors import search

__all__ = ["NEAR_COPY_THRESHOLD", "SyntheticQuality", "synthetic_quality"]

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
        provenance also ``seed``, ``neighbor`` and ``gap``.
    features : DataFrame
        One row per class and feature: ``label``, ``feature``, ``ks`` (two-sample
        Kolmogorov-Smirnov statistic, real vs synthetic rows of the class) and
        ``wasserstein`` (earth mover's distance divided by the real rows' standard
        deviation of the feature; undivided where that is 0).
    summary : DataFrame
        One row per over-sampled class: ``label``, ``n_real``, ``n_synthetic``,
        ``spacing`` (median distance of the class's real rows to their nearest
        real row of the class), ``overlap_share`` (synthetic) and
        ``real_overlap_share`` (the same measure for the class's real rows, whose
        nearest *other* real row is of another class: the baseline to compare
        with), ``near_copy_share``, ``median_relative_distance``, ``mean_ks``,
        ``max_ks`` and ``worst_feature`` (largest KS statistic).
    near_copy : float
        The threshold used.
    """

    rows: pd.DataFrame
    features: pd.DataFrame
    summary: pd.DataFrame
    near_copy: float

    def __repr__(self) -> str:
        return f"SyntheticQuality(near_copy={self.near_copy})\n{self.summary.to_string()}"


def _as_matrix(X: Any, name: str) -> tuple[np.ndarray, list[str]]:
    columns = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    if hasattr(X, "dtypes"):
        bad = [str(c) for c, d in X.dtypes.items() if not _numeric(d)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric column(s) {bad[:5]}; synthetic_quality measures "
                "distances on numeric features only. Encode those columns (or drop them) "
                "first."
            )
    if sparse.issparse(X):
        X = X.toarray()
    try:
        matrix = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must hold numeric values; synthetic_quality measures distances on "
            "numeric features only."
        ) from None
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-D; got shape {matrix.shape}.")
    if not np.isfinite(matrix).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return matrix, columns or [f"x{j}" for j in range(matrix.shape[1])]


def _numeric(dtype: Any) -> bool:
    if isinstance(dtype, pd.SparseDtype):
        dtype = dtype.subtype
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _synthetic_part(
    X: np.ndarray, y: np.ndarray, X_res: Any, y_res: Any, provenance: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The synthetic rows and labels, from the resampled data or from provenance."""
    n = X.shape[0]
    if X_res is None and y_res is None:
        if provenance is None:
            raise ValueError(
                "Give the resampled data (X_res, y_res) or provenance=sampler.provenance_."
            )
        seeds = np.asarray(provenance["seed"], dtype=np.int64)
        neighbors = np.asarray(provenance["neighbor"], dtype=np.int64)
        gaps = np.asarray(provenance["gap"], dtype=np.float64)[:, None]
        if seeds.size and (
            min(seeds.min(), neighbors.min()) < 0 or max(seeds.max(), neighbors.max()) >= n
        ):
            raise ValueError(
                "provenance refers to rows outside X; pass the X the sampler was fitted on."
            )
        rows = X[seeds] + gaps * (X[neighbors] - X[seeds])
        return rows, np.asarray(provenance["label"])
    if X_res is None or y_res is None:
        raise ValueError("Give both X_res and y_res, or neither (with provenance=).")
    X_res, _ = _as_matrix(X_res, "X_res")
    y_res = np.asarray(y_res)
    if X_res.shape[1] != X.shape[1]:
        raise ValueError(f"X_res has {X_res.shape[1]} features but X has {X.shape[1]}.")
    if y_res.shape[0] != X_res.shape[0]:
        raise ValueError(f"X_res has {X_res.shape[0]} rows but y_res has {y_res.shape[0]}.")
    if X_res.shape[0] < n or not np.array_equal(X_res[:n], X) or not np.array_equal(y_res[:n], y):
        raise ValueError(
            "X_res, y_res do not start with the rows of X, y, so the synthetic rows cannot "
            "be told apart (smotekit's and imbalanced-learn's over-samplers put the original "
            "rows first; under-samplers drop rows). Pass provenance=sampler.provenance_ "
            "without X_res and y_res instead."
        )
    if provenance is not None and len(provenance) != X_res.shape[0] - n:
        raise ValueError(
            f"provenance has {len(provenance)} rows but there are {X_res.shape[0] - n} "
            "synthetic rows."
        )
    return X_res[n:], y_res[n:]


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
) -> SyntheticQuality:
    """Audit synthetic rows against the real ones, class by class.

    For each synthetic row: its nearest real row (exact search over all real
    rows), whether that row is of another class (*overlap*: the synthetic row lies
    in another class's region, a sign of noise or of interpolating across it), and
    its distance to it relative to the class's typical spacing (the median
    distance of the class's real rows to their nearest real row of the class).
    A relative distance below ``near_copy`` marks a *near-copy*, a row that adds
    almost nothing new.  Per feature, the distribution of the class's synthetic
    values is compared with its real values (KS statistic and a scaled
    Wasserstein distance).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        The real rows (what the sampler was given). Numeric features only.
    y : array-like of shape (n_samples,)
    X_res, y_res : array-like, optional
        The sampler's output; its first ``n_samples`` rows must be ``X`` (as for
        every over-sampler of smotekit and imbalanced-learn), the rest are the
        synthetic rows.
    provenance : DataFrame, optional
        A sampler's ``provenance_`` (columns ``label``, ``seed``, ``neighbor``,
        ``gap``).  Without ``X_res`` and ``y_res`` the synthetic rows are rebuilt
        from it; with them, its columns are attached to :attr:`SyntheticQuality.rows`.
    near_copy : float, default=0.05
        Relative-distance threshold of a near-copy.

    Returns
    -------
    SyntheticQuality
        ``rows``, ``features`` and ``summary`` tables.

    Examples
    --------
    >>> import numpy as np
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
    """
    if not (isinstance(near_copy, (int, float)) and near_copy >= 0):
        raise ValueError(f"near_copy must be a number >= 0; got {near_copy!r}.")
    X_real, names = _as_matrix(X, "X")
    y_real = np.asarray(y)
    if y_real.ndim != 1 or y_real.shape[0] != X_real.shape[0]:
        raise ValueError(
            f"y must be 1-D with one label per row of X ({X_real.shape[0]}); "
            f"got shape {y_real.shape}."
        )
    X_syn, y_syn = _synthetic_part(X_real, y_real, X_res, y_res, provenance)
    if X_syn.shape[0]:
        nearest = search(X_real, X_syn, 1, backend="exact")
        nearest_index, nearest_distance = nearest.indices[:, 0], nearest.distances[:, 0]
    else:
        nearest_index = np.empty(0, dtype=np.int64)
        nearest_distance = np.empty(0)
    own = search(X_real, None, 1, backend="exact").indices[:, 0] if X_real.shape[0] > 1 else None

    relative = np.full(X_syn.shape[0], np.nan)
    summary, features = [], []
    for label in dict.fromkeys(y_syn.tolist()):
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
    if provenance is not None:
        for column in ("seed", "neighbor", "gap"):
            rows[column] = np.asarray(provenance[column])
    summary_columns = [
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
    return SyntheticQuality(
        rows=rows,
        features=pd.DataFrame(features, columns=["label", "feature", "ks", "wasserstein"]),
        summary=pd.DataFrame(summary, columns=summary_columns),
        near_copy=float(near_copy),
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
